package bench

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"time"

	"husly/internal/access"
	"husly/internal/demo"
	"husly/internal/housing"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/tabular"
	"husly/internal/web"
)

// The demo municipality is the smallest case; the limits keep a run within
// what one machine can generate in minutes.
const (
	DemoPersons = 470
	DemoUnits   = 700
	MaxPersons  = 1000000
	MaxUnits    = 200000
)

// Case is what a run measures: one municipality of a given size (the demo
// municipality with persons and units added by import) or the national
// hosted case.
type Case struct {
	National       bool
	Persons, Units int
}

// Validate refuses sizes the harness cannot build, before anything is made.
func (c Case) Validate() error {
	if c.National {
		return nil
	}
	if c.Persons < DemoPersons || c.Persons > MaxPersons {
		return fmt.Errorf("antall personer må være fra %d (demokommunen) til %d, fikk %d", DemoPersons, MaxPersons, c.Persons)
	}
	if c.Units < DemoUnits || c.Units > MaxUnits {
		return fmt.Errorf("antall boliger må være fra %d (demokommunen) til %d, fikk %d", DemoUnits, MaxUnits, c.Units)
	}
	return nil
}

func (c Case) String() string {
	if c.National {
		return "nasjonal: 357 kommuner"
	}
	return fmt.Sprintf("kommune: %d personer, %d boliger", c.Persons, c.Units)
}

const caseSetting = "bench_case"

// Prepare builds the case in an empty database, or checks that the
// database already holds exactly this case (so repeated runs measure the
// same data). A database with anything else in it is refused untouched.
func Prepare(ctx context.Context, db *store.DB, c Case, log io.Writer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		var have string
		err := db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", caseSetting).Scan(&have)
		if err != nil || have != c.String() {
			if have == "" {
				have = "ikke en lasttestdatabase"
			}
			return fmt.Errorf("databasen %s er ikke tom (%s); bruk en tom database for %s", db.Location, have, c)
		}
		fmt.Fprintf(log, "Bruker databasen som er laget fra før (%s).\n", c)
		return nil
	}
	start := time.Now()
	res, err := demo.Create(ctx, db, 1)
	if err != nil {
		return fmt.Errorf("demokommunen: %w", err)
	}
	plan := []Municipality{{Number: demoMunicipality, Persons: c.Persons, Units: c.Units}}
	if c.National {
		plan = National()
	}
	for i, m := range plan {
		mid := res.MunicipalityID
		persons, units := m.Persons, m.Units
		if m.Number == demoMunicipality {
			persons, units = max(0, persons-res.Persons), max(0, units-res.Units)
		} else if mid, err = tenant(ctx, db, m); err != nil {
			return fmt.Errorf("kommune %s: %w", m.Number, err)
		}
		if err := fill(ctx, db, mid, persons, units, uint64(i+1)); err != nil {
			return fmt.Errorf("kommune %s: %w", m.Number, err)
		}
		if len(plan) > 1 && (i+1)%50 == 0 {
			fmt.Fprintf(log, "  %d av %d kommuner laget (%.0f s)\n", i+1, len(plan), time.Since(start).Seconds())
		}
	}
	if err := store.SetSetting(ctx, db, caseSetting, c.String()); err != nil {
		return err
	}
	fmt.Fprintf(log, "Laget %s på %.1f s.\n", c, time.Since(start).Seconds())
	return nil
}

// housingOffice registers every generated person: it holds the case role
// that makes them visible to its case workers.
const housingOffice = "Tildelingskontoret"

// benchOperator is the load harness's identity: it sets municipalities up
// and imports their registers as the operator's command line would.
func benchOperator(municipalityID int64) access.Actor {
	return access.Actor{MunicipalityID: municipalityID, Username: "bench", Name: "Lasttesten", Role: access.Operator}
}

