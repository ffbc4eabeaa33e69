package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/movingon"
	"husly/internal/org"
	"husly/internal/risk"
	"husly/internal/store"
)

// Keeping the home: the risk list, ranked by urgency, per building and per
// resident (/bosikring, the hub whose sub-navigation links every part of
// keeping the home), and moving on (/bosikring/videre): renewal decisions
// at a lease's end, plans toward ordinary housing, credit checks with
// permission.

// The fields of the moving-on page's forms (templates/keeping_movingon.html),
// by route, for a form sent back with its problems (keptforms.go). A form
// repeated per awaiting lease names its row by the posted lease; the
// appeal's two forms (the unit's review, Statsforvalteren's outcome) are
// never on the page at once, so they share the note's id. The plan's and
// the credit check's forms are shown only to those who see the resident's
// finances; the resident's appeal on Min side (templates/keeping_mine.html)
// is one form per decision.
var _ = declareForms(map[string][]formField{
	"POST /bosikring/videre/plan": {{"pl-goal", "goal", "målet for planen"}, {"pl-startlan", "startlan", "startlån"}, {"pl-bostotte", "bostotte", "bostøtte"},
		{"pl-saving", "saving_monthly", "keeping.field.saving_monthly"}, {"pl-saving", "saving_monthly", "sparing per måned"}, {"pl-saving", "saving_monthly", "sparebeløpet"},
		{"pl-saved", "saved", "keeping.field.saved"}, {"pl-target", "target_on", "keeping.field.target"}, {"pl-target", "target_on", "måldato"},
		{"pl-next", "next_step", "neste steg"}},
	"POST /bosikring/videre/kredittsjekk": {{"cc-consent", "consent", "keeping.field.consent"}, {"cc-consent", "consent", "samtykke"},
		{"cc-result", "result", "resultatet av kredittsjekken"}, {"cc-on", "checked_on", "keeping.field.checked"}, {"cc-on", "checked_on", "datoen for kredittsjekken"},
		{"cc-note", "note", "merknaden"}},
	"POST /min-side/bolig/{id}/klage": {{"grounds-{id}", "grounds", "klager på"}, {"grounds-{id}", "grounds", "klagen kan ha"}},
	"POST /bosikring/videre/fornyelse": {{"oc-{lease}", "outcome", "velg vedtaket"}, {"rs-{lease}", "reason", "begrunnelse"},
		{"ne-{lease}", "new_end_on", "keeping.field.new_end"}, {"ne-{lease}", "new_end_on", "ny sluttdato"}},
	"POST /bosikring/videre/flytting": {{"mv-lease", "lease", "keeping.field.lease"}, {"mv-outcome", "outcome", "velg flyttingen"}, {"mv-reason", "reason", "begrunnelse"},
		{"mv-offered", "offered", "tilbud om"}, {"mv-offered", "offered", "tilbudet"}, {"mv-on", "move_on", "keeping.field.move_on"}, {"mv-on", "move_on", "flyttedato"},
		{"mv-decided", "decided_on", "keeping.field.decided"}, {"mv-decided", "decided_on", "vedtaksdato"}},
	"POST /bosikring/videre/vedtak/{id}/sendt": {{"ch-{id}", "channel", "velg hvordan brevet ble sendt"}, {"so-{id}", "sent_on", "keeping.field.sent_on"},
		{"so-{id}", "sent_on", "sendt"}},
	"POST /bosikring/videre/vedtak/{id}/klage": {{"rv-{id}", "received_on", "keeping.field.received_on"}, {"rv-{id}", "received_on", "mottatt-datoen"}, {"rv-{id}", "received_on", "være mottatt"},
		{"gr-{id}", "grounds", "klager på"}, {"gr-{id}", "grounds", "klagen kan ha"}},
	"POST /bosikring/videre/klage/{id}": {{"rc-{id}", "reconsideration", "velg om vedtaket"}, {"rn-{id}", "note", "enhetens vurdering av klagen"},
		{"rn-{id}", "note", "merknaden"}, {"so-{id}-out", "outcome", "statsforvalterens utfall"}, {"so-{id}-on", "on", "keeping.field.step_on"},
		{"so-{id}-on", "on", "datoen"}},
})

