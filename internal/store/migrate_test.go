package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

func TestMigrateTwiceAndIntegrity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		var v int
		if err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v); err != nil || v != store.SchemaVersion() {
			t.Fatalf("schema version %d (%v), want %d", v, err, store.SchemaVersion())
		}
		if err := db.CheckIntegrity(ctx); err != nil {
			t.Fatal(err)
		}
		empty, err := db.IsEmpty(ctx)
		if err != nil || !empty {
			t.Fatalf("IsEmpty = %v, %v", empty, err)
		}
	})
}

func TestCrossMunicipalityLinkRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := store.TimeArg(time.Now())
		for _, m := range []string{"1505", "1506"} {
			if _, err := db.ExecContext(ctx, "INSERT INTO municipalities (number, name, created_at) VALUES (?, ?, ?)", m, "K"+m, now); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ExecContext(ctx, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (1, 'NAV', 'nav', ?)", now); err != nil {
			t.Fatal(err)
		}
		// A user of municipality 2 in a unit of municipality 1 must be refused by the schema.
		_, err := db.ExecContext(ctx, "INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (2, 1, 'x', 'X', 'saksbehandler', ?)", now)
		if err == nil {
			t.Fatal("cross-municipality link was stored")
		}
	})
}

// copyMigrations copies the released migration files into a map the test
// can edit.
func copyMigrations(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(store.MigrationFiles, "migrations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(store.MigrationFiles, path)
		out[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A released migration is frozen: each applied migration's checksum is
// kept, and a database whose applied migration has since been edited is
// refused with a message naming the file, before anything is changed.
func TestChangedMigrationRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var missing int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE checksum IS NULL OR checksum = ''").Scan(&missing); err != nil || missing != 0 {
			t.Fatalf("%d applied migrations without a checksum (%v)", missing, err)
		}
		files := copyMigrations(t)
		// The unchanged files pass, and so does a new migration.
		files["migrations/9000_next.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE next_thing (id {{ID}});")}
		if err := db.MigrateFrom(ctx, files); err != nil {
			t.Fatalf("unchanged files: %v", err)
		}
		// An edit to an applied migration, even a comment, is refused.
		edited := string(files["migrations/0001_core.sql"].Data) + "\n-- a later edit\n"
		files["migrations/0001_core.sql"] = &fstest.MapFile{Data: []byte(edited)}
		files["migrations/9001_after.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE after_thing (id {{ID}});")}
		err := db.MigrateFrom(ctx, files)
		var changed *store.ChangedMigrationError
		if !errors.As(err, &changed) || changed.Version != 1 || !strings.Contains(err.Error(), "0001_core.sql") || !strings.Contains(err.Error(), "er endret") {
			t.Fatalf("edited migration: %v", err)
		}
		// Refused before the new migration ran.
		var after int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = 9001").Scan(&after); err != nil || after != 0 {
			t.Fatalf("migration after the refusal applied: %d (%v)", after, err)
		}
	})
}

// A database made before checksums were kept gets them recorded on its
// first run, and is protected from then on.
func TestChecksumsRecordedForOlderDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Make the table look as it did before: no checksum column.
		if db.Dialect() == store.Postgres {
			if _, err := db.ExecContext(ctx, "ALTER TABLE schema_migrations DROP COLUMN checksum"); err != nil {
				t.Fatal(err)
			}
		} else {
			for _, q := range []string{
				"CREATE TABLE old_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
				"INSERT INTO old_migrations SELECT version, name, applied_at FROM schema_migrations",
				"DROP TABLE schema_migrations",
				"ALTER TABLE old_migrations RENAME TO schema_migrations",
			} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("first run with checksums: %v", err)
		}
		var recorded, all int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(checksum), COUNT(*) FROM schema_migrations").Scan(&recorded, &all); err != nil || recorded != all || all == 0 {
			t.Fatalf("%d of %d checksums recorded (%v)", recorded, all, err)
		}
		files := copyMigrations(t)
		files["migrations/0002_privacy.sql"] = &fstest.MapFile{Data: append(files["migrations/0002_privacy.sql"].Data, ' ')}
		if err := db.MigrateFrom(ctx, files); !strings.Contains(fmt.Sprint(err), "0002_privacy.sql") {
			t.Fatalf("edited after the checksums were recorded: %v", err)
		}
	})
}
