// Package org holds the municipalities (tenants), their organisational
// units and their staff.
package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Municipality is one tenant.
type Municipality struct {
	ID          int64  `json:"id"`
	Number      string `json:"kommunenummer"`
	Name        string `json:"name"`
	Inhabitants int    `json:"inhabitants"`
}

// Unit is an organisational unit (enhet) of a municipality.
type Unit struct {
	ID    int64    `json:"id"`
	Name  string   `json:"name"`
	Kind  UnitKind `json:"kind"`
	Phone string   `json:"phone"`
	Email string   `json:"email"`
	Staff int      `json:"staff_count"`
	// ParentID is the unit this one sits under (0 for the top): emergency
	// access with no leader to review it in the unit goes up this line.
	ParentID int64 `json:"parent_id,omitempty"`
	// Reveals are the categories a role of this unit on a person's case
	// reveals about the person (a treatment team: health and substance
	// use); empty means the default for the kind.
	Reveals []access.Category `json:"reveals"`
}

// DefaultReveals is what a role of a unit of this kind reveals about the
// person: that a substance-treatment or mental-health team follows
// someone is health and substance data (GDPR art. 9), that NAV pays
// social assistance is financial data under NAV's duty of confidentiality
// (NAV-loven § 7), that child welfare is involved concerns the household
// (barnevernsloven § 13-1). Any other unit reveals the housing need.
func DefaultReveals(k UnitKind) []access.Category {
	switch k {
	case KindMentalHealthRus, KindFACT, KindHousingFirst:
		return []access.Category{access.Health, access.Substance}
	case KindHomeCare:
		return []access.Category{access.Health}
	case KindNAV:
		return []access.Category{access.Finances}
	case KindChildWelfare:
		return []access.Category{access.Household}
	case KindHousingTeam, KindCaretakers:
		return []access.Category{access.FollowUpPlan}
	case KindProperty:
		return []access.Category{access.Tenancy}
	}
	return []access.Category{access.HousingNeeds}
}

// User is a staff member or resident who can sign in.
type User struct {
	ID             int64       `json:"id"`
	MunicipalityID int64       `json:"-"`
	OrgUnitID      int64       `json:"org_unit_id,omitempty"`
	PersonID       int64       `json:"-"`
	OrgUnitName    string      `json:"org_unit_name,omitempty"`
	Username       string      `json:"username"`
	FullName       string      `json:"full_name"`
	Email          string      `json:"email"`
	Title          string      `json:"title"`
	Role           access.Role `json:"role"`
	RoleCode       string      `json:"role_code"`
	RoleLabel      string      `json:"role_label"`
	Active         bool        `json:"active"`
	PasswordHash   string      `json:"-"`
	FailedLogins   int         `json:"-"`
	LockedUntil    time.Time   `json:"-"`
	// Municipality is read with the user, so a page needs no query of its
	// own for the header.
	Municipality Municipality `json:"-"`
}

// Actor turns the user into the acting identity for queries.
func (u User) Actor() access.Actor {
	return access.Actor{UserID: u.ID, MunicipalityID: u.MunicipalityID, OrgUnitID: u.OrgUnitID,
		OrgUnitName: u.OrgUnitName, PersonID: u.PersonID, Username: u.Username, Name: u.FullName, Role: u.Role, RoleCode: u.RoleCode}
}

var ErrNotFound = errors.New("finnes ikke")

var municipalityNumber = regexp.MustCompile(`^[0-9]{4}$`)

// ErrNotOperator refuses adding a municipality to anyone but the operator.
var ErrNotOperator = fmt.Errorf("%w: bare driften (kommandolinjen) kan legge til en kommune", access.ErrForbidden)

// ErrNotAdministrator refuses adding units and users to anyone but the
// operator and the municipality's own system administrators.
var ErrNotAdministrator = fmt.Errorf("%w: bare driften og kommunens systemadministratorer kan legge til enheter og brukere", access.ErrForbidden)

// administers reports whether a may add units and users to municipalityID:
// the operator acting in it, or one of its own system administrators.
func administers(a access.Actor, municipalityID int64) bool {
	return (a.Role == access.Operator || a.Role == access.Admin) && a.MunicipalityID != 0 && a.MunicipalityID == municipalityID
}

