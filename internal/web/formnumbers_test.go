package web

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"husly/internal/invalid"
)

// A number typed the Norwegian way is read; one that does not parse is a
// problem naming the field (by its catalogue key), never 0; an empty field is 0 for the
// capability's own rules to judge.
func TestFormNumbers(t *testing.T) {
	form := url.Values{
		"rooms": {"3"}, "rent": {"12 500"}, "nbsp": {"12\u00a0500"}, "hours": {"2,5"}, "empty": {""},
		"words": {"to"}, "half": {"2,5"}, "nan": {"NaN"}, "unit": {"7"}, "zero_unit": {"0"}, "bad_unit": {"sju"},
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	good := numbersIn(r)
	if n := good.Int("rooms", "words.field.rooms"); n != 3 {
		t.Errorf("rooms = %d", n)
	}
	if n := good.Int("rent", "words.field.rent"); n != 12500 {
		t.Errorf("rent = %d", n)
	}
	if n := good.Int("nbsp", "words.field.rent"); n != 12500 {
		t.Errorf("rent with a no-break space = %d", n)
	}
	if x := good.Decimal("hours", "words.field.hours"); x != 2.5 {
		t.Errorf("hours = %v", x)
	}
	if n := good.Int("empty", "words.field.floor"); n != 0 {
		t.Errorf("empty = %d", n)
	}
	if id := good.ID("unit", "words.field.org_unit"); id != 7 {
		t.Errorf("unit = %d", id)
	}
	if err := good.Err(); err != nil {
		t.Fatalf("good numbers refused: %v", err)
	}

	bad := numbersIn(r)
	for _, got := range []float64{
		float64(bad.Int("words", "words.field.rooms")), float64(bad.Int("half", "words.field.months")),
		bad.Decimal("nan", "words.field.hours"), float64(bad.ID("zero_unit", "words.field.org_unit")), float64(bad.ID("bad_unit", "words.field.org_unit")),
	} {
		if got != 0 {
			t.Errorf("a bad number was read as %v", got)
		}
	}
	var problems *invalid.Error
	if !errors.As(bad.Err(), &problems) || len(problems.Problems) != 5 {
		t.Fatalf("problems = %v", bad.Err())
	}
	for i, want := range []string{
		"Antall rom: «to» er ikke et helt tall", "Antall måneder: «2,5» er ikke et helt tall",
		"Timer per uke: «NaN» er ikke et tall", "Enhet: «0» er ikke et gyldig valg", "Enhet: «sju» er ikke et gyldig valg",
	} {
		if problems.Problems[i].String() != want {
			t.Errorf("problem %d = %q, want %q", i, problems.Problems[i].String(), want)
		}
	}
}
