package caseflow_test

import (
	"context"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Staff are known by user id, not by display name: two case workers with
// the same name each see only their own cases, and a renamed case worker
// keeps theirs, shown under the name kept when they took them.
func TestStaffAreKnownByUserID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		if _, err := db.ExecContext(ctx, "UPDATE users SET full_name = 'Kari Nordmann' WHERE id = ?", tn.UserID); err != nil {
			t.Fatal(err)
		}
		other, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at)
			VALUES (?, ?, 'kari-2', 'Kari Nordmann', 'saksbehandler', ?)`, tn.MunicipalityID, tn.OrgUnitID, store.TimeArg(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		kari1 := tn.CaseWorker()
		kari1.Name = "Kari Nordmann"
		kari2 := kari1
		kari2.UserID, kari2.Username = other, "kari-2"
		today := deadline.Of(2026, 11, 22)
		apply := func(a access.Actor, n int, first string) caseflow.Application {
			t.Helper()
			pid, err := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(n), FirstName: first, LastName: "Berg"})
			if err != nil {
				t.Fatal(err)
			}
			app, err := caseflow.Apply(ctx, db, a, pid, caseflow.ApplicationInput{Kind: "kommunal_bolig", Received: deadline.Of(2026, 11, 20), HouseholdSize: 1}, today)
			if err != nil {
				t.Fatal(err)
			}
			return app
		}
		first, second := apply(kari1, 31000, "Liv"), apply(kari2, 31001, "Ola")
		mine := func(a access.Actor) []int64 {
			t.Helper()
			ts, err := caseflow.Tasks(ctx, db, a, true, today, access.ChannelPage)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, x := range ts {
				ids = append(ids, x.ApplicationID)
			}
			return ids
		}
		if got := mine(kari1); len(got) != 1 || got[0] != first.ID {
			t.Fatalf("the first Kari Nordmann's own tasks: cases %v, want only %d", got, first.ID)
		}
		if got := mine(kari2); len(got) != 1 || got[0] != second.ID {
			t.Fatalf("the second Kari Nordmann's own tasks: cases %v, want only %d", got, second.ID)
		}
		// Taking a case goes by id too: the other Kari may take it, and
		// then it is hers alone.
		if err := caseflow.TakeCase(ctx, db, kari2, first.ID); err != nil {
			t.Fatalf("the second Kari takes the first Kari's case: %v", err)
		}
		if got := mine(kari1); len(got) != 0 {
			t.Fatalf("after handing the case over, the first Kari still has %v", got)
		}
		if got := mine(kari2); len(got) != 2 {
			t.Fatalf("the second Kari has %v, want both cases", got)
		}
		// A rename keeps the cases, and they show the new name.
		if _, err := db.ExecContext(ctx, "UPDATE users SET full_name = 'Kari Nordmann Hansen' WHERE id = ?", other); err != nil {
			t.Fatal(err)
		}
		kari2.Name = "Kari Nordmann Hansen"
		if got := mine(kari2); len(got) != 2 {
			t.Fatalf("after the rename: cases %v, want both", got)
		}
		c, err := caseflow.Load(ctx, db, kari2, second.ID, today, access.ChannelPage)
		if err != nil {
			t.Fatal(err)
		}
		if c.Application.CaseWorker != "Kari Nordmann" || c.Application.CaseWorkerID != other {
			t.Fatalf("case worker shown as %q (user %d), want the name kept for user %d", c.Application.CaseWorker, c.Application.CaseWorkerID, other)
		}
	})
}
