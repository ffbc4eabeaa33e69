package followup_test

import (
	"context"
	"sort"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/followup/followuptest"
	"husly/internal/store/storetest"
)

// p99 reports the 50th and 99th percentile of latencies in milliseconds.
func p99(b *testing.B, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	if len(ds) == 0 {
		return
	}
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(ds[min(len(ds)-1, len(ds)*99/100)].Microseconds())/1000, "p99-ms")
}

// BenchmarkCaseloadBoard reads the caseload board of a 30-person team with
// 400 residents and a year of weekly contacts each, with the access
// decision and the access log, on each engine; the figure is p99 at most
// 50 ms.
func BenchmarkCaseloadBoard(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			db := storetest.Open(b, engine)
			f := followuptest.Build(b, db, 1, 30, 400, 52)
			leader := f.Members[0]
			leader.Role = access.UnitLeader
			today := deadline.On(time.Now())
			ctx := context.Background()
			read := func() {
				board, err := followup.ReadBoard(ctx, access.NewReader(db, leader, access.ChannelPage), f.Teams[0], today)
				if err != nil || len(board.Rows) != 400 {
					b.Fatalf("board: %v, %d rows", err, len(board.Rows))
				}
			}
			read()
			ds := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			cpu0 := cpuTime()
			var stmts atomic.Int64
			db.Observe(func(string) { stmts.Add(1) })
			defer db.Observe(nil)
			for i := 0; i < b.N; i++ {
				start := time.Now()
				read()
				ds = append(ds, time.Since(start))
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(stmts.Load())/float64(b.N), "stmts/op")
			p99(b, ds)
		})
	}
}

// BenchmarkAlerts10k gives every alert for 10,000 residents in follow-up
// (25 teams of 400, ten contacts each): the figure is at most 500 ms.
func BenchmarkAlerts10k(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			db := storetest.Open(b, engine)
			f := followuptest.Build(b, db, 25, 4, 400, 10)
			today := deadline.On(time.Now())
			ctx := context.Background()
			n := 0
			ds := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				alerts, err := followup.AlertsOf(ctx, db, f.Tenant.MunicipalityID, 0, 0, today)
				if err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
				n = len(alerts)
			}
			b.ReportMetric(float64(n), "alerts")
			p99(b, ds)
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used so far:
// on a shared machine it measures the work of a read, where latency mostly
// measures the wait for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
