package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// BenchmarkPersonPageHTTP fetches the page of a person with 20 cases
// through the whole HTTP stack (session, access check, batched case
// reads, access-log write, template), from as many clients at once as
// there are cores, on each engine. The same run measures /healthz the same
// way, so the figures can be read against the machine: it reports p50 and
// p99 of the page, and each as a multiple of /healthz's. The figure is p99
// at most 30 ms; take the median of three runs:
//
//	go test -run '^$' -bench BenchmarkPersonPageHTTP -benchtime 2000x -count 3 ./internal/web/
func BenchmarkPersonPageHTTP(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, engine)
			tn := storetest.NewTenant(b, db, "1505")
			pid := personWithCases(b, db, tn, 20, 8)
			hash, err := access.HashPassword("personside-passord")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, tn.UserID); err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
			defer srv.Close()
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			resp, err := c.PostForm(srv.URL+"/logg-inn", url.Values{"username": {"sb-1505"}, "password": {"personside-passord"}})
			if err != nil || resp.StatusCode != 200 {
				b.Fatalf("login: %v", err)
			}
			resp.Body.Close()
			page := srv.URL + "/personer/" + strconv.FormatInt(pid, 10)
			get := func(u string) time.Duration {
				start := time.Now()
				resp, err := c.Get(u)
				if err != nil {
					b.Error(err)
					return 0
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 {
					b.Errorf("GET %s: %d %v", u, resp.StatusCode, err)
				}
				return time.Since(start)
			}
			for i := 0; i < 20; i++ { // warm the caches a running server has warm
				get(page)
				get(srv.URL + "/healthz")
			}
			// measure fetches u b.N times from parallel clients and gives
			// the sorted latencies.
			measure := func(u string) []time.Duration {
				var mu sync.Mutex
				lat := make([]time.Duration, 0, b.N)
				b.RunParallel(func(pb *testing.PB) {
					var mine []time.Duration
					for pb.Next() {
						mine = append(mine, get(u))
					}
					mu.Lock()
					lat = append(lat, mine...)
					mu.Unlock()
				})
				slices.Sort(lat)
				return lat
			}
			pct := func(lat []time.Duration, p int) float64 {
				return float64(lat[(len(lat)-1)*p/100].Microseconds()) / 1000
			}
			health := measure(srv.URL + "/healthz")
			b.ResetTimer()
			pages := measure(page)
			b.StopTimer()
			b.ReportMetric(pct(pages, 50), "p50-ms")
			b.ReportMetric(pct(pages, 99), "p99-ms")
			b.ReportMetric(pct(pages, 50)/pct(health, 50), "p50-x-healthz")
			b.ReportMetric(pct(pages, 99)/pct(health, 99), "p99-x-healthz")
		})
	}
}
