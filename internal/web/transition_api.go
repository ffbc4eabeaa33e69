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
	"husly/internal/store"
	"husly/internal/transition"
)

// Transitions, temporary housing and home visits in the API: everything
// the pages do, as JSON.

func (s *Server) transitionAPIRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/api/v1/transitions", s.apiTransitions},
		{"POST", "/api/v1/transitions", s.apiRegisterTransition},
		{"GET", "/api/v1/transitions/offers", s.apiTransitionOffers},
		{"GET", "/api/v1/transitions/report", s.apiTransitionReport},
		{"GET", "/api/v1/transitions/settings", s.apiTransitionSettings},
		{"PUT", "/api/v1/transitions/settings", s.apiSetTransitionSettings},
		{"GET", "/api/v1/transitions/{id}", s.apiTransition},
		{"POST", "/api/v1/transitions/{id}/meeting", s.apiTransitionMeeting},
		{"POST", "/api/v1/transitions/{id}/outcome", s.apiTransitionOutcome},
		{"GET", "/api/v1/temporary-stays", s.apiStays},
		{"POST", "/api/v1/temporary-stays", s.apiRegisterStay},
		{"GET", "/api/v1/temporary-stays/planning", s.apiStayPlanning},
		{"GET", "/api/v1/temporary-stays/per-person", s.apiStayNightsPerPerson},
		{"POST", "/api/v1/temporary-stays/{id}/end", s.apiEndStay},
		{"GET", "/api/v1/home-checks", s.apiUnitHomeChecks},
		{"POST", "/api/v1/home-checks", s.apiRecordHomeCheck},
		{"GET", "/api/v1/home-checks/due", s.apiDueVisits},
		{"GET", "/api/v1/home-checks/tasks", s.apiHomeCheckTasks},
		{"POST", "/api/v1/home-checks/tasks/{id}/done", s.apiCompleteHomeCheckTask},
	}
}

// transitionAPIError maps the capabilities' errors to problem details.
func (s *Server) transitionAPIError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, transition.ErrNotFound) || errors.Is(err, homecheck.ErrNotFound) || errors.Is(err, access.ErrUnknownPerson) {
		writeProblem(w, r, http.StatusNotFound, invalid.F("Finnes ikke, eller du har ikke tilgang."))
		return
	}
	s.apiError(w, r, err)
}

// mayPlan and mayVisit refuse a write before its body is read, so a role
// that may not gets 403 whatever it sends.
func (s *Server) mayPlan(w http.ResponseWriter, r *http.Request, u *org.User) bool {
	if !planner(s.actor(r, u)) {
		s.apiError(w, r, access.ErrForbidden)
		return false
	}
	return true
}

func (s *Server) mayVisit(w http.ResponseWriter, r *http.Request, u *org.User) bool {
	switch s.actor(r, u).Role {
	case access.Property, access.FollowUp, access.UnitLeader:
		return true
	}
	s.apiError(w, r, access.ErrForbidden)
	return false
}

// transitionChange runs one change in one transaction.
func (s *Server) transitionChange(w http.ResponseWriter, r *http.Request, status int, fn func(tx *store.Tx) (int64, error)) {
	s.changeIn(w, r, status, s.transitionAPIError, fn)
}

// queryDate reads an optional date from the query string.
func queryDate(w http.ResponseWriter, r *http.Request, name string, or deadline.Date) (deadline.Date, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return or, true
	}
	d, err := deadline.Parse(v)
	if err != nil {
		writeProblem(w, r, http.StatusBadRequest, invalid.F("%s må være en dato (ÅÅÅÅ-MM-DD).", name))
		return d, false
	}
	return d, true
}

func (s *Server) apiTransitions(w http.ResponseWriter, r *http.Request, u *org.User) {
	q := r.URL.Query()
	f := transition.Filter{Open: q.Get("open") == "true", Mine: q.Get("mine") == "true"}
	if v := q.Get("within_days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeProblem(w, r, http.StatusBadRequest, invalid.F("within_days må være et heltall fra 0."))
			return
		}
		f.Within = n
	}
	ts, err := transition.List(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), f, today(), 500)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.Personal[transition.Transition]]{Items: ts, Limit: 500})
}

func (s *Server) apiRegisterTransition(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.mayPlan(w, r, u) {
		return
	}
	var in transition.Input
	if !decodeJSON(w, r, &in) {
		return
	}
	s.transitionChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return transition.Register(r.Context(), tx, s.actor(r, u), in)
	})
}

func (s *Server) apiTransition(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	t, err := transition.Get(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id, today())
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) apiTransitionOffers(w http.ResponseWriter, r *http.Request, u *org.User) {
	os, err := transition.Offers(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), today(), 100)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.Personal[transition.Offer]]{Items: os, Limit: 100})
}

