package demo_test

import (
	"context"
	"testing"

	"husly/internal/demo"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func TestDemoIsRealisticAndDeterministic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		res, err := demo.Create(ctx, db, 1)
		if err != nil {
			t.Fatal(err)
		}
		if res.Persons < 450 || res.Persons > 490 || res.Units < 680 || res.Units > 720 || len(res.Logins) != 9 {
			t.Fatalf("demo made %d persons, %d units, %d logins", res.Persons, res.Units, len(res.Logins))
		}
		var care, leases, children int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM units WHERE category IN ('omsorgsbolig','spesialisert','bofellesskap','rehabilitering')").Scan(&care); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM leases").Scan(&leases); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM household_members WHERE relation = 'barn'").Scan(&children); err != nil {
			t.Fatal(err)
		}
		if care < 380 || care > 420 || leases < 200 || children < 30 {
			t.Fatalf("care units %d, leases %d, children %d", care, leases, children)
		}
		// A move decision during an open-ended lease, its letter sent and
		// an appeal received.
		var moves int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM renewal_decisions r JOIN leases l ON l.id = r.lease_id JOIN renewal_appeals x ON x.decision_id = r.id
			WHERE r.kind = 'i_leieperioden' AND l.end_date IS NULL AND r.notified_on IS NOT NULL AND x.status = 'mottatt'`).Scan(&moves); err != nil {
			t.Fatal(err)
		}
		if moves != 1 {
			t.Errorf("%d move decisions with an appeal received, want 1", moves)
		}
		if err := db.CheckIntegrity(ctx); err != nil {
			t.Fatal(err)
		}
		// The same seed gives the same people.
		other := storetest.Open(t, "sqlite")
		if _, err := demo.Create(ctx, other, 1); err != nil {
			t.Fatal(err)
		}
		fingerprint := func(db *store.DB) (s string) {
			rows, _ := db.QueryContext(ctx, "SELECT identity_hash || first_name || last_name FROM persons ORDER BY id")
			defer rows.Close()
			for rows.Next() {
				var x string
				if err := rows.Scan(&x); err != nil {
					t.Fatal(err)
				}
				s += x
			}
			return s
		}
		if fingerprint(db) != fingerprint(other) {
			t.Fatal("the same seed made different persons")
		}
	})
}

// BenchmarkCreate measures the demo from an empty SQLite file to a full
// municipality (the figure: husly demo serves within 5 s).
func BenchmarkCreate(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := storetest.Open(b, "sqlite")
		b.StartTimer()
		if _, err := demo.Create(context.Background(), db, uint64(i+1)); err != nil {
			b.Fatal(err)
		}
	}
}
