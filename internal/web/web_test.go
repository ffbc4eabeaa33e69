package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"husly/internal/demo"
	"husly/internal/demo/demotest"
	"husly/internal/personaldata"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// site is a running Husly with the demo municipality.
type site struct {
	*httptest.Server
	db *store.DB
}

func newSite(t *testing.T, db *store.DB) site {
	t.Helper()
	seedDemo(t, db)
	srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
	t.Cleanup(srv.Close)
	return site{srv, db}
}

// seedDemo fills a fresh test database with the demo municipality (seed 1),
// copied from a template the process builds once.
func seedDemo(t testing.TB, db *store.DB) {
	t.Helper()
	demotest.Seed(t, db, 1)
}

// client returns an HTTP client that does not follow redirects, signed in
// as username when it is not empty.
func (s site) client(t *testing.T, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if username != "" {
		resp, err := c.PostForm(s.URL+"/logg-inn", url.Values{"username": {username}, "password": {demo.Password}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login as %s: status %d", username, resp.StatusCode)
		}
	}
	return c
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func postJSON(t *testing.T, c *http.Client, u string, body string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func TestLoginAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		anon := s.client(t, "")
		resp, _ := get(t, anon, s.URL+"/personer")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logg-inn?neste=/personer" {
			t.Fatalf("anonymous /personer: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, err := anon.PostForm(s.URL+"/logg-inn", url.Values{"username": {"demo-saksbehandler"}, "password": {"feil"}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "Feil brukernavn eller passord") {
			t.Fatalf("wrong password: %d", resp.StatusCode)
		}
		// Session fixation: the token a visitor had before login is not the one after.
		u, _ := url.Parse(s.URL)
		before := anon.Jar.Cookies(u)
		c := s.client(t, "demo-saksbehandler")
		after := c.Jar.Cookies(u)
		if len(after) == 0 || (len(before) > 0 && before[0].Value == after[0].Value) {
			t.Fatal("session token not renewed at login")
		}
		resp, page := get(t, c, s.URL+"/")
		if resp.StatusCode != 200 || !strings.Contains(page, `<html lang="nb"`) || !strings.Contains(page, "Kristiansund kommune") {
			t.Fatalf("dashboard: %d", resp.StatusCode)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
			if resp.Header.Get(h) == "" {
				t.Errorf("missing security header %s", h)
			}
		}
		// Logging out ends the session on the server too.
		cookies := c.Jar.Cookies(u)
		out, err := c.PostForm(s.URL+"/logg-ut", nil)
		if err != nil {
			t.Fatal(err)
		}
		out.Body.Close()
		replay := s.client(t, "")
		replay.Jar.SetCookies(u, cookies)
		if resp, _ := get(t, replay, s.URL+"/"); resp.StatusCode != http.StatusSeeOther {
			t.Fatal("a logged-out session still works")
		}
	})
}

func TestLockoutAfterFailedLogins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := s.client(t, "")
		for i := 0; i < 5; i++ {
			resp, _ := c.PostForm(s.URL+"/logg-inn", url.Values{"username": {"demo-eiendom"}, "password": {"gjett" + string(rune('a'+i))}})
			resp.Body.Close()
		}
		resp, _ := c.PostForm(s.URL+"/logg-inn", url.Values{"username": {"demo-eiendom"}, "password": {demo.Password}})
		resp.Body.Close()
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("right password during lockout: status %d, want 429", resp.StatusCode)
		}
	})
}

