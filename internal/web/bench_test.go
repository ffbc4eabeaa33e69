package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/people/peopletest"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
	"husly/internal/web"
)

// BenchmarkPersonSearchHTTP searches 100,000 persons on SQLite through the
// real HTTP stack (auth, search, JSON) and reports p50 and p99 latency; the
// figure is p99 at most 20 ms.
func BenchmarkPersonSearchHTTP(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, "sqlite")
	tn := storetest.NewTenant(b, db, "1505")
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(peopletest.WriteCSV(pw, 100000, "Boligkontoret")) }()
	if _, err := people.Import(ctx, db, tn.Operator(), pr, tabular.CSV, nil); err != nil {
		b.Fatal(err)
	}
	token := "husly_benchmark"
	if _, err := db.ExecContext(ctx, `INSERT INTO api_tokens (municipality_id, user_id, name, token_hash, created_at)
		VALUES (?, ?, 'bench', ?, ?)`, tn.MunicipalityID, tn.UserID, web.HashToken(token), store.TimeArg(time.Now())); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
	defer srv.Close()
	queries := []string{"han", "Kari Ols", "berg 4", "nor", "lie", "i", identity.Synthetic(4242)[:6], identity.Synthetic(777), "strand 9", "per"}
	for _, q := range peopletest.LastNames {
		queries = append(queries, strings.ToLower(q[:3]))
	}
	client := srv.Client()
	search := func(q string) {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/persons/search", strings.NewReader(fmt.Sprintf(`{"query":%q,"limit":20}`, q)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("search %q: %d", q, resp.StatusCode)
		}
	}
	for _, q := range queries {
		search(q) // warm the page cache as a running server would be
	}
	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		search(queries[i%len(queries)])
		latencies = append(latencies, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
