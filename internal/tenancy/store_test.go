package tenancy_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/arrears"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/risk"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tenancy"
)

// fixture is a municipality with a housing office, property staff, a
// follow-up team following one resident on a lease, and NAV.
type fixture struct {
	tn                       storetest.Tenant
	office, property, worker access.Actor
	person, other, lease     int64
	team, nav                int64
}

func setup(t *testing.T, db *store.DB) fixture {
	ctx := context.Background()
	tn := storetest.NewTenant(t, db, "1505")
	now := store.TimeArg(time.Now())
	id := func(q string, args ...any) int64 {
		t.Helper()
		v, err := store.InsertID(ctx, db, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return v
	}
	unit := func(name, kind string) int64 {
		return id("INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, ?, ?, ?)", tn.MunicipalityID, name, kind, now)
	}
	prop, hf, nav := unit("Eiendom", "eiendom"), unit("Housing First-teamet", "housing_first"), unit("NAV Test", "nav")
	user := func(unit int64, username, name string, role access.Role) access.Actor {
		uid := id(`INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			tn.MunicipalityID, unit, username, name, string(role), now)
		return access.Actor{UserID: uid, MunicipalityID: tn.MunicipalityID, OrgUnitID: unit, Username: username, Name: name, Role: role}
	}
	f := fixture{tn: tn, office: tn.CaseWorker(), nav: nav}
	f.property = user(prop, "erik", "Erik Eiendom", access.Property)
	f.worker = user(hf, "olav", "Olav Oppfølger", access.FollowUp)
	f.person = storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(100001), "Rune", "Beboer")
	f.other = storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(100002), "Nina", "Nabo")
	for _, u := range []int64{tn.OrgUnitID, prop, hf} {
		if _, err := access.AddCaseUnit(ctx, db, tn.CaseWorker(), access.CaseUnit{PersonID: f.person, OrgUnitID: u, Responsibility: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	u := id(`INSERT INTO units (municipality_id, code, address, category, control, rooms, area_m2, rent_monthly, created_at, updated_at)
		VALUES (?, 'A-1', 'Storgata 1', 'ordinaer', 'kf', 1, 30, 5000, ?, ?)`, tn.MunicipalityID, now, now)
	f.lease = id("INSERT INTO leases (municipality_id, unit_id, start_date, rent_monthly, deposit, status, created_at) VALUES (?, ?, '2026-01-01', 5000, 0, 'aktiv', ?)",
		tn.MunicipalityID, u, now)
	if _, err := db.ExecContext(ctx, "INSERT INTO lease_tenants (lease_id, person_id, municipality_id) VALUES (?, ?, ?)", f.lease, f.person, tn.MunicipalityID); err != nil {
		t.Fatal(err)
	}
	f.team = id("INSERT INTO followup_teams (municipality_id, org_unit_id, name, model, created_at) VALUES (?, ?, 'Housing First-teamet', 'housing_first', ?)", tn.MunicipalityID, hf, now)
	id(`INSERT INTO followups (municipality_id, person_id, team_id, basis, primary_id, primary_name, start_on, intensity, created_by, created_at)
		VALUES (?, ?, ?, 'veiledning', ?, 'Olav Oppfølger', '2026-01-01', 'middels', 'test', ?)`, tn.MunicipalityID, f.person, f.team, f.worker.UserID, now)
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

func TestComplaintIsHeardAndHidesTheComplainant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())
		in := tenancy.ComplaintInput{LeaseID: f.lease, Kind: tenancy.Noise, Source: tenancy.FromNeighbour, Complainant: "Nina Nabo", ReceivedOn: today,
			What: "Høy musikk etter midnatt tre netter på rad."}
		// Bad input: a future date, an unknown lease; nothing stored.
		bad := in
		bad.ReceivedOn = today.AddDays(3)
		if _, err := tenancy.RegisterComplaint(ctx, db, f.property, bad, today); !strings.Contains(problems(err), "mottatt") {
			t.Errorf("a complaint received in the future should be refused naming the field, got %v", err)
		}
		bad = in
		bad.LeaseID = 999999
		if _, err := tenancy.RegisterComplaint(ctx, db, f.property, bad, today); !strings.Contains(problems(err), "leieforhold") {
			t.Errorf("an unknown lease should be refused naming the field, got %v", err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM tenancy_complaints"); n != 0 {
			t.Fatalf("refused complaints were stored: %d", n)
		}
		var id int64
		err := db.InTx(ctx, func(tx *store.Tx) (err error) {
			id, err = tenancy.RegisterComplaint(ctx, tx, f.property, in, today)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := tenancy.InformComplaint(ctx, db, f.property, id, tenancy.InformInput{On: today, How: "samtale"}, today); err != nil {
			t.Fatal(err)
		}
		resident := access.Actor{MunicipalityID: f.tn.MunicipalityID, PersonID: f.person, Role: access.Resident, Name: "Rune Beboer", Username: "rune"}
		if _, err := tenancy.ReplyToComplaint(ctx, db, resident, id, "Det var bursdagen min, det skjer ikke igjen."); err != nil {
			t.Fatal(err)
		}
		neighbour := resident
		neighbour.PersonID = f.other
		if _, err := tenancy.ReplyToComplaint(ctx, db, neighbour, id, "Hei"); !errors.Is(err, tenancy.ErrNotFound) {
			t.Errorf("another resident may not answer the complaint, got %v", err)
		}
		mine, err := tenancy.MyComplaints(ctx, access.NewReader(db, resident, access.ChannelPage))
		if err != nil {
			t.Fatal(err)
		}
		if len(mine) != 1 || len(mine[0].Value().Replies) != 1 {
			t.Fatalf("the resident should read the complaint with their reply, got %+v", mine)
		}
		if b, _ := jsonOf(mine); strings.Contains(b, "Nina") {
			t.Errorf("the complainant's name reached the resident: %s", b)
		}
		staff, err := tenancy.Complaints(ctx, access.NewReader(db, f.property, access.ChannelPage), tenancy.ComplaintFilter{Open: true}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(staff) != 1 || staff[0].Value().Complainant != "Nina Nabo" || staff[0].Value().InformedHow != "samtale" {
			t.Errorf("property staff should see the complaint with the complainant, got %+v", staff)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM access_reads WHERE person_id = ? AND categories LIKE '%leieforhold%'", f.person); n < 2 {
			t.Errorf("the reads should be logged with the tenancy category, got %d rows", n)
		}
		if err := tenancy.CloseComplaint(ctx, db, f.property, id, tenancy.CloseInput{Outcome: "Samtale holdt, ingen nye klager."}, today); err != nil {
			t.Fatal(err)
		}
		signals, err := risk.Collect(ctx, db, risk.Query{Municipality: f.tn.MunicipalityID, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range signals {
			if s.Kind == risk.Complaints && s.LeaseID == f.lease && s.Category == access.Tenancy {
				found = true
			}
		}
		if !found {
			t.Errorf("a recent complaint should be a risk signal, got %+v", signals)
		}
	})
}

func TestLadder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())
		take := func(a access.Actor, in tenancy.StepInput) (int64, error) {
			var id int64
			err := db.InTx(ctx, func(tx *store.Tx) (err error) { id, err = tenancy.TakeStep(ctx, tx, a, f.lease, in, today); return err })
			return id, err
		}
		// The follow-up worker runs no ladder; health never enters it.
		if _, err := take(f.worker, tenancy.StepInput{Step: tenancy.Warning, PreventiveAction: "x"}); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a follow-up worker may not take a step, got %v", err)
		}
		// Skipping to the notice without a reason is refused; nothing stored.
		notice := tenancy.StepInput{Step: tenancy.Notice, Grounds: "Gjentatt støy.", Ground: tenancy.GroundNuisance, PreventiveAction: "Samtale"}
		if _, err := take(f.office, notice); !strings.Contains(problems(err), "hoppe over") {
			t.Errorf("a skipped step should need an override reason, got %v", err)
		}
		if _, err := tenancy.TakeStep(ctx, db, f.office, 999999, notice, today); !errors.Is(err, tenancy.ErrNotFound) {
			t.Errorf("an unknown lease should be not found, got %v", err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM tenancy_steps"); n != 0 {
			t.Fatalf("refused steps were stored: %d", n)
		}
		warning, err := take(f.property, tenancy.StepInput{Step: tenancy.Warning, Grounds: "Klager på støy.", PreventiveAction: "Samtale med bo-oppfølger om støy",
			PreventiveByID: f.worker.UserID})
		if err != nil {
			t.Fatal(err)
		}
		// The follow-up team and NAV were told; NAV's notice names § 27.
		if n := count(t, db, "SELECT COUNT(*) FROM tenancy_notices WHERE step_id = ? AND recipient IN ('oppfolging', 'nav')", warning); n != 2 {
			t.Errorf("want a notice to the team and to NAV, got %d", n)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM tenancy_notices WHERE step_id = ? AND recipient = 'nav' AND phrase LIKE '%tenancy.notice.nav%'", warning); n != 1 {
			t.Errorf("NAV's notice should be its own message, got %d", n)
		}
		// A notice without its content is refused.
		bad := notice
		bad.Grounds = ""
		if _, err := take(f.office, bad); !strings.Contains(problems(err), "§ 9-7") {
			t.Errorf("a notice without grounds should be refused under § 9-7, got %v", err)
		}
		nid, err := take(f.office, notice)
		if err != nil {
			t.Fatal(err)
		}
		l, _, err := tenancy.MakeLetter(ctx, access.NewReader(db, f.office, access.ChannelPage), nid)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(l.Title, "Oppsigelse") {
			t.Errorf("want the notice letter, got %q", l.Title)
		}
		rd := access.NewReader(db, f.property, access.ChannelPage)
		v, err := tenancy.ReadLease(ctx, rd, f.lease)
		if err != nil {
			t.Fatal(err)
		}
		if v.Value().Current != tenancy.Notice || v.Value().Next != tenancy.Cancellation {
			t.Errorf("the ladder should stand at the notice with the cancellation next, got %+v", v.Value())
		}
		// Only the highest step rolls back; the ladder is back at the warning.
		if err := tenancy.RollBack(ctx, db, f.office, warning, "Feil registrert"); !strings.Contains(problems(err), "høyeste") {
			t.Errorf("only the highest step rolls back, got %v", err)
		}
		if err := tenancy.RollBack(ctx, db, f.office, nid, "Betalingsavtale inngått"); err != nil {
			t.Fatal(err)
		}
		signals, err := risk.Collect(ctx, db, risk.Query{Municipality: f.tn.MunicipalityID, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		var urgency int
		for _, s := range signals {
			if s.Kind == risk.Ladder && s.LeaseID == f.lease {
				urgency = s.Urgency
			}
		}
		if urgency != tenancy.Urgency(tenancy.Warning) {
			t.Errorf("the risk list should show the warning after the roll-back, got urgency %d", urgency)
		}
		// StopLadder: a reason is needed; then nothing is open.
		if err := tenancy.StopLadder(ctx, db, f.tn.MunicipalityID, f.lease, "", f.office.UserID); !strings.Contains(problems(err), "begrunnelse") {
			t.Errorf("stopping needs a reason, got %v", err)
		}
		if err := tenancy.StopLadder(ctx, db, f.tn.MunicipalityID, f.lease, "Betalingsplan avtalt med NAV", f.office.UserID); err != nil {
			t.Fatal(err)
		}
		if err := tenancy.StopLadder(ctx, db, f.tn.MunicipalityID, f.lease, "Betalingsplan avtalt med NAV", f.office.UserID); !errors.Is(err, tenancy.ErrNoLadder) {
			t.Errorf("a stopped ladder has nothing to stop, got %v", err)
		}
		open, err := tenancy.OpenLadders(ctx, access.NewReader(db, f.property, access.ChannelPage), "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 0 {
			t.Errorf("no ladder should be open, got %+v", open)
		}
		// The tenant's own notice: accepted, a conversation task for the primary contact.
		talk, err := tenancy.RecordTenantNotice(ctx, db, f.office, f.lease, tenancy.TenantNoticeInput{MovesOutOn: today.AddDays(60)}, today)
		if err != nil {
			t.Fatal(err)
		}
		talks, err := tenancy.Conversations(ctx, access.NewReader(db, f.worker, access.ChannelPage))
		if err != nil || len(talks) != 1 {
			t.Fatalf("the follow-up worker should see the conversation to hold, got %d %v", len(talks), err)
		}
		if err := tenancy.RecordTalk(ctx, db, f.worker, talk, tenancy.TalkInput{On: today.AddDays(2), Note: "x"}, today); !strings.Contains(problems(err), "fram i tid") {
			t.Errorf("a conversation in the future should be refused, got %v", err)
		}
		if err := tenancy.RecordTalk(ctx, db, f.worker, talk, tenancy.TalkInput{Note: "Snakket om depositum og ny bolig."}, today); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM tenancy_tenant_notices WHERE owner_id = ?", f.worker.UserID); n != 1 {
			t.Errorf("the primary contact should have the conversation task, got %d", n)
		}
	})
}

// A payment plan agreed in the conversation before collection stops a
// ladder that rests on the rent, and leaves one that rests on nuisance.
func TestPaymentPlanStopsTheRentLadder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())
		// The housing office sees the tenant's finances on the tenant's consent.
		if _, err := db.ExecContext(ctx, `INSERT INTO consents (municipality_id, person_id, recipient_unit_id, purpose, categories, given_at) VALUES (?, ?, ?, 'Restanse', 'okonomi', ?)`,
			f.tn.MunicipalityID, f.person, f.tn.OrgUnitID, store.TimeArg(time.Now().Add(-time.Hour))); err != nil {
			t.Fatal(err)
		}
		plan := func(ground tenancy.Ground) tenancy.Status {
			t.Helper()
			// Each round starts from a lease without steps or arrears.
			for _, table := range []string{"tenancy_notices", "tenancy_steps", "arrears_conversations", "arrears_changes", "arrears_dues"} {
				if _, err := db.ExecContext(ctx, "DELETE FROM "+table); err != nil {
					t.Fatal(err)
				}
			}
			var step int64
			err := db.InTx(ctx, func(tx *store.Tx) (err error) {
				step, err = tenancy.TakeStep(ctx, tx, f.property, f.lease, tenancy.StepInput{Step: tenancy.Warning, Grounds: "Husleien for november er ikke betalt.",
					Ground: ground, PreventiveAction: "Samtale om restansen", PreventiveByID: f.worker.UserID}, today)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			due := today.AddDays(-5)
			if _, err := arrears.Register(ctx, db, f.office, arrears.HandInput{LeaseID: f.lease, PersonID: f.person, Kind: arrears.Rent, DueOn: due, Amount: 500000}, today); err != nil {
				t.Fatal(err)
			}
			var conv int64
			if err := db.QueryRowContext(ctx, "SELECT MAX(id) FROM arrears_conversations WHERE lease_id = ? AND status <> 'gjennomfort'", f.lease).Scan(&conv); err != nil {
				t.Fatal(err)
			}
			in := arrears.OutcomeInput{Kind: arrears.PaymentPlan, HeldOn: today, Note: "500 kr i måneden"}
			if err := db.InTx(ctx, func(tx *store.Tx) error { return arrears.RecordOutcome(ctx, tx, f.worker, conv, in, today) }); err != nil {
				t.Fatal(err)
			}
			var status string
			if err := db.QueryRowContext(ctx, "SELECT status FROM tenancy_steps WHERE id = ?", step).Scan(&status); err != nil {
				t.Fatal(err)
			}
			return tenancy.Status(status)
		}
		if got := plan(tenancy.GroundRent); got != tenancy.Stopped {
			t.Errorf("a payment plan should stop the rent ladder, the warning is %q", got)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM tenancy_steps WHERE end_reason LIKE 'Betalingsplan%'"); n != 1 {
			t.Errorf("the stop should carry the payment plan as its reason, got %d", n)
		}
		if got := plan(tenancy.GroundNuisance); got != tenancy.InForce {
			t.Errorf("a payment plan does not answer a nuisance ladder, the warning is %q", got)
		}
	})
}
