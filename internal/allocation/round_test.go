package allocation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/deadline"
	"husly/internal/demo/demotest"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func demoActor(t testing.TB, db *store.DB, username string) access.Actor {
	t.Helper()
	demotest.Seed(t, db, 1)
	u, err := org.UserByUsername(context.Background(), db, username)
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

// TestRoundOnTheDemo runs a round on the demo municipality: every proposal
// is an allowed pair, explained, and the optimal total is at least
// greedy's.
func TestRoundOnTheDemo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cw := demoActor(t, db, "demo-saksbehandler")
		today := deadline.On(time.Now())
		r, err := allocation.RunRound(ctx, db, cw, false, today, access.ChannelPage)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Waiting) == 0 || len(r.Proposals) == 0 || r.OptimalPlaced == 0 {
			t.Fatalf("round: %d waiting, %d vacancies, %d placed", len(r.Waiting), len(r.Proposals), r.OptimalPlaced)
		}
		if r.OptimalTotal+1e-9 < r.GreedyTotal {
			t.Fatalf("optimal %v below greedy %v", r.OptimalTotal, r.GreedyTotal)
		}
		for _, p := range r.Proposals {
			if p.Applicant == nil {
				continue
			}
			e := allocation.Evaluate(p.Applicant.Need, p.Vacancy.Home(), p.Vacancy.Mix, r.Settings.Policy)
			if !e.Allowed || e.Score != p.Score || len(p.Reasons) == 0 {
				t.Fatalf("proposal %s → %s: %+v", p.Vacancy.Unit.Code, p.Applicant.Name, e)
			}
		}
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_reads WHERE user_id = ?", cw.UserID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n < len(r.Waiting) {
			t.Fatalf("%d reads logged for %d applicants", n, len(r.Waiting))
		}
		// Leases running out or under notice within 90 days: the vacancies to come.
		soon, err := allocation.Forecast(ctx, db, cw, today, 90)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range soon {
			if u.FreeFrom.String() < today.String() || u.FreeFrom.String() > today.AddDays(90).String() || u.Unit.Status != "utleid" {
				t.Fatalf("forecast: %+v", u)
			}
		}
		// New rules: the administrator sees the impact first, without names.
		admin := access.Actor{MunicipalityID: cw.MunicipalityID, Name: "Ada", Role: access.Admin}
		next := allocation.DefaultRules()
		next[0].Points = 0 // homelessness no longer counts
		shifts, err := allocation.Preview(ctx, db, admin, next, today)
		if err != nil || len(shifts) == 0 {
			t.Fatalf("preview: %v %v", shifts, err)
		}
		if _, err := allocation.Preview(ctx, db, cw, next, today); err == nil {
			t.Fatal("a case worker previewed rule changes")
		}
		if _, err := allocation.SaveSettings(ctx, db, admin, 1, next, allocation.DefaultPolicy()); err == nil || !strings.Contains(err.Error(), "endret") {
			t.Fatalf("a stale rule change: %v", err)
		}
		bad := allocation.DefaultPolicy()
		bad.MixLimit = 3
		if _, err := allocation.SaveSettings(ctx, db, admin, 0, next, bad); err == nil {
			t.Fatal("a mix limit of 300 % was saved")
		}
		s, err := allocation.SaveSettings(ctx, db, admin, 0, next, allocation.DefaultPolicy())
		if err != nil || s.Version != 1 {
			t.Fatalf("save: %+v %v", s, err)
		}
		if cur, _ := allocation.SettingsOf(ctx, db, cw.MunicipalityID); cur.Version != 1 || cur.Rules[0].Points != 0 {
			t.Fatalf("in force: %+v", cur)
		}
	})
}

