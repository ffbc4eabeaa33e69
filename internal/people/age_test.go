package people

import (
	"testing"
	"time"

	"husly/internal/deadline"
)

// Age counts on the Norwegian calendar: a summer evening after 22:00 UTC
// is already the next day in Oslo, and a leap day does not bring a
// birthday forward.
func TestAgeOnTheNorwegianDate(t *testing.T) {
	born := func(y int, m time.Month, d int) Person {
		return Person{BirthDate: deadline.Of(y, m, d)}
	}
	for _, tc := range []struct {
		p    Person
		at   time.Time
		want int
	}{
		{born(2000, 7, 2), time.Date(2026, 7, 1, 21, 30, 0, 0, time.UTC), 25}, // 23.30 on 1 July in Oslo
		{born(2000, 7, 2), time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC), 26}, // 00.30 on 2 July in Oslo
		{born(2001, 3, 1), time.Date(2004, 2, 29, 12, 0, 0, 0, time.UTC), 2},  // leap day: not yet 1 March
		{born(2001, 3, 1), time.Date(2004, 3, 1, 12, 0, 0, 0, time.UTC), 3},
		{born(2000, 2, 29), time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC), 25},
	} {
		if got := tc.p.Age(tc.at); got != tc.want {
			t.Errorf("born %s, at %s: age %d, want %d", tc.p.BirthDate, tc.at.Format(time.RFC3339), got, tc.want)
		}
	}
}
