package caseflow

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Kinds of application under the 2023 act and the municipality's housing.
var Kinds = choices("case.kind", string(KindHousing), string(KindAssistance), string(KindBoth))

// KindLabel is a kind's name in bokmål, from the catalogue.
func KindLabel(code ApplicationKind) string { return labelOr(Kinds, string(code)) }

// Groups are the priority groups an applicant can belong to.
var Groups = choices("case.group", string(GroupHomeless), string(GroupFamily), string(GroupReleased), string(GroupDischarged),
	string(GroupHousingFirst))

// RulesOf gives the municipality's eligibility rules, or the defaults.
func RulesOf(ctx context.Context, q store.Queryer, municipalityID int64) ([]Rule, error) {
	var raw string
	err := q.QueryRowContext(ctx, "SELECT rules FROM eligibility_rules WHERE municipality_id = ?", municipalityID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultRules(), nil
	}
	if err != nil {
		return nil, err
	}
	return ParseRules([]byte(raw))
}

// SetRules replaces the municipality's rules (administrators), after
// checking them; the change goes to the audit chain.
func SetRules(ctx context.Context, q store.Queryer, a access.Actor, raw []byte) ([]Rule, error) {
	if a.Role != access.Admin {
		return nil, access.ErrForbidden
	}
	rules, err := ParseRules(raw)
	if err != nil {
		return nil, err
	}
	before, err := RulesOf(ctx, q, a.MunicipalityID)
	if err != nil {
		return nil, err
	}
	canonical, _ := json.Marshal(rules)
	if _, err := q.ExecContext(ctx, `INSERT INTO eligibility_rules (municipality_id, rules, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (municipality_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at`,
		a.MunicipalityID, string(canonical), store.TimeArg(time.Now())); err != nil {
		return nil, err
	}
	return rules, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre",
		Entity: "vilkår for kommunal bolig", EntityID: a.MunicipalityID, Before: before, After: rules})
}

// ApplicationInput is what the applicant states, for the eligibility rules.
type ApplicationInput struct {
	Kind            ApplicationKind `json:"kind"`
	Received        deadline.Date   `json:"received_on,omitzero"` // YYYY-MM-DD; empty means today
	YearsResident   float64         `json:"years_resident"`
	HouseholdSize   int             `json:"household_size"`
	HouseholdIncome float64         `json:"household_income"`
	HouseholdAssets float64         `json:"household_assets"`
	OwnsHome        bool            `json:"owns_home"`
	RegisteredHere  bool            `json:"registered_here"`
	Groups          []Group         `json:"groups"`
	// Unstated are the facts the applicant left blank (Fact codes): a
	// blank is unknown, not zero, so no rule fails on it before a case
	// worker has found out.
	Unstated []Fact `json:"unstated,omitempty"`
}

// Fact is a number an applicant states for the eligibility rules.
type Fact string

// The facts an applicant may leave blank.
const (
	FactYearsResident   Fact = "years_resident"
	FactHouseholdIncome Fact = "household_income"
	FactHouseholdAssets Fact = "household_assets"
)

// States reports whether the applicant stated a fact (for the form).
func (in ApplicationInput) States(f string) bool { return !slices.Contains(in.Unstated, Fact(f)) }

// ApplicantGroups are the priority groups an applicant may state about
// themself. Taking part in Housing First follows from the team's and the
// case worker's work with the person (seed 002), so only staff state it.
func ApplicantGroups() []Choice {
	var out []Choice
	for _, g := range Groups {
		if Group(g.Code) != GroupHousingFirst {
			out = append(out, g)
		}
	}
	return out
}

// HasGroup reports whether the applicant states a priority group.
// It takes the code, so a form's choice can ask it.
func (in ApplicationInput) HasGroup(code string) bool { return slices.Contains(in.Groups, Group(code)) }

// Application is a received application with its eligibility and deadline.
type Application struct {
	ID          int64           `json:"id"`
	PersonID    int64           `json:"person_id"`
	PersonName  string          `json:"person_name,omitempty"`
	Kind        ApplicationKind `json:"kind"`
	Received    deadline.Date   `json:"received_on"`
	Status      Status          `json:"status"`
	DecisionDue deadline.Date   `json:"decision_due"`
	Provisional deadline.Date   `json:"provisional_sent_on,omitzero"`
	// ProvisionalExpected is the decision date the provisional answer
	// promised (forvaltningsloven § 11 a: "når svar kan ventes").
	ProvisionalExpected deadline.Date `json:"provisional_expected_on,omitzero"`
	Eligibility         Assessed      `json:"eligibility"`
	Groups              []Group       `json:"groups"`
	CaseWorker          string        `json:"case_worker"`
	// CaseWorkerID is the case worker's user id; 0 when none is assigned,
	// or for a case from before staff were linked by id whose name matched
	// no single user.
	CaseWorkerID int64 `json:"-"`
	// Warning is what the work list should say about the deadline, if anything.
	Warning string `json:"deadline_warning,omitempty"`
	// Notice is the same warning as data, for pages in any language.
	Notice Notice `json:"-"`
}

