package workenv

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/invalid"
	"husly/internal/store"
)

// ErrNotFound is a team that is not in the actor's municipality.
var ErrNotFound = errors.New("finnes ikke")

func bad(p []invalid.Message) error {
	if len(p) == 0 {
		return nil
	}
	return &invalid.Error{Problems: p}
}

// seat is where the actor sits in a team's register: whether they manage
// it (unit leaders, and the team's own leader) or are a member, who sees
// their own competence and training and the risk assessments for visits.
type seat struct {
	TeamID   int64
	TeamName string
	Members  []Member
	Manages  bool
	Member   bool
}

func (s seat) memberSet() map[int64]bool {
	m := map[int64]bool{}
	for _, x := range s.Members {
		m[x.UserID] = true
	}
	return m
}

// Opens reports whether a may open the staff register of a team whose
// members' user ids are memberIDs: a member, or a unit leader who answers
// for the team's work environment (seed 002). Pages link to the register
// only for them.
func Opens(a access.Actor, memberIDs []int64) bool {
	return a.Role == access.UnitLeader || a.UserID > 0 && slices.Contains(memberIDs, a.UserID)
}

func seatOf(ctx context.Context, q store.Queryer, a access.Actor, teamID int64) (seat, error) {
	s := seat{TeamID: teamID}
	err := q.QueryRowContext(ctx, "SELECT name FROM followup_teams WHERE id = ? AND municipality_id = ?", teamID, a.MunicipalityID).Scan(&s.TeamName)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, err
	}
	rows, err := q.QueryContext(ctx, "SELECT user_id, name, role FROM followup_members WHERE team_id = ? AND municipality_id = ? ORDER BY name, id", teamID, a.MunicipalityID)
	s.Members, err = store.Collect(rows, err, func(sc store.Scanner) (m Member, err error) {
		err = sc.Scan(&m.UserID, &m.Name, &m.Role)
		return m, err
	})
	if err != nil {
		return s, err
	}
	var ids []int64
	for _, m := range s.Members {
		ids = append(ids, m.UserID)
		if m.UserID == a.UserID && a.UserID > 0 {
			s.Member = true
			if m.Role == followup.Leader && (a.Role == access.FollowUp || a.Role == access.UnitLeader) {
				s.Manages = true
			}
		}
	}
	if a.Role == access.UnitLeader {
		s.Manages = true
	}
	if !Opens(a, ids) {
		return s, access.ErrForbidden
	}
	return s, nil
}

func manage(ctx context.Context, q store.Queryer, a access.Actor, teamID int64) (seat, error) {
	s, err := seatOf(ctx, q, a, teamID)
	if err != nil {
		return s, err
	}
	if !s.Manages {
		return s, access.ErrForbidden
	}
	return s, nil
}

// Register is a team's staff register as the reader may see it.
type Register struct {
	TeamID   int64         `json:"team_id"`
	TeamName string        `json:"team_name"`
	Manages  bool          `json:"manages"`
	Members  []Member      `json:"members"`
	Held     []Held        `json:"competences"`
	Plan     []Requirement `json:"training_plan"`
	Standing []Status      `json:"training"`
	Overdue  int           `json:"training_overdue"`
	// Supervisions and Rounds are the leaders' (empty for members).
	Supervisions []Supervision `json:"supervisions"`
	Rounds       []Round       `json:"hms_rounds"`
	LastRound    deadline.Date `json:"last_hms_round,omitzero"`
	RoundDue     bool          `json:"hms_round_due"`
	// Risks name residents; AddressRisks name only an address.
	Risks        []access.Personal[Risk] `json:"risk_assessments"`
	AddressRisks []Risk                  `json:"address_risk_assessments"`
}

