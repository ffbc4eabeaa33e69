// Package tenancy keeps the home: complaints and incidents about a
// tenancy, heard from the resident's side, and the escalation ladder per
// lease — warning, notice, cancellation, petition for eviction, eviction —
// where every step needs a preventive action by a named person, tells the
// resident's follow-up team and NAV, and can be stopped or rolled back
// (DOMAIN.md §2 step 9; seed 004: help that comes before the eviction).
//
// The rules are pure functions over plain values (rules.go); the store
// part reads and writes through the access rules (store.go, read.go).
package tenancy

import (
	"errors"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/invalid"
)

// ErrNotFound is a lease, complaint or step that is not in the actor's
// municipality.
var ErrNotFound = errors.New("finnes ikke")

// ValidationError lists what is wrong with an input.
type ValidationError = invalid.Error

func bad(p []invalid.Message) error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// Category is what complaints and the ladder reveal about a resident:
// the tenancy. A threat is tenancy data too: the landlord must know it to
// keep staff and neighbours safe; what the police say of a criminal case
// does not belong in the record (GDPR art. 10), and the form says so.
const Category = access.Tenancy

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

// Channels the resident may be told through.
var Channels = []Channel{"samtale", "telefon", "brev", "digital"}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return contains(Channels, c) }

// Complaint is a complaint or incident about a tenancy. Complainant is a
// third person's name: staff see it, the resident never does.
type Complaint struct {
	ID          int64         `json:"id"`
	LeaseID     int64         `json:"lease_id"`
	PersonID    int64         `json:"person_id"`
	PersonName  string        `json:"person_name,omitempty"`
	Address     string        `json:"address,omitempty"`
	Kind        ComplaintKind `json:"kind"`
	Source      Source        `json:"source"`
	Complainant string        `json:"complainant,omitempty"`
	ReceivedOn  deadline.Date `json:"received_on"`
	What        string        `json:"what"`
	HandlerID   int64         `json:"handler_id"`
	HandlerName string        `json:"handler_name"`
	InformedOn  deadline.Date `json:"informed_on,omitzero"`
	InformedHow Channel       `json:"informed_how,omitempty"`
	Outcome     string        `json:"outcome,omitempty"`
	ClosedOn    deadline.Date `json:"closed_on,omitzero"`
	Replies     []Reply       `json:"replies"`
}

// Open reports whether the complaint is still being handled.
func (c Complaint) Open() bool { return c.ClosedOn.IsZero() }

// Reply is the resident's side of a complaint.
type Reply struct {
	ID      int64         `json:"id"`
	Body    string        `json:"body"`
	Written deadline.Date `json:"written_on"`
}

// MyComplaint is a complaint as the resident reads it on Min side: what
// happened and who handles it, never who complained.
type MyComplaint struct {
	ID          int64         `json:"id"`
	Kind        ComplaintKind `json:"kind"`
	ReceivedOn  deadline.Date `json:"received_on"`
	What        string        `json:"what"`
	HandlerName string        `json:"handler_name"`
	Outcome     string        `json:"outcome,omitempty"`
	ClosedOn    deadline.Date `json:"closed_on,omitzero"`
	Replies     []Reply       `json:"replies"`
}

// ComplaintInput is a new complaint.
type ComplaintInput struct {
	LeaseID     int64         `json:"lease_id"`
	Kind        ComplaintKind `json:"kind"`
	Source      Source        `json:"source"`
	Complainant string        `json:"complainant"`
	ReceivedOn  deadline.Date `json:"received_on"`
	What        string        `json:"what"`
	// HandlerID is the staff member who handles it; 0 is the actor.
	HandlerID int64 `json:"handler_id"`
}

// InformInput records that the resident was told of a complaint.
type InformInput struct {
	On  deadline.Date `json:"informed_on"`
	How Channel       `json:"informed_how"`
}

// CloseInput records the outcome of a complaint.
type CloseInput struct {
	Outcome string        `json:"outcome"`
	On      deadline.Date `json:"closed_on"`
}

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

// LadderStep is one recorded step.
type LadderStep struct {
	ID               int64         `json:"id"`
	LeaseID          int64         `json:"lease_id"`
	PersonID         int64         `json:"person_id"`
	Step             Step          `json:"step"`
	IssuedOn         deadline.Date `json:"issued_on"`
	Grounds          string        `json:"grounds,omitempty"`
	Ground           Ground        `json:"ground_code,omitempty"`
	NoticeMonths     int           `json:"notice_months,omitempty"`
	NoticeAgreed     bool          `json:"notice_agreed,omitempty"`
	EndsOn           deadline.Date `json:"ends_on,omitzero"`
	EvictionOn       deadline.Date `json:"eviction_on,omitzero"`
	PreventiveAction string        `json:"preventive_action"`
	PreventiveByID   int64         `json:"preventive_by_id"`
	PreventiveBy     string        `json:"preventive_by_name"`
	OverrideReason   string        `json:"override_reason,omitempty"`
	WrittenForm      string        `json:"written_form"`
	Status           Status        `json:"status"`
	EndReason        string        `json:"end_reason,omitempty"`
	EndedBy          string        `json:"ended_by,omitempty"`
	CreatedBy        string        `json:"created_by"`
}

// StepInput is a new step on a lease's ladder.
type StepInput struct {
	Step     Step          `json:"step"`
	IssuedOn deadline.Date `json:"issued_on"`
	Grounds  string        `json:"grounds"`
	Ground   Ground        `json:"ground_code"`
	// NoticeMonths is the notice period; 0 is the law's three months for
	// a dwelling (husleieloven § 9-6). NoticeAgreed says a different
	// period was agreed in the lease.
	NoticeMonths     int           `json:"notice_months"`
	NoticeAgreed     bool          `json:"notice_agreed"`
	EvictionOn       deadline.Date `json:"eviction_on"`
	PreventiveAction string        `json:"preventive_action"`
	// PreventiveByID is the named person who carries out the preventive
	// action; 0 is the actor.
	PreventiveByID int64  `json:"preventive_by_id"`
	OverrideReason string `json:"override_reason"`
}

// TenantNoticeInput is the tenant's own notice.
type TenantNoticeInput struct {
	ReceivedOn deadline.Date `json:"received_on"`
	MovesOutOn deadline.Date `json:"moves_out_on"`
}

// TenantNotice is the tenant's own notice and its conversation task.
type TenantNotice struct {
	ID         int64         `json:"id"`
	LeaseID    int64         `json:"lease_id"`
	PersonID   int64         `json:"person_id"`
	ReceivedOn deadline.Date `json:"received_on"`
	MovesOutOn deadline.Date `json:"moves_out_on"`
	OwnerID    int64         `json:"owner_id"`
	OwnerName  string        `json:"owner_name"`
	TalkBy     deadline.Date `json:"talk_by"`
	TalkedOn   deadline.Date `json:"talked_on,omitzero"`
	Note       string        `json:"note,omitempty"`
	PersonName string        `json:"person_name,omitempty"`
	Address    string        `json:"address,omitempty"`
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
