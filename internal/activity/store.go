package activity

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// ErrNotFound is an activity or team that is not in the actor's
// municipality.
var ErrNotFound = errors.New("finnes ikke")

func bad(p []invalid.Message) error {
	if len(p) == 0 {
		return nil
	}
	return &invalid.Error{Problems: p}
}

// Staff reports whether the actor works with the calendar: follow-up
// workers and unit leaders.
func Staff(a access.Actor) bool { return a.Role == access.FollowUp || a.Role == access.UnitLeader }

// mayOffer reports whether the actor may offer activities for a team and
// record attendance there: a unit leader, or a member of the team.
func mayOffer(ctx context.Context, q store.Queryer, a access.Actor, teamID int64) error {
	if !Staff(a) {
		return access.ErrForbidden
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM followup_teams WHERE id = ? AND municipality_id = ?", teamID, a.MunicipalityID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	if a.Role == access.UnitLeader {
		return nil
	}
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM followup_members WHERE team_id = ? AND user_id = ?", teamID, a.UserID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return access.ErrForbidden
	}
	return nil
}

// Create puts an activity in the calendar.
func Create(ctx context.Context, q store.Queryer, a access.Actor, in Input, today deadline.Date) (int64, error) {
	if !Staff(a) {
		return 0, access.ErrForbidden
	}
	in.Title, in.Place, in.Description, in.Start = strings.TrimSpace(in.Title), strings.TrimSpace(in.Place), strings.TrimSpace(in.Description), strings.TrimSpace(in.Start)
	p := CheckActivity(in, today)
	if in.TeamID <= 0 {
		p = append(p, invalid.F("team: velg teamet eller enheten som tilbyr aktiviteten"))
	} else if err := mayOffer(ctx, q, a, in.TeamID); errors.Is(err, ErrNotFound) {
		p = append(p, invalid.F("team: velg teamet eller enheten som tilbyr aktiviteten"))
	} else if err != nil {
		return 0, err
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO activities (municipality_id, team_id, title, kind, description, on_day, start_time, minutes, place, capacity,
		created_by, created_by_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, in.TeamID, in.Title, string(in.Kind), in.Description,
		in.On, in.Start, in.Minutes, in.Place, in.Capacity, a.Name, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "aktivitet", EntityID: id, After: in})
}

const activityColumns = `a.id, a.team_id, t.name, a.title, a.kind, a.description, a.on_day, a.start_time, a.minutes, a.place, a.capacity,
	(SELECT COUNT(*) FROM activity_signups s WHERE s.activity_id = a.id AND s.status = 'pameldt'),
	(SELECT COUNT(*) FROM activity_signups s WHERE s.activity_id = a.id AND s.attended = TRUE)`

func scanActivity(s store.Scanner) (a Activity, err error) {
	err = s.Scan(&a.ID, &a.TeamID, &a.TeamName, &a.Title, &a.Kind, &a.Description, &a.On, &a.Start, &a.Minutes, &a.Place, &a.Capacity, &a.SignedUp, &a.Attended)
	return a, err
}

func activities(ctx context.Context, q store.Queryer, municipalityID int64, cond string, args ...any) ([]Activity, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+activityColumns+` FROM activities a JOIN followup_teams t ON t.id = a.team_id
		WHERE a.municipality_id = ? AND `+cond+` ORDER BY a.on_day, a.start_time, a.id`, append([]any{municipalityID}, args...)...)
	return store.Collect(rows, err, scanActivity)
}

func load(ctx context.Context, q store.Queryer, municipalityID, id int64) (Activity, error) {
	list, err := activities(ctx, q, municipalityID, "a.id = ?", id)
	if err != nil {
		return Activity{}, err
	}
	if len(list) == 0 {
		return Activity{}, ErrNotFound
	}
	return list[0], nil
}

