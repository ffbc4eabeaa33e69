package web

import (
	"errors"
	"net/http"
	"strconv"

	"husly/internal/access"
	"husly/internal/activity"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
)

// Activities and housing-school courses: the staff's calendar, one
// activity with its sign-ups and attendance, and the resident's own
// calendar on Min side, where signing up and withdrawing is one tap.

func (s *Server) activityPages() []route {
	return []route{
		{"GET", "/aktiviteter", s.page(s.activityCalendar)},
		{"POST", "/aktiviteter", s.page(s.createActivity)},
		{"GET", "/aktiviteter/{id}", s.page(s.activityPage)},
		{"POST", "/aktiviteter/{id}/pameldinger", s.page(s.signUpResident)},
		{"POST", "/aktiviteter/{id}/trekk", s.page(s.withdrawResident)},
		{"POST", "/aktiviteter/{id}/oppmote", s.page(s.recordActivityAttendance)},
		{"GET", "/min-side/aktiviteter", s.page(s.myActivities)},
		{"POST", "/min-side/aktiviteter/{id}/pamelding", s.page(s.signUpMyself)},
		{"POST", "/min-side/aktiviteter/{id}/trekk", s.page(s.withdrawMyself)},
	}
}

// The fields of the calendar's form for a new activity and of an
// activity's sign-up and attendance (templates/activity.html,
// activity_detail.html), by route, for a form sent back with its problems
// (keptforms.go). A problem with the activity itself (it is over, it is
// full) is about no field.
var _ = declareForms(map[string][]formField{
	"POST /aktiviteter": {{"n-team", "team", "words.field.team"}, {"n-team", "team", "team:"}, {"n-title", "title", "tittel:"}, {"n-kind", "kind", "type:"},
		{"n-desc", "description", "beskrivelse:"}, {"n-on", "on", "words.field.date"}, {"n-on", "on", "dato:"}, {"n-start", "start_time", "klokkeslett:"},
		{"n-minutes", "minutes", "words.field.minutes"}, {"n-minutes", "minutes", "varighet:"}, {"n-place", "place", "sted:"},
		{"n-capacity", "capacity", "activity.field.capacity"}, {"n-capacity", "capacity", "plasser:"}},
	"POST /aktiviteter/{id}/pameldinger": {{"s-person", "person", "words.field.resident"}, {"s-person", "person", "beboer:"},
		{"s-person", "person", "personen er allerede påmeldt"}, {"s-agreed", "agreed", "samtykke:"}},
	"POST /aktiviteter/{id}/oppmote": {{"at-came", "came", "oppmøte:"}},
})

// staffworkDone answers a form of the calendar or the staff register:
// an unknown id is a 404; the rest as follow-up's forms.
func (s *Server) staffworkDone(w http.ResponseWriter, r *http.Request, u *org.User, err error, done, to string) {
	if errors.Is(err, activity.ErrNotFound) || errors.Is(err, workenvNotFound) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	s.followupDone(w, r, u, err, done, to)
}

// staffworkRead answers a page of the calendar or the staff register
// whose read failed.
func (s *Server) staffworkRead(w http.ResponseWriter, r *http.Request, u *org.User, err error) {
	if errors.Is(err, activity.ErrNotFound) || errors.Is(err, workenvNotFound) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	s.followupRead(w, r, u, err)
}

type calendarPage struct {
	Activities []activity.Activity
	Teams      []followup.Team
	Kinds      []activity.Kind
	Today      deadline.Date
}

// offeringTeams are the teams the actor may offer activities for: all for
// a unit leader, their own for a member.
func (s *Server) offeringTeams(r *http.Request, a access.Actor) ([]followup.Team, error) {
	ts, err := followup.Teams(r.Context(), s.db, a)
	if err != nil || a.Role == access.UnitLeader {
		return ts, err
	}
	var out []followup.Team
	for _, t := range ts {
		if t.MemberOf(a.UserID) != nil {
			out = append(out, t)
		}
	}
	return out, nil
}

func (s *Server) activityCalendar(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	list, err := activity.Calendar(r.Context(), s.db, a, today().AddDays(-14), today().AddDays(activity.Window))
	if err != nil {
		s.staffworkRead(w, r, u, err)
		return
	}
	teams, err := s.offeringTeams(r, a)
	if err != nil {
		s.staffworkRead(w, r, u, err)
		return
	}
	d := calendarPage{Activities: list, Teams: teams, Kinds: activity.Kinds, Today: today()}
	s.render(w, r, "activity", view{Title: translate(language(r), "activity.title"), Nav: "followup", User: u, Data: d})
}

// activityInput reads the form of a new activity.
func activityInput(r *http.Request, nums *formNumbers) activity.Input {
	return activity.Input{TeamID: nums.ID("team", "words.field.team"), Title: r.PostFormValue("title"), Kind: activity.Kind(r.PostFormValue("kind")),
		Description: r.PostFormValue("description"), On: nums.Date("on", "words.field.date"), Start: r.PostFormValue("start_time"),
		Minutes: nums.Int("minutes", "words.field.minutes"), Place: r.PostFormValue("place"), Capacity: nums.Int("capacity", "activity.field.capacity")}
}

