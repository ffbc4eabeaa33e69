package access

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/store"
)

// ErrUnknownPerson is returned for a person id that is not in the actor's
// municipality: the same answer as for one that does not exist.
var ErrUnknownPerson = errors.New("personen finnes ikke")

// Label names the actor in the audit chain and the access log.
func (a Actor) Label() string {
	if a.Username == "" {
		return "husly (system)"
	}
	return a.Name + " (" + a.Username + ")"
}

// RoleDef is one of a municipality's roles.
type RoleDef struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Base  Role   `json:"base"`
}

// SeedMatrix gives a new municipality the built-in roles and the default
// category matrix.
func SeedMatrix(ctx context.Context, q store.Queryer, municipalityID int64) error {
	for _, r := range Roles {
		if _, err := q.ExecContext(ctx, "INSERT INTO roles (municipality_id, code, label, base) VALUES (?, ?, ?, ?)",
			municipalityID, string(r), i18n.Label("nb", "role", string(r)), string(r)); err != nil {
			return err
		}
	}
	return writeMatrix(ctx, q, municipalityID, DefaultMatrix())
}

// RolesOf lists a municipality's roles: the built-in ones first, then the
// municipality's own in name order.
func RolesOf(ctx context.Context, q store.Queryer, municipalityID int64) ([]RoleDef, error) {
	rows, err := q.QueryContext(ctx, "SELECT code, label, base FROM roles WHERE municipality_id = ? ORDER BY code <> base, label", municipalityID)
	defs, err := store.Collect(rows, err, func(r store.Scanner) (d RoleDef, err error) {
		err = r.Scan(&d.Code, &d.Label, &d.Base)
		return d, err
	})
	if err != nil {
		return nil, err
	}
	// Built-in roles in their usual order.
	order := map[string]int{}
	for i, r := range Roles {
		order[string(r)] = i
	}
	sort.SliceStable(defs, func(i, j int) bool {
		oi, iBuilt := order[defs[i].Code]
		oj, jBuilt := order[defs[j].Code]
		if iBuilt && jBuilt {
			return oi < oj
		}
		return iBuilt && !jBuilt
	})
	return defs, nil
}

// RoleOf finds one role of the municipality.
func RoleOf(ctx context.Context, q store.Queryer, municipalityID int64, code string) (RoleDef, error) {
	var d RoleDef
	err := q.QueryRowContext(ctx, "SELECT code, label, base FROM roles WHERE municipality_id = ? AND code = ?", municipalityID, code).Scan(&d.Code, &d.Label, &d.Base)
	if err != nil {
		return d, fmt.Errorf("ukjent rolle %q i kommunen", code)
	}
	return d, nil
}

