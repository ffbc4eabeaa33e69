// Package deadline computes statutory deadlines the Norwegian way
// (forvaltningsloven § 30): the day of the event is not counted, weeks and
// months end on the day with the same name or number, and a deadline that
// ends on a Saturday, Sunday or public holiday moves to the next working
// day. It is a pure core: dates in, dates out, no clock.
package deadline

import (
	"fmt"
	"time"

	"husly/internal/clock"
)

// Date is a calendar day in Norway, without a time of day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Oslo is the time zone deadlines are kept in (the same location as
// clock.Oslo, with summer time).
var Oslo = clock.Oslo

// On gives the Norwegian calendar day of an instant.
func On(t time.Time) Date {
	y, m, d := t.In(Oslo).Date()
	return Date{y, m, d}
}

// Of makes a date.
func Of(year int, month time.Month, day int) Date { return Date{year, month, day} }

// Parse reads "YYYY-MM-DD".
func Parse(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, &ParseError{s}
	}
	return On(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, Oslo)), nil
}

func (d Date) t() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

// String is "YYYY-MM-DD", or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t().Format(time.DateOnly)
}

// Norwegian is "22.11.2026", or "" for the zero date.
func (d Date) Norwegian() string {
	if d.IsZero() {
		return ""
	}
	return d.t().Format("02.01.2006")
}

// NorwegianOf writes a YYYY-MM-DD date as DD.MM.YYYY; anything else is
// returned as it is.
func NorwegianOf(s string) string {
	if d, err := Parse(s); err == nil {
		return d.Norwegian()
	}
	return s
}

// Start is the instant the day begins in Oslo, or the zero time for the
// zero date: what "until this date" means for something stored as an instant.
func (d Date) Start() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Oslo)
}

// AddDays moves n calendar days.
func (d Date) AddDays(n int) Date { return dateOf(d.t().AddDate(0, 0, n)) }

func dateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// Weekday is the day of the week.
func (d Date) Weekday() time.Weekday { return d.t().Weekday() }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.t().Before(e.t()) }

// DaysUntil is the number of calendar days from d to e (negative if e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.t().Sub(d.t()).Hours() / 24) }

// YearsUntil is the number of whole years from d to e: a person's age on
// e when d is the birth date. A year is complete on the day with the same
// month and number, so someone born on 29 February turns a year older on
// 1 March in a year without one.
func (d Date) YearsUntil(e Date) int {
	years := e.Year - d.Year
	if e.Month < d.Month || e.Month == d.Month && e.Day < d.Day {
		years--
	}
	return years
}

// Easter gives Easter Sunday of a year in the Gregorian calendar (the
// anonymous Gregorian algorithm).
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{year, time.Month(month), day}
}

// Holiday is a public holiday (helligdag or høytidsdag).
type Holiday struct {
	Date Date
	Name string
}

// Holidays lists a year's public holidays in date order: the days the law
// treats like Sundays (helligdagsloven § 2, lov om 1. og 17. mai som
// høgtidsdager).
func Holidays(year int) []Holiday {
	easter := Easter(year)
	return []Holiday{
		{Date{year, time.January, 1}, "Første nyttårsdag"},
		{easter.AddDays(-3), "Skjærtorsdag"},
		{easter.AddDays(-2), "Langfredag"},
		{easter, "Første påskedag"},
		{easter.AddDays(1), "Andre påskedag"},
		{Date{year, time.May, 1}, "Offentlig høytidsdag"},
		{Date{year, time.May, 17}, "Grunnlovsdag"},
		{easter.AddDays(39), "Kristi himmelfartsdag"},
		{easter.AddDays(49), "Første pinsedag"},
		{easter.AddDays(50), "Andre pinsedag"},
		{Date{year, time.December, 25}, "Første juledag"},
		{Date{year, time.December, 26}, "Andre juledag"},
	}
}

// HolidayName gives the holiday's name, or "" for an ordinary day.
func HolidayName(d Date) string {
	for _, h := range Holidays(d.Year) {
		if h.Date == d {
			return h.Name
		}
	}
	return ""
}

// IsWorkingDay reports whether d is neither a Saturday, a Sunday nor a
// public holiday.
func IsWorkingDay(d Date) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return HolidayName(d) == ""
}

// NextWorkingDay is d if it is a working day, else the first one after it.
func NextWorkingDay(d Date) Date {
	for !IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	return d
}

// Unit is what a period is counted in.
type Unit int

const (
	Days Unit = iota
	Weeks
	Months
)

// Period is a statutory period, such as "3 weeks" or "1 month".
type Period struct {
	N    int
	Unit Unit
}

// The periods the housing case flow uses.
var (
	// DecisionTime: answer within a month, or send a provisional answer
	// (forvaltningsloven § 11 a).
	DecisionTime = Period{1, Months}
	// AppealTime: three weeks from when the decision reached the party
	// (forvaltningsloven § 29).
	AppealTime = Period{3, Weeks}
	// InterimServices: services for less than two weeks need no decision.
	InterimServices = Period{14, Days}
)

func (p Period) String() string {
	unit := map[Unit][2]string{Days: {"dag", "dager"}, Weeks: {"uke", "uker"}, Months: {"måned", "måneder"}}[p.Unit]
	if p.N == 1 {
		return "1 " + unit[0]
	}
	return fmt.Sprintf("%d %s", p.N, unit[1])
}

// End is where the period ends before moving past non-working days: days
// are counted from the day after the event; weeks end on the same weekday;
// months on the same date, or the month's last day when it has no such
// date (31 January + 1 month is 28 or 29 February).
func (p Period) End(event Date) Date {
	switch p.Unit {
	case Weeks:
		return event.AddDays(7 * p.N)
	case Months:
		first := time.Date(event.Year, event.Month, 1, 12, 0, 0, 0, time.UTC).AddDate(0, p.N, 0)
		last := first.AddDate(0, 1, -1).Day()
		return Date{first.Year(), first.Month(), min(event.Day, last)}
	}
	return event.AddDays(p.N)
}

// Due is the last day to act: the end of the period, moved to the next
// working day if it falls on a Saturday, Sunday or public holiday.
func Due(event Date, p Period) Date { return NextWorkingDay(p.End(event)) }

// In writes the date for a reader of lang: 22.11.2026 in bokmål and
// nynorsk, 22 November 2026 in English (British order, the day first as
// in Norway, with the month named so it cannot be read the American way);
// "" for the zero date. It is the one way pages, letters and the API's
// sentences write a date.
func (d Date) In(lang string) string {
	if d.IsZero() {
		return ""
	}
	if lang == "en" {
		return d.t().Format("2 January 2006")
	}
	return d.Norwegian()
}