func (s *Server) keepingPages() []route {
	return []route{
		{"GET", "/bosikring", s.page(s.riskPage)},
		{"GET", "/bosikring/videre", s.page(s.movingOnPage)},
		{"POST", "/bosikring/videre/fornyelse", s.page(s.recordRenewal)},
		{"POST", "/bosikring/videre/plan", s.page(s.saveMovingOnPlan)},
		{"POST", "/bosikring/videre/kredittsjekk", s.page(s.recordCreditCheck)},
		{"GET", "/bosikring/videre/vedtak/{id}/brev.pdf", s.page(s.renewalLetterPDF)},
		{"POST", "/bosikring/videre/flytting", s.page(s.recordMove)},
		{"POST", "/bosikring/videre/vedtak/{id}/sendt", s.page(s.recordDecisionNotified)},
		{"POST", "/bosikring/videre/vedtak/{id}/klage", s.page(s.registerDecisionAppeal)},
		{"POST", "/bosikring/videre/klage/{id}", s.page(s.advanceDecisionAppeal)},
		{"GET", "/min-side/bolig", s.page(s.myTenancyDecisions)},
		{"POST", "/min-side/bolig/{id}/klage", s.page(s.appealMyDecision)},
		{"GET", "/min-side/bolig/{id}/brev.pdf", s.page(s.myDecisionLetter)},
	}
}

// riskListLimit is how many tenancies one page of the risk list shows:
// the most urgent; the count says how many more there are.
const riskListLimit = 200

// keepingLink is one link of the sub-navigation of keeping the home.
type keepingLink struct {
	Href, Key string
	Current   bool
	// Roles are the roles the part serves; none: every staff role that
	// reaches keeping the home.
	Roles []access.Role
}

// keepingParts are the parts of keeping the home, in the order the
// sub-navigation shows them.
var keepingParts = []keepingLink{
	{Href: "/bosikring", Key: "keeping.nav.risk"},
	{Href: "/bosikring/videre", Key: "keeping.nav.movingon"},
	{Href: "/bosikring/restanser", Key: "keeping.nav.arrears"},
	{Href: "/bosikring/klager", Key: "keeping.nav.complaints"},
	{Href: "/bosikring/eskalering", Key: "keeping.nav.ladder"},
	{Href: "/bosikring/overganger", Key: "keeping.nav.transitions"},
	{Href: "/bosikring/midlertidig", Key: "keeping.nav.temporary"},
	// Home checks are property's and follow-up's work (and their leader's).
	{Href: "/bosikring/besok", Key: "keeping.nav.visits", Roles: []access.Role{access.Property, access.FollowUp, access.UnitLeader}},
}

var (
	pageRoutesOnce sync.Once
	pageRoutes     map[string]bool
)

// KeepingNav is the sub-navigation of keeping the home: only the parts
// whose page exists in the server's route table, the current one marked.
func (v view) KeepingNav() []keepingLink {
	pageRoutesOnce.Do(func() {
		pageRoutes = map[string]bool{}
		for _, rt := range (&Server{}).pageTable() {
			if rt.method == "GET" {
				pageRoutes[rt.path] = true
			}
		}
	})
	var out []keepingLink
	for _, l := range keepingParts {
		if pageRoutes[l.Href] && (len(l.Roles) == 0 || v.User != nil && slices.Contains(l.Roles, v.User.Role)) {
			l.Current = l.Href == v.Path
			out = append(out, l)
		}
	}
	return out
}

// keepingRead answers a page whose read failed.
func (s *Server) keepingRead(w http.ResponseWriter, r *http.Request, u *org.User, err error) {
	var bad *invalid.Error
	switch {
	case errors.Is(err, movingon.ErrNotFound), errors.Is(err, access.ErrUnknownPerson), errors.As(err, &bad):
		// A renewal has no decision letter: there is no such letter.
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrForbidden), errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.serverError(w, r, err)
	}
}

// queryNumber reads a positive id from the query string (0 when absent).
func queryNumber(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

type riskPageData struct {
	List     risk.List
	Building int64
	Person   int64
	Message  string
}

func (s *Server) riskPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	rd := access.NewReader(s.db, a, access.ChannelPage)
	q := risk.Query{Today: today(), BuildingID: queryNumber(r, "bygg"), PersonID: queryNumber(r, "person")}
	l, err := risk.Read(r.Context(), rd, q, riskListLimit)
	if err != nil {
		s.keepingRead(w, r, u, err)
		return
	}
	d := riskPageData{List: l, Building: q.BuildingID, Person: q.PersonID, Message: s.sessions.PopString(r.Context(), "flash")}
	s.render(w, r, "keeping", view{Title: translate(language(r), "keeping.title"), Nav: "keeping", User: u, Data: d})
}

