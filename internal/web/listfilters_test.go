package web_test

import (
	"context"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// The case list filters by the unit a case is registered in and by a named
// case worker, the filters stay in the links, and a value the list does
// not know is refused with the field named.
func TestCaseListByUnitAndWorker(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		office := queryID(t, db, "SELECT org_unit_id FROM users WHERE username = 'demo-saksbehandler'")
		worker := queryID(t, db, "SELECT id FROM users WHERE username = 'demo-saksbehandler'")
		team := queryID(t, db, "SELECT org_unit_id FROM users WHERE username = 'demo-oppfolging'")
		property := queryID(t, db, "SELECT id FROM users WHERE username = 'demo-eiendom'")
		ids := regexp.MustCompile(`href="/saker/(\d+)">`)
		listed := func(body string) []string {
			from, to := strings.Index(body, `id="applications"`), strings.Index(body, `id="h-notes"`)
			if from < 0 || to < from {
				t.Fatalf("no case list on the page")
			}
			var out []string
			for _, m := range ids.FindAllStringSubmatch(body[from:to], -1) {
				out = append(out, m[1])
			}
			return out
		}
		check := func(query, col string, want int64) []string {
			t.Helper()
			resp, body := get(t, cw, s.URL+"/saker?"+query)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", query, resp.StatusCode)
			}
			got := listed(body)
			for _, id := range got {
				var v int64
				if err := db.QueryRowContext(ctx, "SELECT COALESCE("+col+", 0) FROM applications WHERE id = ?", id).Scan(&v); err != nil {
					t.Fatal(err)
				}
				if v != want {
					t.Errorf("%s: case %s has %s %d", query, id, col, v)
				}
			}
			return got
		}
		var inOffice, inTeam int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM applications WHERE org_unit_id = ? AND status NOT IN ('kontrakt', 'avslatt')", office).Scan(&inOffice); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM applications WHERE org_unit_id = ? AND status NOT IN ('kontrakt', 'avslatt')", team).Scan(&inTeam); err != nil {
			t.Fatal(err)
		}
		if got := check("enhet="+strconv.FormatInt(office, 10), "org_unit_id", office); len(got) != min(inOffice, 50) || inOffice == 0 {
			t.Errorf("the housing office's cases: %d listed, %d open", len(got), inOffice)
		}
		if got := check("enhet="+strconv.FormatInt(team, 10), "org_unit_id", team); len(got) != min(inTeam, 50) {
			t.Errorf("the team's cases: %d listed, %d open", len(got), inTeam)
		}
		q := "saksbehandler=" + strconv.FormatInt(worker, 10) + "&sorter=mottatt"
		if got := check(q, "case_worker_id", worker); len(got) == 0 {
			t.Error("the named case worker has no cases listed")
		}
		_, body := get(t, cw, s.URL+"/saker?"+q)
		if !strings.Contains(body, `<option value="`+strconv.FormatInt(worker, 10)+`" selected>`) {
			t.Error("the form does not show the case worker it lists by")
		}
		if next := regexp.MustCompile(`href="(/saker\?[^"]*soknader=[^"]+)"`).FindStringSubmatch(body); next != nil && !strings.Contains(html.UnescapeString(next[1]), "saksbehandler="+strconv.FormatInt(worker, 10)) {
			t.Errorf("the next page's link loses the case worker: %s", next[1])
		}
		for bad, field := range map[string]string{
			"enhet=abc":      "Enhet",
			"enhet=99999999": "Enhet",
			"saksbehandler=" + strconv.FormatInt(property, 10): "Saksbehandler ved navn", // not a case worker
			"fra=2026-02-30":                "Mottatt fra",
			"fra=2026-03-01&til=2026-02-01": "Mottatt til",
		} {
			resp, body := get(t, cw, s.URL+"/saker?"+bad)
			if resp.StatusCode != 400 || !strings.Contains(html.UnescapeString(body), "Filteret «"+field+"»") || ids.MatchString(body[strings.Index(body, `id="applications"`):]) {
				t.Errorf("%s: %d, field %q named: %t", bad, resp.StatusCode, field, strings.Contains(html.UnescapeString(body), "Filteret «"+field+"»"))
			}
		}
	})
}