// CreateMunicipality adds a tenant. Only the operator does: a municipality
// is a new tenant of the installation, not something its staff make.
func CreateMunicipality(ctx context.Context, q store.Queryer, a access.Actor, m Municipality) (int64, error) {
	if a.Role != access.Operator {
		return 0, ErrNotOperator
	}
	if !municipalityNumber.MatchString(m.Number) {
		return 0, fmt.Errorf("kommunenummer må ha fire sifre, fikk %q", m.Number)
	}
	if strings.TrimSpace(m.Name) == "" {
		return 0, errors.New("kommunen må ha et navn")
	}
	id, err := store.InsertID(ctx, q, "INSERT INTO municipalities (number, name, inhabitants, created_at) VALUES (?, ?, ?, ?)",
		m.Number, m.Name, m.Inhabitants, store.TimeArg(time.Now()))
	if store.IsUniqueViolation(err) {
		return 0, fmt.Errorf("kommunenummer %s finnes allerede", m.Number)
	}
	if err != nil {
		return 0, err
	}
	if err := access.SeedMatrix(ctx, q, id); err != nil {
		return 0, err
	}
	m.ID = id
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: id, Actor: a.Label(), Action: "opprett", Entity: "kommune", EntityID: id, After: m})
}

// GetMunicipality reads one tenant.
func GetMunicipality(ctx context.Context, q store.Queryer, id int64) (Municipality, error) {
	var m Municipality
	err := q.QueryRowContext(ctx, "SELECT id, number, name, inhabitants FROM municipalities WHERE id = ?", id).
		Scan(&m.ID, &m.Number, &m.Name, &m.Inhabitants)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	return m, err
}

// MunicipalityByNumber finds a tenant by kommunenummer.
func MunicipalityByNumber(ctx context.Context, q store.Queryer, number string) (Municipality, error) {
	var m Municipality
	err := q.QueryRowContext(ctx, "SELECT id, number, name, inhabitants FROM municipalities WHERE number = ?", number).
		Scan(&m.ID, &m.Number, &m.Name, &m.Inhabitants)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("ukjent kommune %q: kommunen finnes ikke i databasen", number)
	}
	return m, err
}

// ListMunicipalities lists every tenant (for the CLI's operator).
func ListMunicipalities(ctx context.Context, q store.Queryer) ([]Municipality, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, number, name, inhabitants FROM municipalities ORDER BY number")
	return store.Collect(rows, err, func(r store.Scanner) (m Municipality, err error) {
		err = r.Scan(&m.ID, &m.Number, &m.Name, &m.Inhabitants)
		return m, err
	})
}

func splitReveals(s string) []access.Category {
	out := []access.Category{}
	for _, c := range strings.Split(s, ",") {
		if c != "" {
			out = append(out, access.Category(c))
		}
	}
	return out
}

// CreateUnit adds an organisational unit to the actor's municipality: the
// operator or the municipality's system administrators only.
func CreateUnit(ctx context.Context, q store.Queryer, a access.Actor, u Unit) (int64, error) {
	if !administers(a, a.MunicipalityID) {
		return 0, ErrNotAdministrator
	}
	municipalityID := a.MunicipalityID
	if strings.TrimSpace(u.Name) == "" {
		return 0, errors.New("enheten må ha et navn")
	}
	if _, err := ParseUnitKind(string(u.Kind)); err != nil {
		return 0, err
	}
	if len(u.Reveals) == 0 {
		u.Reveals = DefaultReveals(u.Kind)
	}
	reveals := make([]string, len(u.Reveals))
	for i, c := range u.Reveals {
		if _, err := access.ParseCategory(string(c)); err != nil {
			return 0, err
		}
		reveals[i] = string(c)
	}
	return store.InsertID(ctx, q, "INSERT INTO org_units (municipality_id, name, kind, phone, email, reveals, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		municipalityID, u.Name, string(u.Kind), u.Phone, u.Email, strings.Join(reveals, ","), store.TimeArg(time.Now()))
}

// SetReveals records what a unit's role on a person's case reveals about
// the person. Administrators only; at least one category, so a role is
// never shown to everyone; the change goes to the audit chain.
func SetReveals(ctx context.Context, q store.Queryer, a access.Actor, unitID int64, reveals []access.Category) (Unit, error) {
	if a.Role != access.Admin {
		return Unit{}, access.ErrForbidden
	}
	before, err := GetUnit(ctx, q, a.MunicipalityID, unitID)
	if err != nil {
		return Unit{}, err
	}
	var problems []invalid.Message
	if len(reveals) == 0 {
		problems = append(problems, invalid.F("velg minst én datakategori som enhetens rolle i en sak avslører"))
	}
	seen := map[access.Category]bool{}
	var codes []string
	for _, c := range access.Categories {
		for _, x := range reveals {
			if x == c && !seen[c] {
				seen[c] = true
				codes = append(codes, string(c))
			}
		}
	}
	for _, x := range reveals {
		if _, err := access.ParseCategory(string(x)); err != nil {
			problems = append(problems, invalid.Problems(err)...)
		}
	}
	if len(problems) > 0 {
		return Unit{}, &access.ValidationError{Problems: problems}
	}
	if _, err := q.ExecContext(ctx, "UPDATE org_units SET reveals = ? WHERE municipality_id = ? AND id = ?", strings.Join(codes, ","), a.MunicipalityID, unitID); err != nil {
		return Unit{}, err
	}
	after := before
	after.Reveals = splitReveals(strings.Join(codes, ","))
	if err := audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "enhet",
		EntityID: unitID, Before: before, After: after}); err != nil {
		return Unit{}, err
	}
	return after, nil
}

