package movingon_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/movingon"
	"husly/internal/movingon/movingontest"
	"husly/internal/risk"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// The move decision during the lease on both engines: refused input
// stores nothing, an open-ended lease is accepted, a second open move
// decision on the lease is refused, a move is no renewal decision for the
// risk list, the appeal deadline runs from the letter's notification, a
// late appeal is received and marked late, and the appeal's steps reverse
// or keep the decision.
func TestMoveDecisionOnBothEngines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := movingontest.Build(t, db, 20)
		today := deadline.On(time.Now())
		mid := f.Tenant.MunicipalityID
		count := func(table string) int {
			var n int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE municipality_id = ?", mid).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		type tenancy struct {
			lease, person int64
			end           deadline.Date
		}
		rows, err := db.QueryContext(ctx, `SELECT l.id, lt.person_id, l.end_date FROM leases l JOIN lease_tenants lt ON lt.lease_id = l.id
			WHERE l.municipality_id = ? AND NOT EXISTS (SELECT 1 FROM renewal_decisions r WHERE r.lease_id = l.id) ORDER BY l.end_date`, mid)
		all, err := store.Collect(rows, err, func(s store.Scanner) (x tenancy, err error) { return x, s.Scan(&x.lease, &x.person, &x.end) })
		if err != nil || len(all) < 4 {
			t.Fatalf("%d tenancies: %v", len(all), err)
		}
		soon, open, late := all[0], all[len(all)-1], all[len(all)-2]
		// The last lease becomes open-ended: no end, still active.
		if _, err := db.ExecContext(ctx, "UPDATE leases SET end_date = NULL WHERE id = ?", open.lease); err != nil {
			t.Fatal(err)
		}
		move := func(a access.Actor, in movingon.MoveInput) (movingon.Renewal, error) {
			var r movingon.Renewal
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				r, err = movingon.RecordMove(ctx, tx, a, in, today)
				return err
			})
			return r, err
		}
		good := movingon.MoveInput{LeaseID: open.lease, PersonID: open.person, Outcome: movingon.MoreSupport, Reason: "Beboeren trenger tett oppfølging hele døgnet etter flere innleggelser.",
			Offered: "Bofellesskap med personale, Furuveien 3", MoveOn: today.AddDays(30)}
		decisions, audits := count("renewal_decisions"), count("audit_log")
		for name, in := range map[string]movingon.MoveInput{
			"no reason":       func() movingon.MoveInput { x := good; x.Reason = "  "; return x }(),
			"nothing offered": func() movingon.MoveInput { x := good; x.Offered = ""; return x }(),
			"no move date":    func() movingon.MoveInput { x := good; x.MoveOn = deadline.Date{}; return x }(),
			"move before": func() movingon.MoveInput {
				x := good
				x.Decided = today.AddDays(-3)
				x.MoveOn = today.AddDays(-4)
				return x
			}(),
			"decided in future": func() movingon.MoveInput {
				x := good
				x.Decided = today.AddDays(2)
				x.MoveOn = today.AddDays(9)
				return x
			}(),
			"a renewal is no move": func() movingon.MoveInput { x := good; x.Outcome = movingon.Renew; return x }(),
		} {
			if _, err := move(f.Property, in); !isInvalid(err) {
				t.Errorf("%s: %v", name, err)
			}
		}
		// The follow-up team advises; it does not decide.
		if _, err := move(f.FollowUp, good); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("the follow-up team made a move decision: %v", err)
		}
		// Another person's lease is not theirs to move from.
		if _, err := move(f.Property, movingon.MoveInput{LeaseID: open.lease, PersonID: soon.person, Outcome: movingon.MoreSupport, Reason: "x", Offered: "y", MoveOn: today}); !errors.Is(err, movingon.ErrNotFound) {
			t.Errorf("a move from another's lease: %v", err)
		}
		if n, a := count("renewal_decisions"), count("audit_log"); n != decisions || a != audits {
			t.Fatalf("refused input stored something: %d→%d decisions, %d→%d audit entries", decisions, n, audits, a)
		}
		r, err := move(f.Property, good)
		if err != nil {
			t.Fatalf("a move from an open-ended lease: %v", err)
		}
		if r.Kind != movingon.DuringLease || !r.LeaseEnd.IsZero() || r.MoveOn != good.MoveOn || r.Decided != today {
			t.Errorf("the move decision: %+v", r)
		}
		if count("audit_log") != audits+1 {
			t.Error("the move decision has no audit entry")
		}
		if _, err := move(f.Property, good); !isInvalid(err) || !strings.Contains(err.Error(), "allerede et vedtak om flytting") {
			t.Errorf("a second open move decision: %v", err)
		}
		// A move during a time-limited lease ending soon is no renewal
		// decision: the lease stays on the risk list.
		if _, err := move(f.Property, movingon.MoveInput{LeaseID: soon.lease, PersonID: soon.person, Outcome: movingon.ToOrdinary, Reason: "Startlån innvilget.",
			Offered: "Egen leilighet", MoveOn: today.AddDays(10)}); err != nil {
			t.Fatal(err)
		}
		signals, err := risk.Collect(ctx, db, risk.Query{Municipality: mid, Today: today, PersonID: soon.person})
		if err != nil {
			t.Fatal(err)
		}
		ending := false
		for _, s := range signals {
			ending = ending || s.Kind == risk.LeaseEnding && s.LeaseID == soon.lease
		}
		if !ending && soon.end.Before(today.AddDays(movingon.EndingWithinDays)) {
			t.Error("a move decision took the lease off the list of leases ending without a renewal decision")
		}

		// The letter sent by paper post: the deadline runs from arrival.
		practice, err := caseflow.LoadPractice(ctx, db, mid)
		if err != nil {
			t.Fatal(err)
		}
		notify := func(id int64, in movingon.NotifyInput) (movingon.Renewal, error) {
			var x movingon.Renewal
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				x, err = movingon.RecordNotified(ctx, tx, f.Property, id, in, today)
				return err
			})
			return x, err
		}
		if _, err := notify(r.ID, movingon.NotifyInput{Channel: caseflow.ChannelPaper, SentOn: today.AddDays(1)}); !isInvalid(err) {
			t.Errorf("a letter sent tomorrow: %v", err)
		}
		if _, err := notify(r.ID, movingon.NotifyInput{Channel: "brevdue"}); !isInvalid(err) {
			t.Errorf("an unknown channel: %v", err)
		}
		n, err := notify(r.ID, movingon.NotifyInput{Channel: caseflow.ChannelPaper})
		if err != nil {
			t.Fatal(err)
		}
		wantNotified := today.AddDays(practice.PaperPostDays)
		if n.NotifiedOn != wantNotified || n.AppealDue != caseflow.AppealDueFrom(wantNotified, practice.AppealWeeks) || n.NotifiedVia != caseflow.ChannelPaper {
			t.Errorf("notified %s, due %s; want %s and %s", n.NotifiedOn, n.AppealDue, wantNotified, caseflow.AppealDueFrom(wantNotified, practice.AppealWeeks))
		}
		// Handed over the same day: the earlier arrival counts.
		n, err = notify(r.ID, movingon.NotifyInput{Channel: caseflow.ChannelHanded})
		if err != nil || n.NotifiedOn != today || n.AppealDue != caseflow.AppealDueFrom(today, practice.AppealWeeks) {
			t.Errorf("handed over: %+v %v", n, err)
		}

		// The resident appeals from Min side, within the deadline.
		var uid int64
		if uid, err = store.InsertID(ctx, db, "INSERT INTO users (municipality_id, person_id, username, full_name, role, created_at) VALUES (?, ?, 'beboer-flytt', 'Beboer Flytt', 'beboer', ?)",
			mid, open.person, store.TimeArg(time.Now())); err != nil {
			t.Fatal(err)
		}
		resident := access.Actor{UserID: uid, MunicipalityID: mid, Username: "beboer-flytt", Name: "Beboer Flytt", Role: access.Resident, PersonID: open.person}
		appeal := func(a access.Actor, id int64, in movingon.AppealInput) (movingon.Appeal, error) {
			var x movingon.Appeal
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				x, err = movingon.RegisterAppeal(ctx, tx, a, id, in, today)
				return err
			})
			return x, err
		}
		appeals := count("renewal_appeals")
		if _, err := appeal(resident, r.ID, movingon.AppealInput{Grounds: " "}); !isInvalid(err) || count("renewal_appeals") != appeals {
			t.Errorf("an appeal without grounds: %v", err)
		}
		other := access.Actor{UserID: uid, MunicipalityID: mid, Role: access.Resident, PersonID: soon.person}
		if _, err := appeal(other, r.ID, movingon.AppealInput{Grounds: "Jeg vil ikke."}); !errors.Is(err, movingon.ErrNotFound) {
			t.Errorf("another resident appealed the decision: %v", err)
		}
		x, err := appeal(resident, r.ID, movingon.AppealInput{Grounds: "Jeg vil bo der jeg bor, og klarer meg med oppfølgingen jeg har."})
		if err != nil {
			t.Fatal(err)
		}
		if x.Late || !x.ByResident || x.ReceivedOn != today || x.AppealDue != n.AppealDue || x.Status != movingon.AppealReceived {
			t.Errorf("the resident's appeal: %+v", x)
		}
		if _, err := appeal(resident, r.ID, movingon.AppealInput{Grounds: "Igjen."}); !isInvalid(err) {
			t.Errorf("a second appeal while the first is open: %v", err)
		}
		// The unit upholds it: sent to Statsforvalteren, who quashes it.
		step := func(id int64, in movingon.AppealStepInput) (movingon.Appeal, error) {
			var out movingon.Appeal
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				out, err = movingon.AdvanceAppeal(ctx, tx, f.Property, id, in, today)
				return err
			})
			return out, err
		}
		if _, err := step(x.ID, movingon.AppealStepInput{Outcome: movingon.AppealQuashed}); !isInvalid(err) {
			t.Errorf("an outcome before the unit's review: %v", err)
		}
		if _, err := step(x.ID, movingon.AppealStepInput{Reconsideration: movingon.Uphold}); !isInvalid(err) {
			t.Errorf("a review without an assessment: %v", err)
		}
		if y, err := step(x.ID, movingon.AppealStepInput{Reconsideration: movingon.Uphold, Note: "Behovet for døgnbemanning er dokumentert."}); err != nil || y.Status != movingon.AppealForwarded || y.ForwardedOn != today {
			t.Fatalf("upheld: %+v %v", y, err)
		}
		if y, err := step(x.ID, movingon.AppealStepInput{Outcome: movingon.AppealQuashed, Note: "Saken var ikke godt nok opplyst."}); err != nil || y.Status != movingon.AppealDecided {
			t.Fatalf("quashed: %+v %v", y, err)
		}
		mine, err := movingon.Mine(ctx, access.NewReader(db, resident, access.ChannelPage))
		if err != nil || len(mine) != 1 {
			t.Fatalf("the resident's decisions: %d %v", len(mine), err)
		}
		if v := mine[0].Value(); v.Stands || len(v.Appeals) != 1 || v.CanAppeal() {
			t.Errorf("a quashed decision: %+v", v)
		}
		// Quashed, it no longer stands: a new move decision may be made.
		good.Reason = "Saken er nå opplyst: beboeren og legen er enige om at beboeren trenger døgnbemanning."
		if _, err := move(f.Property, good); err != nil {
			t.Errorf("a new move decision after the first was quashed: %v", err)
		}

		// A decision notified long ago: the appeal is late, and received.
		old, err := move(f.Property, movingon.MoveInput{LeaseID: late.lease, PersonID: late.person, Outcome: movingon.ToOrdinary, Reason: "Beboeren har fått fast jobb.",
			Offered: "Leilighet på det private markedet med depositumsgaranti", MoveOn: today, Decided: today.AddDays(-60)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := notify(old.ID, movingon.NotifyInput{Channel: caseflow.ChannelDigital, SentOn: today.AddDays(-59)}); err != nil {
			t.Fatal(err)
		}
		y, err := appeal(f.Property, old.ID, movingon.AppealInput{Grounds: "Klagen kom i posten.", ReceivedOn: today.AddDays(-1)})
		if err != nil {
			t.Fatalf("a late appeal was refused: %v", err)
		}
		if !y.Late || y.ByResident || y.AppealDue != caseflow.AppealDueFrom(today.AddDays(-59), practice.AppealWeeks) {
			t.Errorf("the late appeal: %+v", y)
		}
		var late1 bool
		if err := db.QueryRowContext(ctx, "SELECT late FROM renewal_appeals WHERE id = ?", y.ID).Scan(&late1); err != nil || !late1 {
			t.Errorf("the late appeal is stored as late=%v: %v", late1, err)
		}
		// The unit reverses it: the decision no longer stands.
		if _, err := step(y.ID, movingon.AppealStepInput{Reconsideration: movingon.Reverse, Note: "Jobben var midlertidig."}); err != nil {
			t.Fatal(err)
		}
		d, err := movingon.ReadDecision(ctx, access.NewReader(db, f.Property, access.ChannelAPI), old.ID)
		if err != nil || d.Value().Stands {
			t.Errorf("a reversed decision still stands: %+v %v", d.Value(), err)
		}
	})
}

func isInvalid(err error) bool { return len(invalid.Problems(err)) > 0 }
