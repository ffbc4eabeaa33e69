package allocation

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/pdf"
	"husly/internal/phrase"
	"husly/internal/store"
)

// The allocation meeting (tildelingsmøte): held on a schedule, with the
// agencies that must be there; its agenda is the round's proposals and the
// cases deferred before; it decides each proposal, and an approved one
// becomes an offer in the case flow. Complex cases are deferred when a
// required agency is missing, and one unit's word settles a disagreement.

// ErrNotFound is returned for a meeting or item not in the municipality.
var ErrNotFound = errors.New("møtet finnes ikke")

// Schedule is when meetings are held and who must be there.
type Schedule struct {
	IntervalDays  int     `json:"interval_days"`
	RequiredUnits []int64 `json:"required_unit_ids"`
	TieBreakUnit  int64   `json:"tie_break_unit_id"`
}

// ScheduleOf gives the municipality's schedule: every 14 days, and by
// default no agency required, until one is set.
func ScheduleOf(ctx context.Context, q store.Queryer, municipalityID int64) (Schedule, error) {
	var s Schedule
	var units string
	var tie sql.NullInt64
	err := q.QueryRowContext(ctx, "SELECT interval_days, required_units, tie_break_unit_id FROM meeting_schedules WHERE municipality_id = ?", municipalityID).
		Scan(&s.IntervalDays, &units, &tie)
	if errors.Is(err, sql.ErrNoRows) {
		return Schedule{IntervalDays: 14, RequiredUnits: []int64{}}, nil
	}
	s.TieBreakUnit = tie.Int64
	s.RequiredUnits = []int64{}
	for _, x := range splitList(units, ",") {
		id, _ := strconv.ParseInt(x, 10, 64)
		s.RequiredUnits = append(s.RequiredUnits, id)
	}
	return s, err
}

