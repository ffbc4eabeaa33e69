package web

import (
	"errors"
	"net/http"
	"strconv"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/homecheck"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/transition"
)

// Safe transitions and keeping the home: the transitions register with its
// alerts and report, temporary housing with its long stays and nights by
// month, and the visits after moving in with their checklist and tasks.

func (s *Server) transitionPages() []route {
	return []route{
		{"GET", "/bosikring/overganger", s.page(s.transitionsPage)},
		{"POST", "/bosikring/overganger", s.page(s.registerTransition)},
		{"POST", "/bosikring/overganger/{id}/mote", s.page(s.planTransitionMeeting)},
		{"POST", "/bosikring/overganger/{id}/utfall", s.page(s.transitionOutcome)},
		{"GET", "/bosikring/midlertidig", s.page(s.staysPage)},
		{"POST", "/bosikring/midlertidig", s.page(s.registerStay)},
		{"POST", "/bosikring/midlertidig/{id}/avslutt", s.page(s.endStay)},
		{"POST", "/bosikring/grenser", s.page(s.saveTransitionSettings)},
		{"GET", "/bosikring/besok", s.page(s.visitsPage)},
		{"POST", "/bosikring/besok", s.page(s.recordVisit)},
		{"POST", "/bosikring/besok/oppgaver/{id}/utfort", s.page(s.completeVisitTask)},
	}
}

// The fields of the transitions', stays' and visits' forms that return to
// their lists (templates/transitions.html, stays.html, visits.html), by
// route, for a form sent back with its problems (keptforms.go). Registering
// a transition or a stay shows its form again in place.
var _ = declareForms(map[string][]formField{
	"POST /bosikring/overganger/{id}/mote": {{"m-on-{id}", "meeting_on", "transition.field.meeting"}, {"m-on-{id}", "meeting_on", "planleggingsmøte:"},
		{"m-with-{id}", "meeting_with", "deltakere:"}},
	"POST /bosikring/overganger/{id}/utfall":   {{"o-{id}", "outcome", "utfall:"}, {"od-{id}", "outcome_on", "transition.field.outcome_on"}},
	"POST /bosikring/midlertidig/{id}/avslutt": {{"e-{id}", "end_on", "transition.field.end"}, {"e-{id}", "end_on", "til:"}, {"rk-{id}", "route_kind", "vei ut: velg"}, {"r-{id}", "route_out", "vei ut:"}},
	"POST /bosikring/grenser": {{"g-family", "family_stay_days", "transition.field.family_stay_days"}, {"g-family", "family_stay_days", "lengste opphold for barnefamilier:"},
		{"g-stay", "stay_days", "transition.field.stay_days"}, {"g-stay", "stay_days", "lengste opphold:"},
		{"g-weeks", "visit_weeks", "transition.field.visit_weeks"}, {"g-months", "check_months", "transition.field.check_months"}, {"g-source", "source", "kilde:"}},
	"POST /bosikring/besok":                      {{"vd-{lease}", "done_on", "transition.field.date"}, {"n-{lease}-naboforhold", "note_naboforhold", "«naboforhold»"}, {"n-{lease}-fukt", "note_fukt", "«fukt»"}, {"n-{lease}-skade", "note_skade", "«skade»"}, {"n-{lease}-roykvarsler", "note_roykvarsler", "«roykvarsler»"}, {"n-{lease}-slokkeutstyr", "note_slokkeutstyr", "«slokkeutstyr»"}, {"n-{lease}-moblering", "note_moblering", "«moblering»"}, {"n-{lease}-praktisk", "note_praktisk", "«praktisk»"}},
	"POST /bosikring/besok/oppgaver/{id}/utfort": {},
})

// transitionDone answers a form: problems go back to the page, a refusal
// is a 403, an unknown id a 404.
func (s *Server) transitionDone(w http.ResponseWriter, r *http.Request, u *org.User, err error, done, to string) {
	switch {
	case errors.Is(err, transition.ErrNotFound), errors.Is(err, homecheck.ErrNotFound), errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.flashThenRedirect(w, r, u, err, done, to)
	}
}

// transitionRead answers a page whose read failed.
func (s *Server) transitionRead(w http.ResponseWriter, r *http.Request, u *org.User, err error) {
	switch {
	case errors.Is(err, access.ErrForbidden), errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.serverError(w, r, err)
	}
}