var roleCode = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// AddRole adds a municipality's own role on top of a built-in one, with
// the built-in role's matrix row to start from. Administrators only.
func AddRole(ctx context.Context, q store.Queryer, a Actor, d RoleDef) error {
	if a.Role != Admin {
		return ErrForbidden
	}
	var problems []invalid.Message
	if !roleCode.MatchString(d.Code) {
		problems = append(problems, invalid.F("rollekoden må ha 2–40 tegn: små bokstaver a–z, sifre og bindestrek"))
	}
	if strings.TrimSpace(d.Label) == "" {
		problems = append(problems, invalid.F("rollen må ha et navn"))
	}
	if _, err := ParseRole(string(d.Base)); err != nil || d.Base == Resident {
		problems = append(problems, invalid.F("velg en innebygd rolle å bygge på (ikke beboer)"))
	}
	if _, err := RoleOf(ctx, q, a.MunicipalityID, d.Code); err == nil {
		problems = append(problems, invalid.F("rollekoden %s finnes allerede", d.Code))
	}
	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	if _, err := q.ExecContext(ctx, "INSERT INTO roles (municipality_id, code, label, base) VALUES (?, ?, ?, ?)",
		a.MunicipalityID, d.Code, strings.TrimSpace(d.Label), string(d.Base)); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO access_matrix (municipality_id, role, category)
		SELECT municipality_id, ?, category FROM access_matrix WHERE municipality_id = ? AND role = ?`, d.Code, a.MunicipalityID, string(d.Base)); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "rolle", After: d})
}

// writeMatrix replaces the rows of the roles in m; other roles' rows stay.
func writeMatrix(ctx context.Context, q store.Queryer, municipalityID int64, m Matrix) error {
	for r, cats := range m {
		if _, err := q.ExecContext(ctx, "DELETE FROM access_matrix WHERE municipality_id = ? AND role = ?", municipalityID, string(r)); err != nil {
			return err
		}
		for _, c := range Categories {
			if cats[c] {
				if _, err := q.ExecContext(ctx, "INSERT INTO access_matrix (municipality_id, role, category) VALUES (?, ?, ?)",
					municipalityID, string(r), string(c)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// LoadMatrix reads the municipality's matrix: a row for every role it has,
// keyed by role code.
func LoadMatrix(ctx context.Context, q store.Queryer, municipalityID int64) (Matrix, error) {
	defs, err := RolesOf(ctx, q, municipalityID)
	if err != nil {
		return nil, err
	}
	m := Matrix{}
	for _, d := range defs {
		m[Role(d.Code)] = map[Category]bool{}
	}
	rows, err := q.QueryContext(ctx, "SELECT role, category FROM access_matrix WHERE municipality_id = ?", municipalityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r, c string
		if err := rows.Scan(&r, &c); err != nil {
			return nil, err
		}
		if m[Role(r)] != nil {
			m[Role(r)][Category(c)] = true
		}
	}
	return m, rows.Err()
}

// SetMatrix updates the rows of the roles in m; a role not in m keeps its
// row, so a partial update never wipes the others. Only administrators
// configure it; the resident, planner and administrator rows are fixed by
// law and design and are left as they are.
func SetMatrix(ctx context.Context, q store.Queryer, a Actor, m Matrix) error {
	if a.Role != Admin {
		return ErrForbidden
	}
	before, err := LoadMatrix(ctx, q, a.MunicipalityID)
	if err != nil {
		return err
	}
	// Only the municipality's roles, and never the fixed rows.
	changed := Matrix{}
	for r, cats := range m {
		if before[r] != nil && r != Resident && r != Planner && r != Admin {
			changed[r] = cats
		}
	}
	if err := writeMatrix(ctx, q, a.MunicipalityID, changed); err != nil {
		return err
	}
	after := Matrix{}
	for r, cats := range before {
		after[r] = cats
	}
	for r, cats := range changed {
		after[r] = cats
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre",
		Entity: "tilgangsmatrise", EntityID: a.MunicipalityID, Before: matrixJSON(before), After: matrixJSON(after)})
}

func matrixJSON(m Matrix) map[string]string {
	out := map[string]string{}
	for r, cs := range m {
		var list []Category
		for c, ok := range cs {
			if ok {
				list = append(list, c)
			}
		}
		out[string(r)] = joinCategories(list)
	}
	return out
}

// Authorize decides what the actor may see of a person. A person outside
// the actor's municipality is ErrUnknownPerson. Every fact the decision
// needs comes back in one round trip: the access check sits on the path of
// every request that shows a person.
func Authorize(ctx context.Context, q store.Queryer, a Actor, personID int64) (Grant, error) {
	now := time.Now()
	staffUnit := int64(0)
	if a.Role == CaseWorker || a.Role == Property || a.Role == FollowUp || a.Role == UnitLeader {
		staffUnit = a.OrgUnitID
	}
	// Every column is text so the branches of the UNION agree on both engines.
	rows, err := q.QueryContext(ctx, `
		SELECT 'p', CAST(restricted AS TEXT), '', '', '' FROM persons WHERE municipality_id = ? AND id = ?
		UNION ALL SELECT 'c', legal_basis, CAST(started_at AS TEXT), COALESCE(CAST(ended_at AS TEXT), ''), '' FROM case_units
			WHERE person_id = ? AND org_unit_id = ? AND municipality_id = ?
		UNION ALL SELECT 'k', categories, CAST(given_at AS TEXT), COALESCE(CAST(expires_at AS TEXT), ''), COALESCE(CAST(withdrawn_at AS TEXT), '')
			FROM consents WHERE person_id = ? AND recipient_unit_id = ? AND municipality_id = ?
		UNION ALL SELECT 'b', '', CAST(expires_at AS TEXT), '', '' FROM break_glass WHERE user_id = ? AND person_id = ? AND expires_at > ?
		UNION ALL SELECT 'm', category, '', '', '' FROM access_matrix WHERE municipality_id = ? AND role = ?
		UNION ALL SELECT 'g', CAST(break_glass_special AS TEXT), '', '', '' FROM municipalities WHERE id = ?`,
		a.MunicipalityID, personID, personID, staffUnit, a.MunicipalityID, personID, staffUnit, a.MunicipalityID,
		a.UserID, personID, store.TimeArg(now), a.MunicipalityID, string(a.MatrixRole()), a.MunicipalityID)
	if err != nil {
		return Grant{}, err
	}
	defer rows.Close()
	f := Facts{IsSelf: a.Role == Resident && a.PersonID == personID, Supervision: a.Reason}
	m := Matrix{a.MatrixRole(): map[Category]bool{}}
	found := false
	for rows.Next() {
		var kind, x, t1, t2, t3 string
		if err := rows.Scan(&kind, &x, &t1, &t2, &t3); err != nil {
			return Grant{}, err
		}
		times, err := parseTimes(t1, t2, t3)
		if err != nil {
			return Grant{}, err
		}
		switch kind {
		case "p":
			found = true
			f.Restricted = x == "1" || x == "true"
		case "c":
			f.CaseUnits = append(f.CaseUnits, CaseUnit{LegalBasis: x, Started: times[0], Ended: times[1]})
		case "k":
			f.Consents = append(f.Consents, Consent{Categories: splitCategories(x), Given: times[0], Expires: expiryOn(times[1]), Withdrawn: times[2]})
		case "b":
			if times[0].After(f.BreakGlass) {
				f.BreakGlass = times[0]
			}
		case "m":
			m[a.MatrixRole()][Category(x)] = true
		case "g":
			f.BreakGlassSpecial = x == "1" || x == "true"
		}
	}
	if err := rows.Err(); err != nil {
		return Grant{}, err
	}
	if !found {
		return Grant{}, ErrUnknownPerson
	}
	g, err := Decide(a, f, m, now)
	g.PersonID = personID
	return g, err
}

// AuthorizeMany is Authorize for many persons in one round trip: a list
// that shows several persons' personal data (a unit's tenants) checks them
// all at once instead of one query each. Persons the actor may not see
// come back in refused with the reason Authorize would give.
func AuthorizeMany(ctx context.Context, q store.Queryer, a Actor, personIDs []int64) (granted map[int64]Grant, refused map[int64]error, err error) {
	granted, refused = map[int64]Grant{}, map[int64]error{}
	if len(personIDs) == 0 {
		return granted, refused, nil
	}
	now := time.Now()
	staffUnit := int64(0)
	if a.Role == CaseWorker || a.Role == Property || a.Role == FollowUp || a.Role == UnitLeader {
		staffUnit = a.OrgUnitID
	}
	// The ids go as one argument (a JSON array on SQLite, an array on
	// PostgreSQL), read once into ids: the statement's text is the same
	// for any number of persons, so it is parsed and planned once per
	// connection instead of on every list, and binds one value instead of
	// four per person.
	idsQuery, idsArg := idList(q.Dialect(), personIDs)
	args := []any{idsArg, a.MunicipalityID,
		staffUnit, a.MunicipalityID, // case_units
		staffUnit, a.MunicipalityID, // consents
		a.UserID, store.TimeArg(now), // break_glass
		a.MunicipalityID, string(a.MatrixRole()), a.MunicipalityID}
	// The same facts as Authorize, each row with the person it is about
	// (0 for the matrix and the municipality's setting, which hold for all).
	rows, err := q.QueryContext(ctx, `WITH ids(id) AS (`+idsQuery+`)
		SELECT id, 'p', CAST(restricted AS TEXT), '', '', '' FROM persons WHERE municipality_id = ? AND id IN (SELECT id FROM ids)
		UNION ALL SELECT person_id, 'c', legal_basis, CAST(started_at AS TEXT), COALESCE(CAST(ended_at AS TEXT), ''), '' FROM case_units
			WHERE person_id IN (SELECT id FROM ids) AND org_unit_id = ? AND municipality_id = ?
		UNION ALL SELECT person_id, 'k', categories, CAST(given_at AS TEXT), COALESCE(CAST(expires_at AS TEXT), ''), COALESCE(CAST(withdrawn_at AS TEXT), '')
			FROM consents WHERE person_id IN (SELECT id FROM ids) AND recipient_unit_id = ? AND municipality_id = ?
		UNION ALL SELECT person_id, 'b', '', CAST(expires_at AS TEXT), '', '' FROM break_glass WHERE user_id = ? AND person_id IN (SELECT id FROM ids) AND expires_at > ?
		UNION ALL SELECT 0, 'm', category, '', '', '' FROM access_matrix WHERE municipality_id = ? AND role = ?
		UNION ALL SELECT 0, 'g', CAST(break_glass_special AS TEXT), '', '', '' FROM municipalities WHERE id = ?`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	facts := map[int64]*Facts{}
	// Only a 'p' row says the person is in the actor's municipality.
	found := map[int64]bool{}
	m := Matrix{a.MatrixRole(): map[Category]bool{}}
	special := false
	for rows.Next() {
		var id int64
		var kind, x, t1, t2, t3 string
		if err := rows.Scan(&id, &kind, &x, &t1, &t2, &t3); err != nil {
			return nil, nil, err
		}
		times, err := parseTimes(t1, t2, t3)
		if err != nil {
			return nil, nil, err
		}
		f := facts[id]
		if f == nil && id != 0 {
			f = &Facts{IsSelf: a.Role == Resident && a.PersonID == id, Supervision: a.Reason}
			facts[id] = f
		}
		switch kind {
		case "p":
			found[id] = true
			f.Restricted = x == "1" || x == "true"
		case "c":
			f.CaseUnits = append(f.CaseUnits, CaseUnit{LegalBasis: x, Started: times[0], Ended: times[1]})
		case "k":
			f.Consents = append(f.Consents, Consent{Categories: splitCategories(x), Given: times[0], Expires: expiryOn(times[1]), Withdrawn: times[2]})
		case "b":
			if times[0].After(f.BreakGlass) {
				f.BreakGlass = times[0]
			}
		case "m":
			m[a.MatrixRole()][Category(x)] = true
		case "g":
			special = x == "1" || x == "true"
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for _, id := range personIDs {
		f := facts[id]
		if f == nil || !found[id] {
			refused[id] = ErrUnknownPerson
			continue
		}
		f.BreakGlassSpecial = special
		g, err := Decide(a, *f, m, now)
		if err != nil {
			refused[id] = err
			continue
		}
		g.PersonID = id
		granted[id] = g
	}
	return granted, refused, nil
}

// idList gives a subquery of one column over ids and its one argument:
// json_each over a JSON array on SQLite, unnest over an array on
// PostgreSQL.
func idList(d store.Dialect, ids []int64) (string, any) {
	if d == store.Postgres {
		return "SELECT unnest(?::bigint[])", ids
	}
	b := make([]byte, 0, len(ids)*8+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return "SELECT value FROM json_each(?)", string(append(b, ']'))
}

// parseTimes reads timestamps cast to text by either engine; "" is zero.
// A consent's expiry is a calendar date, kept in its expires_at column as
// the instant that day begins in Oslo; expiryArg and scanExpiry convert.
func expiryArg(d deadline.Date) any { return store.TimeArg(d.Start()) }

func scanExpiry(d *deadline.Date) sql.Scanner { return expiryScanner{d} }

type expiryScanner struct{ d *deadline.Date }

func (e expiryScanner) Scan(v any) error {
	var t time.Time
	if err := store.ScanTime(&t).Scan(v); err != nil {
		return err
	}
	*e.d = expiryOn(t)
	return nil
}

// expiryOn is the expiry date stored as the instant t.
func expiryOn(t time.Time) deadline.Date {
	if t.IsZero() {
		return deadline.Date{}
	}
	return deadline.On(t)
}

func parseTimes(ss ...string) ([3]time.Time, error) {
	var out [3]time.Time
	for i, s := range ss {
		if s == "" {
			continue
		}
		if err := store.ScanTime(&out[i]).Scan(s); err != nil {
			return out, err
		}
	}
	return out, nil
}

// VisibleClause is a WHERE condition on persons alias p that keeps the
// persons the actor may find in lists and searches, with its arguments.
// The resident finds only themself; staff find persons their unit has an
// active role for, or whom they opened by break-glass.
//
// The two grounds are one EXISTS over a UNION ALL, probed per person
// through the indexes case_units_unit (org_unit_id, person_id) and
// break_glass_user (user_id, person_id). Written as EXISTS … OR EXISTS …,
// PostgreSQL with statistics turns each into a hashed subplan that reads
// all of the unit's case roles on every request (100 ms when one office
// holds 100,000 cases); written as p.id IN (… UNION …) it builds the whole
// visible set and sorts it (760 ms). A set operation cannot be hashed, so
// both engines walk the persons index in the list's order, probe each
// person, and stop at the page's LIMIT: the cost follows the page, not the
// register (TestPersonReadsStayFlat holds both engines to it).
func VisibleClause(a Actor) (string, []any) {
	now := store.TimeArg(time.Now())
	switch a.Role {
	case Resident:
		return "p.id = ?", []any{a.PersonID}
	case Auditor:
		if ValidPurpose(a.Reason) {
			return "p.restricted = p.restricted", nil
		}
	case CaseWorker, Property, FollowUp, UnitLeader:
		return `p.restricted = ? AND EXISTS (SELECT 1 FROM case_units c WHERE c.org_unit_id = ? AND c.person_id = p.id
			AND c.started_at <= ? AND (c.ended_at IS NULL OR c.ended_at > ?)
			UNION ALL SELECT 1 FROM break_glass b WHERE b.user_id = ? AND b.person_id = p.id AND b.expires_at > ?)`,
			[]any{false, a.OrgUnitID, now, now, a.UserID, now}
	}
	return "1 = 0", nil
}

// Visibility is how a list or search reaches the persons an actor may
// find: From replaces "persons p" in the query's FROM and Where is ANDed
// to its conditions; each comes with its arguments, From's first.
type Visibility struct {
	From      string
	FromArgs  []any
	Where     string
	WhereArgs []any
	// Driven says From starts from the actor's visible persons.
	Driven bool
}

// drivenBelow is the number of case roles and break-glass openings below
// which a list is driven from them rather than by walking the register.
// Walking costs about limit × persons ÷ visible probes (the share of the
// register the actor sees sets how far the walk goes before the page is
// full), driving costs one lookup per visible person; at 100,000 persons
// and pages of 50 they meet near 2,000.
const drivenBelow = 2000

// Visible chooses the query shape for an actor's list or search. An actor
// who sees a large share of the register walks the persons index in the
// list's order and probes each person (VisibleClause), stopping at the
// page's LIMIT. An actor who sees few persons would walk the whole register
// that way for one page (a follow-up team sees a few dozen of 100,000), so
// the list starts from the unit's case roles and the actor's break-glass
// openings, looks each person up by primary key and sorts the few found.
// The choice costs one count that stops at drivenBelow index entries.
func Visible(ctx context.Context, q store.Queryer, a Actor) (Visibility, error) {
	walk := func() (Visibility, error) {
		where, args := VisibleClause(a)
		return Visibility{From: "persons p", Where: where, WhereArgs: args}, nil
	}
	switch a.Role {
	case CaseWorker, Property, FollowUp, UnitLeader:
	default:
		return walk()
	}
	small, err := visibleSetIsSmall(ctx, q, a)
	if err != nil {
		return Visibility{}, err
	}
	if !small {
		return walk()
	}
	now := store.TimeArg(time.Now())
	ids := `SELECT c.person_id FROM case_units c WHERE c.org_unit_id = ? AND c.started_at <= ? AND (c.ended_at IS NULL OR c.ended_at > ?)
		UNION SELECT b.person_id FROM break_glass b WHERE b.user_id = ? AND b.expires_at > ?`
	idArgs := []any{a.OrgUnitID, now, now, a.UserID, now}
	if q.Dialect() == store.Postgres {
		// An array from a subquery is computed once, before the scan, and
		// the planner takes it for a few values, so even a generic plan
		// (which cannot know the unit is small) looks persons up by key.
		return Visibility{From: "persons p", Where: "p.id = ANY(ARRAY(" + ids + ")) AND p.restricted = ?",
			WhereArgs: append(idArgs, false), Driven: true}, nil
	}
	// CROSS JOIN keeps SQLite's join order: the visible ids first.
	return Visibility{From: "(" + ids + ") v CROSS JOIN persons p", FromArgs: idArgs,
		Where: "p.id = v.person_id AND p.restricted = ?", WhereArgs: []any{false}, Driven: true}, nil
}

// shapeTTL is how long a process remembers whether an actor sees few
// persons. The answer only chooses the query's shape (both shapes return
// the same persons), so a stale one costs speed for a minute, never data.
const shapeTTL = time.Minute

type shapeKey struct{ orgUnitID, userID int64 }

type shapeCacheKey struct{}

type shapeCache struct {
	mu   sync.Mutex
	seen map[shapeKey]shapeSeen
}

type shapeSeen struct {
	small bool
	at    time.Time
}

// visibleSetIsSmall says whether the actor's unit has fewer than
// drivenBelow case roles and break-glass openings together, remembered
// per database for shapeTTL.
func visibleSetIsSmall(ctx context.Context, q store.Queryer, a Actor) (bool, error) {
	var cache *shapeCache
	key := shapeKey{a.OrgUnitID, a.UserID}
	if db, ok := q.(*store.DB); ok {
		cache = db.Shared(shapeCacheKey{}, func() any { return &shapeCache{seen: map[shapeKey]shapeSeen{}} }).(*shapeCache)
		cache.mu.Lock()
		s, ok := cache.seen[key]
		cache.mu.Unlock()
		if ok && time.Since(s.at) < shapeTTL {
			return s.small, nil
		}
	}
	var n int
	// Ordered as their indexes are, so both engines count in the index and
	// stop at the LIMIT (unordered, PostgreSQL may scan the table instead).
	if err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM (SELECT person_id FROM case_units WHERE org_unit_id = ? ORDER BY person_id LIMIT ?) roles)
		+ (SELECT COUNT(*) FROM (SELECT person_id FROM break_glass WHERE user_id = ? ORDER BY person_id LIMIT ?) opened)`,
		a.OrgUnitID, drivenBelow, a.UserID, drivenBelow).Scan(&n); err != nil {
		return false, err
	}
	small := n < drivenBelow
	if cache != nil {
		cache.mu.Lock()
		cache.seen[key] = shapeSeen{small, time.Now()}
		cache.mu.Unlock()
	}
	return small, nil
}