// SetSchedule stores the schedule (administrators and unit leaders).
func SetSchedule(ctx context.Context, q store.Queryer, a access.Actor, s Schedule) error {
	if a.Role != access.Admin && a.Role != access.UnitLeader {
		return access.ErrForbidden
	}
	var problems []invalid.Message
	if s.IntervalDays < 1 || s.IntervalDays > 90 {
		problems = append(problems, invalid.F("møtene må holdes med 1 til 90 dagers mellomrom"))
	}
	for _, id := range append(slices.Clone(s.RequiredUnits), s.TieBreakUnit) {
		if id == 0 {
			continue
		}
		var n int
		if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM org_units WHERE municipality_id = ? AND id = ?", a.MunicipalityID, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			problems = append(problems, invalid.F("enhet %d finnes ikke i kommunen", id))
		}
	}
	if len(problems) > 0 {
		return &InputError{problems}
	}
	ids := make([]string, len(s.RequiredUnits))
	for i, id := range s.RequiredUnits {
		ids[i] = strconv.FormatInt(id, 10)
	}
	var tie any
	if s.TieBreakUnit != 0 {
		tie = s.TieBreakUnit
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO meeting_schedules (municipality_id, interval_days, required_units, tie_break_unit_id, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (municipality_id) DO UPDATE SET interval_days = excluded.interval_days, required_units = excluded.required_units,
		tie_break_unit_id = excluded.tie_break_unit_id, updated_at = excluded.updated_at`,
		a.MunicipalityID, s.IntervalDays, strings.Join(ids, ","), tie, store.TimeArg(time.Now())); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "møteplan", EntityID: a.MunicipalityID, After: s})
}

// Meeting is one allocation meeting with its attendance and agenda.
type Meeting struct {
	ID        int64         `json:"id"`
	HeldOn    deadline.Date `json:"held_on"`
	Status    MeetingStatus `json:"status"`
	CreatedBy string        `json:"created_by"`
	// The rest is filled in by LoadMeeting, not by the list of meetings.
	Schedule Schedule     `json:"schedule,omitzero"`
	Present  []Attendance `json:"present,omitempty"`
	Missing  []string     `json:"missing_required,omitempty"`
	// Quorum is true only when attendance is recorded and every required
	// agency is present: a meeting where no one is registered has none.
	Quorum bool `json:"quorum"`
	// AttendanceRecorded is whether anyone has been registered present;
	// no case is decided before.
	AttendanceRecorded bool `json:"attendance_recorded"`
	// Undecided counts the agenda's items without a decision, those the
	// viewer may not see included (closing defers them all).
	Undecided int    `json:"undecided"`
	TieBreak  string `json:"tie_break_unit,omitempty"`
	// Items are the cases on the agenda the viewer may see: an applicant
	// the viewer may not see leaves no trace but the count of such items.
	Items  []access.Personal[Item] `json:"items,omitempty"`
	Hidden int                     `json:"hidden_items,omitempty"`
	NextOn deadline.Date           `json:"next_meeting_on,omitzero"`
}

// Attendance is one unit present, and who came.
type Attendance struct {
	OrgUnitID int64  `json:"org_unit_id"`
	Name      string `json:"org_unit_name"`
	Attendees string `json:"attendees"`
}

// Item is one case on the agenda.
type Item struct {
	ID            int64    `json:"id"`
	ApplicationID int64    `json:"application_id"`
	PersonName    string   `json:"person_name"`
	UnitID        int64    `json:"unit_id,omitempty"`
	UnitCode      string   `json:"unit_code,omitempty"`
	UnitAddress   string   `json:"unit_address,omitempty"`
	Score         float64  `json:"score"`
	Reasons       []string `json:"reasons"`
	// Said is the reasons as phrases, one per reason, written in the
	// reader's language; an item stored before phrases has none.
	Said []phrase.Phrase `json:"reason_phrases,omitempty"`
	// Alternatives are the other candidates the viewer may see.
	Alternatives   []access.Personal[Alternative] `json:"alternatives"`
	Complex        bool                           `json:"complex"`
	DeferredBefore bool                           `json:"deferred_before"`
	Decision       Verdict                        `json:"decision"`
	DecisionReason string                         `json:"decision_reason"`
	TieBreak       bool                           `json:"tie_break"`
	OfferID        int64                          `json:"offer_id,omitempty"`
	DecidedBy      string                         `json:"decided_by,omitempty"`
}

// decisionName names an item's decision (allocation.decision.<code>, none
// when undecided) where a message or the minutes need it.
func decisionName(d Verdict) i18n.Code {
	return i18n.Lower("allocation.decision", cmp.Or(string(d), "none"))
}

// OpenMeeting creates a meeting for a day with its agenda: the round's
// proposals, and the cases deferred at earlier meetings that still wait.
func OpenMeeting(ctx context.Context, q store.Queryer, a access.Actor, heldOn, today deadline.Date) (int64, error) {
	if !a.Writes() {
		return 0, access.ErrForbidden
	}
	var problems []invalid.Message
	day := today
	if !heldOn.IsZero() {
		day = heldOn
	}
	if day.Before(today) {
		problems = append(problems, invalid.F("et nytt møte kan ikke holdes tilbake i tid"))
	}
	if len(problems) > 0 {
		return 0, &InputError{problems}
	}
	round, err := RunRound(ctx, q, a, false, today, access.ChannelPage)
	if err != nil {
		return 0, err
	}
	id, err := store.InsertID(ctx, q, "INSERT INTO meetings (municipality_id, held_on, created_by, created_by_id, created_at) VALUES (?, ?, ?, ?, ?)",
		a.MunicipalityID, day.String(), a.Name, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	onAgenda := map[int64]bool{}
	for _, p := range round.Proposals {
		if p.Applicant == nil || p.Vacancy.SharedBy != "" {
			continue // a partner's unit is agreed with its owner, not offered here
		}
		reasons, _ := json.Marshal(p.Reasons)
		alts, _ := json.Marshal(p.Alternatives)
		said, err := phrase.Encode(phrases(p.Said))
		if err != nil {
			return 0, err
		}
		complex := p.Applicant.Need.HighNeed
		if _, err := q.ExecContext(ctx, `INSERT INTO meeting_items (municipality_id, meeting_id, application_id, unit_id, score, reasons, reason_phrases, alternatives, complex)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, id, p.Applicant.ApplicationID, p.Vacancy.Unit.ID, p.Score, string(reasons), said, string(alts), complex); err != nil {
			return 0, err
		}
		onAgenda[p.Applicant.ApplicationID] = true
	}
	// Deferred cases come back, whether or not the round found them a unit.
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT i.application_id, i.complex FROM meeting_items i JOIN applications a ON a.id = i.application_id
		WHERE i.municipality_id = ? AND i.decision = 'utsatt' AND a.status = 'innvilget' AND NOT EXISTS
		(SELECT 1 FROM meeting_items later WHERE later.application_id = i.application_id AND later.id > i.id AND later.decision <> '')`, a.MunicipalityID)
	type deferred struct {
		app     int64
		complex bool
	}
	back, err := store.Collect(rows, err, func(s store.Scanner) (d deferred, err error) { return d, s.Scan(&d.app, &d.complex) })
	if err != nil {
		return 0, err
	}
	for _, d := range back {
		if onAgenda[d.app] {
			if _, err := q.ExecContext(ctx, "UPDATE meeting_items SET deferred_before = ? WHERE meeting_id = ? AND application_id = ?", true, id, d.app); err != nil {
				return 0, err
			}
			continue
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO meeting_items (municipality_id, meeting_id, application_id, complex, deferred_before)
			VALUES (?, ?, ?, ?, ?)`, a.MunicipalityID, id, d.app, d.complex, true); err != nil {
			return 0, err
		}
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "tildelingsmøte", EntityID: id,
		After: map[string]any{"held_on": day.String(), "proposals": len(onAgenda), "deferred": len(back)}})
}

