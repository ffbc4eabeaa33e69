package followup_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// fixture is a municipality with a Housing First team of two, a
// caretaker in property, and one resident the housing office knows.
type fixture struct {
	tn                 storetest.Tenant
	team, teamUnit     int64
	worker, peer, lead access.Actor
	caretaker          access.Actor
	person             int64
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
	f := fixture{tn: tn, teamUnit: hf}
	f.worker = user(hf, "kari", "Kari Oppfølger", access.FollowUp)
	f.peer = user(hf, "per", "Per Erfaring", access.FollowUp)
	f.lead = user(hf, "eva", "Eva Leder", access.UnitLeader)
	f.caretaker = user(prop, "vakt", "Vidar Vaktmester", access.Property)
	f.person = storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(100001), "Rune", "Beboer")
	if _, err := access.AddCaseUnit(ctx, db, tn.CaseWorker(), access.CaseUnit{PersonID: f.person, OrgUnitID: tn.OrgUnitID, Responsibility: "saksbehandling"}); err != nil {
		t.Fatal(err)
	}
	if _, err := access.AddCaseUnit(ctx, db, tn.CaseWorker(), access.CaseUnit{PersonID: f.person, OrgUnitID: prop, Responsibility: "utleier"}); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.team, err = followup.CreateTeam(ctx, db, f.lead, hf, followup.HousingFirst); err != nil {
		t.Fatal(err)
	}
	for _, m := range []followup.Member{{UserID: f.worker.UserID, Role: followup.CaseManager, FTE: 1}, {UserID: f.peer.UserID, Role: followup.PeerWorker, FTE: 0.5},
		{UserID: f.lead.UserID, Role: followup.Leader, FTE: 0.2}} {
		if _, err := followup.AddMember(ctx, db, f.lead, f.team, m); err != nil {
			t.Fatal(err)
		}
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

func TestFollowUpStorage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())

		// A member outside the team is refused, and nothing is stored.
		_, err := followup.Start(ctx, db, f.tn.CaseWorker(), followup.StartInput{PersonID: f.person, TeamID: f.team, PrimaryID: f.caretaker.UserID, Intensity: followup.High}, today)
		if !strings.Contains(problems(err), "primærkontakten må være medlem av Housing First-teamet") {
			t.Fatalf("primary outside the team: %v", err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM followups"); n != 0 {
			t.Fatalf("%d follow-ups stored after a refusal", n)
		}
		// § 17 advice and guidance, without a decision, started by the housing office.
		var id int64
		err = db.InTx(ctx, func(tx *store.Tx) error {
			id, err = followup.Start(ctx, tx, f.tn.CaseWorker(), followup.StartInput{PersonID: f.person, TeamID: f.team, PrimaryID: f.worker.UserID,
				CoordinatorID: f.worker.UserID, Intensity: followup.High, StartOn: today.AddDays(-30)}, today)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM case_units WHERE org_unit_id = ? AND person_id = ?", f.teamUnit, f.person); n != 1 {
			t.Fatalf("the team's unit got %d roles on the case", n)
		}
		_, err = followup.Start(ctx, db, f.worker, followup.StartInput{PersonID: f.person, TeamID: f.team, PrimaryID: f.worker.UserID, Intensity: followup.High}, today)
		if !strings.Contains(problems(err), "følges allerede opp") {
			t.Fatalf("a second follow-up by the same team: %v", err)
		}

		// Contacts: a health note needs the person's consent to the team.
		in := followup.ContactInput{Kind: followup.HomeVisit, On: today, Minutes: 45, Note: "Sover dårlig, vil snakke med fastlegen.", NoteCategory: access.Health}
		if _, err := followup.RecordContact(ctx, db, f.worker, id, in, today); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a health note without consent: %v", err)
		}
		if _, err := access.RecordConsent(ctx, db, f.tn.CaseWorker(), access.Consent{PersonID: f.person, RecipientUnitID: f.teamUnit, Purpose: "Oppfølging",
			Categories: []access.Category{access.Health, access.Substance}, Expires: deadline.On(time.Now()).AddDays(1)}); err != nil {
			t.Fatal(err)
		}
		risky := in
		risky.Risky = true
		if _, err := followup.RecordContact(ctx, db, f.worker, id, risky, today); !strings.Contains(problems(err), "minst to ansatte") {
			t.Fatalf("a risky visit alone: %v", err)
		}
		outside := in
		outside.StaffIDs = []int64{f.caretaker.UserID}
		if _, err := followup.RecordContact(ctx, db, f.worker, id, outside, today); !strings.Contains(problems(err), "må være medlemmer av") {
			t.Fatalf("a caretaker outside the team on the visit: %v", err)
		}
		future := in
		future.On = today.AddDays(1)
		if _, err := followup.RecordContact(ctx, db, f.worker, id, future, today); !strings.Contains(problems(err), "fram i tid") {
			t.Fatalf("a contact in the future: %v", err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM followup_contacts"); n != 0 {
			t.Fatalf("%d contacts stored after refusals", n)
		}
		risky.StaffIDs = []int64{f.peer.UserID}
		if _, err := followup.RecordContact(ctx, db, f.worker, id, risky, today); err != nil {
			t.Fatal(err)
		}
		no := false
		if _, err := followup.RecordContact(ctx, db, f.worker, id, followup.ContactInput{Kind: followup.HomeVisit, On: today, Met: &no, NoteCategory: access.FollowUpPlan}, today); err != nil {
			t.Fatal(err)
		}

		// The team reads the note; the caretaker on the same person never does.
		d, err := followup.ReadFollowUp(ctx, access.NewReader(db, f.worker, access.ChannelAPI), id, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Contacts) != 2 || d.Contacts[1].Value().Note.Value() != in.Note || len(d.Contacts[1].Value().Staff) != 2 {
			t.Fatalf("the team's view: %+v", d.Contacts)
		}
		if !d.FollowUp.Value().LastContact.IsZero() && d.FollowUp.Value().LastContact != today {
			t.Errorf("last contact: %v", d.FollowUp.Value().LastContact)
		}
		cd, err := followup.ReadFollowUp(ctx, access.NewReader(db, f.caretaker, access.ChannelAPI), id, 10)
		b, _ := json.Marshal(cd)
		if !errors.Is(err, access.ErrForbidden) || strings.Contains(string(b), "fastlegen") {
			t.Fatalf("the caretaker read the follow-up: %v %s", err, b)
		}

		// Ending: a move never ends it; the resident's own words do.
		err = followup.End(ctx, db, f.worker, id, followup.EndInput{Statement: "Han har flyttet til Molde", Reason: "flyttet"}, today)
		if !strings.Contains(problems(err), "flytting avslutter ikke") {
			t.Fatalf("ending on a move: %v", err)
		}
		err = followup.End(ctx, db, f.worker, id, followup.EndInput{Reason: followup.NoLongerWanted}, today)
		if !strings.Contains(problems(err), "egne ord") {
			t.Fatalf("ending without a statement: %v", err)
		}
		if err := followup.KeepDoorOpen(ctx, db, f.worker, id, followup.DoorInput{Statement: "Trenger en pause fra dere nå.", Channel: "Miljøvaktmesteren stikker innom",
			AskAgain: today.AddDays(30)}, today); err != nil {
			t.Fatal(err)
		}
		if err := followup.Resume(ctx, db, f.worker, id); err != nil {
			t.Fatal(err)
		}
		if _, err := followup.Flag(ctx, db, f.worker, id, followup.BoardInput{Reason: "Varsel om oppsigelse", Until: today.AddDays(14)}, today); err != nil {
			t.Fatal(err)
		}
		if _, err := followup.AddAppointment(ctx, db, f.worker, id, followup.AppointmentInput{With: followup.WithGP, What: "Time hos fastlegen", On: today.AddDays(1)}, today); err != nil {
			t.Fatal(err)
		}
		board, err := followup.ReadBoard(ctx, access.NewReader(db, f.lead, access.ChannelAPI), f.team, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(board.Rows) != 1 || board.Rows[0].Value().Flag == nil || board.Team.Load.Count != 1 || board.Team.PersonYears != 1.7 {
			t.Fatalf("board: %+v", board)
		}
		alerts, err := followup.AlertsOf(ctx, db, f.tn.MunicipalityID, f.team, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(alerts) != 1 || alerts[0].Kind != followup.AppointmentDue {
			t.Fatalf("alerts: %+v", alerts)
		}
		// A rights-restricting measure: a health category, refused without
		// a legal basis, then registered and in the supervision register.
		measure := followup.Restriction{Kind: followup.MedicationHeld, Description: "Personalet oppbevarer medisinene", From: today, Review: today.AddDays(30), Informed: today}
		if _, err := followup.Restrict(ctx, db, f.worker, id, measure, today); !strings.Contains(problems(err), "hjemmelen") {
			t.Fatalf("a measure without a legal basis: %v", err)
		}
		measure.LegalBasis = "pasient- og brukerrettighetsloven § 4-1 (samtykke)"
		if _, err := followup.Restrict(ctx, db, f.worker, id, measure, today); err != nil {
			t.Fatal(err)
		}
		rep, err := followup.ReadSupervisionReport(ctx, access.NewReader(db, access.Actor{MunicipalityID: f.tn.MunicipalityID, Role: access.Auditor, Reason: "Tilsyn med tvang i boliger 2026", Username: "tilsyn", Name: "Tilsyn"}, access.ChannelAPI), today)
		if err != nil || rep.InForce[followup.MedicationHeld] != 1 || len(rep.Measures) != 1 {
			t.Fatalf("the supervision register: %v %+v", err, rep)
		}
		// The leader of the unit whose team registered it reviews the
		// measure itself for internal control (helsepersonelloven § 26),
		// logged under that basis; the leader of another unit with a role
		// on the case sees the count only.
		rep, err = followup.ReadSupervisionReport(ctx, access.NewReader(db, f.lead, access.ChannelAPI), today)
		if err != nil || len(rep.Measures) != 1 || !rep.Measures[0].Shown() || rep.Measures[0].Value().Description != measure.Description {
			t.Fatalf("the own unit's leader's register: %v %+v", err, rep)
		}
		var basis, cats string
		if err := db.QueryRowContext(ctx, "SELECT basis, categories FROM access_reads WHERE user_id = ? AND person_id = ? ORDER BY id DESC LIMIT 1", f.lead.UserID, f.person).Scan(&basis, &cats); err != nil {
			t.Fatal(err)
		}
		if basis != string(access.ByInternalControl) || !strings.Contains(cats, string(access.Health)) {
			t.Errorf("the leader's read is logged as %s: %s", basis, cats)
		}
		if g, err := access.Authorize(ctx, db, f.lead, f.person); err != nil || g.Allows(access.Health) {
			t.Errorf("the leader sees health outside the register: %v %v", g.List(), err)
		}
		otherLead := access.Actor{MunicipalityID: f.tn.MunicipalityID, OrgUnitID: f.tn.OrgUnitID, Role: access.UnitLeader, Username: "leder2", Name: "Leder To"}
		otherLead.UserID, err = store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			f.tn.MunicipalityID, f.tn.OrgUnitID, otherLead.Username, otherLead.Name, string(access.UnitLeader), store.TimeArg(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		rep, err = followup.ReadSupervisionReport(ctx, access.NewReader(db, otherLead, access.ChannelAPI), today)
		if err != nil || rep.InForce[followup.MedicationHeld] != 1 {
			t.Fatalf("another unit's leader's register: %v %+v", err, rep)
		}
		for _, m := range rep.Measures {
			if m.Shown() {
				t.Errorf("another unit's leader sees the measure: %+v", m.Value())
			}
		}
		if _, err := followup.RestrictionsOfFollowUp(ctx, access.NewReader(db, f.caretaker, access.ChannelAPI), id, today); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("the caretaker read the measures: %v", err)
		}
		if err := followup.End(ctx, db, f.worker, id, followup.EndInput{Statement: "Jeg klarer meg fint selv nå.", Reason: followup.GoalsReached}, today); err != nil {
			t.Fatal(err)
		}
		if _, err := followup.RecordContact(ctx, db, f.worker, id, in, today); !strings.Contains(problems(err), "avsluttet") {
			t.Fatalf("a contact after the end: %v", err)
		}
	})
}

func TestFollowUpPipelineAndObservations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())
		id, err := followup.Refer(ctx, db, f.tn.CaseWorker(), f.team, f.person, "NAV Kristiansund", today.AddDays(-40), today)
		if err != nil {
			t.Fatal(err)
		}
		step := func(ph followup.Phase, on deadline.Date, choice string) error {
			return followup.Advance(ctx, db, f.worker, id, followup.AdvanceInput{Phase: ph, On: on, HomeChoice: choice}, today)
		}
		if err := step(followup.Housed, today, "Sentrum"); !strings.Contains(problems(err), "neste fase") {
			t.Fatalf("skipping phases: %v", err)
		}
		if err := step(followup.Mapped, today.AddDays(-30), ""); err != nil {
			t.Fatal(err)
		}
		if err := step(followup.Agreement, today.AddDays(-20), ""); !strings.Contains(problems(err), "deltakeravtalen som vilkår") {
			t.Fatalf("agreement without the decision's condition: %v", err)
		}
		mid := f.tn.MunicipalityID
		now := store.TimeArg(time.Now())
		app, err := store.InsertID(ctx, db, `INSERT INTO applications (municipality_id, person_id, kind, received_on, decision_due, eligible, eligibility, case_worker, created_at)
			VALUES (?, ?, 'begge', ?, ?, ?, '{}', 'Test', ?)`, mid, f.person, today.AddDays(-60), today, true, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.InsertID(ctx, db, `INSERT INTO decisions (municipality_id, application_id, person_id, version, outcome, housing_type, reasons, legal_basis,
			decided_on, appeal_due, decided_by, created_at, participant_agreement) VALUES (?, ?, ?, 1, 'innvilget', 'housing_first', 'Behov', 'bsl-6', ?, ?, 'Test', ?, ?)`,
			mid, app, f.person, today.AddDays(-25), today.AddDays(10), now, true); err != nil {
			t.Fatal(err)
		}
		if err := step(followup.Agreement, today.AddDays(-20), ""); err != nil {
			t.Fatal(err)
		}
		if err := step(followup.Housed, today.AddDays(-5), " "); !strings.Contains(problems(err), "eget valg") {
			t.Fatalf("housed without the participant's choice: %v", err)
		}
		if err := step(followup.Housed, today.AddDays(-5), "Vil bo nær søsteren sin på Nordlandet"); err != nil {
			t.Fatal(err)
		}
		if err := step(followup.Following, today, ""); !strings.Contains(problems(err), "start oppfølgingen") {
			t.Fatalf("follow-up phase without a follow-up: %v", err)
		}
		p, err := followup.ReadPipeline(ctx, access.NewReader(db, f.worker, access.ChannelAPI), f.team, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Rows) != 1 || p.Stats[3].Now != 1 || p.Stats[2].MedianDays != 15 || p.Rows[0].Value().HomeChoice == "" {
			t.Fatalf("pipeline: %+v", p)
		}

		// The caretaker passes on what they saw and gets the reply, never the follow-up.
		if _, err := followup.Observe(ctx, db, f.caretaker, followup.ObservationInput{PersonID: f.person, Kind: "rykte", Body: ""}, today); !strings.Contains(problems(err), "velg hva det gjelder") {
			t.Fatalf("a bad observation: %v", err)
		}
		oid, err := followup.Observe(ctx, db, f.caretaker, followup.ObservationInput{PersonID: f.person, Kind: followup.Damage, Body: "Knust vindu i stua."}, today)
		if err != nil {
			t.Fatal(err)
		}
		if err := followup.Handle(ctx, db, f.caretaker, oid, "Ok", today); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("the caretaker handling their own observation: %v", err)
		}
		if _, err := followup.Start(ctx, db, f.worker, followup.StartInput{PersonID: f.person, TeamID: f.team, PrimaryID: f.worker.UserID, Intensity: followup.Medium}, today); err != nil {
			t.Fatal(err)
		}
		team, err := followup.Observations(ctx, access.NewReader(db, f.worker, access.ChannelAPI), 10)
		if err != nil || len(team) != 1 {
			t.Fatalf("the team's observations: %v %+v", err, team)
		}
		if err := followup.Handle(ctx, db, f.worker, oid, "Vi har vært på besøk og bestilt glassmester.", today); err != nil {
			t.Fatal(err)
		}
		mine, err := followup.Observations(ctx, access.NewReader(db, f.caretaker, access.ChannelAPI), 10)
		if err != nil || len(mine) != 1 || mine[0].Value().Reply == "" || mine[0].Value().HandledOn.IsZero() {
			t.Fatalf("the caretaker's observations: %v %+v", err, mine)
		}
	})
}

