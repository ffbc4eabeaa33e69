package web

import (
	"errors"
	"husly/internal/invalid"
	"net/http"
	"strconv"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/org"
	"husly/internal/store"
)

// The law's catalogues (provisions and services) and the report of
// applicants passed over by an offer made by hand.

// passedOverPage shows unit leaders and the auditor every offer that
// passed over a fitting applicant with higher priority, with the reason
// (seed 003: need decides).
func (s *Server) passedOverPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	report, err := caseflow.PassedOverReport(r.Context(), s.db, s.actor(r, u), access.ChannelPage)
	if errors.Is(err, access.ErrForbidden) {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "passedover", view{Title: translate(language(r), "lawb.passed.title"), Nav: "allocation", User: u, Data: report})
}

func (s *Server) apiPassedOver(w http.ResponseWriter, r *http.Request, u *org.User) {
	report, err := caseflow.PassedOverReport(r.Context(), s.db, s.actor(r, u), access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[caseflow.PassedOverRow]{Items: report, Limit: len(report)})
}

func (s *Server) apiProvisions(w http.ResponseWriter, r *http.Request, u *org.User) {
	ps, err := caseflow.Provisions(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[caseflow.Provision]{Items: ps, Limit: len(ps)})
}

func (s *Server) apiSetProvision(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in caseflow.Provision
	if !decodeJSON(w, r, &in) {
		return
	}
	in.Code = r.PathValue("code")
	var out caseflow.Provision
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		out, err = caseflow.SaveProvision(r.Context(), tx, s.actor(r, u), in)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiServiceCatalogue(w http.ResponseWriter, r *http.Request, u *org.User) {
	cs, err := caseflow.Services(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[caseflow.CatalogService]{Items: cs, Limit: len(cs)})
}

func (s *Server) apiSetService(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in caseflow.CatalogService
	if !decodeJSON(w, r, &in) {
		return
	}
	in.Code = r.PathValue("code")
	var out caseflow.CatalogService
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		out, err = caseflow.SaveService(r.Context(), tx, s.actor(r, u), in)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// outsideConsentFromForm reads a consent to an outside party; a date that
// does not parse is a problem, never a missing expiry.
func outsideConsentFromForm(r *http.Request, personID int64) (access.OutsideConsent, error) {
	c := access.OutsideConsent{PersonID: personID, RecipientKind: r.PostFormValue("recipient_kind"), RecipientName: r.PostFormValue("recipient_name"),
		Purpose: r.PostFormValue("purpose"), PersonWants: r.PostFormValue("person_wants") == "ja"}
	for _, v := range r.PostForm["category"] {
		c.Categories = append(c.Categories, access.Category(v))
	}
	return c, parseExpiry(r.PostFormValue("expires"), &c)
}

func parseExpiry(v string, c *access.OutsideConsent) error {
	if v == "" {
		return nil // CheckOutsideConsent names the missing expiry
	}
	d, err := deadline.Parse(v)
	if err != nil {
		return invalid.Problem("utløpsdatoen må være en dato (ÅÅÅÅ-MM-DD)")
	}
	c.Expires = d
	return nil
}

func (s *Server) recordOutsideConsent(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, translate(language(r), "lawb.outside.saved"), func(tx *store.Tx, a access.Actor, id int64) error {
		c, err := outsideConsentFromForm(r, id)
		if err != nil {
			return err
		}
		_, err = access.RecordOutsideConsent(r.Context(), tx, a, c)
		return err
	})
}

func (s *Server) withdrawOutsideConsent(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, translate(language(r), "lawb.outside.withdrawndone"), func(tx *store.Tx, a access.Actor, id int64) error {
		if !a.Writes() {
			return access.ErrForbidden // residents withdraw on Min side
		}
		cid, _ := strconv.ParseInt(r.PathValue("ocid"), 10, 64)
		return access.WithdrawOutsideConsent(r.Context(), tx, a, id, cid)
	})
}

// residentWithdrawOutside lets residents withdraw, on Min side, their own
// consent to speak with someone outside the municipality.
func (s *Server) residentWithdrawOutside(w http.ResponseWriter, r *http.Request, u *org.User) {
	cid, _ := strconv.ParseInt(r.PathValue("ocid"), 10, 64)
	if u.Role != access.Resident || u.PersonID == 0 {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return access.WithdrawOutsideConsent(r.Context(), tx, s.actor(r, u), u.PersonID, cid)
	})
	s.flashThenRedirect(w, r, u, err, translate(language(r), "lawb.outside.withdrawndone"), "/")
}

