package transition

import (
	"husly/internal/access"
)

// Kind is where the person leaves from.
type Kind string

const (
	// Institution: discharge from specialist health care. The date is the
	// day the patient is ready for discharge (utskrivningsklar), from
	// which the municipality pays (helse- og omsorgstjenesteloven § 11-4
	// and forskrift om kommunal betaling for utskrivningsklare pasienter).
	Institution Kind = "institusjon"
	// Prison: release, with the date from the prison service
	// (straffegjennomføringsloven; the municipality's cooperation with
	// kriminalomsorgen on release).
	Prison Kind = "fengsel"
	// ChildWelfare: aftercare from child welfare, up to 25 years
	// (barnevernsloven 2021 § 8-1).
	ChildWelfare Kind = "barnevern"
	// Temporary: moving on from temporary housing (sosialtjenesteloven § 27).
	Temporary Kind = "midlertidig"
)

// Kinds in the order forms and reports show them.
var Kinds = []Kind{Institution, Prison, ChildWelfare, Temporary}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Category is what a transition of this kind reveals about the person.
// That someone is to be discharged from an institution is health data. That
// someone is in prison is data about criminal offences (GDPR art. 10),
// for which Husly has no category of its own: it is filed as health, the
// special category (consent or legal basis before sharing) the follow-up
// teams who plan a release hold, so property staff and case workers
// without consent never see it, and the access log overstates rather
// than understates the read. Child welfare's aftercare reveals the
// household, as a child-welfare unit's role does (org.DefaultReveals,
// barnevernsloven § 13-1). Leaving temporary housing reveals the housing
// need.
func (k Kind) Category() access.Category {
	switch k {
	case Institution, Prison:
		return access.Health
	case ChildWelfare:
		return access.Household
	}
	return access.HousingNeeds
}

// Outcome is where the person went.
type Outcome string

const (
	Open     Outcome = ""            // not yet known
	SafeHome Outcome = "trygg_bolig" // a safe home
	TempHome Outcome = "midlertidig" // temporary housing
	NoHome   Outcome = "ingenting"   // nothing: left without a home
)

// Outcomes lists the outcomes a form offers.
var Outcomes = []Outcome{SafeHome, TempHome, NoHome}

// Valid reports whether o is one of Outcomes.
func (o Outcome) Valid() bool { return o == SafeHome || o == TempHome || o == NoHome }

// InstitutionKind is the kind of institution a person leaves. It reveals more
// than the transition's kind: a treatment institution is health care, a
// child-welfare institution is child welfare.
type InstitutionKind string

const (
	// Treatment: a health institution (hospital, mental health care,
	// substance-use treatment), from which the patient is discharged when
	// ready (utskrivningsklar, helse- og omsorgstjenesteloven § 11-4).
	Treatment InstitutionKind = "behandling"
	// OtherInstitution: an institution of another kind.
	OtherInstitution InstitutionKind = "annen"
	// ChildWelfareInstitution: a child-welfare institution (barnevernsloven
	// kap. 10), which a young person leaves into aftercare (§ 8-1): a
	// child-welfare transition, not a health one.
	ChildWelfareInstitution InstitutionKind = "barnevern"
)

// Route is where a person went when a stay in temporary housing ended
// (sosialtjenesteloven § 27): the kind of the route out, beside its
// description. It decides the outcome of the transition the stay opened
// (Route.Outcome), so the left-without-a-home report (seed 002's minimum
// requirement) counts the stay.
type Route string

const (
	// RouteOwnHome: a home of one's own, rented on the market or owned.
	RouteOwnHome Route = "egen_bolig"
	// RouteMunicipal: a municipal rental home (kommunal utleiebolig).
	RouteMunicipal Route = "kommunal_bolig"
	// RouteTemporary: another temporary place, still without a home.
	RouteTemporary Route = "annet_midlertidig"
	// RouteNoHome: no home, or not known where: the municipality cannot
	// say the person has one.
	RouteNoHome Route = "uten_bolig"
)

// Routes lists the routes out in the order the form offers them.
var Routes = []Route{RouteOwnHome, RouteMunicipal, RouteTemporary, RouteNoHome}

// Valid reports whether r is one of Routes.
func (r Route) Valid() bool {
	for _, x := range Routes {
		if x == r {
			return true
		}
	}
	return false
}

// Outcome is the transition outcome a route out gives: a home of one's own
// or a municipal home is a safe home, another temporary place is temporary
// housing, and no home (or none known) is leaving without a home.
func (r Route) Outcome() Outcome {
	switch r {
	case RouteOwnHome, RouteMunicipal:
		return SafeHome
	case RouteTemporary:
		return TempHome
	case RouteNoHome:
		return NoHome
	}
	return Open
}