// Follow-up from the combined decision: only a granted decision in force
// that grants the team's service starts it, on the day the service starts.
func TestFollowUpFromDecision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())
		mid, now := f.tn.MunicipalityID, store.TimeArg(time.Now())
		app, err := store.InsertID(ctx, db, `INSERT INTO applications (municipality_id, person_id, kind, received_on, decision_due, eligible, eligibility, case_worker, created_at)
			VALUES (?, ?, 'begge', ?, ?, ?, '{}', 'Test', ?)`, mid, f.person, today.AddDays(-60), today, true, now)
		if err != nil {
			t.Fatal(err)
		}
		decide := func(version int, outcome string, unit int64) int64 {
			id, err := store.InsertID(ctx, db, `INSERT INTO decisions (municipality_id, application_id, person_id, version, outcome, reasons, legal_basis, decided_on, appeal_due,
				decided_by, created_at) VALUES (?, ?, ?, ?, ?, 'Behov', 'bsl-6', ?, ?, 'Test', ?)`, mid, app, f.person, version, outcome, today.AddDays(-20), today.AddDays(10), now)
			if err != nil {
				t.Fatal(err)
			}
			if unit > 0 {
				if _, err := db.ExecContext(ctx, `INSERT INTO decision_services (municipality_id, decision_id, service, service_code, hours_per_week, as_needed, as_needed_text,
					provider_unit_id, start_on) VALUES (?, ?, 'Housing First', 'housing_first', 0, ?, 'Etter behov', ?, ?)`, mid, id, true, unit, today.AddDays(-10)); err != nil {
					t.Fatal(err)
				}
			}
			return id
		}
		first := decide(1, "innvilget", f.tn.OrgUnitID) // a service from the housing office, not the team
		start := func(decision int64) (int64, error) {
			return followup.Start(ctx, db, f.tn.CaseWorker(), followup.StartInput{TeamID: f.team, PrimaryID: f.worker.UserID, Intensity: followup.High, DecisionID: decision}, today)
		}
		if _, err := start(first); !strings.Contains(problems(err), "vedtaket gir ingen tjeneste fra Housing First-teamet") {
			t.Fatalf("a decision without the team's service: %v", err)
		}
		second := decide(2, "innvilget", f.teamUnit)
		if _, err := start(first); !strings.Contains(problems(err), "start oppfølgingen fra versjon 2") {
			t.Fatalf("an older version: %v", err)
		}
		if _, err := start(999999); !strings.Contains(problems(err), "vedtaket finnes ikke") {
			t.Fatalf("an unknown decision: %v", err)
		}
		id, err := start(second)
		if err != nil {
			t.Fatal(err)
		}
		d, err := followup.ReadFollowUp(ctx, access.NewReader(db, f.worker, access.ChannelAPI), id, 5)
		if err != nil {
			t.Fatal(err)
		}
		got := d.FollowUp.Value()
		if got.Basis != followup.ByDecision || got.DecisionID != second || got.StartOn != today.AddDays(-10) || got.PersonID != f.person {
			t.Fatalf("follow-up from the decision: %+v", got)
		}
		refused := decide(3, "avslag", 0)
		if _, err := followup.Start(ctx, db, f.tn.CaseWorker(), followup.StartInput{TeamID: f.team, PrimaryID: f.worker.UserID, Intensity: followup.High, DecisionID: refused}, today); !strings.Contains(problems(err), "avslag") {
			t.Fatalf("a refusal: %v", err)
		}
	})
}