// Calendar lists the activities between two days (inclusive) with their
// counts, for staff. It names no person.
func Calendar(ctx context.Context, q store.Queryer, a access.Actor, from, to deadline.Date) ([]Activity, error) {
	if !Staff(a) {
		return nil, access.ErrForbidden
	}
	return activities(ctx, q, a.MunicipalityID, "a.on_day >= ? AND a.on_day <= ?", from, to)
}

// Detail is one activity with who signed up.
type Detail struct {
	Activity Activity                  `json:"activity"`
	Signups  []access.Personal[Signup] `json:"signups"`
}

const signupColumns = `s.id, s.activity_id, s.person_id, p.first_name || ' ' || p.last_name, s.status, s.by_resident, s.signed_up_on, s.signed_by, s.withdrawn_on, s.attended`

func scanSignup(s store.Scanner) (x Signup, err error) {
	var withdrawn deadline.Date
	var attended sql.NullBool
	err = s.Scan(&x.ID, &x.ActivityID, &x.PersonID, &x.PersonName, &x.Status, &x.ByResident, &x.SignedUpOn, &x.SignedBy, &withdrawn, &attended)
	x.WithdrawnOn = withdrawn
	if attended.Valid {
		v := attended.Bool
		x.Attended = &v
	}
	return x, err
}

func signups(ctx context.Context, q store.Queryer, municipalityID int64, cond string, args ...any) ([]Signup, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+signupColumns+` FROM activity_signups s JOIN persons p ON p.id = s.person_id
		WHERE s.municipality_id = ? AND `+cond+` ORDER BY p.last_name, p.first_name, s.id`, append([]any{municipalityID}, args...)...)
	return store.Collect(rows, err, scanSignup)
}

// tag marks a sign-up as follow-up data: that a person takes part in a
// team's activity tells that they are in a service.
func tag(s Signup) access.Personal[Signup] {
	return access.Tag(s.PersonID, s, access.Basic, access.FollowUpPlan)
}

// Read reads one activity with its sign-ups, each shown only where the
// reader's grant covers the person's follow-up, and logged.
func Read(ctx context.Context, rd *access.Reader, id int64) (Detail, error) {
	a := rd.Actor()
	if !Staff(a) {
		return Detail{}, access.ErrForbidden
	}
	act, err := load(ctx, rd.Q(), a.MunicipalityID, id)
	if err != nil {
		return Detail{}, err
	}
	list, err := signups(ctx, rd.Q(), a.MunicipalityID, "s.activity_id = ?", id)
	if err != nil {
		return Detail{}, err
	}
	ids := make([]int64, len(list))
	for i, s := range list {
		ids[i] = s.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return Detail{}, err
	}
	d := Detail{Activity: act, Signups: make([]access.Personal[Signup], len(list))}
	for i, s := range list {
		d.Signups[i] = tag(s)
	}
	return d, rd.Send(ctx, &d)
}

// whoSigns decides whose sign-up a request is about: a resident signs
// only themself up; staff sign up a person whose follow-up they may see.
func whoSigns(ctx context.Context, q store.Queryer, a access.Actor, personID int64) (int64, bool, error) {
	if a.Role == access.Resident {
		if a.PersonID == 0 {
			return 0, false, access.ErrForbidden
		}
		return a.PersonID, true, nil
	}
	if !Staff(a) {
		return 0, false, access.ErrForbidden
	}
	if personID <= 0 {
		return 0, false, bad([]invalid.Message{invalid.F("beboer: velg hvem som skal meldes på")})
	}
	g, err := access.Authorize(ctx, q, a, personID)
	if err != nil {
		return 0, false, err
	}
	if !g.Allows(access.FollowUpPlan) {
		return 0, false, access.ErrForbidden
	}
	return personID, false, nil
}

func existing(ctx context.Context, q store.Queryer, municipalityID, activityID, personID int64) (Signup, error) {
	list, err := signups(ctx, q, municipalityID, "s.activity_id = ? AND s.person_id = ?", activityID, personID)
	if err != nil || len(list) == 0 {
		return Signup{}, err
	}
	return list[0], nil
}