// RecordAttendance sets which units are present at an open meeting.
func RecordAttendance(ctx context.Context, q store.Queryer, a access.Actor, meetingID int64, present []Attendance) error {
	if err := openForChange(ctx, q, a, meetingID); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "DELETE FROM meeting_attendance WHERE municipality_id = ? AND meeting_id = ?", a.MunicipalityID, meetingID); err != nil {
		return err
	}
	for _, p := range present {
		if _, err := q.ExecContext(ctx, "INSERT INTO meeting_attendance (meeting_id, municipality_id, org_unit_id, attendees) VALUES (?, ?, ?, ?)",
			meetingID, a.MunicipalityID, p.OrgUnitID, strings.TrimSpace(p.Attendees)); err != nil {
			return &InputError{[]invalid.Message{invalid.F("enhet %d finnes ikke i kommunen", p.OrgUnitID)}}
		}
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "oppmøte", Entity: "tildelingsmøte", EntityID: meetingID, After: present})
}

func openForChange(ctx context.Context, q store.Queryer, a access.Actor, meetingID int64) error {
	if !a.Writes() {
		return access.ErrForbidden
	}
	var status MeetingStatus
	err := q.QueryRowContext(ctx, "SELECT status FROM meetings WHERE municipality_id = ? AND id = ?", a.MunicipalityID, meetingID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if status != MeetingOpen {
		return &InputError{[]invalid.Message{invalid.F("møtet er avsluttet, og referatet kan ikke endres")}}
	}
	return nil
}

// ItemDecision is the meeting's decision on one item.
type ItemDecision struct {
	Decision Verdict `json:"decision"`
	Reason   string  `json:"reason"`
	TieBreak bool    `json:"tie_break"` // the agencies disagreed; the tie-break unit decided
}

// Offerer makes an offer in the case flow and returns its id.
type Offerer func(applicationID, unitID int64) (int64, error)

// DecideItem records the meeting's decision on an item. Nothing is
// decided before attendance is recorded; an approval of a complex case
// needs every required agency present; a deferral or a rejection needs a
// reason; a tie-break needs the unit with the authority present. An
// approval becomes an offer through offer.
func DecideItem(ctx context.Context, q store.Queryer, a access.Actor, meetingID, itemID int64, d ItemDecision, offer Offerer) error {
	return DecideItems(ctx, q, a, meetingID, []int64{itemID}, d, offer)
}

// DecideItems records one decision on several items at once, all or
// nothing: the caller's transaction is rolled back on any problem, and
// each problem names the item's place on the agenda.
func DecideItems(ctx context.Context, q store.Queryer, a access.Actor, meetingID int64, itemIDs []int64, d ItemDecision, offer Offerer) error {
	if err := openForChange(ctx, q, a, meetingID); err != nil {
		return err
	}
	m, rows, err := loadMeeting(ctx, q, a, meetingID)
	if err != nil {
		return err
	}
	if len(itemIDs) == 0 {
		return &InputError{[]invalid.Message{invalid.F("velg minst én sak å avgjøre")}}
	}
	if !m.AttendanceRecorded {
		return &InputError{[]invalid.Message{invalid.F("registrer hvem som er til stede før møtet avgjør saker")}}
	}
	var problems []invalid.Message
	if !d.Decision.Valid() {
		problems = append(problems, invalid.F("velg godkjent, utsatt eller avvist"))
	}
	if (d.Decision == Deferred || d.Decision == Rejected) && strings.TrimSpace(d.Reason) == "" {
		problems = append(problems, invalid.F("skriv grunnen til at saken utsettes eller avvises"))
	}
	if d.TieBreak {
		if m.TieBreak == "" {
			problems = append(problems, invalid.F("kommunen har ikke utpekt en enhet med beslutningsmyndighet ved uenighet"))
		} else if !slices.ContainsFunc(m.Present, func(p Attendance) bool { return p.OrgUnitID == m.Schedule.TieBreakUnit }) {
			problems = append(problems, invalid.F("%s har beslutningsmyndighet ved uenighet, men er ikke til stede", m.TieBreak))
		}
	}
	if utf8Len(d.Reason) > 2000 {
		problems = append(problems, invalid.F("grunnen kan ha høyst 2000 tegn"))
	}
	var chosen []int // positions on the agenda, in the order given
	for _, id := range itemIDs {
		i := slices.IndexFunc(rows, func(x agendaRow) bool { return x.item.ID == id })
		if i < 0 {
			problems = append(problems, invalid.F("saken står ikke på dagsordenen for dette møtet"))
			continue
		}
		if slices.Contains(chosen, i) {
			continue
		}
		chosen = append(chosen, i)
		for _, p := range itemProblems(m, rows[i].item, d) {
			if len(itemIDs) == 1 {
				problems = append(problems, p)
			} else {
				problems = append(problems, invalid.F("sak %d på dagsordenen: %s", i+1, p))
			}
		}
	}
	if len(problems) > 0 {
		return &InputError{problems}
	}
	for _, i := range chosen {
		it := rows[i].item
		var offerID any
		if d.Decision == Approved {
			id, err := offer(it.ApplicationID, it.UnitID)
			if err != nil {
				return err
			}
			offerID = id
		}
		if _, err := q.ExecContext(ctx, "UPDATE meeting_items SET decision = ?, decision_reason = ?, tie_break = ?, offer_id = ?, decided_by = ?, decided_by_id = ? WHERE id = ?",
			d.Decision, strings.TrimSpace(d.Reason), d.TieBreak, offerID, a.Name, a.UserRef(), it.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "avgjør", Entity: "sak i tildelingsmøte", EntityID: it.ID,
			After: map[string]any{"meeting": meetingID, "application": it.ApplicationID, "decision": d}}); err != nil {
			return err
		}
	}
	return nil
}

