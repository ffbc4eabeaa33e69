package transition

import (
	"strings"
	"testing"

	"husly/internal/access"
	"husly/internal/deadline"
)

// What a first contact or mapping says about a transition ahead: each
// kind with its date, an institution with its kind, and the category it
// reveals.
func TestExpected(t *testing.T) {
	on := deadline.Of(2027, 1, 15)
	for _, c := range []struct {
		e       Expected
		problem string // a field the problems name, "" for none
		cat     access.Category
	}{
		{Expected{}, "", access.HousingNeeds},
		{Expected{Kind: Institution, Institution: Treatment, Leaving: on}, "", access.Health},
		{Expected{Kind: Institution, Institution: OtherInstitution, Leaving: on}, "", access.Health},
		{Expected{Kind: Institution, Leaving: on}, "Institusjonstype:", access.Health},
		{Expected{Kind: Institution, Institution: ChildWelfareInstitution, Leaving: on}, "barneverninstitusjon", access.Health},
		{Expected{Kind: Institution, Institution: Treatment}, "Dato for overgangen:", access.Health},
		{Expected{Kind: Prison, Leaving: on}, "", access.Health},
		{Expected{Kind: Prison}, "Dato for overgangen:", access.Health},
		{Expected{Kind: Prison, Institution: Treatment, Leaving: on}, "Institusjonstype:", access.Health},
		{Expected{Kind: ChildWelfare, Institution: ChildWelfareInstitution, Leaving: on}, "", access.Household},
		{Expected{Kind: ChildWelfare, Leaving: on}, "", access.Household},
		{Expected{Kind: ChildWelfare}, "Dato for overgangen:", access.Household},
		{Expected{Kind: Temporary}, "", access.HousingNeeds},
		{Expected{Institution: Treatment}, "Forventet overgang:", access.Health},
		{Expected{Kind: "slott", Leaving: on}, "Forventet overgang:", access.HousingNeeds},
	} {
		var text []string
		for _, p := range c.e.Check() {
			text = append(text, p.String())
		}
		got := strings.Join(text, "; ")
		if c.problem == "" && got != "" || c.problem != "" && !strings.Contains(got, c.problem) {
			t.Errorf("%+v: problems %q, want %q", c.e, got, c.problem)
		}
		if cat := c.e.Category(); cat != c.cat {
			t.Errorf("%+v reveals %s, want %s", c.e, cat, c.cat)
		}
	}
}

// Aftercare lasts until the 25th birthday (barnevernsloven § 8-1).
func TestInAftercareOnTheDay(t *testing.T) {
	birth := deadline.Of(2001, 12, 2)
	if !InAftercare(birth, deadline.Of(2026, 12, 1)) || InAftercare(birth, deadline.Of(2026, 12, 2)) {
		t.Error("aftercare ends on the 25th birthday")
	}
}
