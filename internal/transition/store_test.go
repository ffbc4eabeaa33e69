package transition_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/transition"
)

type fixture struct {
	tn               storetest.Tenant
	worker, property access.Actor
	person, other    int64
}

// setup is a municipality with a follow-up team whose worker has a role
// on one person with consent to health data, a property officer with a
// role on the same person, and a second person nobody's unit knows.
func setup(t *testing.T, db *store.DB) fixture {
	ctx := context.Background()
	tn := storetest.NewTenant(t, db, "1505")
	now := store.TimeArg(time.Now())
	unit := func(name, kind string) int64 {
		id, err := store.InsertID(ctx, db, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, ?, ?, ?)", tn.MunicipalityID, name, kind, now)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	user := func(unit int64, username, name string, role access.Role) access.Actor {
		id, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			tn.MunicipalityID, unit, username, name, string(role), now)
		if err != nil {
			t.Fatal(err)
		}
		return access.Actor{UserID: id, MunicipalityID: tn.MunicipalityID, OrgUnitID: unit, Username: username, Name: name, Role: role}
	}
	team, prop := unit("Boteamet", "boteam"), unit("Eiendom", "eiendom")
	f := fixture{tn: tn, worker: user(team, "kari", "Kari Oppfølger", access.FollowUp), property: user(prop, "ole", "Ole Eiendom", access.Property)}
	f.person = storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(100001), "Rune", "Beboer")
	f.other = storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(100002), "Anne", "Ukjent")
	for _, u := range []int64{team, prop, tn.OrgUnitID} {
		if _, err := access.AddCaseUnit(ctx, db, tn.CaseWorker(), access.CaseUnit{PersonID: f.person, OrgUnitID: u, Responsibility: "oppfolging"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := access.RecordConsent(ctx, db, tn.CaseWorker(), access.Consent{PersonID: f.person, RecipientUnitID: team, Purpose: "Planlegge utskrivning",
		Categories: []access.Category{access.Health}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func problems(err error) string {
	var bad *invalid.Error
	if !errors.As(err, &bad) {
		return ""
	}
	return bad.Error()
}

func count(t *testing.T, db *store.DB, table string) int {
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegisterAndList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())
		// Bad input: no date, an unknown person, a stranger as responsible.
		_, err := transition.Register(ctx, db, f.worker, transition.Input{PersonID: f.person, Kind: transition.Institution, ResponsibleID: f.worker.UserID})
		if !strings.Contains(problems(err), "Dato:") {
			t.Fatalf("a transition without a date names the field: %v", err)
		}
		_, err = transition.Register(ctx, db, f.worker, transition.Input{PersonID: 999999, Kind: transition.Prison, Leaving: today, ResponsibleID: f.worker.UserID})
		if !strings.Contains(problems(err), "Person:") {
			t.Fatalf("an unknown person names the field: %v", err)
		}
		_, err = transition.Register(ctx, db, f.worker, transition.Input{PersonID: f.person, Kind: transition.Prison, Leaving: today, ResponsibleID: 999999})
		if !strings.Contains(problems(err), "Ansvarlig:") {
			t.Fatalf("an unknown responsible names the field: %v", err)
		}
		if n := count(t, db, "transitions"); n != 0 {
			t.Fatalf("bad input stored %d rows", n)
		}
		if _, err := transition.Register(ctx, db, f.property, transition.Input{PersonID: f.person, Kind: transition.Prison, Leaving: today, ResponsibleID: f.worker.UserID}); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("property staff do not plan transitions: %v", err)
		}
		id, err := transition.Register(ctx, db, f.worker, transition.Input{PersonID: f.person, Kind: transition.Institution, Leaving: today.AddDays(20),
			ResponsibleID: f.worker.UserID, MeetingOn: today.AddDays(2), MeetingWith: "DPS, NAV, boteamet"})
		if err != nil {
			t.Fatal(err)
		}
		rd := access.NewReader(db, f.worker, access.ChannelPage)
		mine, err := transition.Alerts(ctx, rd, today, 8)
		if err != nil {
			t.Fatal(err)
		}
		if len(mine) != 1 || mine[0].Value().Alert != 4 || mine[0].Value().ResponsibleName != "Kari Oppfølger" {
			t.Fatalf("the responsible sees the 4-week alert: %+v", mine)
		}
		// Property staff have a role but no health: the institution row is hidden.
		list, err := transition.List(ctx, access.NewReader(db, f.property, access.ChannelPage), transition.Filter{}, today, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 0 {
			t.Fatalf("property staff must not see a discharge: %+v", list)
		}
		if err := transition.RecordOutcome(ctx, db, f.worker, id, transition.NoHome, deadline.Date{}, today); err != nil {
			t.Fatal(err)
		}
		rep, err := transition.Report(ctx, db, f.worker, today.AddDays(-30), today.AddDays(30))
		if err != nil {
			t.Fatal(err)
		}
		rows := transition.Table(rep)
		if rows[0].Kind != transition.Institution || rows[0].NoHome != 1 {
			t.Fatalf("the report counts the one who left without a home: %+v", rows)
		}
		var logged int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_log_persons WHERE person_id = ? AND categories LIKE ?", f.person, "%helse%").Scan(&logged); err != nil {
			t.Fatal(err)
		}
		if logged == 0 {
			t.Error("the reads are logged")
		}
	})
}

func TestStays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())
		_, err := transition.RegisterStay(ctx, db, f.worker, transition.StayInput{PersonID: f.person, Place: "Hospitset", Owner: "Privat", Start: today, End: today.AddDays(-1), PricePerNight: -5})
		if p := problems(err); !strings.Contains(p, "Til:") || !strings.Contains(p, "Pris per døgn:") {
			t.Fatalf("end before start and negative price: %v", err)
		}
		if n := count(t, db, "temporary_stays"); n != 0 {
			t.Fatal("bad input stored")
		}
		id, err := transition.RegisterStay(ctx, db, f.worker, transition.StayInput{PersonID: f.person, Place: "Hospitset", Owner: "Privat AS", Start: today.AddDays(-10),
			PricePerNight: 650, Children: 1})
		if err != nil {
			t.Fatal(err)
		}
		set, err := transition.LoadSettings(ctx, db, f.tn.MunicipalityID)
		if err != nil {
			t.Fatal(err)
		}
		list, err := transition.Stays(ctx, access.NewReader(db, f.worker, access.ChannelPage), set, today, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || !list[0].Value().Long || list[0].Value().Days != 10 {
			t.Fatalf("a family's ten nights is a long stay: %+v", list)
		}
		p, err := transition.PlanningFigures(ctx, db, f.worker, set, today)
		if err != nil {
			t.Fatal(err)
		}
		if p.TotalNights != 10 || p.Long != 1 || p.Cost != 6500 {
			t.Fatalf("planning %+v", p)
		}
		per, err := transition.NightsPerPerson(ctx, access.NewReader(db, f.worker, access.ChannelPage), transition.WindowStart(today), today, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(per) != 1 || per[0].Value().Nights != 10 || !per[0].Value().Children {
			t.Fatalf("nights per person: %+v", per)
		}
		if err := transition.EndStay(ctx, db, f.worker, id, today, "", ""); !strings.Contains(problems(err), "Vei ut: skriv") || !strings.Contains(problems(err), "Vei ut: velg") {
			t.Fatalf("the route out and its kind are required: %v", err)
		}
		if err := transition.EndStay(ctx, db, f.worker, id, today, "Kommunal bolig", "hytte"); !strings.Contains(problems(err), "Vei ut: velg") {
			t.Fatalf("an unknown kind of route out: %v", err)
		}
		if err := transition.EndStay(ctx, db, f.worker, id, today, "Kommunal bolig", transition.RouteMunicipal); err != nil {
			t.Fatal(err)
		}
	})
}

