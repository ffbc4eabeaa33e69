package caseflow

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/phrase"
	"husly/internal/store"
)

// Offers of a concrete unit to an approved applicant. The allocation round
// proposes; the case worker offers; the applicant accepts or declines.

// Offer is a unit offered on a case.
type Offer struct {
	ID            int64         `json:"id"`
	ApplicationID int64         `json:"application_id"`
	UnitID        int64         `json:"unit_id"`
	UnitCode      string        `json:"unit_code"`
	UnitAddress   string        `json:"unit_address"`
	RentMonthly   int           `json:"rent_monthly"`
	OfferedOn     deadline.Date `json:"offered_on"`
	RespondBy     deadline.Date `json:"respond_by"`
	Status        OfferStatus   `json:"status"`
	DeclineReason string        `json:"decline_reason,omitempty"`
	RespondedOn   deadline.Date `json:"responded_on,omitzero"`
	OfferedBy     string        `json:"offered_by"`
	// PassedOver is how many fitting applicants with higher priority were
	// waiting when the offer was made by hand, and PassedOverReason the
	// written reason for passing them over.
	PassedOver       int    `json:"passed_over"`
	PassedOverReason string `json:"passed_over_reason,omitempty"`
}

// Misfits lists why a unit does not meet a decision's requirements; none
// means it fits. It is the hard part of matching, shared with allocation.
func Misfits(d Decision, u housing.Unit) []string {
	return allocation.Misses(allocation.Need{HousingType: d.HousingType, Rooms: d.Rooms, Requirements: d.Requirements}, allocation.HomeOf(u))
}

// FittingUnits lists the vacant units an offer could be made for: those
// that meet the decision in force and the round's other hard constraints.
func FittingUnits(ctx context.Context, q store.Queryer, a access.Actor, d Decision, today deadline.Date) ([]housing.Unit, error) {
	if d.Outcome != OutcomeGranted || d.HousingType == "" {
		return []housing.Unit{}, nil
	}
	units, _, err := housing.ListUnits(ctx, q, a.MunicipalityID, housing.Filter{Category: d.HousingType, Status: housing.Vacant, Limit: 500})
	if err != nil {
		return nil, err
	}
	check, err := allocation.PairChecker(ctx, q, a.MunicipalityID, d.ApplicationID, today)
	if err != nil {
		return nil, err
	}
	out := []housing.Unit{}
	for _, u := range units {
		if len(Misfits(d, u)) == 0 && check(u).Allowed {
			out = append(out, u)
		}
	}
	return out, nil
}

// OfferInput names the unit and the date to answer by.
type OfferInput struct {
	UnitID    int64         `json:"unit_id"`
	RespondBy deadline.Date `json:"respond_by,omitzero"` // empty: one week from today
	// PassedOverReason is required when a fitting applicant with higher
	// priority waits for the unit (seed 003: need decides).
	PassedOverReason string `json:"passed_over_reason"`
	// FromRound marks an offer of the round's or the meeting's proposal:
	// the round weighs every applicant at once, so it is not made by hand.
	FromRound bool `json:"-"`
}

