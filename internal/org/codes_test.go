package org

import "testing"

func TestParseUnitKind(t *testing.T) {
	for _, u := range UnitKinds {
		if got, err := ParseUnitKind(string(u.Kind)); err != nil || got != u.Kind {
			t.Errorf("ParseUnitKind(%q) = %q, %v", u.Kind, got, err)
		}
	}
	for _, s := range []string{"", "NAV", "sykehus"} {
		if _, err := ParseUnitKind(s); err == nil {
			t.Errorf("ParseUnitKind(%q) accepted an unknown kind", s)
		}
	}
}
