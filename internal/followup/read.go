package followup

import (
	"context"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/store"
)

// BoardRow is one resident on a team's caseload board.
type BoardRow struct {
	FollowUp
	PersonName string `json:"person_name"`
	// Flag is the resident's board flag in force, if any.
	Flag *BoardFlag `json:"board_flag,omitempty"`
	// Overdue is how many days the next contact is past due (0 if not).
	Overdue int `json:"overdue_days"`
}

// BoardFlag is a resident flagged for the board.
type BoardFlag struct {
	ID        int64         `json:"id"`
	Reason    string        `json:"reason"`
	From      deadline.Date `json:"from_on"`
	Until     deadline.Date `json:"until_on"`
	FlaggedBy string        `json:"flagged_by"`
}

// Board is a team's caseload board: the team with its loads, and each
// resident it follows that the reader may see, flagged ones first.
type Board struct {
	Team Team                        `json:"team"`
	Rows []access.Personal[BoardRow] `json:"residents"`
}

// ReadBoard reads a team's caseload board in a fixed number of
// statements, whatever the team's size: the team, its members, the
// caseload counts, the follow-ups with their last contact, the flags in
// force, one access decision for all residents, and the access log.
func ReadBoard(ctx context.Context, rd *access.Reader, teamID int64, today deadline.Date) (Board, error) {
	a := rd.Actor()
	if !readsTeams(a) {
		return Board{}, access.ErrForbidden
	}
	q := rd.Q()
	ts, err := teams(ctx, q, a.MunicipalityID, teamID)
	if err != nil {
		return Board{}, err
	}
	if len(ts) == 0 {
		return Board{}, ErrNotFound
	}
	b := Board{Team: ts[0], Rows: []access.Personal[BoardRow]{}}
	norms := map[Model]Norm{b.Team.Model: b.Team.Norm}
	rows, err := q.QueryContext(ctx, `SELECT `+followUpColumns+`, p.first_name || ' ' || p.last_name FROM followups f
		JOIN followup_teams t ON t.id = f.team_id JOIN persons p ON p.id = f.person_id
		WHERE f.team_id = ? AND f.municipality_id = ? AND f.status <> 'avsluttet' ORDER BY p.last_name, p.first_name, f.id`, teamID, a.MunicipalityID)
	list, err := store.Collect(rows, err, func(s store.Scanner) (r BoardRow, err error) {
		r.FollowUp, err = scanFollowUp(withName{s, &r.PersonName}, norms)
		return r, err
	})
	if err != nil {
		return Board{}, err
	}
	flags, err := flagsInForce(ctx, q, a.MunicipalityID, teamID, today)
	if err != nil {
		return Board{}, err
	}
	ids := make([]int64, len(list))
	for i, r := range list {
		ids[i] = r.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return Board{}, err
	}
	var flagged, rest []access.Personal[BoardRow]
	for _, r := range list {
		if f, ok := flags[r.ID]; ok {
			r.Flag = &f
		}
		if !r.Due.IsZero() && r.Due.Before(today) {
			r.Overdue = r.Due.DaysUntil(today)
		}
		// The board names the resident (basic data) and tells the
		// follow-up (the follow-up category): both must be open.
		p := access.Tag(r.PersonID, r, access.Basic, access.FollowUpPlan)
		if r.Flag != nil {
			flagged = append(flagged, p)
		} else {
			rest = append(rest, p)
		}
	}
	b.Rows = append(append(b.Rows, flagged...), rest...)
	return b, rd.Send(ctx, &b)
}

// withName scans the follow-up's columns and then the person's name.
type withName struct {
	s    store.Scanner
	name *string
}

func (w withName) Scan(dest ...any) error { return w.s.Scan(append(dest, w.name)...) }

// flagsInForce reads the board flags in force for a team's follow-ups.
func flagsInForce(ctx context.Context, q store.Queryer, municipalityID, teamID int64, today deadline.Date) (map[int64]BoardFlag, error) {
	rows, err := q.QueryContext(ctx, `SELECT b.followup_id, b.id, b.reason, b.from_on, b.until_on, b.flagged_by FROM followup_board b
		JOIN followups f ON f.id = b.followup_id WHERE f.team_id = ? AND b.municipality_id = ? AND b.from_on <= ? AND b.until_on >= ? ORDER BY b.id`,
		teamID, municipalityID, today, today)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]BoardFlag{}
	for rows.Next() {
		var id int64
		var f BoardFlag
		if err := rows.Scan(&id, &f.ID, &f.Reason, &f.From, &f.Until, &f.FlaggedBy); err != nil {
			return nil, err
		}
		out[id] = f
	}
	return out, rows.Err()
}

