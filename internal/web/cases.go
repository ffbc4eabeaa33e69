package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
)

// The case page: one application from case handling to signed lease.

func today() deadline.Date { return deadline.On(time.Now()) }

// casePage is what the case template gets.
type casePage struct {
	// DraftSaved is when the decision form's draft was saved, if it was
	// filled in from one.
	DraftSaved time.Time
	Case       caseflow.Case
	Current    *caseflow.Decision
	Units      []org.Unit
	Fitting    []housing.Unit
	Message    string
	Problems   []string
	// Form is the submitted form shown again after a problem, so nothing
	// typed is lost.
	Form url.Values
	// Fields ties each problem of the form just sent to its field: the
	// field is marked and its message shown under it (docs/forms.md).
	Fields   formState
	Writes   bool
	Me       int64 // the actor's user id, to offer "take the case" to others
	Tenancy  bool
	Today    string
	Services []caseflow.Service // the decision form's rows
	// The municipality's catalogues the decision form chooses from.
	Provisions []caseflow.Provision
	Catalog    []caseflow.CatalogService
}

// Cited reports whether the decision form cites a provision: as
// submitted, else as in force.
func (p casePage) Cited(code string) bool {
	var stored []string
	if p.Current != nil {
		stored = p.Current.LegalBasisCodes
	}
	return p.Has("legal_basis_codes", code, stored)
}

// Pick gives a form field: what was just submitted, else the fallback.
func (p casePage) Pick(name string, fallback any) string {
	if p.Form != nil {
		return p.Form.Get(name)
	}
	return code(fallback)
}

// Submitted reports whether the form just sent had the field: its
// disclosure opens again, with what was wrong.
func (p casePage) Submitted(name string) bool { return p.Form != nil && p.Form.Has(name) }