// ListBasis is the basis logged for persons shown in a list.
func ListBasis(a Actor) Basis {
	switch a.Role {
	case Resident:
		return BySelf
	case Auditor:
		return BySupervision
	}
	return ByRelationship
}

// Read is one person's data read in one request.
type Read struct {
	PersonID   int64
	Categories []Category
	Basis      Basis
}

// Channels of reads, for the log.
const (
	ChannelPage   = "side"
	ChannelAPI    = "api"
	ChannelExport = "eksport"
	ChannelReport = "rapport"
)

// LogReads records reads in the access log and returns when they are
// durable: the caller sends the data only after that. It is called in the
// same place as the query that reads, so no page or API route can read
// without logging. The reads of one call are one entry of the log, one
// link of the municipality's MAC chain however many persons it lists (a
// list or search shows 20-50); each person is in it once, with the
// categories of every read of them. With a *store.DB, concurrent requests
// share one commit (the access log's group-commit writer); inside a
// transaction the entry goes in it and is durable when it commits (see
// package audit).
func LogReads(ctx context.Context, q store.Queryer, a Actor, channel string, reads ...Read) error {
	if len(reads) == 0 {
		return nil
	}
	e := audit.AccessEntry{MunicipalityID: a.MunicipalityID, At: time.Now(), UserID: a.UserID, UserName: a.Label(), OrgUnitName: a.OrgUnitName,
		Channel: channel, Reason: a.Reason, Persons: make([]audit.PersonRead, 0, len(reads))}
	// A person read twice in one call is logged once with every category
	// read; the basis is the first read's (one request has one grant per
	// person).
	at := make(map[int64]int, len(reads))
	cats := make([][]Category, 0, len(reads))
	for _, r := range reads {
		if i, ok := at[r.PersonID]; ok {
			cats[i] = append(cats[i], r.Categories...)
			continue
		}
		at[r.PersonID] = len(e.Persons)
		e.Persons = append(e.Persons, audit.PersonRead{PersonID: r.PersonID, Basis: string(r.Basis)})
		cats = append(cats, slices.Clone(r.Categories))
	}
	for i := range e.Persons {
		slices.Sort(cats[i])
		e.Persons[i].Categories = joinCategories(slices.Compact(cats[i]))
	}
	return audit.LogAccess(ctx, q, e)
}

