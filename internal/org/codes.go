package org

import "husly/internal/invalid"

// UnitKind is the kind of an organisational unit. Each kind's name is in
// the catalogues (unitkind.<code>), in bokmål, nynorsk and English.
type UnitKind string

const (
	KindNAV             UnitKind = "nav"
	KindHousingOffice   UnitKind = "boligkontor"
	KindProperty        UnitKind = "eiendom"
	KindMentalHealthRus UnitKind = "psykisk_helse_rus" // mental health and substance-use services
	KindHomeCare        UnitKind = "hjemmetjeneste"
	KindHousingFirst    UnitKind = "housing_first"
	KindFACT            UnitKind = "fact"
	KindHousingTeam     UnitKind = "boteam"
	KindCaretakers      UnitKind = "miljovaktmester"
	KindChildWelfare    UnitKind = "barnevern"
	KindManagement      UnitKind = "ledelse"
	KindIT              UnitKind = "it"
)

// UnitKinds in the order the UI lists them.
var UnitKinds = []struct{ Kind UnitKind }{
	{KindNAV}, {KindHousingOffice}, {KindProperty}, {KindMentalHealthRus}, {KindHomeCare}, {KindHousingFirst},
	{KindFACT}, {KindHousingTeam}, {KindCaretakers}, {KindChildWelfare}, {KindManagement}, {KindIT},
}

// Valid reports whether k is one of UnitKinds.
func (k UnitKind) Valid() bool {
	for _, u := range UnitKinds {
		if u.Kind == k {
			return true
		}
	}
	return false
}

// ParseUnitKind reads a unit's kind.
func ParseUnitKind(s string) (UnitKind, error) {
	if k := UnitKind(s); k.Valid() {
		return k, nil
	}
	return "", invalid.Problem("ukjent enhetstype %q", s)
}
