package plan_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/plan"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

type fixture struct {
	tn            storetest.Tenant
	teamUnit, fu  int64
	worker, lead  access.Actor
	caretaker     access.Actor
	resident      access.Actor
	person        int64
	followUpStart deadline.Date
	today         deadline.Date
}

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
	hf, prop := unit("Housing First-teamet", "housing_first"), unit("Miljøvaktmestere", "miljovaktmester")
	user := func(unit int64, username, name string, role access.Role) access.Actor {
		id, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			tn.MunicipalityID, unit, username, name, string(role), now)
		if err != nil {
			t.Fatal(err)
		}
		return access.Actor{UserID: id, MunicipalityID: tn.MunicipalityID, OrgUnitID: unit, Username: username, Name: name, Role: role}
	}
	f := fixture{tn: tn, teamUnit: hf, today: deadline.On(time.Now())}
	f.worker = user(hf, "kari", "Kari Oppfølger", access.FollowUp)
	f.lead = user(hf, "eva", "Eva Leder", access.UnitLeader)
	f.caretaker = user(prop, "vakt", "Vidar Vaktmester", access.Property)
	f.person = storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(100001), "Rune", "Beboer")
	f.resident = access.Actor{MunicipalityID: tn.MunicipalityID, PersonID: f.person, Name: "Rune Beboer", Role: access.Resident}
	for _, u := range []int64{tn.OrgUnitID, prop} {
		if _, err := access.AddCaseUnit(ctx, db, tn.CaseWorker(), access.CaseUnit{PersonID: f.person, OrgUnitID: u, Responsibility: "utleier"}); err != nil {
			t.Fatal(err)
		}
	}
	team, err := followup.CreateTeam(ctx, db, f.lead, hf, followup.HousingFirst)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []followup.Member{{UserID: f.worker.UserID, Role: followup.CaseManager, FTE: 1}, {UserID: f.lead.UserID, Role: followup.Leader, FTE: 0.2}} {
		if _, err := followup.AddMember(ctx, db, f.lead, team, m); err != nil {
			t.Fatal(err)
		}
	}
	f.followUpStart = f.today.AddDays(-60)
	if f.fu, err = followup.Start(ctx, db, tn.CaseWorker(), followup.StartInput{PersonID: f.person, TeamID: team, PrimaryID: f.worker.UserID, Intensity: followup.High,
		StartOn: f.followUpStart}, f.today); err != nil {
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

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPlans(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		words := "  Jeg vil ha en jobb – kanskje på et verksted, og ha kaffe klar når Ola kommer.  "

		// A plan without a goal is refused; nothing is stored.
		_, err := plan.Create(ctx, db, f.worker, f.fu, plan.Input{Kind: plan.ActionPlan, Start: f.today.AddDays(-10)}, f.today)
		if !strings.Contains(problems(err), "minst ett mål") {
			t.Fatalf("a plan without a goal: %v", err)
		}
		// A review date before the plan starts is refused.
		_, err = plan.Create(ctx, db, f.worker, f.fu, plan.Input{Kind: plan.ActionPlan, Start: f.today.AddDays(-10), FirstReview: f.today.AddDays(-20),
			Goal: plan.GoalInput{Words: words, Area: plan.AreaWork}}, f.today)
		if !strings.Contains(problems(err), "kan ikke være før planen starter") {
			t.Fatalf("a review before the start: %v", err)
		}
		// An individual plan without consent is refused.
		_, err = plan.Create(ctx, db, f.worker, f.fu, plan.Input{Kind: plan.Individual, Start: f.today, Goal: plan.GoalInput{Words: "Bo her", Area: plan.AreaHome}}, f.today)
		if !strings.Contains(problems(err), "samtykke") {
			t.Fatalf("an IP without consent: %v", err)
		}
		// Property staff never write or read plans.
		if _, err := plan.Create(ctx, db, f.caretaker, f.fu, plan.Input{Kind: plan.ActionPlan, Start: f.today, Goal: plan.GoalInput{Words: "x", Area: plan.AreaHome}}, f.today); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("property staff writing a plan: %v", err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM plans"); n != 0 {
			t.Fatalf("%d plans stored after refusals", n)
		}

		// The action plan: the goal kept verbatim (only the blanks around
		// it trimmed), monthly review by default.
		var ap int64
		err = db.InTx(ctx, func(tx *store.Tx) error {
			ap, err = plan.Create(ctx, tx, f.worker, f.fu, plan.Input{Kind: plan.ActionPlan, Start: f.today.AddDays(-40),
				Goal: plan.GoalInput{Words: words, Area: plan.AreaWork, Dimensions: []plan.Dimension{plan.Meaning, plan.Hope}}}, f.today)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := plan.AddMeasure(ctx, db, f.worker, f.fu, plan.MeasureInput{PlanID: ap, What: "Møte jobbspesialisten (IPS)", Responsible: "Kari", Due: f.today.AddDays(7)}); err != nil {
			t.Fatal(err)
		}
		// The review is due (monthly from 40 days ago): an alert.
		alerts, err := followup.AlertsOf(ctx, db, f.tn.MunicipalityID, 0, 0, f.today)
		if err != nil {
			t.Fatal(err)
		}
		if !hasAlert(alerts, followup.PlanReviewDue, ap) {
			t.Fatalf("no review alert: %+v", alerts)
		}
		if err := plan.Review(ctx, db, f.worker, f.fu, plan.ReviewInput{PlanID: ap, On: f.today.AddDays(-50), Summary: "x"}, f.today); !strings.Contains(problems(err), "før planen starter") {
			t.Fatalf("a review before the plan starts: %v", err)
		}
		if err := plan.Review(ctx, db, f.worker, f.fu, plan.ReviewInput{PlanID: ap, On: f.today, Summary: "Søknad sendt; Rune vil prøve to dager i uka."}, f.today); err != nil {
			t.Fatal(err)
		}
		alerts, err = followup.AlertsOf(ctx, db, f.tn.MunicipalityID, 0, 0, f.today)
		if err != nil {
			t.Fatal(err)
		}
		if hasAlert(alerts, followup.PlanReviewDue, ap) {
			t.Fatal("the review alert stays after the review")
		}

		// The individual plan with consent: an alert until a coordinator
		// is chosen with the person.
		var ip int64
		if ip, err = plan.Create(ctx, db, f.worker, f.fu, plan.Input{Kind: plan.Individual, Start: f.today, Consent: true,
			Goal: plan.GoalInput{Words: "Bli frisk nok til å ha hund", Area: plan.AreaHealth}}, f.today); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM consents WHERE person_id = ? AND recipient_unit_id = ?", f.person, f.teamUnit); n != 1 {
			t.Fatalf("the IP's consent: %d", n)
		}
		alerts, _ = followup.AlertsOf(ctx, db, f.tn.MunicipalityID, 0, 0, f.today)
		if !hasAlert(alerts, followup.IPWithoutCoordinator, ip) {
			t.Fatalf("no alert for an IP without coordinator: %+v", alerts)
		}
		if err := plan.ChooseCoordinator(ctx, db, f.worker, f.fu, plan.CoordinatorInput{PlanID: ip, UserID: f.worker.UserID, ChosenOn: f.today,
			Agreed: "Rune valgte Kari selv"}, f.today); err != nil {
			t.Fatal(err)
		}
		if err := plan.AttachPart(ctx, db, f.worker, f.fu, plan.PartInput{PlanID: ip, Kind: plan.TreatmentPlan, Reference: "DPS Lillestrøm, journal", HeldBy: "DPS"}); err != nil {
			t.Fatal(err)
		}
		alerts, _ = followup.AlertsOf(ctx, db, f.tn.MunicipalityID, 0, 0, f.today)
		if hasAlert(alerts, followup.IPWithoutCoordinator, ip) {
			t.Fatal("the coordinator alert stays")
		}

		// The responsibility group: the GP only with the person's consent.
		var group int64
		if group, err = plan.Create(ctx, db, f.worker, f.fu, plan.Input{Kind: plan.Group, Start: f.today.AddDays(-30)}, f.today); err != nil {
			t.Fatal(err)
		}
		gp := plan.MemberInput{PlanID: group, Name: "Dr. Lege", Agency: plan.GP, Role: "fastlege"}
		err = db.InTx(ctx, func(tx *store.Tx) error { return plan.AddMember(ctx, tx, f.worker, f.fu, gp) })
		if !strings.Contains(problems(err), "samtykket") {
			t.Fatalf("the GP without consent: %v", err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM plan_members"); n != 0 {
			t.Fatalf("%d members stored after the refusal", n)
		}
		if _, err := access.RecordOutsideConsent(ctx, db, f.worker, access.OutsideConsent{PersonID: f.person, RecipientKind: "fastlege", RecipientName: "Dr. Lege",
			Purpose: "Ansvarsgruppe", Categories: []access.Category{access.Health}, Expires: f.today.AddDays(365)}); err != nil {
			t.Fatal(err)
		}
		if err := plan.AddMember(ctx, db, f.worker, f.fu, gp); err != nil {
			t.Fatal(err)
		}
		meet := plan.MeetingInput{PlanID: group, On: f.today.AddDays(-20), Agenda: "Oppstart"}
		if warn, err := plan.HoldMeeting(ctx, db, f.worker, f.fu, meet, f.today); err != nil || warn {
			t.Fatalf("the first meeting: %v %v", warn, err)
		}
		if err := plan.AddTask(ctx, db, f.worker, f.fu, plan.MeasureInput{PlanID: group, What: "Søke NAV om tiltak", Responsible: "Kari", Due: f.today}); err != nil {
			t.Fatal(err)
		}
		meet.On, meet.Agenda = f.today.AddDays(-10), "Status"
		if warn, err := plan.HoldMeeting(ctx, db, f.worker, f.fu, meet, f.today); err != nil || !warn {
			t.Fatalf("a meeting with no task done since the last: %v %v", warn, err)
		}

		// The crisis plan needs health open: refused without the consent
		// to health, stored with it.
		crisis := plan.Input{Kind: plan.Crisis, Start: f.today, WarningSigns: "Slutter å sove, trekker seg unna", WhatHelps: "Gå tur med Kari", WhoToCall: "Søster Anne"}
		if _, err := plan.Create(ctx, db, f.worker, f.fu, crisis, f.today); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a crisis plan without health open: %v", err)
		}
		if _, err := access.RecordConsent(ctx, db, f.worker, access.Consent{PersonID: f.person, RecipientUnitID: f.teamUnit, Purpose: "Oppfølging",
			Categories: []access.Category{access.Health}}); err != nil {
			t.Fatal(err)
		}
		if _, err := plan.Create(ctx, db, f.worker, f.fu, crisis, f.today); err != nil {
			t.Fatal(err)
		}

		// The resident reads their own plans, comments and proposes.
		mine, err := plan.Mine(ctx, access.NewReader(db, f.resident, access.ChannelPage), f.today)
		if err != nil || len(mine) != 4 {
			t.Fatalf("the resident's plans: %d, %v", len(mine), err)
		}
		for _, p := range mine {
			v := p.Value()
			if v.Kind == plan.ActionPlan && v.Goals[0].Words != strings.TrimSpace(words) {
				t.Fatalf("the goal was rewritten: %q", v.Goals[0].Words)
			}
			if v.Kind == plan.Crisis && (v.WarningSigns.Value() == "" || len(v.Routes) == 0) {
				t.Fatalf("the crisis plan on Min side: %+v", v)
			}
		}
		if err := plan.AddComment(ctx, db, f.resident, 0, plan.CommentInput{PlanID: ap, Kind: plan.Proposal, Body: "Kan vi heller møtes på kafeen?"}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM access_reads WHERE person_id = ? AND basis = 'egen'", f.person); n == 0 {
			t.Fatal("the resident's own read is not logged")
		}
		// Property staff never see plans.
		if _, err := plan.Of(ctx, access.NewReader(db, f.caretaker, access.ChannelPage), f.fu, f.today); err == nil {
			t.Fatal("property staff read the plans")
		}
		v, err := plan.Of(ctx, access.NewReader(db, f.worker, access.ChannelPage), f.fu, f.today)
		if err != nil || len(v.Plans) != 4 {
			t.Fatalf("the worker's view: %v", err)
		}
	})
}

