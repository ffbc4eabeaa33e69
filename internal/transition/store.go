package transition

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

func bad(p []invalid.Message) error {
	if len(p) == 0 {
		return nil
	}
	return invalid.New(p...)
}

// plans reports whether the actor plans transitions and stays: the
// housing office, the follow-up teams and their leaders (NAV's duty under
// sosialtjenesteloven § 27 sits with the case workers).
func plans(a access.Actor) bool {
	return a.Role == access.CaseWorker || a.Role == access.FollowUp || a.Role == access.UnitLeader
}

// known checks that a person is in the actor's municipality and that the
// actor's unit may see them: a person they cannot see is answered as one
// that does not exist.
func known(ctx context.Context, q store.Queryer, a access.Actor, personID int64) error {
	_, err := access.Authorize(ctx, q, a, personID)
	if errors.Is(err, access.ErrUnknownPerson) {
		return invalid.New(invalid.F("Person: finner ingen person med dette nummeret i kommunen"))
	}
	return err
}

// staffName is the name snapshot of a staff user in the municipality.
func staffName(ctx context.Context, q store.Queryer, municipalityID, userID int64) (string, error) {
	var name, role string
	err := q.QueryRowContext(ctx, "SELECT full_name, role FROM users WHERE id = ? AND municipality_id = ? AND active = ?", userID, municipalityID, true).Scan(&name, &role)
	if errors.Is(err, sql.ErrNoRows) || role == string(access.Resident) {
		return "", invalid.New(invalid.F("Ansvarlig: finner ingen ansatt med dette nummeret i kommunen"))
	}
	return name, err
}

// Register records a transition. Bad input changes nothing.
func Register(ctx context.Context, q store.Queryer, a access.Actor, in Input) (int64, error) {
	if !plans(a) {
		return 0, access.ErrForbidden
	}
	in.MeetingWith = strings.TrimSpace(in.MeetingWith)
	if err := bad(in.Check()); err != nil {
		return 0, err
	}
	if err := known(ctx, q, a, in.PersonID); err != nil {
		return 0, err
	}
	if in.Kind == ChildWelfare {
		if err := aftercare(ctx, q, a.MunicipalityID, in.PersonID, in.Leaving, "Fra"); err != nil {
			return 0, err
		}
	}
	name, err := staffName(ctx, q, a.MunicipalityID, in.ResponsibleID)
	if err != nil {
		return 0, err
	}
	var contact any
	if in.ContactID > 0 {
		var n int
		if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM contacts WHERE id = ? AND person_id = ? AND municipality_id = ?",
			in.ContactID, in.PersonID, a.MunicipalityID).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, invalid.New(invalid.F("Henvendelse: finner ikke henvendelsen for denne personen"))
		}
		contact = in.ContactID
	}
	var meeting any
	if !in.MeetingOn.IsZero() {
		meeting = in.MeetingOn
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO transitions (municipality_id, person_id, kind, category, institution_kind, leaving_on, responsible_id, responsible_name, meeting_on, meeting_with,
		contact_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, in.PersonID, string(in.Kind), string(in.Kind.Category()), string(in.Institution),
		in.Leaving, in.ResponsibleID, name, meeting, in.MeetingWith, contact, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "overgang", EntityID: id,
		After: map[string]any{"person_id": in.PersonID, "leaving_on": in.Leaving, "responsible_id": in.ResponsibleID}})
}

// owned reads a transition's person for a change and checks the actor
// may change it.
func owned(ctx context.Context, q store.Queryer, a access.Actor, id int64) (int64, Outcome, error) {
	if !plans(a) {
		return 0, "", access.ErrForbidden
	}
	var person int64
	var outcome Outcome
	var kind Kind
	err := q.QueryRowContext(ctx, "SELECT person_id, outcome, kind FROM transitions WHERE id = ? AND municipality_id = ?", id, a.MunicipalityID).Scan(&person, &outcome, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrNotFound
	}
	if err != nil {
		return 0, "", err
	}
	// Changing a transition shows it: the actor's grant must include
	// what its kind reveals.
	g, err := access.Authorize(ctx, q, a, person)
	if err == nil && !g.Allows(kind.Category()) {
		err = access.ErrForbidden
	}
	return person, outcome, err
}

