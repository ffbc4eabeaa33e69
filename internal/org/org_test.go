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
		id, err := org.CreateUser(ctx, db, org.User{MunicipalityID: tn.MunicipalityID, OrgUnitID: tn.OrgUnitID, Username: "nav1", FullName: "Nora NAV", RoleCode: "nav-veileder"})
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
		if _, err := org.CreateUser(ctx, db, org.User{MunicipalityID: tn.MunicipalityID, Username: "x", FullName: "X", RoleCode: "finnes-ikke"}); err == nil {
			t.Fatal("a user with an unknown role was created")
		}
	})
}