type movingOnPageData struct {
	Overview movingon.Overview
	Resident *movingon.Resident
	Person   int64
	Decides  bool
	Outcomes []movingon.Outcome
	Goals    []movingon.Goal
	Startlan []movingon.Startlan
	Bostotte []movingon.Bostotte
	Results  []movingon.CreditResult
	// MoveOutcomes, Channels, Reconsiderations and AppealOutcomes are the
	// choices of the move decision, the letter's notification and the
	// appeal's steps.
	MoveOutcomes     []movingon.Outcome
	Channels         []caseflow.Choice
	Reconsiderations []movingon.Reconsideration
	AppealOutcomes   []movingon.AppealOutcome
	Finances         bool
	Message          string
	// Plan is the resident's plan as the form starts from.
	Plan movingon.Plan
	// Basis is what a renewal decision rests on, beside the form.
	Basis *renewalBasis
}

// renewalBasis is what the renewal decision at a lease's end is based on
// (the situation, issue point 9; husleieloven § 11-1 and the municipality's
// three-year leases): the resident's current risk reasons as the viewer's
// grant allows them (read and logged as the risk list is), among them the
// open arrears, and the moving-on plan's status. A category the viewer
// lacks is left out, and the page says so instead of saying "none".
type renewalBasis struct {
	Reasons []risk.Reason
	// Finances says the viewer's grant includes the resident's finances:
	// arrears and the plan are shown, or their absence stated.
	Finances bool
	// Arrears says an arrears reason is among the reasons.
	Arrears bool
	Plan    *movingon.PlanRow
}

// renewalBasisOf reads the basis for one resident through rd.
func renewalBasisOf(ctx context.Context, rd *access.Reader, person int64, plans []access.Personal[movingon.PlanRow]) (*renewalBasis, error) {
	l, err := risk.Read(ctx, rd, risk.Query{Today: today(), PersonID: person}, 0)
	if errors.Is(err, access.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	g, err := rd.Authorize(ctx, person)
	if err != nil {
		return nil, err
	}
	b := &renewalBasis{Reasons: []risk.Reason{}, Finances: g.Allows(access.Finances)}
	for _, row := range l.Rows {
		for _, reason := range row.Value().Reasons {
			if v := reason.Value(); v.Kind != "" {
				b.Reasons = append(b.Reasons, v)
				b.Arrears = b.Arrears || v.Kind == risk.Arrears
			}
		}
	}
	for _, p := range plans {
		if v := p.Value(); v.ID != 0 && v.PersonID == person {
			b.Plan = &v
		}
	}
	return b, nil
}

func (s *Server) movingOnPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	rd := access.NewReader(s.db, a, access.ChannelPage)
	d := movingOnPageData{Person: queryNumber(r, "person"), Outcomes: movingon.Outcomes, Goals: movingon.Goals, Startlan: movingon.StartlanStates,
		Bostotte: movingon.BostotteStates, Results: movingon.CreditResults, Message: s.sessions.PopString(r.Context(), "flash"),
		Decides: movingon.Decides(a), MoveOutcomes: movingon.MoveOutcomes, Channels: caseflow.SendChannels, Reconsiderations: movingon.Reconsiderations,
		AppealOutcomes: movingon.AppealOutcomes}
	var err error
	if d.Person > 0 {
		var res movingon.Resident
		res, err = movingon.ReadResident(r.Context(), rd, d.Person, today())
		d.Resident, d.Overview = &res, res.Overview
		for _, p := range res.Plans {
			if v := p.Value(); v.ID != 0 {
				d.Plan = v.Plan
			}
		}
		if err == nil {
			g, gerr := rd.Authorize(r.Context(), d.Person)
			d.Finances = gerr == nil && g.Allows(access.Finances) && a.Writes()
			d.Basis, err = renewalBasisOf(r.Context(), rd, d.Person, res.Plans)
		}
	} else {
		d.Overview, err = movingon.ReadOverview(r.Context(), rd, 0, today())
	}
	if err != nil {
		s.keepingRead(w, r, u, err)
		return
	}
	title := translate(language(r), "keeping.movingon.title")
	if d.Resident != nil && d.Resident.Name.Value() != "" {
		title = d.Resident.Name.Value()
	}
	s.render(w, r, "keeping_movingon", view{Title: title, Nav: "keeping", User: u, Data: d})
}

