package store_test

import (
	"context"
	"database/sql"
	"path"
	"strings"
	"testing"
	"time"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Migration 0016 links the names already stored to users where a name
// names exactly one user in the municipality: a shared name, or a name no
// user has any longer, stays a name only.
func TestStaffNamesLinkedWhereUnambiguous(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db, err := store.OpenNoMigrate(ctx, storetest.DSN(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			before := copyMigrations(t)
			// The database as it stood before 0016: every later migration
			// waits too, since later ones build on its columns.
			for p := range before {
				if base := path.Base(p); base >= "0016_" && strings.HasSuffix(base, ".sql") {
					delete(before, p)
				}
			}
			if err := db.MigrateFrom(ctx, before); err != nil {
				t.Fatal(err)
			}
			now := store.TimeArg(time.Now())
			mid, err := store.InsertID(ctx, db, "INSERT INTO municipalities (number, name, created_at) VALUES ('1505', 'Kristiansund', ?)", now)
			if err != nil {
				t.Fatal(err)
			}
			users := map[string]int64{}
			for _, u := range []struct{ username, name string }{{"ola", "Ola Unik"}, {"kari-1", "Kari Nordmann"}, {"kari-2", "Kari Nordmann"}} {
				id, err := store.InsertID(ctx, db, "INSERT INTO users (municipality_id, username, full_name, role, created_at) VALUES (?, ?, ?, 'saksbehandler', ?)",
					mid, u.username, u.name, now)
				if err != nil {
					t.Fatal(err)
				}
				users[u.username] = id
			}
			// The person is only something for the cases to belong to; the
			// number's sealing is not what this test is about.
			pid, err := store.InsertID(ctx, db, `INSERT INTO persons (municipality_id, identity_enc, identity_hash, identity_prefix, first_name, last_name,
				first_name_key, last_name_key, birth_date, created_at, updated_at) VALUES (?, 'forseglet', 'blindindeks', '010180', 'Liv', 'Berg', 'liv', 'berg',
				'1980-01-01', ?, ?)`, mid, now, now)
			if err != nil {
				t.Fatal(err)
			}
			apps := map[string]int64{}
			for _, name := range []string{"Ola Unik", "Kari Nordmann", "Sluttet Ansatt", ""} {
				id, err := store.InsertID(ctx, db, `INSERT INTO applications (municipality_id, person_id, kind, received_on, decision_due, eligible, eligibility,
					case_worker, created_at) VALUES (?, ?, 'kommunal_bolig', '2026-01-05', '2026-02-05', TRUE, '{}', ?, ?)`, mid, pid, name, now)
				if err != nil {
					t.Fatal(err)
				}
				apps[name] = id
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			for name, want := range map[string]int64{"Ola Unik": users["ola"], "Kari Nordmann": 0, "Sluttet Ansatt": 0, "": 0} {
				var got sql.NullInt64
				var kept string
				if err := db.QueryRowContext(ctx, "SELECT case_worker_id, case_worker FROM applications WHERE id = ?", apps[name]).Scan(&got, &kept); err != nil {
					t.Fatal(err)
				}
				if got.Int64 != want || kept != name {
					t.Errorf("case worker %q: linked to user %d (name kept %q), want user %d", name, got.Int64, kept, want)
				}
			}
		})
	}
}