func hasAlert(as []followup.Alert, k followup.AlertKind, planID int64) bool {
	for _, a := range as {
		if a.Kind == k && a.PlanID == planID {
			return true
		}
	}
	return false
}

// TestCoordinatorRole: an individual plan's coordinator must be on the team
// and have a role that coordinates services; a peer worker
// (erfaringskonsulent) is refused, and nothing is stored.
func TestCoordinatorRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		id, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			f.tn.MunicipalityID, f.teamUnit, "per", "Per Erfaring", string(access.FollowUp), store.TimeArg(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		var team int64
		if err := db.QueryRowContext(ctx, "SELECT team_id FROM followups WHERE id = ?", f.fu).Scan(&team); err != nil {
			t.Fatal(err)
		}
		if _, err := followup.AddMember(ctx, db, f.lead, team, followup.Member{UserID: id, Role: followup.PeerWorker, FTE: 0.5}); err != nil {
			t.Fatal(err)
		}
		ip, err := plan.Create(ctx, db, f.worker, f.fu, plan.Input{Kind: plan.Individual, Start: f.today, Consent: true,
			Goal: plan.GoalInput{Words: "Få min egen nøkkel", Area: plan.AreaHome}}, f.today)
		if err != nil {
			t.Fatal(err)
		}
		audits := count(t, db, "SELECT COUNT(*) FROM audit_log")
		in := plan.CoordinatorInput{PlanID: ip, UserID: id, ChosenOn: f.today, Agreed: "Rune ville ha Per"}
		err = db.InTx(ctx, func(tx *store.Tx) error { return plan.ChooseCoordinator(ctx, tx, f.worker, f.fu, in, f.today) })
		if got := problems(err); !strings.Contains(got, "Per Erfaring har rollen erfaringskonsulent") || !strings.Contains(got, "ikke koordinerer") {
			t.Fatalf("a peer worker as coordinator: %v", err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM plans WHERE id = ? AND (coordinator_id IS NOT NULL OR coordinator_name <> '' OR coordinator_chosen_on IS NOT NULL)", ip); n != 0 {
			t.Fatal("a coordinator was stored after the refusal")
		}
		if n := count(t, db, "SELECT COUNT(*) FROM audit_log"); n != audits {
			t.Fatalf("%d audit entries written for a refusal", n-audits)
		}
		// A member outside the team is refused too; a case manager is chosen.
		in.UserID = f.caretaker.UserID
		if err := plan.ChooseCoordinator(ctx, db, f.worker, f.fu, in, f.today); !strings.Contains(problems(err), "medlem av teamet") {
			t.Fatalf("a coordinator outside the team: %v", err)
		}
		in.UserID, in.Agreed = f.worker.UserID, "Rune valgte Kari"
		if err := plan.ChooseCoordinator(ctx, db, f.worker, f.fu, in, f.today); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM plans WHERE id = ? AND coordinator_id = ?", ip, f.worker.UserID); n != 1 {
			t.Fatal("the case manager is not stored as coordinator")
		}
	})
}

