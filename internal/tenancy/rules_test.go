package tenancy

import (
	"strings"
	"testing"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

func text(p []invalid.Message) string { return strings.Join(invalid.Texts(p, "nb", nil), "; ") }

func TestNoticeEndsAtTheEndOfTheMonthPlusThePeriod(t *testing.T) {
	for _, c := range []struct {
		issued deadline.Date
		months int
		want   deadline.Date
	}{
		{deadline.Of(2026, 11, 15), 3, deadline.Of(2027, 2, 28)},
		{deadline.Of(2026, 4, 1), 3, deadline.Of(2026, 7, 31)},
		{deadline.Of(2026, 12, 31), 1, deadline.Of(2027, 1, 31)},
		{deadline.Of(2027, 11, 30), 3, deadline.Of(2028, 2, 29)},
	} {
		if got := NoticeEnds(c.issued, c.months); got != c.want {
			t.Errorf("notice given %s with %d months: ends %s, want %s", c.issued, c.months, got, c.want)
		}
	}
}

func TestCheckStep(t *testing.T) {
	today := deadline.Of(2026, 11, 20)
	ok := StepInput{Step: Warning, IssuedOn: today, PreventiveAction: "Samtale med beboer og bo-oppfølger"}
	if p := CheckStep(ok, "", today); len(p) != 0 {
		t.Fatalf("a warning with a preventive action should pass: %s", text(p))
	}
	cases := []struct {
		name    string
		in      StepInput
		current Step
		want    string
	}{
		{"no preventive action", StepInput{Step: Warning, IssuedOn: today}, "", "forebyggende tiltak"},
		{"future date", StepInput{Step: Warning, IssuedOn: today.AddDays(1), PreventiveAction: "x"}, "", "fram i tid"},
		{"skip without reason", StepInput{Step: Cancellation, IssuedOn: today, PreventiveAction: "x", Grounds: "y", Ground: GroundRent}, Warning, "hoppe over trinn"},
		{"same step again", StepInput{Step: Warning, IssuedOn: today, PreventiveAction: "x"}, Warning, "allerede"},
		{"notice without grounds", StepInput{Step: Notice, IssuedOn: today, PreventiveAction: "x", Ground: GroundBreach}, Warning, "§ 9-7"},
		{"notice without ground", StepInput{Step: Notice, IssuedOn: today, PreventiveAction: "x", Grounds: "Støy"}, Warning, "§ 9-5"},
		{"short period not agreed", StepInput{Step: Notice, IssuedOn: today, PreventiveAction: "x", Grounds: "Støy", Ground: GroundNuisance, NoticeMonths: 1}, Warning, "§ 9-6"},
		{"cancellation on own use", StepInput{Step: Cancellation, IssuedOn: today, PreventiveAction: "x", Grounds: "y", Ground: GroundOwnUse}, Notice, "§ 9-9"},
		{"eviction without day", StepInput{Step: Eviction, IssuedOn: today, PreventiveAction: "x"}, Petition, "utkastelsesdato"},
		{"unknown step", StepInput{Step: "kastet", IssuedOn: today, PreventiveAction: "x"}, "", "trinn:"},
	}
	for _, c := range cases {
		p := CheckStep(c.in, c.current, today)
		if !strings.Contains(text(p), c.want) {
			t.Errorf("%s: want a message with %q, got %q", c.name, c.want, text(p))
		}
	}
	// A skip with a reason, an agreed period and an eviction day ahead pass.
	for _, in := range []StepInput{
		{Step: Cancellation, IssuedOn: today, PreventiveAction: "x", Grounds: "Trusler mot nabo", Ground: GroundNuisance, OverrideReason: "Alvorlige trusler mot naboer"},
		{Step: Notice, IssuedOn: today, PreventiveAction: "x", Grounds: "Støy", Ground: GroundNuisance, NoticeMonths: 1, NoticeAgreed: true},
		{Step: Eviction, IssuedOn: today, PreventiveAction: "x", EvictionOn: today.AddDays(30)},
	} {
		current := Warning
		if in.Step == Eviction {
			current = Petition
		}
		if p := CheckStep(in, current, today); len(p) != 0 {
			t.Errorf("%s should pass: %s", in.Step, text(p))
		}
	}
}

func TestLadderOrder(t *testing.T) {
	next, skips := NextSteps("")
	if next != Warning || len(skips) != 4 {
		t.Errorf("an empty ladder starts with the warning, got %s and %v", next, skips)
	}
	steps := []LadderStep{{Step: Warning, Status: InForce}, {Step: Notice, Status: RolledBack}}
	if c := Current(steps); c != Warning {
		t.Errorf("a rolled-back notice leaves the warning current, got %s", c)
	}
	if next, _ := NextSteps(Eviction); next != "" {
		t.Errorf("nothing follows the eviction, got %s", next)
	}
	for i := 1; i < len(Steps); i++ {
		if Urgency(Steps[i])-Urgency(Steps[i-1]) < Urgency(Steps[i-1])-Urgency(Steps[max(i-2, 0)])-5 {
			t.Errorf("urgency should rise steeply toward the eviction: %v", Steps)
		}
	}
	if ComplaintUrgency(1, 1, 0) >= ComplaintUrgency(1, 1, 1) {
		t.Error("a threat should weigh more")
	}
}

func TestCheckComplaint(t *testing.T) {
	today := deadline.Of(2026, 11, 20)
	p := CheckComplaint(ComplaintInput{LeaseID: 1, Kind: "brann", Source: "avis", ReceivedOn: today.AddDays(2)}, today)
	for _, want := range []string{"hva gjelder det", "kilde", "mottatt: datoen kan ikke være fram i tid", "hva skjedde"} {
		if !strings.Contains(text(p), want) {
			t.Errorf("want %q in %q", want, text(p))
		}
	}
	if p := CheckInform(InformInput{On: today.AddDays(-3), How: "samtale"}, today, today); !strings.Contains(text(p), "før klagen kom") {
		t.Errorf("told before the complaint came should be refused, got %q", text(p))
	}
}

func TestBuildLetter(t *testing.T) {
	step := LadderStep{Step: Notice, IssuedOn: deadline.Of(2026, 11, 15), Grounds: "Gjentatt støy om natten.", Ground: GroundNuisance, NoticeMonths: 3,
		EndsOn: deadline.Of(2027, 2, 28), PreventiveAction: "Tilbud om bo-oppfølging", PreventiveBy: "Olav Oppfølger", WrittenForm: "nynorsk"}
	l, err := BuildLetter(LetterData{Municipality: "Kristiansund kommune", PersonName: "Rune Beboer", Address: "Storgata 1", Step: step})
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, s := range l.Sections {
		all.WriteString(strings.Join(s.Paragraphs, " "))
	}
	for _, want := range []string{"§ 9-7", "innan éin månad", "§ 9-8", "28.02.2027", "3 månader", "§ 27"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("the nynorsk notice should say %q: %s", want, all.String())
		}
	}
	if l.Lang != "nn" || !strings.Contains(l.Title, "Oppseiing") {
		t.Errorf("want a nynorsk letter, got %s %q", l.Lang, l.Title)
	}
	step.Grounds = ""
	if _, err := BuildLetter(LetterData{Step: step}); err == nil || !strings.Contains(err.Error(), "§ 9-7") {
		t.Errorf("a notice without grounds should be refused, got %v", err)
	}
	if _, err := BuildLetter(LetterData{Step: LadderStep{Step: Petition}}); err == nil {
		t.Error("no letter for a petition")
	}
}
