package audit_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"husly/internal/audit"
	"husly/internal/keys"
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

func read(t testing.TB, db *store.DB, muni, person int64) {
	t.Helper()
	err := audit.LogAccess(context.Background(), db, audit.AccessEntry{MunicipalityID: muni, At: time.Now(), UserID: 0, UserName: "Test (test)",
		OrgUnitName: "Boligkontoret", Channel: "side", Persons: []audit.PersonRead{{PersonID: person, Categories: "grunnopplysninger", Basis: "relasjon"}}})
	if err != nil {
		t.Fatal(err)
	}
}

// tamper runs statements with the append-only triggers out of the way, as
// someone with direct database access could.
func tamper(t testing.TB, db *store.DB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	if db.Dialect() == store.SQLite {
		for _, tr := range []string{"audit_log_no_update", "audit_log_no_delete", "access_log_no_update", "access_log_no_delete",
			"access_log_persons_no_update", "access_log_persons_no_delete"} {
			stmts = append([]string{"DROP TRIGGER IF EXISTS " + tr}, stmts...)
		}
	} else {
		stmts = append([]string{"DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
			"DROP TRIGGER IF EXISTS access_log_append_only ON access_log",
			"DROP TRIGGER IF EXISTS access_log_persons_append_only ON access_log_persons"}, stmts...)
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rechain rewrites entry seq of a municipality's audit chain (its actor)
// and recomputes every following link with keyID's key from ring, as an
// attacker would: with the wrong key if they lack the real one.
func rechain(t testing.TB, db *store.DB, muni, from int64, key []byte) {
	t.Helper()
	ctx := context.Background()
	ring := &keys.Ring{ChainActive: "m1", Chain: map[string][]byte{"m1": key}}
	rows, err := db.QueryContext(ctx, `SELECT id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, key_id
		FROM audit_log WHERE municipality_id = ? AND seq >= ? ORDER BY seq`, muni, from)
	type e struct {
		id, seq, entityID                                     int64
		at, actor, action, entity, before, after, prev, keyID string
	}
	es, err := store.Collect(rows, err, func(r store.Scanner) (x e, err error) {
		err = r.Scan(&x.id, &x.seq, &x.at, &x.actor, &x.action, &x.entity, &x.entityID, &x.before, &x.after, &x.prev, &x.keyID)
		return x, err
	})
	if err != nil {
		t.Fatal(err)
	}
	tamper(t, db)
	prev := es[0].prev
	for i, x := range es {
		if i == 0 {
			x.actor = "Noen andre (angriper)"
		}
		mac, err := audit.MAC(ring, ring.ChainActive, prev, muni, x.seq, x.at, x.actor, x.action, x.entity, x.entityID, x.before, x.after)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?", x.actor, prev, mac, x.id); err != nil {
			t.Fatal(err)
		}
		prev = mac
	}
}

// twoTenants gives a database with two municipalities, each with 10 audit
// entries and 10 access-log rows.
func twoTenants(t *testing.T, db *store.DB) (a, b storetest.Tenant) {
	a = storetest.NewTenant(t, db, "1505")
	b = storetest.NewTenant(t, db, "1506")
	pa := storetest.InsertPerson(t, db, a.MunicipalityID, "01010710029", "Kari", "Nordmann")
	pb := storetest.InsertPerson(t, db, b.MunicipalityID, "01010710029", "Ola", "Nordmann")
	for i := 0; i < 10; i++ {
		record(t, db, a.MunicipalityID, i)
		record(t, db, b.MunicipalityID, i)
		read(t, db, a.MunicipalityID, pa)
		read(t, db, b.MunicipalityID, pb)
	}
	return a, b
}

func verify(t testing.TB, db *store.DB, cps ...audit.Checkpoint) audit.Report {
	t.Helper()
	r, err := audit.Verify(context.Background(), db, cps, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestChainsVerifyAndCatchTampering(t *testing.T) {
	cases := []struct {
		name, log string
		attack    func(t *testing.T, db *store.DB, muni int64)
		seq       int64
		problem   string
	}{
		{"changed content", audit.AuditLog, func(t *testing.T, db *store.DB, muni int64) {
			tamper(t, db, fmt.Sprintf("UPDATE audit_log SET after_json = '{\"telefon\":\"99999999\"}' WHERE municipality_id = %d AND seq = 7", muni))
		}, 7, "MAC-en stemmer ikke"},
		{"deleted entry", audit.AuditLog, func(t *testing.T, db *store.DB, muni int64) {
			tamper(t, db, fmt.Sprintf("DELETE FROM audit_log WHERE municipality_id = %d AND seq = 4", muni))
		}, 5, "oppføring 4 mangler"},
		{"links recomputed without the key", audit.AuditLog, func(t *testing.T, db *store.DB, muni int64) {
			rechain(t, db, muni, 3, []byte(strings.Repeat("x", 32)))
		}, 3, "MAC-en stemmer ikke"},
		{"access row changed", audit.AccessLog, func(t *testing.T, db *store.DB, muni int64) {
			tamper(t, db, fmt.Sprintf("UPDATE access_log SET user_name = 'Ingen' WHERE municipality_id = %d AND seq = 6", muni))
		}, 6, "MAC-en stemmer ikke"},
		{"access row deleted", audit.AccessLog, func(t *testing.T, db *store.DB, muni int64) {
			tamper(t, db, fmt.Sprintf("DELETE FROM access_log WHERE municipality_id = %d AND seq = 2", muni))
		}, 3, "oppføring 2 mangler"},
		{"access row from another key", audit.AccessLog, func(t *testing.T, db *store.DB, muni int64) {
			tamper(t, db, fmt.Sprintf("UPDATE access_log SET key_id = 'm99' WHERE municipality_id = %d AND seq = 9", muni))
		}, 9, "ikke finnes i nøkkelringen"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				a, _ := twoTenants(t, db)
				r := verify(t, db)
				if !r.Whole() || r.Audit.Entries != 20 || r.Audit.Chains != 2 || r.Access.Entries != 20 || r.Access.Chains != 2 {
					t.Fatalf("clean chains: %+v", r)
				}
				// The schema refuses changes while its triggers stand.
				for _, table := range []string{"audit_log", "access_log"} {
					if _, err := db.ExecContext(context.Background(), "UPDATE "+table+" SET municipality_id = municipality_id"); err == nil {
						t.Fatalf("%s accepted an UPDATE", table)
					}
				}
				c.attack(t, db, a.MunicipalityID)
				r = verify(t, db)
				if len(r.Broken) != 1 {
					t.Fatalf("after tampering: %+v", r.Broken)
				}
				br := r.Broken[0]
				if br.Log != c.log || br.MunicipalityID != a.MunicipalityID || br.Seq != c.seq || !strings.Contains(br.Problem, c.problem) {
					t.Fatalf("after tampering: %v", br)
				}
			})
		})
	}
}