// TestMunicipalitySettings: a municipality's own out-of-hours routes and
// review cycle are stored and used by crisis plans and new action plans;
// bad values are refused and change nothing.
func TestMunicipalitySettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		mun := f.tn.MunicipalityID
		at := func(routes []plan.Route, h int) string {
			var out []string
			for _, r := range plan.RoutesAt(routes, time.Date(2026, 12, 6, h, 0, 0, 0, time.UTC)) {
				out = append(out, r.Phone)
			}
			return strings.Join(out, ",")
		}

		// Only leaders set them.
		if err := plan.SetReviewMonths(ctx, db, f.worker, 3); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a worker setting the review cycle: %v", err)
		}
		if err := plan.SetOutOfHours(ctx, db, f.worker, []plan.Route{{Service: "Legevakt", Phone: "64 00 00 00", From: 15, Until: 8}}); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a worker setting the routes: %v", err)
		}

		// The municipality's own values, read back.
		own := []plan.Route{
			{Service: " Lillestrøm legevakt ", Phone: "64 00 00 00", From: 15, Until: 8, Note: "Ring 116 117 fra mobil"},
			{Service: "Barnevernsvakta på Romerike", Phone: "64 11 11 11", From: 15, Until: 8},
			{Service: "Medisinsk nødtelefon", Phone: "113", From: 0, Until: 24},
		}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := plan.SetOutOfHours(ctx, tx, f.lead, own); err != nil {
				return err
			}
			return plan.SetReviewMonths(ctx, tx, f.lead, 3)
		})
		if err != nil {
			t.Fatal(err)
		}
		routes, err := plan.OutOfHours(ctx, db, mun)
		if err != nil || len(routes) != 3 {
			t.Fatalf("the routes read back: %v %+v", err, routes)
		}
		if routes[0].Service != "Medisinsk nødtelefon" || routes[1].Service != "Lillestrøm legevakt" || routes[1].Note != "Ring 116 117 fra mobil" || !routes[1].Custom {
			t.Fatalf("the routes read back: %+v", routes)
		}
		if got := at(routes, 16); got != "113,64 00 00 00,64 11 11 11" {
			t.Errorf("at 16 the municipality's own routes apply: %s", got)
		}
		if got := at(routes, 12); got != "113" {
			t.Errorf("at 12: %s", got)
		}
		if m, err := plan.ReviewMonths(ctx, db, mun); err != nil || m != 3 {
			t.Fatalf("the review cycle read back: %d %v", m, err)
		}

		// A new action plan is reviewed on the municipality's cycle.
		start := f.today.AddDays(-10)
		ap, err := plan.Create(ctx, db, f.worker, f.fu, plan.Input{Kind: plan.ActionPlan, Start: start, Goal: plan.GoalInput{Words: "Ha venner på besøk", Area: plan.AreaNetwork}}, f.today)
		if err != nil {
			t.Fatal(err)
		}
		var next deadline.Date
		var months int
		if err := db.QueryRowContext(ctx, "SELECT next_review_on, review_months FROM plans WHERE id = ?", ap).Scan(&next, &months); err != nil {
			t.Fatal(err)
		}
		if months != 3 || next != plan.AddMonths(start, 3) {
			t.Fatalf("the plan's cycle: %d months, next review %s", months, next)
		}
		if err := plan.Review(ctx, db, f.worker, f.fu, plan.ReviewInput{PlanID: ap, On: f.today, Summary: "Første gjennomgang"}, f.today); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT next_review_on FROM plans WHERE id = ?", ap).Scan(&next); err != nil {
			t.Fatal(err)
		}
		if next != plan.AddMonths(f.today, 3) {
			t.Fatalf("the next review after a review: %s", next)
		}
		// No review alert before the cycle is out.
		alerts, err := followup.AlertsOf(ctx, db, mun, 0, 0, f.today.AddDays(40))
		if err != nil {
			t.Fatal(err)
		}
		if hasAlert(alerts, followup.PlanReviewDue, ap) {
			t.Fatal("a review alert before the municipality's cycle is out")
		}
		// A crisis plan shows the municipality's routes.
		if _, err := access.RecordConsent(ctx, db, f.worker, access.Consent{PersonID: f.person, RecipientUnitID: f.teamUnit, Purpose: "Oppfølging",
			Categories: []access.Category{access.Health}}); err != nil {
			t.Fatal(err)
		}
		if _, err := plan.Create(ctx, db, f.worker, f.fu, plan.Input{Kind: plan.Crisis, Start: f.today, WarningSigns: "Sover ikke", WhatHelps: "Ro", WhoToCall: "Kari"}, f.today); err != nil {
			t.Fatal(err)
		}
		v, err := plan.Of(ctx, access.NewReader(db, f.worker, access.ChannelPage), f.fu, f.today)
		if err != nil {
			t.Fatal(err)
		}
		var shown []plan.Route
		for _, p := range v.Plans {
			if p.Value().Kind == plan.Crisis {
				shown = p.Value().Routes
			}
		}
		if len(shown) != 3 || at(shown, 16) != "113,64 00 00 00,64 11 11 11" {
			t.Fatalf("the crisis plan's routes: %+v", shown)
		}

		// Bad values are refused with a message; nothing changes.
		before := count(t, db, "SELECT COUNT(*) FROM audit_log")
		for _, c := range []struct {
			name   string
			routes []plan.Route
			want   string
		}{
			{"no phone", []plan.Route{{Service: "Legevakt", From: 15, Until: 8}}, "linje 1: skriv tjenesten og telefonnummeret"},
			{"no service", []plan.Route{own[0], {Service: "  ", Phone: "113", From: 0, Until: 24}}, "linje 2: skriv tjenesten"},
			{"hour 25", []plan.Route{{Service: "Legevakt", Phone: "116 117", From: 15, Until: 25}}, "timene må være mellom 0 og 24"},
			{"hour -1", []plan.Route{{Service: "Legevakt", Phone: "116 117", From: -1, Until: 8}}, "timene må være mellom 0 og 24"},
		} {
			err := db.InTx(ctx, func(tx *store.Tx) error { return plan.SetOutOfHours(ctx, tx, f.lead, c.routes) })
			if !strings.Contains(problems(err), c.want) {
				t.Errorf("%s: %v", c.name, err)
			}
		}
		for _, m := range []int{0, 13, -1} {
			err := db.InTx(ctx, func(tx *store.Tx) error { return plan.SetReviewMonths(ctx, tx, f.lead, m) })
			if !strings.Contains(problems(err), "1–12 måneder") {
				t.Errorf("review cycle %d: %v", m, err)
			}
		}
		if n := count(t, db, "SELECT COUNT(*) FROM plan_out_of_hours WHERE municipality_id = ?", mun); n != 3 {
			t.Fatalf("%d routes after the refusals", n)
		}
		if routes, err := plan.OutOfHours(ctx, db, mun); err != nil || at(routes, 16) != "113,64 00 00 00,64 11 11 11" {
			t.Fatalf("the routes after the refusals: %v %+v", err, routes)
		}
		if m, err := plan.ReviewMonths(ctx, db, mun); err != nil || m != 3 {
			t.Fatalf("the review cycle after the refusals: %d %v", m, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM audit_log"); n != before {
			t.Fatalf("%d audit entries for refusals", n-before)
		}
		// Another municipality keeps the national defaults.
		if routes, err := plan.OutOfHours(ctx, db, mun+1000); err != nil || len(routes) != len(plan.DefaultOutOfHours()) || routes[0].Custom {
			t.Fatalf("another municipality's routes: %v %+v", err, routes)
		}
	})
}
