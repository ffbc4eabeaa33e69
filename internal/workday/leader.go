package workday

import (
	"context"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/store"
)

// Month is one month's figure in a trend.
type Month struct {
	Month string `json:"month"` // "2026-04"
	N     int    `json:"n"`
}

// LeaderDay is the unit leader's start page: the key figures with their
// trends, for the leader's unit (planners and supervisors: the
// municipality). Numbers only, no personal data.
type LeaderDay struct {
	// Unit names the unit the figures are for; empty for the municipality.
	Unit string `json:"unit,omitempty"`
	// Waiting is the waiting list today: granted cases without a home yet,
	// and how long they have waited since applying (median and longest,
	// in days).
	Waiting       int `json:"waiting_list"`
	WaitingMedian int `json:"waiting_median_days"`
	WaitingLong   int `json:"waiting_longest_days"`
	// HousedThisYear is the cases allocated a home this calendar year.
	HousedThisYear int `json:"housed_this_year"`
	// Housed and Received are the last twelve months' cases allocated a
	// home and applications received, oldest first.
	Housed   []Month `json:"housed_by_month"`
	Received []Month `json:"received_by_month"`
	// WaitingList is the waiting list and the waiting time at each of the
	// last twelve months' end, oldest first.
	WaitingList []WaitMonth `json:"waiting_by_month"`
	// Phases are the open cases by phase, with the overdue.
	Phases  []caseflow.Phase `json:"open_by_phase"`
	Open    int              `json:"open"`
	Overdue int              `json:"overdue"`
	// BreakGlass is the emergency accesses waiting for this leader's review.
	BreakGlass int `json:"break_glass_to_review"`
}

// trendMonths is how many months a trend shows.
const trendMonths = 12

// Leader reads the unit leader's start page (planners and auditors see
// the municipality's figures: they are counts).
func Leader(ctx context.Context, q store.Queryer, a access.Actor, today deadline.Date) (LeaderDay, error) {
	var d LeaderDay
	var err error
	if d.Phases, err = caseflow.Overview(ctx, q, a, today); err != nil {
		return d, err
	}
	for _, p := range d.Phases {
		d.Open += p.Count
		d.Overdue += p.Overdue
	}
	if a.Role == access.UnitLeader {
		d.Unit = a.OrgUnitName
	}
	first := deadline.Of(today.Year, today.Month, 1)
	start := monthsBack(first, trendMonths-1)
	cases, err := caseDates(ctx, q, a, start, today)
	if err != nil {
		return d, err
	}
	d.WaitingList = WaitingList(cases, start, today)
	var waited []int
	received := map[string]int{}
	for _, c := range cases {
		if c.waitingOn(today) {
			waited = append(waited, c.Received.DaysUntil(today))
		}
		if !c.Received.Before(start) {
			received[c.Received.String()[:7]]++
		}
	}
	d.Waiting, d.WaitingMedian, d.WaitingLong = spread(waited)
	year := first.String()[:4]
	for _, m := range d.WaitingList {
		d.Housed = append(d.Housed, Month{Month: m.Month, N: m.Housed})
		d.Received = append(d.Received, Month{Month: m.Month, N: received[m.Month]})
		if m.Month[:4] == year {
			d.HousedThisYear += m.Housed
		}
	}
	if a.Role == access.UnitLeader {
		err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM break_glass b WHERE b.municipality_id = ? AND b.review_unit_id = ?
			AND b.reviewed_at IS NULL AND b.user_id <> ?`, a.MunicipalityID, a.OrgUnitID, a.UserID).Scan(&d.BreakGlass)
	}
	return d, err
}

// caseDates reads, in one statement, the dates of the cases in the
// leader's scope that the trends from start need: those received since,
// and those granted earlier and not housed before start.
func caseDates(ctx context.Context, q store.Queryer, a access.Actor, start, today deadline.Date) ([]CaseDates, error) {
	scope, args := caseflow.LeaderScope(a)
	rows, err := q.QueryContext(ctx, `SELECT x.received_on, x.granted_on, x.allocated_on, x.status, x.since FROM (
		SELECT a.received_on, a.status, COALESCE(a.phase_since, a.created_at) AS since,
			(SELECT MIN(d.decided_on) FROM decisions d WHERE d.application_id = a.id AND d.outcome = 'innvilget') AS granted_on,
			(SELECT MIN(o.responded_on) FROM offers o WHERE o.application_id = a.id AND o.status = 'akseptert') AS allocated_on
		FROM applications a WHERE a.municipality_id = ? AND a.received_on <= ?`+scope+`) x
		WHERE x.received_on >= ? OR (x.granted_on IS NOT NULL AND (x.allocated_on IS NULL OR x.allocated_on >= ?))`,
		append(append([]any{a.MunicipalityID, today}, args...), start, start)...)
	return store.Collect(rows, err, func(s store.Scanner) (c CaseDates, err error) {
		var status caseflow.Status
		var since time.Time
		if err = s.Scan(&c.Received, &c.Granted, &c.Allocated, &status, store.ScanTime(&since)); err != nil {
			return c, err
		}
		// A granted case no longer waiting and never housed left the list
		// when it entered its present phase.
		if !c.Granted.IsZero() && c.Allocated.IsZero() && status != caseflow.StatusGranted && status != caseflow.StatusOffered {
			c.Left = deadline.On(since)
		}
		return c, nil
	})
}

// monthsBack is the first of the month n months before first.
func monthsBack(first deadline.Date, n int) deadline.Date {
	t := time.Date(first.Year, first.Month, 1, 12, 0, 0, 0, time.UTC).AddDate(0, -n, 0)
	return deadline.Of(t.Year(), t.Month(), 1)
}
