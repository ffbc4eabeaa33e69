package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/identity"
	"husly/internal/org"
	"husly/internal/store"
)

// OIDCProvider is an OpenID Connect identity provider Husly signs users in
// with: Entra ID (or any OIDC provider) for staff, ID-porten for residents.
type OIDCProvider struct {
	Name         string // "ansatt" or "idporten": the path segment
	Label        string // the button text
	Issuer       string
	ClientID     string
	ClientSecret string
	Residents    bool // true: the person is found by the "pid" claim (fødselsnummer)

	once     sync.Mutex
	provider *oidc.Provider
}

// discover finds the provider's endpoints the first time they are needed,
// so Husly starts even while an identity provider is down.
func (p *OIDCProvider) discover(ctx context.Context) (*oidc.Provider, error) {
	p.once.Lock()
	defer p.once.Unlock()
	if p.provider != nil {
		return p.provider, nil
	}
	prov, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		return nil, err
	}
	p.provider = prov
	return prov, nil
}

func (s *Server) oidcProvider(name string) *OIDCProvider {
	for _, p := range s.opts.OIDC {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func (s *Server) oauthConfig(r *http.Request, p *OIDCProvider, prov *oidc.Provider) *oauth2.Config {
	base := s.opts.PublicURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: prov.Endpoint(),
		RedirectURL: strings.TrimSuffix(base, "/") + "/logg-inn/oidc/" + p.Name + "/tilbake", Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// oidcStart sends the browser to the identity provider with a fresh state,
// nonce and PKCE verifier kept in the session.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) {
	p := s.oidcProvider(r.PathValue("provider"))
	if p == nil {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	prov, err := p.discover(r.Context())
	if err != nil {
		s.oidcFailed(w, r, "Innloggingstjenesten svarer ikke akkurat nå. Prøv igjen om litt.", err)
		return
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	ctx := r.Context()
	s.sessions.Put(ctx, "oidc_state", state)
	s.sessions.Put(ctx, "oidc_nonce", nonce)
	s.sessions.Put(ctx, "oidc_verifier", verifier)
	s.sessions.Put(ctx, "oidc_next", safeNext(r.URL.Query().Get("neste")))
	http.Redirect(w, r, s.oauthConfig(r, p, prov).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusSeeOther)
}

// oidcCallback finishes the login: it checks state and nonce, exchanges the
// code, verifies the ID token and finds the Husly user it names.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	p := s.oidcProvider(r.PathValue("provider"))
	if p == nil {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	state := s.sessions.PopString(ctx, "oidc_state")
	nonce := s.sessions.PopString(ctx, "oidc_nonce")
	verifier := s.sessions.PopString(ctx, "oidc_verifier")
	next := s.sessions.PopString(ctx, "oidc_next")
	if e := r.URL.Query().Get("error"); e != "" {
		s.oidcFailed(w, r, "Innloggingen ble avbrutt. Prøv igjen.", errors.New(e))
		return
	}
	if state == "" || r.URL.Query().Get("state") != state {
		s.oidcFailed(w, r, "Innloggingen kunne ikke bekreftes (utløpt eller ugyldig). Start innloggingen på nytt.", errors.New("state mismatch"))
		return
	}
	prov, err := p.discover(ctx)
	if err != nil {
		s.oidcFailed(w, r, "Innloggingstjenesten svarer ikke akkurat nå. Prøv igjen om litt.", err)
		return
	}
	tok, err := s.oauthConfig(r, p, prov).Exchange(ctx, r.URL.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		s.oidcFailed(w, r, "Innloggingen kunne ikke fullføres. Start på nytt.", err)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := prov.Verifier(&oidc.Config{ClientID: p.ClientID}).Verify(ctx, raw)
	if err != nil || idt.Nonce != nonce {
		s.oidcFailed(w, r, "Innloggingen kunne ikke bekreftes. Start på nytt.", fmt.Errorf("id token: %w", err))
		return
	}
	var claims struct {
		PID               string `json:"pid"`
		PreferredUsername string `json:"preferred_username"`
		Email             string `json:"email"`
	}
	if err := idt.Claims(&claims); err != nil {
		s.oidcFailed(w, r, "Innloggingen manglet opplysninger. Start på nytt.", err)
		return
	}
	var u org.User
	if p.Residents {
		u, err = s.residentFromPID(ctx, claims.PID)
	} else {
		u, err = s.staffFromClaims(ctx, claims.PreferredUsername, claims.Email)
	}
	if err != nil {
		s.oidcFailed(w, r, err.Error(), err)
		return
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(ctx, "user_id", u.ID)
	s.sessions.Put(ctx, "auth_at", time.Now().Unix())
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) oidcFailed(w http.ResponseWriter, r *http.Request, msg string, err error) {
	s.log.Warn("oidc login failed", "provider", r.PathValue("provider"), "error", err.Error())
	s.render(w, r, "login", view{Title: translate(language(r), "login.title"), Error: msg, Data: "/", Status: http.StatusUnauthorized})
}

// staffFromClaims finds the active staff user the identity provider names.
func (s *Server) staffFromClaims(ctx context.Context, username, email string) (org.User, error) {
	refused := errors.New("Du er logget inn hos identitetstjenesten, men har ingen aktiv brukerkonto i Husly. Kontakt systemansvarlig.")
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM users WHERE role <> 'beboer' AND active = ? AND
		((? <> '' AND LOWER(username) = LOWER(?)) OR (? <> '' AND LOWER(email) = LOWER(?))) ORDER BY id LIMIT 1`,
		true, username, username, email, email).Scan(&id)
	if err != nil {
		return org.User{}, refused
	}
	return org.UserByID(ctx, s.db, id)
}

// residentFromPID finds the person ID-porten names by their identity
// number (through its blind index, never in plain text) and gives them a
// resident login on first use.
func (s *Server) residentFromPID(ctx context.Context, pid string) (org.User, error) {
	unknown := errors.New("Du er logget inn med ID-porten, men kommunen har ingen sak på deg i Husly. Ta kontakt med boligkontoret.")
	if _, err := identity.Parse(pid, true); err != nil {
		return org.User{}, unknown
	}
	var personID, municipalityID int64
	var first, last string
	err := s.db.QueryRowContext(ctx, "SELECT id, municipality_id, first_name, last_name FROM persons WHERE identity_hash = ? ORDER BY municipality_id LIMIT 1",
		s.db.Keys().Blind(pid)).Scan(&personID, &municipalityID, &first, &last)
	if err != nil {
		return org.User{}, unknown
	}
	var userID int64
	err = s.db.QueryRowContext(ctx, "SELECT id FROM users WHERE person_id = ? AND role = 'beboer'", personID).Scan(&userID)
	if err != nil {
		err = s.db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			userID, err = org.CreateUser(ctx, tx, org.User{MunicipalityID: municipalityID, PersonID: personID, Role: access.Resident,
				Username: "idporten-" + s.db.Keys().Blind(pid)[:16], FullName: first + " " + last})
			if err != nil {
				return err
			}
			return audit.Record(ctx, tx, audit.Entry{MunicipalityID: municipalityID, Actor: "ID-porten", Action: "første innlogging",
				Entity: "person", EntityID: personID, After: map[string]int64{"user_id": userID}})
		})
		if err != nil {
			return org.User{}, err
		}
	}
	return org.UserByID(ctx, s.db, userID)
}
