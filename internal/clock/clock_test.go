package clock

import (
	"testing"
	"time"
)

// Norway keeps summer time (UTC+2) from the last Sunday in March to the last
// Sunday in October; a fixed CET (UTC+1) would put 22:00–23:00 UTC on the
// previous day.
func TestSummerEveningIsNextDayInOslo(t *testing.T) {
	for _, tc := range []struct {
		utc  time.Time
		want string
	}{
		{time.Date(2026, 7, 1, 22, 0, 0, 0, time.UTC), "2026-07-02 00:00"},
		{time.Date(2026, 7, 1, 22, 59, 0, 0, time.UTC), "2026-07-02 00:59"},
		{time.Date(2026, 3, 29, 22, 30, 0, 0, time.UTC), "2026-03-30 00:30"},  // first night of summer time
		{time.Date(2026, 10, 24, 22, 30, 0, 0, time.UTC), "2026-10-25 00:30"}, // last night of summer time
		{time.Date(2026, 10, 25, 22, 30, 0, 0, time.UTC), "2026-10-25 23:30"}, // winter time again
		{time.Date(2026, 1, 15, 22, 30, 0, 0, time.UTC), "2026-01-15 23:30"},
	} {
		if got := InOslo(tc.utc).Format("2006-01-02 15:04"); got != tc.want {
			t.Errorf("%s in Oslo = %s, want %s", tc.utc.Format(time.RFC3339), got, tc.want)
		}
	}
	if Oslo.String() != "Europe/Oslo" {
		t.Errorf("Oslo is %q, want Europe/Oslo", Oslo)
	}
}
