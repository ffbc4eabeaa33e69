package followup

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

// ErrNotFound is a team, follow-up or task that is not in the actor's
// municipality.
var ErrNotFound = errors.New("finnes ikke")

// ValidationError lists what is wrong with an input.
type ValidationError = invalid.Error

func bad(p []invalid.Message) error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// staffRole reports whether the actor works with follow-up: the teams,
// their leaders and the case workers who start follow-up from a decision.
func staffRole(a access.Actor) bool {
	return a.Role == access.FollowUp || a.Role == access.UnitLeader || a.Role == access.CaseWorker
}

// readsTeams reports whether the actor may see teams' boards: staff in
// follow-up and an auditor with a stated purpose.
func readsTeams(a access.Actor) bool {
	return a.Role == access.FollowUp || a.Role == access.UnitLeader || a.Role == access.CaseWorker ||
		(a.Role == access.Auditor && access.ValidPurpose(a.Reason))
}

// Norms reads the municipality's norm for every model: its own where it
// has one, else the built-in default with its source.
func Norms(ctx context.Context, q store.Queryer, municipalityID int64) (map[Model]Norm, error) {
	out := DefaultNorms()
	rows, err := q.QueryContext(ctx, `SELECT model, max_per_person_year, min_contact_days, source FROM followup_norms WHERE municipality_id = ?`, municipalityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n Norm
		if err := rows.Scan(&n.Model, &n.MaxPerPersonYear, &n.MinContactDays, &n.Source); err != nil {
			return nil, err
		}
		n.Custom = true
		out[n.Model] = n
	}
	return out, rows.Err()
}

// SetNorm stores the municipality's own norm for a model. Leaders and
// administrators set it.
func SetNorm(ctx context.Context, q store.Queryer, a access.Actor, n Norm) error {
	if a.Role != access.UnitLeader && a.Role != access.Admin {
		return access.ErrForbidden
	}
	n.Source = strings.TrimSpace(n.Source)
	if err := bad(CheckNorm(n)); err != nil {
		return err
	}
	res, err := q.ExecContext(ctx, `UPDATE followup_norms SET max_per_person_year = ?, min_contact_days = ?, source = ?, updated_by = ?, updated_at = ?
		WHERE municipality_id = ? AND model = ?`, n.MaxPerPersonYear, n.MinContactDays, n.Source, a.Name, store.TimeArg(time.Now()), a.MunicipalityID, string(n.Model))
	if err != nil {
		return err
	}
	if k, err := res.RowsAffected(); err != nil {
		return err
	} else if k == 0 {
		if _, err := q.ExecContext(ctx, `INSERT INTO followup_norms (municipality_id, model, max_per_person_year, min_contact_days, source, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, string(n.Model), n.MaxPerPersonYear, n.MinContactDays, n.Source, a.Name, store.TimeArg(time.Now())); err != nil {
			return err
		}
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "oppfølgingsnorm", After: n})
}

// SetsUpTeams reports whether the actor sets teams and their members up:
// leaders, administrators and the operator.
func SetsUpTeams(a access.Actor) bool {
	return a.Role == access.UnitLeader || a.Role == access.Admin || a.Role == access.Operator
}

// followsUp reports whether a user with this role can be a team member:
// residents, planners, administrators and auditors follow no one up.
func followsUp(role string) bool {
	return role != string(access.Resident) && role != string(access.Planner) && role != string(access.Admin) && role != string(access.Auditor)
}

// Choice is one option of a setup form: an organisational unit or a
// staff member, by id and name.
type Choice struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// FreeUnits lists the municipality's organisational units that are not
// yet a follow-up service, for the form that sets a team up.
func FreeUnits(ctx context.Context, q store.Queryer, a access.Actor) ([]Choice, error) {
	if !SetsUpTeams(a) {
		return nil, access.ErrForbidden
	}
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.name FROM org_units o WHERE o.municipality_id = ?
		AND NOT EXISTS (SELECT 1 FROM followup_teams t WHERE t.org_unit_id = o.id) ORDER BY o.name, o.id`, a.MunicipalityID)
	return store.Collect(rows, err, func(s store.Scanner) (c Choice, err error) {
		err = s.Scan(&c.ID, &c.Name)
		return c, err
	})
}

// MemberChoices lists the municipality's active staff who can follow
// residents up and are not on the team yet, for the form that adds a
// member.
func MemberChoices(ctx context.Context, q store.Queryer, a access.Actor, teamID int64) ([]Choice, error) {
	if !SetsUpTeams(a) {
		return nil, access.ErrForbidden
	}
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.full_name, u.role FROM users u WHERE u.municipality_id = ? AND u.active
		AND NOT EXISTS (SELECT 1 FROM followup_members m WHERE m.team_id = ? AND m.user_id = u.id) ORDER BY u.full_name, u.id`, a.MunicipalityID, teamID)
	roles := map[int64]string{}
	all, err := store.Collect(rows, err, func(s store.Scanner) (c Choice, err error) {
		var role string
		err = s.Scan(&c.ID, &c.Name, &role)
		roles[c.ID] = role
		return c, err
	})
	if err != nil {
		return nil, err
	}
	out := []Choice{}
	for _, c := range all {
		if followsUp(roles[c.ID]) {
			out = append(out, c)
		}
	}
	return out, nil
}

// CreateTeam makes an organisational unit a follow-up service in one of
// the models. Leaders and administrators set teams up.
func CreateTeam(ctx context.Context, q store.Queryer, a access.Actor, orgUnitID int64, model Model) (int64, error) {
	if !SetsUpTeams(a) {
		return 0, access.ErrForbidden
	}
	var p []invalid.Message
	if !model.Valid() {
		p = append(p, invalid.F("ukjent oppfølgingsmodell «%s»", string(model)))
	}
	var name string
	err := q.QueryRowContext(ctx, "SELECT name FROM org_units WHERE id = ? AND municipality_id = ?", orgUnitID, a.MunicipalityID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		p = append(p, invalid.F("velg enheten som gir oppfølgingen"))
	} else if err != nil {
		return 0, err
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM followup_teams WHERE org_unit_id = ?", orgUnitID).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		p = append(p, invalid.F("%s er allerede registrert som oppfølgingstjeneste", name))
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO followup_teams (municipality_id, org_unit_id, name, model, created_at) VALUES (?, ?, ?, ?, ?)`,
		a.MunicipalityID, orgUnitID, name, string(model), store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "oppfølgingstjeneste", EntityID: id,
		After: map[string]any{"org_unit_id": orgUnitID, "model": model}})
}

