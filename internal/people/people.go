// Package people holds the persons known to the services and their
// households. Every function that returns personal data takes the acting
// user and is scoped to the actor's municipality.
package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/clock"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Person is someone known to the housing and welfare services.
type Person struct {
	ID           int64         `json:"id"`
	MaskedNumber string        `json:"identity_number_masked"`
	FirstName    string        `json:"first_name"`
	LastName     string        `json:"last_name"`
	BirthDate    deadline.Date `json:"birth_date"`
	Phone        string        `json:"phone"`
	Email        string        `json:"email"`
	Address      string        `json:"address"`
	PostalCode   string        `json:"postal_code"`
	PostalPlace  string        `json:"postal_place"`
	HouseholdID  int64         `json:"household_id,omitempty"`
	Relation     Relation      `json:"household_relation,omitempty"`
	Restricted   bool          `json:"restricted"`
}

// FullName is "Fornavn Etternavn".
func (p Person) FullName() string { return p.FirstName + " " + p.LastName }

// Age is the person's age in whole years on day's Norwegian calendar date
// (Europe/Oslo): a birthday starts at midnight in Norway, and a leap year's
// extra day does not move it.
func (p Person) Age(day time.Time) int {
	return p.BirthDate.YearsUntil(deadline.On(day))
}

// Relation is a household member's place in the household.
type Relation string

const (
	Applicant Relation = "soker"
	Partner   Relation = "partner"
	Child     Relation = "barn"
	Other     Relation = "annen"
)

// ParseRelation accepts a relation code; "" means applicant.
func ParseRelation(s string) (Relation, error) {
	switch Relation(strings.ToLower(s)) {
	case "", Applicant:
		return Applicant, nil
	case Partner, Child, Other:
		return Relation(strings.ToLower(s)), nil
	}
	return "", invalid.Problem("ukjent relasjon %q (bruk soker, partner, barn eller annen)", s)
}

// Member is one person in a household; PersonID is 0 for members not
// registered as persons (often children).
type Member struct {
	PersonID  int64         `json:"person_id,omitempty"`
	FirstName string        `json:"first_name"`
	LastName  string        `json:"last_name"`
	BirthDate deadline.Date `json:"birth_date,omitzero"`
	Relation  Relation      `json:"relation"`
}

// ErrNotFound is the answer for a person outside the actor's municipality too.
var ErrNotFound = access.ErrUnknownPerson

// Input is what a user gives to register a person.
type Input struct {
	IdentityNumber string `json:"identity_number"`
	FirstName      string `json:"first_name"`
	LastName       string `json:"last_name"`
	Phone          string `json:"phone"`
	Email          string `json:"email"`
	Address        string `json:"address"`
	PostalCode     string `json:"postal_code"`
	PostalPlace    string `json:"postal_place"`
}

var (
	phonePattern  = regexp.MustCompile(`^\+?[0-9 ]{8,15}$`)
	emailPattern  = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	postalPattern = regexp.MustCompile(`^[0-9]{4}$`)
)

// Validate checks in and returns the parsed identity number; each problem
// is a message. today is the day in Norway a birth date may not come
// after.
func (in *Input) Validate(allowSynthetic bool, today time.Time) (identity.Number, []invalid.Message) {
	var problems []invalid.Message
	in.IdentityNumber = strings.ReplaceAll(strings.TrimSpace(in.IdentityNumber), " ", "")
	n, err := identity.Parse(in.IdentityNumber, allowSynthetic, today)
	if err != nil {
		problems = append(problems, invalid.Problems(err)...)
	}
	return n, append(problems, in.validateDetails()...)
}

