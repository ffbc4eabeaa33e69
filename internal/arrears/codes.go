package arrears

// Kind is what a due is for. Each kind's name is in the catalogues
// (arrears.kind.<code>).
type Kind string

// Kinds of due (the issue: rent, electricity, other).
const (
	Rent        Kind = "husleie"
	Electricity Kind = "strom"
	Other       Kind = "annet"
)

// Kinds in the order forms list them.
var Kinds = []Kind{Rent, Electricity, Other}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Rent || k == Electricity || k == Other }

// OutcomeKind is what the conversation led to (arrears.outcome.<code>).
type OutcomeKind string

// Outcomes of the conversation (the list: payment plan, deduction
// from benefits, application for help from NAV — økonomisk stønad,
// sosialtjenesteloven § 18 —, bostøtte, other).
const (
	PaymentPlan     OutcomeKind = "betalingsplan"
	BenefitDeduct   OutcomeKind = "trekk_i_ytelse"
	NAVApplication  OutcomeKind = "soknad_nav"
	HousingAllow    OutcomeKind = "bostotte"
	OtherOutcome    OutcomeKind = "annet"
	statusOpen                  = "apen"
	statusHeld                  = "gjennomfort"
	assignedPrimary             = "primaerkontakt"
	assignedOffice              = "boligkontor"
)

// Outcomes in the order forms list them.
var Outcomes = []OutcomeKind{PaymentPlan, BenefitDeduct, NAVApplication, HousingAllow, OtherOutcome}

// Valid reports whether o is a known outcome.
func (o OutcomeKind) Valid() bool {
	for _, x := range Outcomes {
		if x == o {
			return true
		}
	}
	return false
}

// Source is where a batch came from.
type Source string

// Sources of a batch.
const (
	FromFile Source = "fil"
	FromAPI  Source = "api"
)

// The audit log's names for what this package changes (audit.Entry.Entity):
// words of the log, not codes.
const (
	entityDue          = "restanse"
	entityConversation = "restansesamtale"
	entityBatch        = "restansebunke"
)
