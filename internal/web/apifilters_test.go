package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// apiPage is one page of an API list, its items left raw.
type apiPage struct {
	Items []json.RawMessage `json:"items"`
	Next  string            `json:"next"`
}

// The API's lists take the pages' filters: cases by unit and named case
// worker, tasks by due date, units sorted by any column, persons by an
// open case's phase or case worker. Each filter narrows the list as the
// page's does, a value the list does not know is refused with 400 naming
// the parameter and nothing logged as read, and a page token is bound to
// its filter.
func TestAPIListFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		c := loadContract(t, s)
		cw, prop := s.client(t, "demo-saksbehandler"), s.client(t, "demo-eiendom")
		base := s.URL + "/api/v1"
		reads := func() int { return countRows(t, db, "SELECT COUNT(*) FROM access_reads") }
		list := func(who string, path string) apiPage {
			t.Helper()
			client := cw
			if who == "eiendom" {
				client = prop
			}
			code, b := c.call(t, client, "GET", base+path, "", "")
			var p apiPage
			if code != 200 || json.Unmarshal(b, &p) != nil {
				t.Fatalf("%s: %d %.300s", path, code, b)
			}
			return p
		}
		// refused asks for a value the document already rejects (an
		// unknown code, a malformed date); beyond one only the server can
		// judge (an id not among the choices, to before from).
		ask := func(beyond bool, client *http.Client, path string) (int, []byte) {
			t.Helper()
			if beyond {
				return c.refusedBeyondSchema(t, client, "GET", base+path, "")
			}
			return c.call(t, client, "GET", base+path, "", "")
		}
		refusedAs := func(beyond bool, path, param string) {
			t.Helper()
			before := reads()
			code, b := ask(beyond, cw, path)
			if code != 400 || !strings.Contains(string(b), "Filteret «"+param+"» har en verdi listen ikke kjenner") {
				t.Errorf("%s: %d %s", path, code, b)
			}
			if after := reads(); after != before {
				t.Errorf("%s: refused, yet %d persons logged as read", path, after-before)
			}
		}
		refused := func(path, param string) { t.Helper(); refusedAs(false, path, param) }
		beyond := func(path, param string) { t.Helper(); refusedAs(true, path, param) }
		ids := func(p apiPage, field string) []int64 {
			var out []int64
			for _, it := range p.Items {
				var m map[string]any
				if err := json.Unmarshal(it, &m); err != nil {
					t.Fatal(err)
				}
				out = append(out, int64(m[field].(float64)))
			}
			return out
		}
		column := func(q string, id int64) int64 {
			var v int64
			if err := db.QueryRowContext(ctx, q, id).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}

		// Cases by the unit they are registered in and by a named case
		// worker, across pages.
		office := queryID(t, db, "SELECT org_unit_id FROM users WHERE username = 'demo-saksbehandler'")
		worker := queryID(t, db, "SELECT id FROM users WHERE username = 'demo-saksbehandler'")
		inOffice := countRows(t, db, "SELECT COUNT(*) FROM applications WHERE org_unit_id = ? AND status IN ('mottatt', 'under_behandling', 'innvilget', 'tilbud', 'tildelt', 'ny_vurdering')", office)
		byUnit := "/cases?limit=3&unit_id=" + strconv.FormatInt(office, 10)
		p := list("", byUnit)
		got := ids(p, "id")
		if p.Next != "" {
			second := list("", byUnit+"&page="+url.QueryEscape(p.Next))
			got = append(got, ids(second, "id")...)
			code, b := ask(true, cw, "/cases?limit=3&page="+url.QueryEscape(p.Next))
			if code != 400 {
				t.Errorf("the unit filter's page token without the filter: %d %s", code, b)
			}
		}
		if len(got) == 0 || len(got) > 6 || inOffice < len(got) {
			t.Errorf("the office's cases: %d listed, %d open", len(got), inOffice)
		}
		for _, id := range got {
			if u := column("SELECT org_unit_id FROM applications WHERE id = ?", id); u != office {
				t.Errorf("case %d of unit %d listed under unit %d", id, u, office)
			}
		}
		for _, id := range ids(list("", "/cases?sort=mottatt&case_worker_id="+strconv.FormatInt(worker, 10)), "id") {
			if w := column("SELECT COALESCE(case_worker_id, 0) FROM applications WHERE id = ?", id); w != worker {
				t.Errorf("case %d of case worker %d listed under %d", id, w, worker)
			}
		}
		beyond("/cases?unit_id=999999", "unit_id")
		beyond("/cases?case_worker_id="+strconv.FormatInt(queryID(t, db, "SELECT id FROM users WHERE username = 'demo-eiendom'"), 10), "case_worker_id")
		refused("/cases?phase=avslatt", "phase")
		refused("/cases?from=2026-13-01", "from")

		// Tasks by due date, both bounds inclusive.
		all := list("", "/tasks?limit=500")
		var dues []string
		for _, it := range all.Items {
			var task struct {
				Due string `json:"due"`
			}
			if err := json.Unmarshal(it, &task); err != nil {
				t.Fatal(err)
			}
			dues = append(dues, task.Due)
		}
		if len(dues) < 2 {
			t.Fatalf("the demo has %d tasks", len(dues))
		}
		from, to := dues[len(dues)/2], dues[len(dues)-1]
		if to < from {
			from, to = to, from
		}
		want := 0
		for _, d := range dues {
			if d >= from && d <= to {
				want++
			}
		}
		window := list("", "/tasks?limit=500&due_from="+from+"&due_to="+to)
		if len(window.Items) != want {
			t.Errorf("tasks due %s–%s: %d listed, %d due", from, to, len(window.Items), want)
		}
		for _, it := range window.Items {
			var task struct {
				Due string `json:"due"`
			}
			_ = json.Unmarshal(it, &task)
			if task.Due < from || task.Due > to {
				t.Errorf("a task due %s listed for %s–%s", task.Due, from, to)
			}
		}
		if first := list("", "/tasks?limit=1&due_from="+from); first.Next != "" {
			if code, b := ask(true, cw, "/tasks?limit=1&page="+url.QueryEscape(first.Next)); code != 400 {
				t.Errorf("the due filter's page token without the filter: %d %s", code, b)
			}
		}
		refused("/tasks?due_from=i-morgen", "due_from")
		beyond("/tasks?due_from="+to+"&due_to=2000-01-01", "due_to")

		// Units sorted by rent, falling, across two pages.
		first := list("eiendom", "/units?limit=20&sort=husleie&order=synkende")
		rents := func(p apiPage) []int {
			var out []int
			for _, it := range p.Items {
				var u struct {
					Rent int `json:"rent_monthly"`
				}
				_ = json.Unmarshal(it, &u)
				out = append(out, u.Rent)
			}
			return out
		}
		if first.Next == "" {
			t.Fatal("one page of units")
		}
		rs := append(rents(first), rents(list("eiendom", "/units?limit=20&sort=husleie&order=synkende&page="+url.QueryEscape(first.Next)))...)
		for i := 1; i < len(rs); i++ {
			if rs[i] > rs[i-1] {
				t.Fatalf("rent %d after %d at row %d", rs[i], rs[i-1], i)
			}
		}
		if code, b := ask(true, prop, "/units?limit=20&sort=rom&page="+url.QueryEscape(first.Next)); code != 400 {
			t.Errorf("the rent order's page token under another order: %d %s", code, b)
		}
		refused("/units?sort=farge", "sort/order")
		refused("/units?sort=rom&order=opp", "sort/order")
		beyond("/units?category=slott", "category")

		// Persons with an open case in a phase, or of a case worker: logged
		// as a read of housing needs.
		before := queryID(t, db, "SELECT COALESCE(MAX(id), 0) FROM access_reads")
		persons := ids(list("", "/persons?limit=500&phase=mottatt"), "id")
		if len(persons) == 0 {
			t.Fatal("no person with a received case")
		}
		for _, id := range persons {
			if n := countRows(t, db, "SELECT COUNT(*) FROM applications WHERE person_id = ? AND status = 'mottatt'", id); n == 0 {
				t.Errorf("person %d listed without a received case", id)
			}
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM access_reads WHERE id > ? AND categories LIKE '%boligbehov%'", before); n < len(persons) {
			t.Errorf("%d persons listed by their case, %d reads of housing needs logged", len(persons), n)
		}
		for _, id := range ids(list("", "/persons?sort=nyeste&case_worker_id="+strconv.FormatInt(worker, 10)), "id") {
			if n := countRows(t, db, "SELECT COUNT(*) FROM applications WHERE person_id = ? AND case_worker_id = ?", id, worker); n == 0 {
				t.Errorf("person %d listed without a case of the case worker", id)
			}
		}
		if p := list("", "/persons?limit=1&phase=apen"); p.Next != "" {
			if code, b := ask(true, cw, "/persons?limit=1&page="+url.QueryEscape(p.Next)); code != 400 {
				t.Errorf("the phase filter's page token without the filter: %d %s", code, b)
			}
		}
		refused("/persons?phase=avslatt", "phase")
		refused("/persons?case_worker_id=abc", "case_worker_id")
		// A role that does not read housing needs is not given the filter.
		if _, err := db.ExecContext(ctx, "DELETE FROM access_matrix WHERE role = 'eiendom' AND category = 'boligbehov'"); err != nil {
			t.Fatal(err)
		}
		before = queryID(t, db, "SELECT COALESCE(MAX(id), 0) FROM access_reads")
		if code, b := c.call(t, prop, "GET", base+"/persons?phase=apen", "", ""); code != 403 || countRows(t, db, "SELECT COUNT(*) FROM access_reads WHERE id > ?", before) != 0 {
			t.Errorf("the case filter for a role without housing needs: %d %s", code, b)
		}
	})
}
