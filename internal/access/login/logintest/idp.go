// Package logintest is an OpenID Connect identity provider for tests:
// discovery, authorize with PKCE, token and JWKS, signing ID tokens with
// RS256, in process.
package logintest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// IdP is a small OpenID Connect provider, in process, that signs in
// whichever subject the test sets: enough of the protocol (discovery,
// authorize with PKCE, token, JWKS) to exercise Husly's side for real.
type IdP struct {
	*httptest.Server
	key    *rsa.PrivateKey
	mu     sync.Mutex
	claims map[string]any            // the next login's claims
	codes  map[string]map[string]any // code → claims, nonce, challenge
	// Nonce, if set, replaces the nonce in the next token (to test a replay).
	Nonce string
}

// NewIdP starts a provider that stops when the test ends.
func NewIdP(t testing.TB) *IdP {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	p := &IdP{key: key, codes: map[string]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		if err := json.NewEncoder(w).Encode(map[string]any{"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize",
			"token_endpoint": p.URL + "/token", "jwks_uri": p.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"},
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"}}); err != nil {
			t.Error(err) // a handler runs outside the test goroutine
		}
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		if err := json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}}); err != nil {
			t.Error(err)
		}
	})
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		p.mu.Lock()
		code := "code-" + q.Get("state")[:8]
		nonce := q.Get("nonce")
		if p.Nonce != "" {
			nonce = p.Nonce
		}
		p.codes[code] = map[string]any{"claims": p.claims, "nonce": nonce, "challenge": q.Get("code_challenge"), "client": q.Get("client_id")}
		p.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?code="+code+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		p.mu.Lock()
		c := p.codes[r.PostFormValue("code")]
		delete(p.codes, r.PostFormValue("code"))
		p.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		if c == nil || base64.RawURLEncoding.EncodeToString(sum[:]) != c["challenge"] {
			w.WriteHeader(http.StatusBadRequest)
			if err := json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"}); err != nil {
				t.Error(err)
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
			t.Error(err)
		}
	})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

// SignIn sets the claims of the next login (a "sub" claim replaces the default subject).
func (p *IdP) SignIn(claims map[string]any) {
	p.mu.Lock()
	p.claims = claims
	p.mu.Unlock()
}
