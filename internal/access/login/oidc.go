package login

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/clock"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
)

// Provider is an OpenID Connect identity provider Husly signs users in
// with: Entra ID (or any OIDC provider) for staff, ID-porten for residents.
type Provider struct {
	Name         string // "ansatt" or "idporten": the path segment
	Label        string // the button text
	Issuer       string
	ClientID     string
	ClientSecret string
	Residents    bool // true: the person is found by the "pid" claim (fødselsnummer)
	// Municipality is the kommunenummer this client signs users in to. A
	// new identity is linked only to a user or person of this
	// municipality. Empty is allowed only while the database holds a
	// single municipality.
	Municipality string

	once     sync.Mutex
	provider *oidc.Provider
}

// discover finds the provider's endpoints the first time they are needed,
// so Husly starts even while an identity provider is down.
func (p *Provider) discover(ctx context.Context) (*oidc.Provider, error) {
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

// Refusals of an OpenID Connect login, as messages for the user.
var (
	ErrProviderDown   = invalid.Refuse(invalid.F("Innloggingstjenesten svarer ikke akkurat nå. Prøv igjen om litt."))
	ErrNotConfirmed   = invalid.Refuse(invalid.F("Innloggingen kunne ikke bekreftes. Start på nytt."))
	ErrNoStaffUser    = invalid.Refuse(invalid.F("Du er logget inn hos identitetstjenesten, men har ingen aktiv brukerkonto i Husly. Kontakt systemansvarlig."))
	ErrNoResident     = invalid.Refuse(invalid.F("Du er logget inn med ID-porten, men kommunen har ingen sak på deg i Husly. Ta kontakt med boligkontoret."))
	ErrLinkedElse     = invalid.Refuse(invalid.F("Brukerkontoen din i Husly er allerede koblet til en annen identitet hos denne identitetstjenesten. Kontakt systemansvarlig."))
	ErrNoMunicipality = invalid.Refuse(invalid.F("Innlogging med denne tjenesten er ikke knyttet til en kommune. Kontakt systemansvarlig."))
)

// Start is what the browser needs to begin a login: the provider's
// address to go to, and the state, nonce and PKCE verifier the session
// must keep until the callback.
type Start struct {
	URL, State, Nonce, Verifier string
}

// Begin prepares a login with a fresh state, nonce and PKCE verifier.
// redirectURL is Husly's callback address for this provider.
func (p *Provider) Begin(ctx context.Context, redirectURL string, random func() string) (Start, error) {
	return p.begin(ctx, redirectURL, random)
}

// BeginStepUp prepares a fresh authentication of a signed-in user, to
// confirm emergency access the way a password does for a local account:
// the provider is asked to authenticate again now (prompt=login, max_age=0).
func (p *Provider) BeginStepUp(ctx context.Context, redirectURL string, random func() string) (Start, error) {
	return p.begin(ctx, redirectURL, random, oauth2.SetAuthURLParam("prompt", "login"), oauth2.SetAuthURLParam("max_age", "0"))
}

func (p *Provider) begin(ctx context.Context, redirectURL string, random func() string, extra ...oauth2.AuthCodeOption) (Start, error) {
	prov, err := p.discover(ctx)
	if err != nil {
		return Start{}, fmt.Errorf("%w (%w)", ErrProviderDown, err)
	}
	st := Start{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
	opts := append([]oauth2.AuthCodeOption{oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier)}, extra...)
	st.URL = p.config(prov, redirectURL).AuthCodeURL(st.State, opts...)
	return st, nil
}

// StepUpWindow is how recent the provider's authentication must be to
// confirm emergency access.
const StepUpWindow = 5 * time.Minute

// ConfirmStepUp checks that a fresh authentication from the provider is of
// the signed-in user: the (issuer, subject) is linked to that very user,
// and the provider says the person authenticated within StepUpWindow.
func ConfirmStepUp(ctx context.Context, q store.Queryer, u org.User, c Claims, now time.Time) error {
	var userID int64
	err := q.QueryRowContext(ctx, "SELECT user_id FROM external_identities WHERE issuer = ? AND subject = ?", c.Issuer, c.Subject).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && userID != u.ID) {
		return fmt.Errorf("%w (another identity than the signed-in user)", ErrNotConfirmed)
	}
	if err != nil {
		return err
	}
	at := time.Unix(c.AuthTime, 0)
	if c.AuthTime == 0 || now.Sub(at) > StepUpWindow || at.After(now.Add(time.Minute)) {
		return fmt.Errorf("%w (authentication not fresh)", ErrNotConfirmed)
	}
	return nil
}

