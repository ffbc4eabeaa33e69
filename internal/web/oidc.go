package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/access/login"
	"husly/internal/invalid"
	"husly/internal/store"
)

// OIDCProvider is an identity provider Husly signs users in with; the
// rules live in internal/access/login.
type OIDCProvider = login.Provider

func (s *Server) oidcProvider(name string) *OIDCProvider {
	for _, p := range s.opts.OIDC {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// callbackURL is where the provider sends the browser back.
func (s *Server) callbackURL(r *http.Request, p *OIDCProvider) string {
	base := s.opts.PublicURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return strings.TrimSuffix(base, "/") + "/logg-inn/oidc/" + p.Name + "/tilbake"
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
	st, err := p.Begin(r.Context(), s.callbackURL(r, p), randomToken)
	if err != nil {
		s.oidcFailed(w, r, err, invalid.Message{})
		return
	}
	ctx := r.Context()
	s.sessions.Put(ctx, "oidc_state", st.State)
	s.sessions.Put(ctx, "oidc_nonce", st.Nonce)
	s.sessions.Put(ctx, "oidc_verifier", st.Verifier)
	s.sessions.Put(ctx, "oidc_next", safeNext(r.URL.Query().Get("neste")))
	// A login is not a confirmation of an emergency access left unfinished.
	s.sessions.Remove(ctx, "stepup_person")
	s.sessions.Remove(ctx, "stepup_reason")
	http.Redirect(w, r, st.URL, http.StatusSeeOther)
}

// stepUp sends a signed-in user without a password to the identity
// provider to authenticate again, keeping the emergency access it will
// confirm in the session.
func (s *Server) stepUp(w http.ResponseWriter, r *http.Request, p *OIDCProvider, personID int64, reason string) {
	st, err := p.BeginStepUp(r.Context(), s.callbackURL(r, p), randomToken)
	if err != nil {
		s.oidcFailed(w, r, err, invalid.Message{})
		return
	}
	ctx := r.Context()
	s.sessions.Put(ctx, "oidc_state", st.State)
	s.sessions.Put(ctx, "oidc_nonce", st.Nonce)
	s.sessions.Put(ctx, "oidc_verifier", st.Verifier)
	s.sessions.Put(ctx, "stepup_person", personID)
	s.sessions.Put(ctx, "stepup_reason", reason)
	http.Redirect(w, r, st.URL, http.StatusSeeOther)
}

// finishStepUp opens the emergency access a fresh authentication confirmed.
func (s *Server) finishStepUp(w http.ResponseWriter, r *http.Request, claims login.Claims, personID int64, reason string) {
	u := currentUser(r)
	data := struct {
		PersonID int64
		Reason   string
		Problem  string
	}{PersonID: personID, Reason: reason}
	if u == nil {
		s.oidcFailed(w, r, errors.New("step-up without a session"), invalid.Message{})
		return
	}
	if err := login.ConfirmStepUp(r.Context(), s.db, *u, claims, time.Now()); err != nil {
		s.log.Warn("break-glass refused: step-up not confirmed", "user_id", u.ID, "error", err.Error())
		data.Problem = translate(language(r), "breakglass.stepup.failed")
		s.render(w, r, "noaccess", view{Title: "Ingen tilgang til personen", Nav: "persons", User: u, Data: data, Status: http.StatusUnauthorized})
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := access.OpenBreakGlass(r.Context(), tx, s.actor(r, u), personID, reason)
		return err
	})
	var ve *access.ValidationError
	switch {
	case errors.As(err, &ve):
		data.Problem = problemLine(r, ve.Problems)
		s.render(w, r, "noaccess", view{Title: "Ingen tilgang til personen", Nav: "persons", User: u, Data: data, Status: http.StatusUnprocessableEntity})
	case err != nil:
		s.personDenied(w, r, u, personID, err)
	default:
		http.Redirect(w, r, "/personer/"+strconv.FormatInt(personID, 10), http.StatusSeeOther)
	}
}

// oidcCallback finishes the login: the state must match the session's,
// then internal/access/login verifies the token and finds the user.
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
	stepPerson, _ := s.sessions.Pop(ctx, "stepup_person").(int64)
	stepReason := s.sessions.PopString(ctx, "stepup_reason")
	if e := r.URL.Query().Get("error"); e != "" {
		s.oidcFailed(w, r, errors.New("the user or provider cancelled"), invalid.F("Innloggingen ble avbrutt. Prøv igjen."))
		return
	}
	if state == "" || r.URL.Query().Get("state") != state {
		s.oidcFailed(w, r, errors.New("state mismatch"), invalid.F("Innloggingen kunne ikke bekreftes (utløpt eller ugyldig). Start innloggingen på nytt."))
		return
	}
	claims, err := p.Finish(ctx, s.callbackURL(r, p), r.URL.Query().Get("code"), verifier, nonce)
	if err != nil {
		s.oidcFailed(w, r, err, invalid.Message{})
		return
	}
	if stepPerson != 0 {
		s.finishStepUp(w, r, claims, stepPerson, stepReason)
		return
	}
	u, err := login.Resolve(ctx, s.db, p, claims, time.Now())
	if err != nil {
		s.oidcFailed(w, r, err, invalid.Message{})
		return
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(ctx, "user_id", u.ID)
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// oidcRefusals are the messages a user may read; anything else is
// reported without its details.
var oidcRefusals = []error{login.ErrProviderDown, login.ErrNotConfirmed, login.ErrNoStaffUser, login.ErrNoResident,
	login.ErrLinkedElse, login.ErrNoMunicipality}

// oidcFailed shows the login page with msg, or with the refusal err is
// (a message meant for the user); any other error is logged and shown as
// a failed confirmation, so no detail reaches the page.
func (s *Server) oidcFailed(w http.ResponseWriter, r *http.Request, err error, msg invalid.Message) {
	s.log.Warn("oidc login failed", "provider", r.PathValue("provider"), "error", err.Error())
	if msg.ID == "" {
		why := login.ErrNotConfirmed
		for _, known := range oidcRefusals {
			if errors.Is(err, known) {
				why = known
			}
		}
		msg = invalid.Refusals(why)[0]
	}
	s.render(w, r, "login", view{Title: translate(language(r), "login.title"), Error: problemsFor(r, []invalid.Message{msg})[0], Data: "/", Status: http.StatusUnauthorized})
}
