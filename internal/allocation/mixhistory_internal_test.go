package allocation

import (
	"testing"
	"time"
)

// TestMixOn counts a building's residents on a day from the leases' and
// the follow-up roles' periods: an ended lease or role no longer counts.
func TestMixOn(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	ts := []tenancy{
		{lease: period{day(1, 1), time.Time{}}, high: []period{{day(1, 1), time.Time{}}}, rop: []period{{day(1, 1), time.Time{}}}},
		{lease: period{day(1, 1), day(6, 1)}, high: []period{{day(3, 1), time.Time{}}}},
		{lease: period{day(2, 1), time.Time{}}, high: []period{{day(2, 1), day(4, 1)}}, rop: []period{{day(2, 1), day(4, 1)}}},
		{lease: period{day(9, 1), time.Time{}}},
	}
	for _, c := range []struct {
		on   time.Time
		want Mix
	}{
		{day(1, 15), Mix{Residents: 2, HighNeed: 1, ROP: 1}},
		{day(3, 15), Mix{Residents: 3, HighNeed: 3, ROP: 2}},
		{day(5, 1), Mix{Residents: 3, HighNeed: 2, ROP: 1}},
		{day(6, 1), Mix{Residents: 2, HighNeed: 1, ROP: 1}},
		{day(10, 1), Mix{Residents: 3, HighNeed: 1, ROP: 1}},
		{day(12, 31).AddDate(-1, 0, 0), Mix{}},
	} {
		if got := mixOn(ts, c.on); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.on.Format(time.DateOnly), got, c.want)
		}
	}
}