// MakeOffer offers a vacant unit that fits the decision in force, and
// reserves it while the applicant considers.
func MakeOffer(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, in OfferInput, today deadline.Date) (Offer, error) {
	if !a.Writes() {
		return Offer{}, access.ErrForbidden
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return Offer{}, err
	}
	var problems []invalid.Message
	respond := orDefault(in.RespondBy, today.AddDays(7))
	if respond.Before(today) {
		problems = append(problems, invalid.F("svarfristen kan ikke være før i dag"))
	}
	if ref.Status != StatusGranted {
		problems = append(problems, invalid.F("bare en innvilget sak som venter på bolig kan få tilbud (saken er: %s)", i18n.Lower("case.status", ref.Status)))
	}
	ds, err := decisions(ctx, q, a.MunicipalityID, ref.ID)
	if err != nil {
		return Offer{}, err
	}
	u, err := housing.GetUnit(ctx, q, a.MunicipalityID, in.UnitID)
	if errors.Is(err, housing.ErrNotFound) {
		problems = append(problems, invalid.F("velg en bolig i kommunen"))
	} else if err != nil {
		return Offer{}, err
	}
	if len(ds) > 0 && u.ID != 0 {
		if ds[0].HousingType == "" {
			problems = append(problems, invalid.F("vedtaket gjelder ikke bolig"))
		}
		if u.Status != housing.Vacant {
			problems = append(problems, invalid.F("bolig %s er ikke ledig (%s)", u.Code, i18n.Lower("housing.status", u.Status)))
		}
		// The round's hard constraints hold for an offer made by hand too:
		// the decision, the person's needs, the site's rules, the building's mix.
		if ref.Status == StatusGranted {
			check, err := allocation.PairChecker(ctx, q, a.MunicipalityID, ref.ID, today)
			if err != nil {
				return Offer{}, err
			}
			if e := check(u); !e.Allowed {
				if e.ROPLimit && !(ref.grant.Allows(access.Health) && ref.grant.Allows(access.Substance)) {
					e.Refused, e.Reasons = []phrase.Phrase{allocation.ROPHiddenPhrase}, []string{allocation.ROPHidden}
				}
				// In the reader's language; each reason has its phrase.
				for i, r := range e.Reasons {
					if i < len(e.Refused) {
						problems = append(problems, invalid.Said(phrase.Fallback{Phrase: e.Refused[i], Text: r}))
					} else {
						problems = append(problems, invalid.Verbatim(r))
					}
				}
			}
		}
	}
	// "Behovet, og ikke støyfaktoren, skal styre" (seed 003): passing over a
	// fitting applicant with higher priority takes a written reason, kept
	// on the case and in the report for unit leaders and the auditor.
	var passed []allocation.Applicant
	if len(problems) == 0 && !in.FromRound {
		passed, err = allocation.HigherFitting(ctx, q, a.MunicipalityID, ref.ID, u, today)
		if err != nil {
			return Offer{}, err
		}
		if len(passed) > 0 && strings.TrimSpace(in.PassedOverReason) == "" {
			problems = append(problems, invalid.F("forbigåelse: %d søker(e) med høyere prioritet som boligen passer for, venter. Skriv hvorfor boligen likevel tilbys denne søkeren (behovet, og ikke støyfaktoren, skal styre)", len(passed)))
		}
		tooLong(&problems, invalid.F("grunnen til forbigåelsen"), in.PassedOverReason, 2000)
	}
	if len(problems) > 0 {
		return Offer{}, &ValidationError{Problems: problems}
	}
	o := Offer{ApplicationID: ref.ID, UnitID: u.ID, UnitCode: u.Code, UnitAddress: u.Address, RentMonthly: u.RentMonthly, OfferedOn: today,
		RespondBy: respond, Status: OfferPending, OfferedBy: a.Name, PassedOver: len(passed)}
	if len(passed) > 0 {
		o.PassedOverReason = strings.TrimSpace(in.PassedOverReason)
	}
	o.ID, err = store.InsertID(ctx, q, `INSERT INTO offers (municipality_id, application_id, unit_id, offered_on, respond_by, status, offered_by, offered_by_id,
		created_at, passed_over_reason) VALUES (?, ?, ?, ?, ?, 'tilbudt', ?, ?, ?, ?)`, a.MunicipalityID, ref.ID, u.ID, o.OfferedOn, o.RespondBy, o.OfferedBy, a.UserRef(),
		store.TimeArg(time.Now()), o.PassedOverReason)
	if err != nil {
		return Offer{}, err
	}
	for _, x := range passed {
		if _, err := q.ExecContext(ctx, "INSERT INTO offer_passed_over (municipality_id, offer_id, application_id, priority) VALUES (?, ?, ?, ?)",
			a.MunicipalityID, o.ID, x.ApplicationID, x.Priority); err != nil {
			return Offer{}, err
		}
	}
	if err := setUnitStatus(ctx, q, a.MunicipalityID, u.ID, housing.Reserved); err != nil {
		return Offer{}, err
	}
	if err := setStatus(ctx, q, ref.ID, StatusOffered); err != nil {
		return Offer{}, err
	}
	return o, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "tilby bolig", Entity: "sak", EntityID: ref.ID, After: o})
}

func setUnitStatus(ctx context.Context, q store.Queryer, municipalityID, unitID int64, status housing.UnitStatus) error {
	_, err := q.ExecContext(ctx, "UPDATE units SET status = ?, updated_at = ? WHERE municipality_id = ? AND id = ?", status, store.TimeArg(time.Now()), municipalityID, unitID)
	return err
}

// DeclineLimit is the municipality's local rule: after this many declined
// offers the case goes to a new assessment instead of back on the list.
func DeclineLimit(ctx context.Context, q store.Queryer, municipalityID int64) (int, error) {
	s, err := TextOf(ctx, q, municipalityID, TextDeclineLimit)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 {
		return 2, nil
	}
	return n, nil
}

// declineLimitFor is the limit on declined offers for the waiting list the
// case's decision in force puts it on (by housing type); 0 is no limit.
func declineLimitFor(ctx context.Context, q store.Queryer, municipalityID, applicationID int64) (int, error) {
	general, err := DeclineLimit(ctx, q, municipalityID)
	if err != nil {
		return 0, err
	}
	ds, err := decisions(ctx, q, municipalityID, applicationID)
	if err != nil || len(ds) == 0 {
		return general, err
	}
	set, err := allocation.SettingsOf(ctx, q, municipalityID)
	if err != nil {
		return 0, err
	}
	return set.Policy.DeclineLimitFor(ds[0].HousingType, general), nil
}

// OfferAnswer is the applicant's answer.
type OfferAnswer struct {
	Accept bool   `json:"accept"`
	Reason string `json:"reason"` // required when declining
}

