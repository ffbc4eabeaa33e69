package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"husly/internal/demo"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

func postForm(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func breakGlassCount(t *testing.T, db *store.DB, person int64) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM break_glass WHERE person_id = ?", person).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Emergency access asks for the password every time, right after login
// too, on the form and through the API; wrong passwords there count
// towards the same lock as the login, and a locked account cannot open it.
func TestBreakGlassAlwaysNeedsThePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		mid := queryID(t, db, "SELECT id FROM municipalities WHERE number = '1505'")
		person := storetest.InsertPerson(t, db, mid, identity.Synthetic(410001), "Ukjent", "Person")
		c := s.client(t, "demo-saksbehandler") // signed in a moment ago
		page := s.URL + "/personer/" + itoa(person) + "/nodtilgang"
		reason := "Akutt behov for å avklare bolig i natt"

		resp, body := postForm(t, c, page, url.Values{"reason": {reason}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Passordet stemmer ikke") {
			t.Fatalf("form without password just after login: %d", resp.StatusCode)
		}
		resp, _ = postJSON(t, c, s.URL+"/api/v1/persons/"+itoa(person)+"/break-glass", `{"reason":"`+reason+`"}`)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("API without password: %d", resp.StatusCode)
		}
		if n := breakGlassCount(t, db, person); n != 0 {
			t.Fatalf("a refused emergency access was opened anyway (%d rows)", n)
		}
		// Three more wrong passwords: five in all, and the account locks.
		for i := 0; i < 3; i++ {
			postForm(t, c, page, url.Values{"reason": {reason}, "password": {"gjetning"}})
		}
		resp, body = postForm(t, c, page, url.Values{"reason": {reason}, "password": {demo.Password}})
		if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "sperret") {
			t.Fatalf("the right password on a locked account: %d", resp.StatusCode)
		}
		resp, _ = postJSON(t, c, s.URL+"/api/v1/persons/"+itoa(person)+"/break-glass", `{"reason":"`+reason+`","password":"`+demo.Password+`"}`)
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("API on a locked account: %d", resp.StatusCode)
		}
		if n := breakGlassCount(t, db, person); n != 0 {
			t.Fatalf("emergency access opened on a locked account")
		}
		// The login is locked too.
		resp, _ = postForm(t, s.client(t, ""), s.URL+"/logg-inn", url.Values{"username": {"demo-saksbehandler"}, "password": {demo.Password}})
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("login after break-glass guesses: %d, want 429", resp.StatusCode)
		}
		// When the lock has run out, the right password opens it.
		if _, err := db.ExecContext(context.Background(), "UPDATE users SET locked_until = ? WHERE username = 'demo-saksbehandler'",
			store.TimeArg(time.Now().Add(-time.Second))); err != nil {
			t.Fatal(err)
		}
		resp, _ = postForm(t, c, page, url.Values{"reason": {reason}, "password": {demo.Password}})
		if resp.StatusCode != http.StatusSeeOther || breakGlassCount(t, db, person) != 1 {
			t.Fatalf("break-glass with the right password: %d", resp.StatusCode)
		}
	})
}

func doReq(t *testing.T, c *http.Client, method, u, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// The redirect after login and after a language change stays on the site.
func TestRedirectsStayOnTheSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		cases := map[string]string{
			"/saker":                    "/saker",
			"/personer/12":              "/personer/12",
			"/\t/evil.example":          "/",
			"/\n/evil.example":          "/",
			"/\x7f/evil.example":        "/",
			"//evil.example":            "/",
			"/\\evil.example":           "/",
			"\\\\evil.example":          "/",
			"https://evil.example/":     "/",
			"javascript:alert(1)":       "/",
			"/a//evil.example":          "/",
			"/saker?x=https://evil.com": "/",
			"/\u2028/evil.example":      "/",
			"":                          "/",
		}
		for next, want := range cases {
			resp, _ := postForm(t, s.client(t, ""), s.URL+"/logg-inn", url.Values{"username": {"demo-eiendom"}, "password": {demo.Password}, "neste": {next}})
			if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != want {
				t.Errorf("login with neste=%q: %d → %q, want %q", next, resp.StatusCode, got, want)
			}
			resp, _ = postForm(t, s.client(t, ""), s.URL+"/sprak", url.Values{"lang": {"nn"}, "neste": {next}})
			if got := resp.Header.Get("Location"); got != want {
				t.Errorf("language with neste=%q: → %q, want %q", next, got, want)
			}
		}
	})
}