// PlanMeeting records the early planning meeting: when, and who takes part.
func PlanMeeting(ctx context.Context, q store.Queryer, a access.Actor, id int64, on deadline.Date, with string) error {
	if _, _, err := owned(ctx, q, a, id); err != nil {
		return err
	}
	with = strings.TrimSpace(with)
	var p []invalid.Message
	if on.IsZero() {
		p = append(p, invalid.F("Planleggingsmøte: skriv datoen for møtet"))
	}
	if with == "" || len([]rune(with)) > 500 {
		p = append(p, invalid.F("Deltakere: skriv hvem som deltar (høyst 500 tegn)"))
	}
	if err := bad(p); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE transitions SET meeting_on = ?, meeting_with = ? WHERE id = ? AND municipality_id = ?", on, with, id, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "planleggingsmote", Entity: "overgang", EntityID: id})
}

// RecordOutcome records where the person went: a safe home, temporary
// housing or nothing.
func RecordOutcome(ctx context.Context, q store.Queryer, a access.Actor, id int64, o Outcome, on, today deadline.Date) error {
	if _, _, err := owned(ctx, q, a, id); err != nil {
		return err
	}
	if on.IsZero() {
		on = today
	}
	var p []invalid.Message
	if !o.Valid() {
		p = append(p, invalid.F("Utfall: velg trygg bolig, midlertidig botilbud eller ingenting"))
	}
	if today.Before(on) {
		p = append(p, invalid.F("Utfallsdato: datoen kan ikke være fram i tid"))
	}
	if err := bad(p); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE transitions SET outcome = ?, outcome_on = ? WHERE id = ? AND municipality_id = ?", string(o), on, id, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "utfall", Entity: "overgang", EntityID: id,
		After: map[string]any{"outcome": o}})
}

const transitionColumns = `t.id, t.person_id, p.first_name || ' ' || p.last_name, t.kind, t.leaving_on, COALESCE(t.responsible_id, 0), t.responsible_name,
	t.meeting_on, t.meeting_with, t.outcome, t.outcome_on, COALESCE(t.contact_id, 0), t.institution_kind, COALESCE(t.responsible_unit_id, 0)`

func scanTransition(s store.Scanner, today deadline.Date) (t Transition, err error) {
	err = s.Scan(&t.ID, &t.PersonID, &t.PersonName, &t.Kind, &t.Leaving, &t.ResponsibleID, &t.ResponsibleName, &t.MeetingOn, &t.MeetingWith,
		&t.Outcome, &t.OutcomeOn, &t.ContactID, &t.Institution, &t.ResponsibleUnitID)
	t.Alert = Alert(t.Leaving, t.Outcome, today)
	return t, err
}

// Filter narrows the register.
type Filter struct {
	// Open lists only transitions without an outcome.
	Open bool
	// Mine lists only the actor's own.
	Mine bool
	// Within lists only dates up to this many days ahead (0: all).
	Within int
}

