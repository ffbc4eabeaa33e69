package allocation_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// counting runs fn and gives the statements it ran on db.
func counting(t *testing.T, db *store.DB, fn func() error) []string {
	t.Helper()
	var mu sync.Mutex
	var qs []string
	db.Observe(func(q string) {
		mu.Lock()
		qs = append(qs, strings.Join(strings.Fields(q), " "))
		mu.Unlock()
	})
	err := fn()
	db.Observe(nil)
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// The allocation round, the forecast of leases running out, the partner
// agreements, a meeting and a unit's tenants read their rows in batches:
// on the demo municipality (36 vacancies, dozens of leases ending, a
// unit with many tenants) each runs a handful of statements, none per row.
// The bounds count everything, the access check and the access-log write
// included.
func TestAllocationReadsAreBatched(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cw := demoActor(t, db, "demo-saksbehandler")
		today := deadline.On(time.Now())
		check := func(what string, max int, fn func() error) {
			t.Helper()
			qs := counting(t, db, fn)
			t.Logf("%s: %d statements", what, len(qs))
			if len(qs) > max {
				t.Errorf("%s ran %d statements, more than %d:\n%s", what, len(qs), max, strings.Join(qs, "\n"))
			}
		}
		check("the round", 13, func() error {
			r, err := allocation.RunRound(ctx, db, cw, false, today, access.ChannelPage)
			if err == nil && len(r.Proposals) < 10 {
				t.Errorf("the demo round has only %d proposals", len(r.Proposals))
			}
			return err
		})
		check("the forecast", 2, func() error {
			soon, err := allocation.Forecast(ctx, db, cw, today, 3650)
			if err == nil && len(soon) < 10 {
				t.Errorf("only %d leases end within ten years", len(soon))
			}
			return err
		})
		// Ten units shared with the demo municipality by a partner.
		partner := storetest.NewTenant(t, db, "1554")
		admin := access.Actor{MunicipalityID: partner.MunicipalityID, Name: "Admin", Role: access.Admin}
		for i := range 10 {
			code := "AV-" + string(rune('A'+i))
			if _, err := housing.CreateUnit(ctx, db, partner.CaseWorker(), housing.Unit{Code: code, Address: "Bruhagen 3", Category: "ordinaer", Rooms: 1, AreaM2: 40, RentMonthly: 7000}); err != nil {
				t.Fatal(err)
			}
			if _, err := allocation.OfferToPartner(ctx, db, admin, allocation.AgreementInput{Partner: "1505", UnitCode: code}, today); err != nil {
				t.Fatal(err)
			}
		}
		check("the round with shared units", 13, func() error {
			r, err := allocation.RunRound(ctx, db, cw, false, today, access.ChannelPage)
			shared := 0
			for _, p := range r.Proposals {
				if p.Vacancy.SharedBy != "" {
					shared++
				}
			}
			if err == nil && shared == 0 {
				t.Error("no shared unit in the round")
			}
			return err
		})
		check("the agreements", 1, func() error {
			list, err := allocation.Agreements(ctx, db, cw)
			if err == nil && len(list) != 10 {
				t.Errorf("%d agreements", len(list))
			}
			return err
		})
		// A meeting with three required agencies, none of them present.
		var units []int64
		rows, err := db.QueryContext(ctx, "SELECT id FROM org_units WHERE municipality_id = ? ORDER BY id LIMIT 4", cw.MunicipalityID)
		if units, err = store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) }); err != nil {
			t.Fatal(err)
		}
		leader := cw
		leader.Role = access.UnitLeader
		if err := allocation.SetSchedule(ctx, db, leader, allocation.Schedule{IntervalDays: 14, RequiredUnits: units[:3], TieBreakUnit: units[3]}); err != nil {
			t.Fatal(err)
		}
		id, err := allocation.OpenMeeting(ctx, db, cw, deadline.Date{}, today)
		if err != nil {
			t.Fatal(err)
		}
		check("the meeting", 10, func() error {
			m, err := allocation.LoadMeeting(ctx, db, cw, id, access.ChannelPage)
			if err == nil && (len(m.Missing) != 3 || m.TieBreak == "") {
				t.Errorf("missing %v, tie-break %q", m.Missing, m.TieBreak)
			}
			return err
		})
		// A unit whose lease has fifteen tenants.
		var unit, lease int64
		if err := db.QueryRowContext(ctx, "SELECT unit_id, id FROM leases WHERE municipality_id = ? AND status = 'aktiv' ORDER BY id LIMIT 1", cw.MunicipalityID).Scan(&unit, &lease); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO lease_tenants (lease_id, person_id, municipality_id)
			SELECT ?, id, municipality_id FROM persons WHERE municipality_id = ? AND id NOT IN (SELECT person_id FROM lease_tenants WHERE lease_id = ?) ORDER BY id LIMIT 15`,
			lease, cw.MunicipalityID, lease); err != nil {
			t.Fatal(err)
		}
		check("a unit's tenants", 6, func() error {
			ls, err := housing.Leases(ctx, db, cw, unit, access.ChannelPage)
			if err == nil && (len(ls) == 0 || len(ls[0].Tenants) < 15) {
				t.Errorf("leases %+v", ls)
			}
			return err
		})
	})
}
