package caseflow

import (
	"context"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Practice is the municipality's own practice where the law leaves room,
// each with the lawful default and a floor or cap from the law.
type Practice struct {
	// PaperPostDays: a letter sent by paper post is taken to have reached
	// the party this many days after it was sent. The law names no number
	// (forvaltningsloven § 29: the deadline runs from when notification
	// "er kommet fram"); five days covers Posten's delivery every other
	// weekday and a weekend.
	PaperPostDays int `json:"paper_post_days"`
	// AppealWeeks: three weeks by law (§ 29); a municipality may give more.
	AppealWeeks int `json:"appeal_weeks"`
	// DepositMonths: the municipality's cap on the deposit in months of
	// rent; three is common practice (seed 002), six the legal cap
	// (husleieloven § 3-5).
	DepositMonths int `json:"deposit_months"`
	// LeaseTerms gives each housing category's lease term.
	LeaseTerms []LeaseTerm `json:"lease_terms"`
}

// LeaseTerm is a housing category's lease term in months; 0 is a lease
// without an end date (tidsubestemt).
type LeaseTerm struct {
	Category string `json:"category"`
	Months   int    `json:"months"`
}

// The law's bounds on the rules.
const (
	MinAppealWeeks   = 3  // forvaltningsloven § 29
	MaxDepositMonths = 6  // husleieloven § 3-5
	maxPaperPostDays = 14 // beyond two weeks a letter is lost, not slow
	maxAppealWeeks   = 12
	maxLeaseMonths   = 120
)

// DefaultLeaseMonths is a category's term without a municipal rule:
// Housing First promises a permanent home (seed 002: "permanente
// boliger"), the rest run three years (seed 002: "ofte for tre år";
// husleieloven § 9-3).
func DefaultLeaseMonths(category string) int {
	if housing.Category(category) == housing.CategoryHousingFirst {
		return 0
	}
	return 36
}

// DefaultPractice are the lawful defaults.
func DefaultPractice() Practice {
	r := Practice{PaperPostDays: 5, AppealWeeks: MinAppealWeeks, DepositMonths: 3, LeaseTerms: []LeaseTerm{}}
	for _, c := range housing.Categories {
		r.LeaseTerms = append(r.LeaseTerms, LeaseTerm{Category: c.Code, Months: DefaultLeaseMonths(c.Code)})
	}
	return r
}

// LeaseMonths is the term for a category under these rules.
func (r Practice) LeaseMonths(category string) int {
	for _, t := range r.LeaseTerms {
		if t.Category == category {
			return t.Months
		}
	}
	return DefaultLeaseMonths(category)
}

// Check names every rule that gives less than the law, or is out of range.
func (r Practice) Check() []invalid.Message {
	var ps []invalid.Message
	if r.PaperPostDays < 0 || r.PaperPostDays > maxPaperPostDays {
		ps = append(ps, invalid.F("dager før brev med papirpost regnes som kommet fram må være mellom 0 og %d, fikk %d: klagefristen løper fra brevet er kommet fram (forvaltningsloven § 29)", maxPaperPostDays, r.PaperPostDays))
	}
	if r.AppealWeeks < MinAppealWeeks || r.AppealWeeks > maxAppealWeeks {
		ps = append(ps, invalid.F("klagefristen må være minst %d uker (forvaltningsloven § 29) og høyst %d, fikk %d", MinAppealWeeks, maxAppealWeeks, r.AppealWeeks))
	}
	if r.DepositMonths < 0 || r.DepositMonths > MaxDepositMonths {
		ps = append(ps, invalid.F("kommunens grense for depositum må være mellom 0 og %d måneders husleie (husleieloven § 3-5), fikk %d", MaxDepositMonths, r.DepositMonths))
	}
	for _, t := range r.LeaseTerms {
		if !housing.Has(housing.Categories, t.Category) {
			ps = append(ps, invalid.F("ukjent boligkategori «%s» i leieperiodene", t.Category))
		} else if t.Months < 0 || t.Months > maxLeaseMonths {
			ps = append(ps, invalid.F("leieperioden for %s må være mellom 1 og %d måneder, eller 0 for tidsubestemt, fikk %d", i18n.Name("housing.category", t.Category), maxLeaseMonths, t.Months))
		}
	}
	return ps
}

// LoadPractice reads the municipality's rules; a category without a row
// takes its default.
func LoadPractice(ctx context.Context, q store.Queryer, municipalityID int64) (Practice, error) {
	r := DefaultPractice()
	if err := q.QueryRowContext(ctx, "SELECT paper_post_days, appeal_weeks, deposit_months FROM municipalities WHERE id = ?", municipalityID).
		Scan(&r.PaperPostDays, &r.AppealWeeks, &r.DepositMonths); err != nil {
		return r, err
	}
	rows, err := q.QueryContext(ctx, "SELECT category, months FROM lease_terms WHERE municipality_id = ?", municipalityID)
	set, err := store.Collect(rows, err, func(s store.Scanner) (t LeaseTerm, err error) { return t, s.Scan(&t.Category, &t.Months) })
	if err != nil {
		return r, err
	}
	for _, t := range set {
		for i := range r.LeaseTerms {
			if r.LeaseTerms[i].Category == t.Category {
				r.LeaseTerms[i].Months = t.Months
			}
		}
	}
	return r, nil
}

// SavePractice changes the municipality's rules: administrators only, every
// rule within the law, in the audit chain.
func SavePractice(ctx context.Context, q store.Queryer, a access.Actor, r Practice) (Practice, error) {
	if a.Role != access.Admin {
		return Practice{}, access.ErrForbidden
	}
	if ps := r.Check(); len(ps) > 0 {
		return Practice{}, &ValidationError{Problems: ps}
	}
	before, err := LoadPractice(ctx, q, a.MunicipalityID)
	if err != nil {
		return Practice{}, err
	}
	if _, err := q.ExecContext(ctx, "UPDATE municipalities SET paper_post_days = ?, appeal_weeks = ?, deposit_months = ? WHERE id = ?",
		r.PaperPostDays, r.AppealWeeks, r.DepositMonths, a.MunicipalityID); err != nil {
		return Practice{}, err
	}
	for _, t := range r.LeaseTerms {
		if _, err := q.ExecContext(ctx, `INSERT INTO lease_terms (municipality_id, category, months) VALUES (?, ?, ?)
			ON CONFLICT (municipality_id, category) DO UPDATE SET months = excluded.months`, a.MunicipalityID, t.Category, t.Months); err != nil {
			return Practice{}, err
		}
	}
	after, err := LoadPractice(ctx, q, a.MunicipalityID)
	if err != nil {
		return Practice{}, err
	}
	return after, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre praksis", Entity: "kommune",
		EntityID: a.MunicipalityID, Before: before, After: after})
}

