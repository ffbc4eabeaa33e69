package workday

import (
	"context"
	"sort"
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
// trends. Numbers only, no personal data.
type LeaderDay struct {
	// Waiting is the waiting list: granted applications without a unit
	// yet, and how long they have waited (median and longest, in days).
	Waiting       int `json:"waiting_list"`
	WaitingMedian int `json:"waiting_median_days"`
	WaitingLong   int `json:"waiting_longest_days"`
	// HousedThisYear is the tenancies started this calendar year.
	HousedThisYear int `json:"housed_this_year"`
	// Housed and Received are the last twelve months' tenancies started
	// and applications received, oldest first.
	Housed   []Month `json:"housed_by_month"`
	Received []Month `json:"received_by_month"`
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
// the same figures: they are counts).
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
	// The waiting list read from the open-cases index's range for one status.
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(a.phase_since, a.created_at) FROM applications a
		WHERE a.municipality_id = ? AND a.status = ?`, a.MunicipalityID, caseflow.StatusGranted)
	since, err := store.Collect(rows, err, func(s store.Scanner) (t time.Time, err error) {
		err = s.Scan(store.ScanTime(&t))
		return t, err
	})
	if err != nil {
		return d, err
	}
	d.Waiting, d.WaitingMedian, d.WaitingLong = waited(since, time.Now())
	first := deadline.Of(today.Year, today.Month, 1)
	start := monthsBack(first, trendMonths-1)
	if d.Housed, err = byMonth(ctx, q, "leases", "start_date", a.MunicipalityID, start, today); err != nil {
		return d, err
	}
	if d.Received, err = byMonth(ctx, q, "applications", "received_on", a.MunicipalityID, start, today); err != nil {
		return d, err
	}
	year := first.String()[:4]
	for _, m := range d.Housed {
		if m.Month[:4] == year {
			d.HousedThisYear += m.N
		}
	}
	if a.Role == access.UnitLeader {
		err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM break_glass b WHERE b.municipality_id = ? AND b.review_unit_id = ?
			AND b.reviewed_at IS NULL AND b.user_id <> ?`, a.MunicipalityID, a.OrgUnitID, a.UserID).Scan(&d.BreakGlass)
	}
	return d, err
}

// waited is the number waiting, the median and the longest wait in whole
// days, from when each started waiting.
func waited(since []time.Time, now time.Time) (n, median, longest int) {
	if len(since) == 0 {
		return 0, 0, 0
	}
	days := make([]int, len(since))
	for i, t := range since {
		days[i] = max(0, int(now.Sub(t).Hours()/24))
	}
	sort.Ints(days)
	mid := len(days) / 2
	median = days[mid]
	if len(days)%2 == 0 {
		median = (days[mid-1] + days[mid]) / 2
	}
	return len(days), median, days[len(days)-1]
}

// monthsBack is the first of the month n months before first.
func monthsBack(first deadline.Date, n int) deadline.Date {
	t := time.Date(first.Year, first.Month, 1, 12, 0, 0, 0, time.UTC).AddDate(0, -n, 0)
	return deadline.Of(t.Year(), t.Month(), 1)
}

// byMonth counts a table's rows by the month of a date column from start
// to today, every month present (a month with none counts 0).
func byMonth(ctx context.Context, q store.Queryer, table, col string, municipalityID int64, start, today deadline.Date) ([]Month, error) {
	m := monthOf(q, "t."+col)
	rows, err := q.QueryContext(ctx, "SELECT "+m+", COUNT(*) FROM "+table+" t WHERE t.municipality_id = ? AND t."+col+" >= ? AND t."+col+" <= ? GROUP BY "+m,
		municipalityID, start, today)
	got, err := store.Collect(rows, err, func(s store.Scanner) (x Month, err error) {
		err = s.Scan(&x.Month, &x.N)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	return fillMonths(got, start, today), nil
}

// fillMonths lays counts over every month from start to today.
func fillMonths(got []Month, start, today deadline.Date) []Month {
	n := map[string]int{}
	for _, x := range got {
		n[x.Month] += x.N
	}
	var out []Month
	for d := start; !today.Before(d); d = monthsBack(d, -1) {
		key := d.String()[:7]
		out = append(out, Month{Month: key, N: n[key]})
	}
	return out
}