// Has reports whether a multi-valued field holds v: submitted, else stored.
func (p casePage) Has(name, v string, stored []string) bool {
	list := stored
	if p.Form != nil {
		list = p.Form[name]
	}
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Step is one phase of the case in the stepper at the top of the page.
type Step struct {
	Label         string // a catalogue key
	Done, Current bool
}

// Steps shows where the case stands in the chain.
func (p casePage) Steps() []Step {
	labels := []string{"casepage.step.received", "casepage.step.handling", "casepage.step.decision", "casepage.step.offer", "casepage.step.lease"} // catalogue keys
	at := map[caseflow.Status]int{caseflow.StatusReceived: 0, caseflow.StatusInProgress: 1, caseflow.StatusGranted: 2, caseflow.StatusRefused: 2, caseflow.StatusReview: 2,
		caseflow.StatusOffered: 3, caseflow.StatusAllocated: 3, caseflow.StatusLease: 4}[p.Case.Application.Status]
	steps := make([]Step, len(labels))
	for i, l := range labels {
		steps[i] = Step{Label: l, Done: i < at, Current: i == at}
	}
	return steps
}

// Cur is the decision in force, or an empty one, for the form's defaults.
func (p casePage) Cur() caseflow.Decision {
	if p.Current == nil {
		return caseflow.Decision{}
	}
	return *p.Current
}

// Lists for the forms: codes, which the template names from the catalogues.
func (casePage) HousingTypes() []caseflow.Choice   { return caseflow.HousingTypes }
func (casePage) Requirements() []caseflow.Choice   { return caseflow.Requirements }
func (casePage) AltKinds() []caseflow.Choice       { return caseflow.AlternativeKinds }
func (casePage) AltOutcomes() []caseflow.Choice    { return caseflow.AlternativeOutcomes }
func (casePage) ItemConditions() []caseflow.Choice { return caseflow.ItemConditions }
func (casePage) AppealOutcomes() []caseflow.Choice { return caseflow.AppealOutcomes }

// LetterKinds are the letters the case can have now (caseflow.ReadyLetters).
func (p casePage) LetterKinds() []caseflow.Choice { return caseflow.ReadyLetters(p.Case) }

func (s *Server) caseDetail(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.showCase(w, r, u, casePage{Message: s.sessions.PopString(r.Context(), "flash")})
}

// showCase renders the case for the actor, or explains why not.
func (s *Server) showCase(w http.ResponseWriter, r *http.Request, u *org.User, d casePage) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	c, err := caseflow.Load(r.Context(), s.db, a, id, today(), access.ChannelPage)
	if err != nil {
		s.caseDenied(w, r, u, err)
		return
	}
	d.Case, d.Current, d.Writes, d.Me, d.Today = c, c.Current(), a.Writes(), a.UserID, today().String()
	g, err := access.Authorize(r.Context(), s.db, a, c.Application.PersonID)
	if err != nil {
		s.caseDenied(w, r, u, err)
		return
	}
	d.Tenancy = g.Allows(access.Tenancy)
	if d.Writes {
		if d.Units, err = org.ListUnits(r.Context(), s.db, a.MunicipalityID); err != nil {
			s.serverError(w, r, err)
			return
		}
		if d.Current != nil && c.Application.Status == caseflow.StatusGranted {
			if d.Fitting, err = caseflow.FittingUnits(r.Context(), s.db, a, *d.Current, today()); err != nil {
				s.serverError(w, r, err)
				return
			}
		}
	}
	if d.Writes {
		if d.Provisions, err = caseflow.Provisions(r.Context(), s.db, a.MunicipalityID); err != nil {
			s.serverError(w, r, err)
			return
		}
		if d.Catalog, err = caseflow.Services(r.Context(), s.db, a.MunicipalityID); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	// A decision not yet sent comes back from the user's draft.
	if d.Form == nil && d.Writes {
		if d.Form, d.DraftSaved, err = s.restoreDraft(r, a, fmt.Sprintf("/saker/%d/vedtak", id)); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	// The decision form: the rows as typed after a problem, else the rows
	// in force, plus two empty ones.
	switch {
	case d.Form != nil && d.Form.Has("service_code"):
		in, _ := decisionFromForm(&http.Request{PostForm: d.Form})
		d.Services = append(d.Services, in.Services...)
	case d.Current != nil:
		d.Services = append(d.Services, d.Current.Services...)
	}
	d.Services = append(d.Services, caseflow.Service{}, caseflow.Service{})
	status := http.StatusOK
	if len(d.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, "case", view{Title: tr(r, "casepage.title", id, c.Application.PersonName), Nav: "cases", User: u, Data: d, Status: status})
}

// caseDenied answers a refused or missing case.
func (s *Server) caseDenied(w http.ResponseWriter, r *http.Request, u *org.User, err error) {
	s.logRefusal(r, u, err)
	switch {
	case errors.Is(err, caseflow.ErrNotFound), errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrForbidden), errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.serverError(w, r, err)
	}
}

// caseAction runs one change to a case in a transaction. Done, it returns
// to the case page with the message; bad input shows the page again with
// what was wrong and the form as typed, and nothing stored.
func (s *Server) caseAction(w http.ResponseWriter, r *http.Request, u *org.User, act func(tx *store.Tx, a access.Actor, id int64) (string, error)) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	var done string
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		if done, err = act(tx, s.actor(r, u), id); err != nil {
			return err
		}
		return deleteDraft(r, tx, s.actor(r, u))
	})
	var bad *invalid.Error
	switch {
	case errors.As(err, &bad):
		s.showCase(w, r, u, casePage{Problems: problemsFor(r, bad.Problems), Form: r.PostForm, Fields: newForm(r, caseFormFields(r), bad.Problems)})
	case errors.Is(err, caseflow.ErrStale):
		s.showCase(w, r, u, casePage{Problems: problemsFor(r, invalid.Refusals(err))})
	case err != nil:
		s.caseDenied(w, r, u, err)
	default:
		s.saved(w, r, done, fmt.Sprintf("/saker/%d", id))
	}
}