// planner reports whether the actor plans transitions and stays.
func planner(a access.Actor) bool {
	return a.Role == access.CaseWorker || a.Role == access.FollowUp || a.Role == access.UnitLeader
}

// The fields of the forms that register a transition and a stay, in the
// order a problem is tied to them: each message starts with its field's
// name, and a later name may stand inside an earlier message's words.
var transitionFields = []formField{{"t-meeting", "meeting_on", "Planleggingsmøte"}, {"t-leaving", "leaving_on", "Dato"},
	{"t-resp", "responsible", "Ansvarlig"}, {"t-institution", "institution_kind", "Institusjonstype"}, {"tk-institusjon", "kind", "Fra"}, {"t-person", "person", "Person"}, {"t-with", "meeting_with", "Deltakere"}}

var stayFields = []formField{{"s-place", "place", "Sted"}, {"s-owner", "owner", "Eier"}, {"s-person", "person", "Person"},
	{"s-price", "price_per_night", "Pris per døgn"}, {"s-children", "children", "Barn i husstanden"}, {"s-start", "start_on", "Fra"}, {"s-end", "end_on", "Til"}}

// problemsOf is the input problems of err, or nil for any other error.
func problemsOf(err error) []invalid.Message {
	var bad *invalid.Error
	if errors.As(err, &bad) {
		return bad.Problems
	}
	return nil
}

type transitionsPage struct {
	Form         formState
	Mine         []access.Personal[transition.Transition]
	List         []access.Personal[transition.Transition]
	Offers       []access.Personal[transition.Offer]
	Report       []transition.Row
	From, To     deadline.Date
	Persons      []people.Person
	Staff        []org.User
	Kinds        []transition.Kind
	Institutions []transition.InstitutionKind
	Outcomes     []transition.Outcome
	Writes       bool
	// Visits links to the visits after move-in for the roles that make them.
	Visits  bool
	Today   deadline.Date
	Person  int64
	Me      int64
	Message string
}

func (s *Server) transitionsPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.showTransitions(w, r, u, formState{}, http.StatusOK)
}

// showTransitions renders the register, with the registration form as
// posted and its problems when form holds them.
func (s *Server) showTransitions(w http.ResponseWriter, r *http.Request, u *org.User, form formState, status int) {
	a := s.actor(r, u)
	if !a.SeesPersons() && a.Role != access.Planner {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	ctx := r.Context()
	day := today()
	d := transitionsPage{Form: form, Kinds: transition.Kinds, Institutions: transition.Institutions, Outcomes: transition.Outcomes, Writes: planner(a), Visits: recordsVisits(a), Today: day, Me: a.UserID,
		Message: s.sessions.PopString(ctx, "flash"), From: deadline.Of(day.Year, 1, 1), To: deadline.Of(day.Year, 12, 31)}
	if n, err := strconv.ParseInt(r.URL.Query().Get("person"), 10, 64); err == nil {
		d.Person = n
	}
	var err error
	if a.SeesPersons() {
		rd := access.NewReader(s.db, a, access.ChannelPage)
		if d.Mine, err = transition.Alerts(ctx, rd, day, 50); err != nil {
			s.transitionRead(w, r, u, err)
			return
		}
		if d.List, err = transition.List(ctx, rd, transition.Filter{}, day, 200); err != nil {
			s.transitionRead(w, r, u, err)
			return
		}
		if d.Offers, err = transition.Offers(ctx, rd, day, 20); err != nil {
			s.transitionRead(w, r, u, err)
			return
		}
	}
	if d.Writes {
		if d.Persons, err = people.List(ctx, s.db, a, access.ChannelPage, people.CaseFilter{}, people.PageKey{}, 200); err != nil {
			s.transitionRead(w, r, u, err)
			return
		}
		if d.Staff, err = planners(r, s, a); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	counts, err := transition.Report(ctx, s.db, a, d.From, d.To)
	if err != nil {
		s.transitionRead(w, r, u, err)
		return
	}
	d.Report = transition.Table(counts)
	s.render(w, r, "transitions", view{Title: tr(r, "transition.title"), Nav: "keeping", User: u, Data: d, Status: status})
}

// planners are the staff who can be responsible for a transition.
func planners(r *http.Request, s *Server, a access.Actor) ([]org.User, error) {
	all, err := org.ListStaff(r.Context(), s.db, a, 0)
	if err != nil {
		return nil, err
	}
	var out []org.User
	for _, x := range all {
		if planner(access.Actor{Role: x.Role}) {
			out = append(out, x)
		}
	}
	return out, nil
}

func (s *Server) registerTransition(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	in := transition.Input{PersonID: nums.ID("person", "transition.field.person"), Kind: transition.Kind(r.PostFormValue("kind")),
		Institution: transition.InstitutionKind(r.PostFormValue("institution_kind")),
		Leaving:     nums.Date("leaving_on", "transition.field.leaving"), ResponsibleID: nums.ID("responsible", "transition.field.responsible"),
		MeetingOn: nums.Date("meeting_on", "transition.field.meeting"), MeetingWith: r.PostFormValue("meeting_with"),
		ContactID: nums.ID("contact", "transition.field.contact")}
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := transition.Register(r.Context(), tx, a, in)
		return err
	})
	if ps := problemsOf(err); ps != nil {
		s.showTransitions(w, r, u, newForm(r, transitionFields, ps), http.StatusUnprocessableEntity)
		return
	}
	s.transitionDone(w, r, u, err, tr(r, "transition.flash.registered"), "/bosikring/overganger")
}

