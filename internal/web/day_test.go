package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"husly/internal/deadline"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Each role's start page answers, on the page and in the API (checked
// against openapi.json), with its own panels; the case worker's "my unit"
// is one link away, in the URL.
func TestStartPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := loadContract(t, s)
		for user, want := range map[string][]string{
			"demo-saksbehandler": {"Frister passert eller innen en uke", "Tilbud som venter på svar", `href="/?vis=enhet"`},
			"demo-eiendom":       {"Ledige boliger", "Innflyttinger denne og neste uke", "Befaringer som skal gjøres"},
			"demo-oppfolging":    {"Personer dere følger opp", "Dine siste notater"},
			"demo-enhetsleder":   {"På venteliste", "Nødtilganger å gjennomgå", `data-chart="chart-housed"`, `data-chart="chart-waiting chart-waitdays"`, "Venteliste og ventetid ved utgangen av hver måned", "Tallene gjelder Housing First-teamet", "/static/vendor/uplot.min.js"},
			"demo-planlegger":    {"På venteliste", "Tallene gjelder hele kommunen.", "Boligmassen"},
			"demo-admin":         {"Boligmassen", "Administrasjon"},
			"demo-tilsyn":        {"Formål for tilsynet", `action="/tilsyn/formal"`, "På venteliste"},
		} {
			cl := s.client(t, user)
			resp, body := get(t, cl, s.URL+"/")
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", user, resp.StatusCode)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: the start page does not say %q", user, w)
				}
			}
			if !strings.Contains(body, `action="/sok"`) {
				t.Errorf("%s: no quick search in the header", user)
			}
			if status, b := c.call(t, cl, "GET", s.URL+"/api/v1/start", "", ""); status != 200 {
				t.Errorf("%s: GET /api/v1/start → %d %s", user, status, b)
			}
		}
		cw := s.client(t, "demo-saksbehandler")
		status, b := c.call(t, cw, "GET", s.URL+"/api/v1/start?vis=enhet", "", "")
		var start struct {
			CaseWorker struct {
				Scope string `json:"scope"`
				Due   []struct {
					CaseWorker string `json:"case_worker"`
				} `json:"due"`
			} `json:"case_worker"`
		}
		if err := json.Unmarshal(b, &start); status != 200 || err != nil || start.CaseWorker.Scope != "enhet" || len(start.CaseWorker.Due) == 0 {
			t.Errorf("the unit's start page: %d %v %s", status, err, b)
		}
		if status, _ := c.call(t, cw, "GET", s.URL+"/api/v1/start?vis=alle", "", ""); status != 400 {
			t.Errorf("an unknown scope: %d", status)
		}
		if resp, body := get(t, s.client(t, "demo-beboer"), s.URL+"/"); resp.StatusCode != 200 || strings.Contains(body, `action="/sok"`) {
			t.Errorf("the resident's Min side: %d, staff search shown: %t", resp.StatusCode, strings.Contains(body, `action="/sok"`))
		}
	})
}

// The quick search posts (no identity number in a URL), finds by name,
// case number and unit code, answers the API by its schema, and refuses a
// number search to property staff with 403.
func TestQuickSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		c := loadContract(t, s)
		var app int64
		var last, code string
		if err := db.QueryRowContext(ctx, `SELECT a.id, p.last_name FROM applications a JOIN persons p ON p.id = a.person_id
			JOIN users u ON u.id = a.case_worker_id WHERE u.username = 'demo-saksbehandler' ORDER BY a.id LIMIT 1`).Scan(&app, &last); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT code FROM units ORDER BY id LIMIT 1").Scan(&code); err != nil {
			t.Fatal(err)
		}
		cw := s.client(t, "demo-saksbehandler")
		for q, want := range map[string]string{last: `id="r-persons"`, "sak " + strconv.FormatInt(app, 10): `href="/saker/` + strconv.FormatInt(app, 10) + `"`, code: `id="r-units"`} {
			resp, body := postForm(t, cw, s.URL+"/sok", url.Values{"q": {q}})
			if resp.StatusCode != 200 || !strings.Contains(body, want) {
				t.Errorf("search %q: %d, no %s", q, resp.StatusCode, want)
			}
		}
		if resp, body := postForm(t, cw, s.URL+"/sok", url.Values{"q": {strings.Repeat("a", 101)}}); resp.StatusCode != 422 || !strings.Contains(body, "høyst 100 tegn") {
			t.Errorf("a search of 101 characters: %d", resp.StatusCode)
		}
		number := regexp.MustCompile(`^\d{11}$`)
		var pid int64
		if err := db.QueryRowContext(ctx, "SELECT person_id FROM applications WHERE id = ?", app).Scan(&pid); err != nil {
			t.Fatal(err)
		}
		n := storetest.NumberOf(t, db, pid)
		if !number.MatchString(n) {
			t.Fatalf("number %q", n)
		}
		if resp, body := postForm(t, s.client(t, "demo-tilsyn"), s.URL+"/sok", url.Values{"q": {last}}); resp.StatusCode != 403 || !strings.Contains(body, "Oppgi formålet på startsiden") {
			t.Errorf("the auditor without a purpose: %d", resp.StatusCode)
		}
		if resp, _ := postForm(t, s.client(t, "demo-eiendom"), s.URL+"/sok", url.Values{"q": {n}}); resp.StatusCode != 403 {
			t.Errorf("property staff searched by identity number: %d", resp.StatusCode)
		}
		status, b := c.call(t, cw, "POST", s.URL+"/api/v1/search", `{"query":"`+n+`"}`, "")
		var found struct {
			Persons []struct {
				ID int64 `json:"id"`
			} `json:"persons"`
		}
		if err := json.Unmarshal(b, &found); status != 200 || err != nil || len(found.Persons) != 1 || found.Persons[0].ID != pid {
			t.Errorf("API search by number: %d %v %s", status, err, b)
		}
		if status, _ := c.call(t, cw, "POST", s.URL+"/api/v1/search", `{"query":"x","limit":51}`, ""); status != 400 {
			t.Errorf("limit 51: %d", status)
		}
	})
}