// An access-log row slipped in without going through Husly stands outside
// the chain and is reported.
func TestAccessRowOutsideChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a, _ := twoTenants(t, db)
		tamper(t, db, fmt.Sprintf(`INSERT INTO access_log (municipality_id, at, user_name, person_id, categories, basis, channel)
			VALUES (%d, '2026-01-01T00:00:00.000000Z', 'Falsk', 1, 'helse', 'relasjon', 'side')`, a.MunicipalityID))
		r := verify(t, db)
		if len(r.Broken) != 1 || !strings.Contains(r.Broken[0].Problem, "utenfor kjeden") {
			t.Fatalf("%+v", r.Broken)
		}
	})
}

// Concurrent writers extend one chain without forks, on both logs.
func TestChainsUnderConcurrentWriters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := storetest.NewTenant(t, db, "1505")
		p := storetest.InsertPerson(t, db, a.MunicipalityID, "01010710029", "Kari", "Nordmann")
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < 25; i++ {
					if w%2 == 0 {
						record(t, db, a.MunicipalityID, w*100+i)
					}
					read(t, db, a.MunicipalityID, p)
				}
			}(w)
		}
		wg.Wait()
		r := verify(t, db)
		if !r.Whole() || r.Audit.Entries != 100 || r.Access.Entries != 200 {
			t.Fatalf("%+v", r)
		}
	})
}

