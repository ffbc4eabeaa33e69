package audit_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"husly/internal/audit"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func record(t testing.TB, db *store.DB, muni int64, i int) {
	t.Helper()
	err := db.InTx(context.Background(), func(tx *store.Tx) error {
		return audit.Record(context.Background(), tx, audit.Entry{MunicipalityID: muni, Actor: "Test (test)", Action: "endre",
			Entity: "person", EntityID: int64(i), Before: map[string]any{"telefon": fmt.Sprint(i)}, After: map[string]any{"telefon": fmt.Sprint(i + 1)}})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tamper runs statements with the append-only triggers out of the way, as
// someone with direct database access could.
func tamper(t *testing.T, db *store.DB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	if db.Dialect() == store.SQLite {
		if _, err := db.ExecContext(ctx, "DROP TRIGGER audit_log_no_update"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "DROP TRIGGER audit_log_no_delete"); err != nil {
			t.Fatal(err)
		}
	} else {
		if _, err := db.ExecContext(ctx, "DROP TRIGGER audit_log_append_only ON audit_log"); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestChainVerifiesAndCatchesTampering(t *testing.T) {
	cases := []struct {
		name, stmt, problem string
		seq                 int64
	}{
		{"changed content", "UPDATE audit_log SET after_json = '{\"telefon\":\"99999999\"}' WHERE municipality_id = 1 AND seq = 7", "innholdet er endret", 7},
		{"deleted entry", "DELETE FROM audit_log WHERE municipality_id = 1 AND seq = 4", "oppføring 4 mangler", 5},
		{"rehashed entry", "UPDATE audit_log SET actor = 'Noen andre', hash = 'x' WHERE municipality_id = 1 AND seq = 3", "innholdet er endret", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				a := storetest.NewTenant(t, db, "1505")
				b := storetest.NewTenant(t, db, "1506")
				for i := 0; i < 10; i++ {
					record(t, db, a.MunicipalityID, i)
					record(t, db, b.MunicipalityID, i)
				}
				r, err := audit.Verify(ctx, db, nil)
				if err != nil || r.Broken != nil || r.Entries != 20 || r.Chains != 2 {
					t.Fatalf("clean chain: %+v %v", r, err)
				}
				// The schema refuses changes while its triggers stand.
				if _, err := db.ExecContext(ctx, "UPDATE audit_log SET actor = 'x'"); err == nil {
					t.Fatal("the audit log accepted an UPDATE")
				}
				tamper(t, db, c.stmt)
				r, err = audit.Verify(ctx, db, nil)
				if err != nil || r.Broken == nil || r.Broken.Seq != c.seq || !strings.Contains(r.Broken.Problem, c.problem) {
					t.Fatalf("after tampering: %+v %v", r.Broken, err)
				}
			})
		})
	}
}

// Concurrent writers extend one chain without forks.
func TestChainUnderConcurrentWriters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := storetest.NewTenant(t, db, "1505")
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < 25; i++ {
					record(t, db, a.MunicipalityID, w*100+i)
				}
			}(w)
		}
		wg.Wait()
		r, err := audit.Verify(context.Background(), db, nil)
		if err != nil || r.Broken != nil || r.Entries != 100 {
			t.Fatalf("%+v %v", r, err)
		}
	})
}

// BenchmarkVerify1M checks a chain of 1,000,000 entries on SQLite (the
// figure: at most 10 s).
func BenchmarkVerify1M(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, "sqlite")
	tn := storetest.NewTenant(b, db, "1505")
	const n = 1000000
	err := db.InTx(ctx, func(tx *store.Tx) error {
		stmt, err := tx.Prepare(ctx, `INSERT INTO audit_log (municipality_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		prev := strings.Repeat("0", 64)
		at := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
		for i := int64(1); i <= n; i++ {
			before, after := fmt.Sprintf(`{"status":"ledig","id":%d}`, i), fmt.Sprintf(`{"status":"utleid","id":%d}`, i)
			h := audit.Hash(prev, tn.MunicipalityID, i, at, "Siri Saksbehandler (demo-saksbehandler)", "endre", "bolig", i, before, after)
			if _, err := stmt.ExecContext(ctx, tn.MunicipalityID, i, at, "Siri Saksbehandler (demo-saksbehandler)", "endre", "bolig", i, before, after, prev, h); err != nil {
				return err
			}
			prev = h
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := audit.Verify(ctx, db, nil)
		if err != nil || r.Broken != nil || r.Entries != n {
			b.Fatalf("%+v %v", r, err)
		}
	}
}
