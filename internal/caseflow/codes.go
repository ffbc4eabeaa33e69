package caseflow

import (
	"strings"

	"husly/internal/allocation"
	"husly/internal/invalid"
)

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

// ApplicationKind is what an application asks for: a municipal dwelling,
// housing-social assistance under the 2023 act, or both.
type ApplicationKind string

const (
	KindHousing    ApplicationKind = "kommunal_bolig"
	KindAssistance ApplicationKind = "boligsosial_bistand"
	KindBoth       ApplicationKind = "begge"
)

// ParseApplicationKind reads a kind from a form or the API.
func ParseApplicationKind(s string) (ApplicationKind, error) {
	switch k := ApplicationKind(s); k {
	case KindHousing, KindAssistance, KindBoth:
		return k, nil
	}
	return "", invalid.Problem("velg hva det søkes om")
}

// Housing reports whether the application asks for a municipal dwelling.
func (k ApplicationKind) Housing() bool { return k == KindHousing || k == KindBoth }

// TaskKind is what a task on the work list asks for: a decision, missing
// information, a service given without a decision, an offer's answer, a
// lease to sign, a move-out, an appeal or a lease's renewal.
type TaskKind string

const (
	TaskDecide  TaskKind = "vedtak"
	TaskRequest TaskKind = "opplysninger"
	TaskInterim TaskKind = "tjeneste uten vedtak"
	TaskOffer   TaskKind = "tilbud"
	TaskLease   TaskKind = "kontrakt"
	TaskMoveOut TaskKind = "utflytting"
	TaskAppeal  TaskKind = "klage"
	TaskRenewal TaskKind = "fornyelse"
)

// AlternativeKind is an alternative to municipal rental the case worker
// considers: the state's and the municipality's other instruments.
type AlternativeKind string

const (
	AltStartLoan    AlternativeKind = "startlan"
	AltHousingAid   AlternativeKind = "bostotte"
	AltGrant        AlternativeKind = "tilskudd"
	AltPrivateLease AlternativeKind = "privat_leie"
	AltOther        AlternativeKind = "annet"
)

// ParseAlternativeKind reads an alternative from a form or the API.
func ParseAlternativeKind(s string) (AlternativeKind, error) {
	switch k := AlternativeKind(s); k {
	case AltStartLoan, AltHousingAid, AltGrant, AltPrivateLease, AltOther:
		return k, nil
	}
	return "", invalid.Problem("velg hvilket alternativ som er vurdert")
}

// AlternativeOutcome says where an alternative stands.
type AlternativeOutcome string

const (
	AltNotRelevant AlternativeOutcome = "ikke_aktuelt"
	AltGuided      AlternativeOutcome = "veiledet"
	AltApplied     AlternativeOutcome = "sokt"
	AltGranted     AlternativeOutcome = "innvilget"
	AltRefused     AlternativeOutcome = "avslatt"
)

// ParseAlternativeOutcome reads an alternative's outcome from a form or the API.
func ParseAlternativeOutcome(s string) (AlternativeOutcome, error) {
	switch o := AlternativeOutcome(s); o {
	case AltNotRelevant, AltGuided, AltApplied, AltGranted, AltRefused:
		return o, nil
	}
	return "", invalid.Problem("velg utfallet av vurderingen")
}

// ContactChannel is the door a first contact came through.
type ContactChannel string

const (
	FromNAV            ContactChannel = "nav"
	FromHousingOffice  ContactChannel = "boligkontor"
	FromOutreach       ContactChannel = "oppsokende"
	FromPeerWorker     ContactChannel = "erfaringskonsulent"
	FromGP             ContactChannel = "fastlege"
	FromSpecialistCare ContactChannel = "spesialisthelse"
	FromCorrections    ContactChannel = "kriminalomsorgen"
	FromChildWelfare   ContactChannel = "barnevern"
	FromSelf           ContactChannel = "selv"
)

// ParseContactChannel reads a first contact's channel from a form or the API.
func ParseContactChannel(s string) (ContactChannel, error) {
	switch c := ContactChannel(s); c {
	case FromNAV, FromHousingOffice, FromOutreach, FromPeerWorker, FromGP, FromSpecialistCare,
		FromCorrections, FromChildWelfare, FromSelf:
		return c, nil
	}
	return "", invalid.Problem("ukjent kanal %q", s)
}

// Group is a priority group an applicant belongs to. The eligibility rules
// and the priority rules name groups; a municipality may name groups of
// its own in the eligibility rules, which are Groups without a constant.
// The groups are allocation's, whose priority rules name them too.
type Group = allocation.Group

const (
	GroupHomeless     = allocation.GroupHomeless
	GroupFamily       = allocation.GroupFamily
	GroupReleased     = allocation.GroupReleased   // released from prison
	GroupDischarged   = allocation.GroupDischarged // discharged from an institution
	GroupHousingFirst = allocation.GroupHousingFirst
)

// AllGroups lists the groups an application can state, in the order forms
// show them.
var AllGroups = allocation.AllGroups

// ParseGroup reads a priority group an application states.
func ParseGroup(s string) (Group, error) {
	for _, g := range AllGroups {
		if string(g) == s {
			return g, nil
		}
	}
	return "", invalid.Problem("ukjent prioritetsgruppe %q", s)
}

// GroupsOf types the groups a form or a stored list names; the
// application's validation reports the unknown ones.
func GroupsOf(codes []string) []Group {
	if codes == nil {
		return nil
	}
	out := make([]Group, len(codes))
	for i, c := range codes {
		out[i] = Group(c)
	}
	return out
}

// joinGroups is the groups as the applications table stores them.
func joinGroups(gs []Group) string {
	codes := make([]string, len(gs))
	for i, g := range gs {
		codes[i] = string(g)
	}
	return strings.Join(codes, ",")
}

// Residence is where a person lives or stays now.
type Residence string

const (
	OwnHome        Residence = "egen_bolig"           // owned or rented in their own name
	Sublet         Residence = "fremleie"             // a sublet home
	FamilyLasting  Residence = "fast_hos_familie"     // living permanently with close family
	Temporary      Residence = "midlertidig_botilbud" // hostel, campsite cabin, crisis centre, emergency housing
	WithOthers     Residence = "midlertidig_hos_andre"
	Institution    Residence = "institusjon" // health or child-welfare institution
	Prison         Residence = "fengsel"
	NoPlaceTonight Residence = "uten_sted_i_natt"
)
