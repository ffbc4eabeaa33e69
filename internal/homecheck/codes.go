package homecheck

import (
	"husly/internal/access"
)

// Kind is the kind of visit.
type Kind string

const (
	AfterMoveIn Kind = "etter_innflytting"
	Periodic    Kind = "periodisk"
)

// Kinds in the order forms show them.
var Kinds = []Kind{AfterMoveIn, Periodic}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return k == AfterMoveIn || k == Periodic }

// Item is one point of the checklist.
type Item string

const (
	Neighbours   Item = "naboforhold"
	Damp         Item = "fukt"
	Damage       Item = "skade"
	SmokeAlarm   Item = "roykvarsler"
	Extinguisher Item = "slokkeutstyr"
	Furniture    Item = "moblering"
	Practical    Item = "praktisk"
)

// Items is the checklist in the order the form shows it.
var Items = []Item{Neighbours, Damp, Damage, SmokeAlarm, Extinguisher, Furniture, Practical}

// Valid reports whether it is on the checklist.
func (it Item) Valid() bool {
	for _, x := range Items {
		if x == it {
			return true
		}
	}
	return false
}

// Owner is whose task a finding becomes.
type Owner string

const (
	Property Owner = "eiendom"
	FollowUp Owner = "oppfolging"
)

// Technical reports whether the item is the home's technical state: damp,
// damage and fire safety (a smoke alarm and extinguishing equipment in
// every home: forskrift om brannforebygging § 7).
func (it Item) Technical() bool {
	return it == Damp || it == Damage || it == SmokeAlarm || it == Extinguisher
}

// Owner is whose task a finding on the item is: property staff for the
// technical state, the follow-up team for the rest.
func (it Item) Owner() Owner {
	if it.Technical() {
		return Property
	}
	return FollowUp
}

// Category is what a finding on the item reveals: the home and the
// neighbours are the tenancy; furniture and practical needs the housing
// need.
func (it Item) Category() access.Category {
	if it == Furniture || it == Practical {
		return access.HousingNeeds
	}
	return access.Tenancy
}
