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

func TestSpread(t *testing.T) {
	for _, c := range []struct {
		days               []int
		n, median, longest int
	}{
		{nil, 0, 0, 0},
		{[]int{10}, 1, 10, 10},
		{[]int{30, 10, 20}, 3, 20, 30},
		{[]int{1, 2, 3, 40}, 4, 2, 40}, // an even count: the mean of the middle two, in whole days
		{[]int{-1}, 1, 0, 0},           // a date ahead never gives a negative wait
	} {
		n, median, longest := spread(c.days)
		if n != c.n || median != c.median || longest != c.longest {
			t.Errorf("spread(%v) = %d, %d, %d; want %d, %d, %d", c.days, n, median, longest, c.n, c.median, c.longest)
		}
	}
}

// The waiting list at each month's end: on it from the grant, off it on
// allocation or on leaving, the wait counted from the application.
func TestWaitingList(t *testing.T) {
	d := deadline.Of
	start, today := monthsBack(d(2026, 3, 1), 11), d(2026, 3, 17)
	cases := []CaseDates{
		// Granted before the window, housed in February: waited 300 days.
		{Received: d(2025, 4, 20), Granted: d(2025, 5, 1), Allocated: d(2026, 2, 14)},
		// Granted in January, still waiting.
		{Received: d(2025, 12, 1), Granted: d(2026, 1, 10)},
		// Granted in January, left the list in February without a home.
		{Received: d(2026, 1, 2), Granted: d(2026, 1, 12), Left: d(2026, 2, 3)},
		// Never granted: never on the list.
		{Received: d(2026, 2, 1)},
		// Granted and housed within March.
		{Received: d(2026, 2, 20), Granted: d(2026, 3, 2), Allocated: d(2026, 3, 10)},
	}
	got := WaitingList(cases, start, today)
	if len(got) != 12 || got[0].Month != "2025-04" || got[11].Month != "2026-03" {
		t.Fatalf("months: %+v", got)
	}
	want := map[string]WaitMonth{
		"2025-04": {Month: "2025-04"},
		"2025-05": {Month: "2025-05", Waiting: 1, MedianDays: 41},
		// 2025-04-20 to 2026-01-31 is 286 days; 2025-12-01 to 2026-01-31 is 61; 2026-01-02 to 2026-01-31 is 29.
		"2026-01": {Month: "2026-01", Waiting: 3, MedianDays: 61},
		// The first is housed on 14 February after 300 days; the third has left.
		"2026-02": {Month: "2026-02", Waiting: 1, MedianDays: 89, Housed: 1, DaysToHome: 300},
		// March ends today, the 17th: 106 days for the one still waiting.
		"2026-03": {Month: "2026-03", Waiting: 1, MedianDays: 106, Housed: 1, DaysToHome: 18},
	}
	for _, m := range got {
		if w, ok := want[m.Month]; ok && m != w {
			t.Errorf("%s: %+v, want %+v", m.Month, m, w)
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
