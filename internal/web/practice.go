package web

import (
	"net/http"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/housing"
	"husly/internal/org"
	"husly/internal/store"
)

// The municipality's practice where the law leaves room: paper post days,
// appeal weeks, the deposit cap and lease terms per housing category
// (caseflow.Practice). Staff read it; administrators change it.

// practiceForm is the practice with the housing categories' names, for
// the form on the access page.
type practiceForm struct {
	caseflow.Practice
	Terms []practiceTerm
}

type practiceTerm struct {
	Code   string // a housing category, named by the page
	Months int
}

func practiceFormOf(p caseflow.Practice) practiceForm {
	f := practiceForm{Practice: p}
	for _, c := range housing.Categories {
		f.Terms = append(f.Terms, practiceTerm{Code: c.Code, Months: p.LeaseMonths(c.Code)})
	}
	return f
}

// savePractice stores the form's practice: every field is given, and a
// rule that gives less than the law is refused with nothing stored.
func (s *Server) savePractice(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	p := caseflow.Practice{PaperPostDays: nums.Int("paper_post_days", "words.field.paper_post_days"), AppealWeeks: nums.Int("appeal_weeks", "words.field.appeal_weeks"),
		DepositMonths: nums.Int("deposit_months", "words.field.deposit_months"), LeaseTerms: []caseflow.LeaseTerm{}}
	for _, c := range housing.Categories {
		p.LeaseTerms = append(p.LeaseTerms, caseflow.LeaseTerm{Category: c.Code, Months: nums.intText(r.PostFormValue("term_"+c.Code), tr(r, "words.field.lease_term", label(language(r), "housing.category", c.Code)))})
	}
	err := nums.Err()
	if err == nil {
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			_, err := caseflow.SavePractice(r.Context(), tx, s.actor(r, u), p)
			return err
		})
	}
	s.flashThenRedirect(w, r, u, err, translate(language(r), "lawa.practice.saved"), "/tilgang")
}

func (s *Server) apiPractice(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if a.Role == access.Resident {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	p, err := caseflow.LoadPractice(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiSetPractice(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in caseflow.Practice
	if !decodeJSON(w, r, &in) {
		return
	}
	if in.LeaseTerms == nil {
		in.LeaseTerms = []caseflow.LeaseTerm{}
	}
	var out caseflow.Practice
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		out, err = caseflow.SavePractice(r.Context(), tx, s.actor(r, u), in)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
