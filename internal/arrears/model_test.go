package arrears_test

import (
	"strconv"
	"testing"

	"husly/internal/arrears"
	"husly/internal/deadline"
)

func strconvI(n int64) string { return strconv.FormatInt(n, 10) }

func TestParseKroner(t *testing.T) {
	for in, want := range map[string]int64{"7250": 725000, "7 250,50": 725050, "7250.5": 725050, "0": 0, "812,05": 81205, "1\u00a0000": 100000} {
		if got, ok := arrears.ParseKroner(in); !ok || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-5", "72x0", "1,234", "1.2.3", ",5", "abc"} {
		if _, ok := arrears.ParseKroner(in); ok {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestUrgencyRises(t *testing.T) {
	if a, b := arrears.Urgency(725000, 10), arrears.Urgency(2500000, 10); a >= b {
		t.Errorf("more money, less urgent: %d %d", a, b)
	}
	if a, b := arrears.Urgency(725000, 5), arrears.Urgency(725000, 60); a >= b {
		t.Errorf("more days, less urgent: %d %d", a, b)
	}
	if u := arrears.Urgency(1e9, 1000); u != 100 {
		t.Errorf("cap: %d", u)
	}
}

func TestPracticeDefault(t *testing.T) {
	p := arrears.DefaultPractice()
	if len(p.Check()) != 0 || p.ConversationDue(deadline.Of(2026, 11, 1)) != deadline.Of(2026, 11, 15) {
		t.Errorf("default practice %+v", p)
	}
	p.ConversationDays = 30
	if len(p.Check()) == 0 {
		t.Error("30 days accepted")
	}
}
