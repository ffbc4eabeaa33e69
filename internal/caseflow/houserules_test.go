package caseflow_test

import (
	"context"
	"errors"
	"testing"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestHouseRulesMadeWithResidents: a building's house rules are drafted,
// commented on by a resident of the building (not by others), put in
// force, and replaced by the next version; bad input stores nothing.
func TestHouseRulesMadeWithResidents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		today := deadline.Of(2026, 11, 23)
		building, err := housing.CreateBuilding(ctx, db, tn.MunicipalityID, 0, "Tollåsenga 3", "Tollåsenga 3", 3, true)
		if err != nil {
			t.Fatal(err)
		}
		unit, err := housing.CreateUnit(ctx, db, cw, housing.Unit{Code: "T3-1", Address: "Tollåsenga 3", BuildingID: building, Category: "bofellesskap", Rooms: 1, AreaM2: 30, RentMonthly: 6000})
		if err != nil {
			t.Fatal(err)
		}
		pid, _ := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(30010), FirstName: "Bo", LastName: "Beboer"})
		other, _ := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(30011), FirstName: "Ann", LastName: "Annen"})
		start := deadline.Of(2026, 1, 1)
		if _, err := housing.CreateLease(ctx, db, cw, housing.Lease{UnitID: unit, Start: start, RentMonthly: 6000, Tenants: []housing.Tenant{{PersonID: pid}}}); err != nil {
			t.Fatal(err)
		}
		me := access.Actor{MunicipalityID: tn.MunicipalityID, PersonID: pid, Name: "Bo Beboer", Role: access.Resident}
		stranger := access.Actor{MunicipalityID: tn.MunicipalityID, PersonID: other, Name: "Ann Annen", Role: access.Resident}

		_, err = caseflow.SaveHouseRulesDraft(ctx, db, cw, building, " ")
		mustInvalid(t, err, "husordensreglene må fylles ut")
		if _, err := caseflow.SaveHouseRulesDraft(ctx, db, me, building, "Ro etter 23"); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a resident writing the rules: %v", err)
		}
		v1, err := caseflow.SaveHouseRulesDraft(ctx, db, cw, building, "Ro etter klokken 23.")
		if err != nil || v1.Version != 1 || v1.Status != "utkast" {
			t.Fatalf("draft: %+v %v", v1, err)
		}
		mine, err := caseflow.MyHouseRules(ctx, db, me)
		if err != nil || len(mine) != 1 || mine[0].ID != v1.ID {
			t.Fatalf("the resident's drafts: %+v %v", mine, err)
		}
		_, err = caseflow.CommentHouseRules(ctx, db, me, v1.ID, "")
		mustInvalid(t, err, "merknaden må fylles ut")
		if _, err := caseflow.CommentHouseRules(ctx, db, me, v1.ID, "Helgene kan ha ro fra midnatt."); err != nil {
			t.Fatal(err)
		}
		_, err = caseflow.CommentHouseRules(ctx, db, stranger, v1.ID, "Jeg bor ikke her")
		mustInvalid(t, err, "for bygg du leier bolig i")
		if _, _, err := caseflow.BuildingHouseRules(ctx, db, me, building); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a resident reading every comment: %v", err)
		}
		name, rs, err := caseflow.BuildingHouseRules(ctx, db, cw, building)
		if err != nil || name != "Tollåsenga 3" || len(rs) != 1 || len(rs[0].Comments) != 1 || rs[0].Comments[0].Body != "Helgene kan ha ro fra midnatt." {
			t.Fatalf("the staff's view: %q %+v %v", name, rs, err)
		}
		// Edited while a draft, then in force; comments are closed after.
		if _, err := caseflow.SaveHouseRulesDraft(ctx, db, cw, building, "Ro etter klokken 23, i helgene fra midnatt."); err != nil {
			t.Fatal(err)
		}
		_, err = caseflow.PutHouseRulesInForce(ctx, db, cw, building, today.AddDays(-1), today)
		mustInvalid(t, err, "en dag som har vært")
		in, err := caseflow.PutHouseRulesInForce(ctx, db, cw, building, deadline.Of(2026, 12, 1), today)
		if err != nil || in.Status != "gjeldende" || in.InForceOn.String() != "2026-12-01" {
			t.Fatalf("in force: %+v %v", in, err)
		}
		_, err = caseflow.PutHouseRulesInForce(ctx, db, cw, building, deadline.Date{}, today)
		mustInvalid(t, err, "ikke noe utkast")
		_, err = caseflow.CommentHouseRules(ctx, db, me, v1.ID, "For sent")
		mustInvalid(t, err, "allerede satt i kraft")
		// The next version is a draft beside the one in force, which it replaces when put in force.
		v2, err := caseflow.SaveHouseRulesDraft(ctx, db, cw, building, "Ro etter klokken 22.")
		if err != nil || v2.Version != 2 {
			t.Fatalf("second version: %+v %v", v2, err)
		}
		if _, err := caseflow.PutHouseRulesInForce(ctx, db, cw, building, deadline.Date{}, today); err != nil {
			t.Fatal(err)
		}
		_, rs, _ = caseflow.BuildingHouseRules(ctx, db, cw, building)
		if len(rs) != 2 || rs[0].Status != "gjeldende" || rs[1].Status != "erstattet" {
			t.Fatalf("versions: %+v", rs)
		}
	})
}