// LogEntry is one row of the access log, as the person and leaders see it.
type LogEntry struct {
	ID         int64      `json:"-"` // the position for keyset paging
	At         time.Time  `json:"at"`
	UserName   string     `json:"user_name"`
	OrgUnit    string     `json:"org_unit_name"`
	PersonID   int64      `json:"person_id"`
	Categories []Category `json:"categories"`
	Basis      Basis      `json:"basis"`
	Channel    string     `json:"channel"`
	Reason     string     `json:"reason,omitempty"`
}

// AccessLog lists who has read a person's data, newest first. Reading the
// log is itself not logged: it holds no data about the person beyond the
// fact of the reads.
func AccessLog(ctx context.Context, q store.Queryer, municipalityID, personID int64, limit int) ([]LogEntry, error) {
	return AccessLogBefore(ctx, q, municipalityID, personID, LogEntry{}, limit)
}

// AccessLogBefore is one page of AccessLog: the entries after the entry
// before in the log's order (the zero entry: from the newest), by key
// rather than OFFSET. The log's order is the order entries were written
// (their ids); a person is in an entry at most once, so the entry's id is
// the key, and the walk follows the index from the person to the entries.
func AccessLogBefore(ctx context.Context, q store.Queryer, municipalityID, personID int64, before LogEntry, limit int) ([]LogEntry, error) {
	args := []any{municipalityID, personID}
	older := ""
	if before.ID > 0 {
		older = " AND p.entry_id < ?"
		args = append(args, before.ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT l.id, l.at, l.user_name, l.org_unit_name, p.person_id, p.categories, p.basis, l.channel, l.reason
		FROM access_log_persons p JOIN access_log l ON l.id = p.entry_id
		WHERE p.municipality_id = ? AND p.person_id = ?`+older+` ORDER BY p.entry_id DESC LIMIT ?`, append(args, limit)...)
	return store.Collect(rows, err, scanLogEntry)
}

func scanLogEntry(r store.Scanner) (e LogEntry, err error) {
	var cats string
	err = r.Scan(&e.ID, store.ScanTime(&e.At), &e.UserName, &e.OrgUnit, &e.PersonID, &cats, &e.Basis, &e.Channel, &e.Reason)
	e.Categories = splitCategories(cats)
	return e, err
}

// caseUnits loads relationships matching cond on case_units alias c.
func caseUnits(ctx context.Context, q store.Queryer, cond string, args ...any) ([]CaseUnit, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.person_id, c.org_unit_id, o.name, o.reveals, c.responsibility, c.legal_basis, c.started_at, c.ended_at
		FROM case_units c JOIN org_units o ON o.id = c.org_unit_id WHERE `+cond+" ORDER BY c.started_at", args...)
	return store.Collect(rows, err, func(r store.Scanner) (c CaseUnit, err error) {
		var reveals string
		err = r.Scan(&c.ID, &c.PersonID, &c.OrgUnitID, &c.OrgUnitName, &reveals, &c.Responsibility, &c.LegalBasis, store.ScanTime(&c.Started), store.ScanTime(&c.Ended))
		c.Reveals = splitCategories(reveals)
		return c, err
	})
}

// CaseUnitsOf lists every unit's role on a person's case. Each role
// carries what it reveals: the unit's categories (a treatment team's role
// is health and substance data) and the housing need the case is about.
func CaseUnitsOf(ctx context.Context, q store.Queryer, municipalityID, personID int64) ([]Personal[CaseUnit], error) {
	cus, err := caseUnits(ctx, q, "c.municipality_id = ? AND c.person_id = ?", municipalityID, personID)
	out := make([]Personal[CaseUnit], len(cus))
	for i, c := range cus {
		out[i] = Tag(personID, c, append(c.Reveals, HousingNeeds)...)
	}
	return out, err
}

// AddCaseUnit gives a unit a role on a person's case.
// Staff who write, the operator's imports, and a resident sending their
// own application (which gives the housing office a role) may do it.
func AddCaseUnit(ctx context.Context, q store.Queryer, a Actor, cu CaseUnit) (int64, error) {
	if !a.Writes() && a.Role != Operator && (a.Role != Resident || a.PersonID == 0 || a.PersonID != cu.PersonID) {
		return 0, ErrForbidden
	}
	if strings.TrimSpace(cu.Responsibility) == "" {
		return 0, errors.New("oppgi hvilken rolle enheten har i saken")
	}
	if cu.Started.IsZero() {
		cu.Started = time.Now()
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO case_units (municipality_id, person_id, org_unit_id, responsibility, legal_basis, started_at)
		VALUES (?, ?, ?, ?, ?, ?)`, a.MunicipalityID, cu.PersonID, cu.OrgUnitID, cu.Responsibility, cu.LegalBasis, store.TimeArg(cu.Started))
	if err != nil {
		return 0, fmt.Errorf("kan ikke knytte enheten til saken: %w", err)
	}
	cu.ID = id
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett",
		Entity: "rolle i sak", EntityID: id, After: cu})
}

// consents loads consents matching cond on consents alias c.
func consents(ctx context.Context, q store.Queryer, cond string, args ...any) ([]Consent, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.person_id, c.recipient_unit_id, o.name, o.reveals, c.purpose, c.categories, c.given_at,
		COALESCE(u.full_name, ''), c.expires_at, c.withdrawn_at
		FROM consents c JOIN org_units o ON o.id = c.recipient_unit_id LEFT JOIN users u ON u.id = c.recorded_by
		WHERE `+cond+" ORDER BY c.given_at DESC", args...)
	return store.Collect(rows, err, func(r store.Scanner) (c Consent, err error) {
		var cats, reveals string
		err = r.Scan(&c.ID, &c.PersonID, &c.RecipientUnitID, &c.RecipientName, &reveals, &c.Purpose, &cats, store.ScanTime(&c.Given),
			&c.RecordedBy, scanExpiry(&c.Expires), store.ScanTime(&c.Withdrawn))
		c.Categories = splitCategories(cats)
		c.recipientReveals = splitCategories(reveals)
		return c, err
	})
}

// ConsentsOf lists a person's consents, newest first. A consent reveals
// the categories it covers (a consent to share health data says there is
// health data to share) and what its recipient unit's role would.
func ConsentsOf(ctx context.Context, q store.Queryer, municipalityID, personID int64) ([]Personal[Consent], error) {
	cs, err := consents(ctx, q, "c.municipality_id = ? AND c.person_id = ?", municipalityID, personID)
	out := make([]Personal[Consent], len(cs))
	for i, c := range cs {
		out[i] = Tag(personID, c, append(append(c.Categories, c.recipientReveals...), HousingNeeds)...)
	}
	return out, err
}

// RecordConsent stores a consent the person has given. Staff who write
// record it; auditors, planners, administrators and residents may not.
func RecordConsent(ctx context.Context, q store.Queryer, a Actor, c Consent) (int64, error) {
	if !a.Writes() {
		return 0, ErrForbidden
	}
	var problems []invalid.Message
	if strings.TrimSpace(c.Purpose) == "" {
		problems = append(problems, invalid.F("oppgi formålet med samtykket"))
	}
	if len(c.Categories) == 0 {
		problems = append(problems, invalid.F("velg minst én datakategori"))
	}
	for _, cat := range c.Categories {
		if _, err := ParseCategory(string(cat)); err != nil {
			problems = append(problems, invalid.Problems(err)...)
		}
	}
	if c.ExpiredAt(time.Now()) {
		problems = append(problems, invalid.F("utløpsdatoen må være fram i tid"))
	}
	if len(problems) > 0 {
		return 0, &ValidationError{Problems: problems}
	}
	var unitOK int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM org_units WHERE municipality_id = ? AND id = ?", a.MunicipalityID, c.RecipientUnitID).Scan(&unitOK); err != nil {
		return 0, err
	}
	if unitOK == 0 {
		return 0, invalid.Problem("mottakerenheten finnes ikke")
	}
	c.Given = time.Now()
	id, err := store.InsertID(ctx, q, `INSERT INTO consents (municipality_id, person_id, recipient_unit_id, purpose, categories, given_at, recorded_by, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, c.PersonID, c.RecipientUnitID, c.Purpose, joinCategories(c.Categories),
		store.TimeArg(c.Given), nullable(a.UserID), expiryArg(c.Expires))
	if err != nil {
		return 0, err
	}
	c.ID, c.RecordedBy = id, a.Label()
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer", Entity: "samtykke", EntityID: id, After: c})
}

// WithdrawConsent withdraws a consent at once. The person themself, or
// staff who may see them, can do it.
func WithdrawConsent(ctx context.Context, q store.Queryer, a Actor, personID, consentID int64) error {
	if !a.Writes() && (a.Role != Resident || a.PersonID == 0 || a.PersonID != personID) {
		return ErrForbidden
	}
	cs, err := consents(ctx, q, "c.municipality_id = ? AND c.person_id = ? AND c.id = ?", a.MunicipalityID, personID, consentID)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return ErrUnknownPerson
	}
	if !cs[0].Withdrawn.IsZero() {
		return invalid.Problem("samtykket er allerede trukket tilbake")
	}
	now := time.Now()
	if _, err := q.ExecContext(ctx, "UPDATE consents SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ?", store.TimeArg(now), nullable(a.UserID), consentID); err != nil {
		return err
	}
	after := cs[0]
	after.Withdrawn = now
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "trekk tilbake",
		Entity: "samtykke", EntityID: consentID, Before: cs[0], After: after})
}

// BreakGlassSpecialOf reads whether the municipality lets emergency access
// open special categories without consent.
func BreakGlassSpecialOf(ctx context.Context, q store.Queryer, municipalityID int64) (bool, error) {
	var on bool
	err := q.QueryRowContext(ctx, "SELECT break_glass_special FROM municipalities WHERE id = ?", municipalityID).Scan(&on)
	return on, err
}

// SetBreakGlassSpecial turns the municipality's exception on or off. Only
// administrators decide it, and the change goes to the audit chain: it is a
// choice of legal basis (GDPR art. 9(2)(c), vital interests) the
// municipality must be able to account for.
func SetBreakGlassSpecial(ctx context.Context, q store.Queryer, a Actor, on bool) error {
	if a.Role != Admin {
		return ErrForbidden
	}
	before, err := BreakGlassSpecialOf(ctx, q, a.MunicipalityID)
	if err != nil {
		return err
	}
	if before == on {
		return nil
	}
	if _, err := q.ExecContext(ctx, "UPDATE municipalities SET break_glass_special = ? WHERE id = ?", on, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre",
		Entity: "nødtilgang for særlige kategorier", EntityID: a.MunicipalityID,
		Before: map[string]bool{"break_glass_special": before}, After: map[string]bool{"break_glass_special": on}})
}

// BreakGlassDuration is how long emergency access lasts.
const BreakGlassDuration = 2 * time.Hour

// OpenBreakGlass gives the actor emergency access to a person after a
// written reason. It is flagged, logged and listed to the unit leader.
func OpenBreakGlass(ctx context.Context, q store.Queryer, a Actor, personID int64, reason string) (time.Time, error) {
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) < 10 {
		return time.Time{}, invalid.Problem("skriv en begrunnelse på minst 10 tegn for nødtilgangen")
	}
	if a.Role != CaseWorker && a.Role != Property && a.Role != FollowUp && a.Role != UnitLeader {
		return time.Time{}, ErrForbidden
	}
	var exists int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM persons WHERE municipality_id = ? AND id = ?", a.MunicipalityID, personID).Scan(&exists); err != nil {
		return time.Time{}, err
	}
	if exists == 0 {
		return time.Time{}, ErrUnknownPerson
	}
	reviewUnit, err := reviewUnitFor(ctx, q, a)
	if err != nil {
		return time.Time{}, err
	}
	now := time.Now()
	expires := now.Add(BreakGlassDuration)
	id, err := store.InsertID(ctx, q, `INSERT INTO break_glass (municipality_id, user_id, person_id, reason, opened_at, expires_at, review_unit_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, a.UserID, personID, reason, store.TimeArg(now), store.TimeArg(expires), nullable(reviewUnit))
	if err != nil {
		return time.Time{}, err
	}
	return expires, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "nødtilgang",
		Entity: "person", EntityID: personID, After: map[string]any{"break_glass_id": id, "reason": reason, "expires_at": expires, "review_unit_id": reviewUnit}})
}