// Ending a stay with its route out gives the transition the stay opened
// its outcome, in the same transaction, so the left-without-a-home report
// counts it; bad input changes neither; an outcome recorded by hand, and a
// transition the stay did not open, are left alone.
func TestEndStayClosesItsTransition(t *testing.T) {
	for _, c := range []struct {
		route transition.Route
		want  transition.Outcome
	}{{transition.RouteOwnHome, transition.SafeHome}, {transition.RouteMunicipal, transition.SafeHome},
		{transition.RouteTemporary, transition.TempHome}, {transition.RouteNoHome, transition.NoHome}, {"hytte", transition.Open}} {
		if got := c.route.Outcome(); got != c.want {
			t.Errorf("%q gives %q, want %q", c.route, got, c.want)
		}
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())
		outcome := func(person int64) (o transition.Outcome, leaving deadline.Date, n int) {
			t.Helper()
			if err := db.QueryRowContext(ctx, `SELECT MIN(outcome), MIN(leaving_on), COUNT(*) FROM transitions WHERE person_id = ? AND kind = 'midlertidig'`, person).
				Scan(&o, &leaving, &n); err != nil {
				t.Fatal(err)
			}
			return o, leaving, n
		}
		stay, err := transition.RegisterStay(ctx, db, f.worker, transition.StayInput{PersonID: f.person, Place: "Hospitset", Owner: "Privat AS", Start: today.AddDays(-20),
			PricePerNight: 650})
		if err != nil {
			t.Fatal(err)
		}
		if o, _, n := outcome(f.person); n != 1 || o != transition.Open {
			t.Fatalf("the stay opens one transition: %d, outcome %q", n, o)
		}
		// Bad input: no kind, or an end before the start, changes nothing.
		if err := transition.EndStay(ctx, db, f.worker, stay, today, "Hos en venn", ""); err == nil {
			t.Fatal("ended without a kind of route out")
		}
		if err := transition.EndStay(ctx, db, f.worker, stay, today.AddDays(-30), "Hos en venn", transition.RouteNoHome); err == nil {
			t.Fatal("ended before it began")
		}
		if o, _, _ := outcome(f.person); o != transition.Open {
			t.Fatalf("bad input gave the transition an outcome: %q", o)
		}
		if n := count(t, db, "temporary_stays WHERE end_on IS NOT NULL OR route_kind <> '' OR route_out <> ''"); n != 0 {
			t.Fatal("bad input ended the stay")
		}
		before, err := transition.Report(ctx, db, f.worker, today.AddDays(-60), today.AddDays(30))
		if err != nil {
			t.Fatal(err)
		}
		// The stay was due to end past the report's period (its limit);
		// it ended in it, and the transition takes the day it ended.
		ended := today.AddDays(-2)
		if err := transition.EndStay(ctx, db, f.worker, stay, ended, "Hos en venn, uten fast bolig", transition.RouteNoHome); err != nil {
			t.Fatal(err)
		}
		if o, leaving, _ := outcome(f.person); o != transition.NoHome || leaving != ended {
			t.Fatalf("the transition after the stay ended without a home: %q on %s", o, leaving)
		}
		after, err := transition.Report(ctx, db, f.worker, today.AddDays(-60), today.AddDays(30))
		if err != nil {
			t.Fatal(err)
		}
		rb, ra := transition.Table(before), transition.Table(after)
		for i := range ra {
			if ra[i].Kind == transition.Temporary && ra[i].NoHome != rb[i].NoHome+1 {
				t.Errorf("the report does not count the stay as left without a home: %+v before, %+v after", rb[i], ra[i])
			}
		}
		set, err := transition.LoadSettings(ctx, db, f.tn.MunicipalityID)
		if err != nil {
			t.Fatal(err)
		}
		list, err := transition.Stays(ctx, access.NewReader(db, f.worker, access.ChannelPage), set, today, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Value().RouteKind != transition.RouteNoHome || list[0].Value().Outcome != transition.NoHome || list[0].Value().TransitionID == 0 {
			t.Fatalf("the stay shows its route out and the register's outcome: %+v", list)
		}
		// A new stay opens a new transition; an outcome recorded by hand
		// before the stay ends is kept.
		second, err := transition.RegisterStay(ctx, db, f.worker, transition.StayInput{PersonID: f.person, Place: "Pensjonatet", Owner: "Privat", Start: today.AddDays(-1),
			PricePerNight: 500})
		if err != nil {
			t.Fatal(err)
		}
		var opened int64
		if err := db.QueryRowContext(ctx, "SELECT transition_id FROM temporary_stays WHERE id = ?", second).Scan(&opened); err != nil || opened == 0 {
			t.Fatalf("the second stay opened no transition: %v", err)
		}
		if err := transition.RecordOutcome(ctx, db, f.worker, opened, transition.SafeHome, today, today); err != nil {
			t.Fatal(err)
		}
		if err := transition.EndStay(ctx, db, f.worker, second, today, "Usikkert", transition.RouteNoHome); err != nil {
			t.Fatal(err)
		}
		var kept transition.Outcome
		if err := db.QueryRowContext(ctx, "SELECT outcome FROM transitions WHERE id = ?", opened).Scan(&kept); err != nil || kept != transition.SafeHome {
			t.Fatalf("the outcome recorded by hand was overwritten: %q %v", kept, err)
		}
	})
}
