package risk

import (
	"testing"

	"husly/internal/access"
	"husly/internal/deadline"
)

func TestRankGroupsPerTenancyAndOrdersByUrgency(t *testing.T) {
	d := func(day int) deadline.Date { return deadline.Date{Year: 2026, Month: 11, Day: day} }
	signals := []Signal{
		{Kind: Arrears, PersonID: 1, LeaseID: 10, Since: d(5), Urgency: 30, Category: access.Finances},
		{Kind: Complaints, PersonID: 2, LeaseID: 20, Since: d(1), Urgency: 20, Category: access.Tenancy},
		// A missed contact has no lease; it joins person 1's only lease.
		{Kind: MissedContact, PersonID: 1, Since: d(2), Urgency: 25, Category: access.FollowUpPlan},
		{Kind: Ladder, PersonID: 3, LeaseID: 30, Since: d(9), Urgency: 20, Category: access.Tenancy},
	}
	got := Rank(signals, nil)
	if len(got) != 3 {
		t.Fatalf("want 3 tenancies, got %d: %+v", len(got), got)
	}
	if got[0].PersonID != 1 || got[0].LeaseID != 10 || got[0].Urgency != 55 || got[0].Since != d(2) {
		t.Errorf("first should be person 1 on lease 10 with urgency 55 since the 2nd, got %+v", got[0])
	}
	if got[0].Signals[0].Kind != Arrears {
		t.Errorf("signals should be most urgent first, got %v", got[0].Signals[0].Kind)
	}
	// Equal urgency: the older signal first.
	if got[1].PersonID != 2 || got[2].PersonID != 3 {
		t.Errorf("equal urgency should order by the oldest signal, got %d then %d", got[1].PersonID, got[2].PersonID)
	}

	// A viewer without finances sees person 1 only through the missed contact.
	onlyTenancy := func(_ int64, c access.Category) bool { return c != access.Finances }
	got = Rank(signals, onlyTenancy)
	for _, e := range got {
		for _, s := range e.Signals {
			if s.Category == access.Finances {
				t.Fatalf("a finances signal reached a viewer without the category: %+v", s)
			}
		}
	}
	if got[0].PersonID != 1 || got[0].Urgency != 25 {
		t.Errorf("without finances person 1 should weigh 25, got %+v", got[0])
	}
}