// Send channels: how a letter reaches the party.
const (
	ChannelDigital = "digital_post"
	ChannelEmail   = "epost"
	ChannelPaper   = "papir"
	ChannelHanded  = "overlevert"
)

// SendChannels are the ways a letter can be sent, in the order a form
// offers them.
var SendChannels = choices("lawa.channel", ChannelDigital, ChannelEmail, ChannelPaper, ChannelHanded)

// NotifiedOn is the day a letter sent on a day by a channel is taken to
// have reached the party (forvaltningsloven § 29): the same day for a
// letter handed over or sent electronically (digital post and e-mail are
// there when they are made available to the party), paperDays later for
// paper post. An unknown channel is refused.
func NotifiedOn(sent deadline.Date, channel string, paperDays int) (deadline.Date, error) {
	switch channel {
	case ChannelDigital, ChannelEmail, ChannelHanded:
		return sent, nil
	case ChannelPaper:
		return sent.AddDays(paperDays), nil
	}
	return deadline.Date{}, invalid.Problem("ukjent sendemåte «%s»: velg digital post, e-post, papirpost eller overlevert, så klagefristen kan regnes fra når brevet kom fram (forvaltningsloven § 29)", channel)
}

// AppealDueFrom is the last day to appeal a decision that reached the
// party on notified: the period counted from the day after, moved past
// weekends and holidays (forvaltningsloven §§ 29 and 30).
func AppealDueFrom(notified deadline.Date, weeks int) deadline.Date {
	return deadline.Due(notified, deadline.Period{N: weeks, Unit: deadline.Weeks})
}
