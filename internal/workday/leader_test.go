package workday_test

import (
	"context"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/workday"
)

// The unit leader's figures count the unit's cases only (registered in it
// or served by it in a combined decision), with the waiting list at each
// month's end drawn from the grant and allocation dates; the planner sees
// the municipality.
func TestLeaderTrendsForTheUnit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		now := store.TimeArg(time.Now())
		id := func(q string, args ...any) int64 {
			t.Helper()
			n, err := store.InsertID(ctx, db, q, args...)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		other := id("INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'Tildelingskontoret', 'boligkontor', ?)", tn.MunicipalityID, now)
		home := id(`INSERT INTO units (municipality_id, code, address, category, control, rooms, area_m2, rent_monthly, created_at, updated_at)
			VALUES (?, 'A-1', 'Storgata 1', 'ordinaer', 'kf', 1, 30, 5000, ?, ?)`, tn.MunicipalityID, now, now)
		n := 0
		type c struct {
			unit                       int64
			received, due              string
			status, granted, allocated string
			since                      string
			servedByLeader             bool
		}
		for _, x := range []c{
			{tn.OrgUnitID, "2025-04-20", "2025-05-20", "tildelt", "2025-05-01", "2026-02-14", "2026-02-14", false},
			{tn.OrgUnitID, "2025-12-01", "2026-01-01", "innvilget", "2026-01-10", "", "2026-01-10", false},
			{tn.OrgUnitID, "2026-01-02", "2026-02-02", "ny_vurdering", "2026-01-12", "", "2026-02-03", false},
			{tn.OrgUnitID, "2026-02-01", "2026-03-01", "mottatt", "", "", "2026-02-01", false}, // overdue
			{tn.OrgUnitID, "2026-02-20", "2026-03-20", "tildelt", "2026-03-02", "2026-03-10", "2026-03-10", false},
			{other, "2026-01-05", "2026-02-05", "innvilget", "2026-01-20", "", "2026-01-20", true},  // the leader's unit provides a service
			{other, "2026-01-05", "2026-02-05", "innvilget", "2026-01-15", "", "2026-01-15", false}, // not the leader's
		} {
			n++
			person := storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(200000+n), "Søker", "Nummer")
			since, _ := deadline.Parse(x.since)
			app := id(`INSERT INTO applications (municipality_id, person_id, kind, received_on, status, decision_due, eligible, eligibility, org_unit_id, case_worker, created_at, phase_since)
				VALUES (?, ?, 'bolig', ?, ?, ?, TRUE, '{}', ?, '', ?, ?)`, tn.MunicipalityID, person, x.received, x.status, x.due, x.unit, now, store.TimeArg(since.Start().Add(9*time.Hour)))
			if x.granted == "" {
				continue
			}
			granted, _ := deadline.Parse(x.granted)
			dec := id(`INSERT INTO decisions (municipality_id, application_id, person_id, version, outcome, reasons, legal_basis, decided_on, appeal_due, decided_by, created_at)
				VALUES (?, ?, ?, 1, 'innvilget', 'Behov', 'bsl-6', ?, ?, 'Saksbehandler', ?)`, tn.MunicipalityID, app, person, granted, granted.AddDays(21), now)
			if x.servedByLeader {
				id(`INSERT INTO decision_services (municipality_id, decision_id, service, hours_per_week, provider_unit_id, start_on)
					VALUES (?, ?, 'boteam', 2, ?, ?)`, tn.MunicipalityID, dec, tn.OrgUnitID, granted)
			}
			if x.allocated != "" {
				on, _ := deadline.Parse(x.allocated)
				id(`INSERT INTO offers (municipality_id, application_id, unit_id, offered_on, respond_by, status, responded_on, offered_by, created_at)
					VALUES (?, ?, ?, ?, ?, 'akseptert', ?, 'Saksbehandler', ?)`, tn.MunicipalityID, app, home, on.AddDays(-3), on, on, now)
			}
		}
		today := deadline.Of(2026, 3, 17)
		leader := access.Actor{UserID: tn.UserID, MunicipalityID: tn.MunicipalityID, OrgUnitID: tn.OrgUnitID, OrgUnitName: "Boligkontoret", Role: access.UnitLeader}
		var l workday.LeaderDay
		statements := counting(db, func() {
			var err error
			if l, err = workday.Leader(ctx, db, leader, today); err != nil {
				t.Fatal(err)
			}
		})
		if statements > 4 {
			t.Errorf("the leader's figures ran %d statements", statements)
		}
		// Waiting today: 106 and 71 days since applying.
		if l.Unit != "Boligkontoret" || l.Waiting != 2 || l.WaitingMedian != 88 || l.WaitingLong != 106 || l.HousedThisYear != 2 || l.Open != 6 || l.Overdue != 1 {
			t.Errorf("the leader's figures: %+v", l)
		}
		if len(l.WaitingList) != 12 || len(l.Housed) != 12 || len(l.Received) != 12 {
			t.Fatalf("months: %d, %d, %d", len(l.WaitingList), len(l.Housed), len(l.Received))
		}
		month := func(ms []workday.WaitMonth, m string) workday.WaitMonth {
			for _, x := range ms {
				if x.Month == m {
					return x
				}
			}
			t.Fatalf("no month %s", m)
			return workday.WaitMonth{}
		}
		// At the end of January: 286, 61, 29 and 26 days since applying.
		if m := month(l.WaitingList, "2026-01"); m.Waiting != 4 || m.MedianDays != 45 || m.Housed != 0 {
			t.Errorf("January: %+v", m)
		}
		if m := month(l.WaitingList, "2026-02"); m.Waiting != 2 || m.Housed != 1 || m.DaysToHome != 300 {
			t.Errorf("February: %+v", m)
		}
		received := 0
		for _, m := range l.Received {
			received += m.N
		}
		if received != 6 {
			t.Errorf("received in the last twelve months: %d, want 6", received)
		}

		planner := access.Actor{UserID: tn.UserID, MunicipalityID: tn.MunicipalityID, OrgUnitID: tn.OrgUnitID, Role: access.Planner}
		p, err := workday.Leader(ctx, db, planner, today)
		if err != nil {
			t.Fatal(err)
		}
		if p.Unit != "" || p.Waiting != 3 || p.Open != 7 || month(p.WaitingList, "2026-01").Waiting != 5 {
			t.Errorf("the planner's figures: %+v", p)
		}
	})
}