// itemProblems is what stands in the way of a decision on one item.
func itemProblems(m Meeting, it Item, d ItemDecision) []invalid.Message {
	var problems []invalid.Message
	if d.Decision == Approved {
		if it.UnitID == 0 {
			problems = append(problems, invalid.F("saken har ingen foreslått bolig i denne runden: den kan utsettes eller avvises"))
		}
		if it.Complex && !m.Quorum {
			problems = append(problems, invalid.F("saken er kompleks, og %s er ikke til stede: den må utsettes til et møte der alle etater er representert", strings.Join(m.Missing, ", ")))
		}
	}
	if it.Decision != Undecided {
		problems = append(problems, invalid.F("saken er allerede avgjort i møtet (%s)", decisionName(it.Decision)))
	}
	return problems
}

func utf8Len(s string) int { return len([]rune(s)) }

// CloseMeeting ends a meeting; its minutes are then final. Items still
// undecided are deferred to the next meeting with the reason given, and
// without a reason the meeting is not closed: nothing is left hanging.
func CloseMeeting(ctx context.Context, q store.Queryer, a access.Actor, meetingID int64, deferReason string) error {
	if err := openForChange(ctx, q, a, meetingID); err != nil {
		return err
	}
	var undecided int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM meeting_items WHERE municipality_id = ? AND meeting_id = ? AND decision = ''",
		a.MunicipalityID, meetingID).Scan(&undecided); err != nil {
		return err
	}
	deferReason = strings.TrimSpace(deferReason)
	if undecided > 0 {
		switch {
		case deferReason == "":
			// The whole sentence is counted: the noun and its pronoun follow the number.
			return &InputError{[]invalid.Message{invalid.F("%s", i18n.Counted("meeting.close.undecided", undecided))}}
		case utf8Len(deferReason) > 2000:
			return &InputError{[]invalid.Message{invalid.F("grunnen kan ha høyst 2000 tegn")}}
		}
		if _, err := q.ExecContext(ctx, `UPDATE meeting_items SET decision = ?, decision_reason = ?, decided_by = ?, decided_by_id = ?
			WHERE municipality_id = ? AND meeting_id = ? AND decision = ''`, Deferred, deferReason, a.Name, a.UserRef(), a.MunicipalityID, meetingID); err != nil {
			return err
		}
	}
	if _, err := q.ExecContext(ctx, "UPDATE meetings SET status = 'avsluttet', closed_at = ? WHERE id = ?", store.TimeArg(time.Now()), meetingID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "avslutt", Entity: "tildelingsmøte", EntityID: meetingID,
		After: map[string]any{"deferred": undecided, "reason": deferReason}})
}

