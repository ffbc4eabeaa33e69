package housing_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

const unitsCSV = `boligkode,adresse,kategori,rom,areal,husleie,bydel,bygg,anlegg,rullestol,bemanning,sist_vedlikeholdt
KSU-001,Langveien 1,bofellesskap,1,32.5,6500,Nordlandet,Langveien bofellesskap,Langveien,ja,doegn,2025-04-01
KSU-002,Langveien 1,bofellesskap,1,"30,0",6400,Nordlandet,Langveien bofellesskap,Langveien,nei,doegn,
KSU-003,Storgata 4,ordinaer,3,71,9800,Sentrum,,,,,
`

func TestUnitsImportFilterExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		n, err := housing.ImportUnits(ctx, db, tn.Operator(), strings.NewReader(unitsCSV), tabular.CSV)
		if err != nil || n != 3 {
			t.Fatalf("import = %d, %v", n, err)
		}
		units, total, err := housing.ListUnits(ctx, db, tn.MunicipalityID, housing.Filter{Category: "bofellesskap", Wheelchair: true})
		if err != nil || total != 1 || units[0].Code != "KSU-001" || units[0].SiteName != "Langveien" || units[0].Staffing != "doegn" {
			t.Fatalf("filter = %+v, %d, %v", units, total, err)
		}
		if _, total, _ := housing.ListUnits(ctx, db, tn.MunicipalityID, housing.Filter{Text: "storg"}); total != 1 {
			t.Fatalf("text filter found %d", total)
		}
		other := storetest.NewTenant(t, db, "1506")
		if _, total, _ := housing.ListUnits(ctx, db, other.MunicipalityID, housing.Filter{}); total != 0 {
			t.Fatal("units crossed municipalities")
		}
		for _, f := range []tabular.Format{tabular.CSV, tabular.XLSX} {
			var buf bytes.Buffer
			if err := housing.ExportUnits(ctx, db, tn.MunicipalityID, &buf, f); err != nil {
				t.Fatal(err)
			}
			third := storetest.NewTenant(t, db, map[tabular.Format]string{tabular.CSV: "1507", tabular.XLSX: "1508"}[f])
			if n, err := housing.ImportUnits(ctx, db, third.Operator(), &buf, f); err != nil || n != 3 {
				t.Fatalf("%s round trip = %d, %v", f, n, err)
			}
			a, _, _ := housing.ListUnits(ctx, db, tn.MunicipalityID, housing.Filter{})
			b, _, _ := housing.ListUnits(ctx, db, third.MunicipalityID, housing.Filter{})
			for i := range a {
				a[i].ID, b[i].ID, a[i].BuildingID, b[i].BuildingID = 0, 0, 0, 0
				if a[i] != b[i] {
					t.Fatalf("%s round trip changed a unit:\n%+v\n%+v", f, a[i], b[i])
				}
			}
		}
	})
}

func TestUnitsImportRejectsBadLines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		in := unitsCSV + "KSU-001,Dobbel,ordinaer,1,20,5000,,,,,,\nKSU-004,X,slott,0,20,5000,,,,kanskje,,\n"
		_, err := housing.ImportUnits(ctx, db, tn.Operator(), strings.NewReader(in), tabular.CSV)
		var es tabular.Errors
		if !errors.As(err, &es) || len(es) != 2 || es[0].Line != 5 || es[1].Line != 6 {
			t.Fatalf("errors = %v", err)
		}
		for _, want := range []string{"ukjent kategori", "antall rom", "rullestol"} {
			if !strings.Contains(es[1].Text(), want) {
				t.Errorf("line 6 message %q lacks %q", es[1].Text(), want)
			}
		}
		if _, total, _ := housing.ListUnits(ctx, db, tn.MunicipalityID, housing.Filter{}); total != 0 {
			t.Fatalf("%d units stored after a rejected import", total)
		}
	})
}

func TestLeaseRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		a := tn.CaseWorker()
		uid, err := housing.CreateUnit(ctx, db, a, housing.Unit{Code: "U1", Address: "Gata 1", Category: "ordinaer", Rooms: 2, AreaM2: 50, RentMonthly: 8000})
		if err != nil {
			t.Fatal(err)
		}
		pid, err := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(5), FirstName: "Kari", LastName: "Nordmann"})
		if err != nil {
			t.Fatal(err)
		}
		start := deadline.Of(2026, 1, 1)
		lease := housing.Lease{UnitID: uid, Start: start, End: deadline.Of(2029, 1, 1), RentMonthly: 8000, Deposit: 48001,
			Tenants: []housing.Tenant{{PersonID: pid}}}
		var ve *housing.ValidationError
		if _, err := housing.CreateLease(ctx, db, a, lease); !errors.As(err, &ve) {
			t.Fatalf("deposit above six months accepted (husleieloven § 3-5): %v", err)
		}
		lease.Deposit = 48000
		if err := db.InTx(ctx, func(tx *store.Tx) error { _, err := housing.CreateLease(ctx, tx, a, lease); return err }); err != nil {
			t.Fatal(err)
		}
		if _, err := housing.CreateLease(ctx, db, a, lease); !errors.As(err, &ve) {
			t.Fatalf("second active lease accepted: %v", err)
		}
		u, _ := housing.GetUnit(ctx, db, tn.MunicipalityID, uid)
		ls, _ := housing.Leases(ctx, db, a, uid, access.ChannelPage)
		if u.Status != "utleid" || len(ls) != 1 || ls[0].Tenants[0].Name != "Kari Nordmann" {
			t.Fatalf("unit %s leases %+v", u.Status, ls)
		}
		// The schema refuses a deposit over six months even if the code were bypassed.
		if _, err := db.ExecContext(ctx, "UPDATE leases SET deposit = 48001"); err == nil {
			t.Fatal("schema accepted a deposit above six months' rent")
		}
	})
}