// SetParent places a unit under another of the actor's municipality; 0
// makes it a top unit. A unit cannot sit under itself or its own
// sub-units. It decides who reviews emergency access, so only the operator
// and administrators change it, and every change is in the audit chain.
func SetParent(ctx context.Context, q store.Queryer, a access.Actor, unitID, parentID int64) error {
	if a.Role != access.Operator && a.Role != access.Admin {
		return access.ErrForbidden
	}
	municipalityID := a.MunicipalityID
	var before int64
	err := q.QueryRowContext(ctx, "SELECT COALESCE(parent_id, 0) FROM org_units WHERE municipality_id = ? AND id = ?", municipalityID, unitID).Scan(&before)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	for p := parentID; p != 0; {
		if p == unitID {
			return errors.New("en enhet kan ikke ligge under seg selv eller en av sine underenheter")
		}
		var next int64
		err := q.QueryRowContext(ctx, "SELECT COALESCE(parent_id, 0) FROM org_units WHERE municipality_id = ? AND id = ?", municipalityID, p).Scan(&next)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		p = next
	}
	if _, err := q.ExecContext(ctx, "UPDATE org_units SET parent_id = ? WHERE municipality_id = ? AND id = ?", nullID(parentID), municipalityID, unitID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: municipalityID, Actor: a.Label(), Action: "endre", Entity: "enhet", EntityID: unitID,
		Before: map[string]int64{"parent_id": before}, After: map[string]int64{"parent_id": parentID}})
}

// UnitByName finds one of the municipality's units by its name.
func UnitByName(ctx context.Context, q store.Queryer, municipalityID int64, name string) (Unit, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM org_units WHERE municipality_id = ? AND name = ?", municipalityID, strings.TrimSpace(name)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, fmt.Errorf("fant ingen enhet som heter %q i kommunen", name)
	}
	if err != nil {
		return Unit{}, err
	}
	return GetUnit(ctx, q, municipalityID, id)
}

// ListUnits lists a municipality's units with their staff counts.
func ListUnits(ctx context.Context, q store.Queryer, municipalityID int64) ([]Unit, error) {
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.name, o.kind, o.phone, o.email, o.reveals,
		(SELECT COUNT(*) FROM users u WHERE u.org_unit_id = o.id AND u.municipality_id = o.municipality_id), COALESCE(o.parent_id, 0)
		FROM org_units o WHERE o.municipality_id = ? ORDER BY o.name`, municipalityID)
	return store.Collect(rows, err, func(r store.Scanner) (u Unit, err error) {
		var reveals string
		err = r.Scan(&u.ID, &u.Name, &u.Kind, &u.Phone, &u.Email, &reveals, &u.Staff, &u.ParentID)
		u.Reveals = splitReveals(reveals)
		return u, err
	})
}

// GetUnit reads one unit of the municipality.
func GetUnit(ctx context.Context, q store.Queryer, municipalityID, id int64) (Unit, error) {
	var u Unit
	var reveals string
	err := q.QueryRowContext(ctx, `SELECT o.id, o.name, o.kind, o.phone, o.email, o.reveals,
		(SELECT COUNT(*) FROM users u WHERE u.org_unit_id = o.id), COALESCE(o.parent_id, 0)
		FROM org_units o WHERE o.municipality_id = ? AND o.id = ?`, municipalityID, id).
		Scan(&u.ID, &u.Name, &u.Kind, &u.Phone, &u.Email, &reveals, &u.Staff, &u.ParentID)
	u.Reveals = splitReveals(reveals)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// CreateUser adds a user; passwordHash may be empty for accounts that sign
// in through an identity provider. The operator and the municipality's own
// system administrators add users, and only to that municipality (a zero
// u.MunicipalityID means the actor's).
func CreateUser(ctx context.Context, q store.Queryer, a access.Actor, u User) (int64, error) {
	if u.MunicipalityID == 0 {
		u.MunicipalityID = a.MunicipalityID
	}
	if !administers(a, u.MunicipalityID) {
		return 0, ErrNotAdministrator
	}
	if strings.TrimSpace(u.Username) == "" || strings.TrimSpace(u.FullName) == "" {
		return 0, errors.New("brukeren må ha brukernavn og navn")
	}
	if u.RoleCode == "" {
		u.RoleCode = string(u.Role)
	}
	def, err := access.RoleOf(ctx, q, u.MunicipalityID, u.RoleCode)
	if err != nil {
		return 0, err
	}
	u.Role, u.RoleLabel = def.Base, def.Label
	id, err := store.InsertID(ctx, q, `INSERT INTO users (municipality_id, org_unit_id, person_id, username, full_name, email, title, role, password_hash, active, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.MunicipalityID, nullID(u.OrgUnitID), nullID(u.PersonID), u.Username, u.FullName, u.Email, u.Title, u.RoleCode, u.PasswordHash, true, store.TimeArg(time.Now()))
	if store.IsUniqueViolation(err) {
		return 0, fmt.Errorf("brukernavnet %s er opptatt", u.Username)
	}
	if err != nil {
		return 0, err
	}
	u.ID = id
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: u.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "bruker", EntityID: id, After: u})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// A user's role column holds a role code; the role's base says what the
// user may do.
const userColumns = `u.id, u.municipality_id, COALESCE(u.org_unit_id, 0), COALESCE(u.person_id, 0), COALESCE(o.name, ''), u.username, u.full_name,
	u.email, u.title, COALESCE(r.base, u.role), u.role, COALESCE(r.label, u.role), u.active, u.password_hash, u.failed_logins, u.locked_until,
	COALESCE(m.id, 0), COALESCE(m.number, ''), COALESCE(m.name, ''), COALESCE(m.inhabitants, 0)
	FROM users u LEFT JOIN org_units o ON o.id = u.org_unit_id
	LEFT JOIN municipalities m ON m.id = u.municipality_id
	LEFT JOIN roles r ON r.municipality_id = u.municipality_id AND r.code = u.role`

