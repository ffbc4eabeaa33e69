package tenancy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/notice"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tenancy"
)

// TestLadderStepReachesNAVAndTheTeam: a step on a lease that came from no
// housing case (the fixture's lease is registered directly) reaches the
// NAV office and the team following the resident as work on their start
// page: exactly one notice each, carrying the tenancy only, read under
// the notice's basis by a NAV case worker with no role in the resident's
// case, and never by a unit that neither follows the resident nor is NAV.
func TestLadderStepReachesNAVAndTheTeam(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		now := store.TimeArg(time.Now())
		user := func(unit int64, username string, role access.Role) access.Actor {
			t.Helper()
			uid, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				f.tn.MunicipalityID, unit, username, username, string(role), now)
			if err != nil {
				t.Fatal(err)
			}
			return access.Actor{UserID: uid, MunicipalityID: f.tn.MunicipalityID, OrgUnitID: unit, Username: username, Name: username, Role: role}
		}
		navWorker := user(f.nav, "nina-nav", access.CaseWorker)
		care, err := store.InsertID(ctx, db, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'Hjemmetjenesten', 'hjemmetjeneste', ?)",
			f.tn.MunicipalityID, now)
		if err != nil {
			t.Fatal(err)
		}
		unrelated := user(care, "hanne-hjem", access.FollowUp)
		if n := count(t, db, "SELECT COUNT(*) FROM leases WHERE id = ? AND application_id IS NULL", f.lease); n != 1 {
			t.Fatal("the fixture's lease should have no housing case")
		}

		var step int64
		if err := db.InTx(ctx, func(tx *store.Tx) (err error) {
			step, err = tenancy.TakeStep(ctx, tx, f.property, f.lease, tenancy.StepInput{Step: tenancy.Warning, Grounds: "Klager på støy.",
				PreventiveAction: "Samtale med bo-oppfølger om støy", PreventiveByID: f.worker.UserID}, deadline.On(time.Now()))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		inbox := func(a access.Actor) []notice.Notice {
			t.Helper()
			ps, err := notice.Inbox(ctx, access.NewReader(db, a, access.ChannelPage), 20)
			if err != nil {
				t.Fatal(err)
			}
			var out []notice.Notice
			for _, p := range ps {
				out = append(out, p.Value())
			}
			return out
		}
		nav := inbox(navWorker)
		if len(nav) != 1 {
			t.Fatalf("NAV sees %d notices, want 1", len(nav))
		}
		n := nav[0]
		if n.Recipient != notice.ToNAV || n.PersonID != f.person || n.PersonName != "Rune Beboer" || n.LeaseID != f.lease || n.Source != notice.Ladder ||
			n.Category != access.Tenancy || n.Basis != notice.BasisLadderNAV || n.Phrase.Code != "tenancy.notice.nav" || len(n.Phrase.Args) != 3 {
			t.Errorf("NAV's notice: %+v", n)
		}
		if got := count(t, db, "SELECT COUNT(*) FROM unit_notices WHERE source_id = ? AND org_unit_id = ?", step, f.nav); got != 1 {
			t.Errorf("%d notices to NAV for one step", got)
		}
		team := inbox(f.worker)
		if len(team) != 1 || team[0].Recipient != notice.ToFollowUp || team[0].Phrase.Code != "tenancy.notice.step" {
			t.Errorf("the follow-up team's notices: %+v", team)
		}
		if got := inbox(unrelated); len(got) != 0 {
			t.Errorf("an unrelated unit sees %+v", got)
		}
		if _, err := access.Authorize(ctx, db, navWorker, f.person); err == nil {
			t.Error("the NAV worker should have no role in the resident's case: the notice alone shows it")
		}
		if got := count(t, db, `SELECT COUNT(*) FROM access_log_persons l JOIN access_log e ON e.id = l.entry_id
			WHERE e.user_id = ? AND l.person_id = ? AND l.basis = 'varsel' AND l.categories LIKE '%leieforhold%'`, navWorker.UserID, f.person); got != 1 {
			t.Errorf("NAV's read of the notice should be logged once under the notice's basis, got %d", got)
		}
		// Read: it leaves NAV's start page; only NAV can mark NAV's notice.
		if err := notice.MarkRead(ctx, db, unrelated, n.ID); !errors.Is(err, notice.ErrNotFound) {
			t.Errorf("another unit marked NAV's notice as read: %v", err)
		}
		if err := notice.MarkRead(ctx, db, navWorker, n.ID); err != nil {
			t.Fatal(err)
		}
		if got := inbox(navWorker); len(got) != 0 {
			t.Errorf("a read notice stays: %+v", got)
		}
		if err := notice.MarkRead(ctx, db, navWorker, n.ID); !errors.Is(err, notice.ErrNotFound) {
			t.Errorf("a notice read twice: %v", err)
		}
	})
}
