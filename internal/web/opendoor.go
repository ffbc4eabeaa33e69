package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/housing"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/writtenform"
)

// The open door: a public page about the municipality's housing offers,
// and the resident's own digital application after ID-porten login.

// publicPage is the open page; it names the municipality by its number,
// or serves the only one there is.
func (s *Server) publicPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	munis, err := org.ListMunicipalities(ctx, s.db)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var m org.Municipality
	number := r.PathValue("kommune")
	for _, x := range munis {
		if x.Number == number || number == "" && len(munis) == 1 {
			m = x
		}
	}
	if m.ID == 0 {
		if number == "" && len(munis) > 1 {
			s.render(w, r, "public", view{Title: tr(r, "public.title"), Data: struct {
				Municipalities []org.Municipality
			}{munis}})
			return
		}
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	texts, err := caseflow.TextsOf(ctx, s.db, m.ID, caseflow.PublicTexts...)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// Without a phone of its own the page gives the housing office's.
	office, err := org.HousingOffice(ctx, s.db, m.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	nav, err := org.NAVOffice(ctx, s.db, m.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	phone := texts[caseflow.TextPublicPhone]
	if phone == "" {
		phone = office.UnitPhone
	}
	// A text the municipality has not written itself is the built-in one,
	// which the catalogue has in every language (words.public.<kind>); one
	// it wrote is shown as written, in bokmål.
	fill := func(kind string) publicText {
		body, lang := texts[kind], "nb"
		if def, ok := caseflow.TextDefOf(kind); ok && body == def.Default {
			body, lang = tr(r, "words.public."+kind), language(r)
		}
		return publicText{caseflow.Paragraphs(caseflow.Fill(body, map[string]string{"kommune": m.Name})), lang}
	}
	byCategory, _, err := housing.Summary(ctx, s.db, m.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// Each offer is a housing category with its description in the
	// catalogue (public.offer.<category>).
	type offer struct {
		Code  string
		Units int
	}
	var offers []offer
	for _, c := range byCategory {
		if c.Units > 0 {
			offers = append(offers, offer{c.Code, c.Units})
		}
	}
	s.render(w, r, "public", view{Title: tr(r, "public.title_in", m.Name), Muni: m, Data: struct {
		Municipalities        []org.Municipality
		Intro, Tonight        publicText
		Offers                []offer
		Phone, Address, Hours string
		NAV                   org.Contact
	}{nil, fill(caseflow.TextPublic), fill(caseflow.TextTonight), offers, phone, texts[caseflow.TextPublicAddress], texts[caseflow.TextPublicHours], nav}})
}

// myApplication is the resident's own application: the draft, its
// documents, and the status of what has been sent.
func (s *Server) myApplication(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.showMyApplication(w, r, u, s.sessions.PopString(r.Context(), "flash"), nil)
}

func (s *Server) showMyApplication(w http.ResponseWriter, r *http.Request, u *org.User, message string, problems []string) {
	a := s.actor(r, u)
	if a.Role != access.Resident || a.PersonID == 0 {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	d, err := caseflow.MyDraft(r.Context(), s.db, a)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sent, err := caseflow.MyCases(r.Context(), s.db, a, today())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	cases, err := s.residentCases(r, a.MunicipalityID, sent)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	status := http.StatusOK
	if len(problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, "myapplication", view{Title: tr(r, "myapp.title"), Nav: "application", User: u, Status: status, Data: struct {
		// ProblemTitle says what did not happen: the heading fits what the
		// resident tried (send, save, attach, remove).
		ProblemTitle string
		Draft        caseflow.Draft
		Cases        []residentCase
		Kinds        []caseflow.Choice
		Groups       []caseflow.Choice
		Residences   []struct{ Code caseflow.Residence }
		Message      string
		Problems     []string
	}{failedAction(r), d, cases, caseflow.Kinds, caseflow.ApplicantGroups(), caseflow.Residences, message, problems}})
}

// failedAction names, as a catalogue key, what a refused form on the
// application page tried to do.
func failedAction(r *http.Request) string {
	switch {
	case r.Method != http.MethodPost:
		return "myapp.not_sent"
	case strings.HasSuffix(r.URL.Path, "/slett"):
		return "resident.app.not_removed"
	case strings.HasPrefix(r.URL.Path, attachmentUpload):
		return "resident.app.not_attached"
	case r.PostFormValue("action") == "send":
		return "myapp.not_sent"
	}
	return "resident.app.not_saved"
}

// residentAction runs one change to the resident's own application.
func (s *Server) residentAction(w http.ResponseWriter, r *http.Request, u *org.User, act func(tx *store.Tx, a access.Actor) (string, error)) {
	a := s.actor(r, u)
	var done string
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		done, err = act(tx, a)
		return err
	})
	var bad *invalid.Error
	switch {
	case errors.As(err, &bad):
		s.showMyApplication(w, r, u, "", problemsFor(r, bad.Problems))
	case errors.Is(err, access.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden)
	case errors.Is(err, caseflow.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound)
	case err != nil:
		s.serverError(w, r, err)
	default:
		s.saved(w, r, done, "/min-side/soknad")
	}
}

func draftFromForm(r *http.Request) (caseflow.DraftInput, error) {
	nums := numbersIn(r)
	// A number left blank is unknown, not zero: its rule stays open for
	// the case worker instead of failing.
	var unstated []caseflow.Fact
	for _, f := range []caseflow.Fact{caseflow.FactYearsResident, caseflow.FactHouseholdIncome, caseflow.FactHouseholdAssets} {
		if strings.TrimSpace(r.PostFormValue(string(f))) == "" {
			unstated = append(unstated, f)
		}
	}
	in := caseflow.DraftInput{ApplicationInput: caseflow.ApplicationInput{Kind: caseflow.ApplicationKind(r.PostFormValue("kind")), Unstated: unstated,
		YearsResident:   nums.Decimal("years_resident", "words.field.your_years"),
		HouseholdSize:   nums.Int("household_size", "words.field.your_household"),
		HouseholdIncome: nums.Decimal("household_income", "words.field.your_income"), HouseholdAssets: nums.Decimal("household_assets", "words.field.assets"),
		OwnsHome: r.PostFormValue("owns_home") == "ja", RegisteredHere: r.PostFormValue("registered_here") == "ja", Groups: caseflow.GroupsOf(r.PostForm["groups"])},
		Residence: caseflow.Residence(r.PostFormValue("residence")), Situation: r.PostFormValue("situation"), Wishes: r.PostFormValue("wishes")}
	return in, nums.Err()
}

// saveMyApplication saves the draft, and sends it when asked to.
func (s *Server) saveMyApplication(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.residentAction(w, r, u, func(tx *store.Tx, a access.Actor) (string, error) {
		in, err := draftFromForm(r)
		if err != nil {
			return "", err
		}
		if _, err := caseflow.SaveDraft(r.Context(), tx, a, in); err != nil {
			return "", err
		}
		if r.PostFormValue("action") != "send" {
			return tr(r, "flash.draft"), nil
		}
		app, err := caseflow.SubmitDraft(r.Context(), tx, a, today())
		return tr(r, "flash.sent", dateFor(r, app.DecisionDue)), err
	})
}

func (s *Server) attachToMyApplication(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.residentAction(w, r, u, func(tx *store.Tx, a access.Actor) (string, error) {
		f, h, err := r.FormFile("document")
		if err != nil {
			return "", invalid.Problem("velg en fil å legge ved (PDF, PNG eller JPEG, høyst 5 MB)")
		}
		defer f.Close() //nolint:errcheck // an upload being read: closing loses nothing
		data, err := io.ReadAll(io.LimitReader(f, caseflow.MaxAttachmentSize+1))
		if err != nil {
			return "", err
		}
		x, err := caseflow.Attach(r.Context(), tx, a, h.Filename, data)
		return tr(r, "flash.attached", x.Filename), err
	})
}

func (s *Server) removeMyAttachment(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.residentAction(w, r, u, func(tx *store.Tx, a access.Actor) (string, error) {
		return tr(r, "flash.removed"), caseflow.RemoveAttachment(r.Context(), tx, a, subID(r, "aid"))
	})
}

func (s *Server) myAttachment(w http.ResponseWriter, r *http.Request, u *org.User) {
	x, data, err := caseflow.MyAttachment(r.Context(), s.db, s.actor(r, u), subID(r, "aid"))
	if err != nil {
		s.caseDenied(w, r, u, err)
		return
	}
	sendAttachment(w, x, data)
}

// texts lets an administrator edit the letters' openings, the house rules,
// the public page and the local rule for declined offers.
func (s *Server) texts(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role != access.Admin {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	type row struct {
		caseflow.TextDef
		Body string
	}
	var rows []row
	for _, t := range caseflow.Texts {
		body, err := caseflow.TextOf(r.Context(), s.db, u.MunicipalityID, t.Kind)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		rows = append(rows, row{t, body})
	}
	policy, err := writtenform.OfMunicipality(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "texts", view{Title: tr(r, "texts.title"), Nav: "texts", User: u, Data: struct {
		Texts    []row
		Message  string
		Policy   writtenform.Policy
		Policies []writtenform.Policy
	}{rows, s.sessions.PopString(r.Context(), "flash"), policy, writtenform.Policies}})
}

// The fields of the texts page's forms (templates/texts.html), by route,
// for a form sent back with its problems (keptforms.go).
var _ = declareForms(map[string][]formField{
	"POST /tekster/{kind}": {{"t-{kind}", "body", "flett-felt"}, {"t-{kind}", "body", "tekst"}},
	"POST /skriftsprak":    {{"policy", "written_form", "målform"}, {"policy", "written_form", "skriftspråk"}},
})

func (s *Server) saveText(w http.ResponseWriter, r *http.Request, u *org.User) {
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return caseflow.SetText(r.Context(), tx, s.actor(r, u), r.PathValue("kind"), r.PostFormValue("body"))
	})
	s.flashThenRedirect(w, r, u, err, tr(r, "texts.saved"), "/tekster")
}

// publicText is one of the public page's texts, in paragraphs, and the
// language it is written in (WCAG 3.1.2).
type publicText struct {
	Paragraphs []string
	Lang       string
}
