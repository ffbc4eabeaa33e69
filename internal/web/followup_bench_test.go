package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"husly/internal/followup/followuptest"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// BenchmarkRecordContactHTTP records contacts through the real HTTP stack
// (token, JSON, access decision, the contact and its staff, the audit
// chain, one transaction) for a team of 30 with 400 residents, on each
// engine, beside /healthz on the same server; the figure is p99 at most
// 50 ms.
func BenchmarkRecordContactHTTP(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, engine)
			f := followuptest.Build(b, db, 1, 30, 400, 52)
			token := "husly_benchmark_followup"
			if _, err := db.ExecContext(ctx, `INSERT INTO api_tokens (municipality_id, user_id, name, token_hash, scopes, created_at) VALUES (?, ?, 'bench', ?, 'les,skriv', ?)`,
				f.Tenant.MunicipalityID, f.Members[0].UserID, web.HashToken(token), store.TimeArg(time.Now())); err != nil {
				b.Fatal(err)
			}
			// The member's own residents: primary contact for every 30th.
			var mine []int64
			for i := 0; i < len(f.FollowUps); i += 30 {
				mine = append(mine, f.FollowUps[i])
			}
			srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
			defer srv.Close()
			client := srv.Client()
			call := func(method, path, body string, want int) time.Duration {
				req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
				if body != "" {
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+token)
				}
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				msg, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				if resp.StatusCode != want {
					b.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, msg)
				}
				return d
			}
			body := `{"kind":"hjemmebesok","minutes":30,"note":"Handlet sammen.","note_category":"oppfolging"}`
			call("POST", fmt.Sprintf("/api/v1/followups/%d/contacts", mine[0]), body, 201)
			ds, hs := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
			b.ResetTimer()
			cpu0 := cpuTime()
			var stmts atomic.Int64
			db.Observe(func(string) { stmts.Add(1) })
			defer db.Observe(nil)
			for i := 0; i < b.N; i++ {
				ds = append(ds, call("POST", fmt.Sprintf("/api/v1/followups/%d/contacts", mine[i%len(mine)]), body, 201))
				hs = append(hs, call("GET", "/healthz", "", 200))
			}
			b.StopTimer()
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(stmts.Load())/float64(b.N), "stmts/op")
			p99(b, ds)
			sort.Slice(hs, func(i, j int) bool { return hs[i] < hs[j] })
			b.ReportMetric(float64(hs[len(hs)/2].Microseconds())/1000, "healthz-p50-ms")
		})
	}
}

// BenchmarkCaseloadBoardHTTP reads the caseload board of a team of 30
// with 400 residents through the real HTTP stack (token, the access
// decision, the access log, JSON), on each engine; the figure is p99 at
// most 50 ms.
func BenchmarkCaseloadBoardHTTP(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, engine)
			f := followuptest.Build(b, db, 1, 30, 400, 52)
			token := "husly_benchmark_board"
			if _, err := db.ExecContext(ctx, `INSERT INTO api_tokens (municipality_id, user_id, name, token_hash, scopes, created_at) VALUES (?, ?, 'bench', ?, 'les', ?)`,
				f.Tenant.MunicipalityID, f.Members[0].UserID, web.HashToken(token), store.TimeArg(time.Now())); err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
			defer srv.Close()
			client := srv.Client()
			path := fmt.Sprintf("%s/api/v1/followup/teams/%d/board", srv.URL, f.Teams[0])
			call := func() time.Duration {
				req, _ := http.NewRequest("GET", path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				msg, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				if resp.StatusCode != 200 || !strings.Contains(string(msg), `"residents"`) {
					b.Fatalf("board: %d %.300s", resp.StatusCode, msg)
				}
				return d
			}
			call()
			ds := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			cpu0 := cpuTime()
			var stmts atomic.Int64
			db.Observe(func(string) { stmts.Add(1) })
			defer db.Observe(nil)
			for i := 0; i < b.N; i++ {
				ds = append(ds, call())
			}
			b.StopTimer()
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(stmts.Load())/float64(b.N), "stmts/op")
			p99(b, ds)
		})
	}
}

// p99 reports the 50th and 99th percentile of latencies in milliseconds.
func p99(b *testing.B, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	if len(ds) == 0 {
		return
	}
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(ds[min(len(ds)-1, len(ds)*99/100)].Microseconds())/1000, "p99-ms")
}
