// Package storetest runs a test against every database engine Husly
// supports: always SQLite in a temporary file, and PostgreSQL when
// HUSLY_TEST_POSTGRES names a server. Under CI=true a missing PostgreSQL
// fails the run instead of skipping it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/store"
)

func init() {
	// Test users' passwords are hashed cheaply (see access.UseTestHashing).
	access.UseTestHashing()
	// One key ring for the whole test process (and the binaries it starts),
	// so backups restore across the test databases.
	if os.Getenv("HUSLY_KEYS_FILE") == "" {
		dir, err := os.MkdirTemp("", "husly-test-keys")
		if err != nil {
			panic(err)
		}
		if err := os.Setenv("HUSLY_KEYS_FILE", filepath.Join(dir, "husly-keys.json")); err != nil {
			panic(err)
		}
	}
}

// InsertPerson stores a person directly, as the import would, for tests
// that need one outside the usual rules; the number is sealed with the
// database's keys.
func InsertPerson(t testing.TB, db *store.DB, municipalityID int64, number, first, last string) int64 {
	t.Helper()
	enc, err := db.Keys().Seal(number, "kommune:"+strconv.FormatInt(municipalityID, 10))
	if err != nil {
		t.Fatal(err)
	}
	now := store.TimeArg(time.Now())
	id, err := store.InsertID(context.Background(), db, `INSERT INTO persons (municipality_id, identity_enc, identity_hash, identity_prefix,
		first_name, last_name, first_name_key, last_name_key, birth_date, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, '1980-01-01', ?, ?)`, municipalityID, enc, db.Keys().Blind(number), number[:6],
		first, last, strings.ToLower(first), strings.ToLower(last), now, now)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// NumberOf decrypts a person's identity number.
func NumberOf(t testing.TB, db *store.DB, personID int64) string {
	t.Helper()
	var mid int64
	var enc string
	if err := db.QueryRowContext(context.Background(), "SELECT municipality_id, identity_enc FROM persons WHERE id = ?", personID).Scan(&mid, &enc); err != nil {
		t.Fatal(err)
	}
	n, err := db.Keys().Open(enc, "kommune:"+strconv.FormatInt(mid, 10))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Engines lists the engines the tests can reach, failing t under CI when
// PostgreSQL is required but not configured.
func Engines(t testing.TB) []string {
	engines := []string{"sqlite"}
	if os.Getenv("HUSLY_TEST_POSTGRES") != "" {
		engines = append(engines, "postgres")
	} else if os.Getenv("CI") == "true" {
		t.Fatal("CI=true, men HUSLY_TEST_POSTGRES er ikke satt: PostgreSQL-testene kan ikke hoppes over")
	}
	return engines
}

// Each runs fn once per engine, each time on a fresh, migrated database
// marked as a test database. The engines run side by side (the test
// returns when both are done): they share no database, and the suite's
// wall time is what bounds the build on a two-core machine.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, engine := range Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, Open(t, engine))
		})
	}
}

// Open gives a fresh, migrated test database on engine, removed when the
// test ends. On SQLite it is a copy of the process's migrated template
// file (a copy takes a millisecond, the migrations forty); on PostgreSQL a
// new schema is migrated.
func Open(t testing.TB, engine string) *store.DB {
	t.Helper()
	var dsn string
	if engine == "sqlite" {
		tp, err := templateFor(engine, "migrated", nil)
		if err != nil {
			t.Fatal(err)
		}
		dsn = copySQLite(t, tp)
	} else {
		dsn = DSN(t, engine)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := store.SetSetting(ctx, db, "environment", string(store.TestEnv)); err != nil {
		t.Fatal(err)
	}
	return db
}

// DSN makes an empty database on engine and returns its address: a new
// file for SQLite, a new schema for PostgreSQL (much faster than a new
// database, and just as isolated for Husly's unqualified table names).
func DSN(t testing.TB, engine string) string {
	t.Helper()
	if engine == "sqlite" {
		return "sqlite:" + filepath.Join(t.TempDir(), "husly.db")
	}
	base := os.Getenv("HUSLY_TEST_POSTGRES")
	if base == "" {
		t.Fatal("HUSLY_TEST_POSTGRES er ikke satt")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			// t.Context is already cancelled when cleanups run.
			if _, err := a.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				t.Logf("the test schema %s is left behind: %v", schema, err)
			}
			_ = a.Close()
		}
	})
	if _, err := url.Parse(base); err != nil {
		t.Fatal(err)
	}
	return withSearchPath(base, schema)
}

// Tenant is a municipality made for a test, with a housing office and a
// case worker in it.
type Tenant struct {
	MunicipalityID int64
	OrgUnitID      int64
	UserID         int64
}

// CaseWorker is the tenant's case worker as an acting user.
func (tn Tenant) CaseWorker() access.Actor {
	return access.Actor{UserID: tn.UserID, MunicipalityID: tn.MunicipalityID, OrgUnitID: tn.OrgUnitID,
		OrgUnitName: "Boligkontoret", Username: "sb-test", Name: "Saksbehandler", Role: access.CaseWorker}
}

// Operator is the command line acting in the tenant.
func (tn Tenant) Operator() access.Actor {
	return access.Actor{MunicipalityID: tn.MunicipalityID, Username: "cli:test", Name: "Kommandolinjen", Role: access.Operator}
}

// NewTenant adds a municipality numbered number, with the default access
// matrix, a housing office and one case worker whose username is
// "sb-"+number.
func NewTenant(t testing.TB, db *store.DB, number string) Tenant {
	t.Helper()
	ctx := context.Background()
	now := store.TimeArg(time.Now())
	mid, err := store.InsertID(ctx, db, "INSERT INTO municipalities (number, name, created_at) VALUES (?, ?, ?)", number, "Testkommune "+number, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := access.SeedMatrix(ctx, db, mid); err != nil {
		t.Fatal(err)
	}
	unit, err := store.InsertID(ctx, db, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'Boligkontoret', 'boligkontor', ?)", mid, now)
	if err != nil {
		t.Fatal(err)
	}
	uid, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at)
		VALUES (?, ?, ?, ?, 'saksbehandler', ?)`, mid, unit, "sb-"+number, "Saksbehandler "+number, now)
	if err != nil {
		t.Fatal(err)
	}
	return Tenant{mid, unit, uid}
}