// LoadMeeting reads a meeting for the actor. Each agenda item is about one
// applicant and is sent only when the actor may see that applicant (the
// relationship filter of lists): the application id, the unit, the
// reasons and the decision's reason of anyone else stay on the server, and
// every item sent is a logged read of the applicant's name and housing
// need. Other candidates named on an item are filtered the same way.
func LoadMeeting(ctx context.Context, q store.Queryer, a access.Actor, meetingID int64, channel string) (Meeting, error) {
	m, rows, err := loadMeeting(ctx, q, a, meetingID)
	if err != nil {
		return Meeting{}, err
	}
	rd := access.NewReader(q, a, channel)
	allowed, err := rd.RoleAllows(ctx, access.HousingNeeds)
	if err != nil {
		return Meeting{}, err
	}
	var cats access.CategorySet
	if allowed {
		cats = access.SetOf(access.HousingNeeds)
	}
	// The other candidates: their persons and whether the actor may see
	// them, in one query.
	var altIDs []any
	for _, x := range rows {
		if x.seen {
			for _, alt := range x.alts {
				altIDs = append(altIDs, alt.ApplicationID)
			}
		}
	}
	personOf := map[int64]int64{}
	if len(altIDs) > 0 {
		visible, vargs := access.VisibleClause(a)
		res, err := q.QueryContext(ctx, `SELECT ap.id, p.id FROM applications ap JOIN persons p ON p.id = ap.person_id
			WHERE ap.municipality_id = ? AND `+visible+` AND ap.id IN (?`+strings.Repeat(", ?", len(altIDs)-1)+")",
			append(append([]any{a.MunicipalityID}, vargs...), altIDs...)...)
		type pair struct{ app, person int64 }
		pairs, err := store.Collect(res, err, func(s store.Scanner) (x pair, err error) { return x, s.Scan(&x.app, &x.person) })
		if err != nil {
			return Meeting{}, err
		}
		for _, x := range pairs {
			personOf[x.app] = x.person
			rd.Listed(cats, x.person)
		}
	}
	for _, x := range rows {
		if !x.seen {
			m.Hidden++
			continue
		}
		rd.Listed(cats, x.person)
		it := x.item
		it.Alternatives = make([]access.Personal[Alternative], 0, len(x.alts))
		for _, alt := range x.alts {
			// A candidate the actor may not see has no person here, so no grant: hidden.
			it.Alternatives = append(it.Alternatives, access.Tag(personOf[alt.ApplicationID], alt, access.Basic, access.HousingNeeds))
		}
		m.Items = append(m.Items, access.Tag(x.person, it, access.Basic, access.HousingNeeds))
	}
	return m, rd.Send(ctx, &m)
}

// agendaRow is an agenda item as stored, with its applicant.
type agendaRow struct {
	item   Item
	alts   []Alternative
	person int64
	seen   bool // the actor may find the applicant in lists
}

