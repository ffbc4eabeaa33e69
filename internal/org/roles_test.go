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

// The organisation's writes check the actor's role themselves: only the
// operator adds municipalities; the operator and the municipality's own
// administrators add units and users, and never to another municipality.
// A refused call changes nothing.
func TestOrgWritesCheckTheRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "4620")
		other := storetest.NewTenant(t, db, "4621")
		as := func(r access.Role) access.Actor {
			a := tn.CaseWorker()
			a.Role = r
			return a
		}
		counts := func() (m, u, us int) {
			t.Helper()
			for q, n := range map[string]*int{"SELECT COUNT(*) FROM municipalities": &m, "SELECT COUNT(*) FROM org_units": &u, "SELECT COUNT(*) FROM users": &us} {
				if err := db.QueryRowContext(ctx, q).Scan(n); err != nil {
					t.Fatal(err)
				}
			}
			return
		}
		m0, u0, us0 := counts()
		refused := []access.Role{access.CaseWorker, access.Property, access.FollowUp, access.UnitLeader, access.Planner, access.Resident, access.Auditor}
		for _, r := range append(refused, access.Admin) {
			if _, err := org.CreateMunicipality(ctx, db, as(r), org.Municipality{Number: "4699", Name: "Nekt"}); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("CreateMunicipality as %s: %v, want ErrForbidden", r, err)
			}
		}
		for _, r := range refused {
			if _, err := org.CreateUnit(ctx, db, as(r), org.Unit{Name: "Nekt " + string(r), Kind: "boteam"}); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("CreateUnit as %s: %v, want ErrForbidden", r, err)
			}
			_, err := org.CreateUser(ctx, db, as(r), org.User{Username: "nekt-" + string(r), FullName: "Nekt", Role: access.CaseWorker})
			if !errors.Is(err, access.ErrForbidden) || err.Error() == access.ErrForbidden.Error() {
				t.Errorf("CreateUser as %s: %v, want ErrForbidden with a reason", r, err)
			}
		}
		admin := as(access.Admin)
		if _, err := org.CreateUser(ctx, db, admin, org.User{MunicipalityID: other.MunicipalityID, Username: "fremmed", FullName: "Fremmed", Role: access.CaseWorker}); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("an administrator added a user to another municipality: %v", err)
		}
		if _, err := org.CreateUser(ctx, db, access.Actor{Role: access.Operator, Username: "cli:x"}, org.User{Username: "uten", FullName: "Uten kommune", Role: access.CaseWorker}); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("the operator added a user outside any municipality: %v", err)
		}
		if m, u, us := counts(); m != m0 || u != u0 || us != us0 {
			t.Fatalf("refused calls changed the organisation: %d/%d/%d municipalities/units/users, want %d/%d/%d", m, u, us, m0, u0, us0)
		}

		unit, err := org.CreateUnit(ctx, db, admin, org.Unit{Name: "Boteamet", Kind: "boteam"})
		if err != nil {
			t.Fatalf("CreateUnit as administrator: %v", err)
		}
		if _, err := org.CreateUser(ctx, db, admin, org.User{OrgUnitID: unit, Username: "bo1", FullName: "Bo Boteam", Role: access.FollowUp}); err != nil {
			t.Fatalf("CreateUser as administrator: %v", err)
		}
		if _, err := org.CreateUnit(ctx, db, other.Operator(), org.Unit{Name: "Driftsenhet", Kind: "boteam"}); err != nil {
			t.Fatalf("CreateUnit as operator: %v", err)
		}
		if _, err := org.CreateMunicipality(ctx, db, access.Actor{Role: access.Operator, Username: "cli:x", Name: "Kommandolinjen"}, org.Municipality{Number: "4698", Name: "Ny"}); err != nil {
			t.Fatalf("CreateMunicipality as operator: %v", err)
		}
		var users int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE municipality_id = ? AND username = 'bo1'", tn.MunicipalityID).Scan(&users); err != nil || users != 1 {
			t.Fatalf("the administrator's user is not in their municipality: %d, %v", users, err)
		}
	})
}
