package workday

import (
	"testing"
	"time"

	"husly/internal/caseflow"
	"husly/internal/deadline"
)

func TestWeekStartsOnMonday(t *testing.T) {
	for _, c := range []struct{ day, from, to deadline.Date }{
		{deadline.Of(2026, 12, 6), deadline.Of(2026, 11, 30), deadline.Of(2026, 12, 6)}, // a Sunday
		{deadline.Of(2026, 11, 30), deadline.Of(2026, 11, 30), deadline.Of(2026, 12, 6)},
		{deadline.Of(2027, 1, 1), deadline.Of(2026, 12, 28), deadline.Of(2027, 1, 3)}, // over the new year
	} {
		from, to := Week(c.day)
		if from != c.from || to != c.to || from.Weekday() != time.Monday {
			t.Errorf("Week(%s) = %s–%s, want %s–%s", c.day, from, to, c.from, c.to)
		}
	}
}

func TestWaited(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	days := func(ds ...int) []time.Time {
		var out []time.Time
		for _, d := range ds {
			out = append(out, now.Add(-time.Duration(d)*24*time.Hour))
		}
		return out
	}
	for _, c := range []struct {
		since              []time.Time
		n, median, longest int
	}{
		{nil, 0, 0, 0},
		{days(10), 1, 10, 10},
		{days(30, 10, 20), 3, 20, 30},
		{days(1, 2, 3, 40), 4, 2, 40},              // an even count: the mean of the middle two, in whole days
		{[]time.Time{now.Add(time.Hour)}, 1, 0, 0}, // a clock ahead never gives a negative wait
	} {
		n, median, longest := waited(c.since, now)
		if n != c.n || median != c.median || longest != c.longest {
			t.Errorf("waited(%v) = %d, %d, %d; want %d, %d, %d", c.since, n, median, longest, c.n, c.median, c.longest)
		}
	}
}

func TestFillMonthsGivesEveryMonth(t *testing.T) {
	start, today := monthsBack(deadline.Of(2026, 3, 1), 11), deadline.Of(2026, 3, 17)
	got := fillMonths([]Month{{"2025-05", 3}, {"2026-03", 2}, {"2026-01", 1}}, start, today)
	if len(got) != 12 || got[0].Month != "2025-04" || got[11].Month != "2026-03" {
		t.Fatalf("months: %v", got)
	}
	want := map[string]int{"2025-05": 3, "2026-01": 1, "2026-03": 2}
	for _, m := range got {
		if m.N != want[m.Month] {
			t.Errorf("%s: %d, want %d", m.Month, m.N, want[m.Month])
		}
	}
}

func TestParseScope(t *testing.T) {
	for in, want := range map[string]Scope{"": Mine, "mine": Mine, "enhet": Unit, "alle": Mine} {
		if got := ParseScope(in); got != want {
			t.Errorf("ParseScope(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNoticeOfEachKind(t *testing.T) {
	today := deadline.Of(2026, 12, 6)
	for _, c := range []struct {
		item     CaseItem
		kind     string
		overdue  bool
		promised deadline.Date
		sent     deadline.Date
	}{
		{CaseItem{Kind: KindDecision, Due: today.AddDays(-2)}, caseflow.NoticeDeadlinePassed, true, deadline.Date{}, deadline.Date{}},
		{CaseItem{Kind: KindDecision, Due: today.AddDays(3)}, caseflow.NoticeDeadlineSoon, false, deadline.Date{}, deadline.Date{}},
		{CaseItem{Kind: KindDecision, Due: today.AddDays(-1)}, caseflow.NoticePromisedPassed, true, today.AddDays(-1), today.AddDays(-20)},
		{CaseItem{Kind: KindProvisional, Due: today.AddDays(2)}, caseflow.NoticeDeadlineSoon, false, deadline.Date{}, deadline.Date{}},
		{CaseItem{Kind: KindProvisional, Due: today.AddDays(-2)}, caseflow.NoticeDeadlinePassed, true, deadline.Date{}, deadline.Date{}},
		{CaseItem{Kind: KindOffer, Due: today.AddDays(-1)}, caseflow.NoticeTaskOffer, true, deadline.Date{}, deadline.Date{}},
		{CaseItem{Kind: KindRequest, Due: today}, caseflow.NoticeTaskRequest, false, deadline.Date{}, deadline.Date{}},
		// An appeal: three weeks to reconsider (forvaltningsloven § 33), then four to send on.
		{CaseItem{Kind: KindAppeal, Due: today.AddDays(-22), Detail: string(caseflow.AppealReceived)}, caseflow.NoticeTaskAppeal, true, deadline.Date{}, deadline.Date{}},
		{CaseItem{Kind: KindAppeal, Due: today.AddDays(-22), Detail: string(caseflow.AppealUpheld)}, caseflow.NoticeTaskAppealForward, false, deadline.Date{}, deadline.Date{}},
	} {
		due := c.item.Due
		if !c.promised.IsZero() {
			due = today.AddDays(-10)
		}
		n, overdue := notice(c.item, c.sent, due, c.promised, today)
		if n.Kind != c.kind || overdue != c.overdue {
			t.Errorf("%+v: %s overdue=%t, want %s overdue=%t", c.item, n.Kind, overdue, c.kind, c.overdue)
		}
	}
}
