package bench_test

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"husly/internal/bench"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

func TestNationalCase(t *testing.T) {
	ms := bench.National()
	seen := map[string]bool{}
	var persons, units, inhabitants int
	for _, m := range ms {
		if len(m.Number) != 4 || seen[m.Number] || m.Persons < 5 || m.Units < 3 {
			t.Fatalf("bad municipality %+v", m)
		}
		seen[m.Number] = true
		persons, units, inhabitants = persons+m.Persons, units+m.Units, inhabitants+m.Inhabitants
	}
	if len(ms) != 357 || persons < 179000 || persons > 181000 || units < 109000 || units > 111000 || inhabitants < 5540000 || inhabitants > 5560000 {
		t.Fatalf("%d municipalities, %d persons, %d units, %d inhabitants", len(ms), persons, units, inhabitants)
	}
	if ms[0].Name != "Oslo" || ms[0].Persons < 20000 {
		t.Fatalf("the largest tenant is %+v", ms[0])
	}
}

// TestSizesOutOfRangeCreateNothing: a refused size leaves the database empty.
func TestSizesOutOfRangeCreateNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, c := range []bench.Case{{Persons: 100, Units: 700}, {Persons: 470, Units: 5}, {Persons: 2000000, Units: 700}, {Persons: 470, Units: 300000}} {
			err := bench.Prepare(context.Background(), db, c, io.Discard)
			if err == nil || !strings.Contains(err.Error(), "må være fra") {
				t.Fatalf("%+v: %v", c, err)
			}
		}
		if empty, err := db.IsEmpty(context.Background()); !empty || err != nil {
			t.Fatalf("a refused size created data: %v", err)
		}
	})
}

// TestHarnessEndToEnd builds a small municipality, refuses another case in
// the same database, and drives the mixed workload through a real server
// without errors, on both engines.
func TestHarnessEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := bench.Case{Persons: 520, Units: 720}
		if err := bench.Prepare(ctx, db, c, io.Discard); err != nil {
			t.Fatal(err)
		}
		var persons, units int
		if err := db.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM persons), (SELECT COUNT(*) FROM units)").Scan(&persons, &units); err != nil {
			t.Fatal(err)
		}
		if persons != 520 || units != 720 {
			t.Fatalf("built %d persons and %d units", persons, units)
		}
		if err := bench.Prepare(ctx, db, c, io.Discard); err != nil {
			t.Fatalf("the same case again: %v", err)
		}
		if err := bench.Prepare(ctx, db, bench.Case{Persons: 600, Units: 720}, io.Discard); err == nil || !strings.Contains(err.Error(), "ikke tom") {
			t.Fatalf("another case in a built database: %v", err)
		}
		clients, err := bench.Clients(ctx, db)
		if err != nil || len(clients) < 4 {
			t.Fatalf("clients: %d, %v", len(clients), err)
		}
		srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
		defer srv.Close()
		res, err := bench.Run(ctx, bench.Config{Targets: []string{srv.URL}, Clients: clients, Workload: "blandet", Concurrency: 2,
			Requests: 200, Duration: time.Second, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total.Count != 200 || res.Total.Errors != 0 || res.Healthz.Count == 0 || res.Healthz.Errors != 0 {
			t.Fatalf("total %+v, healthz %+v", res.Total, res.Healthz)
		}
		for _, s := range res.Ops {
			if s.Errors > 0 || s.P50 <= 0 || s.P99 < s.P50 {
				t.Errorf("%s: %+v", s.Name, s)
			}
		}
		if _, err := bench.Run(ctx, bench.Config{Targets: []string{"http://192.0.2.1:80"}, Clients: clients, Workload: "blandet", Concurrency: 1, Requests: 1}); err == nil {
			t.Fatal("the harness sent to another machine than this one")
		}
	})
}
