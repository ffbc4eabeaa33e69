package tenancy

// ComplaintKind is what a complaint or incident is about.
type ComplaintKind string

const (
	Neighbour ComplaintKind = "nabo"       // neighbour complaint
	Noise     ComplaintKind = "stoy"       // noise
	Litter    ComplaintKind = "forsopling" // littering
	Damage    ComplaintKind = "skade"      // damage to the home or building
	Threats   ComplaintKind = "trusler"    // threats
	OtherKind ComplaintKind = "annet"
)

// ComplaintKinds in the order the form offers them.
var ComplaintKinds = []ComplaintKind{Neighbour, Noise, Litter, Damage, Threats, OtherKind}

// Valid reports whether k is a known kind.
func (k ComplaintKind) Valid() bool { return contains(ComplaintKinds, k) }

// Source is who brought the complaint.
type Source string

const (
	FromNeighbour   Source = "nabo"
	FromBoard       Source = "borettslag" // the housing cooperative's board
	FromCaretaker   Source = "vaktmester"
	FromPolice      Source = "politi"
	FromOtherSource Source = "annet"
)

// Sources in the order the form offers them.
var Sources = []Source{FromNeighbour, FromBoard, FromCaretaker, FromPolice, FromOtherSource}

// Valid reports whether s is a known source.
func (s Source) Valid() bool { return contains(Sources, s) }

// Channel is how the resident was told of a complaint.
type Channel string

const (
	ByTalk    Channel = "samtale" // in a conversation
	ByPhone   Channel = "telefon"
	ByLetter  Channel = "brev"
	ByDigital Channel = "digital" // a digital message
)

// Channels the resident may be told through.
var Channels = []Channel{ByTalk, ByPhone, ByLetter, ByDigital}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return contains(Channels, c) }

// Step is a step on the escalation ladder, in order.
type Step string

const (
	Warning      Step = "advarsel"   // a written warning (municipal practice before notice)
	Notice       Step = "oppsigelse" // husleieloven §§ 9-4 to 9-8
	Cancellation Step = "heving"     // husleieloven § 9-9
	Petition     Step = "begjaering" // begjæring om utkastelse, tvangsfullbyrdelsesloven § 13-2
	Eviction     Step = "utkastelse" // the day the enforcement officer sets
)

// Steps is the ladder, lowest first.
var Steps = []Step{Warning, Notice, Cancellation, Petition, Eviction}

// Valid reports whether s is a step of the ladder.
func (s Step) Valid() bool { return contains(Steps, s) }

// Rank is the step's place on the ladder, 1 for the warning; 0 for none.
func (s Step) Rank() int {
	for i, x := range Steps {
		if x == s {
			return i + 1
		}
	}
	return 0
}

// HasLetter reports whether Husly writes the step's letter: the warning
// and the notice.
func (s Step) HasLetter() bool { return s == Warning || s == Notice }

// Status is where a step stands.
type Status string

const (
	InForce    Status = "aktiv"
	Stopped    Status = "stoppet"
	RolledBack Status = "tilbakekalt"
)

// Ground is the lawful ground for the landlord's notice (husleieloven
// § 9-5: the landlord must have a reasonable ground, saklig grunn; the
// second paragraph names these) or cancellation (§ 9-9).
type Ground string

const (
	GroundBreach    Ground = "vesentlig_mislighold" // § 9-5 second para (c) / § 9-9: material breach
	GroundRent      Ground = "husleie"              // § 9-9 (a): rent not paid
	GroundNuisance  Ground = "plage"                // § 9-9 (d): serious nuisance to neighbours
	GroundDamage    Ground = "skade"                // § 9-9 (c): neglect or damage
	GroundOwnUse    Ground = "eget_bruk"            // § 9-5 second para (a)
	GroundRebuild   Ground = "ombygging"            // § 9-5 second para (b)
	GroundOtherFair Ground = "annen_saklig_grunn"   // § 9-5 first para
)

// Grounds in the order the form offers them.
var Grounds = []Ground{GroundBreach, GroundRent, GroundNuisance, GroundDamage, GroundOwnUse, GroundRebuild, GroundOtherFair}

// Valid reports whether g is a known ground.
func (g Ground) Valid() bool { return contains(Grounds, g) }

// Recipient is who a ladder step's notice goes to: the resident's
// follow-up team or the NAV office, who must help prevent the eviction
// (sosialtjenesteloven § 15) and offer temporary housing if it goes ahead
// (§ 27).
type Recipient string

const (
	ToFollowUp Recipient = "oppfolging"
	ToNAV      Recipient = "nav"
)

// The audit log's names for what this package changes (audit.Entry.Entity):
// words of the log, not codes.
const (
	entityComplaint    = "klage"
	entityStep         = "eskaleringstrinn"
	entityLadder       = "eskalering"
	entityTenantNotice = "oppsigelse fra leietaker"
)
