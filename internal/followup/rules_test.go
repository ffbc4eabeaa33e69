package followup

import (
	"strings"
	"testing"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/invalid"
)

func day(s string) deadline.Date {
	d, err := deadline.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func has(ps []invalid.Message, part string) bool {
	for _, p := range ps {
		if strings.Contains(p.String(), part) {
			return true
		}
	}
	return false
}

func TestFollowUpCaseloadAgainstNorm(t *testing.T) {
	fact := DefaultNorms()[FACT]
	// Seed 002's FACT Sandnes: about 60 for 13.65 person-years is the norm itself.
	if l := Caseload(fact, 13.65, 60); l.Over || l.Max != 60 {
		t.Fatalf("FACT at its own example: %+v", l)
	}
	if l := Caseload(fact, 13.65, 61); !l.Over {
		t.Fatalf("61 residents for 13.65 person-years must warn: %+v", l)
	}
	if !strings.Contains(fact.Source, "13,65") {
		t.Errorf("the FACT norm must show its source: %q", fact.Source)
	}
	if l := Caseload(DefaultNorms()[Caretaker], 1, 500); l.Over || l.Max != 0 {
		t.Errorf("a model without a norm never warns: %+v", l)
	}
	for _, m := range Models {
		n, ok := DefaultNorms()[m]
		if !ok || n.Source == "" {
			t.Errorf("model %s has no default norm with a source", m)
		}
	}
	team := Team{Name: "FACT", Norm: fact, Members: []Member{
		{UserID: 1, Name: "Kari", Role: CaseManager, FTE: 1},
		{UserID: 2, Name: "Per", Role: PeerWorker, FTE: 0.5},
	}}
	team.Measure(map[int64]int{1: 5, 2: 0}, 5)
	if !team.Members[0].Load.Over || team.Members[0].Load.Max != 4.4 {
		t.Errorf("one person-year carrying 5 against 4.4: %+v", team.Members[0].Load)
	}
	if team.PersonYears != 1.5 || team.Load.Over {
		t.Errorf("team: %v person-years, %+v", team.PersonYears, team.Load)
	}
	if Does(PeerWorker, TaskPrimaryContact) || !Does(PeerWorker, TaskAccompany) {
		t.Error("the peer worker's own profile: accompanies, carries no caseload")
	}
}

func TestFollowUpStartNeedsMembers(t *testing.T) {
	team := Team{Name: "Housing First-teamet", Members: []Member{{UserID: 1, Name: "Kari", Role: CaseManager, FTE: 1}, {UserID: 2, Name: "Per", Role: PeerWorker, FTE: 1}}}
	today := day("2026-11-01")
	if p := CheckStart(StartInput{PrimaryID: 1, Intensity: High, StartOn: today}, team, today); len(p) != 0 {
		t.Fatalf("a valid start: %v", p)
	}
	p := CheckStart(StartInput{PrimaryID: 9, CoordinatorID: 8, Intensity: "svært"}, team, today)
	for _, want := range []string{"primærkontakten må være medlem av Housing First-teamet", "koordinatoren må være medlem", "hvor tett"} {
		if !has(p, want) {
			t.Errorf("missing %q in %v", want, p)
		}
	}
	if p := CheckStart(StartInput{PrimaryID: 2, Intensity: Low}, team, today); !has(p, "ikke er primærkontakt") {
		t.Errorf("a peer worker as primary contact: %v", p)
	}
}

func TestFollowUpContactRules(t *testing.T) {
	start, today := day("2026-01-10"), day("2026-11-01")
	ok := ContactInput{Kind: HomeVisit, On: today, Minutes: 30, StaffIDs: []int64{1}, NoteCategory: access.FollowUpPlan}
	if p := CheckContact(ok, start, Active, today); len(p) != 0 {
		t.Fatalf("a valid contact: %v", p)
	}
	cases := map[string]ContactInput{
		"fram i tid":           {Kind: Phone, On: today.AddDays(1), Minutes: 5, StaffIDs: []int64{1}, NoteCategory: access.Health},
		"før oppfølgingen":     {Kind: Phone, On: start.AddDays(-1), Minutes: 5, StaffIDs: []int64{1}, NoteCategory: access.Health},
		"minst to ansatte":     {Kind: HomeVisit, On: today, Minutes: 30, Risky: true, StaffIDs: []int64{1}, NoteCategory: access.Health},
		"velg hvordan":         {Kind: "brev", On: today, Minutes: 30, StaffIDs: []int64{1}, NoteCategory: access.Health},
		"varigheten":           {Kind: Video, On: today, Minutes: 0, StaffIDs: []int64{1}, NoteCategory: access.Health},
		"hvilken kategori":     {Kind: Video, On: today, Minutes: 10, StaffIDs: []int64{1}, NoteCategory: access.IDNumber},
		"skriv resten i journ": {Kind: Video, On: today, Minutes: 10, StaffIDs: []int64{1}, NoteCategory: access.Health, Note: strings.Repeat("x", MaxNote+1)},
	}
	for want, in := range cases {
		if p := CheckContact(in, start, Active, today); !has(p, want) {
			t.Errorf("%q not in %v", want, p)
		}
	}
}

func TestFollowUpEndsOnlyByResident(t *testing.T) {
	start, today := day("2026-01-10"), day("2026-11-01")
	if p := CheckEnd(EndInput{On: today, Statement: "Jeg klarer meg selv nå, takk for hjelpen.", Reason: GoalsReached}, start, Active, today); len(p) != 0 {
		t.Fatalf("the resident's own wish: %v", p)
	}
	for reason, want := range map[EndReason]string{"flyttet": "flytting", "mistet_bolig": "tap av boligen", "uteblitt": "ikke møter til", "": "velg beboerens grunn"} {
		if p := CheckEnd(EndInput{On: today, Statement: "Beboeren sa ja", Reason: reason}, start, Active, today); !has(p, want) {
			t.Errorf("reason %q: %v", reason, p)
		}
	}
	if p := CheckEnd(EndInput{On: today, Reason: NoLongerWanted}, start, Active, today); !has(p, "beboerens egne ord") {
		t.Errorf("no statement: %v", p)
	}
	if p := CheckDoor(DoorInput{Statement: "Vil ikke nå", Channel: "Miljøvaktmesteren stikker innom", AskAgain: today}, Active, today); !has(p, "etter i dag") {
		t.Errorf("ask again today: %v", p)
	}
}

func TestFollowUpAlerts(t *testing.T) {
	today := day("2026-11-01")
	states := []State{
		{FollowUpID: 1, Model: HousingFirst, Status: Active, Start: day("2026-01-01"), LastContact: day("2026-10-20"), MinDays: 7},
		{FollowUpID: 2, Model: HousingFirst, Status: Active, Start: day("2026-01-01"), LastContact: day("2026-10-29"), MinDays: 7},
		// The open door keeps low-key contact: no frequency alert, but the day to ask again.
		{FollowUpID: 3, Model: HousingFirst, Status: DoorOpen, Start: day("2026-01-01"), AskAgain: day("2026-10-31"), MinDays: 7},
		{FollowUpID: 4, Model: CTI, Status: Active, Start: day("2026-02-01"), LastContact: today, MinDays: 14},
	}
	appts := []Appointment{{ID: 7, FollowUpID: 2, On: day("2026-11-02"), RemindOn: day("2026-10-31"), OwnerID: 5}, {ID: 8, FollowUpID: 2, On: day("2026-11-20"), RemindOn: day("2026-11-18")}}
	got := Alerts(states, appts, today)
	kinds := map[AlertKind][]int64{}
	for _, a := range got {
		kinds[a.Kind] = append(kinds[a.Kind], a.FollowUpID)
	}
	if len(kinds[ContactOverdue]) != 1 || kinds[ContactOverdue][0] != 1 || got[0].Days != 5 {
		t.Errorf("contact overdue: %+v", got)
	}
	if len(kinds[AskAgain]) != 1 || len(kinds[AppointmentDue]) != 1 || len(kinds[CTIEnding]) != 1 {
		t.Errorf("alerts: %+v", got)
	}
	if addMonths(day("2026-05-31"), 9) != day("2027-02-28") {
		t.Errorf("addMonths keeps within the month: %v", addMonths(day("2026-05-31"), 9))
	}
}

func TestFollowUpRestrictionRules(t *testing.T) {
	today := day("2026-11-01")
	ok := Restriction{Kind: MedicationHeld, Description: "Personalet oppbevarer medisinene", LegalBasis: "pasient- og brukerrettighetsloven § 4-1 (samtykke)",
		From: today, Review: today.AddDays(30), Informed: today}
	if p := CheckRestriction(ok, nil, today); len(p) != 0 {
		t.Fatalf("a valid measure: %v", p)
	}
	for want, in := range map[string]Restriction{
		"hjemmelen":              {Kind: VisitorRules, Description: "x", From: today, Review: today.AddDays(1), Informed: today},
		"tre måneder":            {Kind: VisitorRules, Description: "x", LegalBasis: "§", From: today, Review: today.AddDays(120), Informed: today},
		"vurderes på nytt (høy":  {Kind: VisitorRules, Description: "x", LegalBasis: "§", From: today, Informed: today},
		"senest den dagen":       {Kind: VisitorRules, Description: "x", LegalBasis: "§", From: today.AddDays(-5), Review: today, Informed: today},
		"hva tiltaket gjelder":   {Kind: "innelåsing", Description: "x", LegalBasis: "§", From: today, Review: today, Informed: today},
		"kan ikke være før tilt": {Kind: VisitorRules, Description: "x", LegalBasis: "§", From: today, Until: today.AddDays(-1), Review: today, Informed: today},
	} {
		if p := CheckRestriction(in, nil, today); !has(p, want) {
			t.Errorf("%q not in %v", want, p)
		}
	}
	// An overlapping measure of the same kind must be reviewed no later
	// than the one in force; one of another kind may overlap.
	existing := []Restriction{{Kind: MedicationHeld, From: today.AddDays(-10), Review: today.AddDays(20)}}
	later := ok
	later.Review = today.AddDays(40)
	if p := CheckRestriction(later, existing, today); !has(p, "overlapper") {
		t.Errorf("an overlap reviewed later: %v", p)
	}
	same := ok
	same.Review = today.AddDays(20)
	if p := CheckRestriction(same, existing, today); len(p) != 0 {
		t.Errorf("an overlap reviewed the same day: %v", p)
	}
	other := ok
	other.Kind = VisitorRules
	other.Review = today.AddDays(60)
	if p := CheckRestriction(other, existing, today); len(p) != 0 {
		t.Errorf("another kind: %v", p)
	}
}

// The pipeline's step offers the phase after the participant's own, the
// only one CheckAdvance takes, and nothing after the last.
func TestPipelineNextPhase(t *testing.T) {
	on := deadline.Of(2026, 3, 1)
	e := Entry{ReferredOn: on}
	for _, want := range []Phase{Mapped, Agreement, Housed, Following, ""} {
		next := e.Next()
		if next != want {
			t.Fatalf("in %s: next %q, want %q", e.PhaseOf(), next, want)
		}
		if next == "" {
			break
		}
		in := AdvanceInput{Phase: next, On: on, HomeChoice: "Egen leilighet på Frei"}
		if p := CheckAdvance(e, in, on); len(p) != 0 {
			t.Fatalf("in %s, the next phase %s is refused: %v", e.PhaseOf(), next, p)
		}
		switch next {
		case Mapped:
			e.MappedOn = on
		case Agreement:
			e.AgreementOn = on
		case Housed:
			e.HousedOn = on
		case Following:
			e.FollowUpOn = on
		}
	}
}