// /metrics needs the operator's token (or its own address), /static/ lists
// no directories, and residents cannot list staff.
func TestInternalsAreNotExposed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		anon := s.client(t, "")
		if resp, _ := get(t, anon, s.URL+"/metrics"); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("/metrics without a configured token: %d, want 404", resp.StatusCode)
		}
		const token = "0123456789abcdef0123456789abcdef"
		srv := web.New(db, web.Options{MetricsToken: token})
		withToken := httptest.NewServer(srv.Handler())
		defer withToken.Close()
		for _, h := range []map[string]string{nil, {"Authorization": "Bearer feil"}, {"Authorization": token}} {
			if resp, _ := doReq(t, anon, "GET", withToken.URL+"/metrics", "", h); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("/metrics with %v: %d, want 401", h, resp.StatusCode)
			}
		}
		resp, body := doReq(t, anon, "GET", withToken.URL+"/metrics", "", map[string]string{"Authorization": "Bearer " + token})
		if resp.StatusCode != 200 || !strings.Contains(body, "husly_http_requests_total") {
			t.Fatalf("/metrics with the token: %d", resp.StatusCode)
		}
		separate := httptest.NewServer(srv.MetricsHandler())
		defer separate.Close()
		if resp, body := get(t, anon, separate.URL+"/metrics"); resp.StatusCode != 200 || !strings.Contains(body, "husly_http_request_duration_seconds") {
			t.Fatalf("/metrics on its own address: %d", resp.StatusCode)
		}

		for _, p := range []string{"/static/", "/static/vendor/", "/static/vendor", "/static/../"} {
			if resp, body := get(t, anon, s.URL+p); resp.StatusCode == 200 || strings.Contains(body, "husly.css") || strings.Contains(body, "htmx") {
				t.Errorf("%s: %d lists the directory", p, resp.StatusCode)
			}
		}
		if resp, _ := get(t, anon, s.URL+"/static/husly.css"); resp.StatusCode != 200 {
			t.Fatalf("a static file: %d", resp.StatusCode)
		}

		resident := s.client(t, "demo-beboer")
		if resp, body := get(t, resident, s.URL+"/api/v1/staff"); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "demo-") {
			t.Fatalf("resident listing staff: %d", resp.StatusCode)
		}
		unit := queryID(t, db, "SELECT org_unit_id FROM users WHERE username = 'demo-saksbehandler'")
		if resp, body := get(t, resident, s.URL+"/api/v1/org-units/"+itoa(unit)); resp.StatusCode != 200 || strings.Contains(body, "demo-saksbehandler") {
			t.Fatalf("resident reading a unit: %d, staff shown: %v", resp.StatusCode, strings.Contains(body, "demo-saksbehandler"))
		}
		if resp, body := get(t, s.client(t, "demo-planlegger"), s.URL+"/api/v1/staff"); resp.StatusCode != 200 || !strings.Contains(body, "demo-saksbehandler") {
			t.Fatalf("staff listing staff: %d", resp.StatusCode)
		}
	})
}