func (s *Server) createActivity(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !activity.Staff(a) {
		s.staffworkDone(w, r, u, access.ErrForbidden, "", "")
		return
	}
	nums := numbersIn(r)
	in := activityInput(r, nums)
	var id int64
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		var err error
		id, err = activity.Create(r.Context(), tx, a, in, today())
		return err
	})
	to := "/aktiviteter"
	if err == nil {
		to = "/aktiviteter/" + strconv.FormatInt(id, 10)
	}
	s.staffworkDone(w, r, u, err, tr(r, "activity.flash.created"), to)
}

type activityDetailPage struct {
	Detail  activity.Detail
	Persons []access.Personal[activity.Person]
	Today   deadline.Date
	Over    bool
	Started bool
	Signed  int
	// Hidden counts those signed up whom the reader may not see.
	Hidden int
}

func (s *Server) activityPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	rd := access.NewReader(s.db, s.actor(r, u), access.ChannelPage)
	d, err := activity.Read(r.Context(), rd, id)
	if err != nil {
		s.staffworkRead(w, r, u, err)
		return
	}
	p := activityDetailPage{Detail: d, Today: today(), Over: d.Activity.Over(today()), Started: !today().Before(d.Activity.On)}
	for _, x := range d.Signups {
		if x.Value().Active() {
			p.Signed++
		}
	}
	p.Hidden = max(d.Activity.SignedUp-p.Signed, 0)
	if !p.Over {
		if p.Persons, err = activity.Followed(r.Context(), rd, d.Activity.TeamID); err != nil {
			s.staffworkRead(w, r, u, err)
			return
		}
	}
	s.render(w, r, "activity_detail", view{Title: d.Activity.Title, Nav: "followup", User: u, Data: p})
}

// activityAction runs a change to one activity and goes back to it.
func (s *Server) activityAction(w http.ResponseWriter, r *http.Request, u *org.User, done string, fn func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	if !activity.Staff(a) {
		s.staffworkDone(w, r, u, access.ErrForbidden, "", "")
		return
	}
	nums := numbersIn(r)
	err := s.inTx(r, func(tx *store.Tx) error { return fn(tx, a, id, nums) })
	s.staffworkDone(w, r, u, err, done, "/aktiviteter/"+strconv.FormatInt(id, 10))
}

func (s *Server) signUpResident(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.activityAction(w, r, u, tr(r, "activity.flash.signed"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		person := nums.ID("person", "words.field.resident")
		if err := nums.Err(); err != nil {
			return err
		}
		return activity.SignUp(r.Context(), tx, a, id, person, r.PostFormValue("agreed") == "ja", today())
	})
}

func (s *Server) withdrawResident(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.activityAction(w, r, u, tr(r, "activity.flash.withdrawn"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		person := nums.ID("person", "words.field.resident")
		if err := nums.Err(); err != nil {
			return err
		}
		return activity.Withdraw(r.Context(), tx, a, id, person, today())
	})
}

// recordActivityAttendance reads the attendance form: every signed-up
// person is listed, and those ticked came.
func (s *Server) recordActivityAttendance(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.activityAction(w, r, u, tr(r, "activity.flash.attendance"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		if err := r.ParseForm(); err != nil {
			return invalid.New(invalid.F("oppmøte: skjemaet kunne ikke leses"))
		}
		came := map[int64]bool{}
		for _, v := range r.PostForm["came"] {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				came[n] = true
			}
		}
		var marks []activity.Mark
		for _, v := range r.PostForm["signed"] {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return invalid.New(invalid.F("oppmøte: «%s» er ikke en påmeldt person", v))
			}
			marks = append(marks, activity.Mark{PersonID: n, Attended: came[n]})
		}
		return activity.RecordAttendance(r.Context(), tx, a, id, marks, today())
	})
}

type myActivitiesPage struct {
	Mine  activity.Mine
	Today deadline.Date
}

// myActivities is the resident's calendar on Min side, made for a phone.
func (s *Server) myActivities(w http.ResponseWriter, r *http.Request, u *org.User) {
	m, err := activity.ReadMine(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelPage), today())
	if err != nil {
		s.staffworkRead(w, r, u, err)
		return
	}
	s.render(w, r, "activity_mine", view{Title: translate(language(r), "activity.mine.title"), Nav: "activities", User: u, Data: myActivitiesPage{Mine: m, Today: today()}})
}

func (s *Server) myActivityAction(w http.ResponseWriter, r *http.Request, u *org.User, done string, fn func(tx *store.Tx, a access.Actor, id int64) error) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	if a.Role != access.Resident {
		s.staffworkDone(w, r, u, access.ErrForbidden, "", "")
		return
	}
	err := s.inTx(r, func(tx *store.Tx) error { return fn(tx, a, id) })
	s.staffworkDone(w, r, u, err, done, "/min-side/aktiviteter")
}

func (s *Server) signUpMyself(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.myActivityAction(w, r, u, tr(r, "activity.flash.my_signed"), func(tx *store.Tx, a access.Actor, id int64) error {
		return activity.SignUp(r.Context(), tx, a, id, 0, true, today())
	})
}

