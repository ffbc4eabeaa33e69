package people

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/keys"
	"husly/internal/store"
	"husly/internal/writtenform"
)

// Note is a journal note in one data category.
type Note struct {
	ID       int64           `json:"id"`
	Category access.Category `json:"category"`
	Body     string          `json:"body"`
	Author   string          `json:"author"`
	OrgUnit  string          `json:"org_unit_name"`
	Written  time.Time       `json:"written_at"`
}

// View is what an actor may see of one person: every part the grant
// allows, nothing else. It is the only way to a person's record, so every
// page and API route that shows a person goes through the access reader
// here: notes, case roles and consents carry the categories they reveal,
// and the reader lets through only what the grant includes.
type View struct {
	Person Person `json:"person"`
	// WrittenForm is the written form the person wants letters in ("" =
	// the municipality's).
	WrittenForm access.Personal[writtenform.Form]  `json:"written_form"`
	Basis       access.Basis                       `json:"basis"`
	Granted     []access.Category                  `json:"categories"`
	Household   []Member                           `json:"household,omitempty"`
	Leases      []LeaseOfPerson                    `json:"leases,omitempty"`
	Notes       []access.Personal[Note]            `json:"notes,omitempty"`
	CaseUnits   []access.Personal[access.CaseUnit] `json:"case_units"`
	Consents    []access.Personal[access.Consent]  `json:"consents"`
	// OutsideConsents are consents to speak with parties outside the
	// municipality (GP, DPS, police, relatives).
	OutsideConsents []access.Personal[access.OutsideConsent] `json:"outside_consents"`
	grant           access.Grant
}

// Allows reports whether the view includes a category (for templates).
func (v View) Allows(c string) bool { return v.grant.Allows(access.Category(c)) }

// Load reads a person's record for the actor and logs the read with the
// categories it returned.
func Load(ctx context.Context, q store.Queryer, a access.Actor, id int64, channel string) (View, error) {
	rd := access.NewReader(q, a, channel)
	v, err := read(ctx, rd, id)
	if err != nil {
		return View{}, err
	}
	return v, rd.Send(ctx, &v)
}

// Read is Load through a caller's reader, for a page that reads several
// parts of a person and sends them once.
func Read(ctx context.Context, rd *access.Reader, id int64) (View, error) { return read(ctx, rd, id) }

// read assembles the record; the caller sends it through the reader.
func read(ctx context.Context, rd *access.Reader, id int64) (View, error) {
	q, a := rd.Q(), rd.Actor()
	g, err := rd.Authorize(ctx, id)
	if err != nil {
		return View{}, err
	}
	v := View{Basis: g.Basis, Granted: g.List(), grant: g}
	// The preferred written form comes in the same row as the person.
	var form writtenform.Form
	row := q.QueryRowContext(ctx, "SELECT "+personFields+", p.written_form FROM persons p"+householdJoin+" WHERE p.municipality_id = ? AND p.id = ?", a.MunicipalityID, id)
	if v.Person, err = scanPerson(alsoScan{row, []any{&form}}); err != nil {
		return View{}, err
	}
	v.WrittenForm = access.Tag(id, form, form.Category())
	plain := []access.Category{access.Basic}
	if g.Allows(access.Household) && v.Person.HouseholdID != 0 {
		if v.Household, err = household(ctx, q, a.MunicipalityID, v.Person.HouseholdID); err != nil {
			return View{}, err
		}
		plain = append(plain, access.Household)
	}
	if g.Allows(access.Tenancy) {
		rows, err := q.QueryContext(ctx, `SELECT l.id, u.id, u.code, u.address, l.start_date, l.end_date, l.rent_monthly, l.status
			FROM lease_tenants t JOIN leases l ON l.id = t.lease_id JOIN units u ON u.id = l.unit_id
			WHERE t.municipality_id = ? AND t.person_id = ? ORDER BY l.start_date DESC`, a.MunicipalityID, id)
		if v.Leases, err = store.Collect(rows, err, scanLease); err != nil {
			return View{}, err
		}
		if len(v.Leases) > 0 {
			plain = append(plain, access.Tenancy)
		}
	}
	if err := rd.Plain(id, plain...); err != nil {
		return View{}, err
	}
	// Only the note categories the grant includes are read at all; each
	// note still carries its category to the redaction step.
	var noteCats []any
	for _, c := range g.List() {
		if c != access.Basic && c != access.IDNumber && c != access.Household {
			noteCats = append(noteCats, string(c))
		}
	}
	if len(noteCats) > 0 {
		rows, err := q.QueryContext(ctx, `SELECT id, category, body, author_name, org_unit_name, written_at FROM notes
			WHERE municipality_id = ? AND person_id = ? AND category IN (?`+strings.Repeat(", ?", len(noteCats)-1)+`) ORDER BY written_at DESC`,
			append([]any{a.MunicipalityID, id}, noteCats...)...)
		notes, err := store.Collect(rows, err, scanNote)
		if err != nil {
			return View{}, err
		}
		for _, n := range notes {
			v.Notes = append(v.Notes, access.Tag(id, n, n.Category))
		}
	}
	if v.CaseUnits, err = access.CaseUnitsOf(ctx, q, a.MunicipalityID, id); err != nil {
		return View{}, err
	}
	if v.Consents, v.OutsideConsents, err = access.AllConsentsOf(ctx, q, a.MunicipalityID, id); err != nil {
		return View{}, err
	}
	return v, nil
}