// AddMember puts a user on a team with a role and a share of a person-year.
func AddMember(ctx context.Context, q store.Queryer, a access.Actor, teamID int64, m Member) (int64, error) {
	if !SetsUpTeams(a) {
		return 0, access.ErrForbidden
	}
	if m.Employer == "" {
		m.Employer = Municipality
	}
	p := CheckMember(m)
	if _, err := teamRow(ctx, q, a.MunicipalityID, teamID); err != nil {
		return 0, err
	}
	var role string
	err := q.QueryRowContext(ctx, "SELECT full_name, role FROM users WHERE id = ? AND municipality_id = ? AND active", m.UserID, a.MunicipalityID).Scan(&m.Name, &role)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if m.UserID > 0 {
			p = append(p, invalid.F("den ansatte finnes ikke i kommunen"))
		}
	case err != nil:
		return 0, err
	case !followsUp(role):
		p = append(p, invalid.F("%s har ikke en rolle som kan følge opp beboere", m.Name))
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM followup_members WHERE team_id = ? AND user_id = ?", teamID, m.UserID).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		p = append(p, invalid.F("%s er allerede med i teamet", m.Name))
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO followup_members (municipality_id, team_id, user_id, name, role, fte, employer) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, teamID, m.UserID, m.Name, string(m.Role), m.FTE, string(m.Employer))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "teammedlem", EntityID: id, After: m})
}

// teamRow reads one team without members.
func teamRow(ctx context.Context, q store.Queryer, municipalityID, teamID int64) (Team, error) {
	var t Team
	err := q.QueryRowContext(ctx, "SELECT id, org_unit_id, name, model FROM followup_teams WHERE id = ? AND municipality_id = ?", teamID, municipalityID).
		Scan(&t.ID, &t.OrgUnitID, &t.Name, &t.Model)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	return t, err
}