func (p *Provider) config(prov *oidc.Provider, redirectURL string) *oauth2.Config {
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: prov.Endpoint(),
		RedirectURL: redirectURL, Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}
}

// Claims are what Husly reads from a verified ID token.
type Claims struct {
	Issuer            string `json:"iss"`
	Subject           string `json:"sub"`
	PID               string `json:"pid"`
	PreferredUsername string `json:"preferred_username"`
	Email             string `json:"email"`
	// AuthTime is when the person last authenticated at the provider.
	AuthTime int64 `json:"auth_time"`
}

// Finish exchanges the code from the callback, verifies the ID token's
// signature, audience, expiry and nonce, and returns its claims.
func (p *Provider) Finish(ctx context.Context, redirectURL, code, verifier, nonce string) (Claims, error) {
	prov, err := p.discover(ctx)
	if err != nil {
		return Claims{}, fmt.Errorf("%w (%w)", ErrProviderDown, err)
	}
	tok, err := p.config(prov, redirectURL).Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Claims{}, fmt.Errorf("%w (exchange: %w)", ErrNotConfirmed, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := prov.Verifier(&oidc.Config{ClientID: p.ClientID}).Verify(ctx, raw)
	if err != nil {
		return Claims{}, fmt.Errorf("%w (id token: %w)", ErrNotConfirmed, err)
	}
	if nonce == "" || idt.Nonce != nonce {
		return Claims{}, fmt.Errorf("%w (nonce)", ErrNotConfirmed)
	}
	var c Claims
	if err := idt.Claims(&c); err != nil {
		return Claims{}, fmt.Errorf("%w (claims: %w)", ErrNotConfirmed, err)
	}
	c.Issuer, c.Subject = idt.Issuer, idt.Subject
	if c.Subject == "" {
		return Claims{}, fmt.Errorf("%w (no subject)", ErrNotConfirmed)
	}
	return c, nil
}

// Resolve finds the Husly user an identity provider vouched for. An
// identity is keyed by its issuer and subject in external_identities; once
// linked, nothing else (user name, e-mail, identity number) is consulted.
// A new identity is linked on its first login, and only within the
// provider's municipality: staff by their user name or e-mail there (one
// match, and a user never linked to another subject of the same issuer),
// residents by their identity number's blind index there, with a resident
// login made on first use.
func Resolve(ctx context.Context, db *store.DB, p *Provider, c Claims, now time.Time) (org.User, error) {
	var u org.User
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		u, err = resolve(ctx, tx, p, c, now)
		return err
	})
	return u, err
}

func resolve(ctx context.Context, tx *store.Tx, p *Provider, c Claims, now time.Time) (org.User, error) {
	refused := ErrNoStaffUser
	if p.Residents {
		refused = ErrNoResident
	}
	var linkID, userID int64
	err := tx.QueryRowContext(ctx, "SELECT id, user_id FROM external_identities WHERE issuer = ? AND subject = ?", c.Issuer, c.Subject).Scan(&linkID, &userID)
	switch {
	case err == nil:
		u, err := org.UserByID(ctx, tx, userID)
		if err != nil || !u.Active || (u.Role == access.Resident) != p.Residents {
			return org.User{}, refused
		}
		_, err = tx.ExecContext(ctx, "UPDATE external_identities SET last_login_at = ? WHERE id = ?", store.TimeArg(now), linkID)
		return u, err
	case !errors.Is(err, sql.ErrNoRows):
		return org.User{}, err
	}
	municipalityID, err := municipalityOf(ctx, tx, p)
	if err != nil {
		return org.User{}, err
	}
	var u org.User
	if p.Residents {
		u, err = residentByPID(ctx, tx, municipalityID, c.PID, now)
	} else {
		u, err = staffByClaims(ctx, tx, municipalityID, c)
	}
	if err != nil {
		return org.User{}, err
	}
	var other int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM external_identities WHERE issuer = ? AND user_id = ?", c.Issuer, u.ID).Scan(&other); err != nil {
		return org.User{}, err
	}
	if other > 0 {
		return org.User{}, ErrLinkedElse
	}
	id, err := store.InsertID(ctx, tx, `INSERT INTO external_identities (municipality_id, issuer, subject, user_id, created_at, last_login_at)
		VALUES (?, ?, ?, ?, ?, ?)`, municipalityID, c.Issuer, c.Subject, u.ID, store.TimeArg(now), store.TimeArg(now))
	if err != nil {
		return org.User{}, err
	}
	return u, audit.Record(ctx, tx, audit.Entry{MunicipalityID: municipalityID, Actor: p.Label, Action: "koble innlogging",
		Entity: "bruker", EntityID: u.ID, After: map[string]any{"external_identity_id": id, "issuer": c.Issuer}})
}

