package caseflow

// The case flow's stored codes, one named type per concept. The values are
// what the database holds (and what its CHECK constraints allow), so a
// constant here names a stored value, never a new one.

// Status is where an application (the case) stands; the leaders' overview
// counts cases by it.
type Status string

const (
	StatusReceived   Status = "mottatt"
	StatusInProgress Status = "under_behandling"
	StatusGranted    Status = "innvilget"
	StatusOffered    Status = "tilbud"
	StatusAllocated  Status = "tildelt"
	StatusLease      Status = "kontrakt"
	StatusReview     Status = "ny_vurdering"
	StatusRefused    Status = "avslatt"
)

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x.Code == string(s) {
			return true
		}
	}
	return false
}

// Outcome is a combined decision's result.
type Outcome string

const (
	OutcomeGranted Outcome = "innvilget"
	OutcomeRefused Outcome = "avslag"
)

// Valid reports whether o is a decision's outcome.
func (o Outcome) Valid() bool { return o == OutcomeGranted || o == OutcomeRefused }

// OfferStatus is where an offer of a unit stands.
type OfferStatus string

const (
	OfferPending   OfferStatus = "tilbudt"
	OfferAccepted  OfferStatus = "akseptert"
	OfferDeclined  OfferStatus = "avslatt"
	OfferWithdrawn OfferStatus = "trukket"
)

// InspectionKind is a move-in or a move-out inspection.
type InspectionKind string

const (
	MoveIn  InspectionKind = "innflytting"
	MoveOut InspectionKind = "utflytting"
)

// Valid reports whether k is an inspection kind.
func (k InspectionKind) Valid() bool { return k == MoveIn || k == MoveOut }

// AppealStatus is where an appeal stands: received and reconsidered by the
// deciding unit (forvaltningsloven § 33), then sent to and decided by
// Statsforvalteren.
type AppealStatus string

const (
	AppealReceived  AppealStatus = "mottatt"
	AppealReversed  AppealStatus = "omgjort"
	AppealUpheld    AppealStatus = "opprettholdt"
	AppealForwarded AppealStatus = "sendt_statsforvalter"
	AppealDecided   AppealStatus = "avgjort"
	// AppealDismissed: the appeal came too late and the unit chose not to
	// consider it (forvaltningsloven § 31).
	AppealDismissed AppealStatus = "avvist"
)

// AppealOutcome is Statsforvalteren's outcome of an appeal.
type AppealOutcome string

const (
	AppealConfirmed AppealOutcome = "stadfestet"
	AppealChanged   AppealOutcome = "omgjort"
	AppealQuashed   AppealOutcome = "opphevet"
)

// Valid reports whether o is one of Statsforvalteren's outcomes.
func (o AppealOutcome) Valid() bool { return Has(AppealOutcomes, string(o)) }