func (s *Server) apiTransitionReport(w http.ResponseWriter, r *http.Request, u *org.User) {
	day := today()
	from, ok := queryDate(w, r, "from", deadline.Of(day.Year, 1, 1))
	if !ok {
		return
	}
	to, ok := queryDate(w, r, "to", deadline.Of(day.Year, 12, 31))
	if !ok {
		return
	}
	counts, err := transition.Report(r.Context(), s.db, s.actor(r, u), from, to)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		From deadline.Date    `json:"from"`
		To   deadline.Date    `json:"to"`
		Rows []transition.Row `json:"rows"`
	}{from, to, transition.Table(counts)})
}

func (s *Server) apiTransitionSettings(w http.ResponseWriter, r *http.Request, u *org.User) {
	if s.actor(r, u).Role == access.Resident {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	set, err := transition.LoadSettings(r.Context(), s.db, s.actor(r, u).MunicipalityID)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, set)
}

func (s *Server) apiSetTransitionSettings(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	var in transition.Settings
	if !s.mayDecode(w, r, a.Role == access.UnitLeader || a.Role == access.Admin, &in) {
		return
	}
	s.transitionChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, transition.SaveSettings(r.Context(), tx, s.actor(r, u), in)
	})
}

type meetingInput struct {
	On   deadline.Date `json:"meeting_on"`
	With string        `json:"meeting_with"`
}

func (s *Server) apiTransitionMeeting(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.mayPlan(w, r, u) {
		return
	}
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	if err := transition.MayChange(r.Context(), s.db, s.actor(r, u), id); err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	var in meetingInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.transitionChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, transition.PlanMeeting(r.Context(), tx, s.actor(r, u), id, in.On, in.With)
	})
}

type outcomeInput struct {
	Outcome transition.Outcome `json:"outcome"`
	On      deadline.Date      `json:"outcome_on,omitzero"`
}

func (s *Server) apiTransitionOutcome(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.mayPlan(w, r, u) {
		return
	}
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	if err := transition.MayChange(r.Context(), s.db, s.actor(r, u), id); err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	var in outcomeInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.transitionChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, transition.RecordOutcome(r.Context(), tx, s.actor(r, u), id, in.Outcome, in.On, today())
	})
}

func (s *Server) apiStays(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	set, err := transition.LoadSettings(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	ss, err := transition.Stays(r.Context(), access.NewReader(s.db, a, access.ChannelAPI), set, today(), 500)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.Personal[transition.Stay]]{Items: ss, Limit: 500})
}

func (s *Server) apiRegisterStay(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.mayPlan(w, r, u) {
		return
	}
	var in transition.StayInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.transitionChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return transition.RegisterStay(r.Context(), tx, s.actor(r, u), in)
	})
}

type endStayInput struct {
	End       deadline.Date    `json:"end_on"`
	RouteOut  string           `json:"route_out"`
	RouteKind transition.Route `json:"route_kind"`
}

func (s *Server) apiEndStay(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.mayPlan(w, r, u) {
		return
	}
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in endStayInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.transitionChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, transition.EndStay(r.Context(), tx, s.actor(r, u), id, in.End, in.RouteOut, in.RouteKind)
	})
}

func (s *Server) apiStayPlanning(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	set, err := transition.LoadSettings(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	p, err := transition.PlanningFigures(r.Context(), s.db, a, set, today())
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiUnitHomeChecks(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.mayVisit(w, r, u) {
		return
	}
	unit, err := strconv.ParseInt(r.URL.Query().Get("unit_id"), 10, 64)
	if err != nil || unit <= 0 {
		writeProblem(w, r, http.StatusBadRequest, invalid.F("unit_id må være et positivt heltall."))
		return
	}
	cs, err := homecheck.OfUnit(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), unit, 100)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.Personal[homecheck.Check]]{Items: cs, Limit: 100})
}

func (s *Server) apiRecordHomeCheck(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.mayVisit(w, r, u) {
		return
	}
	var in homecheck.Input
	if !decodeJSON(w, r, &in) {
		return
	}
	s.transitionChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return homecheck.Record(r.Context(), tx, s.actor(r, u), in, today())
	})
}

func (s *Server) apiDueVisits(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	set, err := transition.LoadSettings(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	ds, err := homecheck.DueVisits(r.Context(), access.NewReader(s.db, a, access.ChannelAPI), set.VisitWeeks, set.CheckMonths, today(), 14, 500)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.Personal[homecheck.DueVisit]]{Items: ds, Limit: 500})
}

func (s *Server) apiHomeCheckTasks(w http.ResponseWriter, r *http.Request, u *org.User) {
	ts, err := homecheck.Tasks(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), 500)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.Personal[homecheck.Task]]{Items: ts, Limit: 500})
}

func (s *Server) apiCompleteHomeCheckTask(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	s.transitionChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, homecheck.CompleteTask(r.Context(), tx, s.actor(r, u), id, today())
	})
}

func (s *Server) apiStayNightsPerPerson(w http.ResponseWriter, r *http.Request, u *org.User) {
	day := today()
	ps, err := transition.NightsPerPerson(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), transition.WindowStart(day), day, 500)
	if err != nil {
		s.transitionAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.Personal[transition.PersonNights]]{Items: ps, Limit: 500})
}
