package web

import (
	"strings"
	"testing"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/housing"
	"husly/internal/org"
)

// TestSaidMatchesTheBokmålReasons: a score's or a priority's reason said
// from the catalogues in bokmål is word for word the sentence the API
// carries, and English says it in English, in the right plural.
func TestSaidMatchesTheBokmålReasons(t *testing.T) {
	nb, en := view{Lang: "nb"}, view{Lang: "en"}
	check := func(reasons []string, said []allocation.Said) {
		t.Helper()
		if len(reasons) != len(said) {
			t.Fatalf("%d reasons, %d said", len(reasons), len(said))
		}
		for i := range reasons {
			if got := nb.Said(said[i]); got != reasons[i] {
				t.Errorf("bokmål %q, the API says %q", got, reasons[i])
			}
			if got := en.Said(said[i]); got == reasons[i] || strings.Contains(got, "%!") || strings.HasPrefix(got, "reason.") {
				t.Errorf("English %q for %q", got, reasons[i])
			}
		}
	}
	need := allocation.Need{Priority: 20, HousingType: "ordinaer", Rooms: 1, WantDistricts: []string{"Frei"}, NetworkDistricts: []string{"Frei"}, SmokeFree: true, GroundFloor: true}
	home := allocation.Home{Category: "ordinaer", Rooms: 3, Floor: 1, District: "Frei", NearServices: true}
	e := allocation.Evaluate(need, home, allocation.Mix{}, allocation.DefaultPolicy())
	if !e.Allowed || len(e.Reasons) != 7 {
		t.Fatalf("want every part of a score, got %v", e.Reasons)
	}
	check(e.Reasons, e.Said)
	if got := en.Said(e.Said[6]); got != "2 rooms more than needed: -4" {
		t.Errorf("English extra rooms: %q", got)
	}
	// A score below zero is set to zero, and says so.
	zero := allocation.Evaluate(allocation.Need{Rooms: 1}, allocation.Home{Rooms: 2}, allocation.Mix{}, allocation.DefaultPolicy())
	check(zero.Reasons, zero.Said)
	if en.Said(zero.Said[0]) != "1 room more than needed: -2" {
		t.Errorf("English one extra room: %q", en.Said(zero.Said[0]))
	}

	rules := append(allocation.DefaultRules(), allocation.Rule{Kind: "gruppe", Group: "bostedslos", Points: 25},
		allocation.Rule{Kind: "ventetid", Points: 1, PerDays: 90})
	_, parts := allocation.Priority(rules, allocation.Facts{Groups: []allocation.Group{"bostedslos", "barnefamilie", "loslatt", "utskrevet", "housing_first"}, HomelessNow: true, DaysWaiting: 95})
	if len(parts) != 8 {
		t.Fatalf("want every kind of priority part, got %v", parts)
	}
	var reasons []string
	var said []allocation.Said
	for _, p := range parts {
		reasons, said = append(reasons, p.Reason), append(said, p.Said)
	}
	check(reasons, said)
	if got := en.Said(said[7]); got != "Waited 95 days (1 per 90 days): 1 point" {
		t.Errorf("English waiting time: %q", got)
	}
	if got := (view{Lang: "nn"}).Said(said[0]); got != "Bustadlaus ved siste førespurnad: 30 poeng" {
		t.Errorf("nynorsk homeless now: %q", got)
	}
}

// TestEveryCodeHasALabel: every code Go knows for the values these pages
// show has its name in the catalogues, so a new code cannot reach a page
// as a bare code.
func TestEveryCodeHasALabel(t *testing.T) {
	want := map[string][]string{}
	for prefix, choices := range map[string][]housing.Choice{"unit.category": housing.Categories, "unit.status": housing.Statuses,
		"unit.staffing": housing.Staffings, "unit.control": housing.Controls, "unit.condition": housing.Conditions} {
		for _, c := range choices {
			want[prefix] = append(want[prefix], c.Code)
		}
	}
	for _, k := range org.UnitKinds {
		want["org.kind"] = append(want["org.kind"], string(k.Kind))
	}
	for _, r := range append(access.Roles, access.Operator) {
		want["role"] = append(want["role"], string(r))
	}
	for _, c := range access.Categories {
		want["category"] = append(want["category"], string(c))
	}
	for _, b := range []access.Basis{access.ByRelationship, access.ByConsent, access.ByBreakGlass, access.ByBreakGlassSpecial, access.BySelf, access.BySupervision, access.ByOperations} {
		want["basis"] = append(want["basis"], string(b))
	}
	for _, l := range allocation.Levels {
		want["allocation.level"] = append(want["allocation.level"], string(l.Code))
	}
	for _, s := range caseflow.Statuses {
		want["overview.phase"] = append(want["overview.phase"], s.Code)
	}
	for _, x := range caseflow.Texts {
		want["texts.kind"] = append(want["texts.kind"], x.Kind)
	}
	want["meeting.decision"] = []string{"none", "godkjent", "utsatt", "avvist"}
	want["meeting.status"] = []string{"apent", "avsluttet"}
	want["lease.status"] = []string{"aktiv", "avsluttet"}
	for prefix, codes := range want {
		for _, c := range codes {
			for _, lang := range Languages {
				if _, ok := catalogs[lang][prefix+"."+c]; !ok {
					t.Errorf("%s has no %s.%s", lang, prefix, c)
				}
			}
		}
	}
}

// TestCountsInTheirPluralForm: one and other, and a form that leaves the
// number out.
func TestCountsInTheirPluralForm(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{{"nb", 1, "1 bolig"}, {"nb", 0, "0 boliger"}, {"nn", 2, "2 bustader"}, {"en", 1, "1 home"}, {"en", 21, "21 homes"}} {
		if got := (view{Lang: c.lang}).Tn("units.total", c.n); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	if got := (view{Lang: "en"}).Tn("meetings.intro", 1); !strings.HasSuffix(got, "Meetings are held every day.") {
		t.Errorf("one without its number: %q", got)
	}
}