func scanUser(row store.Scanner) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.MunicipalityID, &u.OrgUnitID, &u.PersonID, &u.OrgUnitName, &u.Username, &u.FullName,
		&u.Email, &u.Title, &u.Role, &u.RoleCode, &u.RoleLabel, &u.Active, &u.PasswordHash, &u.FailedLogins, store.ScanTime(&u.LockedUntil),
		&u.Municipality.ID, &u.Municipality.Number, &u.Municipality.Name, &u.Municipality.Inhabitants)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// UserByUsername finds a user for login.
func UserByUsername(ctx context.Context, q store.Queryer, username string) (User, error) {
	return scanUser(q.QueryRowContext(ctx, "SELECT "+userColumns+" WHERE u.username = ?", username))
}

// Token is an API token's grant, as found with its user.
type Token struct {
	Scopes           string
	Expires, Revoked time.Time
}

// UserByToken finds the user an API token (by its hash) belongs to, with
// the token's grant, in one query: every API request asks.
func UserByToken(ctx context.Context, q store.Queryer, tokenHash string) (User, Token, error) {
	var t Token
	u, err := scanUser(withLeading{q.QueryRowContext(ctx, "SELECT t.scopes, t.expires_at, t.revoked_at, "+userColumns+`
		JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ?`, tokenHash),
		[]any{&t.Scopes, store.ScanTime(&t.Expires), store.ScanTime(&t.Revoked)}})
	return u, t, err
}

// withLeading scans a row's leading columns into lead, the rest as asked.
type withLeading struct {
	row  store.Scanner
	lead []any
}

func (w withLeading) Scan(dest ...any) error { return w.row.Scan(append(w.lead, dest...)...) }

// UserByID finds a user for a session.
func UserByID(ctx context.Context, q store.Queryer, id int64) (User, error) {
	return scanUser(q.QueryRowContext(ctx, "SELECT "+userColumns+" WHERE u.id = ?", id))
}

// ListStaff lists the actor's municipality's staff, optionally those of one
// unit. User names and e-mail addresses are for colleagues: residents are
// refused.
func ListStaff(ctx context.Context, q store.Queryer, a access.Actor, orgUnitID int64) ([]User, error) {
	if a.Role == access.Resident || a.MunicipalityID == 0 {
		return nil, access.ErrForbidden
	}
	query := "SELECT " + userColumns + " WHERE u.municipality_id = ? AND COALESCE(r.base, u.role) <> 'beboer'"
	args := []any{a.MunicipalityID}
	if orgUnitID != 0 {
		query += " AND u.org_unit_id = ?"
		args = append(args, orgUnitID)
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY u.full_name", args...)
	return store.Collect(rows, err, scanUser)
}
