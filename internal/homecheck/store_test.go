package homecheck_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/homecheck"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func TestVisitFindingsBecomeTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		now := store.TimeArg(time.Now())
		today := deadline.On(time.Now())
		id := func(q string, args ...any) int64 {
			t.Helper()
			n, err := store.InsertID(ctx, db, q, args...)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		team := id("INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'Boteamet', 'boteam', ?)", tn.MunicipalityID, now)
		prop := id("INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'Eiendom', 'eiendom', ?)", tn.MunicipalityID, now)
		actor := func(unit int64, username string, role access.Role) access.Actor {
			u := id("INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)",
				tn.MunicipalityID, unit, username, "Ansatt "+username, string(role), now)
			return access.Actor{UserID: u, MunicipalityID: tn.MunicipalityID, OrgUnitID: unit, Username: username, Name: "Ansatt " + username, Role: role}
		}
		worker, officer := actor(team, "kari", access.FollowUp), actor(prop, "ole", access.Property)
		person := storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(100001), "Rune", "Beboer")
		for _, u := range []int64{team, prop} {
			if _, err := access.AddCaseUnit(ctx, db, tn.CaseWorker(), access.CaseUnit{PersonID: person, OrgUnitID: u, Responsibility: "oppfolging"}); err != nil {
				t.Fatal(err)
			}
		}
		unit := id(`INSERT INTO units (municipality_id, code, address, category, control, rooms, area_m2, rent_monthly, created_at, updated_at)
			VALUES (?, 'B-1', 'Storgata 1', 'ordinaer', 'kommunal', 2, 40, 7000, ?, ?)`, tn.MunicipalityID, now, now)
		lease := id("INSERT INTO leases (municipality_id, unit_id, start_date, rent_monthly, created_at) VALUES (?, ?, ?, 7000, ?)", tn.MunicipalityID, unit, today.AddDays(-40), now)
		if _, err := db.ExecContext(ctx, "INSERT INTO lease_tenants (lease_id, person_id, municipality_id) VALUES (?, ?, ?)", lease, person, tn.MunicipalityID); err != nil {
			t.Fatal(err)
		}
		due, err := homecheck.DueVisits(ctx, access.NewReader(db, worker, access.ChannelPage), 4, 12, today, 14, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 1 || !due[0].Value().Overdue || due[0].Value().Kind != homecheck.AfterMoveIn {
			t.Fatalf("the visit after moving in is overdue: %+v", due)
		}
		in := homecheck.Input{LeaseID: lease, PersonID: person, Kind: homecheck.AfterMoveIn, On: today,
			Answers: []homecheck.Answer{{Item: homecheck.Damp, Finding: true}, {Item: homecheck.Neighbours}}}
		var bad *invalid.Error
		if _, err := homecheck.Record(ctx, db, worker, in, today); !errors.As(err, &bad) || !strings.Contains(bad.Error(), "fukt") {
			t.Fatalf("a finding needs a note: %v", err)
		}
		in.Answers[0].Note = "Fukt i baderommet"
		in.Answers = append(in.Answers, homecheck.Answer{Item: homecheck.Furniture, Finding: true, Note: "Mangler seng"})
		if _, err := homecheck.Record(ctx, db, worker, in, today); err != nil {
			t.Fatal(err)
		}
		tasks, err := homecheck.Tasks(ctx, access.NewReader(db, officer, access.ChannelPage), 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(tasks) != 1 || tasks[0].Value().Item != homecheck.Damp || tasks[0].Value().Address != "Storgata 1" {
			t.Fatalf("property staff get the damp: %+v", tasks)
		}
		mine, err := homecheck.Tasks(ctx, access.NewReader(db, worker, access.ChannelPage), 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(mine) != 1 || mine[0].Value().Item != homecheck.Furniture {
			t.Fatalf("the team gets the furniture: %+v", mine)
		}
		if err := homecheck.CompleteTask(ctx, db, worker, tasks[0].Value().ID, today); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("the team does not close property's task: %v", err)
		}
		if err := homecheck.CompleteTask(ctx, db, officer, tasks[0].Value().ID, today); err != nil {
			t.Fatal(err)
		}
		checks, err := homecheck.OfUnit(ctx, access.NewReader(db, officer, access.ChannelPage), unit, 10)
		if err != nil {
			t.Fatal(err)
		}
		// Property staff see housing needs too, so the whole visit is shown.
		if len(checks) != 1 || len(checks[0].Value().Findings) != 2 || len(checks[0].Value().OK) != 1 {
			t.Fatalf("the unit page's visits: %+v", checks)
		}
		due, err = homecheck.DueVisits(ctx, access.NewReader(db, worker, access.ChannelPage), 4, 12, today, 14, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 0 {
			t.Fatalf("the next check is a year away: %+v", due)
		}
	})
}
