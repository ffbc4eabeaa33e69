package arrears_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"husly/internal/arrears"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

// BenchmarkImport50k imports a file of 50,000 unpaid dues over 5,000
// leases (ten months each) from the economy system in one all-or-nothing
// transaction, on each engine; the figure is at most 5 s per file, with
// memory flat: the file is read a line at a time and written in chunks of
// 1,000, and the peak heap is reported beside the time.
func BenchmarkImport50k(b *testing.B) {
	const leases, perLease = 5000, 10
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			db := storetest.Open(b, engine)
			tn := storetest.NewTenant(b, db, "1505")
			numbers, ids := buildLeases(b, db, tn.MunicipalityID, leases)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				var sb strings.Builder
				sb.WriteString("leieforhold;fodselsnummer;forfall_id;type;forfallsdato;belop\n")
				for l := 0; l < leases; l++ {
					for m := 1; m <= perLease; m++ {
						fmt.Fprintf(&sb, "%d;%s;R%d-%d-%d;husleie;01.%02d.2026;7250,00\n", ids[l], numbers[l], i, l, m, m)
					}
				}
				file := sb.String()
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				peak := watchHeap()
				b.StartTimer()
				res, err := arrears.ImportFile(ctx, db, tn.Operator(), strings.NewReader(file), tabular.CSV, "", today)
				b.StopTimer()
				top := peak()
				if err != nil || res.Created != leases*perLease {
					b.Fatalf("import: %+v %v", res, err)
				}
				b.ReportMetric(float64(top-before.HeapInuse)/(1<<20), "peak-heap-MB")
				// The next round starts from no arrears, as the first did.
				for _, q := range []string{"DELETE FROM arrears_conversations", "DELETE FROM arrears_changes", "DELETE FROM arrears_dues", "DELETE FROM arrears_batches"} {
					if _, err := db.ExecContext(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
		})
	}
}

// watchHeap samples the heap in use every millisecond until the returned
// function is called, which gives the largest sample.
func watchHeap() func() uint64 {
	stop := make(chan struct{})
	done := make(chan uint64)
	go func() {
		var top uint64
		var m runtime.MemStats
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			top = max(top, m.HeapInuse)
			select {
			case <-stop:
				done <- top
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(stop); return <-done }
}

// buildLeases writes n units, leases, persons and tenancies in bulk and
// gives the tenants' numbers and the leases' ids.
func buildLeases(b *testing.B, db *store.DB, mid int64, n int) ([]string, []int64) {
	b.Helper()
	ctx := context.Background()
	now := store.TimeArg(time.Now())
	numbers := make([]string, n)
	var leaseIDs []int64
	err := db.InConnTx(ctx, func(tx *store.Tx) error {
		pids, err := tx.NewIDs(ctx, "persons", n)
		if err != nil {
			return err
		}
		uids, err := tx.NewIDs(ctx, "units", n)
		if err != nil {
			return err
		}
		if leaseIDs, err = tx.NewIDs(ctx, "leases", n); err != nil {
			return err
		}
		var persons, units, leases, tenants [][]any
		for i := 0; i < n; i++ {
			numbers[i] = identity.Synthetic(200000 + i)
			enc, err := db.Keys().Seal(numbers[i], fmt.Sprintf("kommune:%d", mid))
			if err != nil {
				return err
			}
			persons = append(persons, []any{pids[i], mid, enc, db.Keys().Blind(numbers[i]), numbers[i][:6], "Leie", fmt.Sprintf("Taker%d", i), "leie", fmt.Sprintf("taker%d", i), "1980-01-01", now, now})
			units = append(units, []any{uids[i], mid, fmt.Sprintf("B-%d", i), fmt.Sprintf("Benkegata %d", i), "ordinaer", "kf", 1, 30, 7250, now, now})
			leases = append(leases, []any{leaseIDs[i], mid, uids[i], "2025-01-01", 7250, 0, "aktiv", now})
			tenants = append(tenants, []any{leaseIDs[i], pids[i], mid})
		}
		for _, w := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"persons", []string{"id", "municipality_id", "identity_enc", "identity_hash", "identity_prefix", "first_name", "last_name", "first_name_key", "last_name_key", "birth_date", "created_at", "updated_at"}, persons},
			{"units", []string{"id", "municipality_id", "code", "address", "category", "control", "rooms", "area_m2", "rent_monthly", "created_at", "updated_at"}, units},
			{"leases", []string{"id", "municipality_id", "unit_id", "start_date", "rent_monthly", "deposit", "status", "created_at"}, leases},
			{"lease_tenants", []string{"lease_id", "person_id", "municipality_id"}, tenants},
		} {
			if err := tx.Batch(w.table, w.cols...).Write(ctx, w.rows); err != nil {
				return fmt.Errorf("%s: %w", w.table, err)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	db.Analyze(ctx, "persons", "units", "leases", "lease_tenants")
	return numbers, leaseIDs
}
