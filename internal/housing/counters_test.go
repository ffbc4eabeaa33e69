package housing_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"husly/internal/backup"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

// TestCountersFollowEveryChange checks the start page's maintained figures
// against a full count after imports, single inserts, status changes, a
// lease ending and deletes, in two municipalities, on both engines.
func TestCountersFollowEveryChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		other := storetest.NewTenant(t, db, "1506")
		a := tn.CaseWorker()
		check := func(step string) {
			t.Helper()
			for _, mid := range []int64{tn.MunicipalityID, other.MunicipalityID} {
				var want int
				if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM persons WHERE municipality_id = ?", mid).Scan(&want); err != nil {
					t.Fatal(err)
				}
				persons, err := people.Count(ctx, db, mid)
				if err != nil || persons != want {
					t.Fatalf("%s: persons = %d, %v; counted %d", step, persons, err, want)
				}
				byCategory, byStatus, err := housing.Summary(ctx, db, mid)
				if err != nil {
					t.Fatal(err)
				}
				for col, counts := range map[string][]housing.Count{"category": byCategory, "status": byStatus} {
					for _, c := range counts {
						if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM units WHERE municipality_id = ? AND "+col+" = ?", mid, c.Code).Scan(&want); err != nil {
							t.Fatal(err)
						}
						if c.Units != want {
							t.Fatalf("%s: %s %s = %d; counted %d", step, col, c.Code, c.Units, want)
						}
					}
				}
				if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM leases WHERE municipality_id = ? AND status = 'aktiv'", mid).Scan(&want); err != nil {
					t.Fatal(err)
				}
				leases, err := housing.ActiveLeases(ctx, db, mid)
				if err != nil || leases != want {
					t.Fatalf("%s: active leases = %d, %v; counted %d", step, leases, err, want)
				}
			}
		}
		check("empty")
		if _, err := housing.ImportUnits(ctx, db, tn.Operator(), strings.NewReader(unitsCSV), tabular.CSV); err != nil {
			t.Fatal(err)
		}
		if _, err := housing.ImportUnits(ctx, db, other.Operator(), strings.NewReader(unitsCSV), tabular.CSV); err != nil {
			t.Fatal(err)
		}
		if _, err := people.Import(ctx, db, tn.Operator(), strings.NewReader("fodselsnummer,fornavn,etternavn\n"+
			identity.Synthetic(1)+",Kari,Nordmann\n"+identity.Synthetic(2)+",Ola,Nordmann\n"), tabular.CSV, nil); err != nil {
			t.Fatal(err)
		}
		check("imports")
		uid, err := housing.CreateUnit(ctx, db, a, housing.Unit{Code: "U1", Address: "Gata 1", Category: "housing_first", Rooms: 2, AreaM2: 50, RentMonthly: 8000})
		if err != nil {
			t.Fatal(err)
		}
		pid, err := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(5), FirstName: "Per", LastName: "Hansen"})
		if err != nil {
			t.Fatal(err)
		}
		check("single inserts")
		start := deadline.Of(2026, 1, 1)
		if _, err := housing.CreateLease(ctx, db, a, housing.Lease{UnitID: uid, Start: start, End: deadline.Of(2029, 1, 1), RentMonthly: 8000,
			Deposit: 8000, Tenants: []housing.Tenant{{PersonID: pid}}}); err != nil {
			t.Fatal(err)
		}
		check("lease (unit let)")
		if _, err := db.ExecContext(ctx, "UPDATE units SET category = 'akutt', status = 'vedlikehold' WHERE municipality_id = ? AND code LIKE 'KSU%'", tn.MunicipalityID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "UPDATE leases SET status = 'avsluttet' WHERE municipality_id = ?", tn.MunicipalityID); err != nil {
			t.Fatal(err)
		}
		check("updates")
		if _, err := db.ExecContext(ctx, "DELETE FROM lease_tenants WHERE municipality_id = ?", tn.MunicipalityID); err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{"DELETE FROM leases WHERE municipality_id = ?", "DELETE FROM units WHERE municipality_id = ? AND code = 'KSU-003'",
			"DELETE FROM persons WHERE municipality_id = ? AND first_name = 'Ola'"} {
			if _, err := db.ExecContext(ctx, stmt, tn.MunicipalityID); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		check("deletes")

		// A restore leaves the counters out of the file and rebuilds them.
		var buf bytes.Buffer
		if _, err := backup.Write(ctx, db, &buf); err != nil {
			t.Fatal(err)
		}
		restored := storetest.Open(t, "sqlite")
		if _, err := backup.Restore(ctx, restored, &buf); err != nil {
			t.Fatal(err)
		}
		for _, mid := range []int64{tn.MunicipalityID, other.MunicipalityID} {
			p1, _ := people.Count(ctx, db, mid)
			p2, _ := people.Count(ctx, restored, mid)
			c1, s1, _ := housing.Summary(ctx, db, mid)
			c2, s2, _ := housing.Summary(ctx, restored, mid)
			l1, _ := housing.ActiveLeases(ctx, db, mid)
			l2, _ := housing.ActiveLeases(ctx, restored, mid)
			if p1 != p2 || l1 != l2 || !slices.Equal(c1, c2) || !slices.Equal(s1, s2) {
				t.Fatalf("restored counters differ: persons %d/%d, leases %d/%d, %v/%v, %v/%v", p1, p2, l1, l2, c1, c2, s1, s2)
			}
		}
	})
}
