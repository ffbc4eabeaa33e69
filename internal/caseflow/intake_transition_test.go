package caseflow_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/transition"
)

// fed is one person's transitions as the register holds them.
type fed struct {
	id                int64
	kind, institution string
	leaving           deadline.Date
	user, unit        int64
	contact           int64
}

func transitionsOf(t *testing.T, db *store.DB, person int64) []fed {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT id, kind, institution_kind, leaving_on, COALESCE(responsible_id, 0), COALESCE(responsible_unit_id, 0),
		COALESCE(contact_id, 0) FROM transitions WHERE person_id = ? ORDER BY id`, person)
	out, err := store.Collect(rows, err, func(s store.Scanner) (f fed, err error) {
		return f, s.Scan(&f.id, &f.kind, &f.institution, &f.leaving, &f.user, &f.unit, &f.contact)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func rowsIn(t *testing.T, db *store.DB, table string, person int64) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table+" WHERE person_id = ?", person).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func problemText(err error) string {
	var bad *invalid.Error
	if !errors.As(err, &bad) {
		return ""
	}
	return bad.Error()
}

// The first contact feeds the transitions register (seed 002's minimum
// requirement): once, then updated, with the unit that received the person
// responsible until the case has a case worker.
func TestContactFeedsTransitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		today := deadline.Of(2026, 11, 22)
		pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(21), FirstName: "Tor", LastName: "Hansen"})
		if err != nil {
			t.Fatal(err)
		}
		contact := func(in caseflow.ContactInput) error {
			return db.InTx(ctx, func(tx *store.Tx) error {
				_, err := caseflow.RegisterContact(ctx, tx, cw, pid, in, today)
				return err
			})
		}
		// A kind without its date, and an institution without its kind of
		// institution: named, nothing stored.
		err = contact(caseflow.ContactInput{Channel: "kriminalomsorgen", Residence: caseflow.Prison, Transition: transition.Prison})
		if !strings.Contains(problemText(err), "Dato for overgangen:") {
			t.Fatalf("prison without a release date: %v", err)
		}
		err = contact(caseflow.ContactInput{Channel: "spesialisthelse", Residence: caseflow.Institution, Transition: transition.Institution, Leaving: today.AddDays(30)})
		if !strings.Contains(problemText(err), "Institusjonstype:") {
			t.Fatalf("institution without its kind: %v", err)
		}
		if rowsIn(t, db, "contacts", pid) != 0 || rowsIn(t, db, "transitions", pid) != 0 {
			t.Fatal("bad input stored a row")
		}

		// Release from prison: one transition, the housing office's.
		if err := contact(caseflow.ContactInput{Channel: "kriminalomsorgen", Residence: caseflow.Prison, Transition: transition.Prison, Leaving: today.AddDays(40)}); err != nil {
			t.Fatal(err)
		}
		got := transitionsOf(t, db, pid)
		if len(got) != 1 || got[0].kind != "fengsel" || got[0].leaving != today.AddDays(40) || got[0].user != 0 || got[0].unit != tn.OrgUnitID || got[0].contact == 0 {
			t.Fatalf("the first contact makes one transition for the receiving unit: %+v", got)
		}
		// The unit's members get the alerts.
		alerts, err := transition.Alerts(ctx, access.NewReader(db, cw, access.ChannelPage), today.AddDays(5), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(alerts) != 0 {
			t.Fatalf("the case worker has no health grant, so the prison row is hidden: %+v", alerts)
		}

		// The case gets a case worker; a second contact moves the date.
		if _, err := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "kommunal_bolig", HouseholdSize: 1}, today); err != nil {
			t.Fatal(err)
		}
		if err := contact(caseflow.ContactInput{Channel: "kriminalomsorgen", Residence: caseflow.Prison, Transition: transition.Prison, Leaving: today.AddDays(50)}); err != nil {
			t.Fatal(err)
		}
		got = transitionsOf(t, db, pid)
		if len(got) != 1 || got[0].leaving != today.AddDays(50) || got[0].user != cw.UserID || got[0].unit != 0 {
			t.Fatalf("a second save updates the one transition and gives it to the case worker: %+v", got)
		}
		// Contacts that fed the register are not offered to it again.
		offers, err := transition.Offers(ctx, access.NewReader(db, cw, access.ChannelPage), today, 20)
		if err != nil || len(offers) != 0 {
			t.Fatalf("the fed contacts are offered again: %+v %v", offers, err)
		}

		// Living in temporary housing is a transition without asking, due
		// when a stay reaches the municipality's limit.
		if err := contact(caseflow.ContactInput{Channel: "nav", Residence: caseflow.Temporary}); err != nil {
			t.Fatal(err)
		}
		got = transitionsOf(t, db, pid)
		if len(got) != 2 || got[1].kind != "midlertidig" || got[1].leaving != today.AddDays(transition.DefaultSettings.StayDays) {
			t.Fatalf("temporary housing is in the register: %+v", got)
		}
		// Said again a week later, the stay keeps its date.
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := caseflow.RegisterContact(ctx, tx, cw, pid, caseflow.ContactInput{Channel: "nav", Residence: caseflow.Temporary}, today.AddDays(7))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if again := transitionsOf(t, db, pid); len(again) != 2 || again[1].leaving != got[1].leaving {
			t.Fatalf("a second contact from temporary housing moved the limit: %+v", again)
		}

		// A person without a case: the receiving unit answers, and a
		// colleague in it gets the alert.
		other, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(24), FirstName: "Siv", LastName: "Dahl"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := caseflow.RegisterContact(ctx, tx, cw, other, caseflow.ContactInput{Channel: "nav", Residence: caseflow.Temporary}, today)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		colleagueID, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, 'kollega', 'Kari Kollega', ?, '2026-01-01T00:00:00.000000Z')`,
			tn.MunicipalityID, tn.OrgUnitID, string(access.CaseWorker))
		if err != nil {
			t.Fatal(err)
		}
		colleague := access.Actor{UserID: colleagueID, MunicipalityID: tn.MunicipalityID, OrgUnitID: tn.OrgUnitID, Name: "Kari Kollega", Username: "kollega", Role: access.CaseWorker}
		alerts, err = transition.Alerts(ctx, access.NewReader(db, colleague, access.ChannelPage), today.AddDays(40), 10)
		if err != nil || len(alerts) != 1 || alerts[0].Value().PersonID != other || alerts[0].Value().Alert != 8 || alerts[0].Value().ResponsibleName != "Boligkontoret" {
			t.Fatalf("the unit's colleague gets the 8-week alert: %+v %v", alerts, err)
		}
	})
}