// Rows logged inside a write transaction go in that transaction: they
// commit with it, vanish with its rollback, and never wait for the
// group-commit writer (on SQLite that would wait for its own lock).
func TestAccessInsideTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := storetest.NewTenant(t, db, "1505")
		p := storetest.InsertPerson(t, db, a.MunicipalityID, "01010710029", "Kari", "Nordmann")
		read(t, db, a.MunicipalityID, p)
		row := audit.AccessEntry{MunicipalityID: a.MunicipalityID, At: time.Now(), UserID: a.UserID, UserName: "Saksbehandler (sb-1505)",
			Channel: "api", Persons: []audit.PersonRead{{PersonID: p, Categories: "helse", Basis: "relasjon"}}}
		done := make(chan error, 1)
		go func() {
			done <- db.InTx(ctx, func(tx *store.Tx) error {
				if err := audit.Record(ctx, tx, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: "x", Action: "endre", Entity: "person", EntityID: p}); err != nil {
					return err
				}
				return audit.LogAccess(ctx, tx, row, row)
			})
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a read logged inside a write transaction waited for another transaction")
		}
		errRollback := errors.New("rull tilbake")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := audit.LogAccess(ctx, tx, row); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("the transaction to roll back: %v", err)
		}
		read(t, db, a.MunicipalityID, p)
		r := verify(t, db)
		if !r.Whole() || r.Access.Entries != 4 {
			t.Fatalf("%+v", r)
		}
	})
}

// A chain key rotation keeps every older entry verifiable: each entry
// names its key.
func TestChainsAcrossKeyRotation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a, _ := twoTenants(t, db)
		before := db.Keys().ChainActive
		// In memory only: the ring file is shared with the other tests.
		db.Keys().Chain["m-rotert"] = []byte(strings.Repeat("r", 32))
		db.Keys().ChainActive = "m-rotert"
		record(t, db, a.MunicipalityID, 99)
		read(t, db, a.MunicipalityID, 1)
		r := verify(t, db)
		if !r.Whole() || r.Audit.Entries != 21 || r.Access.Entries != 21 {
			t.Fatalf("%+v", r)
		}
		var keysUsed int
		if err := db.QueryRowContext(context.Background(), "SELECT COUNT(DISTINCT key_id) FROM audit_log").Scan(&keysUsed); err != nil {
			t.Fatal(err)
		}
		if keysUsed != 2 || before == db.Keys().ChainActive {
			t.Fatalf("%d keys in the chain", keysUsed)
		}
	})
}

// Concurrent reads share commits: 32 callers logging at once need fewer
// transactions than reads, and every row is in the chain.
func TestGroupCommitSharesTransactions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := storetest.NewTenant(t, db, "1505")
		var wg sync.WaitGroup
		for w := 0; w < 32; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					read(t, db, a.MunicipalityID, int64(i))
				}
			}()
		}
		wg.Wait()
		requests, commits := audit.WriterStats(db)
		if requests != 320 || commits >= requests {
			t.Fatalf("%d requests in %d commits", requests, commits)
		}
		t.Logf("%d requests in %d commits", requests, commits)
		if r := verify(t, db); !r.Whole() || r.Access.Entries != 320 {
			t.Fatalf("%+v", r)
		}
	})
}