func (s *Server) planTransitionMeeting(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	on := nums.Date("meeting_on", "transition.field.meeting")
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		return transition.PlanMeeting(r.Context(), tx, a, id, on, r.PostFormValue("meeting_with"))
	})
	s.transitionDone(w, r, u, err, tr(r, "transition.flash.meeting"), "/bosikring/overganger")
}

func (s *Server) transitionOutcome(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	on := nums.Date("outcome_on", "transition.field.outcome_on")
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		return transition.RecordOutcome(r.Context(), tx, a, id, transition.Outcome(r.PostFormValue("outcome")), on, today())
	})
	s.transitionDone(w, r, u, err, tr(r, "transition.flash.outcome"), "/bosikring/overganger")
}

type staysPage struct {
	Form     formState
	List     []access.Personal[transition.Stay]
	People   []access.Personal[transition.PersonNights]
	Planning transition.Planning
	Settings transition.Settings
	Persons  []people.Person
	// Routes are the kinds of route out the end form offers.
	Routes  []transition.Route
	Writes  bool
	Leader  bool
	Visits  bool
	Today   deadline.Date
	Message string
}

func (s *Server) staysPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.showStays(w, r, u, formState{}, http.StatusOK)
}

// showStays renders temporary housing, with the form as posted and its
// problems when form holds them.
func (s *Server) showStays(w http.ResponseWriter, r *http.Request, u *org.User, form formState, status int) {
	a := s.actor(r, u)
	if !a.SeesPersons() && a.Role != access.Planner && a.Role != access.Admin {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	ctx := r.Context()
	day := today()
	set, err := transition.LoadSettings(ctx, s.db, a.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := staysPage{Form: form, Routes: transition.Routes, Settings: set, Writes: planner(a), Visits: recordsVisits(a), Leader: a.Role == access.UnitLeader || a.Role == access.Admin, Today: day,
		Message: s.sessions.PopString(ctx, "flash")}
	if a.SeesPersons() {
		rd := access.NewReader(s.db, a, access.ChannelPage)
		if d.List, err = transition.Stays(ctx, rd, set, day, 200); err != nil {
			s.transitionRead(w, r, u, err)
			return
		}
		if d.People, err = transition.NightsPerPerson(ctx, rd, transition.WindowStart(day), day, 50); err != nil {
			s.transitionRead(w, r, u, err)
			return
		}
	}
	if d.Writes {
		if d.Persons, err = people.List(ctx, s.db, a, access.ChannelPage, people.CaseFilter{}, people.PageKey{}, 200); err != nil {
			s.transitionRead(w, r, u, err)
			return
		}
	}
	if d.Planning, err = transition.PlanningFigures(ctx, s.db, a, set, day); err != nil {
		s.transitionRead(w, r, u, err)
		return
	}
	s.render(w, r, "stays", view{Title: tr(r, "transition.stay.title"), Nav: "keeping", User: u, Data: d, Status: status})
}

func (s *Server) registerStay(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	in := transition.StayInput{PersonID: nums.ID("person", "transition.field.person"), Place: r.PostFormValue("place"), Owner: r.PostFormValue("owner"),
		QualityAssured: r.PostFormValue("quality_assured") == "ja", Start: nums.Date("start_on", "transition.field.start"), End: nums.Date("end_on", "transition.field.end"),
		PricePerNight: nums.Int("price_per_night", "transition.field.price"), Children: nums.Int("children", "transition.field.children"),
		RouteOut: r.PostFormValue("route_out")}
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := transition.RegisterStay(r.Context(), tx, a, in)
		return err
	})
	if ps := problemsOf(err); ps != nil {
		s.showStays(w, r, u, newForm(r, stayFields, ps), http.StatusUnprocessableEntity)
		return
	}
	s.transitionDone(w, r, u, err, tr(r, "transition.flash.stay"), "/bosikring/midlertidig")
}

