// Package movingon is the resident's way on from a municipal home
// (boligkarriere): a plan toward ordinary rental or ownership (Startlån
// readiness, bostøtte, saving, the time-limited lease as the window), the
// renewal decision at the lease's end, credit checks only with recorded
// permission, and a move to a more supported setting when that is what the
// situation needs (issue "Keeping the home"; seed 002: "boligkarriere", the
// three-year lease; husleieloven § 11-1).
//
// It also registers two of the risk list's sources (internal/risk): the
// follow-ups whose minimum contact frequency is missed, and the active
// leases that end soon without a renewal decision.
package movingon

import (
	"strings"
	"time"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

// DefaultRenewalMonths is the term of a renewed lease when none is given:
// the municipality's three years (seed 002: "ofte for tre år";
// husleieloven § 11-1 allows a shorter term for a municipal home let to
// the disadvantaged).
const DefaultRenewalMonths = 36

// RenewalInput is what the renewal form holds.
type RenewalInput struct {
	LeaseID  int64         `json:"lease_id"`
	PersonID int64         `json:"person_id"`
	Outcome  Outcome       `json:"outcome"`
	Reason   string        `json:"reason"`
	NewEnd   deadline.Date `json:"new_end_on,omitzero"`
	Decided  deadline.Date `json:"decided_on,omitzero"`
}

// CheckRenewal checks a renewal decision against the lease's end: a pure
// function. A refusal, a move or a new setting needs its reason
// (forvaltningsloven § 24); a renewal needs a new end after the old one;
// the decision is made today or earlier, never after the lease has ended
// more than a year ago.
func CheckRenewal(in RenewalInput, leaseEnd, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	known := false
	for _, o := range Outcomes {
		known = known || o == in.Outcome
	}
	if !known {
		p = append(p, invalid.F("velg vedtaket: fornyes, fornyes ikke, flytting til ordinær bolig eller flytting til et tilbud med mer oppfølging"))
	}
	reason := strings.TrimSpace(in.Reason)
	if known && in.Outcome.IsDecision() && reason == "" {
		// forvaltningsloven § 24 første ledd: an individual decision gives
		// its reasons when it is made.
		p = append(p, invalid.F("begrunnelse mangler: et vedtak om at leiekontrakten ikke fornyes eller om flytting skal begrunnes (forvaltningsloven § 24)"))
	}
	if len([]rune(reason)) > 4000 {
		p = append(p, invalid.F("begrunnelsen kan ha høyst 4000 tegn"))
	}
	if !in.Decided.IsZero() && today.Before(in.Decided) {
		p = append(p, invalid.F("vedtaksdato kan ikke være fram i tid"))
	}
	if in.Outcome == Renew && !in.NewEnd.IsZero() {
		if !leaseEnd.IsZero() && !leaseEnd.Before(in.NewEnd) {
			p = append(p, invalid.F("ny sluttdato må være etter dagens sluttdato (%s)", leaseEnd))
		}
		if in.NewEnd.Before(today) {
			p = append(p, invalid.F("ny sluttdato kan ikke være passert"))
		}
	}
	if in.Outcome != Renew && !in.NewEnd.IsZero() {
		p = append(p, invalid.F("ny sluttdato gjelder bare når leiekontrakten fornyes"))
	}
	return p
}

// RenewedEnd is the new end of a renewed lease: the date given, or the
// municipality's three years from the old end.
func RenewedEnd(in RenewalInput, leaseEnd deadline.Date) deadline.Date {
	if !in.NewEnd.IsZero() {
		return in.NewEnd
	}
	return addMonths(leaseEnd, DefaultRenewalMonths)
}

// PlanInput is what the plan form holds.
type PlanInput struct {
	PersonID      int64         `json:"person_id"`
	Goal          Goal          `json:"goal"`
	Startlan      Startlan      `json:"startlan"`
	Bostotte      Bostotte      `json:"bostotte"`
	SavingMonthly int           `json:"saving_monthly"`
	Saved         int           `json:"saved"`
	Target        deadline.Date `json:"target_on,omitzero"`
	NextStep      string        `json:"next_step"`
}

// CheckPlan checks a plan: a pure function. The target is a day to come
// (a plan looks ahead); amounts are whole kroner, not negative.
func CheckPlan(in PlanInput, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if !oneOf(in.Goal, Goals) {
		p = append(p, invalid.F("velg målet for planen: ordinær leie, eie eller et tilbud med mer oppfølging"))
	}
	if !oneOf(in.Startlan, StartlanStates) {
		p = append(p, invalid.F("velg hvor klar beboeren er for startlån"))
	}
	if !oneOf(in.Bostotte, BostotteStates) {
		p = append(p, invalid.F("velg status for bostøtte"))
	}
	if in.SavingMonthly < 0 || in.Saved < 0 {
		p = append(p, invalid.F("sparing per måned og oppspart beløp kan ikke være negative"))
	}
	if in.SavingMonthly > 1_000_000 || in.Saved > 100_000_000 {
		p = append(p, invalid.F("sparebeløpet er urimelig høyt: skriv hele kroner"))
	}
	if !in.Target.IsZero() && !today.Before(in.Target) {
		p = append(p, invalid.F("måldato må være fram i tid"))
	}
	if len([]rune(in.NextStep)) > 2000 {
		p = append(p, invalid.F("neste steg kan ha høyst 2000 tegn"))
	}
	return p
}

// CreditInput is what the credit check form holds.
type CreditInput struct {
	PersonID  int64         `json:"person_id"`
	ConsentID int64         `json:"consent_id"`
	Checked   deadline.Date `json:"checked_on,omitzero"`
	Result    CreditResult  `json:"result"`
	Note      string        `json:"note"`
}

// CheckCredit checks a credit check's form: a pure function. The
// permission itself is checked against the stored consent (store.go).
func CheckCredit(in CreditInput, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if in.ConsentID <= 0 {
		// personvernforordningen art. 6(1)(a) and 7: a credit check on the
		// resident's behalf needs their recorded permission.
		p = append(p, invalid.F("samtykke mangler: en kredittsjekk krever beboerens registrerte samtykke til å innhente økonomiopplysninger"))
	}
	if !oneOf(in.Result, CreditResults) {
		p = append(p, invalid.F("velg resultatet av kredittsjekken"))
	}
	if !in.Checked.IsZero() && today.Before(in.Checked) {
		p = append(p, invalid.F("datoen for kredittsjekken kan ikke være fram i tid"))
	}
	if len([]rune(in.Note)) > 2000 {
		p = append(p, invalid.F("merknaden kan ha høyst 2000 tegn"))
	}
	return p
}

func oneOf[T comparable](v T, all []T) bool {
	for _, x := range all {
		if x == v {
			return true
		}
	}
	return false
}

// addMonths adds months to a date; a day the month lacks becomes its last.
func addMonths(d deadline.Date, months int) deadline.Date {
	first := time.Date(d.Year, d.Month+time.Month(months), 1, 12, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return deadline.Of(first.Year(), first.Month(), min(d.Day, last))
}

// timeNow is the clock the reads use for a consent's state.
var timeNow = time.Now

// MoveInput is what the form for a move decision during the lease holds.
type MoveInput struct {
	LeaseID  int64         `json:"lease_id"`
	PersonID int64         `json:"person_id"`
	Outcome  Outcome       `json:"outcome"`
	Reason   string        `json:"reason"`
	Offered  string        `json:"offered"`
	MoveOn   deadline.Date `json:"move_on,omitzero"`
	Decided  deadline.Date `json:"decided_on,omitzero"`
}

// CheckMove checks a move decision during the lease: a pure function. It
// moves the resident to a more supported setting or on to ordinary
// housing; it gives its reasons (forvaltningsloven § 24) and says what is
// offered; the decision is made today or earlier, and the move is planned
// for the decision's day or later.
func CheckMove(in MoveInput, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if !oneOf(in.Outcome, MoveOutcomes) {
		p = append(p, invalid.F("velg flyttingen: til et tilbud med mer oppfølging eller til ordinær bolig"))
	}
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		// forvaltningsloven § 24 første ledd.
		p = append(p, invalid.F("begrunnelse mangler: et vedtak om flytting skal begrunnes (forvaltningsloven § 24)"))
	}
	if len([]rune(reason)) > 4000 {
		p = append(p, invalid.F("begrunnelsen kan ha høyst 4000 tegn"))
	}
	offered := strings.TrimSpace(in.Offered)
	if offered == "" {
		p = append(p, invalid.F("skriv hva beboeren får tilbud om: hvilken bolig eller hvilket tilbud"))
	}
	if len([]rune(offered)) > 300 {
		p = append(p, invalid.F("tilbudet kan ha høyst 300 tegn"))
	}
	decided := in.Decided
	if decided.IsZero() {
		decided = today
	}
	if today.Before(decided) {
		p = append(p, invalid.F("vedtaksdato kan ikke være fram i tid"))
	}
	if in.MoveOn.IsZero() {
		p = append(p, invalid.F("skriv planlagt flyttedato"))
	} else if in.MoveOn.Before(decided) {
		p = append(p, invalid.F("planlagt flyttedato kan ikke være før vedtaksdatoen (%s)", decided))
	}
	return p
}

// AppealInput is an appeal of a tenancy decision.
type AppealInput struct {
	ReceivedOn deadline.Date `json:"received_on,omitzero"` // empty: today
	Grounds    string        `json:"grounds"`
}

// CheckAppeal checks an appeal: a pure function. It says what is appealed
// and why (forvaltningsloven § 32 første ledd bokstav c), and is received
// today or earlier, not before the decision was made.
func CheckAppeal(in AppealInput, decided, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	g := strings.TrimSpace(in.Grounds)
	if g == "" {
		p = append(p, invalid.F("skriv hva du klager på og hvorfor"))
	}
	if len([]rune(g)) > 8000 {
		p = append(p, invalid.F("klagen kan ha høyst 8000 tegn"))
	}
	if !in.ReceivedOn.IsZero() {
		if today.Before(in.ReceivedOn) {
			p = append(p, invalid.F("mottatt-datoen kan ikke være fram i tid"))
		}
		if in.ReceivedOn.Before(decided) {
			p = append(p, invalid.F("klagen kan ikke være mottatt før vedtaket ble fattet (%s)", decided))
		}
	}
	return p
}

// AppealLate reports whether an appeal received on a day came after the
// deadline: only when the letter's notification is recorded, since the
// deadline runs from it (forvaltningsloven § 29). A late appeal is still
// received; the unit weighs it (§ 31).
func AppealLate(received, due deadline.Date) bool {
	return !due.IsZero() && due.Before(received)
}

// Stands reports whether a decision still stands after its appeals: not
// when the unit reversed it (§ 33) or Statsforvalteren changed or quashed
// it (§ 34).
func Stands(appeals []Appeal) bool {
	for _, x := range appeals {
		if x.Status == AppealReversed || x.Outcome == AppealChanged || x.Outcome == AppealQuashed {
			return false
		}
	}
	return true
}

// AppealStepInput moves an appeal on: the unit's reconsideration, or
// Statsforvalteren's outcome.
type AppealStepInput struct {
	// Reconsideration is set for the unit's step, Outcome for
	// Statsforvalteren's.
	Reconsideration Reconsideration `json:"reconsideration,omitempty"`
	Outcome         AppealOutcome   `json:"outcome,omitempty"`
	Note            string          `json:"note"`
	On              deadline.Date   `json:"on,omitzero"` // empty: today
}

// NextAppeal is the appeal after one step: a pure function. The unit
// reconsiders a received appeal first (§ 33: reverses, or upholds and
// sends it to Statsforvalteren the same day); Statsforvalteren's outcome
// comes only after that (§ 34). The day is not in the future nor before
// the step before it.
func NextAppeal(x Appeal, in AppealStepInput, today deadline.Date) (Appeal, []invalid.Message) {
	var p []invalid.Message
	on := in.On
	if on.IsZero() {
		on = today
	}
	if today.Before(on) {
		p = append(p, invalid.F("datoen kan ikke være fram i tid"))
	}
	note := strings.TrimSpace(in.Note)
	if len([]rune(note)) > 8000 {
		p = append(p, invalid.F("merknaden kan ha høyst 8000 tegn"))
	}
	switch {
	case in.Reconsideration != "" && in.Outcome != "":
		p = append(p, invalid.F("registrer enten enhetens vurdering eller Statsforvalterens utfall"))
	case in.Reconsideration != "":
		if x.Status != AppealReceived {
			p = append(p, invalid.F("klagen er allerede vurdert av enheten"))
		}
		if !oneOf(in.Reconsideration, Reconsiderations) {
			p = append(p, invalid.F("velg om vedtaket omgjøres eller opprettholdes"))
		}
		if note == "" {
			p = append(p, invalid.F("skriv enhetens vurdering av klagen"))
		}
		if on.Before(x.ReceivedOn) {
			p = append(p, invalid.F("datoen kan ikke være før klagen ble mottatt (%s)", x.ReceivedOn))
		}
		x.ReconsideredOn, x.Reconsideration = on, note
		x.Status = AppealReversed
		if in.Reconsideration == Uphold {
			x.Status, x.ForwardedOn = AppealForwarded, on
		}
	case in.Outcome != "":
		if x.Status != AppealForwarded {
			p = append(p, invalid.F("utfallet registreres når klagen er sendt Statsforvalteren"))
		}
		if !oneOf(in.Outcome, AppealOutcomes) {
			p = append(p, invalid.F("velg Statsforvalterens utfall"))
		}
		if !x.ForwardedOn.IsZero() && on.Before(x.ForwardedOn) {
			p = append(p, invalid.F("utfallet kan ikke være før klagen ble sendt (%s)", x.ForwardedOn))
		}
		x.Status, x.Outcome, x.OutcomeOn, x.OutcomeNote = AppealDecided, in.Outcome, on, note
	default:
		p = append(p, invalid.F("velg om vedtaket omgjøres eller opprettholdes"))
	}
	return x, p
}