type outsideConsentRequest struct {
	RecipientKind string            `json:"recipient_kind"`
	RecipientName string            `json:"recipient_name"`
	Purpose       string            `json:"purpose"`
	Categories    []access.Category `json:"categories"`
	PersonWants   bool              `json:"person_wants"`
	Expires       string            `json:"expires_on"`
}

func (s *Server) apiRecordOutsideConsent(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var req outsideConsentRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	a := s.actor(r, u)
	c := access.OutsideConsent{PersonID: id, RecipientKind: req.RecipientKind, RecipientName: req.RecipientName, Purpose: req.Purpose,
		Categories: req.Categories, PersonWants: req.PersonWants}
	var cid int64
	err := parseExpiry(req.Expires, &c)
	if err == nil {
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			var err error
			cid, err = access.RecordOutsideConsent(r.Context(), tx, a, c)
			return err
		})
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeOutsideConsent(w, r, a, id, cid, http.StatusCreated)
}

func (s *Server) apiWithdrawOutsideConsent(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	cid, ok := pathInt(r, "ocid")
	if !ok {
		writeProblem(w, r, http.StatusNotFound, invalid.F("Ugyldig id: bruk et positivt heltall."))
		return
	}
	a := s.actor(r, u)
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return access.WithdrawOutsideConsent(r.Context(), tx, a, id, cid)
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeOutsideConsent(w, r, a, id, cid, http.StatusOK)
}

// writeOutsideConsent answers with the consent, through the redaction step.
func (s *Server) writeOutsideConsent(w http.ResponseWriter, r *http.Request, a access.Actor, personID, consentID int64, status int) {
	writeOneConsent(s, w, r, a, personID, consentID, status, access.OutsideConsentsOf, func(c access.OutsideConsent) int64 { return c.ID })
}

// cataloguePage lets an administrator keep the catalogues of provisions
// and services: add the municipality's own, reword or retire a built-in
// one, and name each service's provider unit.
func (s *Server) cataloguePage(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role != access.Admin {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	ps, err := caseflow.Provisions(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	cs, err := caseflow.Services(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	units, err := org.ListUnits(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "catalogue", view{Title: translate(language(r), "lawb.cat.title"), Nav: "texts", User: u, Data: struct {
		Provisions []caseflow.Provision
		Services   []caseflow.CatalogService
		Units      []org.Unit
		Message    string
		NewRow     string
	}{ps, cs, units, s.sessions.PopString(r.Context(), "flash"), newCatalogueRow}})
}

// The fields of the catalogue's forms (templates/catalogue.html), by
// route, for a form sent back with its problems (keptforms.go). There is a
// form per entry and one for a new entry, all posting to one path: each
// names its row in a hidden field, the entry's code or newCatalogueRow
// (a code is typed in the new entry's form, so cannot name it).
var _ = declareForms(map[string][]formField{
	"POST /katalog/hjemler": {{"p-code-{row}", "code", "koden"}, {"p-law-{row}", "law", "loven"}, {"p-sec-{row}", "section", "paragrafen"},
		{"p-title-{row}", "title", "overskriften"}, {"p-ref-{row}", "text_ref", "tekstreferansen"}},
	"POST /katalog/tjenester": {{"s-code-{row}", "code", "koden"}, {"s-name-{row}", "name", "navnet på tjenesten"},
		{"s-unit-{row}", "provider", "words.field.org_unit"}, {"s-unit-{row}", "provider", "enheten som gir tjenesten"}},
})

// newCatalogueRow names the catalogue's form for a new entry: no code
// starts with an underscore.
const newCatalogueRow = "_ny"

func (s *Server) saveProvisionForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := caseflow.SaveProvision(r.Context(), tx, s.actor(r, u), caseflow.Provision{Code: r.PostFormValue("code"), Law: r.PostFormValue("law"),
			Section: r.PostFormValue("section"), Title: r.PostFormValue("title"), TextRef: r.PostFormValue("text_ref"), Active: r.PostFormValue("active") == "ja"})
		return err
	})
	s.flashThenRedirect(w, r, u, err, translate(language(r), "lawb.cat.saved"), "/katalog")
}

func (s *Server) saveServiceForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	c := caseflow.CatalogService{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), ProviderUnitID: nums.ID("provider", "words.field.org_unit"), Active: r.PostFormValue("active") == "ja"}
	err := nums.Err()
	if err == nil {
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			_, err := caseflow.SaveService(r.Context(), tx, s.actor(r, u), c)
			return err
		})
	}
	s.flashThenRedirect(w, r, u, err, translate(language(r), "lawb.cat.saved"), "/katalog")
}