// AnswerOffer records the applicant's answer. A decline frees the unit and
// returns the case to the waiting list, or to a new assessment when the
// applicant has declined as many offers as the local rule allows.
func AnswerOffer(ctx context.Context, q store.Queryer, a access.Actor, applicationID, offerID int64, in OfferAnswer, today deadline.Date) (Offer, invalid.Message, error) {
	if !a.Writes() {
		return Offer{}, invalid.Message{}, access.ErrForbidden
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return Offer{}, invalid.Message{}, err
	}
	os, err := offers(ctx, q, a.MunicipalityID, ref.ID)
	if err != nil {
		return Offer{}, invalid.Message{}, err
	}
	var o *Offer
	for i := range os {
		if os[i].ID == offerID {
			o = &os[i]
		}
	}
	switch {
	case o == nil:
		return Offer{}, invalid.Message{}, invalid.Problem("tilbudet finnes ikke i saken")
	case o.Status != OfferPending:
		return Offer{}, invalid.Message{}, invalid.Problem("tilbudet er allerede besvart (%s)", i18n.Lower("case.offer_status", o.Status))
	case !in.Accept && strings.TrimSpace(in.Reason) == "":
		return Offer{}, invalid.Message{}, invalid.Problem("skriv hvorfor søkeren takker nei: grunnen avgjør hvordan saken går videre")
	}
	var tooLongErr []invalid.Message
	tooLong(&tooLongErr, invalid.F("grunnen"), in.Reason, 2000)
	if len(tooLongErr) > 0 {
		return Offer{}, invalid.Message{}, invalid.New(tooLongErr...)
	}
	before := *o
	o.RespondedOn = today
	next, outcome := StatusAllocated, invalid.F("Tilbudet er akseptert. Neste steg er leiekontrakten.")
	if in.Accept {
		o.Status = OfferAccepted
	} else {
		o.Status, o.DeclineReason = OfferDeclined, strings.TrimSpace(in.Reason)
		limit, err := declineLimitFor(ctx, q, a.MunicipalityID, ref.ID)
		if err != nil {
			return Offer{}, invalid.Message{}, err
		}
		var declines int
		if err := q.QueryRowContext(ctx, "UPDATE applications SET declines = declines + 1 WHERE id = ? RETURNING declines", ref.ID).Scan(&declines); err != nil {
			return Offer{}, invalid.Message{}, err
		}
		next, outcome = StatusGranted, invalid.F("Tilbudet er avslått (%d av %d etter lokale regler). Søkeren står fortsatt på ventelisten.", declines, limit)
		if limit == 0 {
			outcome = invalid.F("Tilbudet er avslått (%d så langt). Ventelisten har ingen grense for avslag: deltakeren er med og bestemmer hvor boligen skal være. Søkeren står fortsatt på ventelisten.", declines)
		}
		if limit > 0 && declines >= limit {
			next, outcome = StatusReview, invalid.F("Tilbudet er avslått. Søkeren har takket nei til %d tilbud, og etter lokale regler skal saken vurderes på nytt.", declines)
		}
		if err := setUnitStatus(ctx, q, a.MunicipalityID, o.UnitID, housing.Vacant); err != nil {
			return Offer{}, invalid.Message{}, err
		}
	}
	if _, err := q.ExecContext(ctx, "UPDATE offers SET status = ?, decline_reason = ?, responded_on = ? WHERE id = ?", o.Status, o.DeclineReason, o.RespondedOn, o.ID); err != nil {
		return Offer{}, invalid.Message{}, err
	}
	if err := setStatus(ctx, q, ref.ID, next); err != nil {
		return Offer{}, invalid.Message{}, err
	}
	return *o, outcome, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "svar på tilbud", Entity: "sak",
		EntityID: ref.ID, Before: before, After: o})
}

func offers(ctx context.Context, q store.Queryer, municipalityID, applicationID int64) ([]Offer, error) {
	m, err := offersOf(ctx, q, municipalityID, []int64{applicationID})
	return store.Of(m, applicationID), err
}

// offersOf reads the offers of many cases in one query, newest first.
func offersOf(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64) (map[int64][]Offer, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, `SELECT o.application_id, o.id, o.application_id, o.unit_id, u.code, u.address, u.rent_monthly, o.offered_on, o.respond_by, o.status,
		o.decline_reason, o.responded_on, o.offered_by, o.passed_over_reason, (SELECT COUNT(*) FROM offer_passed_over x WHERE x.offer_id = o.id)
		FROM offers o JOIN units u ON u.id = o.unit_id
		WHERE o.municipality_id = ? AND o.application_id IN `+in+` ORDER BY o.id DESC`, append([]any{municipalityID}, args...)...)
	return store.CollectBy(rows, err, func(s store.Scanner) (o Offer, err error) {
		err = s.Scan(&o.ID, &o.ApplicationID, &o.UnitID, &o.UnitCode, &o.UnitAddress, &o.RentMonthly, &o.OfferedOn, &o.RespondBy,
			&o.Status, &o.DeclineReason, &o.RespondedOn, &o.OfferedBy, &o.PassedOverReason, &o.PassedOver)
		return o, err
	})
}
