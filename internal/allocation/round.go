package allocation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/invalid"
	"husly/internal/phrase"
	"husly/internal/store"
)

// The allocation round on a municipality's data: the waiting lists of
// approved applicants, the vacant units, every pair evaluated, and the
// optimal round beside what greedy-by-priority would have done.

// Settings are a municipality's priority rules and policy, one version.
type Settings struct {
	Version   int       `json:"version"`
	Rules     []Rule    `json:"rules"`
	Policy    Policy    `json:"policy"`
	CreatedBy string    `json:"created_by,omitempty"`
	Created   time.Time `json:"created_at,omitzero"`
}

// SettingsOf gives the municipality's rules and policy in force, or the
// defaults (version 0).
func SettingsOf(ctx context.Context, q store.Queryer, municipalityID int64) (Settings, error) {
	var s Settings
	var rules, policy string
	err := q.QueryRowContext(ctx, `SELECT version, rules, policy, created_by, created_at FROM priority_rules WHERE municipality_id = ?
		ORDER BY version DESC LIMIT 1`, municipalityID).Scan(&s.Version, &rules, &policy, &s.CreatedBy, store.ScanTime(&s.Created))
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{Rules: DefaultRules(), Policy: DefaultPolicy()}, nil
	}
	if err != nil {
		return Settings{}, err
	}
	if err := json.Unmarshal([]byte(rules), &s.Rules); err != nil {
		return Settings{}, err
	}
	if err := json.Unmarshal([]byte(policy), &s.Policy); err != nil {
		return Settings{}, err
	}
	if s.Policy.DeclineLimits == nil {
		// A policy saved before the limit was per list keeps the lawful
		// default: no limit for Housing First (seed 002).
		s.Policy.DeclineLimits = DefaultDeclineLimits()
	}
	return s, nil
}

// SaveSettings stores a new version of the rules and policy
// (administrators). baseVersion is the version the change was made from:
// a change made from an older version is refused.
func SaveSettings(ctx context.Context, q store.Queryer, a access.Actor, baseVersion int, rules []Rule, pol Policy) (Settings, error) {
	if a.Role != access.Admin {
		return Settings{}, access.ErrForbidden
	}
	if ps := checkPolicy(pol); len(ps) > 0 {
		return Settings{}, &InputError{ps}
	}
	if pol.DeclineLimits == nil {
		pol.DeclineLimits = DefaultDeclineLimits() // not given: the lawful default
	}
	cur, err := SettingsOf(ctx, q, a.MunicipalityID)
	if err != nil {
		return Settings{}, err
	}
	if baseVersion != cur.Version {
		return Settings{}, &InputError{[]invalid.Message{invalid.F("reglene er endret (versjon %d) etter at du åpnet dem (versjon %d): se endringen og prøv igjen", cur.Version, baseVersion)}}
	}
	next := Settings{Version: cur.Version + 1, Rules: rules, Policy: pol, CreatedBy: a.Name, Created: time.Now()}
	rj, _ := json.Marshal(rules)
	pj, _ := json.Marshal(pol)
	if _, err := q.ExecContext(ctx, "INSERT INTO priority_rules (municipality_id, version, rules, policy, created_by, created_by_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		a.MunicipalityID, next.Version, string(rj), string(pj), a.Name, a.UserRef(), store.TimeArg(next.Created)); err != nil {
		if store.IsUniqueViolation(err) {
			return Settings{}, &InputError{[]invalid.Message{invalid.F("noen andre lagret nye regler samtidig: last siden på nytt")}}
		}
		return Settings{}, err
	}
	return next, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "prioritetsregler",
		EntityID: int64(next.Version), Before: cur, After: next})
}

