package caseflow

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode/utf8"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Case handling: what is missing, meetings, alternatives considered and
// services given before a decision.

// TakeCase makes the actor the case's case worker: a case sent by the
// resident arrives without one, and cases change hands.
func TakeCase(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64) error {
	if !a.Writes() {
		return access.ErrForbidden
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return err
	}
	var before string
	var beforeID sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT case_worker, case_worker_id FROM applications WHERE id = ?", ref.ID).Scan(&before, &beforeID); err != nil {
		return err
	}
	if beforeID.Valid && beforeID.Int64 == a.UserID {
		return invalid.Problem("du er allerede saksbehandler for saken")
	}
	var unit any
	if a.OrgUnitID != 0 {
		unit = a.OrgUnitID
	}
	if _, err := q.ExecContext(ctx, "UPDATE applications SET case_worker = ?, case_worker_id = ?, org_unit_id = ? WHERE id = ?", a.Name, a.UserRef(), unit, ref.ID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "ta saken", Entity: "sak", EntityID: ref.ID,
		Before: map[string]string{"case_worker": before}, After: map[string]string{"case_worker": a.Name}})
}

// Request is a piece of information the case lacks, asked of the applicant.
type Request struct {
	ID          int64         `json:"id"`
	What        string        `json:"what"`
	RequestedOn deadline.Date `json:"requested_on"`
	DueOn       deadline.Date `json:"due_on"`
	ReceivedOn  deadline.Date `json:"received_on,omitzero"`
	RequestedBy string        `json:"requested_by"`
	Overdue     bool          `json:"overdue"`
}

// RequestInput asks for one piece of information by a date.
type RequestInput struct {
	What  string        `json:"what"`
	DueOn deadline.Date `json:"due_on,omitzero"` // empty: two weeks from today
}

// tooLong adds a problem when a text field exceeds max characters.
func tooLong(problems *[]invalid.Message, what invalid.Message, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		*problems = append(*problems, invalid.F("%s kan ha høyst %d tegn", what, max))
	}
}

// required adds a problem when a text field is empty.
func required(problems *[]invalid.Message, what invalid.Message, s string) {
	if strings.TrimSpace(s) == "" {
		*problems = append(*problems, invalid.F("%s må fylles ut", what))
	}
}

// RequestInformation adds an item to the case's checklist of missing
// information, with the date the applicant is asked to send it by.
func RequestInformation(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, in RequestInput, today deadline.Date) (Request, error) {
	if !a.Writes() {
		return Request{}, access.ErrForbidden
	}
	var problems []invalid.Message
	required(&problems, invalid.F("hva som mangler"), in.What)
	tooLong(&problems, invalid.F("hva som mangler"), in.What, 500)
	due := orDefault(in.DueOn, today.AddDays(14))
	if due.Before(today) {
		problems = append(problems, invalid.F("svarfristen kan ikke være før i dag"))
	}
	if len(problems) > 0 {
		return Request{}, &ValidationError{Problems: problems}
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return Request{}, err
	}
	r := Request{What: strings.TrimSpace(in.What), RequestedOn: today, DueOn: due, RequestedBy: a.Name}
	r.ID, err = store.InsertID(ctx, q, `INSERT INTO case_requests (municipality_id, application_id, what, requested_on, due_on, requested_by, requested_by_id,
		created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, ref.ID, r.What, r.RequestedOn, r.DueOn, r.RequestedBy, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return Request{}, err
	}
	if ref.Status == StatusReceived {
		if err := setStatus(ctx, q, ref.ID, StatusInProgress); err != nil {
			return Request{}, err
		}
	}
	return r, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "be om opplysninger", Entity: "sak",
		EntityID: ref.ID, After: r})
}

// MarkReceived ticks off a requested item as received today.
func MarkReceived(ctx context.Context, q store.Queryer, a access.Actor, applicationID, requestID int64, today deadline.Date) error {
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return err
	}
	res, err := q.ExecContext(ctx, "UPDATE case_requests SET received_on = ? WHERE municipality_id = ? AND application_id = ? AND id = ? AND received_on IS NULL",
		today.String(), a.MunicipalityID, ref.ID, requestID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return invalid.Problem("opplysningen finnes ikke i saken, eller er allerede mottatt")
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "motta opplysninger", Entity: "sak",
		EntityID: ref.ID, After: map[string]any{"request_id": requestID, "received_on": today.String()}})
}

func requests(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64, today deadline.Date) (map[int64][]Request, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, `SELECT application_id, id, what, requested_on, due_on, received_on, requested_by FROM case_requests
		WHERE municipality_id = ? AND application_id IN `+in+` ORDER BY id`, append([]any{municipalityID}, args...)...)
	return store.CollectBy(rows, err, func(s store.Scanner) (r Request, err error) {
		err = s.Scan(&r.ID, &r.What, &r.RequestedOn, &r.DueOn, &r.ReceivedOn, &r.RequestedBy)
		r.Overdue = r.ReceivedOn.IsZero() && r.DueOn.Before(today)
		return r, err
	})
}

// Meeting is one entry in the case's meeting log.
type Meeting struct {
	ID           int64         `json:"id"`
	HeldOn       deadline.Date `json:"held_on"`
	Participants string        `json:"participants"`
	Summary      string        `json:"summary"`
	WrittenBy    string        `json:"written_by"`
}

// LogMeeting records a meeting with the applicant (and others).
func LogMeeting(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, in Meeting, today deadline.Date) (Meeting, error) {
	if !a.Writes() {
		return Meeting{}, access.ErrForbidden
	}
	var problems []invalid.Message
	held := orDefault(in.HeldOn, today)
	if today.Before(held) {
		problems = append(problems, invalid.F("møtedatoen kan ikke være fram i tid"))
	}
	required(&problems, invalid.F("deltakere"), in.Participants)
	required(&problems, invalid.F("referat"), in.Summary)
	tooLong(&problems, invalid.F("deltakere"), in.Participants, 500)
	tooLong(&problems, invalid.F("referatet"), in.Summary, 4000)
	if len(problems) > 0 {
		return Meeting{}, &ValidationError{Problems: problems}
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return Meeting{}, err
	}
	m := Meeting{HeldOn: held, Participants: strings.TrimSpace(in.Participants), Summary: strings.TrimSpace(in.Summary), WrittenBy: a.Name}
	m.ID, err = store.InsertID(ctx, q, `INSERT INTO case_meetings (municipality_id, application_id, held_on, participants, summary, written_by, written_by_id,
		created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, ref.ID, m.HeldOn, m.Participants, m.Summary, m.WrittenBy, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return Meeting{}, err
	}
	return m, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "loggfør møte", Entity: "sak", EntityID: ref.ID, After: m})
}

