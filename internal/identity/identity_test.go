package identity

import (
	"errors"
	"testing"
	"time"

	"husly/internal/deadline"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in        string
		synthetic bool
		want      error
		birth     string
		kind      Kind
	}{
		{"01010750160", false, nil, "2007-01-01", Fodselsnummer}, // individual 501: 2000s
		{"01010710029", false, nil, "1907-01-01", Fodselsnummer},
		{"41010710012", false, nil, "1907-01-01", DNummer},
		{"01010750161", false, ErrCheck, "", 0},
		{"0101075016", false, ErrLength, "", 0},
		{"0101075016a", false, ErrDigits, "", 0},
		{"31020710031", false, ErrDate, "", 0}, // 31 February, check digits right
		// Individual number 669 with year 29 is 2029: after today, refused.
		{"09022966984", false, ErrFuture, "", 0},
		// Born today is allowed; tomorrow is not (individual 501: the 2000s).
		{mustMake(t, "2026-12-06", 501), false, nil, "2026-12-06", Fodselsnummer},
		{mustMake(t, "2026-12-07", 501), false, ErrFuture, "", 0},
	}
	for _, tc := range tests {
		n, err := Parse(tc.in, tc.synthetic, testToday)
		if !errors.Is(err, tc.want) {
			t.Errorf("Parse(%q) error = %v, want %v", tc.in, err, tc.want)
			continue
		}
		if err == nil && (n.Birth.String() != tc.birth || n.Kind != tc.kind) {
			t.Errorf("Parse(%q) = %v kind %v, want %s kind %v", tc.in, n.Birth, n.Kind, tc.birth, tc.kind)
		}
	}
}

// testToday is the day the table above is judged on.
var testToday = time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)

func mustMake(t *testing.T, birth string, individual int) string {
	t.Helper()
	b, _ := deadline.Parse(birth)
	for ind := individual; ind < 750; ind++ {
		if s, ok := Make(b, ind, Fodselsnummer, false); ok {
			return s
		}
	}
	t.Fatalf("no number for %s", birth)
	return ""
}

func TestMakeRoundTrip(t *testing.T) {
	cases := []struct {
		birth      string
		individual int
		kind       Kind
		synthetic  bool
	}{
		{"1985-03-14", 123, Fodselsnummer, false},
		{"2004-12-31", 512, Fodselsnummer, true},
		{"1962-06-01", 934, DNummer, false},
		{"1999-02-28", 301, DNummer, true},
	}
	for _, c := range cases {
		birth, _ := deadline.Parse(c.birth)
		var s string
		var ok bool
		for ind := c.individual; !ok; ind++ {
			s, ok = Make(birth, ind, c.kind, c.synthetic)
		}
		n, err := Parse(s, true, testToday)
		if err != nil {
			t.Fatalf("Make(%s) = %s, Parse: %v", c.birth, s, err)
		}
		if n.Birth != birth || n.Kind != c.kind || n.Synthetic != c.synthetic {
			t.Errorf("round trip %s: got %+v", c.birth, n)
		}
		if c.synthetic {
			if _, err := Parse(s, false, testToday); !errors.Is(err, ErrSynthetic) {
				t.Errorf("synthetic %s accepted in production: %v", s, err)
			}
		}
	}
}

func TestMask(t *testing.T) {
	if got := Mask("01010710029"); got != "010107*****" {
		t.Fatalf("Mask = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"01010750160", "41010710012", "", "abc", "99999999999", "01810750160"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s, true, testToday)
		if err != nil {
			return
		}
		// Whatever Parse accepts must be rebuilt identically from its parts.
		ind := int(s[6]-'0')*100 + int(s[7]-'0')*10 + int(s[8]-'0')
		again, ok := Make(n.Birth, ind, n.Kind, n.Synthetic)
		if !ok || again != s {
			t.Fatalf("Parse(%q) accepted but Make gives %q", s, again)
		}
	})
}

func TestSyntheticDistinctAndValid(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 120000; i++ {
		s := Synthetic(i)
		if _, err := Parse(s, true, testToday); err != nil {
			t.Fatalf("Synthetic(%d) = %s: %v", i, s, err)
		}
		if seen[s] {
			t.Fatalf("Synthetic(%d) = %s repeats", i, s)
		}
		seen[s] = true
	}
}