// Detail is one resident's follow-up with its contacts, appointments and
// board flags, as the team sees it.
type Detail struct {
	FollowUp     access.Personal[FollowUp]      `json:"followup"`
	PersonName   access.Personal[string]        `json:"person_name"`
	Contacts     []access.Personal[Contact]     `json:"contacts"`
	Appointments []access.Personal[Appointment] `json:"appointments"`
	Flags        []access.Personal[BoardFlag]   `json:"board_flags"`
}

// ReadFollowUp reads one follow-up with its newest contacts (up to limit),
// open and recent appointment tasks and its board flags. Each contact's
// note is let through only to a reader whose grant covers the note's
// category: a health note is never shown to property staff.
func ReadFollowUp(ctx context.Context, rd *access.Reader, id int64, limit int) (Detail, error) {
	a := rd.Actor()
	q := rd.Q()
	if a.Role == access.Planner || a.Role == access.Admin {
		return Detail{}, access.ErrForbidden
	}
	f, err := loadFollowUp(ctx, q, a.MunicipalityID, id)
	if err != nil {
		return Detail{}, err
	}
	if _, err := rd.Authorize(ctx, f.PersonID); err != nil {
		return Detail{}, err
	}
	var name string
	if err := q.QueryRowContext(ctx, "SELECT first_name || ' ' || last_name FROM persons WHERE id = ?", f.PersonID).Scan(&name); err != nil {
		return Detail{}, err
	}
	d := Detail{FollowUp: access.Tag(f.PersonID, f, access.FollowUpPlan), PersonName: access.Tag(f.PersonID, name, access.Basic)}
	if d.Contacts, err = contactsOf(ctx, q, a.MunicipalityID, f, limit); err != nil {
		return Detail{}, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, followup_id, with_kind, what, on_day, remind_on, owner_id, owner_name, done_on FROM followup_appointments
		WHERE followup_id = ? AND municipality_id = ? ORDER BY done_on IS NOT NULL, on_day DESC, id DESC`, f.ID, a.MunicipalityID)
	d.Appointments, err = store.Collect(rows, err, func(s store.Scanner) (x access.Personal[Appointment], err error) {
		var ap Appointment
		err = s.Scan(&ap.ID, &ap.FollowUpID, &ap.With, &ap.What, &ap.On, &ap.RemindOn, &ap.OwnerID, &ap.OwnerName, &ap.DoneOn)
		return access.Tag(f.PersonID, ap, ap.With.Category()), err
	})
	if err != nil {
		return Detail{}, err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, reason, from_on, until_on, flagged_by FROM followup_board WHERE followup_id = ? AND municipality_id = ? ORDER BY from_on DESC, id DESC`,
		f.ID, a.MunicipalityID)
	d.Flags, err = store.Collect(rows, err, func(s store.Scanner) (x access.Personal[BoardFlag], err error) {
		var b BoardFlag
		err = s.Scan(&b.ID, &b.Reason, &b.From, &b.Until, &b.FlaggedBy)
		return access.Tag(f.PersonID, b, access.FollowUpPlan), err
	})
	if err != nil {
		return Detail{}, err
	}
	return d, rd.Send(ctx, &d)
}

// Category is what an appointment reveals: one with the GP or a therapist
// tells of health care, so it is health data; the others are follow-up.
func (w AppointmentWith) Category() access.Category {
	if w == WithGP || w == WithTherapist {
		return access.Health
	}
	return access.FollowUpPlan
}

