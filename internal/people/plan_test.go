package people_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/people/peopletest"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

// recorder is a Queryer that remembers every SELECT it runs, so a test can
// ask the engine how it plans the exact queries the person list and search
// send.
type recorder struct {
	*store.DB
	queries []recorded
}

type recorded struct {
	sql  string
	args []any
}

func (r *recorder) remember(q string, args []any) {
	if strings.HasPrefix(strings.TrimSpace(q), "SELECT") {
		r.queries = append(r.queries, recorded{q, args})
	}
}

func (r *recorder) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	r.remember(q, args)
	return r.DB.QueryContext(ctx, q, args...)
}

func (r *recorder) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	r.remember(q, args)
	return r.DB.QueryRowContext(ctx, q, args...)
}

// planUnits is how many units share a city's persons in the plan test:
// the case worker's unit has a role for one in planUnits.
const planUnits = 10

// loadCity imports n persons spread over units units (the tenant's housing
// office first), ends some of the office's roles, and opens a few persons
// by break-glass: a register with the shape of a large city's.
func loadCity(t *testing.T, db *store.DB, tn storetest.Tenant, n, units int) {
	t.Helper()
	ctx := context.Background()
	names := []string{"Boligkontoret"}
	for i := 1; i < units; i++ {
		name := fmt.Sprintf("Enhet %d", i)
		if _, err := db.ExecContext(ctx, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, ?, 'boligkontor', ?)",
			tn.MunicipalityID, name, store.TimeArg(time.Now())); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	var csv bytes.Buffer
	csv.WriteString("fodselsnummer,fornavn,etternavn,enhet\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&csv, "%s,%s,%s %d,%s\n", identity.Synthetic(i), peopletest.FirstNames[i%len(peopletest.FirstNames)],
			peopletest.LastNames[(i/7)%len(peopletest.LastNames)], i%97, names[(i/3)%units])
	}
	if got, err := people.Import(ctx, db, tn.Operator(), &csv, tabular.CSV, nil); err != nil || got != n {
		t.Fatalf("import = %d, %v", got, err)
	}
	past := store.TimeArg(time.Now().Add(-time.Hour))
	if _, err := db.ExecContext(ctx, `UPDATE case_units SET ended_at = ? WHERE org_unit_id = ? AND person_id % 5 = 0`, past, tn.OrgUnitID); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if _, err := db.ExecContext(ctx, `INSERT INTO break_glass (municipality_id, user_id, person_id, reason, opened_at, expires_at)
			SELECT municipality_id, ?, id, 'akutt', ?, ? FROM persons WHERE municipality_id = ? ORDER BY id LIMIT 1 OFFSET ?`,
			tn.UserID, past, store.TimeArg(time.Now().Add(time.Hour)), tn.MunicipalityID, 3*i+1); err != nil {
			t.Fatal(err)
		}
	}
}