// List reads the register for the reader, nearest date first: the persons
// the actor's unit may see (access.VisibleClause), each row tagged with
// the category its kind reveals, so a row the grant does not cover is
// left out. One query; the reads are logged.
func List(ctx context.Context, rd *access.Reader, f Filter, today deadline.Date, limit int) ([]access.Personal[Transition], error) {
	a := rd.Actor()
	if !a.SeesPersons() || a.Role == access.Resident {
		return nil, access.ErrForbidden
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	visible, vargs := access.VisibleClause(a)
	cond, args := "", []any{a.MunicipalityID}
	if f.Open {
		cond += " AND t.outcome = ''"
	}
	if f.Mine {
		// The actor's own, and their unit's while no one person has it.
		cond, args = cond+" AND (t.responsible_id = ? OR (t.responsible_id IS NULL AND t.responsible_unit_id = ?))", append(args, a.UserID, a.OrgUnitID)
	}
	if f.Within > 0 {
		cond, args = cond+" AND t.leaving_on <= ?", append(args, today.AddDays(f.Within))
	}
	args = append(append(args, vargs...), limit)
	rows, err := rd.Q().QueryContext(ctx, `SELECT `+transitionColumns+` FROM transitions t JOIN persons p ON p.id = t.person_id
		WHERE t.municipality_id = ?`+cond+` AND `+visible+` ORDER BY t.outcome <> '', t.leaving_on, t.id LIMIT ?`, args...)
	list, err := store.Collect(rows, err, func(s store.Scanner) (Transition, error) { return scanTransition(s, today) })
	if err != nil {
		return nil, err
	}
	return send(ctx, rd, list)
}

// send authorizes the listed persons at once, tags each transition with
// what it reveals, runs the redaction step (which logs the reads) and
// drops the rows the grant hid.
func send(ctx context.Context, rd *access.Reader, list []Transition) ([]access.Personal[Transition], error) {
	ids := make([]int64, len(list))
	for i, t := range list {
		ids[i] = t.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, err
	}
	out := make([]access.Personal[Transition], len(list))
	for i, t := range list {
		out[i] = access.Tag(t.PersonID, t, access.Basic, t.Kind.Category())
	}
	if err := rd.Send(ctx, &out); err != nil {
		return nil, err
	}
	return access.OnlyShown(out), nil
}

// Get reads one transition through the access rules.
func Get(ctx context.Context, rd *access.Reader, id int64, today deadline.Date) (access.Personal[Transition], error) {
	a := rd.Actor()
	// The register is the staff's planning tool, as List is; a resident
	// reads what is kept about them in their own copy of their data.
	if !a.SeesPersons() || a.Role == access.Resident {
		return access.Personal[Transition]{}, access.ErrForbidden
	}
	rows, err := rd.Q().QueryContext(ctx, `SELECT `+transitionColumns+` FROM transitions t JOIN persons p ON p.id = t.person_id
		WHERE t.id = ? AND t.municipality_id = ?`, id, a.MunicipalityID)
	list, err := store.Collect(rows, err, func(s store.Scanner) (Transition, error) { return scanTransition(s, today) })
	if err != nil {
		return access.Personal[Transition]{}, err
	}
	if len(list) == 0 {
		return access.Personal[Transition]{}, ErrNotFound
	}
	g, err := rd.Authorize(ctx, list[0].PersonID)
	if err != nil {
		return access.Personal[Transition]{}, err
	}
	if !g.Allows(list[0].Kind.Category()) {
		return access.Personal[Transition]{}, access.ErrForbidden
	}
	out, err := send(ctx, rd, list)
	if err != nil || len(out) == 0 {
		return access.Personal[Transition]{}, errors.Join(err, access.ErrForbidden)
	}
	return out[0], nil
}

// Alerts are the actor's own open transitions that have reached an alert
// (8 weeks or closer), for the start page: one query, at most limit rows.
func Alerts(ctx context.Context, rd *access.Reader, today deadline.Date, limit int) ([]access.Personal[Transition], error) {
	return List(ctx, rd, Filter{Open: true, Mine: true, Within: 7 * AlertWeeks[0]}, today, limit)
}

// Offer is a first contact saying the person is in an institution or
// prison with a date, and no transition made from it yet.
type Offer struct {
	ContactID  int64         `json:"contact_id"`
	PersonID   int64         `json:"person_id"`
	PersonName string        `json:"person_name"`
	Kind       Kind          `json:"kind"`
	Leaving    deadline.Date `json:"leaving_on"`
	Received   deadline.Date `json:"received_on"`
}

// Offers lists first contacts (caseflow's intake: residence institution
// or prison with a leaving date) whose date has not passed, that did not
// say a transition themselves (those fed the register, Feed) and that no
// transition was made from: the register offers to create one. One query.
func Offers(ctx context.Context, rd *access.Reader, today deadline.Date, limit int) ([]access.Personal[Offer], error) {
	a := rd.Actor()
	if a.Role == access.Resident {
		return nil, access.ErrForbidden
	}
	if !plans(a) {
		return []access.Personal[Offer]{}, nil
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	visible, vargs := access.VisibleClause(a)
	rows, err := rd.Q().QueryContext(ctx, `SELECT c.id, c.person_id, p.first_name || ' ' || p.last_name, c.residence, c.leaving_on, c.received_on
		FROM contacts c JOIN persons p ON p.id = c.person_id
		WHERE c.municipality_id = ? AND c.residence IN ('institusjon', 'fengsel') AND c.leaving_on >= ? AND c.transition_kind = ''
		AND NOT EXISTS (SELECT 1 FROM transitions t WHERE t.contact_id = c.id) AND `+visible+`
		ORDER BY c.leaving_on, c.id LIMIT ?`, append(append([]any{a.MunicipalityID, today}, vargs...), limit)...)
	list, err := store.Collect(rows, err, func(s store.Scanner) (o Offer, err error) {
		err = s.Scan(&o.ContactID, &o.PersonID, &o.PersonName, &o.Kind, &o.Leaving, &o.Received)
		return o, err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, o := range list {
		ids[i] = o.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, err
	}
	out := make([]access.Personal[Offer], len(list))
	for i, o := range list {
		// The offer shows what the first contact itself shows, and
		// caseflow files a contact's residence under the housing need.
		out[i] = access.Tag(o.PersonID, o, access.Basic, access.HousingNeeds)
	}
	if err := rd.Send(ctx, &out); err != nil {
		return nil, err
	}
	return access.OnlyShown(out), nil
}

// GroupCount is how many transitions of one kind ended in one outcome.
type GroupCount struct {
	Kind    Kind    `json:"kind"`
	Outcome Outcome `json:"outcome"`
	Count   int     `json:"count"`
}

// Report counts the transitions whose date fell in from..to by kind and
// outcome, with "" for those still without one: the left-without-a-home
// report by group. Figures only, no person named, so nothing is logged.
func Report(ctx context.Context, q store.Queryer, a access.Actor, from, to deadline.Date) ([]GroupCount, error) {
	if a.Role == access.Resident || a.MunicipalityID == 0 {
		return nil, access.ErrForbidden
	}
	rows, err := q.QueryContext(ctx, `SELECT kind, outcome, COUNT(*) FROM transitions WHERE municipality_id = ? AND leaving_on >= ? AND leaving_on <= ?
		GROUP BY kind, outcome ORDER BY kind, outcome`, a.MunicipalityID, from, to)
	return store.Collect(rows, err, func(s store.Scanner) (g GroupCount, err error) {
		err = s.Scan(&g.Kind, &g.Outcome, &g.Count)
		return g, err
	})
}

// Row is one group's line in the report.
type Row struct {
	Kind     Kind `json:"kind"`
	Total    int  `json:"total"`
	SafeHome int  `json:"safe_home"`
	TempHome int  `json:"temporary"`
	NoHome   int  `json:"no_home"`
	Unknown  int  `json:"unknown"`
}

// Table lays the counts out one row per kind, every kind present.
func Table(counts []GroupCount) []Row {
	rows := make([]Row, len(Kinds))
	for i, k := range Kinds {
		rows[i].Kind = k
	}
	for _, c := range counts {
		for i := range rows {
			if rows[i].Kind != c.Kind {
				continue
			}
			rows[i].Total += c.Count
			switch c.Outcome {
			case SafeHome:
				rows[i].SafeHome += c.Count
			case TempHome:
				rows[i].TempHome += c.Count
			case NoHome:
				rows[i].NoHome += c.Count
			default:
				rows[i].Unknown += c.Count
			}
		}
	}
	return rows
}

// LoadSettings reads the municipality's limits, or the defaults.
func LoadSettings(ctx context.Context, q store.Queryer, municipalityID int64) (Settings, error) {
	s := Settings{Custom: true}
	err := q.QueryRowContext(ctx, "SELECT visit_weeks, check_months, stay_days, family_stay_days, source FROM transition_settings WHERE municipality_id = ?",
		municipalityID).Scan(&s.VisitWeeks, &s.CheckMonths, &s.StayDays, &s.FamilyStayDays, &s.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings, nil
	}
	return s, err
}

// SaveSettings sets the municipality's own limits with their source, in
// the audit chain. Only a unit leader or the administrator may.
func SaveSettings(ctx context.Context, q store.Queryer, a access.Actor, s Settings) error {
	if a.Role != access.UnitLeader && a.Role != access.Admin {
		return access.ErrForbidden
	}
	s.Source = strings.TrimSpace(s.Source)
	if err := bad(s.Check()); err != nil {
		return err
	}
	before, err := LoadSettings(ctx, q, a.MunicipalityID)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "DELETE FROM transition_settings WHERE municipality_id = ?", a.MunicipalityID); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO transition_settings (municipality_id, visit_weeks, check_months, stay_days, family_stay_days, source, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, s.VisitWeeks, s.CheckMonths, s.StayDays, s.FamilyStayDays, s.Source, a.Name, store.TimeArg(time.Now())); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "overgangsgrenser",
		Before: before, After: s})
}

// MayChange reports, as an error, whether the actor may change the
// transition: the API asks before it reads a request's body.
func MayChange(ctx context.Context, q store.Queryer, a access.Actor, id int64) error {
	_, _, err := owned(ctx, q, a, id)
	return err
}
