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

// The summary per building counts each tenancy once in its building, each
// kind of reason once per tenancy, leaves out tenancies without a
// building, and puts the most urgent building first.
func TestByBuilding(t *testing.T) {
	d := deadline.Date{Year: 2026, Month: 11, Day: 1}
	entries := []Entry{
		{PersonID: 1, LeaseID: 10, BuildingID: 7, Urgency: 30, Since: d, Signals: []Signal{{Kind: Arrears}, {Kind: Arrears}, {Kind: Complaints}}},
		{PersonID: 2, LeaseID: 20, BuildingID: 8, Urgency: 50, Since: d, Signals: []Signal{{Kind: LeaseEnding}}},
		{PersonID: 3, LeaseID: 30, BuildingID: 7, Urgency: 25, Since: d, Signals: []Signal{{Kind: Complaints}}},
		{PersonID: 4, Urgency: 90, Since: d, Signals: []Signal{{Kind: MissedContact}}},
	}
	names := []Building{{ID: 7, Name: "Blokk A"}, {ID: 8, Name: "Blokk B"}, {ID: 9, Name: "Blokk C"}}
	got := byBuilding(entries, names, nil)
	if len(got) != 2 {
		t.Fatalf("two buildings have risks, got %+v", got)
	}
	if got[0].ID != 7 || got[0].Name != "Blokk A" || got[0].Tenancies != 2 || got[0].Urgency != 55 {
		t.Errorf("the most urgent building first, with two tenancies: %+v", got[0])
	}
	if want := []KindCount{{Complaints, 2}, {Arrears, 1}}; len(got[0].Reasons) != 2 || got[0].Reasons[0] != want[0] || got[0].Reasons[1] != want[1] {
		t.Errorf("reasons per tenancy, most frequent first: %+v", got[0].Reasons)
	}
	if got[1].ID != 8 || got[1].Tenancies != 1 || got[1].Urgency != 50 || len(got[1].Reasons) != 1 || got[1].Reasons[0].Kind != LeaseEnding {
		t.Errorf("the second building: %+v", got[1])
	}
	if empty := byBuilding(nil, nil, nil); empty == nil || len(empty) != 0 {
		t.Errorf("no entries give an empty summary, not nil: %#v", empty)
	}
	// A home the viewer may not see puts its tenancy in no building.
	got = byBuilding(entries, names, func(p int64) bool { return p != 3 })
	if got[0].ID != 8 || got[1].ID != 7 || got[1].Tenancies != 1 || len(got[1].Reasons) != 2 || got[1].Reasons[0] != (KindCount{Complaints, 1}) {
		t.Errorf("without person 3's home: %+v", got)
	}
}