// followUpTeam adds to the tenant a follow-up team with case roles for n
// of its persons (every 500th, spread over the alphabet), one of them
// ended, and its worker: an actor who sees a few dozen of the register.
func followUpTeam(t *testing.T, db *store.DB, tn storetest.Tenant, n int) access.Actor {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	unit, err := store.InsertID(ctx, db, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'Oppfølgingsteamet', 'oppfolging', ?)",
		tn.MunicipalityID, store.TimeArg(now))
	if err != nil {
		t.Fatal(err)
	}
	uid, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at)
		VALUES (?, ?, ?, 'Oppfølger', 'oppfolging', ?)`, tn.MunicipalityID, unit, fmt.Sprintf("of-%d", tn.MunicipalityID), store.TimeArg(now))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO case_units (municipality_id, person_id, org_unit_id, responsibility, started_at)
		SELECT municipality_id, id, ?, 'oppfolging', ? FROM persons WHERE municipality_id = ? AND id % 500 = 0 ORDER BY id LIMIT ?`,
		unit, store.TimeArg(now.Add(-time.Hour)), tn.MunicipalityID, n); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE case_units SET ended_at = ? WHERE org_unit_id = ? AND person_id = (SELECT MIN(person_id) FROM case_units WHERE org_unit_id = ?)`,
		store.TimeArg(now.Add(-time.Minute)), unit, unit); err != nil {
		t.Fatal(err)
	}
	db.Analyze(ctx, "case_units")
	return access.Actor{UserID: uid, MunicipalityID: tn.MunicipalityID, OrgUnitID: unit, OrgUnitName: "Oppfølgingsteamet",
		Username: fmt.Sprintf("of-%d", tn.MunicipalityID), Name: "Oppfølger", Role: access.FollowUp}
}

// TestPersonReadsStayFlat asks each engine, once the tables have
// statistics, how it runs the person list and search, for a case worker
// whose office has one in ten of a city's 20,000 persons, for one whose
// office has all of a town's 10,000, and for a follow-up worker whose team
// has 40 of the city's persons. Each must reach the relationship filter
// through an index: a scan of every person or every case role, or a hash
// of the office's case roles built per request, makes each request cost
// O(persons). The first two walk the persons in name order and probe each;
// the follow-up worker's reads start from the team's case roles
// (access.Visible), and the list must still hold exactly the team's
// active persons in name order. PostgreSQL is asked for its custom plan
// and for the generic plan a cached statement may switch to.
func TestPersonReadsStayFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 30,000 persons")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := storetest.NewTenant(t, db, "0301")
		loadCity(t, db, city, 20000, planUnits)
		town := storetest.NewTenant(t, db, "1505")
		loadCity(t, db, town, 10000, 1)
		team := followUpTeam(t, db, city, 40)
		// The imports ran ANALYZE (or PRAGMA optimize): the planner knows the sizes.
		for _, a := range []access.Actor{city.CaseWorker(), town.CaseWorker(), team} {
			rec := &recorder{DB: db}
			want := 50
			if a.Role == access.FollowUp {
				want = 39 // 40 roles, one ended
			}
			list, err := people.List(ctx, rec, a, access.ChannelPage, people.CaseFilter{}, people.PageKey{}, 50)
			if err != nil || len(list) != want {
				t.Fatalf("List = %d, %v; want %d", len(list), err, want)
			}
			if a.Role == access.FollowUp {
				checkTeamList(t, db, a, list)
			}
			for _, text := range []string{"olsen", "kari ha", "olsen 1", identity.Synthetic(3)} {
				_, err := people.Search(ctx, rec, a, access.ChannelPage, text, 20)
				if a.Role == access.FollowUp && errors.Is(err, people.ErrNumberSearchForbidden) {
					continue // the team's row of the matrix has no fødselsnummer
				}
				if err != nil {
					t.Fatalf("Search(%q): %v", text, err)
				}
			}
			if len(rec.queries) < 5 {
				t.Fatalf("recorded %d queries, want the list's and every search's", len(rec.queries))
			}
			for _, q := range rec.queries {
				var problems []string
				if db.Dialect() == store.Postgres {
					problems = postgresPlanProblems(t, db, q)
				} else {
					problems = sqlitePlanProblems(t, db, q)
				}
				if len(problems) > 0 {
					t.Errorf("%s\nplans per request over the whole register:\n%s", q.sql, strings.Join(problems, "\n"))
				}
				if os.Getenv("HUSLY_SHOW_PLANS") != "" {
					t.Logf("%s: %s", q.sql, timeQuery(t, db, q))
				}
			}
		}
	})
}

// checkTeamList compares the follow-up worker's list with the team's
// active case roles, and the order with the list's sort key, and pages
// through it in pages of 7 to see that keyset paging gives the same.
func checkTeamList(t *testing.T, db *store.DB, a access.Actor, list []people.Person) {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT p.id FROM persons p JOIN case_units c ON c.person_id = p.id
		WHERE c.org_unit_id = ? AND c.ended_at IS NULL ORDER BY p.last_name_key, p.first_name_key, p.id`, a.OrgUnitID)
	want, err := store.Collect(rows, err, func(r store.Scanner) (id int64, err error) { return id, r.Scan(&id) })
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, p := range list {
		got = append(got, p.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("the team's list = %v, want %v", got, want)
	}
	var paged []int64
	after := people.PageKey{}
	for {
		page, err := people.List(ctx, db, a, access.ChannelPage, people.CaseFilter{}, after, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page {
			paged = append(paged, p.ID)
		}
		if len(page) < 7 {
			break
		}
		after = page[len(page)-1].PageKey()
	}
	if fmt.Sprint(paged) != fmt.Sprint(want) {
		t.Fatalf("paged by key = %v, want %v", paged, want)
	}
}

// timeQuery is the median of five runs of q, for HUSLY_SHOW_PLANS.
func timeQuery(t *testing.T, db *store.DB, q recorded) time.Duration {
	run := func() error {
		rows, err := db.QueryContext(context.Background(), q.sql, q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
		}
		return rows.Err()
	}
	var ds []time.Duration
	for i := 0; i < 5; i++ {
		start := time.Now()
		if err := run(); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[2]
}

// planNode is one node of PostgreSQL's EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType    string     `json:"Node Type"`
	Relation    string     `json:"Relation Name"`
	SubplanName string     `json:"Subplan Name"`
	Plans       []planNode `json:"Plans"`
}

var hashedSubPlan = regexp.MustCompile(`hashed SubPlan (\d+)`)

// postgresPlanProblems explains q twice on one connection: as sent (a
// custom plan for its values) and prepared with plan_cache_mode set to
// force_generic_plan (what a cached statement may be run with).
func postgresPlanProblems(t *testing.T, db *store.DB, q recorded) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Raw().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	text := dollarParams(q.sql)
	var custom, generic string
	if err := conn.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+text, q.args...).Scan(&custom); err != nil {
		t.Fatalf("explain: %v", err)
	}
	if _, err := conn.ExecContext(ctx, "PREPARE flat AS "+text); err != nil {
		t.Fatalf("prepare: %v", err)
	}
	// The connection goes back to the pool: leave it as it was.
	defer func() {
		if _, err := conn.ExecContext(ctx, "DEALLOCATE flat"); err != nil {
			t.Errorf("deallocate: %v", err)
		}
	}()
	if _, err := conn.ExecContext(ctx, "SET plan_cache_mode = force_generic_plan"); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if _, err := conn.ExecContext(ctx, "RESET plan_cache_mode"); err != nil {
			t.Errorf("reset plan_cache_mode: %v", err)
		}
	}()
	// EXECUTE takes its values as literals.
	values := make([]string, len(q.args))
	for i, v := range q.args {
		switch v := v.(type) {
		case string:
			values[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		default:
			values[i] = fmt.Sprint(v)
		}
	}
	if err := conn.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) EXECUTE flat("+strings.Join(values, ", ")+")").Scan(&generic); err != nil {
		t.Fatalf("explain generic: %v", err)
	}
	var problems []string
	for kind, out := range map[string]string{"custom": custom, "generic": generic} {
		var plans []struct{ Plan planNode }
		if err := json.Unmarshal([]byte(out), &plans); err != nil || len(plans) != 1 {
			t.Fatalf("explain output %q: %v", out, err)
		}
		if os.Getenv("HUSLY_SHOW_PLANS") != "" {
			t.Log(kind, out)
		}
		hashed := map[string]bool{}
		for _, m := range hashedSubPlan.FindAllStringSubmatch(out, -1) {
			hashed["SubPlan "+m[1]] = true
		}
		var walk func(n planNode, underHash bool)
		walk = func(n planNode, underHash bool) {
			underHash = underHash || hashed[n.SubplanName]
			if (n.Relation == "persons" || n.Relation == "case_units") && n.NodeType == "Seq Scan" {
				problems = append(problems, kind+" plan: Seq Scan on "+n.Relation)
			}
			if n.Relation == "case_units" && underHash {
				problems = append(problems, kind+" plan: hashed "+n.SubplanName+" over case_units")
			}
			for _, c := range n.Plans {
				walk(c, underHash)
			}
		}
		walk(plans[0].Plan, false)
	}
	return problems
}

// dollarParams numbers the ? placeholders as PostgreSQL's $1, $2, …
func dollarParams(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sqlitePlanProblems reads EXPLAIN QUERY PLAN: a "SCAN" of persons or
// case_units (with or without an index) reads the whole table.
func sqlitePlanProblems(t *testing.T, db *store.DB, q recorded) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q.sql, q.args...)
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	defer rows.Close()
	var problems, plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
		for _, table := range []string{"p", "persons", "c", "case_units"} {
			if detail == "SCAN "+table || strings.HasPrefix(detail, "SCAN "+table+" ") {
				problems = append(problems, detail)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("HUSLY_SHOW_PLANS") != "" {
		t.Log(strings.Join(plan, "\n"))
	}
	return problems
}
