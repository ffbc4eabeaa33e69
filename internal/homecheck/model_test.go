package homecheck

import (
	"testing"

	"husly/internal/access"
	"husly/internal/deadline"
)

func TestOwners(t *testing.T) {
	for _, it := range Items {
		want := FollowUp
		if it == Damp || it == Damage || it == SmokeAlarm || it == Extinguisher {
			want = Property
		}
		if it.Owner() != want {
			t.Errorf("%s goes to %s, want %s", it, it.Owner(), want)
		}
	}
	if Furniture.Category() != access.HousingNeeds || Damp.Category() != access.Tenancy {
		t.Error("categories")
	}
}

func TestDue(t *testing.T) {
	in := deadline.Of(2026, 10, 1)
	if k, d := Due(in, deadline.Date{}, 4, 12); k != AfterMoveIn || d != deadline.Of(2026, 10, 29) {
		t.Errorf("first visit: %s %s", k, d)
	}
	if k, d := Due(in, deadline.Of(2026, 11, 3), 4, 12); k != Periodic || d != deadline.Of(2027, 11, 3) {
		t.Errorf("periodic: %s %s", k, d)
	}
}

func TestCheckInput(t *testing.T) {
	today := deadline.Of(2026, 12, 1)
	in := Input{LeaseID: 1, PersonID: 2, Kind: Periodic, On: today.AddDays(1), Answers: []Answer{{Item: Damp, Finding: true}, {Item: "tak"}}}
	if p := in.Check(today); len(p) != 3 {
		t.Errorf("future date, finding without a note, unknown item: %v", p)
	}
}