func meetings(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64) (map[int64][]Meeting, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, `SELECT application_id, id, held_on, participants, summary, written_by FROM case_meetings
		WHERE municipality_id = ? AND application_id IN `+in+` ORDER BY held_on DESC, id DESC`, append([]any{municipalityID}, args...)...)
	return store.CollectBy(rows, err, func(s store.Scanner) (m Meeting, err error) {
		err = s.Scan(&m.ID, &m.HeldOn, &m.Participants, &m.Summary, &m.WrittenBy)
		return m, err
	})
}

// AlternativeKinds are the alternatives to municipal rental the case
// worker considers: the state's and the municipality's other instruments.
var AlternativeKinds = choices("case.alt_kind", string(AltStartLoan), string(AltHousingAid), string(AltGrant), string(AltPrivateLease), string(AltOther))

// AlternativeOutcomes say where an alternative stands.
var AlternativeOutcomes = choices("case.alt_outcome", string(AltNotRelevant), string(AltGuided), string(AltApplied), string(AltGranted), string(AltRefused))

// Alternative is an alternative considered, with the assessment.
type Alternative struct {
	ID         int64              `json:"id"`
	Kind       AlternativeKind    `json:"kind"`
	Outcome    AlternativeOutcome `json:"outcome"`
	Assessment string             `json:"assessment"`
	RecordedBy string             `json:"recorded_by,omitempty"`
	Recorded   time.Time          `json:"recorded_at,omitzero"`
}

