package arrears_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/arrears"
	"husly/internal/deadline"
	"husly/internal/notice"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestConversationNoticeToNAV: NAV hears of an arrears conversation only
// on the tenant's consent to a NAV unit covering finances, or on a legal
// basis the staff member names (forvaltningsloven § 13, NAV-loven § 7).
// Without either the recording is refused and no notice exists; on a
// consent exactly that NAV unit gets one notice, carrying finances,
// which its case worker sees on the start page and no other unit does.
func TestConversationNoticeToNAV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		now := store.TimeArg(time.Now())
		navWorker := func() access.Actor {
			id, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, 'nora', 'Nora NAV', ?, ?)`,
				f.tn.MunicipalityID, f.navOrg, string(access.CaseWorker), now)
			if err != nil {
				t.Fatal(err)
			}
			return access.Actor{UserID: id, MunicipalityID: f.tn.MunicipalityID, OrgUnitID: f.navOrg, Username: "nora", Name: "Nora NAV", Role: access.CaseWorker}
		}()
		if _, err := arrears.Register(ctx, db, f.office, arrears.HandInput{LeaseID: f.leaseA, PersonID: f.followed, Kind: arrears.Rent,
			DueOn: deadline.Of(2026, 11, 1), Amount: 725000}, today); err != nil {
			t.Fatal(err)
		}
		var conv int64
		if err := db.QueryRowContext(ctx, "SELECT id FROM arrears_conversations WHERE lease_id = ?", f.leaseA).Scan(&conv); err != nil {
			t.Fatal(err)
		}
		record := func(in arrears.OutcomeInput) error {
			return db.InTx(ctx, func(tx *store.Tx) error { return arrears.RecordOutcome(ctx, tx, f.worker, conv, in, today) })
		}
		held := arrears.OutcomeInput{Kind: arrears.PaymentPlan, HeldOn: today, Note: "500 kr i måneden", NotifyNAV: true}
		for name, c := range map[string]struct {
			basis, legal, want string
		}{
			"no basis":                {"", "", "velg grunnlaget"},
			"consent but none given":  {arrears.BasisConsent, "", "samtykke"},
			"legal basis not written": {arrears.BasisLaw, "lov", "hjemmelen"},
		} {
			in := held
			in.NAVBasis, in.NAVLegalBasis = c.basis, c.legal
			if err := record(in); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if n := count(t, db, "SELECT COUNT(*) FROM unit_notices"); n != 0 {
			t.Fatalf("%d notices after refused recordings", n)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM arrears_conversations WHERE id = ? AND status = 'apen'", conv); n != 1 {
			t.Fatal("a refused recording changed the conversation")
		}

		// The tenant's consent to NAV, covering finances: one notice to NAV.
		if _, err := db.ExecContext(ctx, `INSERT INTO consents (municipality_id, person_id, recipient_unit_id, purpose, categories, given_at) VALUES (?, ?, ?, 'Restanse', 'okonomi', ?)`,
			f.tn.MunicipalityID, f.followed, f.navOrg, store.TimeArg(time.Now().Add(-time.Hour))); err != nil {
			t.Fatal(err)
		}
		in := held
		in.NAVBasis = arrears.BasisConsent
		if err := record(in); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM unit_notices WHERE source = 'restanse' AND source_id = ? AND org_unit_id = ? AND category = 'okonomi' AND basis = 'samtykke'",
			conv, f.navOrg); n != 1 {
			t.Errorf("%d notices to NAV on the consent", n)
		}
		ps, err := notice.Inbox(ctx, access.NewReader(db, navWorker, access.ChannelPage), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].Value().PersonID != f.followed || ps[0].Value().LeaseID != f.leaseA || ps[0].Value().Phrase.Code != "arrears.notice.nav" {
			t.Errorf("NAV's start page: %d notices %+v", len(ps), ps)
		}
		for _, other := range []access.Actor{f.worker, f.property, f.office} {
			ps, err := notice.Inbox(ctx, access.NewReader(db, other, access.ChannelPage), 10)
			if err != nil || len(ps) != 0 {
				t.Errorf("%s sees %d notices (%v)", other.Username, len(ps), err)
			}
		}

		// Held without telling NAV: no notice.
		if _, err := arrears.Register(ctx, db, f.office, arrears.HandInput{LeaseID: f.leaseB, PersonID: f.other, Kind: arrears.Rent,
			DueOn: deadline.Of(2026, 11, 1), Amount: 1000}, today); err != nil {
			t.Fatal(err)
		}
		var convB int64
		if err := db.QueryRowContext(ctx, "SELECT id FROM arrears_conversations WHERE lease_id = ?", f.leaseB).Scan(&convB); err != nil {
			t.Fatal(err)
		}
		if err := arrears.RecordOutcome(ctx, db, f.office, convB, arrears.OutcomeInput{Kind: arrears.HousingAllow, HeldOn: today}, today); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM unit_notices WHERE source_id = ?", convB); n != 0 {
			t.Errorf("NAV was told of a conversation without being asked to: %d", n)
		}
		if err := notice.MarkRead(ctx, db, f.worker, ps[0].Value().ID); !errors.Is(err, notice.ErrNotFound) {
			t.Errorf("the follow-up worker marked NAV's notice: %v", err)
		}
	})
}