// The task list filters by due date, both ends inclusive, and keeps the
// dates in its links.
func TestTaskListByDueDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		_, all := get(t, cw, s.URL+"/saker?vis=oppgaver")
		// The page writes dates as 06.12.2026; compared here as 2026-12-06.
		dates := regexp.MustCompile(`</td><td>(\d{2})\.(\d{2})\.(\d{4})</td>`)
		iso := func(body string) []string {
			var out []string
			for _, m := range dates.FindAllStringSubmatch(body, -1) {
				out = append(out, m[3]+"-"+m[2]+"-"+m[1])
			}
			return out
		}
		every := iso(all)
		if len(every) < 3 {
			t.Fatalf("the demo has %d tasks", len(every))
		}
		from, to := every[1], every[1]
		for _, d := range every {
			if d > to {
				to = d
				break
			}
		}
		resp, body := get(t, cw, s.URL+"/saker?vis=oppgaver&fra="+from+"&til="+to)
		if resp.StatusCode != 200 {
			t.Fatalf("due from %s to %s: %d", from, to, resp.StatusCode)
		}
		got := iso(body)
		want := 0
		for _, d := range every {
			if d >= from && d <= to {
				want++
			}
		}
		if len(got) != want || want == 0 {
			t.Errorf("due from %s to %s: %d tasks, want %d", from, to, len(got), want)
		}
		for _, d := range got {
			if d < from || d > to {
				t.Errorf("a task due %s outside %s–%s", d, from, to)
			}
		}
		if !strings.Contains(body, `id="t-fra" name="fra" value="`+from+`"`) {
			t.Error("the form does not keep the dates")
		}
		for bad, field := range map[string]string{"fra=i-morgen": "Frist fra", "fra=2026-05-02&til=2026-05-01": "Frist til"} {
			resp, body := get(t, cw, s.URL+"/saker?vis=oppgaver&"+bad)
			if resp.StatusCode != 400 || !strings.Contains(html.UnescapeString(body), "Filteret «"+field+"»") {
				t.Errorf("%s: %d", bad, resp.StatusCode)
			}
		}
	})
}

// The unit list sorts by each of its columns, either way, pages by key in
// that order, marks the sorted column for assistive technology, and
// refuses an order it does not know.
func TestUnitListSorts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		prop := s.client(t, "demo-eiendom")
		rents := func(body string) []int {
			var out []int
			for _, m := range regexp.MustCompile(`(?s)<tr><td><a class="ds-link" href="/boliger/\d+">.*?</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>`).FindAllStringSubmatch(body, -1) {
				n, err := strconv.Atoi(strings.Map(func(r rune) rune {
					if r >= '0' && r <= '9' {
						return r
					}
					return -1
				}, m[1]))
				if err != nil {
					t.Fatalf("rent %q", m[1])
				}
				out = append(out, n)
			}
			return out
		}
		for _, desc := range []bool{false, true} {
			q := "sorter=husleie"
			if desc {
				q += "&retning=synkende"
			}
			resp, body := get(t, prop, s.URL+"/boliger?"+q)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", q, resp.StatusCode)
			}
			first := rents(body)
			next := regexp.MustCompile(`href="(/boliger\?[^"]*side=[^"]+)"`).FindStringSubmatch(body)
			if len(first) != 50 || next == nil {
				t.Fatalf("%s: %d units on the first page, next page %v", q, len(first), next)
			}
			_, body2 := get(t, prop, s.URL+html.UnescapeString(next[1]))
			all := append(first, rents(body2)...)
			for i := 1; i < len(all); i++ {
				if (!desc && all[i] < all[i-1]) || (desc && all[i] > all[i-1]) {
					t.Fatalf("%s: rent %d after %d at row %d", q, all[i], all[i-1], i)
				}
			}
			want := `aria-sort="ascending"`
			if desc {
				want = `aria-sort="descending"`
			}
			if !strings.Contains(body, want) {
				t.Errorf("%s: the rent column is not marked %s", q, want)
			}
		}
		for bad, field := range map[string]string{"sorter=pris": "Sortering", "sorter=rom&retning=opp": "Sortering", "rom=mange": "Minst antall rom", "status=borte": "Status"} {
			resp, body := get(t, prop, s.URL+"/boliger?"+bad)
			if resp.StatusCode != 400 || !strings.Contains(html.UnescapeString(body), "Filteret «"+field+"»") {
				t.Errorf("%s: %d", bad, resp.StatusCode)
			}
		}
	})
}

