package audit_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"husly/internal/audit"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// bulkChain writes a chain of n audit entries for muni as fast as the
// engine takes them (one prepared statement in one transaction on SQLite,
// COPY on PostgreSQL), with real MACs under the database's chain key.
func bulkChain(b *testing.B, db *store.DB, muni int64, n int) {
	ctx := context.Background()
	keyID, _ := db.Keys().ChainKey()
	prev := "0000000000000000000000000000000000000000000000000000000000000000"
	at := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	const actor = "Siri Saksbehandler (demo-saksbehandler)"
	row := func(i int64) []any {
		before, after := fmt.Sprintf(`{"status":"ledig","id":%d}`, i), fmt.Sprintf(`{"status":"utleid","id":%d}`, i)
		mac, err := audit.MAC(db.Keys(), keyID, prev, muni, i, at, actor, "endre", "bolig", i, before, after)
		if err != nil {
			b.Fatal(err)
		}
		r := []any{muni, i, at, actor, "endre", "bolig", i, before, after, prev, mac, keyID}
		prev = mac
		return r
	}
	cols := []string{"municipality_id", "seq", "at", "actor", "action", "entity", "entity_id", "before_json", "after_json", "prev_hash", "hash", "key_id"}
	if db.Dialect() == store.Postgres {
		conn, err := db.Raw().Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		err = conn.Raw(func(dc any) error {
			rows := make([][]any, 0, n)
			for i := int64(1); i <= int64(n); i++ {
				rows = append(rows, row(i))
			}
			_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"audit_log"}, cols, pgx.CopyFromRows(rows))
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "ANALYZE audit_log"); err != nil {
			b.Fatal(err)
		}
		return
	}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		stmt, err := tx.Prepare(ctx, `INSERT INTO audit_log (municipality_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash, key_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := int64(1); i <= int64(n); i++ {
			if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkVerify1M checks a chain of 1,000,000 entries, every MAC
// recomputed, held against a signed checkpoint read from its file (the
// figure: at most 10 s).
func BenchmarkVerify1M(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, engine)
			tn := storetest.NewTenant(b, db, "1505")
			const n = 1000000
			bulkChain(b, db, tn.MunicipalityID, n)
			path := filepath.Join(b.TempDir(), "husly.jsonl")
			if _, err := audit.Write(ctx, db, path, audit.ReasonManual); err != nil {
				b.Fatal(err)
			}
			id, _ := audit.DatabaseID(ctx, db)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cps, err := audit.Load(path, id, db.Keys())
				if err != nil {
					b.Fatal(err)
				}
				r, err := audit.Verify(ctx, db, cps, nil)
				if err != nil || !r.Whole() || r.Audit.Entries != n || r.Checkpoint == nil {
					b.Fatalf("%+v %v", r.Broken, err)
				}
			}
		})
	}
}

// BenchmarkAccessLog is the access-log write as a request sees it, alone
// and with 16 requests at once, in three forms: "plain" is an unchained
// INSERT with its own commit (the log before it was chained), "own-tx" a
// chained row in its own transaction per request (chaining without group
// commit), "group" the group-commit writer (what LogReads does). Reported
// as p50 and p99 per write and writes per second.
func BenchmarkAccessLog(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		for _, mode := range []string{"plain", "own-tx", "group"} {
			for _, c := range []int{1, 16} {
				b.Run(fmt.Sprintf("%s/%s/c%d", engine, mode, c), func(b *testing.B) {
					db := storetest.Open(b, engine)
					tn := storetest.NewTenant(b, db, "1505")
					p := storetest.InsertPerson(b, db, tn.MunicipalityID, "01010710029", "Kari", "Nordmann")
					benchWrites(b, db, mode, c, tn.MunicipalityID, p)
				})
			}
		}
	}
}

func benchWrites(b *testing.B, db *store.DB, mode string, c int, muni, person int64) {
	ctx := context.Background()
	row := audit.AccessEntry{MunicipalityID: muni, UserName: "Siri Saksbehandler (demo-saksbehandler)", OrgUnitName: "Boligkontoret", Channel: "api",
		Persons: []audit.PersonRead{{PersonID: person, Categories: "grunnopplysninger,boligbehov", Basis: "relasjon"}}}
	write := func() error {
		r := row
		r.At = time.Now()
		switch mode {
		case "plain":
			p := r.Persons[0]
			_, err := db.ExecContext(ctx, `INSERT INTO access_log (municipality_id, at, user_id, user_name, org_unit_name, person_id, categories, basis, channel, reason)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.MunicipalityID, store.TimeArg(r.At), sql.NullInt64{}, r.UserName, r.OrgUnitName, p.PersonID, p.Categories, p.Basis, r.Channel, r.Reason)
			return err
		case "own-tx":
			return db.InTx(ctx, func(tx *store.Tx) error { return audit.LogAccess(ctx, tx, r) })
		}
		return audit.LogAccess(ctx, db, r)
	}
	lat := make([][]time.Duration, c)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < b.N; i += c {
				t0 := time.Now()
				if err := write(); err != nil {
					b.Error(err)
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "writes/s")
	if mode != "plain" {
		if r := verify(b, db); !r.Whole() {
			b.Fatalf("%+v", r.Broken)
		}
	}
}