// SignUp gives a person a place: a resident themself, or staff with the
// resident's agreement.
func SignUp(ctx context.Context, q store.Queryer, a access.Actor, activityID, personID int64, agreed bool, today deadline.Date) error {
	personID, byResident, err := whoSigns(ctx, q, a, personID)
	if err != nil {
		return err
	}
	// Take the activity's row first, so two sign-ups for the last place
	// run one after the other and the second finds it taken (a row lock
	// on PostgreSQL; SQLite runs one writing transaction at a time).
	if _, err := q.ExecContext(ctx, "UPDATE activities SET capacity = capacity WHERE id = ? AND municipality_id = ?", activityID, a.MunicipalityID); err != nil {
		return err
	}
	act, err := load(ctx, q, a.MunicipalityID, activityID)
	if err != nil {
		return err
	}
	old, err := existing(ctx, q, a.MunicipalityID, activityID, personID)
	if err != nil {
		return err
	}
	if err := bad(CheckSignup(act, old, byResident, agreed, today)); err != nil {
		return err
	}
	id := old.ID
	if id == 0 {
		id, err = store.InsertID(ctx, q, `INSERT INTO activity_signups (municipality_id, activity_id, person_id, status, by_resident, signed_up_on, signed_by, created_at)
			VALUES (?, ?, ?, 'pameldt', ?, ?, ?, ?)`, a.MunicipalityID, activityID, personID, byResident, today, a.Name, store.TimeArg(time.Now()))
	} else {
		_, err = q.ExecContext(ctx, `UPDATE activity_signups SET status = 'pameldt', by_resident = ?, signed_up_on = ?, signed_by = ?, withdrawn_on = NULL, attended = NULL
			WHERE id = ? AND municipality_id = ?`, byResident, today, a.Name, id, a.MunicipalityID)
	}
	if err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "meld på", Entity: "aktivitetspamelding", EntityID: id,
		After: map[string]any{"activity_id": activityID, "by_resident": byResident}})
}

// Withdraw gives a place back; the resident may withdraw at any time
// before the activity, and staff may do it for them.
func Withdraw(ctx context.Context, q store.Queryer, a access.Actor, activityID, personID int64, today deadline.Date) error {
	personID, _, err := whoSigns(ctx, q, a, personID)
	if err != nil {
		return err
	}
	act, err := load(ctx, q, a.MunicipalityID, activityID)
	if err != nil {
		return err
	}
	old, err := existing(ctx, q, a.MunicipalityID, activityID, personID)
	if err != nil {
		return err
	}
	if err := bad(CheckWithdraw(act, old, today)); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `UPDATE activity_signups SET status = 'trukket', withdrawn_on = ?, attended = NULL WHERE id = ? AND municipality_id = ?`,
		today, old.ID, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "trekk", Entity: "aktivitetspamelding", EntityID: old.ID,
		After: map[string]any{"activity_id": activityID}})
}

// RecordAttendance records afterwards who came, for persons signed up.
// Not coming is recorded as a fact, never as a mark against anyone.
func RecordAttendance(ctx context.Context, q store.Queryer, a access.Actor, activityID int64, marks []Mark, today deadline.Date) error {
	if !Staff(a) {
		return access.ErrForbidden
	}
	act, err := load(ctx, q, a.MunicipalityID, activityID)
	if err != nil {
		return err
	}
	if err := mayOffer(ctx, q, a, act.TeamID); err != nil {
		return err
	}
	list, err := signups(ctx, q, a.MunicipalityID, "s.activity_id = ?", activityID)
	if err != nil {
		return err
	}
	by := map[int64]Signup{}
	for _, s := range list {
		by[s.PersonID] = s
	}
	if err := bad(CheckAttendance(act, by, marks, today)); err != nil {
		return err
	}
	came := 0
	for _, m := range marks {
		if _, err := q.ExecContext(ctx, `UPDATE activity_signups SET attended = ?, attendance_by = ? WHERE id = ? AND municipality_id = ?`,
			m.Attended, a.Name, by[m.PersonID].ID, a.MunicipalityID); err != nil {
			return err
		}
		if m.Attended {
			came++
		}
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "før oppmøte", Entity: "aktivitet", EntityID: activityID,
		After: map[string]any{"recorded": len(marks), "attended": came}})
}