// BenchmarkDemoRound is a realistic round on the demo municipality: at
// most 100 ms. It reports optimal against greedy: the total score and the
// top-priority applicants placed.
func BenchmarkDemoRound(b *testing.B) {
	db := storetest.Open(b, "sqlite")
	cw := demoActor(b, db, "demo-saksbehandler")
	today := deadline.On(time.Now())
	var r allocation.Round
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if r, err = allocation.RunRound(context.Background(), db, cw, false, today, access.ChannelPage); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(r.Waiting)), "waiting")
	b.ReportMetric(float64(len(r.Proposals)), "vacancies")
	b.ReportMetric(float64(r.Pairs), "pairs")
	b.ReportMetric(r.OptimalTotal, "optimal-total")
	b.ReportMetric(r.GreedyTotal, "greedy-total")
	b.ReportMetric(float64(r.OptimalTopSeen), "optimal-top-placed")
	b.ReportMetric(float64(r.GreedyTopSeen), "greedy-top-placed")
}

// The ROP flag is health and substance data: a waiting list or a round
// never sends it to a list viewer, in the need or on its own, while the
// round still keeps the buildings' ROP share.
func TestWaitingListHidesROP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cw := demoActor(t, db, "demo-saksbehandler")
		today := deadline.On(time.Now())
		// Every waiting applicant gets a service from the substance and
		// mental-health team.
		if _, err := db.ExecContext(ctx, `INSERT INTO decision_services (municipality_id, decision_id, service, hours_per_week, provider_unit_id, start_on)
			SELECT d.municipality_id, d.id, 'ROP-oppfølging', 1, (SELECT id FROM org_units o WHERE o.municipality_id = d.municipality_id AND o.kind = 'psykisk_helse_rus'), '2026-01-01'
			FROM decisions d WHERE d.outcome = 'innvilget'`); err != nil {
			t.Fatal(err)
		}
		list, _, err := allocation.WaitingList(ctx, db, cw, today, access.ChannelAPI)
		if err != nil || len(list) == 0 {
			t.Fatalf("waiting list: %d, %v", len(list), err)
		}
		r, err := allocation.RunRound(ctx, db, cw, false, today, access.ChannelAPI)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range append(list, r.Waiting...) {
			if x.Need.ROP || x.ROP.Shown() {
				t.Fatalf("%s: the ROP flag reached the housing office", x.Name)
			}
		}
	})
}

// TestMixHistoryAgreesWithMixesToday reads every building's mix over the
// last year on the demo: today's point counts what Mixes counts now, and
// no month counts more high-need or ROP residents than residents.
func TestMixHistoryAgreesWithMixesToday(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cw := demoActor(t, db, "demo-saksbehandler")
		// A lease signed to begin tomorrow is in force for Mixes already;
		// so it is between 23:00 and midnight UTC for a lease that begins
		// today in Oslo.
		tomorrow := deadline.On(time.Now()).AddDays(1)
		if _, err := db.ExecContext(ctx, `UPDATE leases SET start_date = ? WHERE id = (SELECT MIN(l.id) FROM leases l JOIN units u ON u.id = l.unit_id WHERE l.status = 'aktiv' AND u.building_id IS NOT NULL)`, tomorrow.String()); err != nil {
			t.Fatal(err)
		}
		now, err := allocation.Mixes(ctx, db, cw.MunicipalityID)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for building, mix := range now {
			h, err := allocation.MixHistory(ctx, db, cw.MunicipalityID, building, 12, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != 13 {
				t.Fatalf("building %d: %d points, want 13", building, len(h))
			}
			for _, p := range h {
				if p.Mix.HighNeed > p.Mix.Residents || p.Mix.ROP > p.Mix.HighNeed {
					t.Fatalf("building %d on %s: %+v", building, p.On, p.Mix)
				}
			}
			if last := h[len(h)-1].Mix; last != mix {
				t.Errorf("building %d today: history %+v, Mixes %+v", building, last, mix)
			}
			checked++
		}
		if checked == 0 {
			t.Fatal("the demo has no building with residents")
		}
	})
}