// Every page answers every role as the role allows.
func TestPagesByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		// A tenant who is not the demo resident: the property unit has a role on every tenancy.
		tenant := queryID(t, db, `SELECT MIN(t.person_id) FROM lease_tenants t WHERE t.person_id <> (SELECT person_id FROM users WHERE username = 'demo-beboer')`)
		person := "/personer/" + itoa(tenant)
		pages := []string{"/", "/personer", person, "/boliger", "/boliger?kategori=bofellesskap&rullestol=ja&rom=1", "/boliger/1", "/organisasjon", "/organisasjon/1", "/tilgang"}
		want := map[string][]int{
			"demo-saksbehandler": {200, 200, 200, 200, 200, 200, 200, 200, 200},
			"demo-eiendom":       {200, 200, 200, 200, 200, 200, 200, 200, 200},
			"demo-planlegger":    {200, 403, 403, 200, 200, 200, 200, 200, 200},
			"demo-admin":         {200, 403, 403, 200, 200, 200, 200, 200, 200},
			"demo-beboer":        {200, 403, 403, 403, 403, 404, 403, 404, 403},
		}
		for user, codes := range want {
			c := s.client(t, user)
			for i, p := range pages {
				resp, body := get(t, c, s.URL+p)
				if resp.StatusCode != codes[i] {
					t.Errorf("%s %s: status %d, want %d", user, p, resp.StatusCode, codes[i])
				}
				if !strings.Contains(body, `lang="nb"`) {
					t.Errorf("%s %s: no lang=nb", user, p)
				}
			}
		}
		// A planner sees the unit but not who lives there.
		_, body := get(t, s.client(t, "demo-planlegger"), s.URL+"/boliger/400")
		if strings.Contains(body, "/personer/") {
			t.Error("planner saw tenants")
		}
		// The resident's own page shows their own name.
		_, body = get(t, s.client(t, "demo-beboer"), s.URL+"/")
		if !strings.Contains(body, "Min side") {
			t.Error("resident page missing")
		}
	})
}

func TestPersonSearchKeepsNumbersOutOfURLs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := s.client(t, "demo-saksbehandler")
		number := storetest.NumberOf(t, db, 7)
		resp, err := c.PostForm(s.URL+"/personer/sok", url.Values{"q": {number}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `href="/personer/7"`) {
			t.Fatalf("search by number: %d", resp.StatusCode)
		}
		if strings.Contains(string(body), number) && !strings.Contains(string(body), `value="`+number+`"`) {
			t.Error("full identity number shown outside the search field")
		}
		// htmx asks for the results only.
		req, _ := http.NewRequest("POST", s.URL+"/personer/sok", strings.NewReader("q=han"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		resp, err = c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "<html") || !strings.Contains(string(body), "<table") {
			t.Error("htmx search did not return a partial")
		}
	})
}

func TestCrossOriginPostRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := s.client(t, "demo-saksbehandler")
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/persons", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site POST: status %d", resp.StatusCode)
		}
	})
}

func TestHealthAndMetrics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedDemo(t, db)
		w := web.New(db, web.Options{})
		s := site{httptest.NewServer(w.Handler()), db}
		defer s.Close()
		c := s.client(t, "")
		for _, p := range []string{"/healthz", "/readyz"} {
			if resp, _ := get(t, c, s.URL+p); resp.StatusCode != 200 {
				t.Errorf("%s: %d", p, resp.StatusCode)
			}
		}
		// The metrics are the operator's: on an address of their own (or with a token, see TestInternalsAreNotExposed).
		metrics := httptest.NewServer(w.MetricsHandler())
		defer metrics.Close()
		if _, body := get(t, c, metrics.URL+"/metrics"); !strings.Contains(body, `husly_http_requests_total{code="200",route="GET /healthz"}`) {
			t.Error("request metrics missing")
		}
	})
}

func TestCatalogsComplete(t *testing.T) {
	read := func(lang string) map[string]string {
		m, err := web.WebLocaleForTest(lang)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	nb := read("nb")
	for _, lang := range []string{"nn", "en"} {
		other := read(lang)
		for k := range nb {
			if other[k] == "" {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
		for k := range other {
			if _, ok := nb[k]; !ok {
				t.Errorf("%s has %q, which bokmål lacks", lang, k)
			}
		}
	}
}

// Every dossier section the registry declares has its heading in the
// catalogues, and bokmål says what the registry says.
func TestDossierSectionsInCatalogs(t *testing.T) {
	nb, err := web.WebLocaleForTest("nb")
	if err != nil {
		t.Fatal(err)
	}
	sections := personaldata.Default().Sections()
	if len(sections) < 10 {
		t.Fatalf("only %d dossier sections registered", len(sections))
	}
	for _, sec := range sections {
		if got := nb["dossier."+sec.Key]; got != sec.Title {
			t.Errorf("dossier.%s is %q in nb.json, the registry says %q", sec.Key, got, sec.Title)
		}
	}
}

func timeNow() time.Time  { return time.Now() }
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func queryID(t *testing.T, db *store.DB, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&id); err != nil || id == 0 {
		t.Fatalf("%s: %d %v", q, id, err)
	}
	return id
}