// ReviewRoute is where an emergency access opened by someone in unit start
// is reviewed: the nearest unit, from start up through its parents, that
// has an active leader other than the one who opened it. 0 means no such
// unit: the auditor (tilsyn) reviews it. Nobody reviews their own access.
func ReviewRoute(start int64, parent map[int64]int64, led map[int64]bool) int64 {
	seen := map[int64]bool{}
	for u := start; u != 0 && !seen[u]; u = parent[u] {
		seen[u] = true
		if led[u] {
			return u
		}
	}
	return 0
}

// ReviewUnitFor is the unit whose leaders (other than the actor) are told
// about something the actor did, routed as emergency access is: the
// actor's unit or the nearest one above it with a leader; 0 means the
// auditor (tilsyn).
func ReviewUnitFor(ctx context.Context, q store.Queryer, a Actor) (int64, error) {
	return reviewUnitFor(ctx, q, a)
}

// reviewUnitFor loads the organisation and its leaders (other than the
// actor) and routes the actor's emergency access.
func reviewUnitFor(ctx context.Context, q store.Queryer, a Actor) (int64, error) {
	parent := map[int64]int64{}
	led := map[int64]bool{}
	rows, err := q.QueryContext(ctx, `SELECT o.id, COALESCE(o.parent_id, 0), EXISTS (SELECT 1 FROM users u JOIN roles r ON r.municipality_id = u.municipality_id AND r.code = u.role
			WHERE u.municipality_id = o.municipality_id AND u.org_unit_id = o.id AND r.base = ? AND u.active = ? AND u.id <> ?)
		FROM org_units o WHERE o.municipality_id = ?`, string(UnitLeader), true, a.UserID, a.MunicipalityID)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, p int64
		var hasLeader bool
		if err := rows.Scan(&id, &p, &hasLeader); err != nil {
			return 0, err
		}
		parent[id], led[id] = p, hasLeader
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return ReviewRoute(a.OrgUnitID, parent, led), nil
}