// Child welfare's aftercare lasts until the person turns 25
// (barnevernsloven § 8-1): a contact or mapping saying otherwise stores
// nothing.
func TestAftercareAge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		today := deadline.Of(2026, 11, 22)
		pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(22), FirstName: "Ida", LastName: "Berg"})
		if err != nil {
			t.Fatal(err)
		}
		// 25 on the day before she leaves.
		if _, err := db.ExecContext(ctx, "UPDATE persons SET birth_date = ? WHERE id = ?", deadline.Of(2001, 12, 1), pid); err != nil {
			t.Fatal(err)
		}
		leaving := deadline.Of(2026, 12, 2)
		in := caseflow.ContactInput{Channel: "barnevern", Residence: caseflow.Institution, Transition: transition.ChildWelfare,
			Institution: transition.ChildWelfareInstitution, Leaving: leaving}
		err = db.InTx(ctx, func(tx *store.Tx) error { _, err := caseflow.RegisterContact(ctx, tx, cw, pid, in, today); return err })
		if !strings.Contains(problemText(err), "fylte 25 år") {
			t.Fatalf("aftercare at 25: %v", err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := caseflow.SaveMapping(ctx, tx, cw, pid, caseflow.Mapping{HousingNeed: "Hybel", TransitionKind: transition.ChildWelfare, TransitionOn: leaving})
			return err
		})
		if !strings.Contains(problemText(err), "fylte 25 år") {
			t.Fatalf("aftercare at 25 in the mapping: %v", err)
		}
		if rowsIn(t, db, "contacts", pid) != 0 || rowsIn(t, db, "mappings", pid) != 0 || rowsIn(t, db, "transitions", pid) != 0 {
			t.Fatal("bad input stored a row")
		}
		// A child-welfare institution belongs with aftercare, not with
		// health institutions.
		in.Transition = transition.Institution
		err = db.InTx(ctx, func(tx *store.Tx) error { _, err := caseflow.RegisterContact(ctx, tx, cw, pid, in, today); return err })
		if !strings.Contains(problemText(err), "barneverninstitusjon") {
			t.Fatalf("a child-welfare institution as a health institution: %v", err)
		}
		// A day younger, she is within aftercare: a household transition.
		if _, err := db.ExecContext(ctx, "UPDATE persons SET birth_date = ? WHERE id = ?", deadline.Of(2001, 12, 3), pid); err != nil {
			t.Fatal(err)
		}
		in.Transition = transition.ChildWelfare
		if err := db.InTx(ctx, func(tx *store.Tx) error { _, err := caseflow.RegisterContact(ctx, tx, cw, pid, in, today); return err }); err != nil {
			t.Fatal(err)
		}
		var cat string
		if err := db.QueryRowContext(ctx, "SELECT category FROM transitions WHERE person_id = ?", pid).Scan(&cat); err != nil || cat != string(access.Household) {
			t.Fatalf("aftercare from a child-welfare institution is household data: %q %v", cat, err)
		}
	})
}