// loadMeeting reads a meeting and its whole agenda, for the capability's
// own use (deciding an item) and for LoadMeeting to filter.
func loadMeeting(ctx context.Context, q store.Queryer, a access.Actor, meetingID int64) (Meeting, []agendaRow, error) {
	if !a.Writes() && a.Role != access.Auditor {
		return Meeting{}, nil, access.ErrForbidden
	}
	var m Meeting
	err := q.QueryRowContext(ctx, "SELECT id, held_on, status, created_by FROM meetings WHERE municipality_id = ? AND id = ?", a.MunicipalityID, meetingID).
		Scan(&m.ID, &m.HeldOn, &m.Status, &m.CreatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return Meeting{}, nil, ErrNotFound
	}
	if err != nil {
		return Meeting{}, nil, err
	}
	if m.Schedule, err = ScheduleOf(ctx, q, a.MunicipalityID); err != nil {
		return Meeting{}, nil, err
	}
	m.NextOn = m.HeldOn.AddDays(m.Schedule.IntervalDays)
	rows, err := q.QueryContext(ctx, `SELECT t.org_unit_id, o.name, t.attendees FROM meeting_attendance t JOIN org_units o ON o.id = t.org_unit_id
		WHERE t.municipality_id = ? AND t.meeting_id = ? ORDER BY o.name`, a.MunicipalityID, meetingID)
	if m.Present, err = store.Collect(rows, err, func(s store.Scanner) (x Attendance, err error) {
		return x, s.Scan(&x.OrgUnitID, &x.Name, &x.Attendees)
	}); err != nil {
		return Meeting{}, nil, err
	}
	// The names of the required units and the tie-break unit, in one query.
	in, ids := store.In(append(slices.Clone(m.Schedule.RequiredUnits), m.Schedule.TieBreakUnit))
	rows, err = q.QueryContext(ctx, "SELECT id, name FROM org_units WHERE municipality_id = ? AND id IN "+in, append([]any{a.MunicipalityID}, ids...)...)
	type unitName struct {
		id   int64
		name string
	}
	names, err := store.Collect(rows, err, func(s store.Scanner) (u unitName, err error) { return u, s.Scan(&u.id, &u.name) })
	if err != nil {
		return Meeting{}, nil, err
	}
	nameOf := func(id int64) (string, error) {
		for _, u := range names {
			if u.id == id {
				return u.name, nil
			}
		}
		return "", fmt.Errorf("enhet %d finnes ikke i kommunen", id)
	}
	m.Missing = []string{}
	for _, id := range m.Schedule.RequiredUnits {
		if !slices.ContainsFunc(m.Present, func(p Attendance) bool { return p.OrgUnitID == id }) {
			name, err := nameOf(id)
			if err != nil {
				return Meeting{}, nil, err
			}
			m.Missing = append(m.Missing, name)
		}
	}
	m.AttendanceRecorded = len(m.Present) > 0
	m.Quorum = m.AttendanceRecorded && len(m.Missing) == 0
	if m.Schedule.TieBreakUnit != 0 {
		if m.TieBreak, err = nameOf(m.Schedule.TieBreakUnit); err != nil {
			return Meeting{}, nil, err
		}
	}
	visible, vargs := access.VisibleClause(a)
	rows, err = q.QueryContext(ctx, `SELECT i.id, i.application_id, p.id, p.first_name || ' ' || p.last_name, CASE WHEN `+visible+` THEN 1 ELSE 0 END,
		COALESCE(i.unit_id, 0), COALESCE(u.code, ''), COALESCE(u.address, ''), i.score, i.reasons, i.reason_phrases, i.alternatives, i.complex, i.deferred_before,
		i.decision, i.decision_reason, i.tie_break, COALESCE(i.offer_id, 0), i.decided_by
		FROM meeting_items i JOIN applications ap ON ap.id = i.application_id JOIN persons p ON p.id = ap.person_id LEFT JOIN units u ON u.id = i.unit_id
		WHERE i.municipality_id = ? AND i.meeting_id = ? ORDER BY i.id`, append(vargs, a.MunicipalityID, meetingID)...)
	agenda, err := store.Collect(rows, err, func(s store.Scanner) (x agendaRow, err error) {
		var seen int
		var reasons, said, alts string
		if err = s.Scan(&x.item.ID, &x.item.ApplicationID, &x.person, &x.item.PersonName, &seen, &x.item.UnitID, &x.item.UnitCode, &x.item.UnitAddress,
			&x.item.Score, &reasons, &said, &alts, &x.item.Complex, &x.item.DeferredBefore, &x.item.Decision, &x.item.DecisionReason, &x.item.TieBreak,
			&x.item.OfferID, &x.item.DecidedBy); err != nil {
			return x, err
		}
		x.seen = seen == 1
		if err := json.Unmarshal([]byte(reasons), &x.item.Reasons); err != nil {
			return x, err
		}
		if x.item.Said, err = phrase.Decode(said); err != nil {
			return x, err
		}
		return x, json.Unmarshal([]byte(alts), &x.alts)
	})
	for _, x := range agenda {
		if x.item.Decision == Undecided {
			m.Undecided++
		}
	}
	return m, agenda, err
}

