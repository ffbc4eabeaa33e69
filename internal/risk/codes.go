package risk

// Kind is the kind of reason a tenancy is at risk.
type Kind string

// Kinds of reason, in the order the issue lists them.
const (
	Arrears       Kind = "restanse"
	Complaints    Kind = "klager"
	MissedContact Kind = "uteblitt_kontakt"
	Ladder        Kind = "eskalering"
	LeaseEnding   Kind = "kontrakt_utlop"
)
