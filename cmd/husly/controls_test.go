package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"husly/internal/demo/demotest"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Every API token expires: a negative or zero lifetime is refused with a
// clear message and no token is made.
func TestTokenLifetime(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			demotest.SeedDSN(t, dsn)
			for _, days := range []string{"-5", "0", "731"} {
				out, errs, code := husly(t, dsn, "", "token", "create", "--user", "demo-saksbehandler", "--days", days)
				if code == 0 || out != "" || !strings.Contains(errs, "--days må være") {
					t.Fatalf("--days %s: code %d, stdout %q, stderr %q", days, code, out, errs)
				}
			}
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var n int
			if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM api_tokens").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Fatalf("%d tokens made from refused lifetimes", n)
			}
			if _, _, code := husly(t, dsn, "", "token", "create", "--user", "demo-saksbehandler", "--days", "30"); code != 0 {
				t.Fatal("--days 30 refused")
			}
			var expires time.Time
			if err := db.QueryRowContext(context.Background(), "SELECT expires_at FROM api_tokens").Scan(store.ScanTime(&expires)); err != nil {
				t.Fatal(err)
			}
			if d := time.Until(expires); d < 29*24*time.Hour || d > 31*24*time.Hour {
				t.Fatalf("a 30-day token expires in %v", d)
			}
		})
	}
}

// The operator places units in the organisation from the command line;
// a loop or an unknown unit is refused with a message and changes nothing.
func TestOrgParent(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			demotest.SeedDSN(t, dsn)
			out, errs, code := husly(t, dsn, "", "org", "list")
			if code != 0 || !strings.Contains(out, "Housing First-teamet  (under Kommunalsjef helse og velferd)") {
				t.Fatalf("org list: %d %q %q", code, out, errs)
			}
			if out, _, code := husly(t, dsn, "", "org", "parent", "--unit", "Kommunalsjef helse og velferd", "--parent", "Housing First-teamet"); code == 0 {
				t.Fatalf("a loop was accepted: %s", out)
			}
			if _, errs, code := husly(t, dsn, "", "org", "parent", "--unit", "Finnes ikke"); code == 0 || !strings.Contains(errs, "fant ingen enhet") {
				t.Fatalf("unknown unit: %d %q", code, errs)
			}
			if out, _, code := husly(t, dsn, "", "org", "parent", "--unit", "Housing First-teamet"); code != 0 || !strings.Contains(out, "toppenhet") {
				t.Fatalf("make a top unit: %d %q", code, out)
			}
			out, _, _ = husly(t, dsn, "", "org", "list")
			if strings.Contains(out, "Housing First-teamet  (under") {
				t.Fatalf("the unit still has a parent:\n%s", out)
			}
		})
	}
}
