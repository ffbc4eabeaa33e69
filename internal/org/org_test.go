package org_test

import (
	"context"
	"errors"
	"testing"

	"husly/internal/access"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func TestUserWithMunicipalityRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		admin := access.Actor{MunicipalityID: tn.MunicipalityID, Username: "admin", Name: "Admin", Role: access.Admin}
		if err := access.AddRole(ctx, db, admin, access.RoleDef{Code: "nav-veileder", Label: "NAV-veileder", Base: access.CaseWorker}); err != nil {
			t.Fatal(err)
		}
		if err := access.AddRole(ctx, db, admin, access.RoleDef{Code: "nav-veileder", Label: "Igjen", Base: access.CaseWorker}); err == nil {
			t.Fatal("a role code was added twice")
		}
		if err := access.AddRole(ctx, db, access.Actor{MunicipalityID: tn.MunicipalityID, Role: access.UnitLeader}, access.RoleDef{Code: "x-y", Label: "X", Base: access.Property}); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a leader added a role: %v", err)
		}
		id, err := org.CreateUser(ctx, db, tn.Operator(), org.User{MunicipalityID: tn.MunicipalityID, OrgUnitID: tn.OrgUnitID, Username: "nav1", FullName: "Nora NAV", RoleCode: "nav-veileder"})
		if err != nil {
			t.Fatal(err)
		}
		u, err := org.UserByID(ctx, db, id)
		if err != nil || u.Role != access.CaseWorker || u.RoleCode != "nav-veileder" || u.RoleLabel != "NAV-veileder" {
			t.Fatalf("user = %+v, %v", u, err)
		}
		if a := u.Actor(); a.MatrixRole() != "nav-veileder" || !a.Writes() {
			t.Fatalf("actor = %+v", a)
		}
		m, _ := access.LoadMatrix(ctx, db, tn.MunicipalityID)
		if !m["nav-veileder"][access.Finances] {
			t.Fatal("the new role did not start from its base's row")
		}
		if _, err := org.CreateUser(ctx, db, tn.Operator(), org.User{MunicipalityID: tn.MunicipalityID, Username: "x", FullName: "X", RoleCode: "finnes-ikke"}); err == nil {
			t.Fatal("a user with an unknown role was created")
		}
	})
}

// Staff lists are for staff: org.ListStaff refuses a resident itself.
func TestListStaffRefusesResidents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "4611")
		resident := tn.CaseWorker()
		resident.Role = access.Resident
		if _, err := org.ListStaff(ctx, db, resident, 0); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("resident listing staff: %v", err)
		}
		staff, err := org.ListStaff(ctx, db, tn.CaseWorker(), 0)
		if err != nil || len(staff) != 1 {
			t.Fatalf("staff listing staff: %d %v", len(staff), err)
		}
		// An organisation cannot loop: a unit under its own sub-unit is refused.
		sub, err := org.CreateUnit(ctx, db, tn.Operator(), org.Unit{Name: "Team", Kind: "boteam"})
		if err != nil {
			t.Fatal(err)
		}
		if err := org.SetParent(ctx, db, tn.CaseWorker(), sub, tn.OrgUnitID); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a case worker reorganising: %v", err)
		}
		if err := org.SetParent(ctx, db, tn.Operator(), sub, tn.OrgUnitID); err != nil {
			t.Fatal(err)
		}
		if err := org.SetParent(ctx, db, tn.Operator(), tn.OrgUnitID, sub); err == nil {
			t.Fatal("a loop in the organisation was accepted")
		}
		if u, _ := org.GetUnit(ctx, db, tn.MunicipalityID, sub); u.ParentID != tn.OrgUnitID {
			t.Fatalf("parent %d, want %d", u.ParentID, tn.OrgUnitID)
		}
	})
}

// What a unit's role reveals starts from the unit's kind and is set by
// administrators only, never to nothing.
func TestReveals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		rop, err := org.CreateUnit(ctx, db, tn.Operator(), org.Unit{Name: "Rusteamet", Kind: "psykisk_helse_rus"})
		if err != nil {
			t.Fatal(err)
		}
		u, err := org.GetUnit(ctx, db, tn.MunicipalityID, rop)
		if err != nil || len(u.Reveals) != 2 || u.Reveals[0] != access.Health || u.Reveals[1] != access.Substance {
			t.Fatalf("a treatment unit reveals %v, %v", u.Reveals, err)
		}
		admin := access.Actor{MunicipalityID: tn.MunicipalityID, Role: access.Admin, Username: "admin", Name: "Admin"}
		if _, err := org.SetReveals(ctx, db, tn.CaseWorker(), rop, []access.Category{access.HousingNeeds}); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a case worker changed what a unit reveals: %v", err)
		}
		for _, bad := range [][]access.Category{nil, {"hemmelig"}} {
			if _, err := org.SetReveals(ctx, db, admin, rop, bad); err == nil {
				t.Fatalf("SetReveals(%v) was accepted", bad)
			}
		}
		u, err = org.SetReveals(ctx, db, admin, rop, []access.Category{access.Substance, access.Health, access.Substance})
		if err != nil || len(u.Reveals) != 2 || u.Reveals[0] != access.Health {
			t.Fatalf("SetReveals: %v %v", u.Reveals, err)
		}
	})
}
