package allocation_test

import (
	"strings"
	"testing"

	"husly/internal/allocation"
)

func TestEvaluate(t *testing.T) {
	pol := allocation.DefaultPolicy()
	need := allocation.Need{ID: "A", Priority: 40, HousingType: "ordinaer", Rooms: 1, Requirements: []string{"bakkeplan"},
		WantDistricts: []string{"Frei"}, AvoidDistricts: []string{"Sentrum"}, SmokeFree: true, Pets: true}
	home := allocation.Home{ID: "U", Category: "ordinaer", Rooms: 2, Floor: 1, District: "Frei", PetsAllowed: true, NearServices: true}
	for _, tc := range []struct {
		name    string
		change  func(h *allocation.Home, m *allocation.Mix, n *allocation.Need)
		allowed bool
		score   float64
		reason  string
	}{
		{"fits", func(*allocation.Home, *allocation.Mix, *allocation.Need) {}, true, 40 + 10 + 3 + 2 - 2, "Ønsket bydel (Frei): +10"},
		{"wrong type", func(h *allocation.Home, _ *allocation.Mix, _ *allocation.Need) { h.Category = "omsorgsbolig" }, false, 0, "vedtaket gjelder ordinær"},
		{"too small", func(h *allocation.Home, _ *allocation.Mix, n *allocation.Need) { n.Rooms = 3 }, false, 0, "krever 3 rom, boligen har 2"},
		{"fourth floor", func(h *allocation.Home, _ *allocation.Mix, _ *allocation.Need) { h.Floor = 4 }, false, 0, "bakkeplan eller heis"},
		{"fourth floor with lift", func(h *allocation.Home, _ *allocation.Mix, _ *allocation.Need) { h.Floor, h.Lift = 4, true }, true, 53, "Prioritet 40: +40"},
		{"no pets", func(h *allocation.Home, _ *allocation.Mix, _ *allocation.Need) { h.PetsAllowed = false }, false, 0, "søkeren har dyr"},
		{"avoided district", func(h *allocation.Home, _ *allocation.Mix, _ *allocation.Need) { h.District = "sentrum" }, false, 0, "vil ikke bo i sentrum"},
		{"mix over the limit", func(_ *allocation.Home, m *allocation.Mix, n *allocation.Need) {
			n.HighNeed, m.Residents, m.HighNeed = true, 9, 4
		}, false, 0, "50 % beboere med stort oppfølgingsbehov"},
		{"mix under the limit", func(_ *allocation.Home, m *allocation.Mix, n *allocation.Need) {
			n.HighNeed, m.Residents, m.HighNeed = true, 9, 2
		}, true, 53, "Nær tjenester: +2"},
		{"ROP share over the limit", func(_ *allocation.Home, m *allocation.Mix, n *allocation.Need) {
			n.ROP, m.Residents, m.ROP = true, 9, 5
		}, false, 0, "60 % beboere med oppfølging for rus og psykisk helse"},
		{"outside the site's age band", func(h *allocation.Home, _ *allocation.Mix, n *allocation.Need) {
			n.Age, h.Site, h.SiteRules = 45, "Ungdomsboligene", allocation.SiteRules{MinAge: 18, MaxAge: 30}
		}, false, 0, "Ungdomsboligene tar imot søkere fra 18 til 30 år, søkeren er 45"},
		{"inside the site's age band", func(h *allocation.Home, _ *allocation.Mix, n *allocation.Need) {
			n.Age, h.SiteRules = 25, allocation.SiteRules{MinAge: 18, MaxAge: 30, NoHighNeed: true}
		}, true, 53, "Prioritet 40"},
		{"a site without staffing for high needs", func(h *allocation.Home, _ *allocation.Mix, n *allocation.Need) {
			n.HighNeed, h.SiteRules = true, allocation.SiteRules{NoHighNeed: true}
		}, false, 0, "Stedet har ikke bemanning for stort oppfølgingsbehov"},
		{"near family and friends", func(h *allocation.Home, _ *allocation.Mix, n *allocation.Need) {
			n.NetworkDistricts = []string{"Frei"}
		}, true, 58, "Nær familie og venner (Frei): +5"},
		{"never below zero", func(h *allocation.Home, _ *allocation.Mix, n *allocation.Need) {
			n.Priority, h.Rooms, h.District, h.NearServices, h.SmokingAllowed = 0, 6, "", false, true
		}, true, 0, "Summen settes til 0"},
	} {
		n, h, m := need, home, allocation.Mix{}
		n.Requirements = append([]string(nil), need.Requirements...)
		tc.change(&h, &m, &n)
		e := allocation.Evaluate(n, h, m, pol)
		if e.Allowed != tc.allowed || e.Score != tc.score || !strings.Contains(strings.Join(e.Reasons, "\n"), tc.reason) {
			t.Errorf("%s: %+v, want allowed=%v score=%v with %q", tc.name, e, tc.allowed, tc.score, tc.reason)
		}
	}
}