// MeetingKey is a meeting's place in the list of meetings (newest first):
// the page after it starts with the next older meeting.
type MeetingKey struct {
	HeldOn deadline.Date
	ID     int64
}

// Key is the meeting's place in the list.
func (m Meeting) Key() MeetingKey { return MeetingKey{m.HeldOn, m.ID} }

// MeetingsAfter lists one page of the municipality's meetings, newest
// first: at most limit after the meeting at after (the zero key for the
// first page), and whether more follow. Paged by key, so no meeting is
// left out however many the municipality has held.
func MeetingsAfter(ctx context.Context, q store.Queryer, a access.Actor, after MeetingKey, limit int) ([]Meeting, bool, error) {
	return MeetingsWhere(ctx, q, a, MeetingFilter{}, deadline.Date{}, after, limit)
}

// WriteMinutes writes the meeting's minutes as PDF: who was there, whether
// every required agency was, and each case with its decision and reason.
func (m Meeting) WriteMinutes(w io.Writer, municipality string, made time.Time) error {
	doc := pdf.New("Referat fra tildelingsmøte "+m.HeldOn.Norwegian(), municipality+" kommune", made)
	doc.Heading("Til stede")
	var rows [][]string
	for _, p := range m.Present {
		rows = append(rows, []string{p.Name, p.Attendees})
	}
	doc.Table([]string{"Enhet", "Deltakere"}, []float64{70, 100}, rows)
	switch {
	case !m.AttendanceRecorded:
		doc.Text("Oppmøtet er ikke registrert.")
	case m.Quorum:
		doc.Text("Alle etater som skal være representert, var til stede.")
	default:
		doc.Text("Ikke til stede: " + strings.Join(m.Missing, ", ") + ". Komplekse saker ble derfor utsatt.")
	}
	if m.TieBreak != "" {
		doc.Text("Ved uenighet har " + m.TieBreak + " beslutningsmyndighet.")
	}
	doc.Heading("Saker")
	rows = nil
	for _, x := range m.Items {
		it := x.Value()
		unit := "–"
		if it.UnitCode != "" {
			unit = it.UnitCode + ", " + it.UnitAddress
		}
		// The minutes are the municipality's record, written in bokmål.
		decision := i18n.Label("nb", "allocation.decision", cmp.Or(string(it.Decision), "none"))
		if it.DecisionReason != "" {
			decision += ": " + it.DecisionReason
		}
		if it.TieBreak {
			decision += " (avgjort av " + m.TieBreak + " ved uenighet)"
		}
		notes := "Score " + decimal(it.Score)
		if it.Complex {
			notes += ", kompleks"
		}
		if it.DeferredBefore {
			notes += ", utsatt før"
		}
		rows = append(rows, []string{fmt.Sprintf("%d", it.ApplicationID), it.PersonName, unit, notes, decision})
	}
	doc.Table([]string{"Sak", "Søker", "Bolig", "Merknad", "Vedtak i møtet"}, []float64{14, 36, 44, 30, 46}, rows)
	if m.Hidden > 0 {
		doc.Text(fmt.Sprintf("%d sak(er) gjelder søkere den som laget utskriften ikke har tilgang til, og er ikke med.", m.Hidden))
	}
	doc.Text("Neste møte: " + m.NextOn.Norwegian() + ".")
	return doc.Write(w)
}