func checkPolicy(p Policy) []invalid.Message {
	var out []invalid.Message
	for _, w := range []float64{p.PriorityWeight, p.WantedDistrict, p.SmokeFree, p.GroundFloor, p.NearServices, p.NearNetwork, p.ExtraRoomPenalty} {
		if !finiteNonNegative(w) {
			out = append(out, invalid.F("vektene må være endelige tall fra 0 og oppover"))
			break
		}
	}
	if !finiteNonNegative(p.MixLimit) || p.MixLimit > 1 || !finiteNonNegative(p.ROPLimit) || p.ROPLimit > 1 {
		out = append(out, invalid.F("grensene for beboersammensetning må være andeler mellom 0 og 1"))
	}
	for list, n := range p.DeclineLimits {
		if list == "" || n < 0 || n > 20 {
			out = append(out, invalid.F("grensen for avslåtte tilbud per venteliste må være et helt tall fra 0 (ingen grense) til 20"))
			break
		}
	}
	return out
}

// Levels are the waiting lists, by the follow-up the decision grants.
// Each level's name is in the catalogues (allocation.level.<code>).
var Levels = levelChoices()

func levelChoices() []struct{ Code Level } {
	out := make([]struct{ Code Level }, len(AllLevels))
	for i, l := range AllLevels {
		out[i].Code = l
	}
	return out
}

// Applicant is an approved applicant on the waiting list.
type Applicant struct {
	ApplicationID int64         `json:"application_id"`
	PersonID      int64         `json:"person_id"`
	Name          string        `json:"name"`
	Level         Level         `json:"level"`
	DecidedOn     deadline.Date `json:"decided_on"`
	DaysWaiting   int           `json:"days_waiting"`
	Priority      float64       `json:"priority"`
	Breakdown     []Part        `json:"priority_breakdown"`
	Need          Need          `json:"need"`
	// ROP says the person is followed for substance use and mental health:
	// health and substance data, so in a response it leaves the need
	// (need.rop is false there) and travels tagged with those categories.
	ROP   access.Personal[bool] `json:"rop"`
	facts Facts
}

// WaitingList gives the approved applicants the actor may see, the
// highest priority first, and logs the read.
func WaitingList(ctx context.Context, q store.Queryer, a access.Actor, today deadline.Date, channel string) ([]Applicant, Settings, error) {
	list, set, err := waitingFor(ctx, q, a, today)
	if err != nil {
		return nil, Settings{}, err
	}
	tagROP(list)
	return list, set, sendWaiting(ctx, q, a, channel, list, &list)
}

// tagROP moves each applicant's ROP flag out of the need into its tagged
// field, for a response; the round has used the need by then.
func tagROP(list []Applicant) {
	for i := range list {
		list[i].ROP = access.Tag(list[i].PersonID, list[i].Need.ROP, access.Health, access.Substance)
		list[i].Need.ROP = false
	}
}

// sendWaiting logs the listed applicants' names and housing needs and
// sends the response v through the redaction step.
func sendWaiting(ctx context.Context, q store.Queryer, a access.Actor, channel string, list []Applicant, v any) error {
	rd := access.NewReader(q, a, channel)
	for _, x := range list {
		rd.List(access.SetOf(access.HousingNeeds), x.PersonID)
	}
	return rd.Send(ctx, v)
}

// waitingFor reads the waiting list the actor may see, untagged, for the
// round to compute on.
func waitingFor(ctx context.Context, q store.Queryer, a access.Actor, today deadline.Date) ([]Applicant, Settings, error) {
	if !a.Writes() {
		return nil, Settings{}, access.ErrForbidden
	}
	set, err := SettingsOf(ctx, q, a.MunicipalityID)
	if err != nil {
		return nil, Settings{}, err
	}
	visible, vargs := access.VisibleClause(a)
	list, err := waitingList(ctx, q, a.MunicipalityID, visible, vargs, set.Rules, today)
	if err != nil {
		return nil, Settings{}, err
	}
	return list, set, nil
}

