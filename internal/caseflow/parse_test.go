package caseflow_test

import (
	"strings"
	"testing"

	"husly/internal/caseflow"
	"husly/internal/invalid"
)

// Every code a form or the API may send parses to its typed value, and
// anything else is refused with the Norwegian message the page shows.
func TestParseCodes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		parse func(string) (string, error)
		codes []caseflow.Choice
		want  string
	}{
		{"application kind", func(s string) (string, error) { k, err := caseflow.ParseApplicationKind(s); return string(k), err },
			caseflow.Kinds, "velg hva det søkes om"},
		{"alternative", func(s string) (string, error) { k, err := caseflow.ParseAlternativeKind(s); return string(k), err },
			caseflow.AlternativeKinds, "velg hvilket alternativ som er vurdert"},
		{"alternative outcome", func(s string) (string, error) { o, err := caseflow.ParseAlternativeOutcome(s); return string(o), err },
			caseflow.AlternativeOutcomes, "velg utfallet av vurderingen"},
		{"contact channel", func(s string) (string, error) { c, err := caseflow.ParseContactChannel(s); return string(c), err },
			caseflow.Channels, `ukjent kanal "brevdue"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range tc.codes {
				if got, err := tc.parse(c.Code); err != nil || got != c.Code {
					t.Errorf("parse(%q) = %q, %v", c.Code, got, err)
				}
			}
			for _, bad := range []string{"brevdue", "", "BEGGE"} {
				got, err := tc.parse(bad)
				if err == nil || got != "" {
					t.Fatalf("parse(%q) = %q, %v: want a refusal", bad, got, err)
				}
				msg := strings.Join(invalid.Texts(invalid.Problems(err), "nb", nil), "; ")
				if bad == "brevdue" && msg != tc.want {
					t.Errorf("parse(%q) says %q, want %q", bad, msg, tc.want)
				}
			}
		})
	}
}