func (s *Server) withdrawMyself(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.myActivityAction(w, r, u, tr(r, "activity.flash.my_withdrawn"), func(tx *store.Tx, a access.Actor, id int64) error {
		return activity.Withdraw(r.Context(), tx, a, id, 0, today())
	})
}

// The calendar in the API.

func (s *Server) activityAPIRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/api/v1/activities", s.apiActivities},
		{"POST", "/api/v1/activities", s.apiCreateActivity},
		{"GET", "/api/v1/activities/{id}", s.apiActivity},
		{"POST", "/api/v1/activities/{id}/signups", s.apiSignUp},
		{"POST", "/api/v1/activities/{id}/withdraw", s.apiWithdraw},
		{"PUT", "/api/v1/activities/{id}/attendance", s.apiAttendance},
		{"GET", "/api/v1/me/activities", s.apiMyActivities},
		{"POST", "/api/v1/me/activities/{id}/signup", s.apiSignUpMyself},
		{"POST", "/api/v1/me/activities/{id}/withdraw", s.apiWithdrawMyself},
	}
}

// apiActivities lists the calendar from a day to a day (from two weeks
// back to eight weeks ahead by default).
func (s *Server) apiActivities(w http.ResponseWriter, r *http.Request, u *org.User) {
	from, to := today().AddDays(-14), today().AddDays(activity.Window)
	for name, d := range map[string]*deadline.Date{"from": &from, "to": &to} {
		if v := r.URL.Query().Get(name); v != "" {
			x, err := deadline.Parse(v)
			if err != nil {
				writeProblem(w, r, http.StatusBadRequest, invalid.F("%s: %q er ikke en dato (ÅÅÅÅ-MM-DD)", name, v))
				return
			}
			*d = x
		}
	}
	items, err := activity.Calendar(r.Context(), s.db, s.actor(r, u), from, to)
	if err != nil {
		s.staffworkAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[activity.Activity]{Items: items, Limit: len(items)})
}

func (s *Server) apiCreateActivity(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !activity.Staff(a) {
		s.staffworkAPIError(w, r, access.ErrForbidden)
		return
	}
	var in activity.Input
	if !decodeJSON(w, r, &in) {
		return
	}
	s.staffworkChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) { return activity.Create(r.Context(), tx, a, in, today()) })
}

func (s *Server) apiActivity(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	d, err := activity.Read(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id)
	if err != nil {
		s.staffworkAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

type signupInput struct {
	PersonID int64 `json:"person_id"`
	// Agreed is the resident's own yes to being signed up by staff.
	Agreed bool `json:"agreed"`
}

func (s *Server) apiSignUp(w http.ResponseWriter, r *http.Request, u *org.User) {
	activityChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in signupInput) error {
		return activity.SignUp(r.Context(), tx, a, id, in.PersonID, in.Agreed, today())
	})
}

func (s *Server) apiWithdraw(w http.ResponseWriter, r *http.Request, u *org.User) {
	activityChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in signupInput) error {
		return activity.Withdraw(r.Context(), tx, a, id, in.PersonID, today())
	})
}

type attendanceInput struct {
	Marks []activity.Mark `json:"marks"`
}

func (s *Server) apiAttendance(w http.ResponseWriter, r *http.Request, u *org.User) {
	activityChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in attendanceInput) error {
		return activity.RecordAttendance(r.Context(), tx, a, id, in.Marks, today())
	})
}

// activityChange checks that the actor works with the calendar, decodes
// the body and runs the change, answering 204.
func activityChange[T any](s *Server, w http.ResponseWriter, r *http.Request, u *org.User, fn func(tx *store.Tx, a access.Actor, id int64, in T) error) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	a := s.actor(r, u)
	if !activity.Staff(a) {
		s.staffworkAPIError(w, r, access.ErrForbidden)
		return
	}
	var in T
	if !decodeJSON(w, r, &in) {
		return
	}
	s.staffworkChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) { return 0, fn(tx, a, id, in) })
}

func (s *Server) apiMyActivities(w http.ResponseWriter, r *http.Request, u *org.User) {
	m, err := activity.ReadMine(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), today())
	if err != nil {
		s.staffworkAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) apiMyActivityChange(w http.ResponseWriter, r *http.Request, u *org.User, fn func(tx *store.Tx, a access.Actor, id int64) error) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	a := s.actor(r, u)
	if a.Role != access.Resident {
		s.staffworkAPIError(w, r, access.ErrForbidden)
		return
	}
	s.staffworkChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) { return 0, fn(tx, a, id) })
}

func (s *Server) apiSignUpMyself(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.apiMyActivityChange(w, r, u, func(tx *store.Tx, a access.Actor, id int64) error {
		return activity.SignUp(r.Context(), tx, a, id, 0, true, today())
	})
}

func (s *Server) apiWithdrawMyself(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.apiMyActivityChange(w, r, u, func(tx *store.Tx, a access.Actor, id int64) error {
		return activity.Withdraw(r.Context(), tx, a, id, 0, today())
	})
}
