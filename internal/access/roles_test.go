package access_test

import (
	"context"
	"errors"
	"testing"

	"husly/internal/access"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// The access capability's write functions check the actor's role
// themselves: a wrong role is refused there, whatever handler calls them,
// and nothing is written.
func TestAccessWritesCheckTheRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "4801")
		person := storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(480001), "Rolle", "Prøve")
		other := storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(480002), "Annen", "Prøve")
		as := func(r access.Role) access.Actor {
			a := tn.CaseWorker()
			a.Role = r
			if r == access.Resident {
				a.PersonID = other
			}
			return a
		}
		rows := func() int {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM case_units) + (SELECT COUNT(*) FROM consents) + (SELECT COUNT(*) FROM break_glass)
				+ (SELECT COUNT(*) FROM roles) + (SELECT COUNT(*) FROM access_matrix) + (SELECT COUNT(*) FROM audit_log)`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := rows()
		consent := access.Consent{PersonID: person, RecipientUnitID: tn.OrgUnitID, Purpose: "Oppfølging", Categories: []access.Category{access.Health}}
		checks := []struct {
			name  string
			roles []access.Role
			call  func(a access.Actor) error
		}{
			{"AddCaseUnit", []access.Role{access.Planner, access.Admin, access.Auditor, access.Resident}, func(a access.Actor) error {
				_, err := access.AddCaseUnit(ctx, db, a, access.CaseUnit{PersonID: person, OrgUnitID: tn.OrgUnitID, Responsibility: "saksbehandling"})
				return err
			}},
			{"RecordConsent", []access.Role{access.Planner, access.Admin, access.Auditor, access.Resident, access.Operator}, func(a access.Actor) error {
				_, err := access.RecordConsent(ctx, db, a, consent)
				return err
			}},
			{"WithdrawConsent", []access.Role{access.Planner, access.Admin, access.Auditor, access.Resident}, func(a access.Actor) error {
				return access.WithdrawConsent(ctx, db, a, person, 1)
			}},
			{"AddRole", []access.Role{access.CaseWorker, access.UnitLeader, access.Auditor, access.Planner}, func(a access.Actor) error {
				return access.AddRole(ctx, db, a, access.RoleDef{Code: "nav-veileder", Label: "NAV-veileder", Base: access.CaseWorker})
			}},
			{"SetMatrix", []access.Role{access.CaseWorker, access.UnitLeader, access.Auditor, access.Planner}, func(a access.Actor) error {
				return access.SetMatrix(ctx, db, a, access.Matrix{access.Property: {access.Health: true}})
			}},
			{"SetBreakGlassSpecial", []access.Role{access.CaseWorker, access.UnitLeader, access.Auditor, access.Planner}, func(a access.Actor) error {
				return access.SetBreakGlassSpecial(ctx, db, a, true)
			}},
			{"OpenBreakGlass", []access.Role{access.Planner, access.Admin, access.Auditor, access.Resident}, func(a access.Actor) error {
				_, err := access.OpenBreakGlass(ctx, db, a, person, "Akutt behov for avklaring")
				return err
			}},
			{"ReviewBreakGlass", []access.Role{access.CaseWorker, access.Property, access.Planner, access.Admin}, func(a access.Actor) error {
				return access.ReviewBreakGlass(ctx, db, a, 1, "Sett")
			}},
		}
		for _, c := range checks {
			for _, r := range c.roles {
				if err := c.call(as(r)); !errors.Is(err, access.ErrForbidden) {
					t.Errorf("%s as %s: %v, want ErrForbidden", c.name, r, err)
				}
			}
		}
		if after := rows(); after != before {
			t.Fatalf("refused calls wrote %d rows", after-before)
		}
		// The right roles go through.
		if _, err := access.AddCaseUnit(ctx, db, tn.CaseWorker(), access.CaseUnit{PersonID: person, OrgUnitID: tn.OrgUnitID, Responsibility: "saksbehandling"}); err != nil {
			t.Fatal(err)
		}
		cid, err := access.RecordConsent(ctx, db, tn.CaseWorker(), consent)
		if err != nil {
			t.Fatal(err)
		}
		// A resident withdraws their own consent, never someone else's.
		self := as(access.Resident)
		self.PersonID = person
		if err := access.WithdrawConsent(ctx, db, as(access.Resident), person, cid); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a resident withdrawing another person's consent: %v", err)
		}
		if err := access.WithdrawConsent(ctx, db, self, person, cid); err != nil {
			t.Fatalf("a resident withdrawing their own consent: %v", err)
		}
		if _, err := access.OpenBreakGlass(ctx, db, tn.CaseWorker(), other, "Akutt behov for avklaring"); err != nil {
			t.Fatal(err)
		}
	})
}