// An entry lists many persons under one MAC: changing, removing, adding or
// moving a person of an entry breaks the chain there, and a person slipped
// in outside any entry is reported. The schema refuses changes to the
// persons while its triggers stand.
func TestEntryPersonsAreUnderTheMAC(t *testing.T) {
	list := func(t *testing.T, db *store.DB, muni int64) {
		t.Helper()
		for i := 0; i < 5; i++ {
			e := audit.AccessEntry{MunicipalityID: muni, At: time.Now(), UserName: "Test (test)", OrgUnitName: "Boligkontoret", Channel: "api"}
			for p := int64(1); p <= 20; p++ {
				e.Persons = append(e.Persons, audit.PersonRead{PersonID: p, Categories: "boligbehov,grunnopplysninger", Basis: "relasjon"})
			}
			if err := audit.LogAccess(context.Background(), db, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The entries are seq 11-15 of municipality a's chain (after twoTenants' 10).
	entry := func(muni, seq int64) string {
		return fmt.Sprintf("(SELECT id FROM access_log WHERE municipality_id = %d AND seq = %d)", muni, seq)
	}
	cases := []struct {
		name    string
		attack  func(muni int64) string
		seq     int64
		problem string
	}{
		{"categories changed", func(m int64) string {
			return "UPDATE access_log_persons SET categories = 'helse' WHERE position = 3 AND entry_id = " + entry(m, 12)
		}, 12, "MAC-en stemmer ikke"},
		{"person moved to another", func(m int64) string {
			return "UPDATE access_log_persons SET person_id = 99 WHERE position = 0 AND entry_id = " + entry(m, 13)
		}, 13, "MAC-en stemmer ikke"},
		{"person removed", func(m int64) string {
			return "DELETE FROM access_log_persons WHERE position = 19 AND entry_id = " + entry(m, 14)
		}, 14, "skal gjelde 20 personer, men har 19"},
		{"person added", func(m int64) string {
			return fmt.Sprintf("INSERT INTO access_log_persons (entry_id, position, municipality_id, person_id, categories, basis) VALUES (%s, 20, %d, 77, 'helse', 'relasjon')", entry(m, 11), m)
		}, 11, "skal gjelde 20 personer, men har 21"},
		{"one-person row's copy changed", func(m int64) string {
			return "UPDATE access_log_persons SET basis = 'nodtilgang' WHERE entry_id = " + entry(m, 4)
		}, 4, "personen i oppføringen er endret"},
		{"person outside any entry", func(m int64) string {
			return fmt.Sprintf("INSERT INTO access_log_persons (entry_id, position, municipality_id, person_id, categories, basis) VALUES (999999, 0, %d, 1, 'helse', 'relasjon')", m)
		}, 0, "uten å høre til noen oppføring"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				a, _ := twoTenants(t, db)
				list(t, db, a.MunicipalityID)
				if _, err := db.ExecContext(context.Background(), "UPDATE access_log_persons SET categories = 'helse'"); err == nil {
					t.Fatal("access_log_persons accepted an UPDATE")
				}
				if c.seq == 4 {
					// A row of the one-person form, as written before entries
					// listed persons: its copy is checked against its columns.
					tamper(t, db, "UPDATE access_log SET persons = NULL, person_id = 1, categories = 'grunnopplysninger', basis = 'relasjon' WHERE id = "+entry(a.MunicipalityID, 4))
				}
				r := verify(t, db)
				if c.seq != 4 && (!r.Whole() || r.Access.Entries != 25) {
					t.Fatalf("clean chains: %+v", r)
				}
				tamper(t, db, c.attack(a.MunicipalityID))
				r = verify(t, db)
				if len(r.Broken) != 1 {
					t.Fatalf("after tampering: %+v", r.Broken)
				}
				br := r.Broken[0]
				if br.Log != audit.AccessLog || br.MunicipalityID != a.MunicipalityID || br.Seq != c.seq || !strings.Contains(br.Problem, c.problem) {
					t.Fatalf("after tampering: %v", br)
				}
			})
		})
	}
}

// A transaction that logs several times reads each chain's tail once: it
// holds the chain until it ends, so it knows the tail after its own
// entries; the chain stays whole.
func TestTransactionReadsTheTailOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := storetest.NewTenant(t, db, "1505")
		b := storetest.NewTenant(t, db, "1506")
		read(t, db, a.MunicipalityID, 1)
		var tails atomic.Int32
		db.Observe(func(q string) {
			if strings.Contains(q, "SELECT seq, mac FROM access_log") {
				tails.Add(1)
			}
		})
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for i := 0; i < 3; i++ {
				for _, muni := range []int64{a.MunicipalityID, b.MunicipalityID} {
					e := audit.AccessEntry{MunicipalityID: muni, At: time.Now(), UserName: "Test (test)", Channel: "eksport",
						Persons: []audit.PersonRead{{PersonID: int64(i + 1), Categories: "grunnopplysninger", Basis: "drift"}}}
					if err := audit.LogAccess(ctx, tx, e); err != nil {
						return err
					}
				}
			}
			return nil
		})
		db.Observe(nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := tails.Load(); n != 2 {
			t.Fatalf("the transaction read a chain's tail %d times for two chains", n)
		}
		read(t, db, a.MunicipalityID, 1)
		if r := verify(t, db); !r.Whole() || r.Access.Entries != 8 {
			t.Fatalf("%+v", r)
		}
	})
}
