package movingon

import (
	"strings"
	"testing"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

func texts(ms []invalid.Message) string { return strings.Join(invalid.Texts(ms, "nb", nil), "; ") }

func TestCheckRenewal(t *testing.T) {
	today := deadline.Of(2026, 12, 6)
	end := deadline.Of(2027, 1, 31)
	for _, c := range []struct {
		name string
		in   RenewalInput
		want string // "" when valid
	}{
		{"a renewal needs no reasons", RenewalInput{Outcome: Renew}, ""},
		{"a refusal needs reasons", RenewalInput{Outcome: NotRenew, Reason: " "}, "begrunnelse mangler"},
		{"a move to a more supported setting needs reasons", RenewalInput{Outcome: MoreSupport}, "begrunnelse mangler"},
		{"a move on with reasons", RenewalInput{Outcome: ToOrdinary, Reason: "Startlån innvilget."}, ""},
		{"an unknown outcome", RenewalInput{Outcome: "kanskje"}, "velg vedtaket"},
		{"a decision in the future", RenewalInput{Outcome: Renew, Decided: today.AddDays(1)}, "vedtaksdato kan ikke være fram i tid"},
		{"a new end before the old", RenewalInput{Outcome: Renew, NewEnd: end.AddDays(-1)}, "ny sluttdato må være etter"},
		{"a new end on a refusal", RenewalInput{Outcome: NotRenew, Reason: "x", NewEnd: end.AddDays(400)}, "gjelder bare når"},
	} {
		got := texts(CheckRenewal(c.in, end, today))
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	if got := RenewedEnd(RenewalInput{Outcome: Renew}, deadline.Of(2027, 2, 28)); got != deadline.Of(2030, 2, 28) {
		t.Errorf("a renewal runs three more years by default, got %v", got)
	}
	if got := addMonths(deadline.Of(2026, 1, 31), 1); got != deadline.Of(2026, 2, 28) {
		t.Errorf("addMonths keeps the month's last day, got %v", got)
	}
}

func TestCheckPlanAndCredit(t *testing.T) {
	today := deadline.Of(2026, 12, 6)
	ok := PlanInput{Goal: GoalOwn, Startlan: StartlanReady, Bostotte: BostotteGranted, SavingMonthly: 2000, Target: today.AddDays(200)}
	if p := CheckPlan(ok, today); len(p) > 0 {
		t.Errorf("a good plan: %s", texts(p))
	}
	bad := ok
	bad.Target, bad.Saved = today, -1
	if got := texts(CheckPlan(bad, today)); !strings.Contains(got, "måldato må være fram i tid") || !strings.Contains(got, "negative") {
		t.Errorf("a target today and a negative amount: %q", got)
	}
	if got := texts(CheckCredit(CreditInput{Result: CreditClear}, today)); !strings.Contains(got, "samtykke mangler") {
		t.Errorf("a credit check without consent: %q", got)
	}
	if got := texts(CheckCredit(CreditInput{ConsentID: 1, Result: CreditClear, Checked: today.AddDays(1)}, today)); !strings.Contains(got, "fram i tid") {
		t.Errorf("a credit check in the future: %q", got)
	}
}

func TestUrgency(t *testing.T) {
	if LeaseEndingUrgency(-5) != 60 || LeaseEndingUrgency(0) != 60 || LeaseEndingUrgency(EndingWithinDays) != 10 || LeaseEndingUrgency(45) != 35 {
		t.Errorf("lease ending urgency: %d %d %d", LeaseEndingUrgency(0), LeaseEndingUrgency(45), LeaseEndingUrgency(EndingWithinDays))
	}
	if MissedContactUrgency(1) != 20 || MissedContactUrgency(20) != 30 || MissedContactUrgency(400) != 50 {
		t.Errorf("missed contact urgency: %d %d %d", MissedContactUrgency(1), MissedContactUrgency(20), MissedContactUrgency(400))
	}
}