// BreakGlassEvent is one emergency access, as its reviewer sees it.
type BreakGlassEvent struct {
	ID         int64     `json:"id"`
	UserName   string    `json:"user_name"`
	OrgUnit    string    `json:"org_unit_name"`
	PersonID   int64     `json:"person_id"`
	Reason     string    `json:"reason"`
	Opened     time.Time `json:"opened_at"`
	Expires    time.Time `json:"expires_at"`
	Reviewed   time.Time `json:"reviewed_at,omitzero"`
	ReviewNote string    `json:"review_note,omitempty"`
	// ReviewUnit names the unit whose leaders review the event; empty
	// means the auditor (tilsyn).
	ReviewUnit string `json:"review_unit_name,omitempty"`
	// CanReview tells whether the actor listing it is its reviewer.
	CanReview bool `json:"can_review"`
	userID    int64
	reviewAt  int64
}

// BreakGlassEvents lists, newest first, the emergency accesses the actor
// reviews: for a unit leader those routed to their unit, never their own;
// for an auditor every event (they review those with no leader to review
// them, and observe the rest).
func BreakGlassEvents(ctx context.Context, q store.Queryer, a Actor, limit int) ([]BreakGlassEvent, error) {
	return breakGlassEvents(ctx, q, a, 0, limit)
}

