package people_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"husly/internal/access"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

// The people capability's write functions check the actor's role
// themselves: a wrong role is refused at the function and nothing changes.
func TestPeopleWritesCheckTheRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "4901")
		person, err := people.Create(ctx, db, tn.CaseWorker(), people.Input{IdentityNumber: identity.Synthetic(490001), FirstName: "Rolle", LastName: "Prøve"})
		if err != nil {
			t.Fatal(err)
		}
		as := func(r access.Role) access.Actor {
			a := tn.CaseWorker()
			a.Role = r
			return a
		}
		rows := func() int {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM persons) + (SELECT COUNT(*) FROM notes) + (SELECT COUNT(*) FROM audit_log)
				+ (SELECT COUNT(*) FROM persons WHERE restricted = ?) + (SELECT COUNT(*) FROM persons WHERE last_name = 'Rettet')`, true).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := rows()
		checks := []struct {
			name  string
			roles []access.Role
			call  func(a access.Actor) error
		}{
			{"Create", []access.Role{access.Planner, access.Admin, access.Auditor, access.Resident, access.Operator}, func(a access.Actor) error {
				_, err := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(490002), FirstName: "Ny", LastName: "Person"})
				return err
			}},
			{"AddNote", []access.Role{access.Planner, access.Admin, access.Auditor, access.Resident}, func(a access.Actor) error {
				_, err := people.AddNote(ctx, db, a, person, access.HousingNeeds, "Notat")
				return err
			}},
			{"Correct", []access.Role{access.Planner, access.Admin, access.Auditor, access.Resident}, func(a access.Actor) error {
				return people.Correct(ctx, db, a, person, people.Correction{FirstName: "Rolle", LastName: "Rettet"})
			}},
			{"Restrict", []access.Role{access.CaseWorker, access.Property, access.FollowUp, access.Auditor}, func(a access.Actor) error {
				return people.Restrict(ctx, db, a, person, true, "Personen ba om det")
			}},
			{"Delete", []access.Role{access.CaseWorker, access.Property, access.FollowUp, access.Auditor}, func(a access.Actor) error {
				return people.Delete(ctx, db, a, person, "Registrert ved en feil")
			}},
			{"Import", []access.Role{access.CaseWorker, access.UnitLeader, access.Admin}, func(a access.Actor) error {
				_, err := people.Import(ctx, db, a, strings.NewReader("fodselsnummer;fornavn;etternavn\n"+identity.Synthetic(490003)+";Im;Port\n"), tabular.CSV, nil)
				return err
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
			t.Fatalf("refused calls changed %d rows", after-before)
		}
	})
}
