package deadline

import (
	"testing"
	"time"
)

func TestEaster(t *testing.T) {
	for year, want := range map[int]string{
		1818: "1818-03-22", // the earliest possible
		1943: "1943-04-25", // the latest possible
		2000: "2000-04-23", 2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20",
		2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25", 2285: "2285-03-22",
	} {
		if got := Easter(year).String(); got != want {
			t.Errorf("Easter(%d) = %s, want %s", year, got, want)
		}
	}
}

func TestHolidays2026(t *testing.T) {
	want := map[string]string{
		"2026-01-01": "Første nyttårsdag", "2026-04-02": "Skjærtorsdag", "2026-04-03": "Langfredag",
		"2026-04-05": "Første påskedag", "2026-04-06": "Andre påskedag", "2026-05-01": "Offentlig høytidsdag",
		"2026-05-14": "Kristi himmelfartsdag", "2026-05-17": "Grunnlovsdag", "2026-05-24": "Første pinsedag",
		"2026-05-25": "Andre pinsedag", "2026-12-25": "Første juledag", "2026-12-26": "Andre juledag",
	}
	hs := Holidays(2026)
	if len(hs) != len(want) {
		t.Fatalf("%d holidays", len(hs))
	}
	for _, h := range hs {
		if want[h.Date.String()] != h.Name {
			t.Errorf("%s %s not expected", h.Date, h.Name)
		}
	}
	// Christmas Eve and New Year's Eve are working days in law.
	for _, d := range []string{"2026-12-24", "2026-12-31"} {
		if day, _ := Parse(d); !IsWorkingDay(day) {
			t.Errorf("%s is a working day in law", d)
		}
	}
}

func TestDue(t *testing.T) {
	tests := []struct {
		event  string
		period Period
		want   string
		why    string
	}{
		{"2026-11-22", DecisionTime, "2026-12-22", "a Sunday receipt, a Tuesday month later"},
		{"2026-12-04", AppealTime, "2026-12-28", "Christmas Day, Boxing Day and a Sunday pass"},
		{"2026-01-31", DecisionTime, "2026-03-02", "no 31 February: Saturday 28 February moves to Monday"},
		{"2024-01-31", DecisionTime, "2024-02-29", "a leap year has 29 February, a Thursday"},
		{"2026-03-12", AppealTime, "2026-04-07", "Maundy Thursday to Easter Monday pass"},
		{"2026-04-24", AppealTime, "2026-05-15", "Friday 15 May: Ascension is the 14th"},
		{"2026-05-04", AppealTime, "2026-05-26", "Whit Monday 25 May passes"},
		{"2026-04-17", Period{1, Months}, "2026-05-18", "17 May is a Sunday and a holiday"},
		{"2026-11-20", InterimServices, "2026-12-04", "14 days after a Friday is a Friday"},
		{"2026-12-30", Period{2, Days}, "2027-01-04", "New Year's Day, then a weekend"},
		{"2026-03-31", Period{1, Months}, "2026-04-30", "31 March + 1 month is 30 April"},
		{"2026-08-31", Period{6, Months}, "2027-03-01", "28 February 2027 is a Sunday"},
	}
	for _, tc := range tests {
		event, _ := Parse(tc.event)
		if got := Due(event, tc.period).String(); got != tc.want {
			t.Errorf("%s + %s = %s, want %s (%s)", tc.event, tc.period, got, tc.want, tc.why)
		}
	}
}

func TestOnUsesOsloTime(t *testing.T) {
	// 23:30 UTC on 31 December is already New Year's Day in Oslo.
	if got := On(time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)); got != Of(2027, 1, 1) {
		t.Fatalf("On = %s", got)
	}
	// In summer Oslo is UTC+2: 22:00–23:00 UTC is already the next day
	// (a fixed CET offset would give the day before).
	for _, utc := range []time.Time{time.Date(2026, 7, 1, 22, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 22, 59, 59, 0, time.UTC)} {
		if got := On(utc); got != Of(2026, 7, 2) {
			t.Errorf("On(%s) = %s, want 2026-07-02", utc.Format(time.RFC3339), got)
		}
	}
	// A statutory deadline counted from such an evening starts from the Oslo day.
	if got := Due(On(time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC)), Period{1, Weeks}).String(); got != "2026-07-09" {
		t.Errorf("one week from 2026-07-01T22:30Z = %s, want 2026-07-09", got)
	}
}

// Whatever the event and period, the due date is a working day, never
// before the period's end, with no working day in between.
func FuzzDue(f *testing.F) {
	f.Add(2026, 11, 22, 1, 2)
	f.Add(2026, 12, 4, 3, 1)
	f.Add(2024, 1, 31, 1, 2)
	f.Fuzz(func(t *testing.T, year, month, day, n, unit int) {
		if year < 1600 || year > 3000 || n < 0 || n > 1000 || unit < 0 || unit > 2 {
			return
		}
		event := dateOf(time.Date(year, time.Month(month), day, 12, 0, 0, 0, time.UTC))
		p := Period{n, Unit(unit)}
		end, due := p.End(event), Due(event, p)
		if !IsWorkingDay(due) || due.Before(end) {
			t.Fatalf("%s + %s: due %s, end %s", event, p, due, end)
		}
		for d := end; d.Before(due); d = d.AddDays(1) {
			if IsWorkingDay(d) {
				t.Fatalf("%s + %s: %s is a working day before the due date %s", event, p, d, due)
			}
		}
		if p.Unit == Months && end.Day > event.Day {
			t.Fatalf("%s + %s ends on a later date: %s", event, p, end)
		}
	})
}

func BenchmarkDue(b *testing.B) {
	event := Of(2026, 1, 1)
	for i := 0; i < b.N; i++ {
		Due(event.AddDays(i%3650), AppealTime)
	}
}

func TestYearsUntilCountsWholeYears(t *testing.T) {
	for _, tc := range []struct {
		born, on Date
		want     int
	}{
		{Of(2000, 7, 2), Of(2026, 7, 1), 25},
		{Of(2000, 7, 2), Of(2026, 7, 2), 26},
		{Of(2000, 2, 29), Of(2026, 2, 28), 25}, // no 29 February: the year is complete on 1 March
		{Of(2000, 2, 29), Of(2026, 3, 1), 26},
		{Of(2000, 2, 29), Of(2004, 2, 29), 4},
	} {
		if got := tc.born.YearsUntil(tc.on); got != tc.want {
			t.Errorf("%s.YearsUntil(%s) = %d, want %d", tc.born, tc.on, got, tc.want)
		}
	}
}
