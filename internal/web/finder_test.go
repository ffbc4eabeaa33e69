package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// The list of allocation meetings filters by status and meeting day and
// sorts either way, on the page and in the API; the filter stays in the
// next page's link and binds its token, and a value the list does not
// know is refused with 400 before any meeting is read.
func TestMeetingListFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		var mid int64
		if err := db.QueryRowContext(ctx, "SELECT municipality_id FROM users WHERE username = 'demo-saksbehandler'").Scan(&mid); err != nil {
			t.Fatal(err)
		}
		// 2019: 250 meetings, every other closed, so a filtered list runs over pages of 100.
		for i := 0; i < 250; i++ {
			status := "apent"
			if i%2 == 0 {
				status = "avsluttet"
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO meetings (municipality_id, held_on, status, created_by, created_at)
				VALUES (?, ?, ?, 'Test', '2019-01-01T00:00:00Z')`, mid, fmt.Sprintf("2019-%02d-%02d", 1+i%12, 1+i%28), status); err != nil {
				t.Fatal(err)
			}
		}
		var want int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings WHERE municipality_id = ? AND status = 'apent'
			AND held_on >= '2019-01-01' AND held_on <= '2019-12-31'`, mid).Scan(&want); err != nil {
			t.Fatal(err)
		}
		row := regexp.MustCompile(`href="/tildeling/moter/(\d+)">(\d\d)\.(\d\d)\.(\d{4})</a></td><td>([^<]*)</td>`)
		next := regexp.MustCompile(`href="(/tildeling/moter\?[^"]*side=[^"]+)"`)
		// Held meetings of 2019, oldest first, page after page.
		var seen []string
		u := "/tildeling/moter?status=holdt&fra=2019-01-01&til=2019-12-31&sorter=eldste"
		for pages := 0; u != ""; pages++ {
			resp, body := get(t, cw, s.URL+u)
			if resp.StatusCode != 200 || pages > 5 {
				t.Fatalf("GET %s: %d", u, resp.StatusCode)
			}
			for _, m := range row.FindAllStringSubmatch(body, -1) {
				day := m[4] + "-" + m[3] + "-" + m[2]
				if m[5] != "Åpent" || m[4] != "2019" {
					t.Errorf("meeting %s (%s, %s) under held meetings of 2019", m[1], day, m[5])
				}
				if len(seen) > 0 && day < seen[len(seen)-1] {
					t.Errorf("oldest first: %s after %s", day, seen[len(seen)-1])
				}
				seen = append(seen, day)
			}
			u = ""
			if n := next.FindStringSubmatch(body); n != nil {
				u = html.UnescapeString(n[1])
				for _, keep := range []string{"status=holdt", "fra=2019-01-01", "til=2019-12-31", "sorter=eldste"} {
					if !strings.Contains(u, keep) {
						t.Fatalf("the next page's link loses %s: %s", keep, u)
					}
				}
			}
		}
		if len(seen) != want || want <= 100 {
			t.Errorf("held meetings of 2019 over the pages: %d, want %d", len(seen), want)
		}
		_, body := get(t, cw, s.URL+"/tildeling/moter?status=avsluttet")
		for _, m := range row.FindAllStringSubmatch(body, -1) {
			if m[5] != "Avsluttet" {
				t.Errorf("meeting %s (%s) under closed meetings", m[1], m[5])
			}
		}
		if !strings.Contains(body, `<option value="avsluttet" selected>`) {
			t.Error("the form does not show the status it lists by")
		}
		// A token taken under one filter is refused under another.
		n := next.FindStringSubmatch(body)
		if n == nil {
			t.Fatal("closed meetings fit on one page")
		}
		token := regexp.MustCompile(`side=([^&"]+)`).FindStringSubmatch(n[1])[1]
		if resp, _ := get(t, cw, s.URL+"/tildeling/moter?side="+token); resp.StatusCode != 400 {
			t.Errorf("a page token taken under another filter: %d", resp.StatusCode)
		}
		// Bad values: 400, the message, and no meeting read.
		var mu sync.Mutex
		var read []string
		db.Observe(func(q string) {
			if strings.Contains(q, "meeting") {
				mu.Lock()
				read = append(read, q)
				mu.Unlock()
			}
		})
		t.Cleanup(func() { db.Observe(nil) })
		for _, bad := range []string{"?status=apent", "?fra=2019-13-01", "?fra=2019-12-01&til=2019-11-01", "?sorter=dato"} {
			resp, body := get(t, cw, s.URL+"/tildeling/moter"+bad)
			if resp.StatusCode != 400 || !strings.Contains(body, "Filteret i adressen er ugyldig") || row.MatchString(body) {
				t.Errorf("filter %s: %d, message shown: %t, meetings listed: %t", bad, resp.StatusCode, strings.Contains(body, "Filteret i adressen er ugyldig"), row.MatchString(body))
			}
		}
		mu.Lock()
		if len(read) > 0 {
			t.Errorf("a refused filter read meetings: %q", read)
		}
		mu.Unlock()
		db.Observe(nil)

		// The API: the same filter, checked against openapi.json.
		c := loadContract(t, s)
		type meeting struct {
			ID     int64  `json:"id"`
			HeldOn string `json:"held_on"`
			Status string `json:"status"`
		}
		api := walk[meeting](t, c, cw, s.URL+"/api/v1/meetings?status=holdt&from=2019-01-01&to=2019-12-31&sort=eldste&limit=40")
		if len(api) != want {
			t.Errorf("API held meetings of 2019: %d, want %d", len(api), want)
		}
		for i, m := range api {
			if m.Status != "apent" || (i > 0 && m.HeldOn < api[i-1].HeldOn) {
				t.Errorf("API meeting %d (%s, %s) out of filter or order", m.ID, m.HeldOn, m.Status)
			}
		}
		code, b := c.call(t, cw, "GET", s.URL+"/api/v1/meetings?limit=40", "", "")
		var first struct{ Next string }
		if code != 200 || json.Unmarshal(b, &first) != nil || first.Next == "" {
			t.Fatalf("API meetings: %d %s", code, b)
		}
		if code, _ := c.refusedBeyondSchema(t, cw, "GET", s.URL+"/api/v1/meetings?status=avsluttet&page="+first.Next, ""); code != 400 {
			t.Errorf("API token under another filter: %d", code)
		}
		for _, bad := range []string{"status=ukjent", "from=2019-12-01&to=2019-11-01", "sort=dato"} {
			call := c.call // the document rejects an unknown value; a backwards range only the server can
			if strings.Contains(bad, "from=") {
				call = func(t *testing.T, client *http.Client, method, url, _ string, token string) (int, []byte) {
					return c.refusedBeyondSchema(t, client, method, url, token)
				}
			}
			if code, b := call(t, cw, "GET", s.URL+"/api/v1/meetings?"+bad, "", ""); code != 400 || !strings.Contains(string(b), "møtelisten") {
				t.Errorf("API filter %s: %d %s", bad, code, b)
			}
		}
	})
}