// Read reads a team's register. Leaders see everything; a member sees
// their own competence and training and the risk assessments for visits,
// each resident shown only where the reader's grant covers follow-up.
func Read(ctx context.Context, rd *access.Reader, teamID int64, today deadline.Date) (Register, error) {
	a := rd.Actor()
	q := rd.Q()
	s, err := seatOf(ctx, q, a, teamID)
	if err != nil {
		return Register{}, err
	}
	reg := Register{TeamID: teamID, TeamName: s.TeamName, Manages: s.Manages, Members: s.Members}
	rows, err := q.QueryContext(ctx, `SELECT id, user_id, name, competence, taken_on, expires_on FROM staff_competences
		WHERE team_id = ? AND municipality_id = ? ORDER BY name, taken_on DESC, id`, teamID, a.MunicipalityID)
	if reg.Held, err = store.Collect(rows, err, func(sc store.Scanner) (h Held, err error) {
		var exp deadline.Date
		err = sc.Scan(&h.ID, &h.UserID, &h.Name, &h.Competence, &h.TakenOn, &exp)
		h.ExpiresOn = exp
		return h, err
	}); err != nil {
		return Register{}, err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, competence, member_role, every_months, first_due_on FROM staff_training
		WHERE team_id = ? AND municipality_id = ? ORDER BY competence, member_role`, teamID, a.MunicipalityID)
	if reg.Plan, err = store.Collect(rows, err, func(sc store.Scanner) (r Requirement, err error) {
		err = sc.Scan(&r.ID, &r.Competence, &r.Role, &r.EveryMonths, &r.FirstDue)
		return r, err
	}); err != nil {
		return Register{}, err
	}
	if !s.Manages {
		// A member sees their own lines only.
		var mine []Member
		for _, m := range reg.Members {
			if m.UserID == a.UserID {
				mine = append(mine, m)
			}
		}
		var held []Held
		for _, h := range reg.Held {
			if h.UserID == a.UserID {
				held = append(held, h)
			}
		}
		reg.Members, reg.Held = mine, held
	}
	reg.Standing = Standing(reg.Members, reg.Plan, reg.Held, today)
	// Overdue first, then due soon, each by due day.
	rank := map[State]int{Overdue: 0, DueSoon: 1, Current: 2}
	sort.SliceStable(reg.Standing, func(i, j int) bool {
		a, b := reg.Standing[i], reg.Standing[j]
		if rank[a.State] != rank[b.State] {
			return rank[a.State] < rank[b.State]
		}
		return a.State != Current && a.Due.Before(b.Due)
	})
	for _, st := range reg.Standing {
		if st.State == Overdue {
			reg.Overdue++
		}
	}
	reg.Supervisions, reg.Rounds = []Supervision{}, []Round{}
	if s.Manages {
		if reg.Supervisions, err = supervisions(ctx, q, a.MunicipalityID, teamID); err != nil {
			return Register{}, err
		}
		if reg.Rounds, err = rounds(ctx, q, a.MunicipalityID, teamID, today); err != nil {
			return Register{}, err
		}
	}
	// The round is yearly: it is due when none was held in the last year.
	var last deadline.Date
	if err := q.QueryRowContext(ctx, "SELECT MAX(held_on) FROM hms_rounds WHERE team_id = ? AND municipality_id = ?", teamID, a.MunicipalityID).Scan(&last); err != nil {
		return Register{}, err
	}
	reg.LastRound = last
	reg.RoundDue = last.IsZero() || last.AddDays(RoundEveryDays).Before(today)
	list, err := risks(ctx, q, a.MunicipalityID, "v.team_id = ?", teamID)
	if err != nil {
		return Register{}, err
	}
	var ids []int64
	reg.Risks, reg.AddressRisks = []access.Personal[Risk]{}, []Risk{}
	for _, r := range list {
		r.ReviewDue = r.ReviewOn.Before(today)
		if r.PersonID > 0 {
			ids = append(ids, r.PersonID)
			reg.Risks = append(reg.Risks, access.Tag(r.PersonID, r, access.Basic, Category))
		} else {
			reg.AddressRisks = append(reg.AddressRisks, r)
		}
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return Register{}, err
	}
	return reg, rd.Send(ctx, &reg)
}

func supervisions(ctx context.Context, q store.Queryer, municipalityID, teamID int64) ([]Supervision, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, held_on, kind, supervisor, topic FROM staff_supervisions WHERE team_id = ? AND municipality_id = ?
		ORDER BY held_on DESC, id DESC`, teamID, municipalityID)
	list, err := store.Collect(rows, err, func(sc store.Scanner) (s Supervision, err error) {
		err = sc.Scan(&s.ID, &s.HeldOn, &s.Kind, &s.Supervisor, &s.Topic)
		s.UserIDs, s.Names = []int64{}, []string{}
		return s, err
	})
	if err != nil || len(list) == 0 {
		return list, err
	}
	type who struct {
		id   int64
		name string
	}
	rows, err = q.QueryContext(ctx, `SELECT m.supervision_id, m.user_id, m.name FROM staff_supervision_members m JOIN staff_supervisions s ON s.id = m.supervision_id
		WHERE s.team_id = ? AND m.municipality_id = ? ORDER BY m.name, m.id`, teamID, municipalityID)
	by, err := store.CollectBy(rows, err, func(sc store.Scanner) (w who, err error) {
		err = sc.Scan(&w.id, &w.name)
		return w, err
	})
	if err != nil {
		return nil, err
	}
	for i := range list {
		for _, w := range store.Of(by, list[i].ID) {
			list[i].UserIDs = append(list[i].UserIDs, w.id)
			list[i].Names = append(list[i].Names, w.name)
		}
	}
	return list, nil
}

