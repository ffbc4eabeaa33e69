package access

import (
	"context"
	"strings"
	"time"

	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// OutsideRecipients are the parties outside the municipality a person may
// let staff speak with: the GP, DPS, the specialist services, the police,
// relatives — relatives only when the person wants it (seed 002: "lytte
// til pårørende eller andre samarbeidspartnere dersom brukeren ønsker det").
// Each kind's name is in the catalogues (lawb.outside.kind.<code>).
var OutsideRecipients = []struct{ Code string }{
	{"fastlege"}, {"dps"}, {"spesialisthelsetjenesten"}, {"politi"}, {"parorende"}, {"annen"},
}

// OutsideConsent is a person's consent to let staff share categories with
// one party outside the municipality for one purpose, until it expires or
// is withdrawn. It never opens anything in Husly.
type OutsideConsent struct {
	ID            int64         `json:"id"`
	PersonID      int64         `json:"person_id"`
	RecipientKind string        `json:"recipient_kind"`
	RecipientName string        `json:"recipient_name"`
	Purpose       string        `json:"purpose"`
	Categories    []Category    `json:"categories"`
	PersonWants   bool          `json:"person_wants"`
	Given         time.Time     `json:"given_at"`
	RecordedBy    string        `json:"recorded_by"`
	Expires       deadline.Date `json:"expires_on"`
	Withdrawn     time.Time     `json:"withdrawn_at,omitzero"`
}

// ActiveAt reports whether the consent holds at t.
func (c OutsideConsent) ActiveAt(t time.Time) bool {
	return !c.Given.After(t) && !c.ExpiredAt(t) && (c.Withdrawn.IsZero() || t.Before(c.Withdrawn))
}

// ExpiredAt reports whether the consent's expiry date has come at t.
func (c OutsideConsent) ExpiredAt(t time.Time) bool { return expiredAt(c.Expires, t) }

// CheckOutsideConsent checks a consent to an outside party: a pure
// function. Purpose and expiry are required: a consent is specific and
// informed (personvernforordningen art. 4 nr. 11 and art. 7), and one to
// speak with others must end.
func CheckOutsideConsent(c OutsideConsent, now time.Time) []invalid.Message {
	var problems []invalid.Message
	known := false
	for _, r := range OutsideRecipients {
		known = known || r.Code == c.RecipientKind
	}
	if !known {
		problems = append(problems, invalid.F("velg hvem utenfor kommunen samtykket gjelder (fastlege, DPS, spesialisthelsetjenesten, politiet, pårørende eller annen)"))
	}
	if strings.TrimSpace(c.RecipientName) == "" {
		problems = append(problems, invalid.F("skriv navnet på mottakeren (for eksempel fastlegens navn eller DPS-et)"))
	}
	if strings.TrimSpace(c.Purpose) == "" {
		problems = append(problems, invalid.F("oppgi formålet med samtykket: et samtykke gjelder ett formål"))
	}
	if len(c.Categories) == 0 {
		problems = append(problems, invalid.F("velg minst én datakategori"))
	}
	for _, cat := range c.Categories {
		if _, err := ParseCategory(string(cat)); err != nil {
			problems = append(problems, invalid.Problems(err)...)
		}
	}
	if c.Expires.IsZero() {
		problems = append(problems, invalid.F("oppgi når samtykket utløper: et samtykke til å snakke med noen utenfor kommunen må ha en sluttdato"))
	} else if c.ExpiredAt(now) {
		problems = append(problems, invalid.F("utløpsdatoen må være fram i tid"))
	}
	if c.RecipientKind == "parorende" && !c.PersonWants {
		problems = append(problems, invalid.F("pårørende kontaktes bare når personen selv ønsker det: kryss av for at personen ønsker det"))
	}
	for _, f := range []string{c.RecipientName, c.Purpose} {
		if len([]rune(f)) > 500 {
			problems = append(problems, invalid.F("mottaker og formål kan ha høyst 500 tegn hver"))
			break
		}
	}
	return problems
}

// OutsideConsentsOf lists a person's consents to outside parties, newest
// first, each tagged with the categories it covers.
func OutsideConsentsOf(ctx context.Context, q store.Queryer, municipalityID, personID int64) ([]Personal[OutsideConsent], error) {
	cs, err := outsideConsents(ctx, q, "c.municipality_id = ? AND c.person_id = ?", municipalityID, personID)
	out := make([]Personal[OutsideConsent], len(cs))
	for i, c := range cs {
		out[i] = Tag(personID, c, append(append([]Category{}, c.Categories...), HousingNeeds)...)
	}
	return out, err
}

// AllConsentsOf reads a person's consents to units in the municipality and
// to parties outside it in one statement (the person page reads both, and
// its statements are bounded), each list newest first and tagged as
// ConsentsOf and OutsideConsentsOf tag them.
func AllConsentsOf(ctx context.Context, q store.Queryer, municipalityID, personID int64) ([]Personal[Consent], []Personal[OutsideConsent], error) {
	rows, err := q.QueryContext(ctx, `SELECT 'k', c.id, c.person_id, c.recipient_unit_id, '', o.name, o.reveals, c.purpose, c.categories, FALSE,
		c.given_at, COALESCE(u.full_name, ''), c.expires_at, c.withdrawn_at
		FROM consents c JOIN org_units o ON o.id = c.recipient_unit_id LEFT JOIN users u ON u.id = c.recorded_by
		WHERE c.municipality_id = ? AND c.person_id = ?
		UNION ALL SELECT 'u', c.id, c.person_id, 0, c.recipient_kind, c.recipient_name, '', c.purpose, c.categories, c.person_wants,
		c.given_at, COALESCE(u.full_name, ''), c.expires_at, c.withdrawn_at
		FROM outside_consents c LEFT JOIN users u ON u.id = c.recorded_by
		WHERE c.municipality_id = ? AND c.person_id = ?
		ORDER BY 11 DESC, 2 DESC`, municipalityID, personID, municipalityID, personID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	inside, outside := []Personal[Consent]{}, []Personal[OutsideConsent]{}
	for rows.Next() {
		var src, kind, name, reveals, purpose, cats, by string
		var id, pid, unit int64
		var wants bool
		var given, withdrawn time.Time
		var expires deadline.Date
		if err := rows.Scan(&src, &id, &pid, &unit, &kind, &name, &reveals, &purpose, &cats, &wants,
			store.ScanTime(&given), &by, scanExpiry(&expires), store.ScanTime(&withdrawn)); err != nil {
			return nil, nil, err
		}
		if src == "k" {
			c := Consent{ID: id, PersonID: pid, RecipientUnitID: unit, RecipientName: name, Purpose: purpose, Categories: splitCategories(cats),
				Given: given, RecordedBy: by, Expires: expires, Withdrawn: withdrawn, recipientReveals: splitCategories(reveals)}
			inside = append(inside, Tag(personID, c, append(append(append([]Category{}, c.Categories...), c.recipientReveals...), HousingNeeds)...))
			continue
		}
		c := OutsideConsent{ID: id, PersonID: pid, RecipientKind: kind, RecipientName: name, Purpose: purpose, Categories: splitCategories(cats),
			PersonWants: wants, Given: given, RecordedBy: by, Expires: expires, Withdrawn: withdrawn}
		outside = append(outside, Tag(personID, c, append(append([]Category{}, c.Categories...), HousingNeeds)...))
	}
	return inside, outside, rows.Err()
}

func outsideConsents(ctx context.Context, q store.Queryer, cond string, args ...any) ([]OutsideConsent, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.person_id, c.recipient_kind, c.recipient_name, c.purpose, c.categories, c.person_wants, c.given_at,
		COALESCE(u.full_name, ''), c.expires_at, c.withdrawn_at FROM outside_consents c LEFT JOIN users u ON u.id = c.recorded_by
		WHERE `+cond+" ORDER BY c.given_at DESC, c.id DESC", args...)
	return store.Collect(rows, err, func(r store.Scanner) (c OutsideConsent, err error) {
		var cats string
		err = r.Scan(&c.ID, &c.PersonID, &c.RecipientKind, &c.RecipientName, &c.Purpose, &cats, &c.PersonWants, store.ScanTime(&c.Given),
			&c.RecordedBy, scanExpiry(&c.Expires), store.ScanTime(&c.Withdrawn))
		c.Categories = splitCategories(cats)
		return c, err
	})
}

// RecordOutsideConsent stores a consent to an outside party (staff who
// write, with a relationship to the person).
func RecordOutsideConsent(ctx context.Context, q store.Queryer, a Actor, c OutsideConsent) (int64, error) {
	if !a.Writes() {
		return 0, ErrForbidden
	}
	now := time.Now()
	c.RecipientName, c.Purpose = strings.TrimSpace(c.RecipientName), strings.TrimSpace(c.Purpose)
	if problems := CheckOutsideConsent(c, now); len(problems) > 0 {
		return 0, &ValidationError{Problems: problems}
	}
	if _, err := Authorize(ctx, q, a, c.PersonID); err != nil {
		return 0, err
	}
	c.Given = now
	id, err := store.InsertID(ctx, q, `INSERT INTO outside_consents (municipality_id, person_id, recipient_kind, recipient_name, purpose, categories,
		person_wants, given_at, recorded_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, c.PersonID, c.RecipientKind,
		c.RecipientName, c.Purpose, joinCategories(c.Categories), c.PersonWants, store.TimeArg(now), nullable(a.UserID), expiryArg(c.Expires))
	if err != nil {
		return 0, err
	}
	c.ID, c.RecordedBy = id, a.Label()
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer", Entity: "samtykke utenfor kommunen", EntityID: id, After: c})
}

// WithdrawOutsideConsent withdraws a consent to an outside party at once:
// the person themself, or staff who may see them.
func WithdrawOutsideConsent(ctx context.Context, q store.Queryer, a Actor, personID, consentID int64) error {
	self := a.Role == Resident && a.PersonID != 0 && a.PersonID == personID
	if !a.Writes() && !self {
		return ErrForbidden
	}
	if !self {
		if _, err := Authorize(ctx, q, a, personID); err != nil {
			return err
		}
	}
	cs, err := outsideConsents(ctx, q, "c.municipality_id = ? AND c.person_id = ? AND c.id = ?", a.MunicipalityID, personID, consentID)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return ErrUnknownPerson
	}
	if !cs[0].Withdrawn.IsZero() {
		return invalid.Problem("samtykket er allerede trukket tilbake")
	}
	now := time.Now()
	if _, err := q.ExecContext(ctx, "UPDATE outside_consents SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ?", store.TimeArg(now), nullable(a.UserID), consentID); err != nil {
		return err
	}
	after := cs[0]
	after.Withdrawn = now
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "trekk tilbake",
		Entity: "samtykke utenfor kommunen", EntityID: consentID, Before: cs[0], After: after})
}