// contactsOf reads a follow-up's newest contacts with their staff in two
// statements.
func contactsOf(ctx context.Context, q store.Queryer, municipalityID int64, f FollowUp, limit int) ([]access.Personal[Contact], error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := q.QueryContext(ctx, `SELECT id, kind, contact_on, minutes, met, risky, note, note_category, recorded_by FROM followup_contacts
		WHERE followup_id = ? AND municipality_id = ? ORDER BY contact_on DESC, id DESC LIMIT ?`, f.ID, municipalityID, limit)
	list, err := store.Collect(rows, err, func(s store.Scanner) (c Contact, err error) {
		var note string
		err = s.Scan(&c.ID, &c.Kind, &c.On, &c.Minutes, &c.Met, &c.Risky, &note, &c.NoteCategory, &c.RecordedBy)
		c.FollowUpID = f.ID
		c.Note = access.Tag(f.PersonID, note, c.NoteCategory)
		c.Staff = []string{}
		return c, err
	})
	if err != nil || len(list) == 0 {
		return []access.Personal[Contact]{}, err
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	in, args := store.In(ids)
	rows, err = q.QueryContext(ctx, `SELECT contact_id, name FROM followup_contact_staff WHERE contact_id IN `+in+` ORDER BY id`, args...)
	staff, err := store.CollectBy(rows, err, func(s store.Scanner) (n string, err error) {
		err = s.Scan(&n)
		return n, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]access.Personal[Contact], len(list))
	for i, c := range list {
		c.Staff = store.Of(staff, c.ID)
		out[i] = access.Tag(f.PersonID, c, access.FollowUpPlan)
	}
	return out, nil
}

// FollowUpsOf lists a person's follow-ups, newest first.
func FollowUpsOf(ctx context.Context, rd *access.Reader, personID int64) ([]access.Personal[FollowUp], error) {
	a := rd.Actor()
	if a.Role == access.Planner || a.Role == access.Admin {
		return nil, access.ErrForbidden
	}
	if _, err := rd.Authorize(ctx, personID); err != nil {
		return nil, err
	}
	norms, err := Norms(ctx, rd.Q(), a.MunicipalityID)
	if err != nil {
		return nil, err
	}
	rows, err := rd.Q().QueryContext(ctx, `SELECT `+followUpColumns+` FROM followups f JOIN followup_teams t ON t.id = f.team_id
		WHERE f.person_id = ? AND f.municipality_id = ? ORDER BY f.start_on DESC, f.id DESC`, personID, a.MunicipalityID)
	list, err := store.Collect(rows, err, func(s store.Scanner) (x access.Personal[FollowUp], err error) {
		f, err := scanFollowUp(s, norms)
		return access.Tag(personID, f, access.FollowUpPlan), err
	})
	if err != nil {
		return nil, err
	}
	return list, rd.Send(ctx, &list)
}

// States reads what the alerts need of every follow-up not ended in the
// municipality (or of one team, or one primary contact), and the open
// appointment tasks, in two statements: the last met contact per
// follow-up comes from one grouped join, not one query each.
func States(ctx context.Context, q store.Queryer, municipalityID, teamID, primaryID int64) ([]State, []Appointment, error) {
	norms, err := Norms(ctx, q, municipalityID)
	if err != nil {
		return nil, nil, err
	}
	cond, args := "", []any{municipalityID, municipalityID}
	if teamID > 0 {
		cond, args = cond+" AND f.team_id = ?", append(args, teamID)
	}
	if primaryID > 0 {
		cond, args = cond+" AND f.primary_id = ?", append(args, primaryID)
	}
	rows, err := q.QueryContext(ctx, `SELECT f.id, f.person_id, f.team_id, f.primary_id, t.model, f.status, f.start_on, f.ask_again_on, c.last
		FROM followups f JOIN followup_teams t ON t.id = f.team_id
		LEFT JOIN (SELECT followup_id, MAX(contact_on) AS last FROM followup_contacts WHERE municipality_id = ? AND met GROUP BY followup_id) c ON c.followup_id = f.id
		WHERE f.municipality_id = ? AND f.status <> 'avsluttet'`+cond, args...)
	states, err := store.Collect(rows, err, func(s store.Scanner) (st State, err error) {
		err = s.Scan(&st.FollowUpID, &st.PersonID, &st.TeamID, &st.PrimaryID, &st.Model, &st.Status, &st.Start, &st.AskAgain, &st.LastContact)
		st.MinDays = norms[st.Model].MinContactDays
		return st, err
	})
	if err != nil {
		return nil, nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT a.id, a.followup_id, a.with_kind, a.what, a.on_day, a.remind_on, a.owner_id, a.owner_name FROM followup_appointments a
		JOIN followups f ON f.id = a.followup_id WHERE a.municipality_id = ? AND a.done_on IS NULL AND f.status <> 'avsluttet'`+cond,
		args[1:]...)
	appts, err := store.Collect(rows, err, func(s store.Scanner) (ap Appointment, err error) {
		err = s.Scan(&ap.ID, &ap.FollowUpID, &ap.With, &ap.What, &ap.On, &ap.RemindOn, &ap.OwnerID, &ap.OwnerName)
		return ap, err
	})
	return states, appts, err
}

// AlertsOf gives the alerts of one team or one primary contact (zero for
// all), without personal data beyond ids: for counts and exports.
func AlertsOf(ctx context.Context, q store.Queryer, municipalityID, teamID, primaryID int64, today deadline.Date) ([]Alert, error) {
	states, appts, err := States(ctx, q, municipalityID, teamID, primaryID)
	if err != nil {
		return nil, err
	}
	all := Alerts(states, appts, today)
	if primaryID == 0 {
		return all, nil
	}
	// An appointment task goes to its owner, who may be another member.
	out := all[:0]
	for _, x := range all {
		if x.PrimaryID == primaryID || x.Kind != AppointmentDue {
			out = append(out, x)
		}
	}
	return out, nil
}