func rounds(ctx context.Context, q store.Queryer, municipalityID, teamID int64, today deadline.Date) ([]Round, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, held_on, findings FROM hms_rounds WHERE team_id = ? AND municipality_id = ? ORDER BY held_on DESC, id DESC`, teamID, municipalityID)
	list, err := store.Collect(rows, err, func(sc store.Scanner) (r Round, err error) {
		err = sc.Scan(&r.ID, &r.HeldOn, &r.Findings)
		r.Measures = []Measure{}
		return r, err
	})
	if err != nil || len(list) == 0 {
		return list, err
	}
	rows, err = q.QueryContext(ctx, `SELECT m.round_id, m.id, m.what, m.owner_id, m.owner_name, m.due_on, m.done_on FROM hms_measures m JOIN hms_rounds r ON r.id = m.round_id
		WHERE r.team_id = ? AND m.municipality_id = ? ORDER BY m.due_on, m.id`, teamID, municipalityID)
	by, err := store.CollectBy(rows, err, func(sc store.Scanner) (m Measure, err error) {
		var done deadline.Date
		err = sc.Scan(&m.ID, &m.What, &m.OwnerID, &m.OwnerName, &m.DueOn, &done)
		m.DoneOn = done
		m.Late = done.IsZero() && m.DueOn.Before(today)
		return m, err
	})
	if err != nil {
		return nil, err
	}
	for i := range list {
		if ms := store.Of(by, list[i].ID); ms != nil {
			list[i].Measures = ms
		}
	}
	return list, nil
}

const riskColumns = `v.id, COALESCE(v.person_id, 0), COALESCE(p.first_name || ' ' || p.last_name, ''), v.address, v.assessment, v.two_staff, v.measures, v.assessed_on, v.review_on`

func risks(ctx context.Context, q store.Queryer, municipalityID int64, cond string, args ...any) ([]Risk, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+riskColumns+` FROM visit_risks v LEFT JOIN persons p ON p.id = v.person_id
		WHERE v.municipality_id = ? AND `+cond+` ORDER BY v.assessed_on DESC, v.id DESC`, append([]any{municipalityID}, args...)...)
	return store.Collect(rows, err, func(sc store.Scanner) (r Risk, err error) {
		err = sc.Scan(&r.ID, &r.PersonID, &r.PersonName, &r.Address, &r.Assessment, &r.TwoStaff, &r.Measures, &r.AssessedOn, &r.ReviewOn)
		return r, err
	})
}

// AddHeld registers a competence a member has taken.
func AddHeld(ctx context.Context, q store.Queryer, a access.Actor, teamID int64, in HeldInput, today deadline.Date) (int64, error) {
	s, err := manage(ctx, q, a, teamID)
	if err != nil {
		return 0, err
	}
	var name string
	for _, m := range s.Members {
		if m.UserID == in.UserID {
			name = m.Name
		}
	}
	if err := bad(CheckHeld(in, name != "", today)); err != nil {
		return 0, err
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO staff_competences (municipality_id, team_id, user_id, name, competence, taken_on, expires_on, recorded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, teamID, in.UserID, name, string(in.Competence), in.TakenOn, in.ExpiresOn, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "kompetanse", EntityID: id, After: in})
}

// SetRequirement adds a line to the training plan, or changes the line
// for the same competence and role.
func SetRequirement(ctx context.Context, q store.Queryer, a access.Actor, teamID int64, in Requirement) (int64, error) {
	if _, err := manage(ctx, q, a, teamID); err != nil {
		return 0, err
	}
	if err := bad(CheckRequirement(in)); err != nil {
		return 0, err
	}
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM staff_training WHERE team_id = ? AND competence = ? AND member_role = ?", teamID, string(in.Competence), string(in.Role)).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		id, err = store.InsertID(ctx, q, `INSERT INTO staff_training (municipality_id, team_id, competence, member_role, every_months, first_due_on, recorded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, teamID, string(in.Competence), string(in.Role), in.EveryMonths, in.FirstDue, a.Name, store.TimeArg(time.Now()))
	case err == nil:
		_, err = q.ExecContext(ctx, "UPDATE staff_training SET every_months = ?, first_due_on = ?, recorded_by = ? WHERE id = ?", in.EveryMonths, in.FirstDue, a.Name, id)
	}
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "opplaeringsplan", EntityID: id, After: in})
}

