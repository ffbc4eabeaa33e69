package caseflow

import (
	"strings"
	"testing"

	"husly/internal/deadline"
)

func TestHomeless(t *testing.T) {
	today := deadline.Of(2026, 11, 22)
	tests := []struct {
		name string
		s    Situation
		want bool
		why  string
	}{
		{"own home", Situation{Residence: OwnHome}, false, "egen"},
		{"sublet", Situation{Residence: Sublet}, false, "fremleid"},
		{"with family for good", Situation{Residence: FamilyLasting}, false, "fast hos nær familie"},
		{"hostel", Situation{Residence: Temporary}, true, "midlertidig botilbud"},
		{"sofa", Situation{Residence: WithOthers}, true, "venner"},
		{"rough sleeping", Situation{Residence: NoPlaceTonight}, true, "natt"},
		{"prison, release in a month, no home", Situation{Prison, deadline.Of(2026, 12, 20), false}, true, "løslates 20.12.2026"},
		{"prison, release exactly two months on", Situation{Prison, deadline.Of(2027, 1, 22), false}, true, "innen to måneder"},
		{"prison, release in three months", Situation{Prison, deadline.Of(2027, 2, 23), false}, false, "mer enn to måneder"},
		{"prison, home waiting", Situation{Prison, deadline.Of(2026, 12, 1), true}, false, "har bolig"},
		{"institution, discharge next week", Situation{Institution, deadline.Of(2026, 11, 29), false}, true, "utskrives"},
		{"institution, no date yet", Situation{Residence: Institution}, false, "ikke registrert"},
		{"nothing recorded", Situation{}, false, "ikke registrert"},
	}
	for _, tc := range tests {
		got, why := Homeless(tc.s, today)
		if got != tc.want || !strings.Contains(why, tc.why) {
			t.Errorf("%s: %v %q, want %v with %q", tc.name, got, why, tc.want, tc.why)
		}
	}
}

func TestEveryResidenceHasAnAnswer(t *testing.T) {
	for _, r := range Residences {
		if _, why := Homeless(Situation{Residence: r.Code, Leaving: deadline.Of(2026, 12, 1)}, deadline.Of(2026, 11, 22)); why == "Bosituasjonen er ikke registrert." {
			t.Errorf("%s has no rule", r.Code)
		}
	}
}