// An auditor's purpose in the API header needs the same ten characters as
// the form; the unit page's API logs its reads as api; a partial matrix
// update changes only the roles it names.
func TestSmallControls(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		auditor := s.client(t, "demo-tilsyn")
		person := queryID(t, db, "SELECT person_id FROM users WHERE username = 'demo-beboer'")
		resp, body := doReq(t, auditor, "GET", s.URL+"/api/v1/persons/"+itoa(person), "", map[string]string{"X-Supervision-Reason": "x"})
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "minst 10 tegn") {
			t.Fatalf("auditor with a one-character purpose: %d %s", resp.StatusCode, body)
		}
		resp, _ = doReq(t, auditor, "GET", s.URL+"/api/v1/persons/"+itoa(person), "", map[string]string{"X-Supervision-Reason": "Tilsyn med tildeling 2026"})
		if resp.StatusCode != 200 {
			t.Fatalf("auditor with a real purpose: %d", resp.StatusCode)
		}

		leased := queryID(t, db, "SELECT MIN(unit_id) FROM leases")
		leader := s.client(t, "demo-enhetsleder")
		var before int
		db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_log WHERE channel = 'side'").Scan(&before)
		if resp, _ := get(t, leader, s.URL+"/api/v1/units/"+itoa(leased)); resp.StatusCode != 200 {
			t.Fatalf("unit detail: %d", resp.StatusCode)
		}
		var side, api int
		db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_log WHERE channel = 'side'").Scan(&side)
		db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_log WHERE channel = 'api'").Scan(&api)
		if side != before {
			t.Fatalf("the unit API logged %d reads as channel side", side-before)
		}

		admin := s.client(t, "demo-admin")
		resp, body = doReq(t, admin, "PUT", s.URL+"/api/v1/access-matrix", `{"eiendom":["grunnopplysninger","leieforhold"]}`, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("partial matrix update: %d %s", resp.StatusCode, body)
		}
		var rows, property int
		db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_matrix WHERE role = 'saksbehandler'").Scan(&rows)
		db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_matrix WHERE role = 'eiendom'").Scan(&property)
		if rows != 6 || property != 2 {
			t.Fatalf("after a partial update: case worker has %d categories (want 6), property %d (want 2)", rows, property)
		}
	})
}

// Session rows are keyed by the hash of the token, and an unchanged
// session is written back at most once a minute.
func TestSessionsHashedAndTouchedRarely(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		c := s.client(t, "demo-saksbehandler")
		base, _ := url.Parse(s.URL)
		var token string
		for _, k := range c.Jar.Cookies(base) {
			if k.Name == "husly_session" {
				token = k.Value
			}
		}
		var plain, hashed int
		db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sessions WHERE token = ?", token).Scan(&plain)
		db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sessions WHERE token = ?", web.HashToken(token)).Scan(&hashed)
		if token == "" || plain != 0 || hashed != 1 {
			t.Fatalf("session stored plain=%d hashed=%d", plain, hashed)
		}
		expiry := func() time.Time {
			var e time.Time
			if err := db.QueryRowContext(ctx, "SELECT expiry FROM sessions WHERE token = ?", web.HashToken(token)).Scan(store.ScanTime(&e)); err != nil {
				t.Fatal(err)
			}
			return e
		}
		first := expiry()
		for i := 0; i < 3; i++ {
			if resp, _ := get(t, c, s.URL+"/personer"); resp.StatusCode != 200 {
				t.Fatalf("page: %d", resp.StatusCode)
			}
		}
		if got := expiry(); !got.Equal(first) {
			t.Fatalf("the session row was rewritten within a minute: %v → %v", first, got)
		}
		// As if the last touch were two minutes ago: the next request moves the deadline.
		if _, err := db.ExecContext(ctx, "UPDATE sessions SET expiry = ? WHERE token = ?", store.TimeArg(first.Add(-2*time.Minute)), web.HashToken(token)); err != nil {
			t.Fatal(err)
		}
		get(t, c, s.URL+"/personer")
		if got := expiry(); got.Before(time.Now().Add(29*time.Minute)) || got.After(time.Now().Add(31*time.Minute)) {
			t.Fatalf("idle deadline after a touch: %v", got)
		}
		// An idle session still ends: past its deadline it is gone.
		if _, err := db.ExecContext(ctx, "UPDATE sessions SET expiry = ? WHERE token = ?", store.TimeArg(time.Now().Add(-time.Second)), web.HashToken(token)); err != nil {
			t.Fatal(err)
		}
		if resp, _ := get(t, c, s.URL+"/personer"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("an expired session still works: %d", resp.StatusCode)
		}
	})
}