// validateDetails checks names and contact details, tidying them.
func (in *Input) validateDetails() []invalid.Message {
	var problems []invalid.Message
	for _, f := range []struct {
		v     *string
		label invalid.Message
	}{{&in.FirstName, invalid.F("fornavn")}, {&in.LastName, invalid.F("etternavn")}} {
		*f.v = strings.Join(strings.Fields(*f.v), " ")
		switch {
		case *f.v == "":
			problems = append(problems, invalid.F("%s mangler", f.label))
		case utf8.RuneCountInString(*f.v) > 100:
			problems = append(problems, invalid.F("%s kan ha høyst 100 tegn", f.label))
		}
	}
	in.Phone, in.Email = strings.TrimSpace(in.Phone), strings.TrimSpace(in.Email)
	if in.Phone != "" && !phonePattern.MatchString(in.Phone) {
		problems = append(problems, invalid.F("telefonnummeret %q er ugyldig (8–15 sifre)", in.Phone))
	}
	if in.Email != "" && !emailPattern.MatchString(in.Email) {
		problems = append(problems, invalid.F("e-postadressen %q er ugyldig", in.Email))
	}
	if in.PostalCode != "" && !postalPattern.MatchString(in.PostalCode) {
		problems = append(problems, invalid.F("postnummeret %q må ha fire sifre", in.PostalCode))
	}
	if utf8.RuneCountInString(in.Address) > 200 || utf8.RuneCountInString(in.PostalPlace) > 100 {
		problems = append(problems, invalid.F("adressen er for lang"))
	}
	return problems
}

// ValidationError lists what is wrong with an input.
type ValidationError = invalid.Error

// NameKey is the form names are searched by: lower case, single spaces.
func NameKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

const insertPerson = `INSERT INTO persons (municipality_id, identity_enc, identity_hash, identity_prefix, first_name, last_name,
	first_name_key, last_name_key, birth_date, phone, email, address, postal_code, postal_place, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (municipality_id, identity_hash) DO NOTHING RETURNING id`

func personArgs(q store.Queryer, municipalityID int64, in Input, n identity.Number, blind string, now any) ([]any, error) {
	enc, err := q.Keys().Seal(n.Digits, municipalityAAD(municipalityID))
	if err != nil {
		return nil, err
	}
	return []any{municipalityID, enc, blind, n.Digits[:6], in.FirstName, in.LastName, NameKey(in.FirstName),
		NameKey(in.LastName), n.Birth, in.Phone, in.Email, in.Address, in.PostalCode, in.PostalPlace, now, now}, nil
}

// municipalityAAD binds an encrypted number to its municipality.
func municipalityAAD(municipalityID int64) string {
	return "kommune:" + strconv.FormatInt(municipalityID, 10)
}

// openNumber decrypts a stored identity number.
func openNumber(q store.Queryer, municipalityID int64, sealed string) (string, error) {
	return q.Keys().Open(sealed, municipalityAAD(municipalityID))
}

