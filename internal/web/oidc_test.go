package web_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"husly/internal/demo"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// testIdP is a small OpenID Connect provider, in process, that signs in
// whichever subject the test sets: enough of the protocol (discovery,
// authorize with PKCE, token, JWKS) to exercise Husly's side for real.
type testIdP struct {
	*httptest.Server
	key    *rsa.PrivateKey
	mu     sync.Mutex
	claims map[string]any            // the next login's claims
	codes  map[string]map[string]any // code → claims, nonce, challenge
	nonce  string                    // if set, overrides the nonce (to test a replay)
}

func newTestIdP(t *testing.T) *testIdP {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	p := &testIdP{key: key, codes: map[string]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		if err := json.NewEncoder(w).Encode(map[string]any{"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize",
			"token_endpoint": p.URL + "/token", "jwks_uri": p.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"},
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"}}); err != nil {
			t.Error(err)
		}
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		if err := json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}}); err != nil {
			t.Error(err) // a handler runs outside the test goroutine
		}
	})
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		p.mu.Lock()
		code := "code-" + q.Get("state")[:8]
		nonce := q.Get("nonce")
		if p.nonce != "" {
			nonce = p.nonce
		}
		p.codes[code] = map[string]any{"claims": p.claims, "nonce": nonce, "challenge": q.Get("code_challenge"), "client": q.Get("client_id")}
		p.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?code="+code+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err) // a handler runs outside the test goroutine
		}
		p.mu.Lock()
		c := p.codes[r.PostFormValue("code")]
		delete(p.codes, r.PostFormValue("code"))
		p.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		if c == nil || base64.RawURLEncoding.EncodeToString(sum[:]) != c["challenge"] {
			w.WriteHeader(http.StatusBadRequest)
			if err := json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"}); err != nil {
				t.Error(err) // a handler runs outside the test goroutine
			}
			return
		}
		signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
		claims := map[string]any{"iss": p.URL, "aud": c["client"], "sub": "test-subject", "iat": time.Now().Unix(),
			"exp": time.Now().Add(5 * time.Minute).Unix(), "nonce": c["nonce"]}
		for k, v := range c["claims"].(map[string]any) {
			claims[k] = v
		}
		idToken, _ := jwt.Signed(signer).Claims(claims).Serialize()
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": idToken}); err != nil {
			t.Error(err) // a handler runs outside the test goroutine
		}
	})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

func (p *testIdP) signIn(claims map[string]any) {
	p.mu.Lock()
	p.claims = claims
	p.mu.Unlock()
}

func TestOIDCLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Create(t.Context(), db, 1); err != nil {
			t.Fatal(err)
		}
		staffIdP, idporten := newTestIdP(t), newTestIdP(t)
		srv := httptest.NewServer(web.New(db, web.Options{OIDC: []*web.OIDCProvider{
			{Name: "ansatt", Label: "Entra ID", Issuer: staffIdP.URL, ClientID: "husly", ClientSecret: "hemmelig"},
			{Name: "idporten", Label: "ID-porten", Issuer: idporten.URL, ClientID: "husly-innbygger", ClientSecret: "hemmelig", Residents: true},
		}}).Handler())
		defer srv.Close()
		s := site{srv, db}
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
		// Staff: matched by preferred_username, landing where they were going.
		staffIdP.signIn(map[string]any{"preferred_username": "demo-eiendom", "email": "erik@kristiansund.example"})
		c, code, body := login("ansatt")
		if code != 200 || !strings.HasPrefix(body, "/boliger\n") || !strings.Contains(body, "Erik Eiendom") {
			t.Fatalf("staff login: %d %s", code, body[:min(len(body), 200)])
		}
		if resp, _ := get(t, c, s.URL+"/api/v1/me"); resp.StatusCode != 200 {
			t.Fatal("no session after OIDC login")
		}
		// Someone the provider knows but Husly does not.
		staffIdP.signIn(map[string]any{"preferred_username": "ukjent@annen.example"})
		if _, code, body := login("ansatt"); code != 401 || !strings.Contains(body, "ingen aktiv brukerkonto") {
			t.Fatalf("unknown staff: %d", code)
		}
		// A resident through ID-porten: found by pid via the blind index, a login made on first use.
		pid := storetest.NumberOf(t, db, queryID(t, db, "SELECT MAX(id) FROM persons"))
		idporten.signIn(map[string]any{"pid": pid})
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
		idporten.nonce = "replayed"
		if _, code, body := login("idporten"); code != 401 || !strings.Contains(body, "kunne ikke bekreftes") {
			t.Fatalf("replayed nonce: %d", code)
		}
		idporten.nonce = ""
		// A callback without the session's state is refused.
		resp, _ := get(t, s.client(t, ""), s.URL+"/logg-inn/oidc/idporten/tilbake?code=x&state=y")
		if resp.StatusCode != 401 {
			t.Fatalf("forged callback: %d", resp.StatusCode)
		}
	})
}