// caseForms are the fields of the case page's forms, by the part of the
// path after /saker/{id}/; the ids are the elements' on the page. A field
// may be named twice: by the bokmål word the case rules use, and by the
// catalogue key of the label a number or date that does not parse is
// reported under (words.field.*), which is in the reader's language. The
// first match wins, so a field whose words are part of another's comes
// first.
var caseForms = map[string][]formField{
	"opplysninger": {{"q-what", "what", "hva som mangler"}, {"q-due", "due_on", "svarfrist"}, {"q-due", "due_on", "words.field.respond_by"}},
	"moter": {{"mt-date", "held_on", "møtedato"}, {"mt-date", "held_on", "words.field.meeting_date"}, {"mt-who", "participants", "deltakere"},
		{"mt-summary", "summary", "referat"}},
	"alternativer": {{"al-kind", "alt_kind", "alternativ"}, {"al-outcome", "alt_outcome", "utfallet"}, {"al-text", "assessment", "vurderingen"}},
	"tjenester-uten-vedtak": {{"in-hours", "hours", "timer per uke"}, {"in-hours", "hours", "words.field.hours"}, {"in-end", "end_on", "sluttdato"},
		{"in-end", "end_on", "words.field.end_date"}, {"in-start", "start_on", "words.field.start_date"}, {"in-unit", "provider", "enhet"},
		{"in-unit", "provider", "words.field.provider"}, {"in-service", "service", "tjenesten"}},
	"veiledning": {{"g-on", "given_on", "datoen for veiledningen"}, {"g-on", "given_on", "words.field.date"}, {"g-unit", "guidance_unit", "enheten"},
		{"g-unit", "guidance_unit", "words.field.org_unit"}, {"g-summary", "guidance_summary", "veiledning"}},
	"vedtak": {{"v-date", "decided_on", "vedtaksdato"}, {"v-date", "decided_on", "words.field.decided_on"}, {"v-outcome", "outcome", "innvilges eller avslås"},
		{"v-type", "housing_type", "type bolig"}, {"v-rooms", "rooms", "10 rom"}, {"v-rooms", "rooms", "words.field.rooms"},
		{"v-requirements", "requirements", "krav til boligen"}, {"v-coord-note", "coordinator_note", "koordinator: hvorfor"},
		{"v-coord-note", "coordinator_note", "koordinator: grunnen"}, {"v-agreed", "coordinator_agreed", "koordinator: oppgi om"},
		{"v-coord", "coordinator", "koordinator"}, {"v-participant", "participant_agreement", "deltakeravtalen"},
		{"v-services", "service_code", "tjeneste"}, {"v-cond", "conditions", "vilkårene"}, {"v-reasons", "reasons", "begrunnelsen"},
		{"v-law", "legal_basis_codes", "hjemmel"}, {"v-why", "amendment_reason", "grunnen til endringen"}},
	"tilbud": {{"o-passed", "passed_over_reason", "forbigåelse"}, {"o-by", "respond_by", "svarfrist"}, {"o-by", "respond_by", "words.field.respond_by"},
		{"o-unit", "unit", "bolig"}, {"o-unit", "unit", "words.field.vacant_unit"}},
	"kontrakt": {{"l-term", "term", "ukjent leieperiode"}, {"l-held", "deposit_held", "hvor depositumet står"}, {"l-deposit", "deposit", "depositum"},
		{"l-deposit", "deposit", "words.field.deposit"}, {"l-months", "months", "måneder"}, {"l-months", "months", "words.field.months"},
		{"l-end", "end_date", "sluttdato"}, {"l-end", "end_date", "words.field.end_date"}, {"l-term", "term", "leieperiode"},
		{"l-start", "start_date", "words.field.lease_start"}, {"l-signed", "signed_on", "signert"}, {"l-signed", "signed_on", "words.field.signed"},
		{"l-rent", "rent", "words.field.rent"}, {"l-rules", "house_rules", "husordensreglene"}, {"l-agreement", "followup_agreement", "oppfølgingsavtalen"}},
	"klager": {{"k-received", "received_on", "mottatt"}, {"k-received", "received_on", "words.field.received"}, {"k-grounds", "grounds", "klagen"}},
}

// caseFormFields are the fields of the case-page form r posted; a form
// of one lease or offer has that one's id in its elements' ids.
func caseFormFields(r *http.Request) []formField {
	parts := strings.Split(r.URL.Path, "/") // "", "saker", id, form...
	if len(parts) < 4 {
		return nil
	}
	form := parts[3:]
	switch {
	case len(form) == 1:
		return caseForms[form[0]]
	case len(form) == 3 && form[0] == "kontrakt" && form[2] == "avslutt":
		lid := form[1]
		return []formField{{"t-date-" + lid, "terminated_on", "sluttdato"}, {"t-date-" + lid, "terminated_on", "words.field.end_date"},
			{"t-why-" + lid, "reason", "grunnen"}}
	case len(form) == 3 && form[0] == "tilbud" && form[2] == "svar":
		return []formField{{"o-reason", "reason", "grunnen"}}
	}
	return nil
}

// subID reads a second id from the path; a bad one is a form problem.
func subID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PathValue(name), 10, 64)
	return n
}

func (s *Server) takeCase(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		return tr(r, "flash.case.taken"), caseflow.TakeCase(r.Context(), tx, a, id)
	})
}

func (s *Server) requestInfo(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		nums := numbersIn(r)
		in := caseflow.RequestInput{What: r.PostFormValue("what"), DueOn: nums.Date("due_on", "words.field.respond_by")}
		if err := nums.Err(); err != nil {
			return "", err
		}
		_, err := caseflow.RequestInformation(r.Context(), tx, a, id, in, today())
		return tr(r, "flash.case.requested"), err
	})
}

