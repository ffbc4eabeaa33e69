package caseflow_test

import (
	"strings"
	"testing"
	"time"

	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/invalid"
)

// easter is Easter Sunday by Tøndering's form of the Gregorian rule, a
// different algorithm from the one internal/deadline uses, so the test
// does not take the code under test as its own answer.
func easter(y int) time.Time {
	g, c := y%19, y/100
	h := (c - c/4 - (8*c+13)/25 + 19*g + 15) % 30
	i := h - (h/28)*(1-(29/(h+1))*((21-g)/11))
	j := (y + y/4 + i + 2 - c + c/4) % 7
	l := i - j
	month := 3 + (l+40)/44
	day := l + 28 - 31*(month/4)
	return time.Date(y, time.Month(month), day, 12, 0, 0, 0, time.UTC)
}

// closed says whether a day is a Saturday, Sunday or public holiday
// (helligdagsloven § 2, 1 and 17 May), computed here on its own.
func closed(t time.Time) bool {
	if t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		return true
	}
	e := easter(t.Year())
	for _, off := range []int{-3, -2, 0, 1, 39, 49, 50} {
		if d := e.AddDate(0, 0, off); d.YearDay() == t.YearDay() {
			return true
		}
	}
	m, d := t.Month(), t.Day()
	return (m == 1 && d == 1) || (m == 5 && (d == 1 || d == 17)) || (m == 12 && (d == 25 || d == 26))
}

// TestAppealDeadlineFromNotification counts the appeal deadline from the
// day the letter reached the party, by channel, for every day of six
// years, against an independent calendar.
func TestAppealDeadlineFromNotification(t *testing.T) {
	for day := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC); day.Year() < 2031; day = day.AddDate(0, 0, 1) {
		sent := deadline.Of(day.Year(), day.Month(), day.Day())
		for _, c := range []struct {
			channel string
			delay   int
		}{{caseflow.ChannelDigital, 0}, {caseflow.ChannelEmail, 0}, {caseflow.ChannelHanded, 0}, {caseflow.ChannelPaper, 5}} {
			notified, err := caseflow.NotifiedOn(sent, c.channel, 5)
			if err != nil {
				t.Fatal(err)
			}
			want := day.AddDate(0, 0, c.delay+21)
			for closed(want) {
				want = want.AddDate(0, 0, 1)
			}
			if got := caseflow.AppealDueFrom(notified, 3); got.String() != want.Format(time.DateOnly) {
				t.Fatalf("sent %s by %s: due %s, want %s", sent, c.channel, got, want.Format(time.DateOnly))
			}
		}
	}
	// The refusal decided 9 November and sent 29 November 2026 by digital
	// post: three weeks from 29 November is Sunday 20 December, so Monday
	// 21 December, not 30 November.
	n, _ := caseflow.NotifiedOn(deadline.Of(2026, 11, 29), caseflow.ChannelDigital, 5)
	if got := caseflow.AppealDueFrom(n, 3); got != deadline.Of(2026, 12, 21) {
		t.Fatalf("the November refusal: %s", got)
	}
	// Sent by paper on Maundy Thursday's eve 2027 (24 March): arrives 29
	// March (Easter Monday), due 19 April.
	n, _ = caseflow.NotifiedOn(deadline.Of(2027, 3, 24), caseflow.ChannelPaper, 5)
	if got := caseflow.AppealDueFrom(n, 3); got != deadline.Of(2027, 4, 19) {
		t.Fatalf("Easter by paper: %s", got)
	}
	if _, err := caseflow.NotifiedOn(deadline.Of(2026, 11, 29), "brevdue", 5); err == nil || !strings.Contains(err.Error(), "ukjent sendemåte «brevdue»") {
		t.Fatalf("unknown channel: %v", err)
	}
}

func TestPracticeWithinTheLaw(t *testing.T) {
	if ps := caseflow.DefaultPractice().Check(); len(ps) != 0 {
		t.Fatalf("the defaults break the law: %v", ps)
	}
	p := caseflow.DefaultPractice()
	if p.LeaseMonths("housing_first") != 0 || p.LeaseMonths("ordinaer") != 36 || p.DepositMonths != 3 || p.AppealWeeks != 3 {
		t.Fatalf("defaults: %+v", p)
	}
	p.PaperPostDays, p.AppealWeeks, p.DepositMonths = -1, 2, 7
	p.LeaseTerms = append(p.LeaseTerms, caseflow.LeaseTerm{Category: "rehabilitering", Months: -6})
	got := strings.Join(invalid.Texts(p.Check(), "nb", nil), "\n")
	for _, want := range []string{"papirpost regnes som kommet fram må være mellom 0 og 14, fikk -1", "klagefristen må være minst 3 uker (forvaltningsloven § 29)",
		"depositum må være mellom 0 og 6 måneders husleie (husleieloven § 3-5), fikk 7", "leieperioden for Bofellesskap for rehabilitering"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %s", want, got)
		}
	}
}

func TestLeaseEnd(t *testing.T) {
	start := deadline.Of(2026, 12, 1)
	for _, c := range []struct {
		in       caseflow.LeaseInput
		category int
		want     string
		problem  string
	}{
		{caseflow.LeaseInput{}, 0, "", ""},                                                // Housing First: permanent
		{caseflow.LeaseInput{}, 36, "2029-11-30", ""},                                     // three years
		{caseflow.LeaseInput{Term: caseflow.TermMonths, Months: 6}, 36, "2027-05-31", ""}, // a youth home's six months (seed 004)
		{caseflow.LeaseInput{Term: caseflow.TermPermanent}, 36, "", ""},
		{caseflow.LeaseInput{Term: caseflow.TermEndDate, EndDate: deadline.Of(2026, 11, 1)}, 36, "", "kan ikke slutte før det starter"},
		{caseflow.LeaseInput{Term: "evig"}, 36, "", "ukjent leieperiode"},
	} {
		end, ps := caseflow.LeaseEnd(c.in, start, c.category)
		got := ""
		if end != (deadline.Date{}) {
			got = end.String()
		}
		if got != c.want || (c.problem == "") != (len(ps) == 0) || (c.problem != "" && !strings.Contains(ps[0].String(), c.problem)) {
			t.Errorf("%+v: %q %v", c.in, got, ps)
		}
	}
}