// municipalityOf is the municipality a provider links new identities to:
// the one configured, or the only one in the database.
func municipalityOf(ctx context.Context, q store.Queryer, p *Provider) (int64, error) {
	if p.Municipality != "" {
		m, err := org.MunicipalityByNumber(ctx, q, p.Municipality)
		if err != nil {
			return 0, ErrNoMunicipality
		}
		return m.ID, nil
	}
	ms, err := org.ListMunicipalities(ctx, q)
	if err != nil {
		return 0, err
	}
	if len(ms) != 1 {
		return 0, ErrNoMunicipality
	}
	return ms[0].ID, nil
}

// staffByClaims finds the one active staff user of the municipality whose
// user name or e-mail the provider gave.
func staffByClaims(ctx context.Context, q store.Queryer, municipalityID int64, c Claims) (org.User, error) {
	name, email := strings.TrimSpace(c.PreferredUsername), strings.TrimSpace(c.Email)
	rows, err := q.QueryContext(ctx, `SELECT u.id FROM users u LEFT JOIN roles r ON r.municipality_id = u.municipality_id AND r.code = u.role
		WHERE u.municipality_id = ? AND COALESCE(r.base, u.role) <> 'beboer' AND u.active = ? AND
		((? <> '' AND LOWER(u.username) = LOWER(?)) OR (? <> '' AND LOWER(u.email) = LOWER(?))) ORDER BY u.id LIMIT 2`,
		municipalityID, true, name, name, email, email)
	ids, err := store.Collect(rows, err, func(r store.Scanner) (id int64, err error) {
		err = r.Scan(&id)
		return id, err
	})
	if err != nil {
		return org.User{}, err
	}
	if len(ids) != 1 {
		return org.User{}, ErrNoStaffUser // none, or more than one: never guess
	}
	return org.UserByID(ctx, q, ids[0])
}

// residentByPID finds the person ID-porten names, in the municipality only,
// by the identity number's blind index (never in plain text), and gives
// them a resident login on first use.
func residentByPID(ctx context.Context, q store.Queryer, municipalityID int64, pid string, now time.Time) (org.User, error) {
	if _, err := identity.Parse(pid, true, clock.InOslo(now)); err != nil {
		return org.User{}, ErrNoResident
	}
	var personID int64
	var first, last string
	err := q.QueryRowContext(ctx, "SELECT id, first_name, last_name FROM persons WHERE municipality_id = ? AND identity_hash = ?",
		municipalityID, q.Keys().Blind(pid)).Scan(&personID, &first, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return org.User{}, ErrNoResident
	}
	if err != nil {
		return org.User{}, err
	}
	var userID int64
	err = q.QueryRowContext(ctx, "SELECT id FROM users WHERE municipality_id = ? AND person_id = ? AND role = 'beboer'", municipalityID, personID).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		userID, err = org.CreateUser(ctx, q, access.FirstLogin(municipalityID), org.User{MunicipalityID: municipalityID, PersonID: personID, Role: access.Resident,
			Username: fmt.Sprintf("idporten-%d-%s", municipalityID, q.Keys().Blind(pid)[:16]), FullName: first + " " + last})
		if err != nil {
			return org.User{}, err
		}
		if err := audit.Record(ctx, q, audit.Entry{MunicipalityID: municipalityID, Actor: "ID-porten", Action: "første innlogging",
			Entity: "person", EntityID: personID, After: map[string]int64{"user_id": userID}}); err != nil {
			return org.User{}, err
		}
	} else if err != nil {
		return org.User{}, err
	}
	u, err := org.UserByID(ctx, q, userID)
	if err != nil || !u.Active {
		return org.User{}, ErrNoResident
	}
	return u, nil
}
