package transition

import (
	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/invalid"
)

// Institutions lists the institution kinds a form offers.
var Institutions = []InstitutionKind{Treatment, OtherInstitution, ChildWelfareInstitution}

// Category is what the institution kind reveals. That someone is in a
// treatment institution is health data (GDPR art. 9); an institution of
// another kind in this register is one people are discharged from, filed
// as health too, overstating rather than understating; a child-welfare
// institution reveals the household, as child welfare's aftercare does.
func (i InstitutionKind) Category() access.Category {
	if i == ChildWelfareInstitution {
		return access.Household
	}
	return access.Health
}

// fits reports whether the institution kind belongs with the transition
// kind: a health or other institution with an institution, a child-welfare
// institution (or none: a foster home) with child welfare, none otherwise.
func (i InstitutionKind) fits(k Kind) bool {
	switch {
	case i == "":
		return true
	case k == Institution:
		return i == Treatment || i == OtherInstitution
	case k == ChildWelfare:
		return i == ChildWelfareInstitution
	}
	return false
}

// Expected is what a first contact or a mapping says about a transition
// ahead: where the person is to leave from and when. The zero value says
// nothing.
type Expected struct {
	Kind        Kind            `json:"kind"`
	Institution InstitutionKind `json:"institution_kind,omitempty"`
	Leaving     deadline.Date   `json:"leaving_on,omitzero"`
}

// None reports whether nothing is expected.
func (e Expected) None() bool { return e.Kind == "" }

// Category is what the expectation reveals: its kind's category (prison is
// filed as health, see Kind.Category), or the institution's when that is
// the stricter; they agree for every pair Check lets through.
func (e Expected) Category() access.Category {
	if e.Institution != "" && e.Institution.Category() == access.Health {
		return access.Health
	}
	return e.Kind.Category()
}

// Check lists what is wrong with an expectation, naming the form's fields:
// a kind must be one of Kinds; an institution must have its kind
// (utskrivningsklar date, helse- og omsorgstjenesteloven § 11-4), prison
// its release date and child welfare the day the measure ends. Temporary
// housing may leave the date to the municipality's limit (Feed). The age
// rule for aftercare needs the birth date and is checked where it is read.
func (e Expected) Check() []invalid.Message {
	var p []invalid.Message
	if e.Kind == "" {
		if e.Institution != "" {
			p = append(p, invalid.F("Forventet overgang: velg hva personen skal ut av når institusjonstypen er fylt ut"))
		}
		return p
	}
	if !e.Kind.Valid() {
		return append(p, invalid.F("Forventet overgang: velg institusjon, fengsel, ettervern fra barnevernet eller midlertidig botilbud"))
	}
	switch {
	case e.Kind == Institution && e.Institution == "":
		p = append(p, invalid.F("Institusjonstype: velg behandlingsinstitusjon eller annen institusjon"))
	case e.Kind == Institution && e.Institution == ChildWelfareInstitution:
		p = append(p, invalid.F("Institusjonstype: en barneverninstitusjon hører til ettervern fra barnevernet; velg ettervern som overgang"))
	case !e.Institution.fits(e.Kind):
		p = append(p, invalid.F("Institusjonstype: fyll den bare ut for institusjon og ettervern fra barnevernet"))
	}
	if e.Leaving.IsZero() && e.Kind != Temporary {
		p = append(p, invalid.F("Dato for overgangen: skriv datoen personen er utskrivningsklar, løslates eller går ut av barnevernstiltaket"))
	}
	return p
}
