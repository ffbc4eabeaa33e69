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
