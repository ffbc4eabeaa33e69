package allocation

import "husly/internal/invalid"

// MeetingStatus is whether an allocation meeting's minutes are still open.
type MeetingStatus string

const (
	MeetingOpen   MeetingStatus = "apent"
	MeetingClosed MeetingStatus = "avsluttet"
)

// Verdict is the allocation meeting's decision on one case on the agenda;
// the zero value is a case not yet decided.
type Verdict string

const (
	Undecided Verdict = ""
	Approved  Verdict = "godkjent"
	Deferred  Verdict = "utsatt"
	Rejected  Verdict = "avvist"
)

// Valid reports whether v is a decision a meeting can make.
func (v Verdict) Valid() bool { return v == Approved || v == Deferred || v == Rejected }

// Level is the waiting list an approved applicant is on, by the follow-up
// the decision grants. Its words are the units' staffing words: a list is
// served by homes staffed at least as its level says.
type Level string

const (
	LevelNight    Level = "doegn"    // staffed day and night
	LevelDay      Level = "dagtid"   // staffed in the daytime
	LevelAmbulant Level = "ambulant" // services come to the home
	LevelNone     Level = "ingen"    // no follow-up granted
)

// AllLevels lists the waiting lists in the order the page shows them.
var AllLevels = []Level{LevelNight, LevelDay, LevelAmbulant, LevelNone}

// ParseLevel reads a waiting list's code.
func ParseLevel(s string) (Level, error) {
	for _, l := range AllLevels {
		if string(l) == s {
			return l, nil
		}
	}
	return "", invalid.Problem("ukjent %s %q (gyldige: %v)", invalid.F("bemanning"), s, AllLevels)
}

// PriorityKind is what a priority rule gives points for.
type PriorityKind string

const (
	PriorityHomelessNow PriorityKind = "bostedslos_na" // homeless at the latest contact
	PriorityGroup       PriorityKind = "gruppe"        // belonging to a priority group
	PriorityWaiting     PriorityKind = "ventetid"      // time on the waiting list
)

// AllPriorityKinds lists the kinds in the order the rules form offers them.
var AllPriorityKinds = []PriorityKind{PriorityHomelessNow, PriorityGroup, PriorityWaiting}

// Group is a priority group an applicant belongs to, as the application
// states it and the priority rules name it (caseflow.Group is this type).
// The eligibility rules may name groups of a municipality's own, which
// are Groups without a constant; a priority rule names only these.
type Group string

const (
	GroupHomeless     Group = "bostedslos"
	GroupFamily       Group = "barnefamilie"
	GroupReleased     Group = "loslatt"   // released from prison
	GroupDischarged   Group = "utskrevet" // discharged from an institution
	GroupHousingFirst Group = "housing_first"
)

// AllGroups lists the groups in the order forms show them.
var AllGroups = []Group{GroupHomeless, GroupFamily, GroupReleased, GroupDischarged, GroupHousingFirst}