func (s *Server) markReceived(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		return tr(r, "flash.case.received"), caseflow.MarkReceived(r.Context(), tx, a, id, subID(r, "rid"), today())
	})
}

func (s *Server) logMeeting(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		nums := numbersIn(r)
		in := caseflow.Meeting{HeldOn: nums.Date("held_on", "words.field.meeting_date"), Participants: r.PostFormValue("participants"), Summary: r.PostFormValue("summary")}
		if err := nums.Err(); err != nil {
			return "", err
		}
		_, err := caseflow.LogMeeting(r.Context(), tx, a, id, in, today())
		return tr(r, "flash.case.meeting"), err
	})
}

func (s *Server) considerAlternative(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		_, err := caseflow.ConsiderAlternative(r.Context(), tx, a, id, caseflow.Alternative{Kind: caseflow.AlternativeKind(r.PostFormValue("alt_kind")), Outcome: caseflow.AlternativeOutcome(r.PostFormValue("alt_outcome")),
			Assessment: r.PostFormValue("assessment")})
		return tr(r, "flash.case.assessment"), err
	})
}

func (s *Server) startInterim(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		nums := numbersIn(r)
		in := caseflow.Interim{Service: r.PostFormValue("service"), HoursPerWeek: nums.Decimal("hours", "words.field.hours"),
			ProviderUnitID: nums.ID("provider", "words.field.provider"), StartOn: nums.Date("start_on", "words.field.start_date"), EndOn: nums.Date("end_on", "words.field.end_date")}
		if err := nums.Err(); err != nil {
			return "", err
		}
		x, err := caseflow.StartInterim(r.Context(), tx, a, id, in, today())
		return strings.TrimSpace(tr(r, "flash.case.interim") + " " + noticeText(language(r), x.Notice)), err
	})
}

// recordGuidance records advice and guidance given without a decision
// (sosialtjenesteloven § 17).
func (s *Server) recordGuidance(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		nums := numbersIn(r)
		in := caseflow.Guidance{Summary: r.PostFormValue("guidance_summary"), GivenOn: nums.Date("given_on", "words.field.date"), ProviderUnitID: nums.ID("guidance_unit", "words.field.org_unit")}
		if err := nums.Err(); err != nil {
			return "", err
		}
		_, err := caseflow.RecordGuidance(r.Context(), tx, a, id, in, today())
		return translate(language(r), "lawb.guidance.saved"), err
	})
}

// decisionFromForm reads the decision form, with its rows of services; a
// number that does not parse is a problem, never 0.
func decisionFromForm(r *http.Request) (caseflow.DecisionInput, error) {
	nums := numbersIn(r)
	in := caseflow.DecisionInput{Outcome: caseflow.Outcome(r.PostFormValue("outcome")), HousingType: housing.Category(r.PostFormValue("housing_type")), Rooms: nums.Int("rooms", "words.field.rooms"),
		Requirements: r.PostForm["requirements"], Coordinator: r.PostFormValue("coordinator"), Conditions: r.PostFormValue("conditions"),
		CoordinatorAgreed: r.PostFormValue("coordinator_agreed"), CoordinatorNote: r.PostFormValue("coordinator_note"),
		ParticipantAgreement: r.PostFormValue("participant_agreement") == "ja",
		Reasons:              r.PostFormValue("reasons"), LegalBasisCodes: r.PostForm["legal_basis_codes"], DecidedOn: nums.Date("decided_on", "words.field.decided_on"),
		AmendmentReason: r.PostFormValue("amendment_reason"), BaseVersion: nums.Int("base_version", "words.field.decision_version")}
	names, hours, units, starts, ends := r.PostForm["service_code"], r.PostForm["service_hours"], r.PostForm["service_unit"], r.PostForm["service_start"], r.PostForm["service_end"]
	extents, needs := r.PostForm["service_extent"], r.PostForm["service_need"]
	at := func(list []string, i int) string {
		if i < len(list) {
			return strings.TrimSpace(list[i])
		}
		return ""
	}
	for i := range names {
		if at(names, i) == "" && at(hours, i) == "" && at(starts, i) == "" && at(needs, i) == "" {
			continue // an empty row
		}
		row := func(key string) string { return tr(r, "words.field.row", tr(r, key), i+1) }
		// "Etter behov" states the extent by a description, not hours.
		asNeeded := at(extents, i) == "behov"
		var h float64
		if !asNeeded || at(hours, i) != "" {
			h = nums.decimalText(at(hours, i), row("words.field.hours"))
		}
		unit := nums.idText(at(units, i), row("words.field.org_unit"))
		in.Services = append(in.Services, caseflow.Service{Code: at(names, i), HoursPerWeek: h, AsNeeded: asNeeded, AsNeededText: at(needs, i),
			ProviderUnitID: unit, StartOn: nums.dateText(at(starts, i), row("words.field.start_date")), EndOn: nums.dateText(at(ends, i), row("words.field.end_date"))})
	}
	return in, nums.Err()
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		in, err := decisionFromForm(r)
		if err != nil {
			return "", err
		}
		d, err := caseflow.Decide(r.Context(), tx, a, id, in, today())
		if d.Version > 1 {
			return tr(r, "flash.case.amended", d.Version), err
		}
		return tr(r, "flash.case.decided"), err
	})
}