func scanNote(r store.Scanner) (n Note, err error) {
	err = r.Scan(&n.ID, &n.Category, &n.Body, &n.Author, &n.OrgUnit, store.ScanTime(&n.Written))
	return n, err
}

func household(ctx context.Context, q store.Queryer, municipalityID, householdID int64) ([]Member, error) {
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(person_id, 0), first_name, last_name, birth_date, relation
		FROM household_members WHERE municipality_id = ? AND household_id = ? ORDER BY relation = 'barn', birth_date, id`,
		municipalityID, householdID)
	return store.Collect(rows, err, func(r store.Scanner) (m Member, err error) {
		err = r.Scan(&m.PersonID, &m.FirstName, &m.LastName, &m.BirthDate, &m.Relation)
		return m, err
	})
}

// Reveal gives the full identity number to an actor whose grant includes
// it, and logs that it was shown.
func Reveal(ctx context.Context, q store.Queryer, a access.Actor, id int64, channel string) (string, error) {
	rd := access.NewReader(q, a, channel)
	g, err := rd.Authorize(ctx, id)
	if err != nil {
		return "", err
	}
	if !g.Allows(access.IDNumber) {
		return "", access.ErrForbidden
	}
	var sealed string
	if err := q.QueryRowContext(ctx, "SELECT identity_enc FROM persons WHERE municipality_id = ? AND id = ?", a.MunicipalityID, id).Scan(&sealed); err != nil {
		return "", err
	}
	number, err := openNumber(q, a.MunicipalityID, sealed)
	if err != nil {
		return "", err
	}
	shown := access.Tag(id, number, access.IDNumber)
	if err := rd.Send(ctx, &shown); err != nil {
		return "", err
	}
	return shown.Value(), nil
}

// AddNote writes a journal note. One writes only in a category one may
// read, so a note never lands where its author could not see it.
func AddNote(ctx context.Context, q store.Queryer, a access.Actor, personID int64, category access.Category, body string) (int64, error) {
	if !a.Writes() {
		return 0, access.ErrForbidden
	}
	body = strings.TrimSpace(body)
	var problems []invalid.Message
	if body == "" {
		problems = append(problems, invalid.F("notatet er tomt"))
	} else if utf8.RuneCountInString(body) > 10000 {
		problems = append(problems, invalid.F("notatet kan ha høyst 10 000 tegn"))
	}
	if category == access.Basic || category == access.IDNumber || category == access.Household {
		problems = append(problems, invalid.F("velg en kategori for notatet"))
	}
	if len(problems) > 0 {
		return 0, &ValidationError{Problems: problems}
	}
	g, err := access.Authorize(ctx, q, a, personID)
	if err != nil {
		return 0, err
	}
	if !g.Allows(category) {
		return 0, access.ErrForbidden
	}
	now := time.Now()
	id, err := store.InsertID(ctx, q, `INSERT INTO notes (municipality_id, person_id, category, body, written_by, author_name, org_unit_name, written_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, personID, string(category), body, a.UserID, a.Name, a.OrgUnitName, store.TimeArg(now))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "notat",
		EntityID: id, After: Note{ID: id, Category: category, Body: body, Author: a.Name, OrgUnit: a.OrgUnitName, Written: now}})
}