// Teams reads the municipality's teams with members, norms and caseloads,
// in four statements whatever their number.
func Teams(ctx context.Context, q store.Queryer, a access.Actor) ([]Team, error) {
	if !readsTeams(a) && a.Role != access.Admin && a.Role != access.Planner {
		return nil, access.ErrForbidden
	}
	return teams(ctx, q, a.MunicipalityID, 0)
}

// TeamByID reads one team with members and caseloads.
func TeamByID(ctx context.Context, q store.Queryer, a access.Actor, teamID int64) (Team, error) {
	if !readsTeams(a) && a.Role != access.Admin && a.Role != access.Planner {
		return Team{}, access.ErrForbidden
	}
	ts, err := teams(ctx, q, a.MunicipalityID, teamID)
	if err != nil {
		return Team{}, err
	}
	if len(ts) == 0 {
		return Team{}, ErrNotFound
	}
	return ts[0], nil
}

func teams(ctx context.Context, q store.Queryer, municipalityID, only int64) ([]Team, error) {
	return teamsWith(ctx, q, municipalityID, only, true)
}

// teamsWith is teams, with the caseloads counted only when counts is set:
// the caseload board counts them from the follow-ups it lists itself.
func teamsWith(ctx context.Context, q store.Queryer, municipalityID, only int64, counts bool) ([]Team, error) {
	norms, err := Norms(ctx, q, municipalityID)
	if err != nil {
		return nil, err
	}
	cond, args := "", []any{municipalityID}
	if only > 0 {
		cond, args = " AND t.id = ?", append(args, only)
	}
	rows, err := q.QueryContext(ctx, `SELECT t.id, t.org_unit_id, t.name, t.model FROM followup_teams t WHERE t.municipality_id = ?`+cond+` ORDER BY t.name`, args...)
	ts, err := store.Collect(rows, err, func(s store.Scanner) (t Team, err error) {
		err = s.Scan(&t.ID, &t.OrgUnitID, &t.Name, &t.Model)
		t.Norm = norms[t.Model]
		t.Members = []Member{}
		return t, err
	})
	if err != nil || len(ts) == 0 {
		return ts, err
	}
	idx := map[int64]int{}
	for i, t := range ts {
		idx[t.ID] = i
	}
	rows, err = q.QueryContext(ctx, `SELECT m.team_id, m.id, m.user_id, m.name, m.role, m.fte, m.employer FROM followup_members m
		JOIN followup_teams t ON t.id = m.team_id WHERE m.municipality_id = ?`+cond+` ORDER BY m.name, m.id`, args...)
	members, err := store.CollectBy(rows, err, func(s store.Scanner) (m Member, err error) {
		err = s.Scan(&m.ID, &m.UserID, &m.Name, &m.Role, &m.FTE, &m.Employer)
		return m, err
	})
	if err != nil {
		return nil, err
	}
	if !counts {
		for i := range ts {
			ts[i].Members = store.Of(members, ts[i].ID)
		}
		return ts, nil
	}
	// Caseloads: residents in active or open-door follow-up, per team and
	// per primary contact, in one grouped statement.
	rows, err = q.QueryContext(ctx, `SELECT f.team_id, f.primary_id, COUNT(*) FROM followups f JOIN followup_teams t ON t.id = f.team_id
		WHERE f.municipality_id = ? AND f.status <> 'avsluttet'`+cond+` GROUP BY f.team_id, f.primary_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byPrimary := map[int64]map[int64]int{}
	totals := map[int64]int{}
	for rows.Next() {
		var team, primary int64
		var n int
		if err := rows.Scan(&team, &primary, &n); err != nil {
			return nil, err
		}
		if byPrimary[team] == nil {
			byPrimary[team] = map[int64]int{}
		}
		byPrimary[team][primary] += n
		totals[team] += n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range ts {
		ts[i].Members = store.Of(members, ts[i].ID)
		ts[i].Measure(byPrimary[ts[i].ID], totals[ts[i].ID])
	}
	return ts, nil
}

// FollowUp is who follows one resident, and how.
type FollowUp struct {
	ID              int64         `json:"id"`
	PersonID        int64         `json:"person_id"`
	TeamID          int64         `json:"team_id"`
	TeamName        string        `json:"team_name"`
	Model           Model         `json:"model"`
	Basis           Basis         `json:"basis"`
	DecisionID      int64         `json:"decision_id,omitempty"`
	ServiceCode     string        `json:"service_code,omitempty"`
	PrimaryID       int64         `json:"primary_contact_id"`
	PrimaryName     string        `json:"primary_contact_name"`
	CoordinatorID   int64         `json:"coordinator_id,omitempty"`
	CoordinatorName string        `json:"coordinator_name,omitempty"`
	StartOn         deadline.Date `json:"start_on"`
	Intensity       Intensity     `json:"intensity"`
	Status          Status        `json:"status"`
	DoorChannel     string        `json:"door_channel,omitempty"`
	AskAgainOn      deadline.Date `json:"ask_again_on,omitzero"`
	Declined        string        `json:"declined_statement,omitempty"`
	EndedOn         deadline.Date `json:"ended_on,omitzero"`
	EndStatement    string        `json:"end_statement,omitempty"`
	EndReason       EndReason     `json:"end_reason,omitempty"`
	// LastContact is the last contact where the resident was met; Due the
	// day the next is due under the service's minimum frequency.
	LastContact deadline.Date `json:"last_contact,omitzero"`
	Due         deadline.Date `json:"contact_due,omitzero"`
	MinDays     int           `json:"min_contact_days"`
}

const followUpColumns = `f.id, f.person_id, f.team_id, t.name, t.model, f.basis, COALESCE(f.decision_id, 0), f.service_code, f.primary_id, f.primary_name,
	COALESCE(f.coordinator_id, 0), f.coordinator_name, f.start_on, f.intensity, f.status, f.door_channel, f.ask_again_on, f.declined_statement,
	f.ended_on, f.end_statement, f.end_reason, f.last_met_on`

func scanFollowUp(s store.Scanner, norms map[Model]Norm) (f FollowUp, err error) {
	var ask, ended, last deadline.Date
	err = s.Scan(&f.ID, &f.PersonID, &f.TeamID, &f.TeamName, &f.Model, &f.Basis, &f.DecisionID, &f.ServiceCode, &f.PrimaryID, &f.PrimaryName,
		&f.CoordinatorID, &f.CoordinatorName, &f.StartOn, &f.Intensity, &f.Status, &f.DoorChannel, &ask, &f.Declined,
		&ended, &f.EndStatement, &f.EndReason, &last)
	f.AskAgainOn, f.EndedOn, f.LastContact = ask, ended, last
	f.MinDays = norms[f.Model].MinContactDays
	if due, ok := ContactDue(f.state()); ok {
		f.Due = due
	}
	return f, err
}

func (f FollowUp) state() State {
	return State{FollowUpID: f.ID, PersonID: f.PersonID, TeamID: f.TeamID, PrimaryID: f.PrimaryID, Model: f.Model, Status: f.Status,
		Start: f.StartOn, LastContact: f.LastContact, AskAgain: f.AskAgainOn, MinDays: f.MinDays}
}

// loadFollowUp reads one follow-up of the actor's municipality.
func loadFollowUp(ctx context.Context, q store.Queryer, municipalityID, id int64) (FollowUp, error) {
	norms, err := Norms(ctx, q, municipalityID)
	if err != nil {
		return FollowUp{}, err
	}
	f, err := scanFollowUp(q.QueryRowContext(ctx, `SELECT `+followUpColumns+` FROM followups f JOIN followup_teams t ON t.id = f.team_id
		WHERE f.id = ? AND f.municipality_id = ?`, id, municipalityID), norms)
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNotFound
	}
	return f, err
}

// mayWrite checks that the actor may change a person's follow-up: staff
// who write, with the follow-up category open for the person.
func mayWrite(ctx context.Context, q store.Queryer, a access.Actor, personID int64, cats ...access.Category) (access.Grant, error) {
	if !a.Writes() || a.Role == access.Property {
		return access.Grant{}, access.ErrForbidden
	}
	g, err := access.Authorize(ctx, q, a, personID)
	if err != nil {
		return g, err
	}
	for _, c := range append([]access.Category{access.FollowUpPlan}, cats...) {
		if !g.Allows(c) {
			return g, access.ErrForbidden
		}
	}
	return g, nil
}

// Start records who follows a resident. From the combined decision, the
// decision must be in force, granted, and grant the service to the team's
// unit; the follow-up starts when the service does. Without a decision it
// is advice and guidance under sosialtjenesteloven § 17, which needs none.
// The team's unit gets a role on the person's case if it has none, so its
// members can see the follow-up (health and substance use still need the
// person's consent).
func Start(ctx context.Context, q store.Queryer, a access.Actor, in StartInput, today deadline.Date) (int64, error) {
	if !staffRole(a) {
		return 0, access.ErrForbidden
	}
	t, err := teamRow(ctx, q, a.MunicipalityID, in.TeamID)
	if errors.Is(err, ErrNotFound) {
		return 0, invalid.Problem("velg tjenesten eller teamet som skal følge opp")
	}
	if err != nil {
		return 0, err
	}
	full, err := teams(ctx, q, a.MunicipalityID, t.ID)
	if err != nil {
		return 0, err
	}
	t = full[0]
	basis := ByGuidance
	var p []invalid.Message
	if in.DecisionID > 0 {
		basis = ByDecision
		person, start, problems, err := decidedService(ctx, q, a.MunicipalityID, in.DecisionID, in.ServiceCode, t)
		if err != nil {
			return 0, err
		}
		p = append(p, problems...)
		if in.PersonID == 0 {
			in.PersonID = person
		} else if person != 0 && person != in.PersonID {
			p = append(p, invalid.F("vedtaket gjelder en annen person"))
		}
		if in.StartOn.IsZero() {
			in.StartOn = start
		}
	}
	if in.StartOn.IsZero() {
		in.StartOn = today
	}
	if in.PersonID <= 0 {
		p = append(p, invalid.F("velg beboeren som skal følges opp"))
	}
	p = append(p, CheckStart(in, t, today)...)
	if err := bad(p); err != nil {
		return 0, err
	}
	if _, err := access.Authorize(ctx, q, a, in.PersonID); err != nil {
		return 0, err
	}
	var open int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM followups WHERE person_id = ? AND team_id = ? AND status <> 'avsluttet'", in.PersonID, t.ID).Scan(&open); err != nil {
		return 0, err
	}
	if open > 0 {
		return 0, invalid.Problem("beboeren følges allerede opp av %s", t.Name)
	}
	primary := t.MemberOf(in.PrimaryID)
	var coordID any
	coordName := ""
	if c := t.MemberOf(in.CoordinatorID); c != nil {
		coordID, coordName = c.UserID, c.Name
	}
	var decision any
	if in.DecisionID > 0 {
		decision = in.DecisionID
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO followups (municipality_id, person_id, team_id, basis, decision_id, service_code, primary_id, primary_name,
		coordinator_id, coordinator_name, start_on, intensity, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, in.PersonID, t.ID, string(basis), decision, in.ServiceCode, primary.UserID, primary.Name, coordID, coordName,
		in.StartOn, string(in.Intensity), a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	responsibility := "oppfølging i bolig (" + t.Name + ")"
	if basis == ByGuidance {
		responsibility = "råd og veiledning, sosialtjenesteloven § 17 (" + t.Name + ")"
	}
	if err := ensureRole(ctx, q, a, in.PersonID, t, responsibility); err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "oppfølging", EntityID: id, After: in})
}

// ensureRole gives the team's unit a role on the person's case unless it
// has one in force.
func ensureRole(ctx context.Context, q store.Queryer, a access.Actor, personID int64, t Team, responsibility string) error {
	var roles int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_units WHERE person_id = ? AND org_unit_id = ? AND municipality_id = ? AND ended_at IS NULL`,
		personID, t.OrgUnitID, a.MunicipalityID).Scan(&roles); err != nil {
		return err
	}
	if roles > 0 {
		return nil
	}
	_, err := access.AddCaseUnit(ctx, q, a, access.CaseUnit{PersonID: personID, OrgUnitID: t.OrgUnitID, Responsibility: responsibility})
	return err
}

