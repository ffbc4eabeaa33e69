package housing_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The housing capability checks the actor's role itself, not only the
// web handlers: a wrong role is refused at the function and nothing changes.
func TestHousingWritesCheckTheRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "4701")
		as := func(r access.Role) access.Actor {
			a := tn.CaseWorker()
			a.Role = r
			return a
		}
		unit := func(code string) housing.Unit {
			return housing.Unit{Code: code, Address: "Storgata 1", Category: "ordinaer", Rooms: 1, AreaM2: 30, RentMonthly: 6000}
		}
		for _, r := range []access.Role{access.Planner, access.Admin, access.Auditor, access.Resident, access.FollowUp} {
			err := db.InTx(ctx, func(tx *store.Tx) error {
				_, err := housing.CreateUnit(ctx, tx, as(r), unit("NEKT-"+string(r)))
				return err
			})
			if !errors.Is(err, access.ErrForbidden) {
				t.Errorf("CreateUnit as %s: %v, want ErrForbidden", r, err)
			}
		}
		if n := count(t, db, "units"); n != 0 {
			t.Fatalf("%d units made by refused roles", n)
		}
		var id int64
		for _, r := range []access.Role{access.Property, access.CaseWorker, access.UnitLeader, access.Operator} {
			if err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				id, err = housing.CreateUnit(ctx, tx, as(r), unit("OK-"+string(r)))
				return err
			}); err != nil {
				t.Fatalf("CreateUnit as %s: %v", r, err)
			}
		}
		lease := housing.Lease{UnitID: id, Start: deadline.On(time.Now()), RentMonthly: 6000}
		for _, r := range []access.Role{access.Planner, access.Admin, access.Auditor, access.Resident} {
			if _, err := housing.CreateLease(ctx, db, as(r), lease); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("CreateLease as %s: %v, want ErrForbidden", r, err)
			}
		}
		if n := count(t, db, "leases"); n != 0 {
			t.Fatalf("%d leases made by refused roles", n)
		}
		csv := "boligkode;adresse;postnummer;bydel;kategori;antall_rom\nIMP-1;Vei 1;6500;Sentrum;ordinaer;2\n"
		if _, err := housing.ImportUnits(ctx, db, as(access.CaseWorker), strings.NewReader(csv), tabular.CSV); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("ImportUnits as a case worker: %v, want ErrForbidden (imports are the operator's)", err)
		}
		if n := count(t, db, "units"); n != 4 {
			t.Fatalf("%d units after a refused import, want 4", n)
		}
	})
}
