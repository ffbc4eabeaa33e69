// Package demotest gives tests a database holding the demo municipality
// without building it again for every test: the demo is made once per test
// process and engine, and each test gets a copy of its rows.
package demotest

import (
	"context"
	"strconv"
	"testing"

	"husly/internal/demo"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Seed fills db, a fresh test database, with the demo municipality made
// by demo.Create with seed, copied from the process's template for it.
func Seed(t testing.TB, db *store.DB, seed uint64) {
	t.Helper()
	storetest.Seed(t, db, "demo-"+strconv.FormatUint(seed, 10), func(ctx context.Context, db *store.DB) error {
		_, err := demo.Create(ctx, db, seed)
		return err
	})
}

// SeedDSN is Seed for a test that hands the database's address to
// another process, such as the husly binary: it opens dsn, seeds it and
// closes it again.
func SeedDSN(t testing.TB, dsn string) {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	Seed(t, db, 1)
}
