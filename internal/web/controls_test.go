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
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_reads WHERE channel = 'side'").Scan(&before); err != nil {
			t.Fatal(err)
		}
		if resp, _ := get(t, leader, s.URL+"/api/v1/units/"+itoa(leased)); resp.StatusCode != 200 {
			t.Fatalf("unit detail: %d", resp.StatusCode)
		}
		var side, api int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_reads WHERE channel = 'side'").Scan(&side); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_reads WHERE channel = 'api'").Scan(&api); err != nil {
			t.Fatal(err)
		}
		if side != before {
			t.Fatalf("the unit API logged %d reads as channel side", side-before)
		}

		admin := s.client(t, "demo-admin")
		resp, body = doReq(t, admin, "PUT", s.URL+"/api/v1/access-matrix", `{"eiendom":["grunnopplysninger","leieforhold"]}`, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("partial matrix update: %d %s", resp.StatusCode, body)
		}
		var rows, property int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_matrix WHERE role = 'saksbehandler'").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_matrix WHERE role = 'eiendom'").Scan(&property); err != nil {
			t.Fatal(err)
		}
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
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sessions WHERE token = ?", token).Scan(&plain); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sessions WHERE token = ?", web.HashToken(token)).Scan(&hashed); err != nil {
			t.Fatal(err)
		}
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

// Emergency access without consent does not open health notes, as an
// ordinary relationship without consent does not; the municipality's
// exception opens them and shows in the access log.
func TestBreakGlassFollowsTheConsentRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		mid := queryID(t, db, "SELECT id FROM municipalities WHERE number = '1505'")
		person := storetest.InsertPerson(t, db, mid, identity.Synthetic(410002), "Glass", "Person")
		if _, err := db.ExecContext(ctx, "INSERT INTO notes (municipality_id, person_id, category, body, author_name, written_at) VALUES (?, ?, 'helse', 'HELSEMARKØR', 'Test', ?)",
			mid, person, store.TimeArg(time.Now())); err != nil {
			t.Fatal(err)
		}
		c := s.client(t, "demo-oppfolging") // the role may see health, with consent
		resp, _ := postJSON(t, c, s.URL+"/api/v1/persons/"+itoa(person)+"/break-glass", `{"reason":"Akutt behov for å avklare bolig i natt","password":"`+demo.Password+`"}`)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("break-glass: %d", resp.StatusCode)
		}
		resp, body := get(t, c, s.URL+"/api/v1/persons/"+itoa(person))
		if resp.StatusCode != 200 || strings.Contains(body, "HELSEMARKØR") {
			t.Fatalf("emergency access without consent showed the health note (status %d)", resp.StatusCode)
		}
		var special int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_reads WHERE person_id = ? AND basis = 'nodtilgang_unntak'", person).Scan(&special); err != nil {
			t.Fatal(err)
		}
		if special != 0 {
			t.Fatal("the exception was logged while off")
		}
		// Only an administrator turns the exception on.
		if resp, _ := postForm(t, c, s.URL+"/tilgang/nodtilgang-unntak", url.Values{"special": {"ja"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("follow-up worker setting the exception: %d", resp.StatusCode)
		}
		if resp, _ := postForm(t, s.client(t, "demo-admin"), s.URL+"/tilgang/nodtilgang-unntak", url.Values{"special": {"ja"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("administrator setting the exception: %d", resp.StatusCode)
		}
		resp, body = get(t, c, s.URL+"/api/v1/persons/"+itoa(person))
		if resp.StatusCode != 200 || !strings.Contains(body, "HELSEMARKØR") {
			t.Fatalf("under the exception the health note is not shown (status %d)", resp.StatusCode)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_reads WHERE person_id = ? AND basis = 'nodtilgang_unntak' AND categories LIKE '%helse%'", person).Scan(&special); err != nil {
			t.Fatal(err)
		}
		if special == 0 {
			t.Fatal("a read under the exception is not marked in the access log")
		}
		var audited int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE entity = 'nødtilgang for særlige kategorier'").Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != 1 {
			t.Fatalf("the change of the exception is in the audit chain %d times, want 1", audited)
		}
	})
}