// movingOnBack is where a moving-on form returns: the resident's page when
// the form came from it, else the overview.
func movingOnBack(r *http.Request) string {
	if p, err := strconv.ParseInt(r.PostFormValue("back_person"), 10, 64); err == nil && p > 0 {
		return "/bosikring/videre?" + url.Values{"person": {strconv.FormatInt(p, 10)}}.Encode()
	}
	return "/bosikring/videre"
}

func (s *Server) keepingDone(w http.ResponseWriter, r *http.Request, u *org.User, err error, done, to string) {
	switch {
	case errors.Is(err, movingon.ErrNotFound), errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.flashThenRedirect(w, r, u, err, done, to)
	}
}

func (s *Server) recordRenewal(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	nums := numbersIn(r)
	in := movingon.RenewalInput{LeaseID: nums.ID("lease", "keeping.field.lease"), PersonID: nums.ID("person", "keeping.field.resident"),
		Outcome: movingon.Outcome(r.PostFormValue("outcome")), Reason: r.PostFormValue("reason"),
		NewEnd: nums.Date("new_end_on", "keeping.field.new_end"), Decided: nums.Date("decided_on", "keeping.field.decided")}
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := movingon.RecordRenewal(r.Context(), tx, a, in, today())
		return err
	})
	s.keepingDone(w, r, u, err, tr(r, "keeping.flash.renewal"), movingOnBack(r))
}

func (s *Server) saveMovingOnPlan(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	nums := numbersIn(r)
	in := movingon.PlanInput{PersonID: nums.ID("person", "keeping.field.resident"), Goal: movingon.Goal(r.PostFormValue("goal")),
		Startlan: movingon.Startlan(r.PostFormValue("startlan")), Bostotte: movingon.Bostotte(r.PostFormValue("bostotte")),
		SavingMonthly: nums.Int("saving_monthly", "keeping.field.saving_monthly"), Saved: nums.Int("saved", "keeping.field.saved"),
		Target: nums.Date("target_on", "keeping.field.target"), NextStep: r.PostFormValue("next_step")}
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := movingon.SavePlan(r.Context(), tx, a, in, today())
		return err
	})
	s.keepingDone(w, r, u, err, tr(r, "keeping.flash.plan"), movingOnBack(r))
}

func (s *Server) recordCreditCheck(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	nums := numbersIn(r)
	in := movingon.CreditInput{PersonID: nums.ID("person", "keeping.field.resident"), ConsentID: nums.ID("consent", "keeping.field.consent"),
		Checked: nums.Date("checked_on", "keeping.field.checked"), Result: movingon.CreditResult(r.PostFormValue("result")), Note: r.PostFormValue("note")}
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := movingon.RecordCreditCheck(r.Context(), tx, a, in, today())
		return err
	})
	s.keepingDone(w, r, u, err, tr(r, "keeping.flash.credit"), movingOnBack(r))
}

