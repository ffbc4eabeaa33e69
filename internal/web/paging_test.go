package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

type pageOf[T any] struct {
	Items []T    `json:"items"`
	Total int    `json:"total"`
	Next  string `json:"next"`
}

// walk follows a list's next tokens from its first page and returns every
// item, checking each answer against the OpenAPI document.
func walk[T any](t *testing.T, c contract, client *http.Client, first string) []T {
	t.Helper()
	var all []T
	for u, pages := first, 0; ; pages++ {
		code, b := c.call(t, client, "GET", u, "", "")
		var p pageOf[T]
		if code != 200 || json.Unmarshal(b, &p) != nil || pages > 1000 {
			t.Fatalf("GET %s: %d %s", u, code, b)
		}
		all = append(all, p.Items...)
		if p.Next == "" {
			return all
		}
		u = first + "&page=" + p.Next
	}
}

func TestKeysetPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		c := loadContract(t, s)
		cw := s.client(t, "demo-saksbehandler")
		base := s.URL + "/api/v1"
		type item struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		}

		// Persons: pages of 37 give the same persons in the same order as one page.
		paged := walk[item](t, c, cw, base+"/persons?limit=37")
		whole := walk[item](t, c, cw, base+"/persons?limit=500")
		if len(paged) < 400 || !slices.Equal(paged, whole) {
			t.Fatalf("paged persons (%d) differ from one page (%d)", len(paged), len(whole))
		}

		// Units under a filter, the total beside each page.
		units := walk[item](t, c, cw, base+"/units?category=omsorgsbolig&limit=50")
		var total int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM units WHERE category = 'omsorgsbolig'").Scan(&total); err != nil {
			t.Fatal(err)
		}
		codes := map[string]bool{}
		for _, u := range units {
			codes[u.Code] = true
		}
		if len(units) != total || len(codes) != total {
			t.Fatalf("paged care units: %d (%d distinct), want %d", len(units), len(codes), total)
		}

		// The resident's own access log, two entries a page (each list above read them once).
		for i := 0; i < 3; i++ {
			c.call(t, cw, "GET", base+"/persons?limit=500", "", "")
		}
		resident := s.client(t, "demo-beboer")
		log := walk[map[string]any](t, c, resident, base+"/me/access-log?limit=2")
		all := walk[map[string]any](t, c, resident, base+"/me/access-log?limit=500")
		if len(log) < 3 || len(log) != len(all) || fmt.Sprint(log) != fmt.Sprint(all) {
			t.Fatalf("paged access log (%d) differs from one page (%d)", len(log), len(all))
		}

		// Tasks: more than the 500 the list used to stop at, every one reached by paging.
		var app, mid int64
		if err := db.QueryRowContext(ctx, "SELECT MIN(id), MIN(municipality_id) FROM applications WHERE status IN ('mottatt', 'under_behandling')").Scan(&app, &mid); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 520; i++ {
			if _, err := db.ExecContext(ctx, `INSERT INTO case_requests (municipality_id, application_id, what, requested_on, due_on, requested_by, created_at)
				VALUES (?, ?, ?, '2026-11-01', ?, 'Test', '2026-11-01T00:00:00Z')`, mid, app, fmt.Sprintf("Dokument %03d", i), fmt.Sprintf("2027-01-%02d", 1+i%28)); err != nil {
				t.Fatal(err)
			}
		}
		type task struct {
			ApplicationID int64  `json:"application_id"`
			Text          string `json:"text"`
			Due           string `json:"due"`
			Overdue       bool   `json:"overdue"`
		}
		tasks := walk[task](t, c, cw, base+"/tasks?limit=97")
		wholeTasks := walk[task](t, c, cw, base+"/tasks?limit=500")
		if len(tasks) < 520 || !slices.Equal(tasks, wholeTasks) {
			t.Fatalf("paged tasks: %d, in pages of 500: %d", len(tasks), len(wholeTasks))
		}
		for i := 1; i < len(tasks); i++ {
			if tasks[i-1].Overdue != tasks[i].Overdue && !tasks[i-1].Overdue || tasks[i-1].Overdue == tasks[i].Overdue && tasks[i-1].Due > tasks[i].Due {
				t.Fatalf("tasks out of order at %d: %+v before %+v", i, tasks[i-1], tasks[i])
			}
		}
		_, body := get(t, cw, s.URL+"/saker?vis=oppgaver")
		tnext := regexp.MustCompile(`href="/saker\?side=([^"]+)&amp;vis=oppgaver"`).FindStringSubmatch(body)
		if tnext == nil {
			t.Fatal("the work list has no link to the next page of tasks")
		}
		if resp, body := get(t, cw, s.URL+"/saker?vis=oppgaver&side="+tnext[1]); resp.StatusCode != 200 || !strings.Contains(body, "Side 2") {
			t.Fatalf("tasks page 2: %d", resp.StatusCode)
		}
		if resp, _ := get(t, cw, s.URL+"/saker?vis=oppgaver&mine=ja&side="+tnext[1]); resp.StatusCode != 400 {
			t.Fatalf("a task page token for the unit's list was taken for mine: %d", resp.StatusCode)
		}

		// The work list's open applications: more than a page, every one
		// reached by paging, nearest deadline first, on the API and the page.
		u, err := org.UserByUsername(ctx, db, "demo-saksbehandler")
		if err != nil {
			t.Fatal(err)
		}
		var pid int64
		if err := db.QueryRowContext(ctx, "SELECT MIN(person_id) FROM applications").Scan(&pid); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 130; i++ {
			received := deadline.On(time.Now()).AddDays(-(i % 20))
			if _, err := caseflow.Apply(ctx, db, u.Actor(), pid, caseflow.ApplicationInput{Kind: "begge", Received: received,
				YearsResident: 3, HouseholdSize: 1, RegisteredHere: true}, deadline.On(time.Now())); err != nil {
				t.Fatal(err)
			}
		}
		type work struct {
			ID          int64  `json:"id"`
			DecisionDue string `json:"decision_due"`
		}
		apps := walk[work](t, c, cw, base+"/worklist?limit=23")
		wholeApps := walk[work](t, c, cw, base+"/worklist?limit=500")
		if len(apps) < 130 || !slices.Equal(apps, wholeApps) {
			t.Fatalf("paged work list: %d, in pages of 500: %d", len(apps), len(wholeApps))
		}
		for i := 1; i < len(apps); i++ {
			if apps[i-1].DecisionDue > apps[i].DecisionDue || apps[i-1].DecisionDue == apps[i].DecisionDue && apps[i-1].ID >= apps[i].ID {
				t.Fatalf("work list out of order at %d: %+v before %+v", i, apps[i-1], apps[i])
			}
		}
		rows := regexp.MustCompile(`href="/saker/(\d+)">`)
		seen := map[string]bool{}
		nextApps := "/saker"
		for pages := 0; nextApps != ""; pages++ {
			resp, body := get(t, cw, s.URL+strings.ReplaceAll(nextApps, "&amp;", "&"))
			if resp.StatusCode != 200 || pages > 10 {
				t.Fatalf("%s: %d", nextApps, resp.StatusCode)
			}
			table := body[strings.Index(body, `id="applications"`):strings.Index(body, `id="h-notes"`)]
			for _, m := range rows.FindAllStringSubmatch(table, -1) {
				seen[m[1]] = true
			}
			nextApps = ""
			if m := regexp.MustCompile(`href="(/saker\?soknader=[^"]+)"`).FindStringSubmatch(body); m != nil {
				nextApps = m[1]
			}
			if pages == 0 && nextApps == "" {
				t.Fatal("the work list has no link to the next page of applications")
			}
		}
		// The page lists every open case (the API's work list: those
		// waiting for a decision), each once across its pages.
		var open int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE status NOT IN ('kontrakt', 'avslatt')`).Scan(&open); err != nil {
			t.Fatal(err)
		}
		if len(seen) != open || len(seen) < len(apps) {
			t.Fatalf("the case list's pages show %d cases, %d are open, the API's work list has %d", len(seen), open, len(apps))
		}
		for _, a := range apps {
			if !seen[strconv.FormatInt(a.ID, 10)] {
				t.Fatalf("case %d is on the API's work list but on no page of the case list", a.ID)
			}
		}
		if resp, _ := get(t, cw, s.URL+"/saker?soknader="+tnext[1]); resp.StatusCode != 400 {
			t.Fatalf("a task page token was taken for the applications: %d", resp.StatusCode)
		}

		// Bad tokens: changed, from another list or filter, or offset: 400, nothing logged.
		_, b := c.call(t, cw, "GET", base+"/persons?limit=5", "", "")
		var p pageOf[item]
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		_, b = c.call(t, cw, "GET", base+"/units?category=omsorgsbolig&limit=5", "", "")
		var up pageOf[item]
		if err := json.Unmarshal(b, &up); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		// The token is sealed: the last person's name cannot be read from the URL.
		var named pageOf[struct {
			LastName string `json:"last_name"`
		}]
		_, b = c.call(t, cw, "GET", base+"/persons?limit=5", "", "")
		if err := json.Unmarshal(b, &named); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		raw, err := base64.RawURLEncoding.DecodeString(named.Next)
		if err != nil {
			t.Fatalf("page token %q: %v", named.Next, err)
		}
		if last := strings.ToLower(named.Items[4].LastName); len(raw) == 0 || bytes.Contains(bytes.ToLower(raw), []byte(last)) {
			t.Fatalf("the page token shows the name %q: %q", last, raw)
		}
		flip := func(tok string) string {
			r := []byte(tok)
			r[3] ^= 1
			return string(r)
		}
		countLog := func() (n int) {
			t.Helper()
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_log").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		logged := countLog()
		for what, u := range map[string]string{
			"changed token":   base + "/persons?limit=5&page=" + flip(p.Next),
			"units token":     base + "/persons?limit=5&page=" + up.Next,
			"other filter":    base + "/units?category=ordinaer&limit=5&page=" + up.Next,
			"persons token":   base + "/units?category=omsorgsbolig&limit=5&page=" + p.Next,
			"not a token":     base + "/persons?page=abc",
			"offset":          base + "/persons?offset=50",
			"log of another":  base + "/me/access-log?page=" + p.Next,
			"truncated token": base + "/persons?limit=5&page=" + p.Next[:len(p.Next)-2],
		} {
			if what == "log of another" {
				code, b := c.refusedBeyondSchema(t, resident, "GET", u, "")
				if code != 400 || !strings.Contains(string(b), "page-merket") {
					t.Errorf("%s: %d %s", what, code, b)
				}
				continue
			}
			code, b := c.refusedBeyondSchema(t, cw, "GET", u, "")
			if code != 400 || !strings.Contains(string(b), "page") {
				t.Errorf("%s: %d %s", what, code, b)
			}
		}
		if n := countLog(); n != logged {
			t.Errorf("refused pages logged %d reads", n-logged)
		}

		// The pages: the next link carries a token, page 2 says so, a changed one is a 400 page.
		_, body = get(t, cw, s.URL+"/personer")
		next := regexp.MustCompile(`href="/personer\?side=([^"]+)"`).FindStringSubmatch(body)
		if next == nil {
			t.Fatal("the person list has no link to the next page")
		}
		resp, body := get(t, cw, s.URL+"/personer?side="+next[1])
		if resp.StatusCode != 200 || !strings.Contains(body, "Side 2") || !strings.Contains(body, `href="/personer"`) {
			t.Fatalf("page 2: %d", resp.StatusCode)
		}
		resp, body = get(t, cw, s.URL+"/personer?side="+flip(next[1]))
		if resp.StatusCode != 400 || !strings.Contains(body, "Ugyldig sidemerke") {
			t.Fatalf("changed page token: %d", resp.StatusCode)
		}
		_, body = get(t, cw, s.URL+"/boliger?kategori=omsorgsbolig")
		unext := regexp.MustCompile(`href="/boliger\?([^"]*side=[^"]+)"`).FindStringSubmatch(body)
		if unext == nil {
			t.Fatal("the unit list has no link to the next page")
		}
		if resp, body = get(t, cw, s.URL+"/boliger?"+strings.ReplaceAll(unext[1], "&amp;", "&")); resp.StatusCode != 200 || !strings.Contains(body, "Side 2") {
			t.Fatalf("units page 2: %d", resp.StatusCode)
		}
		other := strings.Replace(strings.ReplaceAll(unext[1], "&amp;", "&"), "kategori=omsorgsbolig", "kategori=ordinaer", 1)
		if resp, _ = get(t, cw, s.URL+"/boliger?"+other); resp.StatusCode != 400 {
			t.Fatalf("unit page token under another filter: %d", resp.StatusCode)
		}
	})
}
