// Package followup is follow-up in the home (bo-oppfølging): the services
// and teams in the models of Husbanken's guide (seed 004), their members
// and caseloads against the municipality's norms, who follows whom,
// contacts with the minimum frequency each service promises, appointment
// help, and ending that only the resident decides (seeds 002 and 004).
//
// The rules (this file, rules.go) are pure functions over plain values;
// storage is in store.go.
package followup

import (
	"husly/internal/invalid"
)

// Model is how a municipality organises follow-up, in the guide's terms
// (seed 004, "de vanligste måtene å organisere tjenestene på", and the
// methods Housing First, ACT/FACT and CTI).
type Model string

const (
	OrdinaryPost   Model = "ordinaer_stilling"  // integrated in ordinary posts (NAV, home services)
	EarmarkedPost  Model = "oremerket_stilling" // posts earmarked for follow-up in the home
	HousingTeam    Model = "boteam"             // a team of two or more doing the same work
	HousingFirst   Model = "housing_first"      // interdisciplinary municipal Housing First team
	FACT           Model = "fact"               // ACT/FACT, shared with specialist health
	StaffedHousing Model = "bemannet_bolig"     // co-located homes with a staff base
	LowThreshold   Model = "lavterskel"         // low-threshold services and drop-in places
	Caretaker      Model = "miljovaktmester"    // estate caretaker with a social role
	HousingSchool  Model = "boligskole"         // courses in living in a home
	Foyer          Model = "foyer"              // Foyer for young people 16–25 (seed 002, Bodø)
	CTI            Model = "cti"                // critical time intervention: time-limited transition follow-up
)

// Models lists every model in the order the pages show them.
var Models = []Model{OrdinaryPost, EarmarkedPost, HousingTeam, HousingFirst, FACT, StaffedHousing, LowThreshold, Caretaker, HousingSchool, Foyer, CTI}

// Valid reports whether m is a known model.
func (m Model) Valid() bool {
	for _, x := range Models {
		if x == m {
			return true
		}
	}
	return false
}

// Norm is the municipality's norm for one model: how many residents one
// person-year follows at most, and how many days may pass at most between
// contacts. Zero means no norm. Source says where the figure comes from.
type Norm struct {
	Model            Model   `json:"model"`
	MaxPerPersonYear float64 `json:"max_per_person_year"`
	MinContactDays   int     `json:"min_contact_days"`
	Source           string  `json:"source"`
	// Custom is set when the municipality has its own norm for the model.
	Custom bool `json:"custom"`
}

// DefaultNorms are the built-in norms, from the seeds' examples where they
// give figures; where they give none the default says so, and the
// municipality sets its own.
func DefaultNorms() map[Model]Norm {
	none := "Kildene oppgir ingen tall; kommunens eget valg"
	return map[Model]Norm{
		// FACT Sandnes: "ca. 60 brukere/pasienter" for 2,4 + 11,25 årsverk (seed 002).
		FACT: {FACT, 60 / 13.65, 7, "FACT Sandnes: ca. 60 brukere på 13,65 årsverk (2,4 fra Helse Stavanger, 11,25 fra kommunen), NAPHA: «Et sted å bo, med rom for å leve»", false},
		// Housing First Lindesnes: about 23 users, three staff part-time
		// and one in a project post; Moss: "minst én gang i uka" (seed 002).
		HousingFirst: {HousingFirst, 6, 7, "Housing First Lindesnes: ca. 23 brukere på fire ansatte; kontakt «minst én gang i uka» (Housing First-teamet i Moss), NAPHA: «Et sted å bo, med rom for å leve»", false},
		// Flexbo, St. Hanshaugen: about 75 users, 10 person-years (seed 002).
		StaffedHousing: {StaffedHousing, 7.5, 7, "Flexbo, bydel St. Hanshaugen: ca. 75 brukere på 10 årsverk, NAPHA: «Et sted å bo, med rom for å leve»", false},
		HousingTeam:    {HousingTeam, 10, 14, none, false},
		EarmarkedPost:  {EarmarkedPost, 15, 14, none, false},
		OrdinaryPost:   {OrdinaryPost, 20, 30, none, false},
		Foyer:          {Foyer, 8, 7, none, false},
		CTI:            {CTI, 10, 14, none, false},
		LowThreshold:   {LowThreshold, 0, 0, "Lavterskeltilbud følger ikke en fast gruppe (Husbankens veileder om bo-oppfølging)", false},
		Caretaker:      {Caretaker, 0, 0, "Miljøvaktmesteren følger boligene, ikke en fast gruppe (Husbankens veileder om bo-oppfølging)", false},
		HousingSchool:  {HousingSchool, 0, 0, "Boligskolen er kurs, ikke oppfølging av en fast gruppe (Husbankens veileder om bo-oppfølging)", false},
	}
}