// Emergency access is reviewed by a leader other than the one who opened
// it: up the organisation when the unit has none, else by the auditor.
func TestBreakGlassReviewRouting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		mid := queryID(t, db, "SELECT id FROM municipalities WHERE number = '1505'")
		person := storetest.InsertPerson(t, db, mid, identity.Synthetic(410003), "Rute", "Person")
		open := func(user string) int64 {
			c := s.client(t, user)
			resp, body := postJSON(t, c, s.URL+"/api/v1/persons/"+itoa(person)+"/break-glass", `{"reason":"Akutt behov for å avklare bolig i natt","password":"`+demo.Password+`"}`)
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("%s break-glass: %d %s", user, resp.StatusCode, body)
			}
			return queryID(t, db, "SELECT MAX(b.id) FROM break_glass b JOIN users u ON u.id = b.user_id WHERE u.username = ?", user)
		}
		reviewUnit := func(id int64) int64 {
			var u int64
			if err := db.QueryRowContext(ctx, "SELECT COALESCE(review_unit_id, 0) FROM break_glass WHERE id = ?", id).Scan(&u); err != nil {
				t.Fatal(err)
			}
			return u
		}
		leaderUnit := queryID(t, db, "SELECT org_unit_id FROM users WHERE username = 'demo-enhetsleder'")

		// The leader's own access: the only leader of the unit is the opener, and no unit above has one.
		own := open("demo-enhetsleder")
		if u := reviewUnit(own); u != 0 {
			t.Fatalf("the leader's own access was routed to unit %d, want the auditor", u)
		}
		leader := s.client(t, "demo-enhetsleder")
		resp, _ := postForm(t, leader, s.URL+"/tilgang/nodtilgang/"+itoa(own)+"/gjennomgang", url.Values{"note": {"Sett"}})
		var reviewed int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM break_glass WHERE id = ? AND reviewed_at IS NOT NULL", own).Scan(&reviewed); err != nil {
			t.Fatal(err)
		}
		if reviewed != 0 || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a leader reviewed their own emergency access (status %d)", resp.StatusCode)
		}
		_, page := get(t, leader, s.URL+"/tilgang")
		if !strings.Contains(page, "Du kan ikke gjennomgå din egen nødtilgang") {
			t.Fatal("no message for a refused self-review")
		}

		// A follow-up worker in the leader's unit: the leader reviews.
		team := open("demo-oppfolging")
		if u := reviewUnit(team); u != leaderUnit {
			t.Fatalf("the team's access routed to %d, want the leader's unit %d", u, leaderUnit)
		}
		// A case worker whose unit has no leader: up the line to the management, which has none either: the auditor.
		office := open("demo-saksbehandler")
		if u := reviewUnit(office); u != 0 {
			t.Fatalf("an access from a unit without a leader routed to %d, want the auditor", u)
		}
		// With a leader placed in the management, the same access goes there.
		mgmt := queryID(t, db, "SELECT id FROM org_units WHERE kind = 'ledelse' AND municipality_id = ?", mid)
		if _, err := db.ExecContext(ctx, "UPDATE users SET org_unit_id = ?, role = 'enhetsleder' WHERE username = 'demo-planlegger'", mgmt); err != nil {
			t.Fatal(err)
		}
		office2 := open("demo-saksbehandler")
		if u := reviewUnit(office2); u != mgmt {
			t.Fatalf("with a leader above, the access routed to %d, want %d", u, mgmt)
		}

		// The Tilgang page shows each leader what is theirs and who reviews the rest.
		_, page = get(t, leader, s.URL+"/tilgang")
		if !strings.Contains(page, "/tilgang/nodtilgang/"+itoa(team)+"/gjennomgang") || strings.Contains(page, "/tilgang/nodtilgang/"+itoa(own)+"/gjennomgang") {
			t.Fatal("the leader's review list is wrong")
		}
		auditor := s.client(t, "demo-tilsyn")
		_, page = get(t, auditor, s.URL+"/tilgang")
		if !strings.Contains(page, "/tilgang/nodtilgang/"+itoa(own)+"/gjennomgang") || strings.Contains(page, "/tilgang/nodtilgang/"+itoa(team)+"/gjennomgang") ||
			!strings.Contains(page, "Tilsynet (ingen leder å sende til)") {
			t.Fatal("the auditor's review list is wrong")
		}
		if resp, _ := postForm(t, auditor, s.URL+"/tilgang/nodtilgang/"+itoa(team)+"/gjennomgang", url.Values{"note": {"Sett"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the auditor reviewing a leader's event: %d", resp.StatusCode)
		}
		if resp, _ := postForm(t, auditor, s.URL+"/tilgang/nodtilgang/"+itoa(own)+"/gjennomgang", url.Values{"note": {"Gjennomgått av tilsynet"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the auditor reviewing the leader's own event: %d", resp.StatusCode)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM break_glass WHERE id = ? AND reviewed_at IS NOT NULL", own).Scan(&reviewed); err != nil {
			t.Fatal(err)
		}
		if reviewed != 1 {
			t.Fatal("the auditor's review was not recorded")
		}
	})
}

// Registering a number that belongs to someone the user may not see gets
// an answer that says nothing about the person, and the attempt is kept.
func TestRegistrationIsNoOracle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		mid := queryID(t, db, "SELECT id FROM municipalities WHERE number = '1505'")
		hidden1 := storetest.InsertPerson(t, db, mid, identity.Synthetic(410011), "Skjult", "Enpersen")
		storetest.InsertPerson(t, db, mid, identity.Synthetic(410012), "Annen", "Topersen")
		c := s.client(t, "demo-saksbehandler")
		register := func(number string) (*http.Response, string) {
			return postJSON(t, c, s.URL+"/api/v1/persons", `{"identity_number":"`+number+`","first_name":"Gå","last_name":"Inn"}`)
		}
		resp1, body1 := register(identity.Synthetic(410011))
		resp2, body2 := register(identity.Synthetic(410012))
		if resp1.StatusCode != http.StatusAccepted || resp2.StatusCode != http.StatusAccepted || body1 != body2 {
			t.Fatalf("hidden numbers: %d %q / %d %q, want the same 202", resp1.StatusCode, body1, resp2.StatusCode, body2)
		}
		for _, leak := range []string{"Skjult", "Enpersen", "allerede", itoa(hidden1)} {
			if strings.Contains(body1, leak) {
				t.Fatalf("the answer reveals %q: %s", leak, body1)
			}
		}
		var checks, audited, persons int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM registration_checks WHERE person_id = ?", hidden1).Scan(&checks); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'registrering sendt til kontroll' AND entity_id = ?", hidden1).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM persons WHERE first_name = 'Gå'").Scan(&persons); err != nil {
			t.Fatal(err)
		}
		if checks != 1 || audited != 1 || persons != 0 {
			t.Fatalf("attempt recorded %d/%d times, %d duplicate persons made", checks, audited, persons)
		}
		if resp, _ := get(t, c, s.URL+"/api/v1/persons/"+itoa(hidden1)); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the attempt gave access: %d", resp.StatusCode)
		}
		// The unit holding the case sees the request on Tilgang; the registering user does not.
		team := queryID(t, db, "SELECT org_unit_id FROM users WHERE username = 'demo-oppfolging'")
		if _, err := db.ExecContext(ctx, "INSERT INTO case_units (municipality_id, person_id, org_unit_id, responsibility, started_at) VALUES (?, ?, ?, 'oppfølging', ?)",
			mid, hidden1, team, store.TimeArg(time.Now().Add(-time.Hour))); err != nil {
			t.Fatal(err)
		}
		if _, page := get(t, s.client(t, "demo-oppfolging"), s.URL+"/tilgang"); !strings.Contains(page, "Registreringer til kontroll") || !strings.Contains(page, "/personer/"+itoa(hidden1)) {
			t.Fatal("the unit holding the case does not see the registration sent for checking")
		}
		if _, page := get(t, c, s.URL+"/tilgang"); strings.Contains(page, "Registreringer til kontroll") {
			t.Fatal("the registering user sees the check")
		}
		// A walk-in who is new is registered at once, and a second try by the
		// same unit (who now sees them) is told they exist.
		fresh := identity.Synthetic(410013)
		if resp, _ := register(fresh); resp.StatusCode != http.StatusCreated {
			t.Fatalf("a new person: %d", resp.StatusCode)
		}
		if resp, body := register(fresh); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "allerede registrert") {
			t.Fatalf("a person the user sees: %d %s", resp.StatusCode, body)
		}
		// The third hidden number is the day's last answer; after it every
		// registration by number is refused, hidden or new, and the leader
		// of the user's unit is told.
		if resp, body := register(identity.Synthetic(410011)); resp.StatusCode != http.StatusAccepted || body != body1 {
			t.Fatalf("the third hidden number: %d %s", resp.StatusCode, body)
		}
		respHidden, bodyHidden := register(identity.Synthetic(410012))
		respNew, bodyNew := register(identity.Synthetic(410014))
		if respHidden.StatusCode != http.StatusTooManyRequests || respNew.StatusCode != http.StatusTooManyRequests || bodyHidden != bodyNew ||
			!strings.Contains(bodyNew, "dagens grense") {
			t.Fatalf("past the limit: %d %s / %d %s, want the same 429", respHidden.StatusCode, bodyHidden, respNew.StatusCode, bodyNew)
		}
		if _, body := get(t, s.client(t, "demo-tilsyn"), s.URL+"/api/v1/registration-limits"); !strings.Contains(body, `"checks":3`) {
			t.Fatalf("the auditor's notices: %s", body)
		}
		// Registration by number needs the number's category: property staff lack it.
		if resp, body := postJSON(t, s.client(t, "demo-eiendom"), s.URL+"/api/v1/persons", `{"identity_number":"`+identity.Synthetic(410015)+`","first_name":"Gå","last_name":"Inn"}`); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "fødselsnummer") {
			t.Fatalf("property staff registering by number: %d %s", resp.StatusCode, body)
		}
	})
}