func breakGlassEvents(ctx context.Context, q store.Queryer, a Actor, id int64, limit int) ([]BreakGlassEvent, error) {
	cond, args := "b.municipality_id = ?", []any{a.MunicipalityID}
	switch a.Role {
	case UnitLeader:
		cond += " AND b.review_unit_id = ? AND b.user_id <> ?"
		args = append(args, a.OrgUnitID, a.UserID)
	case Auditor:
	default:
		return nil, ErrForbidden
	}
	if id != 0 {
		cond += " AND b.id = ?"
		args = append(args, id)
	}
	rows, err := q.QueryContext(ctx, `SELECT b.id, u.full_name, COALESCE(o.name, ''), b.person_id, b.reason, b.opened_at, b.expires_at, b.reviewed_at, b.review_note,
		COALESCE(ro.name, ''), b.user_id, COALESCE(b.review_unit_id, 0)
		FROM break_glass b JOIN users u ON u.id = b.user_id LEFT JOIN org_units o ON o.id = u.org_unit_id LEFT JOIN org_units ro ON ro.id = b.review_unit_id
		WHERE `+cond+" ORDER BY b.opened_at DESC, b.id DESC LIMIT ?", append(args, limit)...)
	return store.Collect(rows, err, func(r store.Scanner) (e BreakGlassEvent, err error) {
		err = r.Scan(&e.ID, &e.UserName, &e.OrgUnit, &e.PersonID, &e.Reason, store.ScanTime(&e.Opened), store.ScanTime(&e.Expires),
			store.ScanTime(&e.Reviewed), &e.ReviewNote, &e.ReviewUnit, &e.userID, &e.reviewAt)
		e.CanReview = e.userID != a.UserID && ((a.Role == UnitLeader && e.reviewAt == a.OrgUnitID) || (a.Role == Auditor && e.reviewAt == 0))
		return e, err
	})
}