// CTIMonths is how long a CTI follow-up is planned to last: the published
// CTI model runs in three phases over nine months. Seed 004 says only that
// the effort is "begrenset i tid"; reaching the end raises an alert, it
// never closes the follow-up.
const CTIMonths = 9

// MemberRole is what a member does on the team.
type MemberRole string

const (
	Leader          MemberRole = "leder"
	CaseManager     MemberRole = "miljoarbeider"      // case manager / bo-oppfølger
	Nurse           MemberRole = "sykepleier"         // nurse
	Psychiatrist    MemberRole = "psykiater"          // specialist in psychiatry (FACT)
	Psychologist    MemberRole = "psykolog"           // psychologist (FACT)
	SocialWorker    MemberRole = "sosionom"           // social worker
	NAVAdviser      MemberRole = "nav_veileder"       // NAV adviser on the team
	PeerWorker      MemberRole = "erfaringskonsulent" // peer worker with lived experience
	JobSpecialist   MemberRole = "jobbspesialist"     // IPS job specialist
	CaretakerMember MemberRole = "miljovaktmester"    // estate caretaker
)

// MemberRoles lists the roles in the order the pages show them.
var MemberRoles = []MemberRole{Leader, CaseManager, Nurse, Psychiatrist, Psychologist, SocialWorker, NAVAdviser, PeerWorker, JobSpecialist, CaretakerMember}

// Valid reports whether r is a known role.
func (r MemberRole) Valid() bool {
	for _, x := range MemberRoles {
		if x == r {
			return true
		}
	}
	return false
}

// Task is one kind of work a member may be given.
type Task string

const (
	TaskPrimaryContact Task = "primaerkontakt" // carries residents as their primary contact
	TaskCoordinator    Task = "koordinator"    // coordinates services (individual plan)
	TaskHomeVisit      Task = "hjemmebesok"
	TaskAccompany      Task = "ledsaging" // goes with the resident to appointments
	TaskPeerSupport    Task = "likepersonsstotte"
	TaskOutreach       Task = "oppsokende"
	TaskTreatment      Task = "behandling"
	TaskHousingCare    Task = "boligvedlikehold"
	TaskBoard          Task = "tavlemote"
)

// TaskProfile is what each role does. The peer worker has a profile of
// their own: they accompany, reach out and share their experience, take
// part in the board, and are a second staff member on visits, but they
// carry no residents as primary contact and coordinate no plans: their
// worth is the relation, not the case responsibility (seed 002 on
// erfaringskonsulenter in FACT and Housing First teams).
func TaskProfile(r MemberRole) []Task {
	switch r {
	case PeerWorker:
		return []Task{TaskHomeVisit, TaskAccompany, TaskPeerSupport, TaskOutreach, TaskBoard}
	case Psychiatrist, Psychologist:
		return []Task{TaskTreatment, TaskHomeVisit, TaskBoard}
	case CaretakerMember:
		return []Task{TaskHousingCare, TaskHomeVisit, TaskOutreach}
	case JobSpecialist:
		return []Task{TaskAccompany, TaskOutreach, TaskBoard}
	case Leader:
		return []Task{TaskPrimaryContact, TaskCoordinator, TaskHomeVisit, TaskBoard}
	}
	return []Task{TaskPrimaryContact, TaskCoordinator, TaskHomeVisit, TaskAccompany, TaskOutreach, TaskBoard}
}

// Does reports whether a role's profile includes task.
func Does(r MemberRole, t Task) bool {
	for _, x := range TaskProfile(r) {
		if x == t {
			return true
		}
	}
	return false
}

// Employer is who employs a member: FACT teams are shared between the
// municipality and specialist health (seed 002, FACT Sandnes).
type Employer string

const (
	Municipality     Employer = "kommune"
	SpecialistHealth Employer = "spesialisthelsetjenesten"
)

// Intensity is how close the follow-up is.
type Intensity string

const (
	Low    Intensity = "lav"
	Medium Intensity = "middels"
	High   Intensity = "hoy"
)

// Intensities lists the levels.
var Intensities = []Intensity{Low, Medium, High}