func (s *Server) makeOffer(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		nums := numbersIn(r)
		unit := nums.ID("unit", "words.field.vacant_unit")
		respond := nums.Date("respond_by", "words.field.respond_by")
		if err := nums.Err(); err != nil {
			return "", err
		}
		o, err := caseflow.MakeOffer(r.Context(), tx, a, id, caseflow.OfferInput{UnitID: unit, RespondBy: respond, PassedOverReason: r.PostFormValue("passed_over_reason")}, today())
		return tr(r, "flash.case.offered", o.UnitCode), err
	})
}

func (s *Server) answerOffer(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		_, msg, err := caseflow.AnswerOffer(r.Context(), tx, a, id, subID(r, "oid"), caseflow.OfferAnswer{Accept: r.PostFormValue("answer") == "ja",
			Reason: r.PostFormValue("reason")}, today())
		return messageText(r, msg), err
	})
}

func (s *Server) signLease(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		nums := numbersIn(r)
		in := caseflow.LeaseInput{Start: nums.Date("start_date", "words.field.lease_start"), Term: r.PostFormValue("term"), Months: nums.Int("months", "words.field.months"),
			EndDate: nums.Date("end_date", "words.field.end_date"), DepositHeld: r.PostFormValue("deposit_held"),
			RentMonthly: nums.Int("rent", "words.field.rent"), Deposit: nums.Int("deposit", "words.field.deposit"), HouseRules: r.PostFormValue("house_rules"),
			FollowUpAgreement: r.PostFormValue("followup_agreement"), SignedOn: nums.Date("signed_on", "words.field.signed")}
		if err := nums.Err(); err != nil {
			return "", err
		}
		_, err := caseflow.SignLease(r.Context(), tx, a, id, in, today())
		return tr(r, "flash.case.signed"), err
	})
}

func (s *Server) recordInspection(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		nums := numbersIn(r)
		in := caseflow.Inspection{Kind: caseflow.InspectionKind(r.PostFormValue("inspection_kind")), HeldOn: nums.Date("held_on", "words.field.inspection_date")}
		if err := nums.Err(); err != nil {
			return "", err
		}
		items, conds, notes := r.PostForm["item"], r.PostForm["item_condition"], r.PostForm["item_note"]
		for i := range items {
			it := caseflow.InspectionItem{Item: items[i]}
			if i < len(conds) {
				it.Condition = conds[i]
			}
			if i < len(notes) {
				it.Note = notes[i]
			}
			in.Items = append(in.Items, it)
		}
		_, err := caseflow.RecordInspection(r.Context(), tx, a, id, subID(r, "lid"), in, today())
		return tr(r, "flash.case.inspection"), err
	})
}

func (s *Server) terminateLease(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		nums := numbersIn(r)
		in := caseflow.Termination{On: nums.Date("terminated_on", "words.field.end_date"), Reason: r.PostFormValue("reason")}
		if err := nums.Err(); err != nil {
			return "", err
		}
		return tr(r, "flash.case.terminated"), caseflow.TerminateLease(r.Context(), tx, a, id, subID(r, "lid"), in, today())
	})
}

func (s *Server) registerAppeal(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		nums := numbersIn(r)
		in := caseflow.AppealInput{ReceivedOn: nums.Date("received_on", "words.field.received"), Grounds: r.PostFormValue("grounds")}
		if err := nums.Err(); err != nil {
			return "", err
		}
		x, err := caseflow.RegisterAppeal(r.Context(), tx, a, id, in, today())
		if x.Late {
			return tr(r, "flash.case.appeal_late", dateFor(r, x.AppealDue)), err
		}
		return tr(r, "flash.case.appeal"), err
	})
}

