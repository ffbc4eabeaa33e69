package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"husly/internal/movingon/movingontest"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRiskList reads the risk list through the real HTTP stack (API
// token, every source, one access decision for all persons, ranking, the
// access log) for a municipality with 11,000 leases (Oslo's size), on
// each engine: as the property office, which has a role for every tenant
// (the worst case), and as a follow-up worker who sees a tenth. The
// figure is p99 at most 100 ms; the load average is reported beside it,
// since the machine is shared.
func BenchmarkRiskList(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, engine)
			f := movingontest.Build(b, db, 11000)
			srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
			defer srv.Close()
			for _, who := range []struct {
				name  string
				user  int64
				token string
			}{{"eiendom", f.Property.UserID, "husly_benchmark_risk_property"}, {"oppfolging", f.FollowUp.UserID, "husly_benchmark_risk_followup"}} {
				if _, err := db.ExecContext(ctx, `INSERT INTO api_tokens (municipality_id, user_id, name, token_hash, scopes, created_at) VALUES (?, ?, 'bench', ?, 'les', ?)`,
					f.Tenant.MunicipalityID, who.user, web.HashToken(who.token), store.TimeArg(time.Now())); err != nil {
					b.Fatal(err)
				}
				b.Run(who.name, func(b *testing.B) {
					call := func() (time.Duration, int) {
						req, _ := http.NewRequest("GET", srv.URL+"/api/v1/risk", nil)
						req.Header.Set("Authorization", "Bearer "+who.token)
						start := time.Now()
						resp, err := srv.Client().Do(req)
						if err != nil {
							b.Fatal(err)
						}
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						d := time.Since(start)
						if resp.StatusCode != 200 {
							b.Fatalf("%d %s", resp.StatusCode, body)
						}
						i := strings.Index(string(body), `"total":`)
						n, _ := strconv.Atoi(strings.TrimRight(strings.SplitN(string(body)[i+8:], ",", 2)[0], "}\n"))
						return d, n
					}
					_, total := call()
					ds := make([]time.Duration, 0, b.N)
					cpu0 := cpuTime()
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						d, _ := call()
						ds = append(ds, d)
					}
					b.StopTimer()
					p99(b, ds)
					// The process's CPU time per request (server and client):
					// what the request costs, apart from waiting for a core
					// on a shared machine.
					b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
					b.ReportMetric(float64(total), "tenancies")
					if la, err := os.ReadFile("/proc/loadavg"); err == nil {
						if x, err := strconv.ParseFloat(strings.Fields(string(la))[0], 64); err == nil {
							b.ReportMetric(x, "load1")
						}
					}
				})
			}
		})
	}
}

// The summary per building costs no statement of its own: the risk list
// runs as many statements for a municipality with four buildings at risk
// as for one with one (no statement per building), on each engine.
func TestRiskByBuildingQueries(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			statements := map[int]int{}
			buildings := map[int]int{}
			for _, leases := range []int{100, 400} {
				db := storetest.Open(t, engine)
				f := movingontest.Build(t, db, leases)
				token := "husly_test_risk_buildings_" + strconv.Itoa(leases)
				if _, err := db.ExecContext(ctx, `INSERT INTO api_tokens (municipality_id, user_id, name, token_hash, scopes, created_at) VALUES (?, ?, 'test', ?, 'les', ?)`,
					f.Tenant.MunicipalityID, f.Property.UserID, web.HashToken(token), store.TimeArg(time.Now())); err != nil {
					t.Fatal(err)
				}
				srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
				var mu sync.Mutex
				n := 0
				db.Observe(func(string) { mu.Lock(); n++; mu.Unlock() })
				req, _ := http.NewRequest("GET", srv.URL+"/api/v1/risk", nil)
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				db.Observe(nil)
				srv.Close()
				if resp.StatusCode != 200 {
					t.Fatalf("%d leases: %d %s", leases, resp.StatusCode, body)
				}
				statements[leases], buildings[leases] = n, strings.Count(string(body), `"tenancies":`)
			}
			if buildings[400] <= buildings[100] || buildings[100] == 0 {
				t.Fatalf("the fixtures should have more buildings at risk with more leases: %v", buildings)
			}
			if statements[400] != statements[100] {
				t.Errorf("the risk list ran %d statements with %d buildings at risk, %d with %d", statements[400], buildings[400], statements[100], buildings[100])
			}
		})
	}
}