// Valid reports whether i is a known level.
func (i Intensity) Valid() bool { return i == Low || i == Medium || i == High }

// Status is where a follow-up stands.
type Status string

const (
	Active Status = "aktiv"
	// DoorOpen: the resident has declined for now; contact stays low-key
	// and the team asks again on a set day (seed 002).
	DoorOpen Status = "dor_apen"
	Ended    Status = "avsluttet"
)

// Basis is what the follow-up rests on.
type Basis string

const (
	ByDecision Basis = "vedtak"     // a service in the combined decision
	ByGuidance Basis = "veiledning" // advice and guidance, sosialtjenesteloven § 17
)

// ContactKind is how a contact took place.
type ContactKind string

const (
	HomeVisit   ContactKind = "hjemmebesok"
	Phone       ContactKind = "telefon"
	Outdoors    ContactKind = "ute"
	Video       ContactKind = "video"
	Accompanied ContactKind = "ledsaging"
	WithOthers  ContactKind = "mote_med_andre"
)

// ContactKinds lists the kinds in the order the pages offer them; a home
// visit first, as the most common.
var ContactKinds = []ContactKind{HomeVisit, Phone, Outdoors, Video, Accompanied, WithOthers}

// Valid reports whether k is a known kind.
func (k ContactKind) Valid() bool {
	for _, x := range ContactKinds {
		if x == k {
			return true
		}
	}
	return false
}

// EndReason is why a follow-up ended. Every reason is the resident's own:
// a move, the loss of the home or missed appointments are not reasons
// (seed 002: "helt til brukeren sier at han ikke vil ha oss der lenger";
// the Housing First fidelity scale scores exactly that).
type EndReason string

const (
	GoalsReached   EndReason = "mal_naadd"       // the resident says they manage without
	WantsOther     EndReason = "onsker_annet"    // wants another service instead
	NoLongerWanted EndReason = "onsker_ikke_mer" // does not want follow-up any more
)

// EndReasons lists the reasons a follow-up may end for.
var EndReasons = []EndReason{GoalsReached, WantsOther, NoLongerWanted}

// Valid reports whether r is a reason a follow-up may end for.
func (r EndReason) Valid() bool { return r == GoalsReached || r == WantsOther || r == NoLongerWanted }

// notReasons are what people often give as reasons to close and what never
// closes follow-up; naming them gives a clearer refusal.
var notReasons = map[string]invalid.Message{
	"flyttet":         invalid.F("en flytting avslutter ikke oppfølgingen; bare beboeren kan avslutte den"),
	"mistet_bolig":    invalid.F("tap av boligen avslutter ikke oppfølgingen; bare beboeren kan avslutte den"),
	"uteblitt":        invalid.F("avtaler beboeren ikke møter til, avslutter ikke oppfølgingen; bare beboeren kan avslutte den"),
	"ikke_kontakt":    invalid.F("avtaler beboeren ikke møter til, avslutter ikke oppfølgingen; bare beboeren kan avslutte den"),
	"ikke_truffet":    invalid.F("avtaler beboeren ikke møter til, avslutter ikke oppfølgingen; bare beboeren kan avslutte den"),
	"fengsel":         invalid.F("opphold i fengsel eller institusjon avslutter ikke oppfølgingen; bare beboeren kan avslutte den"),
	"institusjon":     invalid.F("opphold i fengsel eller institusjon avslutter ikke oppfølgingen; bare beboeren kan avslutte den"),
	"brudd_avtale":    invalid.F("brudd på avtaler avslutter ikke oppfølgingen; bare beboeren kan avslutte den"),
	"husleierestanse": invalid.F("husleierestanse avslutter ikke oppfølgingen; bare beboeren kan avslutte den"),
}

// AppointmentWith is who an appointment the team helps with is with.
type AppointmentWith string

const (
	WithGP        AppointmentWith = "fastlege"
	WithTherapist AppointmentWith = "behandler"
	WithNAV       AppointmentWith = "nav"
	WithDentist   AppointmentWith = "tannlege"
	WithOther     AppointmentWith = "annet"
)

// AppointmentKinds lists who appointments may be with.
var AppointmentKinds = []AppointmentWith{WithGP, WithTherapist, WithNAV, WithDentist, WithOther}

// Valid reports whether w is a known counterpart.
func (w AppointmentWith) Valid() bool {
	for _, x := range AppointmentKinds {
		if x == w {
			return true
		}
	}
	return false
}
