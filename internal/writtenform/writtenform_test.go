package writtenform

import (
	"errors"
	"strings"
	"testing"

	"husly/internal/invalid"
)

// The person's wish wins; without one the municipality's form is used,
// and a neutral municipality writes bokmål.
func TestChoose(t *testing.T) {
	for _, c := range []struct {
		p    Policy
		wish Form
		want Form
	}{
		{PolicyBokmal, "", Bokmal}, {PolicyNynorsk, "", Nynorsk}, {PolicyNeutral, "", Bokmal}, {"", "", Bokmal},
		{PolicyBokmal, Nynorsk, Nynorsk}, {PolicyNynorsk, Bokmal, Bokmal}, {PolicyNeutral, Nynorsk, Nynorsk},
	} {
		if got := Choose(c.p, c.wish); got != c.want {
			t.Errorf("Choose(%q, %q) = %q, want %q", c.p, c.wish, got, c.want)
		}
	}
}

// Only the known forms are read; anything else is refused in Norwegian,
// naming the field and the allowed values.
func TestParse(t *testing.T) {
	for _, s := range []string{"", "bokmal", "nynorsk"} {
		if f, err := ParseForm(s); err != nil || string(f) != s {
			t.Errorf("ParseForm(%q) = %q, %v", s, f, err)
		}
	}
	for _, s := range []string{"bokmål", "Nynorsk", "noytral", "samisk", " nynorsk"} {
		var bad *invalid.Error
		if _, err := ParseForm(s); !errors.As(err, &bad) || !strings.Contains(err.Error(), "skriftspråk") || !strings.Contains(err.Error(), "«nynorsk»") {
			t.Errorf("ParseForm(%q): %v", s, err)
		}
	}
	for _, s := range []string{"bokmal", "nynorsk", "noytral"} {
		if p, err := ParsePolicy(s); err != nil || string(p) != s {
			t.Errorf("ParsePolicy(%q) = %q, %v", s, p, err)
		}
	}
	for _, s := range []string{"", "nøytral", "engelsk"} {
		if _, err := ParsePolicy(s); err == nil || !strings.Contains(err.Error(), "kommunens skriftspråk") || !strings.Contains(err.Error(), "språklova § 11") {
			t.Errorf("ParsePolicy(%q): %v", s, err)
		}
	}
	if Nynorsk.Lang() != "nn" || Bokmal.Lang() != "nb" {
		t.Error("language tags or labels are wrong")
	}
}