// TestRefusedRestrictionStoresNothing: a rights-restricting measure refused
// by its rules, or by the writer's access, leaves neither a measure nor an
// audit entry behind.
func TestRefusedRestrictionStoresNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())
		id, err := followup.Start(ctx, db, f.tn.CaseWorker(), followup.StartInput{PersonID: f.person, TeamID: f.team, PrimaryID: f.worker.UserID,
			Intensity: followup.High, StartOn: today.AddDays(-30)}, today)
		if err != nil {
			t.Fatal(err)
		}
		visitors := followup.Restriction{Kind: followup.VisitorRules, Description: "Ingen besøk etter kl. 23", LegalBasis: "husordensreglene, avtalt med beboeren",
			From: today.AddDays(-10), Review: today.AddDays(20), Informed: today.AddDays(-10)}
		if _, err := followup.Restrict(ctx, db, f.worker, id, visitors, today); err != nil {
			t.Fatal(err)
		}
		rows := func() int { return count(t, db, "SELECT COUNT(*) FROM followup_restrictions") }
		audits := func() int { return count(t, db, "SELECT COUNT(*) FROM audit_log") }
		beforeRows, beforeAudits := rows(), audits()

		change := func(fn func(*followup.Restriction)) followup.Restriction {
			r := visitors
			r.Description = "Besøk bare på dagtid"
			r.From, r.Review, r.Informed = today, today.AddDays(30), today
			fn(&r)
			return r
		}
		for _, c := range []struct {
			name string
			in   followup.Restriction
			want string
		}{
			{"an overlapping measure reviewed later", change(func(r *followup.Restriction) {}), "et tiltak av samme slag gjelder allerede"},
			{"an overlapping measure without review date", change(func(r *followup.Restriction) { r.Review = deadline.Date{} }), "vurderes på nytt"},
			{"no legal basis", change(func(r *followup.Restriction) { r.Kind, r.LegalBasis = followup.ComingAndGoing, "  " }), "hjemmelen"},
			{"review after three months", change(func(r *followup.Restriction) {
				r.Kind, r.Review = followup.ComingAndGoing, today.AddDays(followup.MaxReviewDays+1)
			}), "innen tre måneder"},
			{"informed in the future", change(func(r *followup.Restriction) { r.Kind, r.Informed = followup.ComingAndGoing, today.AddDays(1) }), "fram i tid"},
			{"informed after it starts", change(func(r *followup.Restriction) {
				r.Kind, r.Informed, r.From = followup.ComingAndGoing, today, today.AddDays(-1)
			}), "senest den dagen"},
			{"an unknown kind", change(func(r *followup.Restriction) { r.Kind = "innelåsing" }), "velg hva tiltaket gjelder"},
			{"ends before it starts", change(func(r *followup.Restriction) { r.Kind, r.Until = followup.ComingAndGoing, today.AddDays(-1) }), "sluttdatoen"},
		} {
			err := db.InTx(ctx, func(tx *store.Tx) error {
				_, err := followup.Restrict(ctx, tx, f.worker, id, c.in, today)
				return err
			})
			if !strings.Contains(problems(err), c.want) {
				t.Errorf("%s: %v, want a problem naming %q", c.name, err, c.want)
			}
			if n := rows(); n != beforeRows {
				t.Fatalf("%s: %d measures stored after the refusal", c.name, n-beforeRows)
			}
		}
		// Medication handling is health: refused without health open, and
		// property staff never register measures.
		meds := change(func(r *followup.Restriction) { r.Kind = followup.MedicationHeld })
		if _, err := followup.Restrict(ctx, db, f.worker, id, meds, today); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a health measure without health open: %v", err)
		}
		if _, err := followup.Restrict(ctx, db, f.caretaker, id, change(func(r *followup.Restriction) { r.Kind = followup.ComingAndGoing }), today); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("property staff registering a measure: %v", err)
		}
		if n := rows(); n != beforeRows {
			t.Fatalf("%d measures stored after the refusals", n-beforeRows)
		}
		if n := audits(); n != beforeAudits {
			t.Fatalf("%d audit entries for refusals", n-beforeAudits)
		}
		// A measure of the same kind reviewed no later than the one in force
		// is taken.
		ok := change(func(r *followup.Restriction) { r.Review = visitors.Review })
		if _, err := followup.Restrict(ctx, db, f.worker, id, ok, today); err != nil {
			t.Fatal(err)
		}
		if n := rows(); n != beforeRows+1 {
			t.Fatalf("%d measures after the accepted one", n-beforeRows)
		}
	})
}

