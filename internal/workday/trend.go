package workday

import (
	"sort"

	"husly/internal/deadline"
)

// CaseDates are the dates of one case that the leader's trends are drawn
// from. A zero date did not happen.
type CaseDates struct {
	Received deadline.Date
	// Granted is the first decision granting a home: the case is on the
	// waiting list from then (a decision is made even when no home is free,
	// DOMAIN §2.4).
	Granted deadline.Date
	// Allocated is when the applicant accepted a home: off the list.
	Allocated deadline.Date
	// Left is when a granted case left the list without a home (a new
	// assessment, a refusal on appeal).
	Left deadline.Date
}

// WaitMonth is the waiting list at the end of one month (today for the
// month in progress).
type WaitMonth struct {
	Month string `json:"month"` // "2026-04"
	// Waiting is the number on the list, and MedianDays the median of
	// their days since the application was received.
	Waiting    int `json:"waiting"`
	MedianDays int `json:"median_days"`
	// Housed is the number allocated a home in the month, and
	// DaysToHome the median of their days from application to allocation
	// (0 when none was housed).
	Housed     int `json:"housed"`
	DaysToHome int `json:"median_days_to_home"`
}

// waitingOn reports whether c is on the waiting list at the end of day.
func (c CaseDates) waitingOn(day deadline.Date) bool {
	if c.Granted.IsZero() || day.Before(c.Granted) {
		return false
	}
	for _, off := range []deadline.Date{c.Allocated, c.Left} {
		if !off.IsZero() && !day.Before(off) {
			return false
		}
	}
	return true
}

// WaitingList lays the cases over every month from start (a first of the
// month) to today: the list at each month's end and the homes allocated
// in it, with their median days. Pure: the dates are the caller's.
func WaitingList(cases []CaseDates, start, today deadline.Date) []WaitMonth {
	var out []WaitMonth
	for first := start; !today.Before(first); first = monthsBack(first, -1) {
		end := monthsBack(first, -1).AddDays(-1)
		if today.Before(end) {
			end = today
		}
		m := WaitMonth{Month: first.String()[:7]}
		var waited, toHome []int
		for _, c := range cases {
			if c.waitingOn(end) {
				waited = append(waited, c.Received.DaysUntil(end))
			}
			if !c.Allocated.IsZero() && !c.Allocated.Before(first) && !end.Before(c.Allocated) {
				toHome = append(toHome, c.Received.DaysUntil(c.Allocated))
			}
		}
		m.Waiting, m.MedianDays, _ = spread(waited)
		m.Housed, m.DaysToHome, _ = spread(toHome)
		out = append(out, m)
	}
	return out
}

// spread is the count, the median and the largest of days (never below 0).
func spread(days []int) (n, median, longest int) {
	if len(days) == 0 {
		return 0, 0, 0
	}
	d := make([]int, len(days))
	for i, x := range days {
		d[i] = max(0, x)
	}
	sort.Ints(d)
	mid := len(d) / 2
	median = d[mid]
	if len(d)%2 == 0 {
		median = (d[mid-1] + d[mid]) / 2
	}
	return len(d), median, d[len(d)-1]
}