// waitingList reads the approved applicants among the persons visible
// keeps (a condition on persons p), scored by the rules.
func waitingList(ctx context.Context, q store.Queryer, municipalityID int64, visible string, vargs []any, rules []Rule, today deadline.Date) ([]Applicant, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, p.id, p.first_name || ' ' || p.last_name, a.groups, d.id, d.housing_type, d.rooms, d.requirements, d.decided_on,
		COALESCE((SELECT SUM(s.hours_per_week) FROM decision_services s WHERE s.decision_id = d.id), 0),
		EXISTS (SELECT 1 FROM decision_services s WHERE s.decision_id = d.id AND s.as_needed),
		EXISTS (SELECT 1 FROM decision_services s JOIN org_units o ON o.id = s.provider_unit_id WHERE s.decision_id = d.id AND o.kind IN `+ropKinds+`),
		COALESCE((SELECT c.homeless FROM contacts c WHERE c.person_id = p.id ORDER BY c.received_on DESC, c.id DESC LIMIT 1), FALSE),
		p.birth_date, COALESCE(m.want_districts, ''), COALESCE(m.avoid_districts, ''),
		CASE WHEN m.near_network AND m.share_network THEN m.network_districts ELSE '' END, COALESCE(m.pets, FALSE), COALESCE(m.smoke_free, FALSE),
		COALESCE(m.ground_floor, FALSE), COALESCE(m.wheelchair, FALSE)
		FROM applications a JOIN persons p ON p.id = a.person_id
		JOIN decisions d ON d.application_id = a.id AND d.version = (SELECT MAX(version) FROM decisions x WHERE x.application_id = a.id)
		LEFT JOIN mappings m ON m.id = (SELECT MAX(id) FROM mappings y WHERE y.person_id = p.id)
		WHERE a.municipality_id = ? AND a.status = 'innvilget' AND d.outcome = 'innvilget' AND d.housing_type <> '' AND `+visible+`
		ORDER BY a.id`, append([]any{municipalityID}, vargs...)...)
	list, err := store.Collect(rows, err, func(s store.Scanner) (x Applicant, err error) {
		var groups, reqs, want, avoid, network string
		var decisionID int64
		var hours float64
		var homeless, asNeeded bool
		var born deadline.Date
		n := &x.Need
		if err = s.Scan(&x.ApplicationID, &x.PersonID, &x.Name, &groups, &decisionID, &n.HousingType, &n.Rooms, &reqs, &x.DecidedOn, &hours,
			&asNeeded, &n.ROP, &homeless, &born, &want, &avoid, &network, &n.Pets, &n.SmokeFree, &n.GroundFloor, &n.Wheelchair); err != nil {
			return x, err
		}
		n.ID = strconv.FormatInt(x.ApplicationID, 10)
		n.Age = born.YearsUntil(today)
		n.Requirements = splitList(reqs, ",")
		n.WantDistricts, n.AvoidDistricts, n.NetworkDistricts = splitList(want, ","), splitList(avoid, ","), splitList(network, ",")
		x.Level = level(n.Requirements, hours, asNeeded)
		// Follow-up "etter behov" (Housing First) is counted as high need:
		// it has no upper bound in hours (seed 003).
		n.HighNeed = x.Level == LevelNight || x.Level == LevelDay || hours >= 5 || asNeeded
		x.DaysWaiting = max(x.DecidedOn.DaysUntil(today), 0)
		x.facts = Facts{Groups: groupsOf(splitList(groups, ",")), HomelessNow: homeless, DaysWaiting: x.DaysWaiting}
		x.Priority, x.Breakdown = Priority(rules, x.facts)
		n.Priority = x.Priority
		return x, nil
	})
	sortStable(list, func(a, b Applicant) bool { return a.Priority > b.Priority })
	return list, err
}

// level is the waiting list a decision puts the applicant on.
func level(requirements []string, serviceHours float64, asNeeded bool) Level {
	switch {
	case slices.Contains(requirements, "bemanning_dogn"):
		return LevelNight
	case slices.Contains(requirements, "bemanning_dag"):
		return LevelDay
	case serviceHours > 0 || asNeeded:
		return LevelAmbulant
	}
	return LevelNone
}

func splitList(s, sep string) []string {
	out := []string{}
	for _, x := range strings.Split(s, sep) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Vacancy is a vacant unit in the round, with its building's mix.
type Vacancy struct {
	Unit housing.Unit `json:"unit"`
	Mix  Mix          `json:"building_mix"`
	// SharedBy names the partner municipality that owns the unit and offers
	// it under an agreement; empty for the municipality's own units.
	SharedBy string `json:"shared_by,omitempty"`
	// Site and SiteRules are the rules of the unit's site, if it sets any.
	Site      string    `json:"site,omitempty"`
	SiteRules SiteRules `json:"site_rules,omitzero"`
}

// vacancies lists every vacant unit with its building's residents now; a
// resident has high follow-up needs when a follow-up team has a role on
// their case.
func vacancies(ctx context.Context, q store.Queryer, municipalityID int64) ([]Vacancy, error) {
	var out []Vacancy
	for offset := 0; ; offset += 500 {
		units, total, err := housing.ListUnits(ctx, q, municipalityID, housing.Filter{Status: housing.Vacant, Limit: 500, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			out = append(out, Vacancy{Unit: u})
		}
		if offset+500 >= total {
			break
		}
	}
	mix, err := Mixes(ctx, q, municipalityID)
	if err != nil {
		return nil, err
	}
	sites, err := siteRulesByBuilding(ctx, q, municipalityID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Mix = mix[out[i].Unit.BuildingID]
		site := sites[out[i].Unit.BuildingID]
		out[i].Site, out[i].SiteRules = site.Name, site.Rules
	}
	return out, nil
}

// The follow-up teams whose residents count as having high needs, and
// those whose residents count towards the ROP share.
const (
	highNeedKinds = `('housing_first', 'fact', 'boteam', 'psykisk_helse_rus')`
	ropKinds      = `('fact', 'psykisk_helse_rus')`
)

// Mixes gives every building's residents now, by building: a resident has
// high follow-up needs when a follow-up team has an active role on their
// case, and counts towards the ROP share when the team is the mental-health
// and substance service or FACT. Numbers only.
func Mixes(ctx context.Context, q store.Queryer, municipalityID int64) (map[int64]Mix, error) {
	team := func(kinds string) string {
		return `SUM(CASE WHEN EXISTS (SELECT 1 FROM lease_tenants t JOIN case_units c ON c.person_id = t.person_id JOIN org_units o ON o.id = c.org_unit_id
			WHERE t.lease_id = l.id AND c.ended_at IS NULL AND o.kind IN ` + kinds + `) THEN 1 ELSE 0 END)`
	}
	rows, err := q.QueryContext(ctx, `SELECT u.building_id, COUNT(*), `+team(highNeedKinds)+`, `+team(ropKinds)+`
		FROM leases l JOIN units u ON u.id = l.unit_id WHERE l.municipality_id = ? AND l.status = 'aktiv' AND u.building_id IS NOT NULL
		GROUP BY u.building_id`, municipalityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	mix := map[int64]Mix{}
	for rows.Next() {
		var b int64
		var m Mix
		if err := rows.Scan(&b, &m.Residents, &m.HighNeed, &m.ROP); err != nil {
			return nil, err
		}
		mix[b] = m
	}
	return mix, rows.Err()
}

// Proposal is one vacancy's outcome in a round.
type Proposal struct {
	Vacancy      Vacancy       `json:"vacancy"`
	Applicant    *Applicant    `json:"applicant,omitempty"`
	Score        float64       `json:"score"`
	Reasons      []string      `json:"reasons"`
	Said         []Said        `json:"-"` // the reasons as data, for a page
	Alternatives []Alternative `json:"alternatives"`
	Greedy       *Applicant    `json:"greedy_applicant,omitempty"`
}

// Alternative is another applicant the vacancy could go to.
type Alternative struct {
	ApplicationID int64   `json:"application_id"`
	Name          string  `json:"name"`
	Score         float64 `json:"score"`
}

// Round is a whole allocation round.
type Round struct {
	Settings       Settings    `json:"settings"`
	PriorityFirst  bool        `json:"priority_first"`
	Waiting        []Applicant `json:"waiting"`
	Proposals      []Proposal  `json:"proposals"`
	Pairs          int         `json:"allowed_pairs"`
	OptimalTotal   float64     `json:"optimal_total"`
	GreedyTotal    float64     `json:"greedy_total"`
	OptimalPlaced  int         `json:"optimal_placed"`
	GreedyPlaced   int         `json:"greedy_placed"`
	TopPriority    float64     `json:"top_priority"`
	OptimalTopSeen int         `json:"optimal_top_priority_placed"`
	GreedyTopSeen  int         `json:"greedy_top_priority_placed"`
}

// Proposes tells whether the round proposes the unit to the application:
// the one pair an offer may come from without further reason.
func (r Round) Proposes(applicationID, unitID int64) bool {
	for _, p := range r.Proposals {
		if p.Applicant != nil && p.Applicant.ApplicationID == applicationID && p.Vacancy.Unit.ID == unitID && p.Vacancy.SharedBy == "" {
			return true
		}
	}
	return false
}

// RunRound evaluates every waiting applicant against every vacancy and
// proposes the optimal round (or the priority-first one), with up to three
// alternatives per vacancy and greedy-by-priority's choice beside it.
func RunRound(ctx context.Context, q store.Queryer, a access.Actor, priorityFirst bool, today deadline.Date, channel string) (Round, error) {
	waiting, set, err := waitingFor(ctx, q, a, today)
	if err != nil {
		return Round{}, err
	}
	vac, err := vacancies(ctx, q, a.MunicipalityID)
	if err != nil {
		return Round{}, err
	}
	fromPartners, err := shared(ctx, q, a.MunicipalityID, today)
	if err != nil {
		return Round{}, err
	}
	vac = append(vac, fromPartners...)
	r := Round{Settings: set, PriorityFirst: priorityFirst, Waiting: waiting, Proposals: make([]Proposal, len(vac))}
	var pairs []Pair
	prio := make([]float64, len(waiting))
	for i, x := range waiting {
		prio[i] = x.Priority
		r.TopPriority = max(r.TopPriority, x.Priority)
	}
	for ui, v := range vac {
		home := v.Home()
		r.Proposals[ui] = Proposal{Vacancy: v, Reasons: []string{}, Alternatives: []Alternative{}}
		for ai, x := range waiting {
			if score, ok := Score(x.Need, home, v.Mix, set.Policy); ok {
				pairs = append(pairs, Pair{ai, ui, score})
			}
		}
	}
	r.Pairs = len(pairs)
	var chosen []Assignment
	if priorityFirst {
		chosen = SolvePriorityFirst(prio, len(vac), pairs)
	} else {
		chosen = Solve(len(waiting), len(vac), pairs)
	}
	greedy := Greedy(prio, len(vac), pairs)
	r.OptimalTotal, r.GreedyTotal, r.OptimalPlaced, r.GreedyPlaced = Total(chosen), Total(greedy), len(chosen), len(greedy)
	for _, c := range chosen {
		p := &r.Proposals[c.Unit]
		p.Applicant, p.Score = &r.Waiting[c.Applicant], c.Score
		e := Evaluate(r.Waiting[c.Applicant].Need, p.Vacancy.Home(), p.Vacancy.Mix, set.Policy)
		p.Reasons, p.Said = e.Reasons, e.Said
		if r.TopPriority > 0 && prio[c.Applicant] == r.TopPriority {
			r.OptimalTopSeen++
		}
	}
	for _, g := range greedy {
		r.Proposals[g.Unit].Greedy = &r.Waiting[g.Applicant]
		if r.TopPriority > 0 && prio[g.Applicant] == r.TopPriority {
			r.GreedyTopSeen++
		}
	}
	for _, p := range pairs { // alternatives: the best other applicants for each vacancy
		prop := &r.Proposals[p.Unit]
		if prop.Applicant != nil && prop.Applicant.ApplicationID == r.Waiting[p.Applicant].ApplicationID {
			continue
		}
		prop.Alternatives = append(prop.Alternatives, Alternative{r.Waiting[p.Applicant].ApplicationID, r.Waiting[p.Applicant].Name, p.Score})
	}
	for i := range r.Proposals {
		alts := r.Proposals[i].Alternatives
		sortStable(alts, func(a, b Alternative) bool { return a.Score > b.Score })
		r.Proposals[i].Alternatives = alts[:min(3, len(alts))]
	}
	tagROP(r.Waiting) // the proposals point into the waiting list
	return r, sendWaiting(ctx, q, a, channel, r.Waiting, &r)
}

// Home is the vacancy as the evaluation sees it, with its site's rules.
func (v Vacancy) Home() Home {
	h := HomeOf(v.Unit)
	h.Site, h.SiteRules = v.Site, v.SiteRules
	return h
}

// HomeOf is a unit as the evaluation sees it.
func HomeOf(u housing.Unit) Home {
	b := ""
	if u.BuildingID != 0 {
		b = strconv.FormatInt(u.BuildingID, 10)
	}
	return Home{ID: u.Code, Category: u.Category, Rooms: u.Rooms, Floor: u.Floor, Lift: u.Lift, Wheelchair: u.Wheelchair,
		Staffing: u.Staffing, District: u.District, PetsAllowed: u.PetsAllowed, SmokingAllowed: u.SmokingAllowed, DrugSceneNearby: u.DrugSceneNearby,
		OwnEntrance: u.OwnEntrance, Robust: u.Robust, NearServices: u.NearServices, Building: b}
}

// Shift is an anonymous move on the waiting list under new rules: what
// the administrator sees before saving, without names.
type Shift struct {
	Move
	Level       Level  `json:"level"`
	DaysWaiting int    `json:"days_waiting"`
	Why         string `json:"why"`
	// Parts are the reasons behind Why, for a page in another language.
	Parts []Part `json:"-"`
}

// Preview shows, before new rules are saved, how the whole waiting list
// would change: who moves up and who moves down, by place and points, with
// the facts that made the difference but no names.
func Preview(ctx context.Context, q store.Queryer, a access.Actor, next []Rule, today deadline.Date) ([]Shift, error) {
	if a.Role != access.Admin && a.Role != access.UnitLeader {
		return nil, access.ErrForbidden
	}
	set, err := SettingsOf(ctx, q, a.MunicipalityID)
	if err != nil {
		return nil, err
	}
	waiting, err := waitingList(ctx, q, a.MunicipalityID, "1 = 1", nil, set.Rules, today)
	if err != nil {
		return nil, err
	}
	facts := make([]Facts, len(waiting))
	for i, x := range waiting {
		facts[i] = x.facts
	}
	moves := Impact(set.Rules, next, facts)
	out := make([]Shift, len(moves))
	for i, m := range moves {
		_, parts := Priority(next, facts[m.Index])
		why := make([]string, len(parts))
		for j, p := range parts {
			why[j] = p.Reason
		}
		out[i] = Shift{Move: m, Level: waiting[m.Index].Level, DaysWaiting: waiting[m.Index].DaysWaiting, Why: strings.Join(why, "; "), Parts: parts}
	}
	return out, nil
}

// Upcoming is a unit whose tenancy ends soon: a vacancy to plan for.
type Upcoming struct {
	Unit     housing.Unit  `json:"unit"`
	FreeFrom deadline.Date `json:"free_from"`
	Ending   string        `json:"ending"` // "oppsagt" (terminated) or "utløper" (the term runs out)
}

// Forecast lists the units whose active lease ends within days: leases
// terminated with a future end date, and fixed terms running out. Tenants'
// names are not part of it.
func Forecast(ctx context.Context, q store.Queryer, a access.Actor, today deadline.Date, days int) ([]Upcoming, error) {
	if !a.Writes() && a.Role != access.Planner {
		return nil, access.ErrForbidden
	}
	until := today.AddDays(days).String()
	rows, err := q.QueryContext(ctx, `SELECT l.unit_id, COALESCE(l.terminated_on, l.end_date), CASE WHEN l.terminated_on IS NULL THEN 'utløper' ELSE 'oppsagt' END
		FROM leases l WHERE l.municipality_id = ? AND l.status = 'aktiv' AND COALESCE(l.terminated_on, l.end_date) BETWEEN ? AND ?
		ORDER BY 2, l.unit_id`, a.MunicipalityID, today.String(), until)
	type row struct {
		unit   int64
		free   deadline.Date
		ending string
	}
	found, err := store.Collect(rows, err, func(s store.Scanner) (r row, err error) {
		return r, s.Scan(&r.unit, &r.free, &r.ending)
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(found))
	for i, r := range found {
		ids[i] = r.unit
	}
	units, err := housing.UnitsIn(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Upcoming, 0, len(found))
	for _, r := range found {
		out = append(out, Upcoming{Unit: units[r.unit], FreeFrom: r.free, Ending: r.ending})
	}
	return out, nil
}

// PairChecker evaluates one applicant against the municipality's units by
// the same rules as the round, so that an offer made by hand breaks no hard
// constraint either. It reads the applicant, the rules, the buildings' mix
// and the sites' rules once; the application must be on the list.
func PairChecker(ctx context.Context, q store.Queryer, municipalityID, applicationID int64, today deadline.Date) (func(housing.Unit) Evaluation, error) {
	set, err := SettingsOf(ctx, q, municipalityID)
	if err != nil {
		return nil, err
	}
	list, err := waitingList(ctx, q, municipalityID, "a.id = ?", []any{applicationID}, set.Rules, today)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return func(housing.Unit) Evaluation {
			return Evaluation{Reasons: []string{"saken står ikke på ventelisten"}, Refused: []phrase.Phrase{phrase.New("texts.pair.not_waiting")}}
		}, nil
	}
	mix, err := Mixes(ctx, q, municipalityID)
	if err != nil {
		return nil, err
	}
	sites, err := siteRulesByBuilding(ctx, q, municipalityID)
	if err != nil {
		return nil, err
	}
	return func(u housing.Unit) Evaluation {
		site := sites[u.BuildingID]
		v := Vacancy{Unit: u, Mix: mix[u.BuildingID], Site: site.Name, SiteRules: site.Rules}
		return Evaluate(list[0].Need, v.Home(), v.Mix, set.Policy)
	}, nil
}

// HigherFitting lists the applicants on the whole waiting list with a
// higher priority than applicationID's for whom unit u is allowed by the
// round's hard constraints: those an offer of u to applicationID passes
// over. "Behovet, og ikke støyfaktoren, skal styre" (seed 003), so such an
// offer needs a written reason. Untagged and unlogged: the caller keeps
// the ids and shows only the count to the case worker.
func HigherFitting(ctx context.Context, q store.Queryer, municipalityID, applicationID int64, u housing.Unit, today deadline.Date) ([]Applicant, error) {
	set, err := SettingsOf(ctx, q, municipalityID)
	if err != nil {
		return nil, err
	}
	list, err := waitingList(ctx, q, municipalityID, "1 = 1", nil, set.Rules, today)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(list, func(x Applicant) bool { return x.ApplicationID == applicationID })
	if i < 0 {
		return []Applicant{}, nil
	}
	mix, err := Mixes(ctx, q, municipalityID)
	if err != nil {
		return nil, err
	}
	sites, err := siteRulesByBuilding(ctx, q, municipalityID)
	if err != nil {
		return nil, err
	}
	site := sites[u.BuildingID]
	v := Vacancy{Unit: u, Mix: mix[u.BuildingID], Site: site.Name, SiteRules: site.Rules}
	home := v.Home()
	out := []Applicant{}
	for _, x := range list {
		if x.ApplicationID != applicationID && x.Priority > list[i].Priority && Evaluate(x.Need, home, v.Mix, set.Policy).Allowed {
			out = append(out, x)
		}
	}
	return out, nil
}

// groupsOf types the groups an application stored.
func groupsOf(codes []string) []Group {
	out := make([]Group, len(codes))
	for i, c := range codes {
		out[i] = Group(c)
	}
	return out
}