// renewalLetterPDF is the letter of a renewal decision that refuses,
// moves or changes the setting: an individual decision with its reasons
// and the right to appeal, built as the case flow's letters are.
func (s *Server) renewalLetterPDF(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	l, err := movingon.RenewalLetter(r.Context(), access.NewReader(s.db, a, access.ChannelPage), id, today())
	if err != nil {
		s.keepingRead(w, r, u, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="fornyelsesvedtak-`+strconv.FormatInt(id, 10)+`.pdf"`)
	if err := l.WritePDF(w, time.Now()); err != nil {
		s.log.Error("renewal letter", "err", err)
	}
}

// recordMove records a move decision during the lease: to a more
// supported setting or on to ordinary housing, with its reasons, what is
// offered and the planned move date.
func (s *Server) recordMove(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	nums := numbersIn(r)
	in := movingon.MoveInput{LeaseID: nums.ID("lease", "keeping.field.lease"), PersonID: nums.ID("person", "keeping.field.resident"),
		Outcome: movingon.Outcome(r.PostFormValue("outcome")), Reason: r.PostFormValue("reason"), Offered: r.PostFormValue("offered"),
		MoveOn: nums.Date("move_on", "keeping.field.move_on"), Decided: nums.Date("decided_on", "keeping.field.decided")}
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := movingon.RecordMove(r.Context(), tx, a, in, today())
		return err
	})
	s.keepingDone(w, r, u, err, tr(r, "keeping.flash.move"), movingOnBack(r))
}

// recordDecisionNotified records how and when a decision's letter was
// sent; the appeal deadline runs from when it reached the resident.
func (s *Server) recordDecisionNotified(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	nums := numbersIn(r)
	in := movingon.NotifyInput{Channel: r.PostFormValue("channel"), SentOn: nums.Date("sent_on", "keeping.field.sent_on")}
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := movingon.RecordNotified(r.Context(), tx, a, id, in, today())
		return err
	})
	s.keepingDone(w, r, u, err, tr(r, "keeping.flash.notified"), movingOnBack(r))
}

// registerDecisionAppeal registers an appeal the office received (by
// post, at the counter) on the day it came.
func (s *Server) registerDecisionAppeal(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	nums := numbersIn(r)
	in := movingon.AppealInput{Grounds: r.PostFormValue("grounds"), ReceivedOn: nums.Date("received_on", "keeping.field.received_on")}
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := movingon.RegisterAppeal(r.Context(), tx, a, id, in, today())
		return err
	})
	s.keepingDone(w, r, u, err, tr(r, "keeping.flash.appeal"), movingOnBack(r))
}

// advanceDecisionAppeal records the unit's reconsideration or
// Statsforvalteren's outcome.
func (s *Server) advanceDecisionAppeal(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	nums := numbersIn(r)
	in := movingon.AppealStepInput{Reconsideration: movingon.Reconsideration(r.PostFormValue("reconsideration")), Outcome: movingon.AppealOutcome(r.PostFormValue("outcome")),
		Note: r.PostFormValue("note"), On: nums.Date("on", "keeping.field.step_on")}
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := movingon.AdvanceAppeal(r.Context(), tx, a, id, in, today())
		return err
	})
	s.keepingDone(w, r, u, err, tr(r, "keeping.flash.appeal_step"), movingOnBack(r))
}

type myTenancyPage struct {
	Decisions []access.Personal[movingon.Renewal]
	Today     deadline.Date
	Message   string
}

// myTenancyDecisions is Min side's page of the resident's decisions about
// their home: what was decided and why, the move, the letter, the
// deadline, and a form to appeal, in plain words.
func (s *Server) myTenancyDecisions(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if a.Role != access.Resident || u.PersonID == 0 {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ds, err := movingon.Mine(r.Context(), access.NewReader(s.db, a, access.ChannelPage))
	if err != nil {
		s.keepingRead(w, r, u, err)
		return
	}
	d := myTenancyPage{Decisions: ds, Today: today(), Message: s.sessions.PopString(r.Context(), "flash")}
	s.render(w, r, "keeping_mine", view{Title: translate(language(r), "keeping.mine.title"), Nav: "home-decisions", User: u, Data: d})
}

// appealMyDecision is the resident's appeal from Min side, received today;
// a late one is received all the same and marked late.
func (s *Server) appealMyDecision(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	a := s.actor(r, u)
	if !ok || a.Role != access.Resident || u.PersonID == 0 {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	err := s.inTx(r, func(tx *store.Tx) error {
		_, err := movingon.RegisterAppeal(r.Context(), tx, a, id, movingon.AppealInput{Grounds: r.PostFormValue("grounds")}, today())
		return err
	})
	s.keepingDone(w, r, u, err, tr(r, "keeping.mine.sent"), "/min-side/bolig")
}

// myDecisionLetter is the resident's own copy of a decision's letter.
func (s *Server) myDecisionLetter(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	a := s.actor(r, u)
	if !ok || a.Role != access.Resident || u.PersonID == 0 {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	l, err := movingon.RenewalLetter(r.Context(), access.NewReader(s.db, a, access.ChannelPage), id, today())
	if err != nil {
		s.keepingRead(w, r, u, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="vedtak-`+strconv.FormatInt(id, 10)+`.pdf"`)
	if err := l.WritePDF(w, time.Now()); err != nil {
		s.log.Error("decision letter", "err", err)
	}
}