// The mapping feeds the register too, and a viewer without the health
// category sees neither the treatment institution on the contact and the
// mapping nor the transition; with it, the read is logged as health.
func TestMappingFeedsAndHidesTreatment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		today := deadline.On(time.Now())
		pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(23), FirstName: "Per", LastName: "Lie"})
		if err != nil {
			t.Fatal(err)
		}
		in := caseflow.ContactInput{Channel: "spesialisthelse", Residence: caseflow.Institution, Transition: transition.Institution,
			Institution: transition.Treatment, Leaving: today.AddDays(20)}
		if err := db.InTx(ctx, func(tx *store.Tx) error { _, err := caseflow.RegisterContact(ctx, tx, cw, pid, in, today); return err }); err != nil {
			t.Fatal(err)
		}
		m := caseflow.Mapping{HousingNeed: "Ett rom", TransitionKind: transition.Institution, InstitutionKind: transition.Treatment, TransitionOn: today.AddDays(25)}
		if err := db.InTx(ctx, func(tx *store.Tx) error { _, err := caseflow.SaveMapping(ctx, tx, cw, pid, m); return err }); err != nil {
			t.Fatal(err)
		}
		got := transitionsOf(t, db, pid)
		if len(got) != 1 || got[0].institution != "behandling" || got[0].leaving != today.AddDays(25) {
			t.Fatalf("the mapping updates the contact's transition: %+v", got)
		}
		// Saved again unchanged after the outcome: no new transition.
		if _, err := db.ExecContext(ctx, "UPDATE transitions SET outcome = 'trygg_bolig', outcome_on = ? WHERE id = ?", today, got[0].id); err != nil {
			t.Fatal(err)
		}
		m.HousingNeed = "Ett rom, bakkeplan"
		if err := db.InTx(ctx, func(tx *store.Tx) error { _, err := caseflow.SaveMapping(ctx, tx, cw, pid, m); return err }); err != nil {
			t.Fatal(err)
		}
		if n := len(transitionsOf(t, db, pid)); n != 1 {
			t.Fatalf("an unchanged mapping reopened the transition: %d", n)
		}

		// Without health: the treatment institution is not shown.
		cs, err := caseflow.Contacts(ctx, db, cw, pid, access.ChannelPage)
		if err != nil || len(cs) != 1 || !cs[0].Expected.None() {
			t.Fatalf("contact without health shows %+v %v", cs, err)
		}
		seen, err := caseflow.LatestMapping(ctx, db, cw, pid, access.ChannelPage)
		if err != nil || seen.InstitutionKind != "" || seen.TransitionKind != "" || seen.HousingNeed == "" {
			t.Fatalf("mapping without health shows %+v %v", seen, err)
		}
		list, err := transition.List(ctx, access.NewReader(db, cw, access.ChannelPage), transition.Filter{}, today, 50)
		if err != nil || len(list) != 0 {
			t.Fatalf("register without health shows %+v %v", list, err)
		}
		// Saving the mapping without seeing it keeps the transition ahead.
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := caseflow.SaveMapping(ctx, tx, cw, pid, caseflow.Mapping{HousingNeed: "To rom"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var kept string
		if err := db.QueryRowContext(ctx, "SELECT institution_kind FROM mappings WHERE person_id = ? ORDER BY id DESC LIMIT 1", pid).Scan(&kept); err != nil || kept != "behandling" {
			t.Fatalf("a viewer without health wiped the transition ahead: %q %v", kept, err)
		}

		// A follow-up worker with a role and consent to health data sees
		// it, and the reads are logged as health.
		unit, err := store.InsertID(ctx, db, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'Boteamet', 'boteam', '2026-01-01T00:00:00.000000Z')", tn.MunicipalityID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := access.AddCaseUnit(ctx, db, cw, access.CaseUnit{PersonID: pid, OrgUnitID: unit, Responsibility: "bo-oppfølging"}); err != nil {
			t.Fatal(err)
		}
		if _, err := access.RecordConsent(ctx, db, cw, access.Consent{PersonID: pid, RecipientUnitID: unit, Purpose: "Planlegge utskrivning",
			Categories: []access.Category{access.Health}}); err != nil {
			t.Fatal(err)
		}
		fu := access.Actor{UserID: tn.UserID, MunicipalityID: tn.MunicipalityID, OrgUnitID: unit, OrgUnitName: "Boteamet", Name: "Fia", Username: "fia", Role: access.FollowUp}
		var before int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_log_persons WHERE person_id = ? AND categories LIKE ?", pid, "%helse%").Scan(&before); err != nil {
			t.Fatal(err)
		}
		cs, err = caseflow.Contacts(ctx, db, fu, pid, access.ChannelPage)
		if err != nil || len(cs) != 1 || cs[0].Expected.Institution != transition.Treatment || cs[0].Expected.Leaving != today.AddDays(20) {
			t.Fatalf("contact with health shows %+v %v", cs, err)
		}
		seen, err = caseflow.LatestMapping(ctx, db, fu, pid, access.ChannelPage)
		if err != nil || seen.InstitutionKind != transition.Treatment {
			t.Fatalf("mapping with health shows %+v %v", seen, err)
		}
		list, err = transition.List(ctx, access.NewReader(db, fu, access.ChannelPage), transition.Filter{}, today, 50)
		if err != nil || len(list) != 1 || list[0].Value().Institution != transition.Treatment {
			t.Fatalf("register with health shows %+v %v", list, err)
		}
		var after int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_log_persons WHERE person_id = ? AND categories LIKE ?", pid, "%helse%").Scan(&after); err != nil {
			t.Fatal(err)
		}
		if after < before+2 {
			t.Fatalf("the reads of the treatment institution are logged as health: %d then %d", before, after)
		}
	})
}
