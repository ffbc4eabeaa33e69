package housing

import "testing"

func TestParseCategory(t *testing.T) {
	for _, c := range AllCategories {
		got, err := ParseCategory(string(c))
		if err != nil || got != c {
			t.Errorf("ParseCategory(%q) = %q, %v", c, got, err)
		}
	}
	if len(Categories) != len(AllCategories) {
		t.Errorf("Categories has %d choices, AllCategories %d", len(Categories), len(AllCategories))
	}
	for _, s := range []string{"", "Ordinaer", "slott"} {
		if _, err := ParseCategory(s); err == nil {
			t.Errorf("ParseCategory(%q) accepted an unknown category", s)
		}
		if Category(s).Valid() {
			t.Errorf("Category(%q).Valid() = true", s)
		}
	}
}