// Restrict sets or lifts restriction of processing (GDPR art. 18). While
// restricted, staff cannot open the person; the data is kept.
func Restrict(ctx context.Context, q store.Queryer, a access.Actor, personID int64, restricted bool, reason string) error {
	if a.Role != access.UnitLeader {
		return access.ErrForbidden
	}
	if strings.TrimSpace(reason) == "" {
		return invalid.Problem("oppgi grunnen til begrensningen")
	}
	// The leader's unit must have a role on the case (restricted persons
	// cannot be opened, so this is checked here rather than by Authorize).
	var roles int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_units WHERE municipality_id = ? AND person_id = ? AND org_unit_id = ? AND ended_at IS NULL",
		a.MunicipalityID, personID, a.OrgUnitID).Scan(&roles); err != nil {
		return err
	}
	if roles == 0 {
		return access.ErrNoRelationship
	}
	var before bool
	err := q.QueryRowContext(ctx, "SELECT restricted FROM persons WHERE municipality_id = ? AND id = ?", a.MunicipalityID, personID).Scan(&before)
	if err != nil {
		return access.ErrUnknownPerson
	}
	if _, err := q.ExecContext(ctx, "UPDATE persons SET restricted = ?, updated_at = ? WHERE id = ?", restricted, store.TimeArg(time.Now()), personID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "begrens behandling",
		Entity: "person", EntityID: personID, Before: map[string]any{"restricted": before}, After: map[string]any{"restricted": restricted, "reason": reason}})
}

// LeaseOfPerson is a lease seen from the tenant.
type LeaseOfPerson struct {
	LeaseID     int64         `json:"lease_id"`
	UnitID      int64         `json:"unit_id"`
	UnitCode    string        `json:"unit_code"`
	Address     string        `json:"address"`
	Start       deadline.Date `json:"start_date"`
	End         deadline.Date `json:"end_date,omitzero"`
	RentMonthly int           `json:"rent_monthly"`
	Status      string        `json:"status"`
}

func scanLease(r store.Scanner) (l LeaseOfPerson, err error) {
	err = r.Scan(&l.LeaseID, &l.UnitID, &l.UnitCode, &l.Address, &l.Start, &l.End, &l.RentMonthly, &l.Status)
	return l, err
}

// Reseal re-encrypts every identity number in the database with the key
// ring's active key (after a rotation), in the caller's transaction. It
// returns how many were re-encrypted.
func Reseal(ctx context.Context, tx *store.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, municipality_id, identity_enc FROM persons")
	type row struct {
		id, mid int64
		enc     string
	}
	all, err := store.Collect(rows, err, func(r store.Scanner) (x row, err error) {
		err = r.Scan(&x.id, &x.mid, &x.enc)
		return x, err
	})
	if err != nil {
		return 0, err
	}
	ring := tx.Keys()
	n := 0
	for _, x := range all {
		if keys.KeyID(x.enc) == ring.Active {
			continue
		}
		number, err := openNumber(tx, x.mid, x.enc)
		if err != nil {
			return n, fmt.Errorf("person %d: %w", x.id, err)
		}
		enc, err := ring.Seal(number, municipalityAAD(x.mid))
		if err != nil {
			return n, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE persons SET identity_enc = ? WHERE id = ?", enc, x.id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
