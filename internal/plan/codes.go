package plan

import (
	"slices"
)

// Kind is what a plan is.
type Kind string

const (
	// ActionPlan is the action plan: goals, measures, who is responsible,
	// due dates and a review cycle (seed 004).
	ActionPlan Kind = "handlingsplan"
	// Individual is the individual plan (helse- og omsorgstjenesteloven
	// § 7-1, pasient- og brukerrettighetsloven § 2-5, forskrift om
	// habilitering og rehabilitering, individuell plan og koordinator):
	// made only with the person's consent, owned by them.
	Individual Kind = "individuell_plan"
	// Crisis is the crisis plan: warning signs, what helps, whom to call.
	Crisis Kind = "kriseplan"
	// Group is the responsibility group (ansvarsgruppe).
	Group Kind = "ansvarsgruppe"
)

// Kinds lists the plans a follow-up may have.
var Kinds = []Kind{ActionPlan, Individual, Crisis, Group}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// HasGoals reports whether the plan is built on goals: the action plan and
// the individual plan.
func (k Kind) HasGoals() bool { return k == ActionPlan || k == Individual }

// Reviewed reports whether the plan has a review cycle.
func (k Kind) Reviewed() bool { return k == ActionPlan || k == Individual }

// Dimension is a recovery dimension of the CHIME framework (connectedness,
// hope, identity, meaning, empowerment), the personal-recovery processes
// the guide's Housing First work aims at (seed 002).
type Dimension string

const (
	Connectedness Dimension = "tilhorighet"
	Hope          Dimension = "hap"
	Identity      Dimension = "identitet"
	Meaning       Dimension = "mening"
	Empowerment   Dimension = "mestring"
)

// Dimensions lists CHIME in its order.
var Dimensions = []Dimension{Connectedness, Hope, Identity, Meaning, Empowerment}

// Area is the part of life a goal is about. Activity and work are their
// own areas: "Arbeid først" and IPS (individual placement and support)
// set goals of work and meaningful activity in the plan (seed 002).
type Area string

const (
	AreaHome      Area = "bolig"
	AreaWork      Area = "arbeid"
	AreaActivity  Area = "aktivitet"
	AreaHealth    Area = "helse"
	AreaMoney     Area = "okonomi"
	AreaNetwork   Area = "nettverk"
	AreaEducation Area = "utdanning"
	AreaOther     Area = "annet"
)

// Areas lists the areas a goal may have.
var Areas = []Area{AreaHome, AreaWork, AreaActivity, AreaHealth, AreaMoney, AreaNetwork, AreaEducation, AreaOther}

// PartKind is a part plan attached to an individual plan as a reference.
type PartKind string

const (
	TreatmentPlan PartKind = "behandlingsplan" // from specialist health or the GP
	EducationPlan PartKind = "iop"             // individuell opplæringsplan
	OtherPart     PartKind = "annen"
)

// PartKinds lists the part plans.
var PartKinds = []PartKind{TreatmentPlan, EducationPlan, OtherPart}

// Agency is who a responsibility group's member comes from. Anyone but
// the municipality's own staff is an outside agency and needs the
// person's consent to that recipient (access.OutsideConsent).
type Agency string

const (
	Municipality Agency = "kommune"
	GP           Agency = "fastlege"
	DPS          Agency = "dps"
	Specialist   Agency = "spesialisthelsetjenesten"
	NAV          Agency = "nav"
	Police       Agency = "politi"
	Relative     Agency = "parorende"
	OtherAgency  Agency = "annen"
)

// Agencies lists the members' agencies.
var Agencies = []Agency{Municipality, GP, DPS, Specialist, NAV, Police, Relative, OtherAgency}

// Outside reports whether the agency is outside the municipality's
// follow-up and so needs the person's consent.
func (a Agency) Outside() bool { return a != Municipality }

// consentKind is the outside-consent recipient a member's agency needs:
// NAV is named by the consent to "annen" (another party) since the
// outside consents name no NAV kind.
func (a Agency) consentKind() string {
	if a == NAV {
		return "annen"
	}
	return string(a)
}

// CommentKind is what the resident sends about a plan.
type CommentKind string

const (
	Comment  CommentKind = "kommentar"
	Proposal CommentKind = "forslag"
)
