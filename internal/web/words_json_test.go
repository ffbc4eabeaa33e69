package web

import (
	"errors"
	"strings"
	"testing"

	"husly/internal/allocation"
	"husly/internal/i18n"
	"husly/internal/invalid"
)

// What the match reader and the priority rules say about JSON that does
// not parse is a message through and through: an English reader is told
// where the syntax breaks in English, not in bokmål inside an English
// sentence.
func TestJSONProblemsInEnglish(t *testing.T) {
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"attribute mode", func() error { _, err := allocation.ReadProblem(strings.NewReader(`{"applicants": [}`)); return err }, "syntax error at character"},
		{"pair mode", func() error {
			_, err := allocation.ReadPairs(strings.NewReader(`{"pairs": [{"applicant": "a", "unit": "b", "score": x}]}`))
			return err
		}, "the field «pairs.score» has the wrong type"},
		{"empty", func() error { _, err := allocation.ReadProblem(strings.NewReader(``)); return err }, "the input is empty"},
		{"rules", func() error { _, err := allocation.ParseRules([]byte(`[{"kind": 3}]`)); return err }, "has a number that cannot be used"},
	} {
		var bad *allocation.InputError
		if err := c.err(); !errors.As(err, &bad) || len(bad.Problems) == 0 {
			t.Fatalf("%s: not an input error: %v", c.name, err)
		}
		en := invalid.Texts(bad.Problems, "en", i18n.Lookup("en"))[0]
		if !strings.Contains(en, c.want) || strings.Contains(en, "syntaksfeil") || strings.Contains(en, "feltet") || strings.Contains(en, "inndataene") {
			t.Errorf("%s in English: %q, want %q", c.name, en, c.want)
		}
		if nb := bad.Error(); strings.Contains(nb, c.want) {
			t.Errorf("%s in bokmål is English: %q", c.name, nb)
		}
	}
}