func (s *Server) advanceAppeal(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		nums := numbersIn(r)
		in := caseflow.AppealStep{Step: r.PostFormValue("step"), Outcome: r.PostFormValue("appeal_outcome"), Note: r.PostFormValue("note"), On: nums.Date("on", "words.field.date")}
		if err := nums.Err(); err != nil {
			return "", err
		}
		x, err := caseflow.AdvanceAppeal(r.Context(), tx, a, id, subID(r, "xid"), in, today())
		return tr(r, "flash.case.appeal_step", strings.ToLower(label(language(r), "case.appeal_status", string(x.Status)))), err
	})
}

func (s *Server) letterSent(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.caseAction(w, r, u, func(tx *store.Tx, a access.Actor, id int64) (string, error) {
		kind := r.PathValue("kind")
		nums := numbersIn(r)
		in := caseflow.SendInput{Channel: r.PostFormValue("channel"), SentOn: nums.Date("sent_on", "words.field.sent_on")}
		if err := nums.Err(); err != nil {
			return "", err
		}
		return messageText(r, invalid.F("%s er registrert som sendt.", i18n.Name("case.letter", kind))), caseflow.RecordLetterSent(r.Context(), tx, a, id, kind, in, today())
	})
}

// letter shows a letter as an accessible HTML page, or as PDF.
func (s *Server) letter(asPDF bool) func(http.ResponseWriter, *http.Request, *org.User) {
	return func(w http.ResponseWriter, r *http.Request, u *org.User) {
		id, ok := pathID(r)
		if !ok {
			s.errorPage(w, r, http.StatusNotFound)
			return
		}
		kind := r.PathValue("kind")
		l, err := caseflow.MakeLetter(r.Context(), s.db, s.actor(r, u), id, kind, today(), access.ChannelPage)
		var bad *invalid.Error
		if errors.As(err, &bad) {
			s.showCase(w, r, u, casePage{Problems: problemsFor(r, append([]invalid.Message{invalid.F("%s kan ikke lages", i18n.Name("case.letter", kind))}, bad.Problems...))})
			return
		}
		if err != nil {
			s.caseDenied(w, r, u, err)
			return
		}
		if asPDF {
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="sak-%d-%s.pdf"`, id, kind))
			w.Header().Set("Cache-Control", "no-store")
			if err := l.WritePDF(w, time.Now()); err != nil {
				s.log.Error("letter pdf", "error", err.Error())
			}
			return
		}
		s.render(w, r, "letter", view{Title: l.Title, Nav: "cases", User: u, Data: struct {
			Letter        caseflow.Letter
			ApplicationID int64
			Writes        bool
			Resident      bool
		}{l, id, s.actor(r, u).Writes(), u.Role == access.Resident}})
	}
}

// caseAttachment sends a document attached to the case.
func (s *Server) caseAttachment(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	x, data, err := caseflow.CaseAttachment(r.Context(), s.db, s.actor(r, u), id, subID(r, "aid"), access.ChannelPage)
	if err != nil {
		s.caseDenied(w, r, u, err)
		return
	}
	sendAttachment(w, x, data)
}

func sendAttachment(w http.ResponseWriter, x caseflow.Attachment, data []byte) {
	w.Header().Set("Content-Type", x.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(x.Filename))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(data)
}

// overview is the leaders' view of open cases by phase.
func (s *Server) overview(w http.ResponseWriter, r *http.Request, u *org.User) {
	phases, err := caseflow.Overview(r.Context(), s.db, s.actor(r, u), today())
	if errors.Is(err, access.ErrForbidden) {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var total caseflow.Phase
	for _, p := range phases {
		total.Count += p.Count
		total.Overdue += p.Overdue
		total.MaxDays = max(total.MaxDays, p.MaxDays)
	}
	s.render(w, r, "overview", view{Title: tr(r, "overview.title"), Nav: "overview", User: u, Data: struct {
		Phases []caseflow.Phase
		Total  caseflow.Phase
	}{phases, total}})
}

func (s *Server) readNotification(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, _ := pathID(r)
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return caseflow.MarkNotificationRead(r.Context(), tx, s.actor(r, u), id)
	})
	s.flashThenRedirect(w, r, u, err, tr(r, "flash.notification_read"), "/saker")
}
