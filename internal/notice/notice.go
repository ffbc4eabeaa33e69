// Package notice carries notices from one capability to a municipal unit
// about a person, as work the unit's staff see on their start page until
// one of them has read it: a step on the escalation ladder to the
// resident's follow-up teams and to NAV (sosialtjenesteloven §§ 15 and
// 27), and an arrears conversation to NAV on the tenant's consent or a
// stated legal basis.
//
// A notice is a disclosure to the unit: it carries the person's name, the
// lease, what happened and when, in one data category (the tenancy or
// finances), never health or substance use; the basis for sending it is
// kept with it, and every read is logged under access.ByNotice.
package notice

import (
	"errors"
	"fmt"
	"time"

	"husly/internal/access"
	"husly/internal/phrase"
)

// Source is the capability a notice comes from.
type Source string

const (
	// Ladder is a step on the escalation ladder, rolled back or stopped.
	Ladder Source = "eskalering"
	// Arrears is a conversation before collection.
	Arrears Source = "restanse"
)

// Recipient is whom in the municipality a notice is for.
type Recipient string

const (
	// ToFollowUp is a team following the resident (internal/followup).
	ToFollowUp Recipient = "oppfolging"
	// ToNAV is the municipality's NAV office (org unit kind nav).
	ToNAV Recipient = "nav"
)

// Bases a notice is sent on, beside a legal basis written out.
const (
	// BasisLadderNAV: NAV must help prevent the eviction (sosialtjenesteloven
	// § 15) and offer temporary housing if it goes ahead (§ 27).
	BasisLadderNAV = "sosialtjenesteloven §§ 15 og 27"
	// BasisFollowUp: the team follows the resident in the home, the
	// service the ladder's preventive action needs (tjenstlig behov).
	BasisFollowUp = "oppfølging i hjemmet (tjenstlig behov)"
	// BasisConsent: the tenant's consent to the NAV unit, covering finances.
	BasisConsent = "samtykke"
)

// Input is a notice to send.
type Input struct {
	MunicipalityID int64
	OrgUnitID      int64
	Recipient      Recipient
	PersonID       int64
	LeaseID        int64 // 0 when the notice is not about a lease
	Source         Source
	SourceID       int64
	Category       access.Category
	Basis          string
	Message        phrase.Phrase
}

// carries are the categories a notice may carry: what the landlord's and
// NAV's work needs. Health and substance use are special categories (GDPR
// art. 9) that no notice between units carries.
var carries = map[access.Category]bool{access.Tenancy: true, access.Finances: true}

// ErrCategory is a notice that would carry a category no notice may.
var ErrCategory = errors.New("notice: a notice carries only the tenancy or finances")

// Check says what is wrong with a notice before it is stored: these are
// the sender's mistakes, never the user's, so they are plain errors.
func Check(in Input) error {
	switch {
	case !carries[in.Category]:
		return fmt.Errorf("%w, not %q", ErrCategory, in.Category)
	case in.Recipient != ToFollowUp && in.Recipient != ToNAV:
		return fmt.Errorf("notice: unknown recipient %q", in.Recipient)
	case in.Source != Ladder && in.Source != Arrears:
		return fmt.Errorf("notice: unknown source %q", in.Source)
	case in.MunicipalityID == 0 || in.OrgUnitID == 0 || in.PersonID == 0 || in.SourceID == 0:
		return errors.New("notice: municipality, unit, person and source are required")
	case in.Basis == "" || in.Message.IsZero():
		return errors.New("notice: a notice needs its basis and its message")
	}
	return nil
}

// Notice is a notice as the receiving unit reads it.
type Notice struct {
	ID         int64           `json:"id"`
	Recipient  Recipient       `json:"recipient"`
	PersonID   int64           `json:"person_id"`
	PersonName string          `json:"person_name"`
	LeaseID    int64           `json:"lease_id,omitempty"`
	Source     Source          `json:"source"`
	Category   access.Category `json:"category"`
	Basis      string          `json:"basis"`
	Phrase     phrase.Phrase   `json:"-"`
	// Message is the notice in the reader's language (Speak).
	Message string    `json:"message"`
	At      time.Time `json:"created_at"`
}

// Speak writes the message in the reader's language (phrase.Speaker).
func (n *Notice) Speak(write func(phrase.Phrase) string) { n.Message = write(n.Phrase) }