// ConsiderAlternative records that an alternative (Startlån, bostøtte, …)
// was considered, and what came of it.
func ConsiderAlternative(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, in Alternative) (Alternative, error) {
	if !a.Writes() {
		return Alternative{}, access.ErrForbidden
	}
	var problems []invalid.Message
	if _, err := ParseAlternativeKind(string(in.Kind)); err != nil {
		problems = append(problems, invalid.Problems(err)...)
	}
	if _, err := ParseAlternativeOutcome(string(in.Outcome)); err != nil {
		problems = append(problems, invalid.Problems(err)...)
	}
	required(&problems, invalid.F("vurderingen"), in.Assessment)
	tooLong(&problems, invalid.F("vurderingen"), in.Assessment, 2000)
	if len(problems) > 0 {
		return Alternative{}, &ValidationError{Problems: problems}
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return Alternative{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond) // as stored
	x := Alternative{Kind: in.Kind, Outcome: in.Outcome, Assessment: strings.TrimSpace(in.Assessment), RecordedBy: a.Name, Recorded: now}
	x.ID, err = store.InsertID(ctx, q, `INSERT INTO case_alternatives (municipality_id, application_id, kind, outcome, assessment, recorded_by, recorded_by_id,
		created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, ref.ID, x.Kind, x.Outcome, x.Assessment, x.RecordedBy, a.UserRef(), store.TimeArg(now))
	if err != nil {
		return Alternative{}, err
	}
	return x, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "vurder alternativ", Entity: "sak", EntityID: ref.ID, After: x})
}

func alternatives(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64) (map[int64][]Alternative, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, `SELECT application_id, id, kind, outcome, assessment, recorded_by, created_at FROM case_alternatives
		WHERE municipality_id = ? AND application_id IN `+in+` ORDER BY id`, append([]any{municipalityID}, args...)...)
	return store.CollectBy(rows, err, func(s store.Scanner) (x Alternative, err error) {
		err = s.Scan(&x.ID, &x.Kind, &x.Outcome, &x.Assessment, &x.RecordedBy, store.ScanTime(&x.Recorded))
		return x, err
	})
}

// Interim is a service given without a decision, which the law allows for
// less than two weeks; longer needs a decision.
type Interim struct {
	ID             int64         `json:"id"`
	Service        string        `json:"service"`
	HoursPerWeek   float64       `json:"hours_per_week"`
	ProviderUnitID int64         `json:"provider_unit_id"`
	ProviderName   string        `json:"provider_name,omitempty"`
	StartOn        deadline.Date `json:"start_on"`
	EndOn          deadline.Date `json:"end_on,omitzero"`
	RegisteredBy   string        `json:"registered_by,omitempty"`
	Warning        string        `json:"warning,omitempty"`
	Notice         Notice        `json:"-"` // the warning as data, for pages in any language
}

// InterimWarning says in bokmål when an interim service has run, or is
// planned to run, 14 days or more without a decision (see InterimNotice).
func InterimWarning(start, end deadline.Date, decided bool, today deadline.Date) string {
	return InterimNotice(start, end, decided, today).Bokmål()
}

// StartInterim records a service started before the decision.
func StartInterim(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, in Interim, today deadline.Date) (Interim, error) {
	if !a.Writes() {
		return Interim{}, access.ErrForbidden
	}
	var problems []invalid.Message
	required(&problems, invalid.F("tjenesten"), in.Service)
	tooLong(&problems, invalid.F("tjenesten"), in.Service, 200)
	if !(in.HoursPerWeek > 0 && in.HoursPerWeek <= 168) {
		problems = append(problems, invalid.F("timer per uke må være mellom 0 og 168"))
	}
	start := orDefault(in.StartOn, today)
	end := in.EndOn
	if !end.IsZero() {
		if end.Before(start) {
			problems = append(problems, invalid.F("sluttdatoen kan ikke være før startdatoen"))
		}
	}
	if len(problems) > 0 {
		return Interim{}, &ValidationError{Problems: problems}
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return Interim{}, err
	}
	if err := checkOrgUnit(ctx, q, a.MunicipalityID, in.ProviderUnitID, &in.ProviderName); err != nil {
		return Interim{}, err
	}
	x := Interim{Service: strings.TrimSpace(in.Service), HoursPerWeek: in.HoursPerWeek, ProviderUnitID: in.ProviderUnitID, ProviderName: in.ProviderName,
		StartOn: start, RegisteredBy: a.Name}
	var endArg any
	if end != (deadline.Date{}) {
		x.EndOn, endArg = end, end.String()
	}
	x.ID, err = store.InsertID(ctx, q, `INSERT INTO interim_services (municipality_id, application_id, service, hours_per_week, provider_unit_id,
		start_on, end_on, registered_by, registered_by_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, ref.ID, x.Service, x.HoursPerWeek,
		x.ProviderUnitID, x.StartOn, endArg, x.RegisteredBy, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return Interim{}, err
	}
	x.Notice = InterimNotice(start, end, !undecided(ref.Status), today)
	x.Warning = x.Notice.Bokmål()
	return x, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "start tjeneste uten vedtak", Entity: "sak",
		EntityID: ref.ID, After: x})
}

// checkOrgUnit checks that a unit is in the municipality and fills in its name.
func checkOrgUnit(ctx context.Context, q store.Queryer, municipalityID, id int64, name *string) error {
	err := q.QueryRowContext(ctx, "SELECT name FROM org_units WHERE municipality_id = ? AND id = ?", municipalityID, id).Scan(name)
	if err != nil {
		return invalid.Problem("velg en enhet i kommunen som skal gi tjenesten")
	}
	return nil
}