// tenant adds a municipality of the national case with a housing office,
// a property unit, and one case worker and one property officer.
func tenant(ctx context.Context, db *store.DB, m Municipality) (int64, error) {
	var mid int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if mid, err = org.CreateMunicipality(ctx, tx, benchOperator(0), org.Municipality{Number: m.Number, Name: m.Name, Inhabitants: m.Inhabitants}); err != nil {
			return err
		}
		for _, u := range []struct {
			unit     string
			kind     org.UnitKind
			role     access.Role
			username string
		}{{housingOffice, org.KindHousingOffice, access.CaseWorker, "sb-"}, {"Eiendom", org.KindProperty, access.Property, "eiendom-"}} {
			uid, err := org.CreateUnit(ctx, tx, benchOperator(mid), org.Unit{Name: u.unit, Kind: u.kind})
			if err != nil {
				return err
			}
			if _, err := org.CreateUser(ctx, tx, benchOperator(mid), org.User{MunicipalityID: mid, OrgUnitID: uid, Role: u.role,
				Username: u.username + m.Number, FullName: u.unit + " " + m.Name}); err != nil {
				return err
			}
		}
		return nil
	})
	return mid, err
}

// fill imports persons and units through the import path, all or nothing
// per file, as a municipality would load its registers.
func fill(ctx context.Context, db *store.DB, mid int64, persons, units int, seed uint64) error {
	op := benchOperator(mid)
	if persons > 0 {
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(WritePersons(pw, persons, housingOffice, seed)) }()
		if _, err := people.Import(ctx, db, op, pr, tabular.CSV, nil); err != nil {
			pr.CloseWithError(err)
			return fmt.Errorf("import av personer: %w", err)
		}
	}
	if units > 0 {
		ur, uw := io.Pipe()
		go func() { uw.CloseWithError(WriteUnits(uw, units, "B", seed)) }()
		if _, err := housing.ImportUnits(ctx, db, op, ur, tabular.CSV); err != nil {
			ur.CloseWithError(err)
			return fmt.Errorf("import av boliger: %w", err)
		}
	}
	return nil
}

// Client is one signed-in staff member the load is sent as.
type Client struct {
	Token        string
	Username     string
	Role         access.Role
	Municipality string
	Persons      []int64 // persons this user may open, for record reads and writes
	Weight       int     // the municipality's share of the load (inhabitants)
}

// Clients creates a read-write API token (valid one day) for the staff the
// load acts as: in each municipality its case worker and property officer,
// and in the demo municipality also the follow-up worker and unit leader.
func Clients(ctx context.Context, db *store.DB) ([]Client, error) {
	rows, err := db.QueryContext(ctx, `SELECT u.id, u.municipality_id, u.org_unit_id, u.username, u.role, m.number, m.inhabitants
		FROM users u JOIN municipalities m ON m.id = u.municipality_id
		WHERE u.username IN ('demo-saksbehandler', 'demo-oppfolging', 'demo-enhetsleder', 'demo-eiendom')
		   OR u.username LIKE 'sb-____' OR u.username LIKE 'eiendom-____' ORDER BY u.id`)
	if err != nil {
		return nil, err
	}
	type user struct {
		id, mid, unit int64
		c             Client
	}
	users, err := store.Collect(rows, nil, func(r store.Scanner) (u user, err error) {
		var inhabitants int
		err = r.Scan(&u.id, &u.mid, &u.unit, &u.c.Username, &u.c.Role, &u.c.Municipality, &inhabitants)
		u.c.Weight = max(1, inhabitants/1000)
		return u, err
	})
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, errors.New("fant ingen brukere å sende lasten som")
	}
	now := time.Now()
	out := make([]Client, 0, len(users))
	for _, u := range users {
		raw := make([]byte, 32)
		rand.Read(raw)
		u.c.Token = "husly_" + base64.RawURLEncoding.EncodeToString(raw)
		if _, err := db.ExecContext(ctx, `INSERT INTO api_tokens (municipality_id, user_id, name, token_hash, scopes, created_at, expires_at)
			VALUES (?, ?, 'lasttest', ?, 'les,skriv', ?, ?)`, u.mid, u.id, web.HashToken(u.c.Token), store.TimeArg(now), store.TimeArg(now.Add(24*time.Hour))); err != nil {
			return nil, err
		}
		prows, err := db.QueryContext(ctx, `SELECT DISTINCT c.person_id FROM case_units c JOIN persons p ON p.id = c.person_id
			WHERE c.municipality_id = ? AND c.org_unit_id = ? AND c.ended_at IS NULL AND p.restricted = ? ORDER BY c.person_id LIMIT 1000`,
			u.mid, u.unit, false)
		u.c.Persons, err = store.Collect(prows, err, func(r store.Scanner) (id int64, err error) { return id, r.Scan(&id) })
		if err != nil {
			return nil, err
		}
		out = append(out, u.c)
	}
	return out, nil
}
