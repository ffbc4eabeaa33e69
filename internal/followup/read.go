package followup

import (
	"context"
	"sort"

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
// statements, whatever the team's size: the norms, the team, its members,
// the follow-ups with their last contact (which give the caseload
// counts), the flags in force, one access decision for all residents,
// and the access log.
func ReadBoard(ctx context.Context, rd *access.Reader, teamID int64, today deadline.Date) (Board, error) {
	a := rd.Actor()
	if !readsTeams(a) {
		return Board{}, access.ErrForbidden
	}
	q := rd.Q()
	ts, err := teamsWith(ctx, q, a.MunicipalityID, teamID, false)
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
	// The caseloads count the residents listed here (every follow-up of
	// the team not ended), per primary contact: no second pass over them.
	byPrimary := map[int64]int{}
	for _, r := range list {
		byPrimary[r.PrimaryID]++
	}
	b.Team.Measure(byPrimary, len(list))
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
	g, err := rd.Authorize(ctx, f.PersonID)
	if err != nil {
		return Detail{}, err
	}
	// Staff whose role does not see follow-up (property, the housing
	// office) are refused the page, not shown an empty one.
	if !g.Allows(access.FollowUpPlan) {
		return Detail{}, access.ErrForbidden
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
	cond, args := "", []any{municipalityID}
	if teamID > 0 {
		cond, args = cond+" AND f.team_id = ?", append(args, teamID)
	}
	if primaryID > 0 {
		cond, args = cond+" AND f.primary_id = ?", append(args, primaryID)
	}
	rows, err := q.QueryContext(ctx, `SELECT f.id, f.person_id, f.team_id, f.primary_id, t.model, f.status, f.start_on, f.ask_again_on, f.last_met_on
		FROM followups f JOIN followup_teams t ON t.id = f.team_id
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
		args...)
	appts, err := store.Collect(rows, err, func(s store.Scanner) (ap Appointment, err error) {
		err = s.Scan(&ap.ID, &ap.FollowUpID, &ap.With, &ap.What, &ap.On, &ap.RemindOn, &ap.OwnerID, &ap.OwnerName)
		return ap, err
	})
	return states, appts, err
}

// PlanStates reads the plans that call for an alert today, of every
// follow-up not ended (or of one team, or one primary contact), in one
// statement: those whose review day has come and individual plans
// without a coordinator.
func PlanStates(ctx context.Context, q store.Queryer, municipalityID, teamID, primaryID int64, today deadline.Date) ([]PlanState, error) {
	cond, args := "", []any{municipalityID, today}
	if teamID > 0 {
		cond, args = cond+" AND f.team_id = ?", append(args, teamID)
	}
	if primaryID > 0 {
		cond, args = cond+" AND f.primary_id = ?", append(args, primaryID)
	}
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.followup_id, p.kind, p.next_review_on, COALESCE(p.coordinator_id, 0) FROM plans p
		JOIN followups f ON f.id = p.followup_id
		WHERE p.municipality_id = ? AND p.kind IN ('handlingsplan', 'individuell_plan') AND f.status <> 'avsluttet'
		AND (p.next_review_on <= ? OR (p.kind = 'individuell_plan' AND p.coordinator_id IS NULL))`+cond, args...)
	return store.Collect(rows, err, func(s store.Scanner) (p PlanState, err error) {
		var kind string
		var coordinator int64
		err = s.Scan(&p.PlanID, &p.FollowUpID, &kind, &p.NextReview, &coordinator)
		p.Individual, p.HasCoordinator = kind == "individuell_plan", coordinator != 0
		return p, err
	})
}

// AlertsOf gives the alerts of one team or one primary contact (zero for
// all), without personal data beyond ids: for counts and exports.
func AlertsOf(ctx context.Context, q store.Queryer, municipalityID, teamID, primaryID int64, today deadline.Date) ([]Alert, error) {
	states, appts, err := States(ctx, q, municipalityID, teamID, primaryID)
	if err != nil {
		return nil, err
	}
	plans, err := PlanStates(ctx, q, municipalityID, teamID, primaryID, today)
	if err != nil {
		return nil, err
	}
	all := Alerts(states, appts, today, plans...)
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

// Mine is a staff member's own residents (as primary contact) for the
// day's visits: those whose contact is due by tomorrow first, then the
// rest, with the appointment tasks they own that are due for a reminder.
type Mine struct {
	Due          []access.Personal[BoardRow]    `json:"due"`
	Others       []access.Personal[BoardRow]    `json:"others"`
	Appointments []access.Personal[Appointment] `json:"appointments"`
}

// ReadsMine reports whether a has a day of visits of its own: follow-up
// staff and unit leaders (pages link to it only for them).
func ReadsMine(a access.Actor) bool { return a.Role == access.FollowUp || a.Role == access.UnitLeader }

// ReadMine reads the actor's residents in a fixed number of statements.
func ReadMine(ctx context.Context, rd *access.Reader, today deadline.Date) (Mine, error) {
	a := rd.Actor()
	out := Mine{Due: []access.Personal[BoardRow]{}, Others: []access.Personal[BoardRow]{}, Appointments: []access.Personal[Appointment]{}}
	if !ReadsMine(a) {
		return out, access.ErrForbidden
	}
	q := rd.Q()
	norms, err := Norms(ctx, q, a.MunicipalityID)
	if err != nil {
		return out, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+followUpColumns+`, p.first_name || ' ' || p.last_name FROM followups f
		JOIN followup_teams t ON t.id = f.team_id JOIN persons p ON p.id = f.person_id
		WHERE f.primary_id = ? AND f.municipality_id = ? AND f.status <> 'avsluttet' ORDER BY p.last_name, p.first_name, f.id`, a.UserID, a.MunicipalityID)
	list, err := store.Collect(rows, err, func(s store.Scanner) (r BoardRow, err error) {
		r.FollowUp, err = scanFollowUp(withName{s, &r.PersonName}, norms)
		return r, err
	})
	if err != nil {
		return out, err
	}
	rows, err = q.QueryContext(ctx, `SELECT a.id, a.followup_id, a.with_kind, a.what, a.on_day, a.remind_on, a.owner_id, a.owner_name, f.person_id
		FROM followup_appointments a JOIN followups f ON f.id = a.followup_id
		WHERE a.owner_id = ? AND a.municipality_id = ? AND a.done_on IS NULL AND a.remind_on <= ? AND f.status <> 'avsluttet' ORDER BY a.on_day, a.id`,
		a.UserID, a.MunicipalityID, today)
	type appt struct {
		Appointment
		person int64
	}
	appts, err := store.Collect(rows, err, func(s store.Scanner) (x appt, err error) {
		err = s.Scan(&x.ID, &x.FollowUpID, &x.With, &x.What, &x.On, &x.RemindOn, &x.OwnerID, &x.OwnerName, &x.person)
		return x, err
	})
	if err != nil {
		return out, err
	}
	ids := make([]int64, 0, len(list)+len(appts))
	for _, r := range list {
		ids = append(ids, r.PersonID)
	}
	for _, x := range appts {
		ids = append(ids, x.person)
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return out, err
	}
	// Overdue first, then by the day the contact is due.
	sort.SliceStable(list, func(i, j int) bool {
		di, dj := list[i].Due, list[j].Due
		switch {
		case di.IsZero() != dj.IsZero():
			return dj.IsZero()
		default:
			return di.Before(dj)
		}
	})
	for _, r := range list {
		if !r.Due.IsZero() && r.Due.Before(today) {
			r.Overdue = r.Due.DaysUntil(today)
		}
		p := access.Tag(r.PersonID, r, access.Basic, access.FollowUpPlan)
		dueSoon := !r.Due.IsZero() && !today.AddDays(1).Before(r.Due)
		askAgain := r.Status == DoorOpen && !r.AskAgainOn.IsZero() && !today.Before(r.AskAgainOn)
		if dueSoon || askAgain {
			out.Due = append(out.Due, p)
		} else {
			out.Others = append(out.Others, p)
		}
	}
	for _, x := range appts {
		out.Appointments = append(out.Appointments, access.Tag(x.person, x.Appointment, x.With.Category()))
	}
	return out, rd.Send(ctx, &out)
}

// Candidate is a person a team may start following: one whose decision
// grants the team's service, or one the team's unit has a role for
// (advice and guidance under § 17, without a decision).
type Candidate struct {
	PersonID    int64         `json:"person_id"`
	PersonName  string        `json:"person_name"`
	DecisionID  int64         `json:"decision_id,omitempty"`
	ServiceCode string        `json:"service_code,omitempty"`
	StartOn     deadline.Date `json:"start_on,omitzero"`
}

// Candidates lists who is waiting for the team's follow-up.
func Candidates(ctx context.Context, rd *access.Reader, teamID int64) ([]access.Personal[Candidate], error) {
	a := rd.Actor()
	if !staffRole(a) {
		return nil, access.ErrForbidden
	}
	q := rd.Q()
	t, err := teamRow(ctx, q, a.MunicipalityID, teamID)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT d.person_id, p.first_name || ' ' || p.last_name, d.id, s.service_code, s.start_on FROM decisions d
		JOIN decision_services s ON s.decision_id = d.id JOIN persons p ON p.id = d.person_id
		WHERE d.municipality_id = ? AND s.provider_unit_id = ? AND d.outcome = 'innvilget'
		AND d.version = (SELECT MAX(v.version) FROM decisions v WHERE v.application_id = d.application_id)
		AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.person_id = d.person_id AND f.team_id = ? AND f.status <> 'avsluttet')
		UNION ALL SELECT c.person_id, p.first_name || ' ' || p.last_name, 0, '', NULL FROM case_units c JOIN persons p ON p.id = c.person_id
		WHERE c.municipality_id = ? AND c.org_unit_id = ? AND c.ended_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.person_id = c.person_id AND f.team_id = ? AND f.status <> 'avsluttet')
		ORDER BY 2, 3 DESC LIMIT 200`, a.MunicipalityID, t.OrgUnitID, t.ID, a.MunicipalityID, t.OrgUnitID, t.ID)
	list, err := store.Collect(rows, err, func(s store.Scanner) (c Candidate, err error) {
		err = s.Scan(&c.PersonID, &c.PersonName, &c.DecisionID, &c.ServiceCode, &c.StartOn)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	out := []access.Personal[Candidate]{}
	for _, c := range list {
		// One line per person: the decision when there is one.
		if seen[c.PersonID] && c.DecisionID == 0 {
			continue
		}
		seen[c.PersonID] = true
		out = append(out, access.Tag(c.PersonID, c, access.Basic))
	}
	return out, rd.Send(ctx, &out)
}

// AlertsFor gives the alerts of the teams the actor works in: a member's
// teams, or for a leader the teams of their unit. They name residents by
// id only; the board and the day's visits show who.
func AlertsFor(ctx context.Context, q store.Queryer, a access.Actor, today deadline.Date) ([]Alert, error) {
	if a.Role != access.FollowUp && a.Role != access.UnitLeader {
		return nil, access.ErrForbidden
	}
	rows, err := q.QueryContext(ctx, `SELECT t.id FROM followup_teams t WHERE t.municipality_id = ? AND (t.org_unit_id = ?
		OR EXISTS (SELECT 1 FROM followup_members m WHERE m.team_id = t.id AND m.user_id = ?)) ORDER BY t.id`, a.MunicipalityID, a.OrgUnitID, a.UserID)
	ids, err := store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
	if err != nil {
		return nil, err
	}
	out := []Alert{}
	for _, id := range ids {
		got, err := AlertsOf(ctx, q, a.MunicipalityID, id, 0, today)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}
