package workenv

// Competence is a course or qualification a team member may hold.
type Competence string

const (
	PeerWork     Competence = "erfaringsarbeid"   // peer work and using lived experience
	MI           Competence = "mi"                // motivational interviewing
	HousingFirst Competence = "housing_first"     // Housing First principles and fidelity
	ROPGuideline Competence = "rop_retningslinje" // the national guideline for co-occurring disorders
	FirstAid     Competence = "forstehjelp"       // first aid
	Naloxone     Competence = "nalokson"          // overdose first aid with naloxone
	Violence     Competence = "vold_trusler"      // handling violence and threats
	IPS          Competence = "ips"               // Individual Placement and Support ("Arbeid først")
	FIT          Competence = "fit"               // feedback-informed treatment (ORS/SRS)
	Tenancy      Competence = "husleierett"       // tenancy law
)

// Competences lists the competences in the order forms offer them; the
// first four are the ones seed 002 names for follow-up teams.
var Competences = []Competence{PeerWork, MI, HousingFirst, ROPGuideline, FirstAid, Naloxone, Violence, IPS, FIT, Tenancy}

// Valid reports whether c is a known competence.
func (c Competence) Valid() bool {
	for _, x := range Competences {
		if x == c {
			return true
		}
	}
	return false
}

// State is how a member stands against a requirement.
type State string

const (
	Current State = "gyldig"  // held and not due within a month
	DueSoon State = "snart"   // due within 30 days
	Overdue State = "forfalt" // due day passed, or never taken after the first due day
)

// SupervisionKind is individual or group supervision.
type SupervisionKind string

const (
	Individual SupervisionKind = "individuell"
	Group      SupervisionKind = "gruppe"
)

// SupervisionKinds lists the kinds.
var SupervisionKinds = []SupervisionKind{Individual, Group}
