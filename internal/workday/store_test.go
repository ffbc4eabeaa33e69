package workday_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/demo/demotest"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/workday"
)

func demoDB(t *testing.T, db *store.DB) {
	demotest.Seed(t, db, 1)
}

func actorOf(t *testing.T, db *store.DB, username string) access.Actor {
	t.Helper()
	u, err := org.UserByUsername(context.Background(), db, username)
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

// counting counts the statements db runs while fn runs.
func counting(db *store.DB, fn func()) int {
	var mu sync.Mutex
	n := 0
	db.Observe(func(string) { mu.Lock(); n++; mu.Unlock() })
	defer db.Observe(nil)
	fn()
	return n
}

func logged(t *testing.T, db *store.DB, a access.Actor) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM access_reads WHERE user_id = ?", a.UserID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The case worker's panels show only persons she may see, are logged as
// read, cost a fixed number of statements however many rows they show,
// and her unit's view holds her own.
func TestCaseWorkerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		demoDB(t, db)
		cw := actorOf(t, db, "demo-saksbehandler")
		today := deadline.On(time.Now())
		before := logged(t, db, cw)
		var mine workday.CaseWorkerDay
		statements := counting(db, func() {
			var err error
			if mine, err = workday.CaseWorker(ctx, db, cw, workday.Mine, today, access.ChannelPage); err != nil {
				t.Fatal(err)
			}
		})
		if statements > 12 {
			t.Errorf("the case worker's start page ran %d statements", statements)
		}
		if len(mine.Due) == 0 || len(mine.Provisional) == 0 {
			t.Fatalf("the demo case worker has no deadlines on her start page: %+v", mine)
		}
		shown := map[int64]bool{}
		for _, list := range [][]workday.CaseItem{mine.Due, mine.Unassigned, mine.Provisional, mine.Offers, mine.Appeals} {
			if len(list) > workday.PanelLimit {
				t.Errorf("a panel shows %d rows", len(list))
			}
			for i, c := range list {
				shown[c.PersonID] = true
				if _, err := access.Authorize(ctx, db, cw, c.PersonID); err != nil {
					t.Errorf("case %d: a person she may not see: %v", c.ApplicationID, err)
				}
				if i > 0 && c.Due.Before(list[i-1].Due) {
					t.Errorf("a panel out of date order: %s after %s", c.Due, list[i-1].Due)
				}
				if c.Overdue != c.Due.Before(today) && c.Kind != workday.KindAppeal {
					t.Errorf("case %d due %s: overdue %t", c.ApplicationID, c.Due, c.Overdue)
				}
			}
		}
		for _, c := range mine.Due {
			var worker int64
			if err := db.QueryRowContext(ctx, "SELECT COALESCE(case_worker_id, 0) FROM applications WHERE id = ?", c.ApplicationID).Scan(&worker); err != nil {
				t.Fatal(err)
			}
			if worker != cw.UserID {
				t.Errorf("case %d is another case worker's, on her own list", c.ApplicationID)
			}
		}
		if got := logged(t, db, cw) - before; got != len(shown) {
			t.Errorf("%d persons shown, %d access-log rows", len(shown), got)
		}
		unit, err := workday.CaseWorker(ctx, db, cw, workday.Unit, today, access.ChannelPage)
		if err != nil {
			t.Fatal(err)
		}
		if len(unit.Due) < min(len(mine.Due), workday.PanelLimit) {
			t.Errorf("the unit's deadlines (%d) are fewer than her own (%d)", len(unit.Due), len(mine.Due))
		}
		if _, err := workday.CaseWorker(ctx, db, actorOf(t, db, "demo-planlegger"), workday.Mine, today, access.ChannelPage); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a planner got the case worker's panels: %v", err)
		}
	})
}

func TestPropertyLeaderAndFollowUpDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		demoDB(t, db)
		today := deadline.On(time.Now())
		p, err := workday.Property(ctx, db, actorOf(t, db, "demo-eiendom"), today)
		if err != nil {
			t.Fatal(err)
		}
		var vacant int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM units WHERE status = 'ledig'").Scan(&vacant); err != nil {
			t.Fatal(err)
		}
		if p.Vacant != vacant || len(p.VacantUnits) != min(vacant, workday.PanelLimit) {
			t.Errorf("vacant: %d (%d listed), the table has %d", p.Vacant, len(p.VacantUnits), vacant)
		}
		if p.PeriodFrom.Weekday().String() != "Monday" || p.PeriodFrom.DaysUntil(p.PeriodTo) != 13 {
			t.Errorf("the period is %s–%s, not this week and next", p.PeriodFrom, p.PeriodTo)
		}
		for _, u := range append(p.MovesIn, p.MovesOut...) {
			if u.On.Before(p.PeriodFrom) || p.PeriodTo.Before(u.On) {
				t.Errorf("a move on %s outside %s–%s", u.On, p.PeriodFrom, p.PeriodTo)
			}
		}

		lead := actorOf(t, db, "demo-enhetsleder")
		l, err := workday.Leader(ctx, db, lead, today)
		if err != nil {
			t.Fatal(err)
		}
		// The leader's unit's cases, counted here another way: through the
		// same condition on each status.
		var open, waiting, received int
		unit := []any{lead.OrgUnitID, lead.OrgUnitID}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM applications a WHERE status NOT IN ('kontrakt', 'avslatt') AND "+caseflow.UnitCases, unit...).Scan(&open); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM applications a WHERE status IN ('innvilget', 'tilbud') AND "+caseflow.UnitCases, unit...).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM applications a WHERE received_on >= ? AND received_on <= ? AND "+caseflow.UnitCases,
			append([]any{l.Received[0].Month + "-01", today}, unit...)...).Scan(&received); err != nil {
			t.Fatal(err)
		}
		sum := 0
		for _, m := range l.Received {
			sum += m.N
		}
		if open == 0 || waiting == 0 {
			t.Fatalf("the demo leader's unit has no cases: open %d, waiting %d", open, waiting)
		}
		if l.Open != open || l.Waiting != waiting || len(l.Housed) != 12 || sum != received || l.WaitingLong < l.WaitingMedian || l.WaitingList[11].Waiting != l.Waiting {
			t.Errorf("figures: open %d (want %d), waiting %d (want %d), %d months, received %d (want %d), median %d, longest %d",
				l.Open, open, l.Waiting, waiting, len(l.Housed), sum, received, l.WaitingMedian, l.WaitingLong)
		}
		if _, err := workday.Leader(ctx, db, actorOf(t, db, "demo-saksbehandler"), today); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a case worker got the leader's figures: %v", err)
		}

		// The follow-up worker's notes: her own, newest first, a health
		// note's text only within her grant.
		fu := actorOf(t, db, "demo-oppfolging")
		f, err := workday.FollowUp(ctx, db, fu, access.ChannelPage)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Persons) == 0 {
			t.Fatal("the follow-up worker follows no one")
		}
		pid := f.Persons[0].ID
		g, err := access.Authorize(ctx, db, fu, pid)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := people.AddNote(ctx, db, fu, pid, access.FollowUpPlan, "Hjemmebesøk avtalt."); err != nil {
			t.Fatal(err)
		}
		f, err = workday.FollowUp(ctx, db, fu, access.ChannelPage)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Notes) == 0 || f.Notes[0].PersonID != pid || (f.Notes[0].Body != "") != g.Allows(access.FollowUpPlan) {
			t.Errorf("the follow-up worker's notes: %+v (grant %v)", f.Notes, g.Categories)
		}
	})
}

// The quick search finds a person by name, a case by number and a unit
// by code; it refuses a number search to a role without the category and
// finds no case of a person the searcher may not see.
func TestFind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		demoDB(t, db)
		cw := actorOf(t, db, "demo-saksbehandler")
		var app, pid int64
		var last, code string
		if err := db.QueryRowContext(ctx, `SELECT a.id, p.id, p.last_name FROM applications a JOIN persons p ON p.id = a.person_id
			WHERE a.case_worker_id = ? ORDER BY a.id LIMIT 1`, cw.UserID).Scan(&app, &pid, &last); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT code FROM units ORDER BY id LIMIT 1").Scan(&code); err != nil {
			t.Fatal(err)
		}
		f, err := workday.Find(ctx, db, cw, last, access.ChannelPage, workday.FindLimit)
		if err != nil || len(f.Persons) == 0 {
			t.Fatalf("by name %q: %v, %+v", last, err, f)
		}
		for _, q := range []string{strconv.FormatInt(app, 10), "#" + strconv.FormatInt(app, 10), "sak " + strconv.FormatInt(app, 10)} {
			f, err = workday.Find(ctx, db, cw, q, access.ChannelPage, workday.FindLimit)
			if err != nil || len(f.Cases) != 1 || f.Cases[0].PersonID != pid || len(f.Persons) != 0 {
				t.Errorf("by case number %q: %v, %+v", q, err, f)
			}
		}
		f, err = workday.Find(ctx, db, cw, code[:len(code)-1], access.ChannelPage, workday.FindLimit)
		if err != nil || len(f.Units) == 0 || len(f.Units) > workday.FindLimit {
			t.Errorf("by code prefix %q: %v, %d units", code[:len(code)-1], err, len(f.Units))
		}
		number := storetest.NumberOf(t, db, pid)
		if _, err := workday.Find(ctx, db, actorOf(t, db, "demo-eiendom"), number, access.ChannelPage, workday.FindLimit); !errors.Is(err, people.ErrNumberSearchForbidden) {
			t.Errorf("property staff searched by identity number: %v", err)
		}
		f, err = workday.Find(ctx, db, cw, number, access.ChannelPage, workday.FindLimit)
		if err != nil || len(f.Persons) != 1 || f.Persons[0].ID != pid {
			t.Errorf("by whole number: %v, %+v", err, f)
		}
		// A case of a person the follow-up team has no role with is not found.
		fu := actorOf(t, db, "demo-oppfolging")
		f, err = workday.Find(ctx, db, fu, strconv.FormatInt(app, 10), access.ChannelPage, workday.FindLimit)
		_, seeErr := access.Authorize(ctx, db, fu, pid)
		if err != nil || (len(f.Cases) == 1) != (seeErr == nil) {
			t.Errorf("the follow-up worker's case search: %v, %+v (may see: %v)", err, f, seeErr)
		}
		if _, err := workday.Find(ctx, db, actorOf(t, db, "demo-beboer"), last, access.ChannelPage, workday.FindLimit); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a resident used the staff search: %v", err)
		}
		long := make([]byte, workday.MaxQuery+1)
		for i := range long {
			long[i] = 'a'
		}
		if _, err := workday.Find(ctx, db, cw, string(long), access.ChannelPage, workday.FindLimit); err == nil {
			t.Error("a search of 101 characters was run")
		}
	})
}
