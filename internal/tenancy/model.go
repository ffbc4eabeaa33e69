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