func (s *Server) endStay(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	end := nums.Date("end_on", "transition.field.end")
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		return transition.EndStay(r.Context(), tx, a, id, end, r.PostFormValue("route_out"), transition.Route(r.PostFormValue("route_kind")))
	})
	s.transitionDone(w, r, u, err, tr(r, "transition.flash.stay_ended"), "/bosikring/midlertidig")
}

func (s *Server) saveTransitionSettings(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	set := transition.Settings{VisitWeeks: nums.Int("visit_weeks", "transition.field.visit_weeks"), CheckMonths: nums.Int("check_months", "transition.field.check_months"),
		StayDays: nums.Int("stay_days", "transition.field.stay_days"), FamilyStayDays: nums.Int("family_stay_days", "transition.field.family_stay_days"),
		Source: r.PostFormValue("source")}
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error { return transition.SaveSettings(r.Context(), tx, a, set) })
	s.transitionDone(w, r, u, err, tr(r, "transition.flash.settings"), "/bosikring/midlertidig")
}

type visitsPage struct {
	Due      []access.Personal[homecheck.DueVisit]
	Tasks    []access.Personal[homecheck.Task]
	Items    []homecheck.Item
	Settings transition.Settings
	Writes   bool
	Today    deadline.Date
	Message  string
}

// recordsVisits reports whether a visits homes after move-in and records
// what it found (seed 002: a visit after moving in checks the home and the
// neighbours): property, follow-up staff and unit leaders. Pages link to
// the visits only for them.
func recordsVisits(a access.Actor) bool {
	return a.Role == access.Property || a.Role == access.FollowUp || a.Role == access.UnitLeader
}

func (s *Server) visitsPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !recordsVisits(a) {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	ctx := r.Context()
	day := today()
	set, err := transition.LoadSettings(ctx, s.db, a.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := visitsPage{Items: homecheck.Items, Settings: set, Writes: true, Today: day, Message: s.sessions.PopString(ctx, "flash")}
	rd := access.NewReader(s.db, a, access.ChannelPage)
	if d.Due, err = homecheck.DueVisits(ctx, rd, set.VisitWeeks, set.CheckMonths, day, 14, 100); err != nil {
		s.transitionRead(w, r, u, err)
		return
	}
	if d.Tasks, err = homecheck.Tasks(ctx, rd, 100); err != nil {
		s.transitionRead(w, r, u, err)
		return
	}
	s.render(w, r, "visits", view{Title: tr(r, "transition.check.title"), Nav: "keeping", User: u, Data: d})
}

func (s *Server) recordVisit(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	in := homecheck.Input{LeaseID: nums.ID("lease", "transition.field.lease"), PersonID: nums.ID("person", "transition.field.person"),
		Kind: homecheck.Kind(r.PostFormValue("kind")), On: nums.Date("done_on", "transition.field.date")}
	for _, it := range homecheck.Items {
		switch r.PostFormValue("item_" + string(it)) {
		case "ok":
			in.Answers = append(in.Answers, homecheck.Answer{Item: it, Note: r.PostFormValue("note_" + string(it))})
		case "funn":
			in.Answers = append(in.Answers, homecheck.Answer{Item: it, Finding: true, Note: r.PostFormValue("note_" + string(it))})
		}
	}
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := homecheck.Record(r.Context(), tx, a, in, today())
		return err
	})
	s.transitionDone(w, r, u, err, tr(r, "transition.flash.visit"), "/bosikring/besok")
}

func (s *Server) completeVisitTask(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	err := s.inTx(r, func(tx *store.Tx) error { return homecheck.CompleteTask(r.Context(), tx, a, id, today()) })
	to := "/bosikring/besok"
	if r.PostFormValue("back") == "start" {
		to = "/"
	}
	s.transitionDone(w, r, u, err, tr(r, "transition.flash.task_done"), to)
}