// The person list sorts by name or newest registered first; the order
// stays in the page links and binds the page token, and an order the list
// does not know is refused with 400 before any person is read.
func TestPersonListSort(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		row := regexp.MustCompile(`href="/personer/(\d+)">`)
		next := regexp.MustCompile(`href="(/personer\?[^"]*side=[^"]+)"`)
		ids := func(body string) []int64 {
			var out []int64
			for _, m := range row.FindAllStringSubmatch(body, -1) {
				id, _ := strconv.ParseInt(m[1], 10, 64)
				out = append(out, id)
			}
			return out
		}
		var seen []int64
		u := "/personer?sorter=nyeste"
		for page := 1; page <= 2; page++ {
			resp, body := get(t, cw, s.URL+u)
			got := ids(body)
			if resp.StatusCode != 200 || len(got) != 50 {
				t.Fatalf("page %d newest first: %d, %d persons", page, resp.StatusCode, len(got))
			}
			for _, id := range got {
				if len(seen) > 0 && id >= seen[len(seen)-1] {
					t.Fatalf("newest first: person %d after %d", id, seen[len(seen)-1])
				}
				seen = append(seen, id)
			}
			n := next.FindStringSubmatch(body)
			if n == nil || !strings.Contains(n[1], "sorter=nyeste") {
				t.Fatalf("the next page's link loses the order: %v", n)
			}
			u = html.UnescapeString(n[1])
		}
		_, byName := get(t, cw, s.URL+"/personer")
		if first := ids(byName); len(first) != 50 || first[0] == seen[0] && first[1] == seen[1] {
			t.Error("the list by name is the list newest first")
		}
		token := regexp.MustCompile(`side=([^&"]+)`).FindStringSubmatch(u)[1]
		if resp, _ := get(t, cw, s.URL+"/personer?side="+token); resp.StatusCode != 400 {
			t.Errorf("a page token taken newest first, used by name: %d", resp.StatusCode)
		}
		var mu sync.Mutex
		var read []string
		db.Observe(func(q string) {
			if strings.Contains(q, "FROM persons") || strings.Contains(q, "access_log") {
				mu.Lock()
				read = append(read, q)
				mu.Unlock()
			}
		})
		t.Cleanup(func() { db.Observe(nil) })
		resp, body := get(t, cw, s.URL+"/personer?sorter=dato")
		if resp.StatusCode != 400 || !strings.Contains(body, "Rekkefølgen i adressen er ugyldig") || row.MatchString(body) {
			t.Errorf("sorter=dato: %d, persons listed: %t", resp.StatusCode, row.MatchString(body))
		}
		mu.Lock()
		if len(read) > 0 {
			t.Errorf("a refused order read persons: %q", read)
		}
		mu.Unlock()
	})
}