// Apply registers an application, evaluates eligibility against the
// municipality's rules and sets the decision deadline: one month from
// receipt, moved past weekends and holidays (forvaltningsloven § 11 a).
// The applicant's own statements are processed for the application they
// made, so a role on the case with housing needs is enough to register it.
func Apply(ctx context.Context, q store.Queryer, a access.Actor, personID int64, in ApplicationInput, today deadline.Date) (Application, error) {
	if !a.Writes() {
		return Application{}, access.ErrForbidden
	}
	return apply(ctx, q, a, personID, in, today)
}

// apply registers an application for whoever the caller has checked may:
// staff, or the resident sending their own draft.
func apply(ctx context.Context, q store.Queryer, a access.Actor, personID int64, in ApplicationInput, today deadline.Date) (Application, error) {
	var problems []invalid.Message
	if _, err := ParseApplicationKind(string(in.Kind)); err != nil {
		problems = append(problems, invalid.Problems(err)...)
	}
	received := today
	if d := in.Received; !d.IsZero() {
		switch {
		case today.Before(d):
			problems = append(problems, invalid.F("mottatt-datoen kan ikke være fram i tid"))
		default:
			received = d
		}
	}
	if in.HouseholdSize < 1 || in.HouseholdSize > 20 {
		problems = append(problems, invalid.F("husstanden må ha mellom 1 og 20 personer"))
	}
	if in.YearsResident < 0 || in.HouseholdIncome < 0 || in.HouseholdAssets < 0 {
		problems = append(problems, invalid.F("botid, inntekt og formue kan ikke være negative"))
	}
	for _, g := range in.Groups {
		if _, err := ParseGroup(string(g)); err != nil {
			problems = append(problems, invalid.Problems(err)...)
		}
	}
	for _, f := range in.Unstated {
		if f != FactYearsResident && f != FactHouseholdIncome && f != FactHouseholdAssets {
			problems = append(problems, invalid.F("ukjent opplysning %q i unstated", string(f)))
		}
	}
	if len(problems) > 0 {
		return Application{}, &ValidationError{Problems: problems}
	}
	if _, err := allows(ctx, q, a, personID, access.HousingNeeds); err != nil {
		return Application{}, err
	}
	var birth deadline.Date
	if err := q.QueryRowContext(ctx, "SELECT birth_date FROM persons WHERE municipality_id = ? AND id = ?", a.MunicipalityID, personID).Scan(&birth); err != nil {
		return Application{}, err
	}
	rules, err := RulesOf(ctx, q, a.MunicipalityID)
	if err != nil {
		return Application{}, err
	}
	age := birth.YearsUntil(received)
	e := Evaluate(rules, Applicant{Age: age, YearsResident: in.YearsResident, HouseholdSize: in.HouseholdSize, HouseholdIncome: in.HouseholdIncome,
		HouseholdAssets: in.HouseholdAssets, OwnsHome: in.OwnsHome, RegisteredHere: in.RegisteredHere, Groups: in.Groups, Unstated: in.Unstated})
	app := Application{PersonID: personID, Kind: in.Kind, Received: received, Status: StatusReceived,
		DecisionDue: deadline.Due(received, deadline.DecisionTime), Eligibility: e.Assess(personID), Groups: append([]Group{}, in.Groups...), CaseWorker: a.Name}
	checks, _ := json.Marshal(e)
	var unit any
	if a.OrgUnitID != 0 {
		unit = a.OrgUnitID
	}
	caseWorker := a.UserRef()
	if a.Role == access.Resident {
		app.CaseWorker, caseWorker = "", nil // sent by the applicant; the housing office assigns it
	}
	now := store.TimeArg(time.Now())
	id, err := store.InsertID(ctx, q, `INSERT INTO applications (municipality_id, person_id, kind, received_on, status, decision_due, eligible,
		eligibility, groups, org_unit_id, case_worker, case_worker_id, created_at, phase_since) VALUES (?, ?, ?, ?, 'mottatt', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, personID, app.Kind, app.Received, app.DecisionDue, e.Eligible, string(checks), joinGroups(in.Groups),
		unit, app.CaseWorker, caseWorker, now, now)
	if err != nil {
		return Application{}, err
	}
	app.ID = id
	if err := audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer", Entity: "søknad",
		EntityID: id, After: map[string]any{"application": app, "eligibility": e, "stated": in}}); err != nil {
		return Application{}, err
	}
	// The answer goes back to whoever registered it, through the same
	// redaction as any read: income checks only to those who see finances.
	rd := access.NewReader(q, a, access.ChannelAPI)
	if _, err := rd.Authorize(ctx, personID); err != nil {
		return Application{}, err
	}
	return app, rd.Send(ctx, &app)
}

const applicationColumns = `a.id, a.person_id, p.first_name || ' ' || p.last_name, a.kind, a.received_on, a.status, a.decision_due,
	a.provisional_sent_on, a.provisional_expected_on, a.eligibility, a.groups, a.case_worker, COALESCE(a.case_worker_id, 0) FROM applications a JOIN persons p ON p.id = a.person_id`

func scanApplication(today deadline.Date) func(store.Scanner) (Application, error) {
	return func(r store.Scanner) (x Application, err error) {
		var checks, groups string
		if err = r.Scan(&x.ID, &x.PersonID, &x.PersonName, &x.Kind, &x.Received, &x.Status, &x.DecisionDue,
			&x.Provisional, &x.ProvisionalExpected, &checks, &groups, &x.CaseWorker, &x.CaseWorkerID); err != nil {
			return x, err
		}
		x.Groups = []Group{}
		if groups != "" {
			x.Groups = GroupsOf(strings.Split(groups, ","))
		}
		var e Eligibility
		err = json.Unmarshal([]byte(checks), &e)
		x.Eligibility = e.Assess(x.PersonID)
		x.Notice = DeadlineNotice(x, today)
		x.Warning = x.Notice.Bokmål()
		return x, err
	}
}

// Warning says in bokmål what an open application's deadline needs (see
// DeadlineNotice).
func Warning(x Application, today deadline.Date) string { return DeadlineNotice(x, today).Bokmål() }

// Applications lists a person's applications, newest first, and logs the read.
func Applications(ctx context.Context, q store.Queryer, a access.Actor, personID int64, today deadline.Date, channel string) ([]Application, error) {
	rd := access.NewReader(q, a, channel)
	apps, err := ReadApplications(ctx, rd, personID, today)
	if err != nil || len(apps) == 0 {
		return apps, err
	}
	return apps, rd.Send(ctx, &apps)
}

// ReadApplications is Applications through a caller's reader.
func ReadApplications(ctx context.Context, rd *access.Reader, personID int64, today deadline.Date) ([]Application, error) {
	q, a := rd.Q(), rd.Actor()
	if err := readerAllows(ctx, rd, personID, access.HousingNeeds); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT "+applicationColumns+" WHERE a.municipality_id = ? AND a.person_id = ? ORDER BY a.received_on DESC, a.id DESC",
		a.MunicipalityID, personID)
	apps, err := store.Collect(rows, err, scanApplication(today))
	if err != nil || len(apps) == 0 {
		return apps, err
	}
	return apps, rd.Plain(personID, access.Basic, access.HousingNeeds)
}

// readerAllows authorizes the reader for a person and checks the grant
// includes a category.
func readerAllows(ctx context.Context, rd *access.Reader, personID int64, c access.Category) error {
	g, err := rd.Authorize(ctx, personID)
	if err != nil {
		return err
	}
	if !g.Allows(c) {
		return access.ErrForbidden
	}
	return nil
}

// ProvisionalInput is a provisional answer as sent: the day it was sent
// and the decision date it promised.
type ProvisionalInput struct {
	SentOn     deadline.Date `json:"sent_on,omitzero"`     // empty: today
	ExpectedOn deadline.Date `json:"expected_on,omitzero"` // empty: ExpectedDecision(sent)
}

// ExpectedDecision is the promised decision date a provisional answer
// gives by default: 30 days after it was sent, on a working day.
func ExpectedDecision(sent deadline.Date) deadline.Date {
	return deadline.NextWorkingDay(sent.AddDays(30))
}

// RecordProvisionalAnswer notes that a provisional answer (foreløpig svar)
// was sent, on the day the case worker gives, and the decision date it
// promised (forvaltningsloven § 11 a); the work list warns before that date.
func RecordProvisionalAnswer(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, in ProvisionalInput, today deadline.Date) error {
	var problems []invalid.Message
	sentOn := orDefault(in.SentOn, today)
	if today.Before(sentOn) {
		problems = append(problems, invalid.F("datoen for det foreløpige svaret kan ikke være fram i tid"))
	}
	expected := ExpectedDecision(sentOn)
	if !in.ExpectedOn.IsZero() {
		expected = in.ExpectedOn
		if len(problems) == 0 && !sentOn.Before(expected) {
			problems = append(problems, invalid.F("forventet vedtaksdato må være etter datoen det foreløpige svaret ble sendt (forvaltningsloven § 11 a: svaret skal si når vedtak kan ventes)"))
		}
	}
	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	var personID int64
	var sent, received deadline.Date
	err := q.QueryRowContext(ctx, "SELECT person_id, provisional_sent_on, received_on FROM applications WHERE municipality_id = ? AND id = ?", a.MunicipalityID, applicationID).
		Scan(&personID, &sent, &received)
	if errors.Is(err, sql.ErrNoRows) {
		return access.ErrUnknownPerson
	}
	if err != nil {
		return err
	}
	if !a.Writes() {
		return access.ErrForbidden
	}
	if _, err := allows(ctx, q, a, personID, access.HousingNeeds); err != nil {
		return err
	}
	if !sent.IsZero() {
		return invalid.Problem("foreløpig svar er allerede registrert %s", sent)
	}
	if sentOn.Before(received) {
		return invalid.Problem("det foreløpige svaret kan ikke være sendt før søknaden ble mottatt (%s)", received)
	}
	if _, err := q.ExecContext(ctx, "UPDATE applications SET provisional_sent_on = ?, provisional_expected_on = ?, status = 'under_behandling' WHERE id = ?",
		sentOn.String(), expected.String(), applicationID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "foreløpig svar", Entity: "søknad",
		EntityID: applicationID, After: map[string]string{"provisional_sent_on": sentOn.String(), "provisional_expected_on": expected.String()}})
}

// Worklist lists the open applications of persons whose cases the actor's
// unit has a role on, the nearest deadline first, with their warnings:
// all of them, page after page.
func Worklist(ctx context.Context, q store.Queryer, a access.Actor, today deadline.Date, channel string) ([]Application, error) {
	var all []Application
	after := WorkKey{}
	for {
		apps, more, err := WorklistAfter(ctx, q, a, today, channel, after, 500)
		if err != nil {
			return nil, err
		}
		all = append(all, apps...)
		if !more {
			if all == nil {
				all = []Application{}
			}
			return all, nil
		}
		after = apps[len(apps)-1].WorkKey()
	}
}

// WorkKey is an application's place in the work list: by the deadline
// for a decision, then by id.
type WorkKey struct {
	Due deadline.Date
	ID  int64
}

// WorkKey is x's place in the work list.
func (x Application) WorkKey() WorkKey { return WorkKey{Due: x.DecisionDue, ID: x.ID} }

// WorklistAfter is one page of the work list: at most limit applications
// after the one at after (the zero key: from the start), by key rather
// than OFFSET, and whether more follow. Showing it is a read of each
// listed person's housing need.
func WorklistAfter(ctx context.Context, q store.Queryer, a access.Actor, today deadline.Date, channel string, after WorkKey, limit int) ([]Application, bool, error) {
	if !a.Writes() {
		return nil, false, access.ErrForbidden
	}
	visible, vargs := access.VisibleClause(a)
	args := append([]any{a.MunicipalityID}, vargs...)
	from := ""
	if after != (WorkKey{}) {
		from = " AND (a.decision_due > ? OR (a.decision_due = ? AND a.id > ?))"
		args = append(args, after.Due.String(), after.Due.String(), after.ID)
	}
	rows, err := q.QueryContext(ctx, "SELECT "+applicationColumns+` WHERE a.municipality_id = ? AND a.status IN ('mottatt', 'under_behandling') AND `+visible+from+`
		ORDER BY a.decision_due, a.id LIMIT ?`, append(args, limit+1)...)
	return readApplicationPage(ctx, q, a, channel, today, limit, rows, err)
}

// readApplicationPage reads one page of applications (the query asked for
// limit+1 rows, to know whether more follow) and logs it as read.
func readApplicationPage(ctx context.Context, q store.Queryer, a access.Actor, channel string, today deadline.Date, limit int, rows *sql.Rows, err error) ([]Application, bool, error) {
	apps, err := store.Collect(rows, err, scanApplication(today))
	if err != nil || len(apps) == 0 {
		return apps, false, err
	}
	more := len(apps) > limit
	if more {
		apps = apps[:limit]
	}
	// A work list row is the person's name and housing need; the
	// eligibility checks go through the redaction with each person's own
	// grant, so income checks reach only those who see finances. The
	// persons are authorized together, in one query.
	rd := access.NewReader(q, a, channel)
	ids := make([]int64, len(apps))
	for i, x := range apps {
		ids[i] = x.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, false, err
	}
	for _, x := range apps {
		if _, err := rd.Authorize(ctx, x.PersonID); err != nil {
			return nil, false, err
		}
		if err := rd.Plain(x.PersonID, access.Basic, access.HousingNeeds); err != nil {
			return nil, false, err
		}
	}
	return apps, more, rd.Send(ctx, &apps)
}