func TestPriorityRules(t *testing.T) {
	rules := allocation.DefaultRules()
	p, parts := allocation.Priority(rules, allocation.Facts{Groups: []allocation.Group{"barnefamilie"}, HomelessNow: true, DaysWaiting: 95})
	if p != 30+20+3 || len(parts) != 3 || !strings.Contains(parts[2].Reason, "Ventet 95 dager") {
		t.Fatalf("priority %v %+v", p, parts)
	}
	if p, _ := allocation.Priority(rules, allocation.Facts{DaysWaiting: 5000}); p != 12 {
		t.Fatalf("waiting time is capped: %v", p)
	}
	for _, bad := range []string{`[{"kind":"gruppe","group":"vip","points":5}]`, `[{"kind":"ventetid","points":1}]`, `[{"kind":"lykke","points":1}]`,
		`[{"kind":"gruppe","group":"loslatt","points":-1}]`, `{"kind":"gruppe"}`, `[{"kind":"gruppe","group":"loslatt","points":1,"extra":1}]`} {
		if _, err := allocation.ParseRules([]byte(bad)); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
	// Raising the points for families moves the family up, the others down.
	facts := []allocation.Facts{{HomelessNow: true}, {Groups: []allocation.Group{"barnefamilie"}}, {DaysWaiting: 400}}
	next := allocation.DefaultRules()
	next[1].Points = 50
	moves := allocation.Impact(rules, next, facts)
	if len(moves) != 2 || moves[0].Index != 1 || moves[0].RankBefore != 2 || moves[0].Rank != 1 {
		t.Fatalf("impact: %+v", moves)
	}
}

// A refusal by the building's ROP share is marked, so the case flow can
// word it without saying the person is followed for substance use and
// mental health to a viewer who may not know.
func TestRefusalByROPShareIsMarked(t *testing.T) {
	pol := allocation.DefaultPolicy()
	pol.MixLimit, pol.ROPLimit = 0.3, 0.3
	home := allocation.Home{ID: "U", Category: "ordinaer", Rooms: 1}
	full := allocation.Mix{Residents: 4, HighNeed: 2, ROP: 2}
	rop := allocation.Evaluate(allocation.Need{ID: "R", HousingType: "ordinaer", Rooms: 1, ROP: true}, home, full, pol)
	if rop.Allowed || !rop.ROPLimit {
		t.Fatalf("ROP refusal: %+v", rop)
	}
	high := allocation.Evaluate(allocation.Need{ID: "H", HousingType: "ordinaer", Rooms: 1, HighNeed: true}, home, full, pol)
	if high.Allowed || high.ROPLimit {
		t.Fatalf("high-need refusal marked as ROP: %+v", high)
	}
	if strings.Contains(allocation.ROPHidden, "rus") || strings.Contains(allocation.ROPHidden, "ROP") {
		t.Fatal("the hidden wording names substance use")
	}
}
