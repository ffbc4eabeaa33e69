package movingon

// Outcome is what the renewal decision at a lease's end says.
type Outcome string

// Outcomes of a renewal decision.
const (
	// Renew: a new time-limited lease in the same home (husleieloven
	// § 11-1; the municipality's three years, seed 002).
	Renew Outcome = "fornyes"
	// NotRenew: the lease ends; an individual decision with its reasons
	// (forvaltningsloven §§ 24–25) and the right to appeal (§ 28).
	NotRenew Outcome = "fornyes_ikke"
	// ToOrdinary: the resident moves on to ordinary rental or ownership.
	ToOrdinary Outcome = "ordinar_bolig"
	// MoreSupport: the resident moves to a more supported setting; a new
	// allocation is an individual decision too.
	MoreSupport Outcome = "mer_oppfolging"
)

// Outcomes lists every outcome in the order the form shows them.
var Outcomes = []Outcome{Renew, NotRenew, ToOrdinary, MoreSupport}

// IsDecision reports whether the outcome is an individual decision under
// forvaltningsloven § 2 b that needs reasons and a letter with the right
// to appeal: everything but a plain renewal, which gives the resident what
// they had.
func (o Outcome) IsDecision() bool { return o != Renew }

// Goal is where the plan leads.
type Goal string

// Goals of a plan.
const (
	GoalRent    Goal = "ordinar_leie"   // ordinary rental on the private market
	GoalOwn     Goal = "eie"            // ownership, often with Startlån
	GoalSupport Goal = "mer_oppfolging" // a more supported setting
)

// Goals lists the goals in the order the form shows them.
var Goals = []Goal{GoalRent, GoalOwn, GoalSupport}

// Startlan is how ready the resident is for Husbanken's Startlån
// (forskrift om startlån fra kommunen).
type Startlan string

// Startlån states.
const (
	StartlanUnassessed Startlan = "ikke_vurdert"
	StartlanNA         Startlan = "ikke_aktuelt"
	StartlanNotReady   Startlan = "ikke_klar"
	StartlanReady      Startlan = "klar"
	StartlanApplied    Startlan = "soknad_sendt"
	StartlanGranted    Startlan = "innvilget"
)

// StartlanStates lists the states in order.
var StartlanStates = []Startlan{StartlanUnassessed, StartlanNA, StartlanNotReady, StartlanReady, StartlanApplied, StartlanGranted}

// Bostotte is where the resident stands with Husbanken's bostøtte
// (bustøttelova).
type Bostotte string

// Bostøtte states.
const (
	BostotteUnassessed Bostotte = "ikke_vurdert"
	BostotteNA         Bostotte = "ikke_aktuelt"
	BostotteApplied    Bostotte = "soknad_sendt"
	BostotteGranted    Bostotte = "innvilget"
	BostotteRefused    Bostotte = "avslag"
)

// BostotteStates lists the states in order.
var BostotteStates = []Bostotte{BostotteUnassessed, BostotteNA, BostotteApplied, BostotteGranted, BostotteRefused}

// CreditResult is what a credit check found.
type CreditResult string

// Credit check results.
const (
	NoRemarks      CreditResult = "ingen_anmerkning"
	PaymentRemarks CreditResult = "anmerkning"
	DebtSettlement CreditResult = "gjeldsordning"
)

// CreditResults lists the results in order.
var CreditResults = []CreditResult{NoRemarks, PaymentRemarks, DebtSettlement}

// ItemKind is what a row of the person's moving on in their dossier is;
// the dossier's statement writes these values.
type ItemKind string

const (
	ItemDecision ItemKind = "vedtak"       // a renewal decision
	ItemPlan     ItemKind = "plan"         // the plan to move on
	ItemCheck    ItemKind = "kredittsjekk" // a credit check
)

// The audit log's names for what this package changes (audit.Entry.Entity):
// words of the log, not codes.
const (
	entityDecision = "fornyelsesvedtak"
	entityPlan     = "boligkarriereplan"
	entityCheck    = "kredittsjekk"
)

// Kind is when a decision on the tenancy is made: at a time-limited
// lease's end, or during the lease, time-limited or open-ended.
type Kind string

// Kinds of decisions on the tenancy.
const (
	// AtEnd: the renewal decision on a time-limited lease's end
	// (husleieloven § 11-1).
	AtEnd Kind = "ved_utlop"
	// DuringLease: a move decision while the lease runs (issue "Keeping
	// the home" point 9: a move to a more supported setting when needed).
	DuringLease Kind = "i_leieperioden"
)

// MoveOutcomes are the outcomes of a move decision during the lease, in
// the order the form shows them.
var MoveOutcomes = []Outcome{MoreSupport, ToOrdinary}

// AppealStatus is where the appeal of a tenancy decision stands
// (forvaltningsloven §§ 32–34).
type AppealStatus string

// Appeal statuses.
const (
	// AppealReceived: received, waiting for the deciding unit (§ 33).
	AppealReceived AppealStatus = "mottatt"
	// AppealReversed: the unit reversed its decision; it no longer stands.
	AppealReversed AppealStatus = "omgjort"
	// AppealForwarded: the unit upheld it and sent the appeal to
	// Statsforvalteren (§ 33 fourth paragraph).
	AppealForwarded AppealStatus = "sendt_statsforvalter"
	// AppealDecided: Statsforvalteren has decided; that decision is final
	// (§ 28 third paragraph).
	AppealDecided AppealStatus = "avgjort"
)

// AppealStatuses lists the statuses in order.
var AppealStatuses = []AppealStatus{AppealReceived, AppealReversed, AppealForwarded, AppealDecided}

// Reconsideration is the deciding unit's answer to an appeal (§ 33).
type Reconsideration string

// Reconsiderations.
const (
	Reverse Reconsideration = "omgjor"       // the decision is reversed
	Uphold  Reconsideration = "opprettholde" // upheld, sent to Statsforvalteren
)

// Reconsiderations lists them in the order the form shows them.
var Reconsiderations = []Reconsideration{Uphold, Reverse}

// AppealOutcome is Statsforvalteren's outcome (§ 34).
type AppealOutcome string

// Statsforvalteren's outcomes.
const (
	AppealConfirmed AppealOutcome = "stadfestet" // the decision stands
	AppealChanged   AppealOutcome = "endret"     // changed: it no longer stands as made
	AppealQuashed   AppealOutcome = "opphevet"   // quashed: it no longer stands
)

// AppealOutcomes lists the outcomes in order.
var AppealOutcomes = []AppealOutcome{AppealConfirmed, AppealChanged, AppealQuashed}

// ItemAppeal is an appeal row of the person's dossier.
const ItemAppeal ItemKind = "klage"

const entityAppeal = "klage på boligvedtak"
