package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"husly/internal/bench"
	"husly/internal/demo"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// The figures for the start pages and the quick search: each role's start
// page on the demo municipality and on one with 100,000 persons and 11,000
// units, on SQLite and PostgreSQL (p99 at most 50 ms), and the quick
// search at 100,000 persons (p99 at most 20 ms), all through HTTP. Each
// reports p50 and p99 and the ratio of its p50 to /healthz's, the cost of
// the HTTP stack alone on the same machine.
//
//	go test -run '^$' -bench 'BenchmarkStartPages|BenchmarkQuickSearchHTTP' -benchtime 300x ./internal/web/

var startRoles = []string{"demo-saksbehandler", "demo-eiendom", "demo-oppfolging", "demo-enhetsleder", "demo-planlegger", "demo-admin", "demo-tilsyn"}

var benchSizes = []bench.Case{{Persons: bench.DemoPersons, Units: bench.DemoUnits}, {Persons: 100000, Units: 11000}}

// benchSite builds a case in a fresh database of the engine and serves it.
func benchSite(b *testing.B, engine string, c bench.Case) (*httptest.Server, *store.DB) {
	b.Helper()
	db := storetest.Open(b, engine)
	if err := bench.Prepare(context.Background(), db, c, io.Discard); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
	b.Cleanup(srv.Close)
	return srv, db
}

func signedIn(b *testing.B, srv *httptest.Server, username string) *http.Client {
	b.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(srv.URL+"/logg-inn", url.Values{"username": {username}, "password": {demo.Password}})
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("login as %s: %v", username, err)
	}
	resp.Body.Close()
	return c
}

// latencies runs do n times and returns the sorted durations.
func latencies(b *testing.B, n int, do func(i int) (int, error)) []time.Duration {
	b.Helper()
	lat := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		start := time.Now()
		status, err := do(i)
		lat = append(lat, time.Since(start))
		if err != nil || status != 200 {
			b.Fatalf("request %d: %d %v", i, status, err)
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat
}

func drain(resp *http.Response, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// healthz is the p50 of /healthz on the server: the floor every page stands on.
func healthz(b *testing.B, srv *httptest.Server) time.Duration {
	c := srv.Client()
	lat := latencies(b, 500, func(int) (int, error) { return drain(c.Get(srv.URL + "/healthz")) })
	return lat[len(lat)/2]
}

func report(b *testing.B, lat []time.Duration, floor time.Duration) {
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(p50)/float64(max(floor, time.Microsecond)), "x-healthz")
}

func BenchmarkStartPages(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		for _, size := range benchSizes {
			b.Run(fmt.Sprintf("%s/persons=%d", engine, size.Persons), func(b *testing.B) {
				srv, _ := benchSite(b, engine, size)
				floor := healthz(b, srv)
				for _, user := range startRoles {
					b.Run(strings.TrimPrefix(user, "demo-"), func(b *testing.B) {
						c := signedIn(b, srv, user)
						for i := 0; i < 5; i++ { // warm the caches as a running server's are
							if _, err := drain(c.Get(srv.URL + "/")); err != nil {
								b.Fatal(err)
							}
						}
						b.ResetTimer()
						lat := latencies(b, b.N, func(int) (int, error) { return drain(c.Get(srv.URL + "/")) })
						b.StopTimer()
						report(b, lat, floor)
					})
				}
			})
		}
	}
}

func BenchmarkQuickSearchHTTP(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine+"/persons=100000", func(b *testing.B) {
			srv, db := benchSite(b, engine, benchSizes[1])
			floor := healthz(b, srv)
			c := signedIn(b, srv, "demo-saksbehandler")
			var number string
			var app int64
			if err := db.QueryRowContext(context.Background(), "SELECT MAX(id) FROM applications").Scan(&app); err != nil {
				b.Fatal(err)
			}
			var pid int64
			if err := db.QueryRowContext(context.Background(), "SELECT MAX(id) FROM persons").Scan(&pid); err != nil {
				b.Fatal(err)
			}
			number = storetest.NumberOf(b, db, pid)
			queries := []string{"han", "Kari Ols", "berg", "nor", "lie", "i", "strand", "per", "B-0004", "OMS-0", "sak " + strconv.FormatInt(app, 10), "#12", number}
			search := func(i int) (int, error) {
				return drain(c.PostForm(srv.URL+"/sok", url.Values{"q": {queries[i%len(queries)]}}))
			}
			latencies(b, len(queries), search)
			b.ResetTimer()
			lat := latencies(b, b.N, search)
			b.StopTimer()
			report(b, lat, floor)
		})
	}
}
