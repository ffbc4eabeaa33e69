package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"husly/internal/access/login/logintest"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

func TestOIDCLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedDemo(t, db)
		staffIdP, idporten := logintest.NewIdP(t), logintest.NewIdP(t)
		srv := httptest.NewServer(web.New(db, web.Options{OIDC: []*web.OIDCProvider{
			{Name: "ansatt", Label: "Entra ID", Issuer: staffIdP.URL, ClientID: "husly", ClientSecret: "hemmelig"},
			{Name: "idporten", Label: "ID-porten", Issuer: idporten.URL, ClientID: "husly-innbygger", ClientSecret: "hemmelig", Residents: true},
		}}).Handler())
		defer srv.Close()
		s := site{Server: srv, db: db}
		login := func(provider string) (*http.Client, int, string) {
			c := s.client(t, "")
			c.CheckRedirect = nil // follow the whole dance
			next := "/boliger"
			if provider == "idporten" {
				next = "/"
			}
			resp, err := c.Get(s.URL + "/logg-inn/oidc/" + provider + "?neste=" + next)
			if err != nil {
				t.Fatal(err)
			}
			b := new(strings.Builder)
			buf := make([]byte, 4096)
			for {
				n, err := resp.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			resp.Body.Close()
			return c, resp.StatusCode, resp.Request.URL.Path + "\n" + b.String()
		}
		// Staff: linked on first login by preferred_username within the municipality, landing where they were going.
		staffIdP.SignIn(map[string]any{"sub": "entra-erik", "preferred_username": "demo-eiendom", "email": "erik@kristiansund.example"})
		c, code, body := login("ansatt")
		if code != 200 || !strings.HasPrefix(body, "/boliger\n") || !strings.Contains(body, "Erik Eiendom") {
			t.Fatalf("staff login: %d %s", code, body[:min(len(body), 200)])
		}
		if resp, _ := get(t, c, s.URL+"/api/v1/me"); resp.StatusCode != 200 {
			t.Fatal("no session after OIDC login")
		}
		// Someone the provider knows but Husly does not.
		staffIdP.SignIn(map[string]any{"sub": "entra-ukjent", "preferred_username": "ukjent@annen.example"})
		if _, code, body := login("ansatt"); code != 401 || !strings.Contains(body, "ingen aktiv brukerkonto") {
			t.Fatalf("unknown staff: %d", code)
		}
		// Another subject claiming the same user name is not let in: the account is linked already.
		staffIdP.SignIn(map[string]any{"sub": "entra-imposter", "preferred_username": "demo-eiendom"})
		if _, code, body := login("ansatt"); code != 401 || !strings.Contains(body, "allerede koblet") {
			t.Fatalf("a second subject with the same user name: %d", code)
		}
		// Once linked, the subject signs in even if the provider's user name changes.
		staffIdP.SignIn(map[string]any{"sub": "entra-erik", "preferred_username": "erik.ny@kristiansund.example"})
		if _, code, body := login("ansatt"); code != 200 || !strings.Contains(body, "Erik Eiendom") {
			t.Fatalf("linked subject with a new user name: %d", code)
		}
		// A resident through ID-porten: found by pid via the blind index, a login made on first use.
		pid := storetest.NumberOf(t, db, queryID(t, db, "SELECT MAX(id) FROM persons"))
		idporten.SignIn(map[string]any{"sub": "idporten-sub-1", "pid": pid})
		c, code, body = login("idporten")
		if code != 200 {
			t.Fatalf("resident login: %d %s", code, body[:min(len(body), 300)])
		}
		if resp, b := get(t, c, s.URL+"/api/v1/me/record"); resp.StatusCode != 200 || !strings.Contains(b, `"basis":"egen"`) {
			t.Fatalf("resident record: %d %s", resp.StatusCode, b)
		}
		// A second login reuses the same resident account.
		login("idporten")
		var accounts int
		if err := db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM users WHERE username LIKE 'idporten-%'").Scan(&accounts); err != nil {
			t.Fatal(err)
		}
		if accounts != 1 {
			t.Fatalf("%d resident accounts after two logins", accounts)
		}
		// A token whose nonce does not match the session's is refused.
		idporten.Nonce = "replayed"
		if _, code, body := login("idporten"); code != 401 || !strings.Contains(body, "kunne ikke bekreftes") {
			t.Fatalf("replayed nonce: %d", code)
		}
		idporten.Nonce = ""
		// A callback without the session's state is refused.
		resp, _ := get(t, s.client(t, ""), s.URL+"/logg-inn/oidc/idporten/tilbake?code=x&state=y")
		if resp.StatusCode != 401 {
			t.Fatalf("forged callback: %d", resp.StatusCode)
		}
	})
}

// Staff who sign in only through the identity provider confirm emergency
// access with a fresh authentication there, checked as theirs and recent.
func TestBreakGlassStepUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedDemo(t, db)
		if _, err := db.ExecContext(t.Context(), "UPDATE users SET password_hash = '' WHERE username = 'demo-eiendom'"); err != nil {
			t.Fatal(err)
		}
		idp := logintest.NewIdP(t)
		srv := httptest.NewServer(web.New(db, web.Options{OIDC: []*web.OIDCProvider{
			{Name: "ansatt", Label: "Entra ID", Issuer: idp.URL, ClientID: "husly", ClientSecret: "hemmelig"}}}).Handler())
		defer srv.Close()
		s := site{Server: srv, db: db}
		c := s.client(t, "")
		c.CheckRedirect = nil
		idp.SignIn(map[string]any{"sub": "entra-erik", "preferred_username": "demo-eiendom"})
		if resp, _ := get(t, c, s.URL+"/logg-inn/oidc/ansatt?neste=/"); resp.StatusCode != 200 {
			t.Fatalf("OIDC login: %d", resp.StatusCode)
		}
		mid := queryID(t, db, "SELECT id FROM municipalities WHERE number = '1505'")
		person := storetest.InsertPerson(t, db, mid, identity.Synthetic(430001), "Steg", "Opp")
		page := s.URL + "/personer/" + itoa(person)
		if _, body := get(t, c, page); !strings.Contains(body, `name="bekreft" value="idp"`) || strings.Contains(body, "bg-password") {
			t.Fatal("the emergency-access form does not offer confirming through the identity provider")
		}
		open := func(claims map[string]any) (*http.Response, string) {
			idp.SignIn(claims)
			return postForm(t, c, page+"/nodtilgang", url.Values{"reason": {"Akutt behov for å avklare bolig i natt"}, "bekreft": {"idp"}})
		}
		// An old authentication, or someone else's, does not confirm it.
		resp, body := open(map[string]any{"sub": "entra-erik", "auth_time": time.Now().Add(-time.Hour).Unix()})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "kunne ikke bekreftes") {
			t.Fatalf("stale authentication: %d", resp.StatusCode)
		}
		resp, _ = open(map[string]any{"sub": "entra-noen-andre", "auth_time": time.Now().Unix()})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("another subject: %d", resp.StatusCode)
		}
		if breakGlassCount(t, db, person) != 0 {
			t.Fatal("emergency access opened without a fresh authentication of the user")
		}
		resp, _ = open(map[string]any{"sub": "entra-erik", "auth_time": time.Now().Unix()})
		if resp.StatusCode != 200 || resp.Request.URL.Path != "/personer/"+itoa(person) || breakGlassCount(t, db, person) != 1 {
			t.Fatalf("fresh authentication: %d at %s, %d rows", resp.StatusCode, resp.Request.URL.Path, breakGlassCount(t, db, person))
		}
	})
}
