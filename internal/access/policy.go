package access

import (
	"sort"
	"strings"
	"time"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

// Category is a kind of personal data. Access is granted per category.
type Category string

const (
	Basic        Category = "grunnopplysninger" // name, birth date, contact details, masked identity number
	IDNumber     Category = "fodselsnummer"     // the full identity number, shown on request
	Household    Category = "husstand"
	Tenancy      Category = "leieforhold"
	HousingNeeds Category = "boligbehov"
	Finances     Category = "okonomi"
	Health       Category = "helse"
	Substance    Category = "rus"
	FollowUpPlan Category = "oppfolging" // plans, contacts, agreements
)

// Categories lists every category in the order the UI shows them.
var Categories = []Category{Basic, IDNumber, Household, Tenancy, HousingNeeds, Finances, Health, Substance, FollowUpPlan}

// Special reports whether a category needs consent or a recorded legal
// basis before it is shared with a unit (health and substance use are
// special categories under GDPR art. 9; finances are under NAV's duty of
// confidentiality).
func (c Category) Special() bool { return c == Health || c == Substance || c == Finances }

// ParseCategory accepts a category code.
func ParseCategory(s string) (Category, error) {
	for _, c := range Categories {
		if string(c) == s {
			return c, nil
		}
	}
	return "", invalid.Problem("ukjent datakategori «%s»", s)
}

// Matrix says which categories each role may see: data, configurable per
// municipality.
type Matrix map[Role]map[Category]bool

// DefaultMatrix is what a new municipality starts with: property staff see
// tenancy and housing needs but never health; NAV case workers see
// finances; follow-up teams see plans and, with consent, health and
// substance use. Planners and administrators see no named person.
func DefaultMatrix() Matrix {
	all := func(cs ...Category) map[Category]bool {
		m := map[Category]bool{}
		for _, c := range cs {
			m[c] = true
		}
		return m
	}
	return Matrix{
		CaseWorker: all(Basic, IDNumber, Household, Tenancy, HousingNeeds, Finances),
		Property:   all(Basic, Household, Tenancy, HousingNeeds),
		FollowUp:   all(Basic, Household, Tenancy, HousingNeeds, Health, Substance, FollowUpPlan),
		UnitLeader: all(Basic, IDNumber, Household, Tenancy, HousingNeeds, FollowUpPlan),
		Auditor:    all(Categories...),
		Resident:   all(Categories...),
		Planner:    all(),
		Admin:      all(),
	}
}

// Basis is why an actor may see a person: recorded in the access log.
type Basis string

const (
	ByRelationship Basis = "relasjon"
	ByConsent      Basis = "samtykke"
	ByBreakGlass   Basis = "nodtilgang"
	// ByBreakGlassSpecial is emergency access that opened health, substance
	// use or finances without consent, under the municipality's own
	// exception: shown as such in every access-log row.
	ByBreakGlassSpecial Basis = "nodtilgang_unntak"
	BySelf              Basis = "egen"
	BySupervision       Basis = "tilsyn"
	ByOperations        Basis = "drift"
	// ByInternalControl is a unit leader's read of the rights-restricting
	// measures their own unit registered, for the internal control the
	// leader answers for (InternalControl).
	ByInternalControl Basis = "internkontroll"
	// ByNotice is a unit's read of a notice addressed to it (a step on the
	// escalation ladder to NAV and the follow-up team, an arrears
	// conversation to NAV on consent or a legal basis): the unit sees what
	// the notice carries, the name and the notice's one category, and
	// nothing else of the person (package notice).
	ByNotice Basis = "varsel"
)

// InternalControl is the rule for a unit leader's register of
// rights-restricting measures: the leader answers for the internal control
// of the unit's services (forskrift om ledelse og kvalitetsforbedring i
// helse- og omsorgstjenesten §§ 6–9), and health personnel may give the
// management what that needs without breaching confidentiality
// (helsepersonelloven § 26 first paragraph). So a leader who may already
// see the person (g, by the unit's role on the case) also sees the
// categories a measure reveals (reveals: health for medication handling
// and direct observation) — through the unit's role on the case, not by
// emergency access, for the measures their own unit registered
// (measureUnit) and in that register only, never the person's other
// health data — under its own basis, which the access log records and the
// resident sees. Anyone else, or another unit's measure, gets g unchanged.
// For this group the measures rest on the resident's consent or a lease's
// house rules, not on helse- og omsorgstjenesteloven kap. 9, which is for
// persons with intellectual disabilities: what the leader reviews is that
// the basis, the period and the review hold (docs/followup.md).
func InternalControl(a Actor, g Grant, measureUnit int64, reveals ...Category) Grant {
	if a.Role != UnitLeader || a.OrgUnitID == 0 || measureUnit != a.OrgUnitID || g.Categories == nil {
		return g
	}
	// Only through the unit's own role on the case: emergency access is
	// not a door to the register's health data.
	if g.Basis != ByRelationship && g.Basis != ByConsent {
		return g
	}
	widened := Grant{PersonID: g.PersonID, Basis: g.Basis, Categories: map[Category]bool{}}
	for c, ok := range g.Categories {
		widened.Categories[c] = ok
	}
	for _, c := range reveals {
		if !widened.Categories[c] {
			widened.Categories[c] = true
			widened.Basis = ByInternalControl
		}
	}
	return widened
}

// CaseUnit is a unit's role on a person's case.
type CaseUnit struct {
	ID             int64     `json:"id"`
	PersonID       int64     `json:"person_id"`
	OrgUnitID      int64     `json:"org_unit_id"`
	OrgUnitName    string    `json:"org_unit_name"`
	Responsibility string    `json:"responsibility"`
	LegalBasis     string    `json:"legal_basis"`
	Started        time.Time `json:"started_at"`
	Ended          time.Time `json:"ended_at,omitzero"`
	// Reveals are the categories the unit's role reveals about the person.
	Reveals []Category `json:"-"`
}

// Consent is a person's consent to share categories with a unit.
type Consent struct {
	ID              int64         `json:"id"`
	PersonID        int64         `json:"person_id"`
	RecipientUnitID int64         `json:"recipient_unit_id"`
	RecipientName   string        `json:"recipient_unit_name"`
	Purpose         string        `json:"purpose"`
	Categories      []Category    `json:"categories"`
	Given           time.Time     `json:"given_at"`
	RecordedBy      string        `json:"recorded_by"`
	Expires         deadline.Date `json:"expires_on,omitzero"`
	Withdrawn       time.Time     `json:"withdrawn_at,omitzero"`
	// recipientReveals are the categories a role of the recipient unit reveals.
	recipientReveals []Category
}

// ActiveAt reports whether the consent holds at t: given, not expired,
// not withdrawn (a withdrawal takes effect at once).
func (c Consent) ActiveAt(t time.Time) bool {
	return !c.Given.After(t) && !c.ExpiredAt(t) && (c.Withdrawn.IsZero() || t.Before(c.Withdrawn))
}

// ExpiredAt reports whether the consent's expiry date has come at t: a
// consent holds until the Norwegian calendar day it expires on begins.
func (c Consent) ExpiredAt(t time.Time) bool { return expiredAt(c.Expires, t) }

func expiredAt(expires deadline.Date, t time.Time) bool {
	return !expires.IsZero() && !deadline.On(t).Before(expires)
}

// Covers reports whether the consent includes category.
func (c Consent) Covers(cat Category) bool {
	for _, x := range c.Categories {
		if x == cat {
			return true
		}
	}
	return false
}

// Facts are what the decision needs to know about one actor and one
// person; loading them is the only I/O, Decide itself is pure.
type Facts struct {
	IsSelf      bool       // the actor is the person (residents)
	CaseUnits   []CaseUnit // the actor's unit's roles on the person's case
	Consents    []Consent  // the person's consents to the actor's unit
	BreakGlass  time.Time  // expiry of the actor's open emergency access, zero if none
	Supervision string     // an auditor's stated reason, "" if none
	Restricted  bool       // processing restricted (GDPR art. 18)
	// BreakGlassSpecial is the municipality's exception letting emergency
	// access open special categories without consent (off by default).
	BreakGlassSpecial bool
}

// Grant is what an actor may see of one person, and why.
type Grant struct {
	PersonID   int64
	Basis      Basis
	Categories map[Category]bool
}

// Allows reports whether the grant includes category.
func (g Grant) Allows(c Category) bool { return g.Categories[c] }

// List gives the granted categories in display order.
func (g Grant) List() []Category {
	var out []Category
	for _, c := range Categories {
		if g.Categories[c] {
			out = append(out, c)
		}
	}
	return out
}

// Errors of the decision, in Norwegian for the user.
var (
	ErrNoRelationship = invalid.Refuse(invalid.F("enheten din har ingen aktiv rolle i denne personens sak"))
	ErrReasonRequired = invalid.Refuse(invalid.F("tilsyn krever at du oppgir formålet med innsynet, med minst 10 tegn"))
	ErrRestricted     = invalid.Refuse(invalid.F("behandlingen av denne personens opplysninger er begrenset"))
)

// MinPurpose is the shortest stated purpose an auditor's reads are
// accepted with, the same on the form and in the API's header: a purpose
// must say which supervision and which matter (GDPR art. 5(1)(b)).
const MinPurpose = 10

// ValidPurpose reports whether an auditor's stated purpose is long enough.
func ValidPurpose(s string) bool { return len([]rune(strings.TrimSpace(s))) >= MinPurpose }

// Decide is the access rule, a pure function of the actor, the facts, the
// municipality's matrix and the time.
func Decide(a Actor, f Facts, m Matrix, now time.Time) (Grant, error) {
	g := Grant{Categories: map[Category]bool{}}
	allowed := m[a.MatrixRole()]
	switch a.Role {
	case Planner, Admin:
		return g, ErrForbidden
	case Resident:
		if !f.IsSelf {
			return g, ErrForbidden
		}
		g.Basis = BySelf
		for c := range allowed {
			g.Categories[c] = true
		}
		return g, nil
	case Auditor:
		if !ValidPurpose(f.Supervision) {
			return g, ErrReasonRequired
		}
		g.Basis = BySupervision
		for c := range allowed {
			g.Categories[c] = true
		}
		return g, nil
	}
	if f.Restricted {
		return g, ErrRestricted
	}
	var active []CaseUnit
	for _, cu := range f.CaseUnits {
		if !cu.Started.After(now) && (cu.Ended.IsZero() || now.Before(cu.Ended)) {
			active = append(active, cu)
		}
	}
	switch {
	case len(active) > 0:
		g.Basis = ByRelationship
	case !f.BreakGlass.IsZero() && now.Before(f.BreakGlass):
		// Emergency access is a relationship for two hours, under the same
		// consent rule: there is no recorded legal basis, so health,
		// substance use and finances open only with the person's consent
		// (GDPR art. 9(2)(a)) — unless the municipality has made the
		// exception for vital interests (art. 9(2)(c)), which then shows in
		// the basis.
		g.Basis = ByBreakGlass
		for c := range allowed {
			switch {
			case !c.Special() || consented(f.Consents, c, now):
				g.Categories[c] = true
			case f.BreakGlassSpecial:
				g.Categories[c] = true
				g.Basis = ByBreakGlassSpecial
			}
		}
		return g, nil
	default:
		return g, ErrNoRelationship
	}
	legal := false
	for _, cu := range active {
		legal = legal || cu.LegalBasis != ""
	}
	for c := range allowed {
		if !c.Special() || legal {
			g.Categories[c] = true
			continue
		}
		for _, con := range f.Consents {
			if con.ActiveAt(now) && con.Covers(c) {
				g.Categories[c] = true
				g.Basis = ByConsent
				break
			}
		}
	}
	return g, nil
}

// consented reports whether an active consent covers category.
func consented(cs []Consent, c Category, now time.Time) bool {
	for _, con := range cs {
		if con.ActiveAt(now) && con.Covers(c) {
			return true
		}
	}
	return false
}

// joinCategories stores a category list as text.
func joinCategories(cs []Category) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

// splitCategories reads a stored category list.
func splitCategories(s string) []Category {
	var out []Category
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			out = append(out, Category(p))
		}
	}
	return out
}
