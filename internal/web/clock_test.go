package web

import (
	"testing"
	"time"
)

// Pages show instants as Oslo wall-clock time, summer time included: a
// timestamp at 22:30 UTC on a July evening is shown as 00.30 the next day.
func TestPagesShowOsloTime(t *testing.T) {
	date := funcs["date"].(func(any) string)
	datetime := funcs["datetime"].(func(time.Time) string)
	summerEvening := time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC)
	if got := datetime(summerEvening); got != "02.07.2026 kl. 00.30" {
		t.Errorf("datetime = %q, want 02.07.2026 kl. 00.30", got)
	}
	if got := date(summerEvening); got != "02.07.2026" {
		t.Errorf("date = %q, want 02.07.2026", got)
	}
	// A date column is read as midnight UTC and keeps its day.
	if got := date(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)); got != "01.07.2026" {
		t.Errorf("date of a date column = %q, want 01.07.2026", got)
	}
}