// LogSupervision records a supervision session.
func LogSupervision(ctx context.Context, q store.Queryer, a access.Actor, teamID int64, in Supervision, today deadline.Date) (int64, error) {
	s, err := manage(ctx, q, a, teamID)
	if err != nil {
		return 0, err
	}
	in.Supervisor, in.Topic = strings.TrimSpace(in.Supervisor), strings.TrimSpace(in.Topic)
	p := CheckSupervision(in, today)
	names := map[int64]string{}
	for _, m := range s.Members {
		names[m.UserID] = m.Name
	}
	for _, u := range in.UserIDs {
		if names[u] == "" {
			p = append(p, invalid.F("deltakere: alle må være medlemmer av teamet"))
			break
		}
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO staff_supervisions (municipality_id, team_id, held_on, kind, supervisor, topic, recorded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, teamID, in.HeldOn, string(in.Kind), in.Supervisor, in.Topic, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	for _, u := range in.UserIDs {
		if _, err := q.ExecContext(ctx, "INSERT INTO staff_supervision_members (municipality_id, supervision_id, user_id, name) VALUES (?, ?, ?, ?)",
			a.MunicipalityID, id, u, names[u]); err != nil {
			return 0, err
		}
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "veiledning", EntityID: id, After: in})
}

// RecordRound records an HMS round with its measures.
func RecordRound(ctx context.Context, q store.Queryer, a access.Actor, teamID int64, in Round, today deadline.Date) (int64, error) {
	s, err := manage(ctx, q, a, teamID)
	if err != nil {
		return 0, err
	}
	in.Findings = strings.TrimSpace(in.Findings)
	for i := range in.Measures {
		in.Measures[i].What = strings.TrimSpace(in.Measures[i].What)
	}
	if err := bad(CheckRound(in, s.memberSet(), today)); err != nil {
		return 0, err
	}
	names := map[int64]string{}
	for _, m := range s.Members {
		names[m.UserID] = m.Name
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO hms_rounds (municipality_id, team_id, held_on, findings, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, teamID, in.HeldOn, in.Findings, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	for _, m := range in.Measures {
		if _, err := q.ExecContext(ctx, "INSERT INTO hms_measures (municipality_id, round_id, what, owner_id, owner_name, due_on) VALUES (?, ?, ?, ?, ?, ?)",
			a.MunicipalityID, id, m.What, m.OwnerID, names[m.OwnerID], m.DueOn); err != nil {
			return 0, err
		}
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "hms-runde", EntityID: id,
		After: map[string]any{"held_on": in.HeldOn, "measures": len(in.Measures)}})
}

// AssessRisk records a risk assessment for visits. One about a resident
// needs the resident to be followed by the team and the leader's grant
// to cover their follow-up.
func AssessRisk(ctx context.Context, q store.Queryer, a access.Actor, teamID int64, in Risk, today deadline.Date) (int64, error) {
	if _, err := manage(ctx, q, a, teamID); err != nil {
		return 0, err
	}
	in.Address, in.Assessment, in.Measures = strings.TrimSpace(in.Address), strings.TrimSpace(in.Assessment), strings.TrimSpace(in.Measures)
	p := CheckRisk(in, today)
	if in.PersonID > 0 {
		g, err := access.Authorize(ctx, q, a, in.PersonID)
		if err != nil {
			return 0, err
		}
		if !g.Allows(Category) {
			return 0, access.ErrForbidden
		}
		var n int
		if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM followups WHERE team_id = ? AND person_id = ? AND municipality_id = ? AND status <> 'avsluttet'",
			teamID, in.PersonID, a.MunicipalityID).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			p = append(p, invalid.F("beboer: teamet følger ikke opp denne beboeren"))
		}
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	var person any
	if in.PersonID > 0 {
		person = in.PersonID
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO visit_risks (municipality_id, team_id, person_id, address, assessment, two_staff, measures, assessed_on, review_on, recorded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, teamID, person, in.Address, in.Assessment, in.TwoStaff, in.Measures, in.AssessedOn, in.ReviewOn,
		a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	// The chain keeps that an assessment was made and what it requires,
	// not its text: the text is follow-up data about the resident.
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "risikovurdering", EntityID: id,
		After: map[string]any{"team_id": teamID, "two_staff": in.TwoStaff, "assessed_on": in.AssessedOn, "review_on": in.ReviewOn}})
}

// risksOfHome reads the assessments of a resident's home: those about
// the resident and those about the address they are registered at.
func risksOfHome(ctx context.Context, q store.Queryer, municipalityID, personID int64) ([]Risk, error) {
	return risks(ctx, q, municipalityID, `(v.person_id = ? OR (v.person_id IS NULL AND v.address <> ''
		AND LOWER(TRIM(v.address)) = (SELECT LOWER(TRIM(x.address)) FROM persons x WHERE x.id = ? AND x.municipality_id = ?)))`, personID, personID, municipalityID)
}

// visitCheck refuses a home visit by one member of staff where the home's
// governing risk assessment requires two.
func visitCheck(ctx context.Context, q store.Queryer, municipalityID, personID int64, in followup.ContactInput) ([]invalid.Message, error) {
	if in.Kind != followup.HomeVisit {
		return nil, nil
	}
	staff := map[int64]bool{}
	for _, id := range in.StaffIDs {
		staff[id] = true
	}
	if len(staff) >= 2 {
		return nil, nil
	}
	list, err := risksOfHome(ctx, q, municipalityID, personID)
	if err != nil {
		return nil, err
	}
	if r, ok := NeedsTwo(list, in.On); ok {
		return []invalid.Message{invalid.F("ansatte: risikovurderingen av hjemmet fra %s krever to ansatte på hjemmebesøk; velg kollegaen som var med", r.AssessedOn)}, nil
	}
	return nil, nil
}

func init() { followup.CheckVisitsWith(visitCheck) }

// CompleteMeasure marks a measure from one of the team's HMS rounds done.
func CompleteMeasure(ctx context.Context, q store.Queryer, a access.Actor, teamID, measureID int64, today deadline.Date) error {
	if _, err := manage(ctx, q, a, teamID); err != nil {
		return err
	}
	res, err := q.ExecContext(ctx, `UPDATE hms_measures SET done_on = ? WHERE id = ? AND municipality_id = ? AND done_on IS NULL
		AND round_id IN (SELECT id FROM hms_rounds WHERE team_id = ? AND municipality_id = ?)`, today, measureID, a.MunicipalityID, teamID, a.MunicipalityID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return bad([]invalid.Message{invalid.F("tiltak: velg et tiltak fra teamets HMS-runde som ikke er utført")})
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "utført", Entity: "hms-tiltak", EntityID: measureID,
		After: map[string]any{"done_on": today}})
}
