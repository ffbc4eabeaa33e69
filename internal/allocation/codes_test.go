package allocation

import "testing"

func TestParseLevel(t *testing.T) {
	for _, l := range AllLevels {
		if got, err := ParseLevel(string(l)); err != nil || got != l {
			t.Errorf("ParseLevel(%q) = %q, %v", l, got, err)
		}
	}
	for _, s := range []string{"", "Doegn", "natt"} {
		if _, err := ParseLevel(s); err == nil {
			t.Errorf("ParseLevel(%q) accepted an unknown level", s)
		}
	}
	if len(Levels) != len(AllLevels) {
		t.Errorf("Levels has %d lists, AllLevels %d", len(Levels), len(AllLevels))
	}
}