// oversight narrows a query over staff activity (users alias u) to what
// the actor oversees: a unit leader their own unit's staff, an auditor
// everyone. Other roles oversee no one.
func oversight(a Actor, cond string, args ...any) (string, []any, error) {
	switch a.Role {
	case UnitLeader:
		return cond + " AND u.org_unit_id = ?", append(args, a.OrgUnitID), nil
	case Auditor:
		return cond, args, nil
	}
	return "", nil, ErrForbidden
}

// ErrOwnBreakGlass refuses a review by the one who opened the access.
var ErrOwnBreakGlass = errors.New("du kan ikke gjennomgå din egen nødtilgang; den er sendt til lederen over deg eller til tilsynet")

// ReviewBreakGlass records the review of an emergency access by the one it
// is routed to: a leader of the unit it was sent to, or the auditor when
// no unit up the line had a leader. Nobody reviews their own.
func ReviewBreakGlass(ctx context.Context, q store.Queryer, a Actor, id int64, note string) error {
	if a.Role != UnitLeader && a.Role != Auditor {
		return ErrForbidden
	}
	var opener int64
	err := q.QueryRowContext(ctx, "SELECT user_id FROM break_glass WHERE municipality_id = ? AND id = ?", a.MunicipalityID, id).Scan(&opener)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrUnknownPerson
	}
	if err != nil {
		return err
	}
	if opener == a.UserID {
		return ErrOwnBreakGlass
	}
	events, err := breakGlassEvents(ctx, q, a, id, 1)
	if err != nil {
		return err
	}
	if len(events) == 0 || !events[0].CanReview {
		return ErrForbidden
	}
	e := events[0]
	if !e.Reviewed.IsZero() {
		return invalid.Problem("nødtilgangen er allerede gjennomgått")
	}
	now := time.Now()
	if _, err := q.ExecContext(ctx, "UPDATE break_glass SET reviewed_by = ?, reviewed_at = ?, review_note = ? WHERE id = ?",
		a.UserID, store.TimeArg(now), strings.TrimSpace(note), id); err != nil {
		return err
	}
	after := e
	after.Reviewed, after.ReviewNote = now, strings.TrimSpace(note)
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "gjennomgå",
		Entity: "nødtilgang", EntityID: id, Before: e, After: after})
}

// ValidationError lists what is wrong with an input.
type ValidationError = invalid.Error

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// ReportRow is one line of a leader's access report: how much one staff
// member read, on which basis, over the period.
type ReportRow struct {
	UserName string `json:"user_name"`
	OrgUnit  string `json:"org_unit_name"`
	Basis    Basis  `json:"basis"`
	Reads    int    `json:"reads"`
	Persons  int    `json:"persons"`
}

// ReadReport summarises the access log since a time: for a unit leader the
// staff of their unit, for an auditor everyone. Unusual patterns — many
// persons, emergency access — stand out here.
func ReadReport(ctx context.Context, q store.Queryer, a Actor, since time.Time) ([]ReportRow, error) {
	cond, args, err := oversight(a, "l.municipality_id = ? AND l.at >= ?", a.MunicipalityID, store.TimeArg(since))
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT l.user_name, l.org_unit_name, p.basis, COUNT(*), COUNT(DISTINCT p.person_id)
		FROM access_log l JOIN access_log_persons p ON p.entry_id = l.id JOIN users u ON u.id = l.user_id WHERE `+cond+`
		GROUP BY l.user_name, l.org_unit_name, p.basis ORDER BY COUNT(DISTINCT p.person_id) DESC, l.user_name`, args...)
	return store.Collect(rows, err, func(r store.Scanner) (x ReportRow, err error) {
		err = r.Scan(&x.UserName, &x.OrgUnit, &x.Basis, &x.Reads, &x.Persons)
		return x, err
	})
}
