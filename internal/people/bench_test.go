package people_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"husly/internal/people"
	"husly/internal/people/peopletest"
	"husly/internal/store"
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

// peakRSS runs fn and returns the process's peak resident set in MB while
// it ran (Linux: the high-water mark is reset through /proc/self/clear_refs
// first), or 0 where that cannot be read. Unlike the heap it counts
// SQLite's page cache and the driver's buffers.
func peakRSS(fn func()) float64 {
	reset := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	fn()
	status, err := os.ReadFile("/proc/self/status")
	if reset != nil || err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime(b testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serverProcess pins db to one connection and returns a reader of the CPU
// time its PostgreSQL backend has used (zero for SQLite, which runs in
// this process): the server's share of an import's work.
func serverProcess(b *testing.B, db *store.DB) func() time.Duration {
	if db.Dialect() != store.Postgres {
		return func() time.Duration { return 0 }
	}
	db.Raw().SetMaxOpenConns(1)
	var pid int
	if err := db.QueryRowContext(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		b.Fatal(err)
	}
	return func() time.Duration {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return 0 // a server on another machine
		}
		// utime and stime are the 14th and 15th fields, in clock ticks (100 a second).
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		utime, _ := strconv.Atoi(fields[11])
		stime, _ := strconv.Atoi(fields[12])
		return time.Duration(utime+stime) * 10 * time.Millisecond
	}
}

// BenchmarkImport reports rows/s, the peak heap and the peak RSS for
// 10,000 and 100,000 persons on each engine (PostgreSQL when
// HUSLY_TEST_POSTGRES is set): the figure is at least 50,000 rows/s at
// 100,000 persons with memory flat, with encryption, blind index, case
// roles and the audit chain. rows/cpu-s counts the CPU of this process and,
// on PostgreSQL, of the server's backend. Measure one size per process for
// clean RSS figures: -bench 'Import/postgres/100000$'.
func BenchmarkImport(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		for _, n := range []int{10000, 100000} {
			b.Run(fmt.Sprintf("%s/%d", engine, n), func(b *testing.B) {
				path := writePersonsCSV(b, n)
				var elapsed, cpu, server time.Duration
				var heap, rss float64
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					db := storetest.Open(b, engine)
					tn := storetest.NewTenant(b, db, "1505")
					f, err := os.Open(path)
					if err != nil {
						b.Fatal(err)
					}
					backend := serverProcess(b, db)
					server0 := backend()
					b.StartTimer()
					start, cpu0 := time.Now(), cpuTime(b)
					rss = max(rss, peakRSS(func() {
						heap = max(heap, peakHeap(func() {
							got, err := people.Import(context.Background(), db, tn.Operator(), f, tabular.CSV, nil)
							if err != nil || got != n {
								b.Fatalf("import = %d, %v", got, err)
							}
						}))
					}))
					elapsed += time.Since(start)
					cpu += cpuTime(b) - cpu0
					server += backend() - server0
					if err := f.Close(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "rows/s")
				// On a shared machine the CPU time spent is steadier than the wall time.
				b.ReportMetric(float64(n*b.N)/(cpu+server).Seconds(), "rows/cpu-s")
				b.ReportMetric(server.Seconds()/float64(b.N), "server-cpu-s")
				b.ReportMetric(heap, "MB-peak-heap")
				b.ReportMetric(rss, "MB-peak-RSS")
			})
		}
	}
}
