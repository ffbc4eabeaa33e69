package store_test

import (
	"context"
	"testing"
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
