package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
)

// The allocation meeting on pages and in the API.

// offerer makes approved proposals offers in the case flow, in the
// meeting's transaction.
func offerer(ctx context.Context, tx *store.Tx, a access.Actor) allocation.Offerer {
	return func(applicationID, unitID int64) (int64, error) {
		o, err := caseflow.MakeOffer(ctx, tx, a, applicationID, caseflow.OfferInput{UnitID: unitID, FromRound: true}, today())
		return o.ID, err
	}
}

// meetingError turns the meeting's errors into the shared kinds.
func meetingError(err error) error {
	var bad *allocation.InputError
	switch {
	case errors.As(err, &bad):
		return &invalid.Error{Problems: bad.Problems}
	case errors.Is(err, allocation.ErrNotFound):
		return access.ErrUnknownPerson // shown as "not found"
	}
	return err
}

func (s *Server) meetingList(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	q := r.URL.Query()
	f, ok := meetingFilterOf(q, meetingPageParams)
	d := meetingListData{Filter: f, FilterFrom: q.Get("fra"), FilterTo: q.Get("til"), States: allocation.MeetingStates,
		Sorts: []allocation.MeetingSort{allocation.SortNewest, allocation.SortOldest}}
	if !ok { // nothing is read for a filter the list does not know
		d.Problem = "finder.meetings.bad_filter"
		s.render(w, r, "meetings", view{Title: tr(r, "meetings.title"), Nav: "allocation", User: u, Data: d, Status: http.StatusBadRequest})
		return
	}
	meetings, err := s.meetingsPage(r, a, f)
	if errors.Is(err, access.ErrForbidden) {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	if errors.Is(err, errBadPageToken) {
		s.badPageToken(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	newest := meetings.Items
	// The next meeting follows the newest of all, which heads only the
	// first page of the unfiltered list.
	if meetings.Page > 1 || f != (allocation.MeetingFilter{}) {
		if newest, _, err = allocation.MeetingsAfter(r.Context(), s.db, a, allocation.MeetingKey{}, 1); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	sched, err := allocation.ScheduleOf(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	units, err := org.ListUnits(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	next := today().String()
	if len(newest) > 0 {
		if n := newest[0].HeldOn.AddDays(sched.IntervalDays).String(); n > next {
			next = n
		}
	}
	d.Meetings, d.Schedule, d.Units, d.Next = meetings, sched, units, next
	d.CanOpen, d.CanSchedule = a.Writes(), a.Role == access.UnitLeader || a.Role == access.Admin
	d.Message, d.RequiredName = s.sessions.PopString(r.Context(), "flash"), requiredSet(sched)
	s.render(w, r, "meetings", view{Title: tr(r, "meetings.title"), Nav: "allocation", User: u, Data: d})
}

// meetingListData is the list of meetings with its filter and the forms
// to open a meeting and set the schedule.
type meetingListData struct {
	Meetings     listPage[allocation.Meeting]
	Schedule     allocation.Schedule
	Units        []org.Unit
	Next         string
	CanOpen      bool
	CanSchedule  bool
	Message      string
	RequiredName map[int64]bool
	// The filter, and the dates as typed so a bad one stays in its field.
	Filter               allocation.MeetingFilter
	FilterFrom, FilterTo string
	States               []allocation.MeetingState
	Sorts                []allocation.MeetingSort
	// Problem is a translation key: why the filter was refused.
	Problem string
}

func requiredSet(s allocation.Schedule) map[int64]bool {
	m := map[int64]bool{}
	for _, id := range s.RequiredUnits {
		m[id] = true
	}
	return m
}

func (s *Server) openMeeting(w http.ResponseWriter, r *http.Request, u *org.User) {
	var id int64
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		nums := numbersIn(r)
		held := nums.Date("held_on", "words.field.meeting_date")
		if err := nums.Err(); err != nil {
			return err
		}
		var err error
		id, err = allocation.OpenMeeting(r.Context(), tx, s.actor(r, u), held, today())
		return meetingError(err)
	})
	if err != nil {
		s.flashThenRedirect(w, r, u, err, "", "/tildeling/moter")
		return
	}
	s.saved(w, r, tr(r, "meeting.opened"), fmt.Sprintf("/tildeling/moter/%d", id))
}

func (s *Server) setSchedule(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	sched := allocation.Schedule{IntervalDays: nums.Int("interval_days", "meetings.schedule.interval"), RequiredUnits: []int64{}}
	for _, v := range r.PostForm["required"] {
		sched.RequiredUnits = append(sched.RequiredUnits, nums.idText(v, tr(r, "meetings.schedule.required")))
	}
	sched.TieBreakUnit = nums.ID("tie_break", "meetings.schedule.tie_break")
	err := nums.Err()
	if err == nil {
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			return meetingError(allocation.SetSchedule(r.Context(), tx, s.actor(r, u), sched))
		})
	}
	s.flashThenRedirect(w, r, u, err, tr(r, "meetings.schedule.saved"), "/tildeling/moter")
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	m, err := allocation.LoadMeeting(r.Context(), s.db, a, id, access.ChannelPage)
	switch {
	case errors.Is(err, allocation.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound)
		return
	case errors.Is(err, access.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	units, err := org.ListUnits(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	present, attendees := map[int64]bool{}, map[int64]string{}
	for _, p := range m.Present {
		present[p.OrgUnitID], attendees[p.OrgUnitID] = true, p.Attendees
	}
	s.render(w, r, "meeting", view{Title: trf(r, "meeting.title", dateFor(r, m.HeldOn)), Nav: "allocation", User: u, Data: struct {
		Meeting   allocation.Meeting
		Units     []org.Unit
		Present   map[int64]bool
		Attendees map[int64]string
		Required  map[int64]bool
		Writes    bool
		Message   string
	}{m, units, present, attendees, requiredSet(m.Schedule), a.Writes() && m.Status == allocation.MeetingOpen, s.sessions.PopString(r.Context(), "flash")}})
}

// The fields of the meetings' forms (templates/meetings.html, meeting.html), by route, for
// a form sent back with its problems (keptforms.go).
var _ = declareForms(map[string][]formField{
	"POST /tildeling/moter": {{"mt-day", "held_on", "words.field.meeting_date"}, {"mt-day", "held_on", "møte"}},
	"POST /tildeling/moteplan": {{"sc-interval", "interval_days", "meetings.schedule.interval"}, {"sc-interval", "interval_days", "mellomrom"},
		{"sc-tie", "tie_break", "meetings.schedule.tie_break"}},
	"POST /tildeling/moter/{id}/oppmote":     {},
	"POST /tildeling/moter/{id}/saker/{iid}": {{"dc-why-{iid}", "reason", "grunnen"}, {"dc-{iid}", "decision", "velg godkjent"}, {"dc-{iid}", "decision", "utsettes"}},
	"POST /tildeling/moter/{id}/saker":       {{"dm-why", "reason", "grunnen"}, {"dm", "decision", "velg godkjent"}, {"dm", "decision", "velg minst én sak"}},
	"POST /tildeling/moter/{id}/avslutt":     {{"close-why", "defer_reason", "grunnen"}},
})

// meetingAction runs one change to a meeting and returns to its page.
func (s *Server) meetingAction(w http.ResponseWriter, r *http.Request, u *org.User, done string, act func(tx *store.Tx, a access.Actor, id int64) error) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error { return meetingError(act(tx, s.actor(r, u), id)) })
	s.flashThenRedirect(w, r, u, err, done, fmt.Sprintf("/tildeling/moter/%d", id))
}

func (s *Server) recordAttendance(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.meetingAction(w, r, u, tr(r, "meeting.attendance_saved"), func(tx *store.Tx, a access.Actor, id int64) error {
		_ = r.FormValue("present") // parses the form: PostForm is read directly below
		nums := numbersIn(r)
		var present []allocation.Attendance
		for _, v := range r.PostForm["present"] {
			present = append(present, allocation.Attendance{OrgUnitID: nums.idText(v, tr(r, "meeting.col.present")), Attendees: r.PostFormValue("attendees_" + v)})
		}
		if err := nums.Err(); err != nil {
			return err
		}
		return allocation.RecordAttendance(r.Context(), tx, a, id, present)
	})
}

func (s *Server) decideItem(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.meetingAction(w, r, u, tr(r, "meeting.decided"), func(tx *store.Tx, a access.Actor, id int64) error {
		return allocation.DecideItem(r.Context(), tx, a, id, subID(r, "iid"), allocation.ItemDecision{Decision: allocation.Verdict(r.PostFormValue("decision")),
			Reason: r.PostFormValue("reason"), TieBreak: r.PostFormValue("tie_break") == "ja"}, offerer(r.Context(), tx, a))
	})
}

// decideItems records one decision on the items chosen on the agenda.
func (s *Server) decideItems(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.meetingAction(w, r, u, tr(r, "meeting.decided"), func(tx *store.Tx, a access.Actor, id int64) error {
		_ = r.FormValue("item") // parses the form: PostForm is read directly below
		nums := numbersIn(r)
		var items []int64
		for _, v := range r.PostForm["item"] {
			items = append(items, nums.idText(v, tr(r, "resident.meeting.choose")))
		}
		if err := nums.Err(); err != nil {
			return err
		}
		return allocation.DecideItems(r.Context(), tx, a, id, items, allocation.ItemDecision{Decision: allocation.Verdict(r.PostFormValue("decision")),
			Reason: r.PostFormValue("reason"), TieBreak: r.PostFormValue("tie_break") == "ja"}, offerer(r.Context(), tx, a))
	})
}

func (s *Server) closeMeeting(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.meetingAction(w, r, u, tr(r, "meeting.closed"), func(tx *store.Tx, a access.Actor, id int64) error {
		return allocation.CloseMeeting(r.Context(), tx, a, id, r.PostFormValue("defer_reason"))
	})
}

// closeInput is the API's close: the reason the undecided items are
// deferred, needed only when there are any. The body may be left out.
type closeInput struct {
	DeferReason string `json:"defer_reason"`
}

// decisionsInput is one decision on several agenda items.
type decisionsInput struct {
	ItemIDs []int64 `json:"item_ids"`
	allocation.ItemDecision
}

func (s *Server) apiCloseMeeting(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in closeInput
	if r.ContentLength != 0 && !decodeJSON(w, r, &in) {
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return meetingError(allocation.CloseMeeting(r.Context(), tx, s.actor(r, u), id, in.DeferReason))
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// minutes sends the meeting's minutes as PDF.
func (s *Server) minutes(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	m, err := allocation.LoadMeeting(r.Context(), s.db, a, id, access.ChannelExport)
	if err != nil {
		if isAPI(r) {
			s.apiError(w, r, meetingError(err))
		} else {
			s.caseDenied(w, r, u, meetingError(err))
		}
		return
	}
	muni, _ := org.GetMunicipality(r.Context(), s.db, a.MunicipalityID)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="tildelingsmote-%s.pdf"`, m.HeldOn))
	w.Header().Set("Cache-Control", "no-store")
	if err := m.WriteMinutes(w, muni.Name, time.Now()); err != nil {
		s.log.Error("minutes pdf", "error", err.Error())
	}
}

// The API.

func (s *Server) apiMeetings(w http.ResponseWriter, r *http.Request, u *org.User) {
	f, ok := meetingFilterOf(r.URL.Query(), meetingAPIParams)
	if !ok {
		meetingFilterProblem(w, r)
		return
	}
	list := meetingListName(meetingsList, f)
	key, limit, ok := s.keysetPaging(w, r, list, 2)
	if !ok {
		return
	}
	after, err := meetingAfter(key)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ms, more, err := allocation.MeetingsWhere(r.Context(), s.db, s.actor(r, u), f, today(), after, limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := page[allocation.Meeting]{Items: ms, Limit: limit}
	if more {
		if out.Next, err = s.encodePage(r.Context(), list, meetingKeyParts(ms[len(ms)-1].Key())...); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiOpenMeeting(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in struct {
		HeldOn deadline.Date `json:"held_on,omitzero"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	var m allocation.Meeting
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		a := s.actor(r, u)
		id, err := allocation.OpenMeeting(r.Context(), tx, a, in.HeldOn, today())
		if err != nil {
			return err
		}
		m, err = allocation.LoadMeeting(r.Context(), tx, a, id, access.ChannelAPI)
		return err
	})
	if err != nil {
		s.apiError(w, r, meetingError(err))
		return
	}
	apiJSON(w, r, http.StatusCreated, m)
}

func (s *Server) apiMeeting(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	m, err := allocation.LoadMeeting(r.Context(), s.db, s.actor(r, u), id, access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, meetingError(err))
		return
	}
	apiJSON(w, r, http.StatusOK, m)
}

// meetingCall is caseCall for meetings: the meeting's errors mapped.
func meetingCall[In any](s *Server, act func(ctx context.Context, r *http.Request, tx *store.Tx, a access.Actor, id int64, in In) error) func(http.ResponseWriter, *http.Request, *org.User) {
	return caseCall(s, http.StatusNoContent, func(ctx context.Context, r *http.Request, tx *store.Tx, a access.Actor, id int64, in In) (any, error) {
		return nil, meetingError(act(ctx, r, tx, a, id, in))
	})
}

func (s *Server) apiSchedule(w http.ResponseWriter, r *http.Request, u *org.User) {
	sched, err := allocation.ScheduleOf(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sched)
}

func (s *Server) apiSetSchedule(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in allocation.Schedule
	if !decodeJSON(w, r, &in) {
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error { return allocation.SetSchedule(r.Context(), tx, s.actor(r, u), in) })
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiMeetingRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/api/v1/meetings", s.apiMeetings},
		{"POST", "/api/v1/meetings", s.apiOpenMeeting},
		{"GET", "/api/v1/meetings/{id}", s.apiMeeting},
		{"PUT", "/api/v1/meetings/{id}/attendance", meetingCall(s, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, in []allocation.Attendance) error {
			return allocation.RecordAttendance(ctx, tx, a, id, in)
		})},
		{"POST", "/api/v1/meetings/{id}/items/{iid}/decision", meetingCall(s, func(ctx context.Context, r *http.Request, tx *store.Tx, a access.Actor, id int64, in allocation.ItemDecision) error {
			return allocation.DecideItem(ctx, tx, a, id, subID(r, "iid"), in, offerer(ctx, tx, a))
		})},
		{"POST", "/api/v1/meetings/{id}/decisions", meetingCall(s, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, in decisionsInput) error {
			return allocation.DecideItems(ctx, tx, a, id, in.ItemIDs, in.ItemDecision, offerer(ctx, tx, a))
		})},
		{"POST", "/api/v1/meetings/{id}/close", s.apiCloseMeeting},
		{"GET", "/api/v1/meetings/{id}/minutes", s.minutes},
		{"GET", "/api/v1/meeting-schedule", s.apiSchedule},
		{"PUT", "/api/v1/meeting-schedule", s.apiSetSchedule},
	}
}
