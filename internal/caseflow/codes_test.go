package caseflow

import "testing"

func TestParseGroup(t *testing.T) {
	for _, g := range AllGroups {
		if got, err := ParseGroup(string(g)); err != nil || got != g {
			t.Errorf("ParseGroup(%q) = %q, %v", g, got, err)
		}
	}
	for _, s := range []string{"", "Bostedslos", "vip"} {
		if _, err := ParseGroup(s); err == nil {
			t.Errorf("ParseGroup(%q) accepted an unknown group", s)
		}
	}
	if len(Groups) != len(AllGroups) {
		t.Errorf("Groups has %d choices, AllGroups %d", len(Groups), len(AllGroups))
	}
	if got := joinGroups(GroupsOf([]string{"bostedslos", "loslatt"})); got != "bostedslos,loslatt" {
		t.Errorf("stored groups = %q", got)
	}
	if GroupsOf(nil) != nil {
		t.Error("no groups must stay nil, so JSON leaves them out")
	}
}