// Create registers a person in the actor's municipality.
// Registering is by identity number, so it needs the number's category in
// the actor's row of the access matrix, and it is bounded per day (see
// registration.go): the answer tells whether the number is known.
func Create(ctx context.Context, q store.Queryer, actor access.Actor, in Input) (int64, error) {
	if !actor.Writes() {
		return 0, access.ErrForbidden
	}
	synthetic, err := store.AllowsSyntheticIDs(ctx, q)
	if err != nil {
		return 0, err
	}
	n, problems := in.Validate(synthetic, clock.InOslo(time.Now()))
	if len(problems) > 0 {
		return 0, &ValidationError{Problems: problems}
	}
	if err := mayRegisterByNumber(ctx, q, actor); err != nil {
		return 0, err
	}
	args, err := personArgs(q, actor.MunicipalityID, in, n, q.Keys().Blind(n.Digits), store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	var id int64
	err = q.QueryRowContext(ctx, insertPerson, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, alreadyRegistered(ctx, q, actor, n)
	}
	if err != nil {
		return 0, err
	}
	if err := audit.Record(ctx, q, auditCreate(actor, id, in, n)); err != nil {
		return 0, err
	}
	// Who registers a person takes the case: their unit gets a role on it.
	if actor.OrgUnitID != 0 {
		if _, err := access.AddCaseUnit(ctx, q, actor, access.CaseUnit{PersonID: id, OrgUnitID: actor.OrgUnitID, Responsibility: "saksbehandling"}); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// ErrSentForChecking is the answer to registering a number that is
// already registered for someone the actor may not see. It says nothing
// about whether the number exists: the request is recorded for the units
// holding the case, and nothing is shown. It is not a failure: the caller
// commits, so the record of the attempt stays.
var ErrSentForChecking = errors.New("registreringen er sendt til kontroll")

// alreadyRegistered answers a registration whose number the municipality
// already has. A user who may see that person is told so (nothing new is
// revealed); anyone else gets ErrSentForChecking, and the attempt is kept
// in registration_checks and the audit chain, so the units holding the
// case (and the person, through innsyn) can see who tried.
func alreadyRegistered(ctx context.Context, q store.Queryer, actor access.Actor, n identity.Number) error {
	var existing int64
	if err := q.QueryRowContext(ctx, "SELECT id FROM persons WHERE municipality_id = ? AND identity_hash = ?",
		actor.MunicipalityID, q.Keys().Blind(n.Digits)).Scan(&existing); err != nil {
		return err
	}
	_, err := access.Authorize(ctx, q, actor, existing)
	switch {
	case err == nil:
		return invalid.Problem("en person med dette fødselsnummeret er allerede registrert, og du har tilgang til personen: søk den opp i stedet")
	case !errors.Is(err, access.ErrNoRelationship) && !errors.Is(err, access.ErrRestricted) && !errors.Is(err, access.ErrForbidden):
		return err
	}
	if _, err := store.InsertID(ctx, q, `INSERT INTO registration_checks (municipality_id, person_id, requested_by, requested_unit, created_at)
		VALUES (?, ?, ?, ?, ?)`, actor.MunicipalityID, existing, actor.UserID, nullableID(actor.OrgUnitID), store.TimeArg(time.Now())); err != nil {
		return err
	}
	if err := audit.Record(ctx, q, audit.Entry{MunicipalityID: actor.MunicipalityID, Actor: actor.Label(), Action: "registrering sendt til kontroll",
		Entity: "person", EntityID: existing, After: map[string]any{"org_unit_id": actor.OrgUnitID}}); err != nil {
		return err
	}
	return countCheck(ctx, q, actor)
}

func nullableID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// auditCreate is the audit entry for a new person. The identity number is
// recorded masked: the audit chain must not spread it.
func auditCreate(a access.Actor, id int64, in Input, n identity.Number) audit.Entry {
	in.IdentityNumber = identity.Mask(n.Digits)
	return audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "person", EntityID: id, After: in}
}

const personColumns = personFields + ` FROM persons p` + householdJoin

const personFields = `p.id, p.identity_prefix, p.first_name, p.last_name, p.birth_date, p.phone, p.email,
	p.address, p.postal_code, p.postal_place, COALESCE(m.household_id, 0), COALESCE(m.relation, ''), p.restricted`

const householdJoin = ` LEFT JOIN household_members m ON m.person_id = p.id`

// visiblePersons starts a query over the persons the actor may find
// (access.Visible): the SELECT of a person's columns, its FROM, and its
// WHERE up to the visibility condition, with their arguments, so the
// caller adds its own conditions with " AND …".
func visiblePersons(v access.Visibility, municipalityID int64) (string, []any) {
	args := append(append(append([]any{}, v.FromArgs...), municipalityID), v.WhereArgs...)
	return "SELECT " + personFields + " FROM " + v.From + householdJoin + " WHERE p.municipality_id = ? AND " + v.Where, args
}

func scanPerson(row store.Scanner) (Person, error) {
	var p Person
	var prefix string
	err := row.Scan(&p.ID, &prefix, &p.FirstName, &p.LastName, &p.BirthDate, &p.Phone,
		&p.Email, &p.Address, &p.PostalCode, &p.PostalPlace, &p.HouseholdID, &p.Relation, &p.Restricted)
	// The full number is given only by Reveal, which decrypts and logs it.
	p.MaskedNumber = prefix + "*****"
	return p, err
}

// Count is the number of persons in a municipality, read from the counter
// the schema's triggers keep (migration 0007), so it costs one row however
// many persons there are.
func Count(ctx context.Context, q store.Queryer, municipalityID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COALESCE(SUM(n), 0) FROM counters WHERE municipality_id = ? AND name = 'persons'", municipalityID).Scan(&n)
	return n, err
}

// PageKey is a position in the name-ordered person list: the sort key of
// the last person shown. The zero key is the start of the list.
type PageKey struct {
	LastName, FirstName string // as NameKey gives them
	ID                  int64
}

// PageKey is the list position just after p.
func (p Person) PageKey() PageKey {
	return PageKey{NameKey(p.LastName), NameKey(p.FirstName), p.ID}
}

// List pages through the municipality's persons in name order, the page
// after the position after (keyset paging: a deep page costs what the
// first does). The persons in lists and searches are those the actor may
// find (access.VisibleClause) and f lets through, and showing them is
// logged as a read of their basic data (and of what f reveals).
func List(ctx context.Context, q store.Queryer, actor access.Actor, channel string, f CaseFilter, after PageKey, limit int) ([]Person, error) {
	if !actor.SeesPersons() {
		return nil, access.ErrForbidden
	}
	cats, err := f.categories(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	v, err := access.Visible(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	query, args := visiblePersons(v, actor.MunicipalityID)
	cond, cargs := f.clause()
	query, args = query+cond, append(args, cargs...)
	if after != (PageKey{}) {
		query += " AND (p.last_name_key, p.first_name_key, p.id) > (?, ?, ?)"
		args = append(args, after.LastName, after.FirstName, after.ID)
	}
	ps, err := queryPersons(ctx, q, query+" ORDER BY p.last_name_key, p.first_name_key, p.id LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	return ps, sendListed(ctx, access.NewReader(q, actor, channel), cats, ps)
}

func queryPersons(ctx context.Context, q store.Queryer, query string, args ...any) ([]Person, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	return store.Collect(rows, err, scanPerson)
}

// prefixEnd is the smallest string greater than every string starting with
// a prefix, for index range scans (keys compare bytewise on both engines).
func prefixEnd(prefix string) string { return prefix + "\U0010FFFF" }

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// Search finds persons whose name starts with every word of text (each word
// matching the first or last name), or, when text is all digits, the
// person with exactly that identity number. It uses index range scans, so
// it stays fast for large cities.
//
// A number search needs the fodselsnummer category in the actor's row of
// the access matrix and a whole valid number: searching by the first
// digits would let a role without the category recover a number digit by
// digit. Every number search is logged as a read of that category, the
// ones that find no one too (person 0), so probing leaves a trace.
func Search(ctx context.Context, q store.Queryer, actor access.Actor, channel, text string, limit int) ([]Person, error) {
	if !actor.SeesPersons() {
		return nil, access.ErrForbidden
	}
	rd := access.NewReader(q, actor, channel)
	digits := strings.ReplaceAll(strings.TrimSpace(text), " ", "")
	if !isDigits(digits) {
		v, err := access.Visible(ctx, q, actor)
		if err != nil {
			return nil, err
		}
		ps, err := searchNames(ctx, q, v, actor.MunicipalityID, text, limit)
		if err != nil {
			return nil, err
		}
		return ps, sendListed(ctx, rd, 0, ps)
	}
	allowed, err := rd.RoleAllows(ctx, access.IDNumber)
	if err != nil {
		return nil, err
	}
	if !allowed {
		return nil, ErrNumberSearchForbidden
	}
	synthetic, err := store.AllowsSyntheticIDs(ctx, q)
	if err != nil {
		return nil, err
	}
	if _, err := identity.Parse(digits, synthetic, clock.InOslo(time.Now())); errors.Is(err, identity.ErrFuture) {
		return nil, err
	} else if err != nil {
		return nil, invalid.Problem("søk på fødselsnummer krever hele nummeret: 11 siffer med gyldige kontrollsiffer")
	}
	// The blind index finds at most one person: the relationship is probed once.
	visible, vargs := access.VisibleClause(actor)
	ps, err := queryPersons(ctx, q, "SELECT "+personColumns+" WHERE p.municipality_id = ? AND p.identity_hash = ? AND "+visible+" LIMIT ?",
		append(append([]any{actor.MunicipalityID, q.Keys().Blind(digits)}, vargs...), limit)...)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		rd.SearchedNumber()
	}
	return ps, sendListed(ctx, rd, access.SetOf(access.IDNumber), ps)
}

// ErrNumberSearchForbidden is the answer to a number search by a role
// without the fodselsnummer category.
var ErrNumberSearchForbidden = fmt.Errorf("%w: søk på fødselsnummer krever tilgang til fødselsnummer; søk på navn i stedet", access.ErrForbidden)

// sendListed logs the persons a list or search shows: their basic data,
// and what they were found by.
func sendListed(ctx context.Context, rd *access.Reader, by access.CategorySet, ps []Person) error {
	for _, p := range ps {
		rd.Listed(by, p.ID)
		if err := rd.Plain(p.ID, append(by.List(), access.Basic)...); err != nil {
			return err
		}
	}
	return rd.Send(ctx, &ps)
}

// searchNames lists last-name matches first, then first-name matches, each
// in the order of its index, so LIMIT stops the scan early and nothing is
// sorted when the actor sees much of the register; when the actor sees few
// (v.Driven) the few are looked up and sorted instead.
func searchNames(ctx context.Context, q store.Queryer, v access.Visibility, municipalityID int64, text string, limit int) ([]Person, error) {
	words := strings.Fields(NameKey(text))
	if len(words) == 0 {
		return []Person{}, nil
	}
	start, args := visiblePersons(v, municipalityID)
	rest := ""
	var restArgs []any
	for _, w := range words[1:] {
		// The patterns are given as CAST(? AS TEXT), not as a bare ?: SQLite
		// plans a LIKE by its bound pattern, and so compiles the statement
		// again on every search, when the pattern is a bare parameter.
		rest += ` AND (p.last_name_key LIKE CAST(? AS TEXT) ESCAPE '\' OR p.first_name_key LIKE CAST(? AS TEXT) ESCAPE '\'
			OR p.last_name_key LIKE CAST(? AS TEXT) ESCAPE '\' OR p.first_name_key LIKE CAST(? AS TEXT) ESCAPE '\')`
		pre, mid := likeEscape(w)+"%", "% "+likeEscape(w)+"%"
		restArgs = append(restArgs, pre, pre, mid, mid)
	}
	lo, hi := words[0], prefixEnd(words[0])
	byLast, err := queryPersons(ctx, q, start+` AND p.last_name_key >= ? AND p.last_name_key < ?`+rest+`
		ORDER BY p.last_name_key, p.first_name_key LIMIT ?`,
		append(append(append(args, lo, hi), restArgs...), limit)...)
	if err != nil || len(byLast) == limit {
		return byLast, err
	}
	start, args = visiblePersons(v, municipalityID)
	byFirst, err := queryPersons(ctx, q, start+` AND p.first_name_key >= ? AND p.first_name_key < ? AND NOT (p.last_name_key >= ? AND p.last_name_key < ?)`+rest+`
		ORDER BY p.first_name_key, p.last_name_key LIMIT ?`,
		append(append(append(args, lo, hi, lo, hi), restArgs...), limit-len(byLast))...)
	return append(byLast, byFirst...), err
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// RegistrationCheck is an attempt to register a person the registering
// user could not see, as the unit holding the case reviews it.
type RegistrationCheck struct {
	ID          int64     `json:"id"`
	PersonID    int64     `json:"person_id"`
	RequestedBy string    `json:"requested_by"`
	OrgUnit     string    `json:"org_unit_name"`
	At          time.Time `json:"created_at"`
}

// RegistrationChecks lists, newest first, the registrations sent for
// checking about persons the actor's unit has an active role for: the unit
// holding the case decides whether the registering unit should have a role
// too. Others see none.
func RegistrationChecks(ctx context.Context, q store.Queryer, a access.Actor, limit int) ([]RegistrationCheck, error) {
	if !a.Writes() || a.OrgUnitID == 0 {
		return nil, access.ErrForbidden
	}
	now := store.TimeArg(time.Now())
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.person_id, u.full_name, COALESCE(o.name, ''), r.created_at
		FROM registration_checks r JOIN users u ON u.id = r.requested_by LEFT JOIN org_units o ON o.id = r.requested_unit
		WHERE r.municipality_id = ? AND EXISTS (SELECT 1 FROM case_units c WHERE c.person_id = r.person_id AND c.org_unit_id = ?
			AND c.started_at <= ? AND (c.ended_at IS NULL OR c.ended_at > ?))
		ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, a.MunicipalityID, a.OrgUnitID, now, now, limit)
	return store.Collect(rows, err, func(r store.Scanner) (c RegistrationCheck, err error) {
		err = r.Scan(&c.ID, &c.PersonID, &c.RequestedBy, &c.OrgUnit, store.ScanTime(&c.At))
		return c, err
	})
}