// decidedService finds the service in the decision in force: its person
// and start, or the problems with it.
func decidedService(ctx context.Context, q store.Queryer, municipalityID, decisionID int64, code string, t Team) (int64, deadline.Date, []invalid.Message, error) {
	var person, application int64
	var outcome string
	var version, newest int
	err := q.QueryRowContext(ctx, `SELECT d.person_id, d.application_id, d.outcome, d.version,
		(SELECT MAX(v.version) FROM decisions v WHERE v.application_id = d.application_id) FROM decisions d WHERE d.id = ? AND d.municipality_id = ?`,
		decisionID, municipalityID).Scan(&person, &application, &outcome, &version, &newest)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, deadline.Date{}, []invalid.Message{invalid.F("vedtaket finnes ikke")}, nil
	}
	if err != nil {
		return 0, deadline.Date{}, nil, err
	}
	if outcome != "innvilget" {
		return person, deadline.Date{}, []invalid.Message{invalid.F("vedtaket er et avslag og gir ingen oppfølging")}, nil
	}
	if version != newest {
		return person, deadline.Date{}, []invalid.Message{invalid.F("vedtaket er endret siden; start oppfølgingen fra versjon %d", newest)}, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT service_code, provider_unit_id, start_on FROM decision_services WHERE decision_id = ? AND municipality_id = ?`, decisionID, municipalityID)
	if err != nil {
		return 0, deadline.Date{}, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		var unit int64
		var start deadline.Date
		if err := rows.Scan(&c, &unit, &start); err != nil {
			return 0, deadline.Date{}, nil, err
		}
		if unit == t.OrgUnitID && (code == "" || c == code) {
			return person, start, nil, rows.Err()
		}
	}
	if err := rows.Err(); err != nil {
		return 0, deadline.Date{}, nil, err
	}
	return person, deadline.Date{}, []invalid.Message{invalid.F("vedtaket gir ingen tjeneste fra %s", t.Name)}, nil
}

// Contact is one contact as read back.
type Contact struct {
	ID         int64         `json:"id"`
	FollowUpID int64         `json:"followup_id"`
	Kind       ContactKind   `json:"kind"`
	On         deadline.Date `json:"on"`
	Minutes    int           `json:"minutes"`
	Met        bool          `json:"met"`
	Risky      bool          `json:"risky"`
	Staff      []string      `json:"staff"`
	// Note is shown only to those whose grant covers its category.
	Note         access.Personal[string] `json:"note"`
	NoteCategory access.Category         `json:"note_category"`
	RecordedBy   string                  `json:"recorded_by"`
}

// RecordContact records a contact. The staff who took part must be
// members of the team; the one recording is among them. A note is filed
// under its category, and only staff who may read that category may
// write under it.
func RecordContact(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in ContactInput, today deadline.Date) (int64, error) {
	f, err := loadFollowUp(ctx, q, a.MunicipalityID, followUpID)
	if err != nil {
		return 0, err
	}
	if in.NoteCategory == "" {
		in.NoteCategory = access.FollowUpPlan
	}
	if in.On.IsZero() {
		in.On = today
	}
	in.Note = strings.TrimSpace(in.Note)
	met := in.Met == nil || *in.Met
	if !met && in.Minutes == 0 {
		in.Minutes = 1
	}
	if !containsID(in.StaffIDs, a.UserID) && a.UserID > 0 {
		in.StaffIDs = append([]int64{a.UserID}, in.StaffIDs...)
	}
	cats := []access.Category{}
	if in.Note != "" {
		for _, c := range NoteCategories {
			if c == in.NoteCategory {
				cats = append(cats, c)
			}
		}
	}
	if _, err := mayWrite(ctx, q, a, f.PersonID, cats...); err != nil {
		return 0, err
	}
	p := CheckContact(in, f.StartOn, f.Status, today)
	more, err := runVisitChecks(ctx, q, a.MunicipalityID, f.PersonID, in)
	if err != nil {
		return 0, err
	}
	p = append(p, more...)
	// Only the team's members are needed here, not its caseloads: one
	// statement, not the four of the whole team.
	mrows, err := q.QueryContext(ctx, `SELECT m.user_id, m.name FROM followup_members m WHERE m.team_id = ? AND m.municipality_id = ? ORDER BY m.name, m.id`,
		f.TeamID, a.MunicipalityID)
	members, err := store.Collect(mrows, err, func(s store.Scanner) (m Member, err error) {
		err = s.Scan(&m.UserID, &m.Name)
		return m, err
	})
	if err != nil {
		return 0, err
	}
	team := Team{Members: members}
	var names []string
	for _, id := range in.StaffIDs {
		m := team.MemberOf(id)
		if m == nil {
			t, err := teamRow(ctx, q, a.MunicipalityID, f.TeamID)
			if err != nil {
				return 0, err
			}
			p = append(p, invalid.F("alle som var med, må være medlemmer av %s", t.Name))
			break
		}
		names = append(names, m.Name)
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO followup_contacts (municipality_id, followup_id, person_id, kind, contact_on, minutes, met, risky, note, note_category,
		recorded_by, recorded_by_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, f.ID, f.PersonID, string(in.Kind), in.On,
		in.Minutes, met, in.Risky, in.Note, string(in.NoteCategory), a.Name, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	if met {
		if _, err := q.ExecContext(ctx, `UPDATE followups SET last_met_on = ? WHERE id = ? AND municipality_id = ? AND (last_met_on IS NULL OR last_met_on < ?)`,
			in.On, f.ID, a.MunicipalityID, in.On); err != nil {
			return 0, err
		}
	}
	rows := make([][]any, len(in.StaffIDs))
	for i, uid := range in.StaffIDs {
		rows[i] = []any{a.MunicipalityID, id, uid, names[i]}
	}
	if err := insertRows(ctx, q, "followup_contact_staff", []string{"municipality_id", "contact_id", "user_id", "name"}, rows); err != nil {
		return 0, err
	}
	// The audit chain keeps that a contact was made, not the note's text:
	// the note's category decides who reads it, and the chain is read by
	// leaders without it.
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "kontakt", EntityID: id,
		After: map[string]any{"followup_id": f.ID, "kind": in.Kind, "on": in.On, "minutes": in.Minutes, "met": met, "risky": in.Risky, "staff": names, "note_category": in.NoteCategory}})
}

// insertRows writes rows in one statement.
func insertRows(ctx context.Context, q store.Queryer, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	ph := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	var args []any
	list := make([]string, len(rows))
	for i, r := range rows {
		list[i] = ph
		args = append(args, r...)
	}
	_, err := q.ExecContext(ctx, "INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES "+strings.Join(list, ", "), args...)
	return err
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// End ends a follow-up on the resident's own statement and reason; no
// other ending exists (CheckEnd).
func End(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in EndInput, today deadline.Date) error {
	f, err := loadFollowUp(ctx, q, a.MunicipalityID, followUpID)
	if err != nil {
		return err
	}
	if _, err := mayWrite(ctx, q, a, f.PersonID); err != nil {
		return err
	}
	if in.On.IsZero() {
		in.On = today
	}
	in.Statement = strings.TrimSpace(in.Statement)
	if err := bad(CheckEnd(in, f.StartOn, f.Status, today)); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `UPDATE followups SET status = 'avsluttet', ended_on = ?, end_statement = ?, end_reason = ? WHERE id = ? AND municipality_id = ?`,
		in.On, in.Statement, string(in.Reason), f.ID, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "avslutt", Entity: "oppfølging", EntityID: f.ID,
		Before: map[string]any{"status": f.Status}, After: map[string]any{"status": Ended, "reason": in.Reason, "on": in.On}})
}

// KeepDoorOpen puts a follow-up in open-door mode: the resident declines
// for now, contact stays low-key, and the team asks again on a set day.
func KeepDoorOpen(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in DoorInput, today deadline.Date) error {
	f, err := loadFollowUp(ctx, q, a.MunicipalityID, followUpID)
	if err != nil {
		return err
	}
	if _, err := mayWrite(ctx, q, a, f.PersonID); err != nil {
		return err
	}
	in.Statement, in.Channel = strings.TrimSpace(in.Statement), strings.TrimSpace(in.Channel)
	if err := bad(CheckDoor(in, f.Status, today)); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `UPDATE followups SET status = 'dor_apen', declined_statement = ?, door_channel = ?, ask_again_on = ? WHERE id = ? AND municipality_id = ?`,
		in.Statement, in.Channel, in.AskAgain, f.ID, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "døra holdes åpen", Entity: "oppfølging", EntityID: f.ID,
		Before: map[string]any{"status": f.Status}, After: map[string]any{"status": DoorOpen, "ask_again_on": in.AskAgain}})
}

// Resume takes a follow-up from open-door mode back to active, when the
// resident says yes again.
func Resume(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64) error {
	f, err := loadFollowUp(ctx, q, a.MunicipalityID, followUpID)
	if err != nil {
		return err
	}
	if _, err := mayWrite(ctx, q, a, f.PersonID); err != nil {
		return err
	}
	if f.Status != DoorOpen {
		return invalid.Problem("oppfølgingen står ikke med åpen dør")
	}
	if _, err := q.ExecContext(ctx, `UPDATE followups SET status = 'aktiv', ask_again_on = NULL WHERE id = ? AND municipality_id = ?`, f.ID, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "gjenoppta", Entity: "oppfølging", EntityID: f.ID,
		Before: map[string]any{"status": f.Status}, After: map[string]any{"status": Active}})
}

// Flag puts a resident on the team's board (FACT's tavlemøte) with the
// reason and the day the flag ends.
func Flag(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in BoardInput, today deadline.Date) (int64, error) {
	f, err := loadFollowUp(ctx, q, a.MunicipalityID, followUpID)
	if err != nil {
		return 0, err
	}
	if _, err := mayWrite(ctx, q, a, f.PersonID); err != nil {
		return 0, err
	}
	if in.From.IsZero() {
		in.From = today
	}
	in.Reason = strings.TrimSpace(in.Reason)
	p := CheckBoard(in, today)
	if f.Status == Ended {
		p = append(p, invalid.F("oppfølgingen er allerede avsluttet"))
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO followup_board (municipality_id, followup_id, reason, from_on, until_on, flagged_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, f.ID, in.Reason, in.From, in.Until, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "tavle", Entity: "oppfølging", EntityID: f.ID,
		After: map[string]any{"from_on": in.From, "until_on": in.Until}})
}

// AddAppointment records help with an appointment as a task for a team
// member, with a reminder day.
func AddAppointment(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in AppointmentInput, today deadline.Date) (int64, error) {
	f, err := loadFollowUp(ctx, q, a.MunicipalityID, followUpID)
	if err != nil {
		return 0, err
	}
	if _, err := mayWrite(ctx, q, a, f.PersonID); err != nil {
		return 0, err
	}
	if in.OwnerID == 0 {
		in.OwnerID = f.PrimaryID
	}
	p := CheckAppointment(&in, today)
	ts, err := teams(ctx, q, a.MunicipalityID, f.TeamID)
	if err != nil {
		return 0, err
	}
	owner := ts[0].MemberOf(in.OwnerID)
	if owner == nil {
		p = append(p, invalid.F("den som skal hjelpe med avtalen, må være medlem av %s", ts[0].Name))
	}
	if f.Status == Ended {
		p = append(p, invalid.F("oppfølgingen er allerede avsluttet"))
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO followup_appointments (municipality_id, followup_id, with_kind, what, on_day, remind_on, owner_id, owner_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, f.ID, string(in.With), strings.TrimSpace(in.What), in.On, in.RemindOn, owner.UserID, owner.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "avtalehjelp", EntityID: id,
		After: map[string]any{"followup_id": f.ID, "with": in.With, "on": in.On}})
}

// CompleteAppointment marks an appointment task done.
func CompleteAppointment(ctx context.Context, q store.Queryer, a access.Actor, appointmentID int64, today deadline.Date) error {
	var followUpID int64
	var done deadline.Date
	err := q.QueryRowContext(ctx, "SELECT followup_id, done_on FROM followup_appointments WHERE id = ? AND municipality_id = ?", appointmentID, a.MunicipalityID).Scan(&followUpID, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	f, err := loadFollowUp(ctx, q, a.MunicipalityID, followUpID)
	if err != nil {
		return err
	}
	if _, err := mayWrite(ctx, q, a, f.PersonID); err != nil {
		return err
	}
	if !done.IsZero() {
		return invalid.Problem("avtalen er allerede merket som utført (%s)", done)
	}
	if _, err := q.ExecContext(ctx, "UPDATE followup_appointments SET done_on = ? WHERE id = ? AND municipality_id = ?", today, appointmentID, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "utført", Entity: "avtalehjelp", EntityID: appointmentID})
}