// Offer is an activity as a resident sees it: the places left and their
// own sign-up, never anyone else's.
type Offer struct {
	Activity Activity                `json:"activity"`
	Mine     access.Personal[Signup] `json:"mine"`
}

// Signed reports whether the resident holds a place.
func (o Offer) Signed() bool { return o.Mine.Value().Active() }

// Mine is a resident's calendar: what is coming in the next eight weeks,
// and what they took part in over the last eight.
type Mine struct {
	Upcoming []Offer `json:"upcoming"`
	Past     []Offer `json:"past"`
}

// Window is how far the resident's calendar looks ahead and back.
const Window = 56

// ReadMine reads a resident's calendar; only the resident reads it.
func ReadMine(ctx context.Context, rd *access.Reader, today deadline.Date) (Mine, error) {
	a := rd.Actor()
	if a.Role != access.Resident || a.PersonID == 0 {
		return Mine{}, access.ErrForbidden
	}
	if _, err := rd.Authorize(ctx, a.PersonID); err != nil {
		return Mine{}, err
	}
	acts, err := activities(ctx, rd.Q(), a.MunicipalityID, "a.on_day >= ? AND a.on_day <= ?", today.AddDays(-Window), today.AddDays(Window))
	if err != nil {
		return Mine{}, err
	}
	own, err := signups(ctx, rd.Q(), a.MunicipalityID, "s.person_id = ?", a.PersonID)
	if err != nil {
		return Mine{}, err
	}
	by := map[int64]Signup{}
	for _, s := range own {
		by[s.ActivityID] = s
	}
	m := Mine{Upcoming: []Offer{}, Past: []Offer{}}
	for _, act := range acts {
		s, ok := by[act.ID]
		o := Offer{Activity: act}
		if ok {
			o.Mine = tag(s)
		}
		switch {
		case !act.Over(today):
			m.Upcoming = append(m.Upcoming, o)
		case ok && s.Status == SignedUp:
			m.Past = append(m.Past, o)
		}
	}
	return m, rd.Send(ctx, &m)
}

// Person is a resident staff may sign up.
type Person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Followed lists the residents a team follows (active or with the door
// kept open), whom its staff may sign up with their agreement; each is
// shown only where the reader's grant covers follow-up, and logged.
func Followed(ctx context.Context, rd *access.Reader, teamID int64) ([]access.Personal[Person], error) {
	a := rd.Actor()
	if !Staff(a) {
		return nil, access.ErrForbidden
	}
	rows, err := rd.Q().QueryContext(ctx, `SELECT DISTINCT p.id, p.first_name || ' ' || p.last_name, p.last_name, p.first_name FROM followups f JOIN persons p ON p.id = f.person_id
		WHERE f.team_id = ? AND f.municipality_id = ? AND f.status <> 'avsluttet' ORDER BY p.last_name, p.first_name`, teamID, a.MunicipalityID)
	list, err := store.Collect(rows, err, func(s store.Scanner) (p Person, err error) {
		var last, first string
		err = s.Scan(&p.ID, &p.Name, &last, &first)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, err
	}
	out := make([]access.Personal[Person], len(list))
	for i, p := range list {
		out[i] = access.Tag(p.ID, p, access.Basic, access.FollowUpPlan)
	}
	return out, rd.Send(ctx, &out)
}
