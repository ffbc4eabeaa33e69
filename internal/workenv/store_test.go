package workenv_test

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
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/workenv"
)

// fixture is a Housing First team of a worker, a peer worker and a
// leader, following one resident.
type fixture struct {
	tn                 storetest.Tenant
	team               int64
	worker, peer, lead access.Actor
	followup, person   int64
}

func setup(t *testing.T, db *store.DB) fixture {
	ctx := context.Background()
	tn := storetest.NewTenant(t, db, "1505")
	now := store.TimeArg(time.Now())
	hf, err := store.InsertID(ctx, db, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'Housing First-teamet', 'housing_first', ?)", tn.MunicipalityID, now)
	if err != nil {
		t.Fatal(err)
	}
	user := func(username, name string, role access.Role) access.Actor {
		id, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			tn.MunicipalityID, hf, username, name, string(role), now)
		if err != nil {
			t.Fatal(err)
		}
		return access.Actor{UserID: id, MunicipalityID: tn.MunicipalityID, OrgUnitID: hf, Username: username, Name: name, Role: role}
	}
	f := fixture{tn: tn, worker: user("kari", "Kari Oppfølger", access.FollowUp), peer: user("per", "Per Erfaring", access.FollowUp),
		lead: user("eva", "Eva Leder", access.FollowUp)}
	f.person = storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(100001), "Rune", "Beboer")
	if _, err := db.ExecContext(ctx, "UPDATE persons SET address = 'Fjordgata 3' WHERE id = ?", f.person); err != nil {
		t.Fatal(err)
	}
	if _, err := access.AddCaseUnit(ctx, db, tn.CaseWorker(), access.CaseUnit{PersonID: f.person, OrgUnitID: tn.OrgUnitID, Responsibility: "saksbehandling"}); err != nil {
		t.Fatal(err)
	}
	if f.team, err = followup.CreateTeam(ctx, db, tn.Operator(), hf, followup.HousingFirst); err != nil {
		t.Fatal(err)
	}
	for _, m := range []followup.Member{{UserID: f.worker.UserID, Role: followup.CaseManager, FTE: 1}, {UserID: f.peer.UserID, Role: followup.PeerWorker, FTE: 0.5},
		{UserID: f.lead.UserID, Role: followup.Leader, FTE: 0.5}} {
		if _, err := followup.AddMember(ctx, db, tn.Operator(), f.team, m); err != nil {
			t.Fatal(err)
		}
	}
	if f.followup, err = followup.Start(ctx, db, tn.CaseWorker(), followup.StartInput{PersonID: f.person, TeamID: f.team, PrimaryID: f.worker.UserID,
		Intensity: followup.High, StartOn: deadline.On(time.Now()).AddDays(-30)}, deadline.On(time.Now())); err != nil {
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

func TestRegisterStorage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		today := deadline.On(time.Now())
		// The team's leader manages; a member may not.
		if _, err := workenv.AddHeld(ctx, db, f.worker, f.team, workenv.HeldInput{UserID: f.worker.UserID, Competence: workenv.MI, TakenOn: today}, today); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a member changes the register: %v", err)
		}
		if _, err := workenv.AddHeld(ctx, db, f.lead, f.team, workenv.HeldInput{UserID: f.worker.UserID, Competence: workenv.FirstAid,
			TakenOn: today.AddDays(-800)}, today); err != nil {
			t.Fatal(err)
		}
		if _, err := workenv.SetRequirement(ctx, db, f.lead, f.team, workenv.Requirement{Competence: workenv.FirstAid, EveryMonths: 24, FirstDue: today.AddDays(-10)}); err != nil {
			t.Fatal(err)
		}
		_, err := workenv.RecordRound(ctx, db, f.lead, f.team, workenv.Round{HeldOn: today, Findings: "Mørk trapp", Measures: []workenv.Measure{{What: "Lys", DueOn: today}}}, today)
		if !strings.Contains(problems(err), "tiltak 1: ansvarlig mangler") || count(t, db, "SELECT COUNT(*) FROM hms_rounds") != 0 {
			t.Fatalf("a measure without an owner: %v", err)
		}
		// Leader: every member's training, all three overdue (never taken
		// by the first due day, or taken over two years ago).
		reg, err := workenv.Read(ctx, access.NewReader(db, f.lead, access.ChannelAPI), f.team, today)
		if err != nil {
			t.Fatal(err)
		}
		if !reg.Manages || len(reg.Standing) != 3 || reg.Overdue != 3 || !reg.RoundDue {
			t.Errorf("the leader's register: manages %v, %d lines, %d overdue, round due %v", reg.Manages, len(reg.Standing), reg.Overdue, reg.RoundDue)
		}
		mine, err := workenv.Read(ctx, access.NewReader(db, f.worker, access.ChannelAPI), f.team, today)
		if err != nil {
			t.Fatal(err)
		}
		if mine.Manages || len(mine.Standing) != 1 || mine.Standing[0].UserID != f.worker.UserID || len(mine.Supervisions) != 0 {
			t.Errorf("the member's own lines: %+v", mine.Standing)
		}
		if _, err := workenv.Read(ctx, access.NewReader(db, f.tn.CaseWorker(), access.ChannelAPI), f.team, today); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("the housing office reads the register: %v", err)
		}
		// The address the resident lives at is assessed as needing two.
		if _, err := workenv.AssessRisk(ctx, db, f.lead, f.team, workenv.Risk{Address: "FJORDGATA 3", Assessment: "Hund", TwoStaff: true, AssessedOn: today}, today); !strings.Contains(problems(err), "ny vurdering: velg datoen") {
			t.Fatalf("no review day: %v", err)
		}
		if _, err := workenv.AssessRisk(ctx, db, f.lead, f.team, workenv.Risk{Address: "FJORDGATA 3", Assessment: "Hund", TwoStaff: true, AssessedOn: today,
			ReviewOn: today.AddDays(90)}, today); err != nil {
			t.Fatal(err)
		}
		visit := func(staff ...int64) error {
			_, err := followup.RecordContact(ctx, db, f.worker, f.followup, followup.ContactInput{Kind: followup.HomeVisit, Minutes: 30, StaffIDs: staff}, today)
			return err
		}
		if err := visit(); !strings.Contains(problems(err), "krever to ansatte på hjemmebesøk") {
			t.Errorf("a visit by one: %v", err)
		}
		if err := visit(f.worker.UserID); !strings.Contains(problems(err), "krever to ansatte") {
			t.Errorf("the same member twice is one: %v", err)
		}
		if err := visit(f.peer.UserID); err != nil {
			t.Errorf("a visit by two: %v", err)
		}
		// A newer assessment of the address lifts it.
		if _, err := workenv.AssessRisk(ctx, db, f.lead, f.team, workenv.Risk{Address: "Fjordgata 3", Assessment: "Hunden er borte", AssessedOn: today,
			ReviewOn: today.AddDays(90)}, today); err != nil {
			t.Fatal(err)
		}
		if err := visit(); err != nil {
			t.Errorf("a visit by one after the newer assessment: %v", err)
		}
	})
}
