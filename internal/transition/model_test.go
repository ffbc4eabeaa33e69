package transition

import (
	"testing"

	"husly/internal/deadline"
)

func TestAlert(t *testing.T) {
	today := deadline.Of(2026, 12, 1)
	for _, c := range []struct {
		days    int
		outcome Outcome
		want    int
	}{
		{100, Open, 0}, {57, Open, 0}, {56, Open, 8}, {29, Open, 8}, {28, Open, 4}, {15, Open, 4}, {14, Open, 2}, {0, Open, 2}, {-3, Open, 2},
		{10, SafeHome, 0}, {10, NoHome, 0},
	} {
		if got := Alert(today.AddDays(c.days), c.outcome, today); got != c.want {
			t.Errorf("%d days, %q: alert %d, want %d", c.days, c.outcome, got, c.want)
		}
	}
	if Alert(deadline.Date{}, Open, today) != 0 {
		t.Error("no date, no alert")
	}
}

func TestInputNamesTheField(t *testing.T) {
	p := Input{}.Check()
	if len(p) != 4 {
		t.Fatalf("an empty registration has four problems, got %v", p)
	}
	if p[2].String()[:5] != "Dato:" {
		t.Errorf("the missing date names its field: %v", p[2])
	}
	ok := Input{PersonID: 1, Kind: Prison, Leaving: deadline.Of(2027, 1, 10), ResponsibleID: 2, MeetingOn: deadline.Of(2027, 2, 1)}
	if p := ok.Check(); len(p) != 1 {
		t.Errorf("a meeting after the date is refused: %v", p)
	}
}

func TestStayInput(t *testing.T) {
	in := StayInput{PersonID: 1, Place: "Hospits", Owner: "Privat", Start: deadline.Of(2026, 5, 2), End: deadline.Of(2026, 5, 1), PricePerNight: -1}
	p := in.Check()
	if len(p) != 2 {
		t.Fatalf("end before start and a negative price: %v", p)
	}
}

func TestLongStays(t *testing.T) {
	today := deadline.Of(2026, 12, 1)
	s := DefaultSettings
	alone := s.Judge(Stay{Start: today.AddDays(-91)}, today)
	if !alone.Long || alone.Days != 91 {
		t.Errorf("91 nights alone is long: %+v", alone)
	}
	if s.Judge(Stay{Start: today.AddDays(-90)}, today).Long {
		t.Error("90 nights is at the limit, not over it")
	}
	if !s.Judge(Stay{Start: today.AddDays(-8), Children: 2}, today).Long {
		t.Error("eight nights with children is over the family limit")
	}
	if got := Nights(deadline.Of(2026, 1, 1), deadline.Of(2026, 1, 11), today); got != 10 {
		t.Errorf("an ended stay counts to its end: %d", got)
	}
}

func TestByMonth(t *testing.T) {
	today := deadline.Of(2026, 3, 15)
	stays := []Stay{{Start: deadline.Of(2026, 1, 30), End: deadline.Of(2026, 2, 3)}, {Start: deadline.Of(2026, 3, 10), Children: 1}}
	got := ByMonth(stays, deadline.Of(2025, 12, 1), today, today)
	want := []MonthDays{{"2025-12", 0, 0}, {"2026-01", 2, 0}, {"2026-02", 2, 0}, {"2026-03", 5, 5}}
	if len(got) != len(want) {
		t.Fatalf("months %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s: %+v, want %+v", want[i].Month, got[i], want[i])
		}
	}
}

func TestTable(t *testing.T) {
	rows := Table([]GroupCount{{Prison, NoHome, 2}, {Prison, SafeHome, 1}, {Institution, Open, 3}})
	if rows[1].Kind != Prison || rows[1].NoHome != 2 || rows[1].Total != 3 || rows[0].Unknown != 3 {
		t.Errorf("rows %+v", rows)
	}
}

func TestSettingsCheck(t *testing.T) {
	if p := DefaultSettings.Check(); len(p) != 0 {
		t.Errorf("the defaults hold: %v", p)
	}
	if p := (Settings{VisitWeeks: 4, CheckMonths: 12, StayDays: 30, FamilyStayDays: 60, Source: "x"}).Check(); len(p) != 1 {
		t.Errorf("a family limit above the general one is refused: %v", p)
	}
}

func TestAftercare(t *testing.T) {
	birth := deadline.Of(2002, 3, 10)
	if !InAftercare(birth, deadline.Of(2027, 3, 9)) {
		t.Error("the day before turning 25 is within aftercare")
	}
	if InAftercare(birth, deadline.Of(2027, 3, 10)) {
		t.Error("aftercare ends at 25")
	}
}
