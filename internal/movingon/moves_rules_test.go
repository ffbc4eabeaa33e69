package movingon

import (
	"strings"
	"testing"

	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/writtenform"
)

func TestCheckMove(t *testing.T) {
	today := deadline.Of(2026, 12, 6)
	good := MoveInput{LeaseID: 1, PersonID: 2, Outcome: MoreSupport, Reason: "Trenger døgnbemanning.", Offered: "Bofellesskap med personale", MoveOn: today.AddDays(14)}
	for _, c := range []struct {
		name string
		edit func(*MoveInput)
		want string // "" when valid
	}{
		{"valid", func(*MoveInput) {}, ""},
		{"on to ordinary housing, moving today", func(x *MoveInput) { x.Outcome, x.MoveOn = ToOrdinary, today }, ""},
		{"decided earlier, moving that day", func(x *MoveInput) { x.Decided, x.MoveOn = today.AddDays(-10), today.AddDays(-10) }, ""},
		{"a renewal is no move", func(x *MoveInput) { x.Outcome = Renew }, "velg flyttingen"},
		{"a refusal is no move", func(x *MoveInput) { x.Outcome = NotRenew }, "velg flyttingen"},
		{"no reason", func(x *MoveInput) { x.Reason = " \n" }, "begrunnelse mangler"},
		{"nothing offered", func(x *MoveInput) { x.Offered = "" }, "får tilbud om"},
		{"offer too long", func(x *MoveInput) { x.Offered = strings.Repeat("x", 301) }, "høyst 300"},
		{"no move date", func(x *MoveInput) { x.MoveOn = deadline.Date{} }, "planlagt flyttedato"},
		{"move before the decision", func(x *MoveInput) { x.Decided, x.MoveOn = today.AddDays(-2), today.AddDays(-3) }, "før vedtaksdatoen"},
		{"move before today's decision", func(x *MoveInput) { x.MoveOn = today.AddDays(-1) }, "før vedtaksdatoen"},
		{"decided in the future", func(x *MoveInput) { x.Decided = today.AddDays(1) }, "fram i tid"},
	} {
		in := good
		c.edit(&in)
		got := texts(CheckMove(in, today))
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestAppealRules(t *testing.T) {
	today := deadline.Of(2026, 12, 6)
	decided := today.AddDays(-30)
	for _, c := range []struct {
		in   AppealInput
		want string
	}{
		{AppealInput{Grounds: "Jeg er uenig."}, ""},
		{AppealInput{Grounds: " "}, "hva du klager på"},
		{AppealInput{Grounds: "x", ReceivedOn: today.AddDays(1)}, "fram i tid"},
		{AppealInput{Grounds: "x", ReceivedOn: decided.AddDays(-1)}, "før vedtaket"},
		{AppealInput{Grounds: strings.Repeat("x", 8001)}, "8000"},
	} {
		if got := texts(CheckAppeal(c.in, decided, today)); c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%+v: %q, want %q", c.in, got, c.want)
		}
	}
	// Late only after a known deadline: before the notification the
	// deadline has not started (forvaltningsloven § 29).
	due := today.AddDays(-1)
	if !AppealLate(today, due) || AppealLate(due, due) || AppealLate(today, deadline.Date{}) {
		t.Error("AppealLate")
	}
	// The steps, in order: review, then Statsforvalteren's outcome.
	x := Appeal{ReceivedOn: today.AddDays(-5), Status: AppealReceived}
	if _, p := NextAppeal(x, AppealStepInput{Outcome: AppealConfirmed}, today); len(p) == 0 {
		t.Error("an outcome before the review")
	}
	if _, p := NextAppeal(x, AppealStepInput{Reconsideration: Uphold, Note: "x", On: today.AddDays(-6)}, today); len(p) == 0 {
		t.Error("a review before the appeal came")
	}
	if _, p := NextAppeal(x, AppealStepInput{Reconsideration: Uphold, Outcome: AppealConfirmed, Note: "x"}, today); len(p) == 0 {
		t.Error("both steps at once")
	}
	rev, p := NextAppeal(x, AppealStepInput{Reconsideration: Reverse, Note: "Klageren har rett."}, today)
	if len(p) > 0 || rev.Status != AppealReversed || Stands([]Appeal{rev}) {
		t.Errorf("reversed: %+v %v", rev, p)
	}
	up, p := NextAppeal(x, AppealStepInput{Reconsideration: Uphold, Note: "Vedtaket er riktig."}, today)
	if len(p) > 0 || up.Status != AppealForwarded || up.ForwardedOn != today || !Stands([]Appeal{up}) {
		t.Errorf("upheld: %+v %v", up, p)
	}
	if _, p := NextAppeal(up, AppealStepInput{Reconsideration: Reverse, Note: "x"}, today); len(p) == 0 {
		t.Error("a second review")
	}
	for o, stands := range map[AppealOutcome]bool{AppealConfirmed: true, AppealChanged: false, AppealQuashed: false} {
		done, p := NextAppeal(up, AppealStepInput{Outcome: o}, today)
		if len(p) > 0 || done.Status != AppealDecided || Stands([]Appeal{done}) != stands {
			t.Errorf("%s: %+v %v", o, done, p)
		}
	}
}

// The letter of a move decision in bokmål and nynorsk: the decision, what
// is offered and when, the reasons, the legal basis, the appeal right with
// its deadline from the notification, and the right to see the documents.
func TestMoveLetterInBothWrittenForms(t *testing.T) {
	today := deadline.Of(2026, 12, 6)
	r := Renewal{ID: 1, Outcome: MoreSupport, Kind: DuringLease, Reason: "Du trenger hjelp hele døgnet.", Offered: "Bofellesskap med personale", MoveOn: deadline.Of(2027, 1, 15),
		Decided: today, DecidedBy: "Kari Saksbehandler", Address: "Storgata 1", NotifiedOn: today, AppealDue: deadline.Of(2026, 12, 28)}
	practice := caseflow.Practice{AppealWeeks: 3, PaperPostDays: 5}
	text := func(form writtenform.Form, r Renewal) string {
		l := BuildRenewalLetter(r, "Ola Nordmann", "Testkommune", "Boligkontoret", practice, form, today)
		var b strings.Builder
		b.WriteString(l.Title + "\n" + l.Lang + "\n")
		for _, h := range l.Header {
			b.WriteString(h[0] + ": " + h[1] + "\n")
		}
		for _, s := range l.Sections {
			b.WriteString(s.Heading + "\n" + strings.Join(s.Paragraphs, "\n") + "\n")
		}
		return b.String()
	}
	nb := text(writtenform.Bokmal, r)
	for _, want := range []string{"Vedtak om flytting i leieperioden", "\nnb\n", "Storgata 1", "mer oppfølging: Bofellesskap med personale", "15.01.2027", "Du trenger hjelp hele døgnet.",
		"forvaltningsloven §§ 24 og 25", "innen 3 uker", "28.12.2026", "§ 18", "Boligkontoret"} {
		if !strings.Contains(nb, want) {
			t.Errorf("the bokmål letter lacks %q:\n%s", want, nb)
		}
	}
	nn := text(writtenform.Nynorsk, r)
	for _, want := range []string{"Vedtak om flytting i leigeperioden", "\nnn\n", "meir oppfølging: Bofellesskap med personale", "forvaltningslova", "innan 3 veker", "28.12.2026", "Siste dag for å klage"} {
		if !strings.Contains(nn, want) {
			t.Errorf("the nynorsk letter lacks %q:\n%s", want, nn)
		}
	}
	// The renewal letter at the lease's end follows the form too; before
	// the notification it gives the weeks, not a date.
	end := Renewal{ID: 2, Outcome: NotRenew, Kind: AtEnd, Reason: "Inntekten er over grensen.", LeaseEnd: deadline.Of(2027, 3, 31), Decided: today, Address: "Storgata 1"}
	nnEnd := text(writtenform.Nynorsk, end)
	if !strings.Contains(nnEnd, "vert ikkje fornya") && !strings.Contains(nnEnd, "ikkje") || strings.Contains(nnEnd, "Siste dag for å klage") || !strings.Contains(nnEnd, "31.03.2027") {
		t.Errorf("the nynorsk renewal letter:\n%s", nnEnd)
	}
	if nbEnd := text(writtenform.Bokmal, end); !strings.Contains(nbEnd, "blir ikke fornyet") || !strings.Contains(nbEnd, "Vedtak om leiekontrakten ved utløp") {
		t.Errorf("the bokmål renewal letter:\n%s", nbEnd)
	}
}
