package housing

import "husly/internal/invalid"

// Category is the kind of home a unit is, and the kind a decision grants.
// Categories (i)–(v) are the five housing categories for the ROP group in
// NAPHA/NORCE 2021; care and ordinary rental housing make up the rest of a
// municipality's stock.
type Category string

const (
	CategoryCare           Category = "omsorgsbolig"
	CategoryOrdinary       Category = "ordinaer"
	CategorySpecialised    Category = "spesialisert"
	CategoryShared         Category = "bofellesskap"
	CategoryRehabilitation Category = "rehabilitering"
	CategoryHousingFirst   Category = "housing_first"
	CategoryEmergency      Category = "akutt"
)

// AllCategories lists the categories in the order lists show them.
var AllCategories = []Category{CategoryCare, CategoryOrdinary, CategorySpecialised, CategoryShared,
	CategoryRehabilitation, CategoryHousingFirst, CategoryEmergency}

// Valid reports whether c is one of the categories.
func (c Category) Valid() bool {
	for _, x := range AllCategories {
		if c == x {
			return true
		}
	}
	return false
}

// ParseCategory reads a category from a form, a file or the API.
func ParseCategory(s string) (Category, error) {
	if err := checkChoice(Categories, s, invalid.F("kategori")); err != nil {
		return "", err
	}
	return Category(s), nil
}

// Control is who owns the unit or decides who lives there (DOMAIN.md §3):
// owned by the municipality or its company (KF), rented from a private
// owner and sublet, or privately owned with the municipality's right to
// allocate it.
type Control string

const (
	ControlMunicipal        Control = "kommunal"
	ControlCompany          Control = "kf"
	ControlLeased           Control = "innleid"
	ControlAllocationRights Control = "tildelingsrett"
)

// AllControls lists the forms of control in the order forms show them.
var AllControls = []Control{ControlMunicipal, ControlCompany, ControlLeased, ControlAllocationRights}

// Staffing is how a unit is staffed; the allocation waiting lists
// (allocation.Level) use the same words, a list served by homes staffed
// at least as its level says.
type Staffing string

const (
	StaffingNone  Staffing = "ingen"
	StaffingDay   Staffing = "dagtid"
	StaffingNight Staffing = "doegn" // day and night
)

// AllStaffings lists the staffing levels in the order forms show them.
var AllStaffings = []Staffing{StaffingNone, StaffingDay, StaffingNight}

// Condition is the state of a unit as property staff judge it.
type Condition string

const (
	ConditionGood Condition = "god"
	ConditionFair Condition = "middels"
	ConditionPoor Condition = "darlig"
)

// AllConditions lists the conditions in the order forms show them.
var AllConditions = []Condition{ConditionGood, ConditionFair, ConditionPoor}

// choicesOf lists typed codes as the forms' choices.
func choicesOf[T ~string](codes []T) []Choice {
	cs := make([]Choice, len(codes))
	for i, c := range codes {
		cs[i] = Choice{string(c)}
	}
	return cs
}
