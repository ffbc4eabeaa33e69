package activity

// Kind is what an activity is.
type Kind string

const (
	CourseEconomy   Kind = "kurs_okonomi"    // housing school: money, bills and budget
	CourseCleaning  Kind = "kurs_renhold"    // housing school: cleaning and keeping a home
	CourseCooking   Kind = "kurs_matlaging"  // housing school: cooking
	CourseNeighbour Kind = "kurs_naboskap"   // housing school: being a neighbour
	Outing          Kind = "tur"             // a walk or trip
	Exercise        Kind = "trening"         // exercise
	Gathering       Kind = "fellesskap"      // a social gathering, a meal, a café
	WorkTraining    Kind = "arbeidstrening"  // work practice ("Arbeid først", IPS)
	Culture         Kind = "kultur"          // culture: a concert, the cinema, a library
	OtherActivity   Kind = "annen_aktivitet" // anything else
)

// Kinds lists the kinds in the order forms offer them: the housing-school
// courses first.
var Kinds = []Kind{CourseEconomy, CourseCleaning, CourseCooking, CourseNeighbour, Outing, Exercise, Gathering, WorkTraining, Culture, OtherActivity}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Course reports whether k is a housing-school course.
func (k Kind) Course() bool {
	return k == CourseEconomy || k == CourseCleaning || k == CourseCooking || k == CourseNeighbour
}

// Status is where a sign-up stands.
type Status string

const (
	SignedUp  Status = "pameldt"
	Withdrawn Status = "trukket"
)