// The person list filters by an open case's phase and by its case worker,
// logs the housing needs it reveals, and is not filtered by cases for a
// role that does not read them.
func TestPersonListByCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		worker := queryID(t, db, "SELECT id FROM users WHERE username = 'demo-saksbehandler'")
		ids := regexp.MustCompile(`href="/personer/(\d+)">`)
		resp, body := get(t, cw, s.URL+"/personer?fase=innvilget")
		if resp.StatusCode != 200 {
			t.Fatalf("fase=innvilget: %d", resp.StatusCode)
		}
		listed := ids.FindAllStringSubmatch(body, -1)
		var granted int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(DISTINCT person_id) FROM applications WHERE status = 'innvilget'").Scan(&granted); err != nil {
			t.Fatal(err)
		}
		if len(listed) == 0 || len(listed) > granted {
			t.Fatalf("persons with a granted case: %d listed, %d in the demo", len(listed), granted)
		}
		for _, m := range listed {
			var n int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM applications WHERE person_id = ? AND status = 'innvilget'", m[1]).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("person %s has no granted case", m[1])
			}
			var cats string
			if err := db.QueryRowContext(ctx, "SELECT categories FROM access_reads WHERE person_id = ? AND user_id = ? ORDER BY id DESC LIMIT 1", m[1], worker).Scan(&cats); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(cats, "boligbehov") {
				t.Errorf("listing person %s by case logged %q, not the housing needs", m[1], cats)
			}
		}
		_, body = get(t, cw, s.URL+"/personer?sorter=nyeste&saksbehandler="+strconv.FormatInt(worker, 10))
		for _, m := range ids.FindAllStringSubmatch(body, -1) {
			var n int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM applications WHERE person_id = ? AND case_worker_id = ? AND status NOT IN ('kontrakt', 'avslatt')", m[1], worker).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("person %s has no open case with the case worker", m[1])
			}
		}
		if resp, body := get(t, cw, s.URL+"/personer?fase=ukjent"); resp.StatusCode != 400 || !strings.Contains(html.UnescapeString(body), "Filteret «Sak i fase»") || ids.MatchString(body) {
			t.Errorf("an unknown phase: %d", resp.StatusCode)
		}
		// A role without housing needs in its row is neither offered the
		// filter nor given it.
		if _, err := db.ExecContext(ctx, "DELETE FROM access_matrix WHERE role = 'eiendom' AND category = 'boligbehov'"); err != nil {
			t.Fatal(err)
		}
		prop := s.client(t, "demo-eiendom")
		if _, body := get(t, prop, s.URL+"/personer"); strings.Contains(body, `name="fase"`) {
			t.Error("the case filter is offered to a role that does not read housing needs")
		}
		if resp, body := get(t, prop, s.URL+"/personer?fase=apen"); resp.StatusCode != 403 || ids.MatchString(body) {
			t.Errorf("the case filter for a role without housing needs: %d", resp.StatusCode)
		}
	})
}
