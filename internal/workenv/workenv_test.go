package workenv

import (
	"strings"
	"testing"

	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/invalid"
)

func has(ms []invalid.Message, part string) bool {
	for _, m := range ms {
		if strings.Contains(m.String(), part) {
			return true
		}
	}
	return false
}

var today = deadline.Of(2026, 12, 6)

func TestCheckHeld(t *testing.T) {
	in := HeldInput{UserID: 1, Competence: FirstAid, TakenOn: today.AddDays(-10), ExpiresOn: today.AddDays(700)}
	if p := CheckHeld(in, true, today); len(p) != 0 {
		t.Fatalf("%v", p)
	}
	in.ExpiresOn = today.AddDays(-20)
	if p := CheckHeld(in, true, today); !has(p, "utløper: utløpsdatoen") {
		t.Errorf("expiry before taken: %v", p)
	}
	if p := CheckHeld(HeldInput{Competence: "yoga", TakenOn: today.AddDays(1)}, false, today); !has(p, "ansatt:") || !has(p, "kompetanse:") || !has(p, "fram i tid") {
		t.Errorf("%v", p)
	}
}

func TestStanding(t *testing.T) {
	members := []Member{{UserID: 1, Name: "Ada", Role: followup.CaseManager}, {UserID: 2, Name: "Bo", Role: followup.PeerWorker}}
	plan := []Requirement{
		{ID: 1, Competence: FirstAid, EveryMonths: 24, FirstDue: today.AddDays(-30)},
		{ID: 2, Competence: PeerWork, Role: followup.PeerWorker, FirstDue: today.AddDays(10)},
		{ID: 3, Competence: MI, FirstDue: today.AddDays(100)},
	}
	held := []Held{
		{UserID: 1, Competence: FirstAid, TakenOn: deadline.Of(2024, 1, 31)},                        // due 2026-01-31: overdue
		{UserID: 2, Competence: FirstAid, TakenOn: deadline.Of(2026, 1, 1)},                         // due 2028
		{UserID: 2, Competence: FirstAid, TakenOn: deadline.Of(2023, 1, 1)},                         // older, ignored
		{UserID: 1, Competence: MI, TakenOn: deadline.Of(2025, 1, 1), ExpiresOn: today.AddDays(20)}, // expires soon
	}
	got := map[[2]int64]Status{}
	for _, s := range Standing(members, plan, held, today) {
		got[[2]int64{s.RequirementID, s.UserID}] = s
	}
	if len(got) != 5 {
		t.Fatalf("%d lines, want 5 (peer work only for the peer worker)", len(got))
	}
	for k, want := range map[[2]int64]State{{1, 1}: Overdue, {1, 2}: Current, {2, 2}: DueSoon, {3, 1}: DueSoon, {3, 2}: Current} {
		if got[k].State != want {
			t.Errorf("%v: %s, want %s (%+v)", k, got[k].State, want, got[k])
		}
	}
	if d := got[[2]int64{1, 1}].Due; d != deadline.Of(2026, 1, 31) {
		t.Errorf("renewal due %s", d)
	}
	if d := addMonths(deadline.Of(2024, 1, 31), 1); d != deadline.Of(2024, 2, 29) {
		t.Errorf("a month after 31 January 2024 is %s", d)
	}
}

func TestCheckRoundAndRisk(t *testing.T) {
	members := map[int64]bool{1: true}
	r := Round{HeldOn: today, Findings: "Mørk trapp", Measures: []Measure{{What: "Lys", OwnerID: 1, DueOn: today.AddDays(30)}, {What: "Alarm", DueOn: today.AddDays(30)},
		{What: "Skilt", OwnerID: 9, DueOn: today.AddDays(-1)}}}
	p := CheckRound(r, members, today)
	if !has(p, "tiltak 2: ansvarlig mangler") || !has(p, "tiltak 3: ansvarlig må være medlem") || !has(p, "tiltak 3: fristen kan ikke være før") || has(p, "tiltak 1") {
		t.Errorf("%v", p)
	}
	// The form's row 1 left empty: the one measure is named by its row, 2.
	row2 := Round{HeldOn: today, Findings: "Mørk trapp", Measures: []Measure{{What: "Lys", DueOn: today.AddDays(30), Row: 2}}}
	if p := CheckRound(row2, members, today); !has(p, "tiltak 2: ansvarlig mangler") || has(p, "tiltak 1") {
		t.Errorf("the measure in row 2: %v", p)
	}
	risk := Risk{PersonID: 1, Assessment: "Hund", TwoStaff: true, AssessedOn: today}
	if p := CheckRisk(risk, today); !has(p, "ny vurdering: velg datoen") {
		t.Errorf("no review day: %v", p)
	}
	risk.ReviewOn = today.AddDays(400)
	if p := CheckRisk(risk, today); !has(p, "innen ett år") {
		t.Errorf("review too late: %v", p)
	}
	if p := CheckRisk(Risk{Assessment: "x", AssessedOn: today, ReviewOn: today}, today); !has(p, "beboer eller adresse") {
		t.Errorf("neither resident nor address: %v", p)
	}
}

func TestNeedsTwo(t *testing.T) {
	d := func(n int) deadline.Date { return today.AddDays(n) }
	list := []Risk{
		{ID: 1, PersonID: 5, TwoStaff: true, AssessedOn: d(-100)},
		{ID: 2, PersonID: 5, TwoStaff: false, AssessedOn: d(-10)}, // a newer assessment lifts it
		{ID: 3, Address: "Storgata 1", TwoStaff: true, AssessedOn: d(-50)},
	}
	if r, ok := NeedsTwo(list, today); !ok || r.ID != 3 {
		t.Errorf("the address still needs two: %v %v", r, ok)
	}
	if _, ok := NeedsTwo(list[:2], today); ok {
		t.Error("the newer assessment of the resident governs")
	}
	if r, ok := NeedsTwo(list[:2], d(-20)); !ok || r.ID != 1 {
		t.Error("a visit before the newer assessment was made")
	}
	if _, ok := NeedsTwo(list, d(-200)); ok {
		t.Error("no assessment before it was made")
	}
}
