package followup

import (
	"context"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// RestrictionKind is a rights-restricting measure in the home.
type RestrictionKind string

const (
	VisitorRules    RestrictionKind = "besok"       // rules on visitors
	ComingAndGoing  RestrictionKind = "inn_ut"      // rules on coming and going
	MedicationHeld  RestrictionKind = "medisiner"   // medication handled by staff
	DirectObserving RestrictionKind = "observasjon" // direct observation
)

// RestrictionKinds lists the kinds the register takes.
var RestrictionKinds = []RestrictionKind{VisitorRules, ComingAndGoing, MedicationHeld, DirectObserving}

// Valid reports whether k is a known kind.
func (k RestrictionKind) Valid() bool {
	return k == VisitorRules || k == ComingAndGoing || k == MedicationHeld || k == DirectObserving
}

// Category is what a measure reveals: medication handling and direct
// observation tell of health care; rules on visitors and on coming and
// going are follow-up.
func (k RestrictionKind) Category() access.Category {
	if k == MedicationHeld || k == DirectObserving {
		return access.Health
	}
	return access.FollowUpPlan
}

// MaxReviewDays is the longest a measure may run before it is reviewed:
// a measure nobody reviews becomes the resident's rules for good.
const MaxReviewDays = 92

// Restriction is one registered measure.
type Restriction struct {
	ID          int64           `json:"id"`
	FollowUpID  int64           `json:"followup_id"`
	PersonID    int64           `json:"person_id"`
	PersonName  string          `json:"person_name,omitempty"`
	Kind        RestrictionKind `json:"kind"`
	Description string          `json:"description"`
	LegalBasis  string          `json:"legal_basis"`
	From        deadline.Date   `json:"from_on"`
	Until       deadline.Date   `json:"until_on,omitzero"`
	Review      deadline.Date   `json:"review_on"`
	Informed    deadline.Date   `json:"informed_on"`
	DecidedBy   string          `json:"decided_by"`
	// ReviewOverdue is set when the review day has passed while the
	// measure still applies.
	ReviewOverdue bool `json:"review_overdue"`
	// unit is the organisation unit whose team registered the measure:
	// its leader answers for it (access.InternalControl).
	unit int64
}

// Applies reports whether the measure applies on day d.
func (r Restriction) Applies(d deadline.Date) bool {
	return !d.Before(r.From) && (r.Until.IsZero() || !r.Until.Before(d))
}

// overlaps reports whether two measures share a day.
func overlaps(a, b Restriction) bool {
	endA, endB := a.Until, b.Until
	if endA.IsZero() {
		endA = deadline.Of(9999, 12, 31)
	}
	if endB.IsZero() {
		endB = deadline.Of(9999, 12, 31)
	}
	return !endA.Before(b.From) && !endB.Before(a.From)
}

// CheckRestriction checks a measure against the resident's other measures:
// a legal basis, a period, the resident informed no later than it starts,
// and a review date within three months; a measure of the same kind that
// overlaps one already registered is refused unless it is reviewed no
// later than the other, so two measures never run on without review.
func CheckRestriction(in Restriction, existing []Restriction, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if !in.Kind.Valid() {
		p = append(p, invalid.F("velg hva tiltaket gjelder (besøk, inn og ut, medisiner eller observasjon)"))
	}
	if strings.TrimSpace(in.Description) == "" || len([]rune(in.Description)) > 1000 {
		p = append(p, invalid.F("beskriv tiltaket kort (høyst 1000 tegn)"))
	}
	if strings.TrimSpace(in.LegalBasis) == "" {
		p = append(p, invalid.F("oppgi hjemmelen for tiltaket (lov og paragraf)"))
	}
	if in.From.IsZero() {
		p = append(p, invalid.F("velg datoen tiltaket starter"))
	}
	if !in.Until.IsZero() && in.Until.Before(in.From) {
		p = append(p, invalid.F("sluttdatoen kan ikke være før tiltaket starter"))
	}
	switch {
	case in.Review.IsZero():
		p = append(p, invalid.F("velg datoen tiltaket skal vurderes på nytt (høyst tre måneder etter start)"))
	case in.Review.Before(in.From):
		p = append(p, invalid.F("ny vurdering kan ikke være før tiltaket starter"))
	case in.From.AddDays(MaxReviewDays).Before(in.Review):
		p = append(p, invalid.F("tiltaket må vurderes på nytt innen tre måneder etter start"))
	}
	switch {
	case in.Informed.IsZero():
		p = append(p, invalid.F("oppgi når beboeren ble informert om tiltaket"))
	case today.Before(in.Informed):
		p = append(p, invalid.F("datoen beboeren ble informert, kan ikke være fram i tid"))
	case in.From.Before(in.Informed):
		p = append(p, invalid.F("beboeren må informeres senest den dagen tiltaket starter"))
	}
	for _, e := range existing {
		if e.Kind == in.Kind && overlaps(e, in) && (in.Review.IsZero() || e.Review.Before(in.Review)) {
			p = append(p, invalid.F("et tiltak av samme slag gjelder allerede fra %s og skal vurderes %s; et tiltak som overlapper, må vurderes senest samme dag", e.From, e.Review))
		}
	}
	return p
}

// Restrict registers a measure on a resident in follow-up.
func Restrict(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in Restriction, today deadline.Date) (int64, error) {
	f, err := loadFollowUp(ctx, q, a.MunicipalityID, followUpID)
	if err != nil {
		return 0, err
	}
	if _, err := mayWrite(ctx, q, a, f.PersonID, in.Kind.Category()); err != nil {
		return 0, err
	}
	existing, err := restrictionsOf(ctx, q, a.MunicipalityID, "r.person_id = ?", f.PersonID)
	if err != nil {
		return 0, err
	}
	in.Description, in.LegalBasis = strings.TrimSpace(in.Description), strings.TrimSpace(in.LegalBasis)
	p := CheckRestriction(in, existing, today)
	if f.Status == Ended {
		p = append(p, invalid.F("oppfølgingen er allerede avsluttet"))
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO followup_restrictions (municipality_id, followup_id, person_id, kind, description, legal_basis, from_on, until_on,
		review_on, informed_on, decided_by, decided_by_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, f.ID, f.PersonID,
		string(in.Kind), in.Description, in.LegalBasis, in.From, in.Until, in.Review, in.Informed, a.Name, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "rettighetsbegrensning", EntityID: id,
		After: map[string]any{"followup_id": f.ID, "kind": in.Kind, "legal_basis": in.LegalBasis, "from_on": in.From, "review_on": in.Review}})
}

func restrictionsOf(ctx context.Context, q store.Queryer, municipalityID int64, cond string, args ...any) ([]Restriction, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.followup_id, r.person_id, p.first_name || ' ' || p.last_name, r.kind, r.description, r.legal_basis, r.from_on, r.until_on,
		r.review_on, r.informed_on, r.decided_by, t.org_unit_id FROM followup_restrictions r JOIN persons p ON p.id = r.person_id
		JOIN followups f ON f.id = r.followup_id AND f.municipality_id = r.municipality_id
		JOIN followup_teams t ON t.id = f.team_id AND t.municipality_id = f.municipality_id
		WHERE r.municipality_id = ? AND `+cond+` ORDER BY r.from_on DESC, r.id DESC`, append([]any{municipalityID}, args...)...)
	return store.Collect(rows, err, func(s store.Scanner) (r Restriction, err error) {
		err = s.Scan(&r.ID, &r.FollowUpID, &r.PersonID, &r.PersonName, &r.Kind, &r.Description, &r.LegalBasis, &r.From, &r.Until, &r.Review, &r.Informed, &r.DecidedBy,
			&r.unit)
		return r, err
	})
}

// tagRestrictions tags each measure with what it reveals and marks
// overdue reviews.
func tagRestrictions(list []Restriction, today deadline.Date) []access.Personal[Restriction] {
	out := make([]access.Personal[Restriction], len(list))
	for i, r := range list {
		r.ReviewOverdue = r.Applies(today) && r.Review.Before(today)
		out[i] = access.Tag(r.PersonID, r, access.Basic, r.Kind.Category())
	}
	return out
}

// RestrictionsOfFollowUp lists the measures on a follow-up's resident.
func RestrictionsOfFollowUp(ctx context.Context, rd *access.Reader, followUpID int64, today deadline.Date) ([]access.Personal[Restriction], error) {
	a := rd.Actor()
	f, err := loadFollowUp(ctx, rd.Q(), a.MunicipalityID, followUpID)
	if err != nil {
		return nil, err
	}
	g, err := rd.Authorize(ctx, f.PersonID)
	if err != nil {
		return nil, err
	}
	if !g.Allows(access.FollowUpPlan) {
		return nil, access.ErrForbidden
	}
	list, err := restrictionsOf(ctx, rd.Q(), a.MunicipalityID, "r.person_id = ?", f.PersonID)
	if err != nil {
		return nil, err
	}
	out := tagRestrictions(list, today)
	return out, rd.Send(ctx, &out)
}

// SupervisionReport is the register for supervision (tilsyn): every
// measure in force or ended within the year, with counts per kind and the
// reviews overdue. Auditors with a stated purpose and unit leaders read
// it; each measure is shown only where the reader's grant covers it. A
// unit leader's grant covers the measures their own unit registered,
// medication handling and direct observation too (internalControl); of
// other units' measures that reveal health they see the counts.
type SupervisionReport struct {
	InForce  map[RestrictionKind]int        `json:"in_force"`
	Overdue  int                            `json:"reviews_overdue"`
	Measures []access.Personal[Restriction] `json:"measures"`
}

// ReadsSupervisionReport reports whether a may read the register of
// rights-restricting measures: the unit leader who answers for them, and
// a supervisor with a stated purpose (DOMAIN §6: open to tilsyn). Pages
// link to it only for them.
func ReadsSupervisionReport(a access.Actor) bool {
	return a.Role == access.UnitLeader || (a.Role == access.Auditor && access.ValidPurpose(a.Reason))
}

// ReadSupervisionReport reads the register in a fixed number of statements.
func ReadSupervisionReport(ctx context.Context, rd *access.Reader, today deadline.Date) (SupervisionReport, error) {
	a := rd.Actor()
	if !ReadsSupervisionReport(a) {
		return SupervisionReport{}, access.ErrForbidden
	}
	list, err := restrictionsOf(ctx, rd.Q(), a.MunicipalityID, "(r.until_on IS NULL OR r.until_on >= ?)", today.AddDays(-366))
	if err != nil {
		return SupervisionReport{}, err
	}
	rep := SupervisionReport{InForce: map[RestrictionKind]int{}}
	ids := make([]int64, len(list))
	for i, r := range list {
		ids[i] = r.PersonID
		if r.Applies(today) {
			rep.InForce[r.Kind]++
			if r.Review.Before(today) {
				rep.Overdue++
			}
		}
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return SupervisionReport{}, err
	}
	internalControl(rd, list)
	rep.Measures = tagRestrictions(list, today)
	return rep, rd.Send(ctx, &rep)
}

// internalControl lets a unit leader's register show the measures their
// own unit's teams registered, by the access rule for internal control
// (access.InternalControl, helsepersonelloven § 26): the person's grant in
// this read covers what those measures reveal. A person who also has a
// measure of that category from another unit is left as they were, since
// the grant is per person: the leader then sees the counts only.
func internalControl(rd *access.Reader, list []Restriction) {
	a := rd.Actor()
	if a.Role != access.UnitLeader {
		return
	}
	type reveal struct {
		person int64
		cat    access.Category
	}
	own, other := map[reveal]int64{}, map[reveal]bool{}
	for _, r := range list {
		k := reveal{r.PersonID, r.Kind.Category()}
		if r.unit == a.OrgUnitID {
			own[k] = r.unit
		} else {
			other[k] = true
		}
	}
	for k, unit := range own {
		if !other[k] {
			rd.ForInternalControl(k.person, unit, k.cat)
		}
	}
}