// TestRefusedMemberStoresNothing: a team member with a share of a
// person-year out of range, a second membership, or an unknown user is
// refused with a message naming the problem, and nothing is stored.
func TestRefusedMemberStoresNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		id, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			f.tn.MunicipalityID, f.teamUnit, "nina", "Nina Sykepleier", string(access.FollowUp), store.TimeArg(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		other := storetest.NewTenant(t, db, "0301")
		members := func() int { return count(t, db, "SELECT COUNT(*) FROM followup_members") }
		beforeMembers, beforeAudits := members(), count(t, db, "SELECT COUNT(*) FROM audit_log")
		for _, c := range []struct {
			name string
			m    followup.Member
			want string
		}{
			{"no share", followup.Member{UserID: id, Role: followup.Nurse}, "stillingsandelen i teamet må være mer enn 0 og høyst 1 årsverk"},
			{"a negative share", followup.Member{UserID: id, Role: followup.Nurse, FTE: -0.5}, "stillingsandelen"},
			{"more than one person-year", followup.Member{UserID: id, Role: followup.Nurse, FTE: 1.2}, "høyst 1 årsverk"},
			{"already on the team", followup.Member{UserID: f.worker.UserID, Role: followup.Nurse, FTE: 0.5}, "Kari Oppfølger er allerede med i teamet"},
			{"an unknown user", followup.Member{UserID: id + 1000, Role: followup.Nurse, FTE: 0.5}, "den ansatte finnes ikke i kommunen"},
			{"a user of another municipality", followup.Member{UserID: other.CaseWorker().UserID, Role: followup.Nurse, FTE: 0.5}, "den ansatte finnes ikke i kommunen"},
			{"no user", followup.Member{Role: followup.Nurse, FTE: 0.5}, "velg den ansatte"},
			{"an unknown role", followup.Member{UserID: id, Role: "trollmann", FTE: 0.5}, "velg rollen"},
			{"an unknown employer", followup.Member{UserID: id, Role: followup.Nurse, FTE: 0.5, Employer: "privat"}, "ansatt i kommunen eller i spesialisthelsetjenesten"},
		} {
			err := db.InTx(ctx, func(tx *store.Tx) error {
				_, err := followup.AddMember(ctx, tx, f.lead, f.team, c.m)
				return err
			})
			if !strings.Contains(problems(err), c.want) {
				t.Errorf("%s: %v, want a problem naming %q", c.name, err, c.want)
			}
			if n := members(); n != beforeMembers {
				t.Fatalf("%s: %d members stored after the refusal", c.name, n-beforeMembers)
			}
		}
		// Only leaders put staff on a team.
		if _, err := followup.AddMember(ctx, db, f.worker, f.team, followup.Member{UserID: id, Role: followup.Nurse, FTE: 0.5}); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a worker adding a member: %v", err)
		}
		if n := members(); n != beforeMembers {
			t.Fatalf("%d members stored after the refusals", n-beforeMembers)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM audit_log"); n != beforeAudits {
			t.Fatalf("%d audit entries for refusals", n-beforeAudits)
		}
		if _, err := followup.AddMember(ctx, db, f.lead, f.team, followup.Member{UserID: id, Role: followup.Nurse, FTE: 1}); err != nil {
			t.Fatal(err)
		}
		if n := members(); n != beforeMembers+1 {
			t.Fatalf("%d members after the accepted one", n-beforeMembers)
		}
	})
}