// The case list shows one list at a time, filters by what the URL says,
// keeps the filter in its paging links, and refuses a filter it does not know.
func TestCaseListFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		_, all := get(t, cw, s.URL+"/saker")
		if strings.Contains(all, `id="tasks"`) || !strings.Contains(all, `id="applications"`) {
			t.Error("the case list shows the applications and the tasks on one page")
		}
		rows := regexp.MustCompile(`href="/saker/(\d+)">`)
		idsOn := func(body string) []string {
			var out []string
			for _, m := range rows.FindAllStringSubmatch(body[strings.Index(body, `id="applications"`):strings.Index(body, `id="h-notes"`)], -1) {
				out = append(out, m[1])
			}
			return out
		}
		var mineWant int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications a JOIN users u ON u.id = a.case_worker_id
			WHERE u.username = 'demo-saksbehandler' AND a.status NOT IN ('kontrakt', 'avslatt')`).Scan(&mineWant); err != nil {
			t.Fatal(err)
		}
		_, mine := get(t, cw, s.URL+"/saker?hvem=mine")
		if got := len(idsOn(mine)); got != min(mineWant, 50) {
			t.Errorf("her own cases: %d listed, %d open", got, mineWant)
		}
		_, overdue := get(t, cw, s.URL+"/saker?frist=over&fase=mottatt")
		for _, id := range idsOn(overdue) {
			var status, due string
			if err := db.QueryRowContext(ctx, "SELECT status, CAST(COALESCE(provisional_expected_on, decision_due) AS TEXT) FROM applications WHERE id = ?", id).Scan(&status, &due); err != nil {
				t.Fatal(err)
			}
			if status != "mottatt" || due >= todayString() {
				t.Errorf("case %s (%s, due %s) under overdue received cases", id, status, due)
			}
		}
		if !strings.Contains(overdue, `<option value="over" selected>`) {
			t.Error("the form does not show the filter it lists by")
		}
		for _, bad := range []string{"?fase=ukjent", "?fra=2026-13-01", "?fra=2026-12-01&til=2026-11-01", "?sorter=navn"} {
			if resp, _ := get(t, cw, s.URL+"/saker"+bad); resp.StatusCode != 400 {
				t.Errorf("filter %s: %d", bad, resp.StatusCode)
			}
		}
		// The tasks filter by kind and by overdue, in the URL too.
		_, tasks := get(t, cw, s.URL+"/saker?vis=oppgaver&frist=over")
		taskRows := regexp.MustCompile(`(?s)<tr>\s*<td><a class="ds-link" href="/saker/\d+">.*?</tr>`).FindAllString(tasks, -1)
		if len(taskRows) == 0 {
			t.Fatal("no overdue tasks in the demo")
		}
		for _, row := range taskRows {
			if !strings.Contains(row, "Over fristen") {
				t.Errorf("a task that is not overdue under frist=over: %.200s", row)
			}
		}
		_, appeals := get(t, cw, s.URL+"/saker?vis=oppgaver&type=klage")
		if n := strings.Count(appeals, "Klage mottatt"); n == 0 || strings.Contains(appeals, "Venter på svar på tilbudet") {
			t.Errorf("type=klage: %d appeals, offers shown: %t", n, strings.Contains(appeals, "Venter på svar på tilbudet"))
		}
		for _, bad := range []string{"?vis=oppgaver&type=ukjent", "?vis=oppgaver&frist=uke"} {
			if resp, _ := get(t, cw, s.URL+"/saker"+bad); resp.StatusCode != 400 {
				t.Errorf("task filter %s: %d", bad, resp.StatusCode)
			}
		}
		_, body := get(t, cw, s.URL+"/saker?sorter=mottatt")
		next := regexp.MustCompile(`href="(/saker\?[^"]*soknader=[^"]+)"`).FindStringSubmatch(body)
		if next == nil || !strings.Contains(next[1], "sorter=mottatt") {
			t.Fatalf("the next page's link loses the sort: %v", next)
		}
		token := regexp.MustCompile(`soknader=([^&"]+)`).FindStringSubmatch(next[1])[1]
		if resp, _ := get(t, cw, s.URL+"/saker?soknader="+token); resp.StatusCode != 400 {
			t.Errorf("a page token taken under another sort: %d", resp.StatusCode)
		}
		if resp, _ := get(t, cw, s.URL+strings.ReplaceAll(next[1], "&amp;", "&")); resp.StatusCode != 200 {
			t.Errorf("page 2 newest first: %d", resp.StatusCode)
		}
	})
}

func todayString() string { return deadline.On(time.Now()).String() }
