package transition_test

import (
	"context"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/transition"
)

// TestLongStayAlerts: a stay over the municipality's limit for its
// household is an alert for the person's case worker, or for the housing
// office when the person has none, and for no other unit; a registered
// stay puts the person into the transitions register once.
func TestLongStayAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())
		now := store.TimeArg(time.Now())
		office := f.tn.CaseWorker()
		staff := func(unit int64, username, name string) access.Actor {
			id, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				f.tn.MunicipalityID, unit, username, name, string(access.CaseWorker), now)
			if err != nil {
				t.Fatal(err)
			}
			return access.Actor{UserID: id, MunicipalityID: f.tn.MunicipalityID, OrgUnitID: unit, Username: username, Name: name, Role: access.CaseWorker}
		}
		nav, err := store.InsertID(ctx, db, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'NAV', 'nav', ?)", f.tn.MunicipalityID, now)
		if err != nil {
			t.Fatal(err)
		}
		siri, navWorker := staff(f.tn.OrgUnitID, "siri", "Siri Saksbehandler"), staff(nav, "nils", "Nils NAV")
		adult := storetest.InsertPerson(t, db, f.tn.MunicipalityID, identity.Synthetic(100003), "Are", "Alene")
		long := storetest.InsertPerson(t, db, f.tn.MunicipalityID, identity.Synthetic(100004), "Lise", "Lenge")
		// Both units may see all three: the alert is for whoever answers
		// for the route out, not for everyone who may see the person.
		for _, p := range []int64{f.person, adult, long} {
			for _, u := range []int64{f.tn.OrgUnitID, nav} {
				if _, err := access.AddCaseUnit(ctx, db, office, access.CaseUnit{PersonID: p, OrgUnitID: u, Responsibility: "bolig"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Siri is case worker for the family's person.
		if _, err := db.ExecContext(ctx, `INSERT INTO applications (municipality_id, person_id, kind, received_on, decision_due, eligible, eligibility,
			org_unit_id, case_worker, case_worker_id, created_at) VALUES (?, ?, 'bolig', ?, ?, TRUE, '{}', ?, ?, ?, ?)`,
			f.tn.MunicipalityID, f.person, today.AddDays(-20), today.AddDays(10), f.tn.OrgUnitID, siri.Name, siri.UserID, now); err != nil {
			t.Fatal(err)
		}

		// A stay that ended before it was registered feeds nothing.
		if _, err := transition.RegisterStay(ctx, db, office, transition.StayInput{PersonID: long, Place: "Campinghytta", Owner: "Privat",
			Start: today.AddDays(-40), End: today.AddDays(-30), PricePerNight: 400}); err != nil {
			t.Fatal(err)
		}
		if n := temporaryTransitions(t, db, long); n != 0 {
			t.Fatalf("an ended stay made %d transitions", n)
		}
		family, err := transition.RegisterStay(ctx, db, office, transition.StayInput{PersonID: f.person, Place: "Hospitset", Owner: "Privat AS",
			Start: today.AddDays(-10), PricePerNight: 650, Children: 2})
		if err != nil {
			t.Fatal(err)
		}
		// Ten nights: over the family limit (7), under the adult one (90).
		if _, err := transition.RegisterStay(ctx, db, office, transition.StayInput{PersonID: adult, Place: "Hospitset", Owner: "Privat AS",
			Start: today.AddDays(-10), PricePerNight: 650}); err != nil {
			t.Fatal(err)
		}
		if _, err := transition.RegisterStay(ctx, db, office, transition.StayInput{PersonID: long, Place: "Pensjonatet", Owner: "Privat",
			Start: today.AddDays(-100), PricePerNight: 500}); err != nil {
			t.Fatal(err)
		}
		// A second stay for the family's person: still one transition.
		if _, err := transition.RegisterStay(ctx, db, office, transition.StayInput{PersonID: f.person, Place: "Hotellet", Owner: "Privat",
			Start: today.AddDays(-2), PricePerNight: 900, Children: 2}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []int64{f.person, adult, long} {
			if n := temporaryTransitions(t, db, p); n != 1 {
				t.Fatalf("person %d has %d transitions out of temporary housing, want 1", p, n)
			}
		}

		set, err := transition.LoadSettings(ctx, db, f.tn.MunicipalityID)
		if err != nil {
			t.Fatal(err)
		}
		read := func(a access.Actor) []transition.LongStay {
			t.Helper()
			list, err := transition.LongStays(ctx, access.NewReader(db, a, access.ChannelPage), set, today, 8)
			if err != nil {
				t.Fatal(err)
			}
			out := make([]transition.LongStay, len(list))
			for i, s := range list {
				out[i] = s.Value()
			}
			return out
		}
		// Siri works in the housing office, so the unit's alert is hers too;
		// the family's comes first.
		mine := read(siri)
		if len(mine) != 2 || mine[1].PersonID != long || mine[0].ID != family || mine[0].Days != 10 || mine[0].LimitDays != set.FamilyStayDays || mine[0].Children != 2 || mine[0].Place != "Hospitset" {
			t.Fatalf("the case worker sees the family's long stay first, with its place, days, limit and children: %+v", mine)
		}
		if got := read(navWorker); len(got) != 0 {
			t.Fatalf("an unrelated unit gets no alert: %+v", got)
		}
		// The housing office answers for the person without a case worker;
		// the single adult's ten nights are under the adult limit.
		if got := read(office); len(got) != 1 || got[0].PersonID != long || got[0].Days != 100 || got[0].LimitDays != set.StayDays || got[0].Children != 0 {
			t.Fatalf("the housing office sees the adult's 100 nights only: %+v", got)
		}
		var logged int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_log_persons WHERE person_id = ? AND categories LIKE ?", f.person, "%husstand%").Scan(&logged); err != nil {
			t.Fatal(err)
		}
		if logged == 0 {
			t.Error("the read of a family's stay is logged with the household")
		}
		// The fed transition is the case worker's, with the 8/4/2-week alert.
		alerts, err := transition.Alerts(ctx, access.NewReader(db, siri, access.ChannelPage), today, 8)
		if err != nil {
			t.Fatal(err)
		}
		var fed *transition.Transition
		for _, x := range alerts {
			if v := x.Value(); v.PersonID == f.person {
				fed = &v
			}
		}
		// Its date is the day the first stay reached the family limit.
		if fed == nil || fed.Kind != transition.Temporary || fed.ResponsibleID != siri.UserID || fed.Leaving != today.AddDays(-10+set.FamilyStayDays) || fed.Alert != 2 {
			t.Fatalf("the case worker has the transition out of temporary housing: %+v", alerts)
		}
		// The alert goes with the stay: ended, it is gone.
		if err := transition.EndStay(ctx, db, office, family, today, "Kommunal bolig", transition.RouteMunicipal); err != nil {
			t.Fatal(err)
		}
		if got := read(siri); len(got) != 1 || got[0].PersonID != long {
			t.Fatalf("an ended stay is no alert: %+v", got)
		}
	})
}

func temporaryTransitions(t *testing.T, db *store.DB, person int64) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM transitions WHERE person_id = ? AND kind = 'midlertidig'", person).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
