package caseflow

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/invalid"
	"husly/internal/store"
)

// The lease (husleiekontrakt) made from an accepted offer: term, rent,
// deposit, house rules and the follow-up agreement; inspections with the
// inventory; the renewal review; termination.

// CaseLease is a lease signed on a case, with its inspections.
type CaseLease struct {
	ID          int64               `json:"id"`
	UnitID      int64               `json:"unit_id"`
	UnitCode    string              `json:"unit_code"`
	UnitAddress string              `json:"unit_address"`
	Start       deadline.Date       `json:"start_date"`
	End         deadline.Date       `json:"end_date,omitzero"`
	RentMonthly int                 `json:"rent_monthly"`
	Deposit     int                 `json:"deposit"`
	DepositHeld string              `json:"deposit_held,omitempty"`
	Permanent   bool                `json:"permanent"` // tidsubestemt: no end date
	Status      housing.LeaseStatus `json:"status"`
	HouseRules  string              `json:"house_rules"`
	// HouseRulesVersion and HouseRulesInForce name the building's version
	// in force when the lease was signed (0: the municipality's text or
	// rules written into the lease).
	HouseRulesVersion int           `json:"house_rules_version,omitempty"`
	HouseRulesInForce deadline.Date `json:"house_rules_in_force_on,omitzero"`
	FollowUpAgreement string        `json:"followup_agreement"`
	SignedOn          deadline.Date `json:"signed_on,omitzero"`
	TerminatedOn      deadline.Date `json:"terminated_on,omitzero"`
	TerminationReason string        `json:"termination_reason,omitempty"`
	ReviewFrom        deadline.Date `json:"review_from,omitzero"`
	Warning           string        `json:"renewal_warning,omitempty"`
	Notice            Notice        `json:"-"` // the warning as data, for pages in any language
	Inspections       []Inspection  `json:"inspections"`
}

// LeaseInput is what the lease form holds; empty fields take the defaults:
// start today, the term the municipality sets for the unit's housing
// category (permanent for Housing First, else three years), the unit's
// rent, the municipality's house rules and the decision's conditions as
// the follow-up agreement.
type LeaseInput struct {
	Start deadline.Date `json:"start_date,omitzero"`
	// Term: "" (the category's rule), "tidsubestemt" (no end date),
	// "maaneder" (Months) or "sluttdato" (EndDate). Years is kept for
	// callers that give whole years.
	Term        string        `json:"term"`
	Months      int           `json:"months"`
	EndDate     deadline.Date `json:"end_date,omitzero"`
	Years       int           `json:"years"`
	RentMonthly int           `json:"rent_monthly"`
	Deposit     int           `json:"deposit"`
	// DepositHeld: "depositumskonto" (a blocked account in the tenant's
	// name, husleieloven § 3-5) or "nav_garanti" (a guarantee instead,
	// § 3-6); required when a deposit is asked.
	DepositHeld       string        `json:"deposit_held"`
	HouseRules        string        `json:"house_rules"`
	FollowUpAgreement string        `json:"followup_agreement"`
	SignedOn          deadline.Date `json:"signed_on,omitzero"`
}

// ReviewFrom is when the renewal review should start: three months before
// a fixed-term lease ends.
func ReviewFrom(end deadline.Date) deadline.Date {
	t := time.Date(end.Year, end.Month, end.Day, 12, 0, 0, 0, time.UTC).AddDate(0, -3, 0)
	return deadline.Of(t.Year(), t.Month(), t.Day())
}

// RenewalWarning says in bokmål, from three months before the end, that
// the lease's renewal must be reviewed with the tenant (see RenewalNotice).
func RenewalWarning(end deadline.Date, today deadline.Date) string {
	return RenewalNotice(end, today).Bokmål()
}

// SignLease makes the lease from the case's accepted offer, and lets the
// unit. The deposit may be at most three months' rent.
func SignLease(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, in LeaseInput, today deadline.Date) (CaseLease, error) {
	if !a.Writes() {
		return CaseLease{}, access.ErrForbidden
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return CaseLease{}, err
	}
	if !ref.grant.Allows(access.Tenancy) {
		return CaseLease{}, access.ErrForbidden
	}
	os, err := offers(ctx, q, a.MunicipalityID, ref.ID)
	if err != nil {
		return CaseLease{}, err
	}
	var offer *Offer
	for i := range os {
		if os[i].Status == OfferAccepted {
			offer = &os[i]
			break
		}
	}
	if offer == nil || ref.Status != StatusAllocated {
		return CaseLease{}, invalid.Problem("leiekontrakten lages fra et akseptert tilbud, og saken har ikke et tilbud som venter på kontrakt")
	}
	var problems []invalid.Message
	start := orDefault(in.Start, today)
	signed := orDefault(in.SignedOn, today)
	if today.Before(signed) {
		problems = append(problems, invalid.F("signert dato kan ikke være fram i tid"))
	}
	practice, err := LoadPractice(ctx, q, a.MunicipalityID)
	if err != nil {
		return CaseLease{}, err
	}
	var category string
	if err := q.QueryRowContext(ctx, "SELECT category FROM units WHERE id = ?", offer.UnitID).Scan(&category); err != nil {
		return CaseLease{}, err
	}
	if in.RentMonthly == 0 {
		in.RentMonthly = offer.RentMonthly
	}
	end, termProblems := LeaseEnd(in, start, practice.LeaseMonths(category))
	problems = append(problems, termProblems...)
	problems = append(problems, CheckDeposit(in.Deposit, in.DepositHeld, in.RentMonthly, practice.DepositMonths)...)
	// The building's house rules in force are attached as they stand;
	// without them, the municipality's text.
	rules := strings.TrimSpace(in.HouseRules)
	var rulesID any
	if rules == "" {
		inForce, err := houseRulesInForce(ctx, q, a.MunicipalityID, offer.UnitID)
		if err != nil {
			return CaseLease{}, err
		}
		if inForce != nil {
			rules, rulesID = inForce.Body, inForce.ID
		} else if rules, err = TextOf(ctx, q, a.MunicipalityID, TextHouseRules); err != nil {
			return CaseLease{}, err
		}
	}
	agreement := strings.TrimSpace(in.FollowUpAgreement)
	if agreement == "" {
		if ds, err := decisions(ctx, q, a.MunicipalityID, ref.ID); err == nil && len(ds) > 0 {
			agreement = ds[0].Conditions
		}
	}
	tooLong(&problems, invalid.F("husordensreglene"), rules, 20000)
	tooLong(&problems, invalid.F("oppfølgingsavtalen"), agreement, 8000)
	l := housing.Lease{UnitID: offer.UnitID, Start: start, End: end, RentMonthly: in.RentMonthly, Deposit: in.Deposit,
		Tenants: []housing.Tenant{{PersonID: ref.PersonID}}}
	problems = append(problems, housing.ValidateLease(l)...)
	if len(problems) > 0 {
		return CaseLease{}, &ValidationError{Problems: problems}
	}
	id, err := housing.CreateLease(ctx, q, a, l)
	if err != nil {
		return CaseLease{}, err
	}
	held := in.DepositHeld
	if in.Deposit == 0 {
		held = ""
	}
	if _, err := q.ExecContext(ctx, "UPDATE leases SET application_id = ?, house_rules = ?, followup_agreement = ?, signed_on = ?, deposit_held = ?, house_rules_id = ? WHERE id = ?",
		ref.ID, rules, agreement, signed.String(), held, rulesID, id); err != nil {
		return CaseLease{}, err
	}
	if err := setStatus(ctx, q, ref.ID, StatusLease); err != nil {
		return CaseLease{}, err
	}
	ls, err := caseLeases(ctx, q, a.MunicipalityID, ref.ID, today)
	if err != nil || len(ls) == 0 {
		return CaseLease{}, err
	}
	return ls[0], audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "signer", Entity: "leiekontrakt", EntityID: id, After: ls[0]})
}

// Lease terms a form can choose.
const (
	TermCategory  = ""
	TermPermanent = "tidsubestemt"
	TermMonths    = "maaneder"
	TermEndDate   = "sluttdato"
)

// LeaseEnd is a lease's last day from the chosen term, or the zero date
// for a lease without an end date; categoryMonths is the municipality's
// rule for the unit's category (0: permanent). A pure function.
func LeaseEnd(in LeaseInput, start deadline.Date, categoryMonths int) (deadline.Date, []invalid.Message) {
	months := 0
	switch {
	case in.Term == TermPermanent:
		return deadline.Date{}, nil
	case in.Term == TermEndDate:
		end := in.EndDate
		if end.IsZero() {
			return deadline.Date{}, []invalid.Message{invalid.F("%s må fylles ut", invalid.F("sluttdato"))}
		}
		if !start.Before(end) {
			return deadline.Date{}, []invalid.Message{invalid.F("leieforholdet kan ikke slutte før det starter: sluttdatoen må være etter startdatoen (%s)", start)}
		}
		return end, nil
	case in.Term == TermMonths:
		months = in.Months
	case in.Term == TermCategory && in.Years != 0:
		months = 12 * in.Years
	case in.Term == TermCategory:
		if categoryMonths == 0 {
			return deadline.Date{}, nil // the category's homes are permanent (Housing First, seed 002)
		}
		months = categoryMonths
	default:
		return deadline.Date{}, []invalid.Message{invalid.F("ukjent leieperiode «%s»: velg tidsubestemt, et antall måneder eller en sluttdato", in.Term)}
	}
	if months < 1 || months > 120 {
		return deadline.Date{}, []invalid.Message{invalid.F("en tidsbestemt leieperiode må være mellom 1 og 120 måneder, fikk %d; velg tidsubestemt for en varig bolig (husleieloven §§ 9-2 og 9-3)", months)}
	}
	t := time.Date(start.Year, start.Month, start.Day, 12, 0, 0, 0, time.UTC).AddDate(0, months, -1)
	return deadline.Of(t.Year(), t.Month(), t.Day()), nil
}

// Where a deposit is held.
var DepositHolds = choices("lawa.lease.held", "depositumskonto", "nav_garanti")

// CheckDeposit holds a deposit to the law's cap (six months' rent,
// husleieloven § 3-5) and the municipality's own (months), and asks where
// it is held when there is one. A pure function.
func CheckDeposit(deposit int, held string, rent, months int) []invalid.Message {
	var ps []invalid.Message
	switch {
	case deposit < 0:
		ps = append(ps, invalid.F("depositum kan ikke være negativt"))
	case deposit > MaxDepositMonths*rent:
		ps = append(ps, invalid.F("depositum kan være høyst seks måneders husleie (%s) etter husleieloven § 3-5", kr(MaxDepositMonths*rent)))
	case deposit > months*rent:
		ps = append(ps, invalid.F("depositum kan være høyst %d måneders husleie (%s) etter kommunens regel", months, kr(months*rent)))
	}
	if deposit > 0 && !Has(DepositHolds, held) {
		ps = append(ps, invalid.F("velg hvor depositumet står: på en egen sperret depositumskonto i leietakerens navn (husleieloven § 3-5) eller som garanti fra NAV (§ 3-6)"))
	}
	return ps
}

// InspectionItem is one line of the inventory.
type InspectionItem struct {
	Item      string `json:"item"`
	Condition string `json:"condition"` // god, middels, darlig, mangler
	Note      string `json:"note"`
}

// ItemConditions are an inventory line's possible states.
var ItemConditions = choices("case.item_condition", "god", "middels", "darlig", "mangler")

// Inspection is a move-in or move-out inspection with the inventory.
type Inspection struct {
	ID     int64            `json:"id"`
	Kind   InspectionKind   `json:"kind"`
	HeldOn deadline.Date    `json:"held_on"`
	Items  []InspectionItem `json:"items"`
	DoneBy string           `json:"done_by"`
}

// leaseOf finds a lease on a case the actor may change.
func leaseOf(ctx context.Context, q store.Queryer, a access.Actor, applicationID, leaseID int64, today deadline.Date) (caseRef, CaseLease, error) {
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return ref, CaseLease{}, err
	}
	if !ref.grant.Allows(access.Tenancy) {
		return ref, CaseLease{}, access.ErrForbidden
	}
	ls, err := caseLeases(ctx, q, a.MunicipalityID, ref.ID, today)
	if err != nil {
		return ref, CaseLease{}, err
	}
	for _, l := range ls {
		if l.ID == leaseID {
			return ref, l, nil
		}
	}
	return ref, CaseLease{}, invalid.Problem("leiekontrakten finnes ikke i saken")
}

// RecordInspection stores an inspection and its inventory.
func RecordInspection(ctx context.Context, q store.Queryer, a access.Actor, applicationID, leaseID int64, in Inspection, today deadline.Date) (Inspection, error) {
	if !a.Writes() {
		return Inspection{}, access.ErrForbidden
	}
	var problems []invalid.Message
	if !in.Kind.Valid() {
		problems = append(problems, invalid.F("velg innflytting eller utflytting"))
	}
	held := orDefault(in.HeldOn, today)
	if today.Before(held) {
		problems = append(problems, invalid.F("befaringen kan ikke registreres fram i tid"))
	}
	var items []InspectionItem
	for i, it := range in.Items {
		it.Item, it.Note = strings.TrimSpace(it.Item), strings.TrimSpace(it.Note)
		if it.Item == "" && it.Note == "" {
			continue
		}
		if it.Item == "" {
			problems = append(problems, invalid.F("linje %d: skriv hva som er registrert", i+1))
		}
		if !Has(ItemConditions, it.Condition) {
			problems = append(problems, invalid.F("linje %d: velg tilstand", i+1))
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		problems = append(problems, invalid.F("inventarlisten må ha minst én linje"))
	}
	if len(problems) > 0 {
		return Inspection{}, &ValidationError{Problems: problems}
	}
	ref, l, err := leaseOf(ctx, q, a, applicationID, leaseID, today)
	if err != nil {
		return Inspection{}, err
	}
	if start := l.Start; in.Kind == MoveIn && held.Before(start.AddDays(-30)) {
		return Inspection{}, invalid.Problem("innflyttingsbefaringen kan ikke være mer enn 30 dager før leieforholdet starter (%s)", start)
	}
	x := Inspection{Kind: in.Kind, HeldOn: held, Items: items, DoneBy: a.Name}
	body, _ := json.Marshal(items)
	x.ID, err = store.InsertID(ctx, q, `INSERT INTO lease_inspections (municipality_id, lease_id, kind, held_on, items, done_by, done_by_id,
		created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, l.ID, x.Kind, x.HeldOn, string(body), x.DoneBy, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return Inspection{}, err
	}
	return x, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "befaring", Entity: "leiekontrakt", EntityID: l.ID,
		After: map[string]any{"case": ref.ID, "inspection": x}})
}

// Termination ends a lease on a date, with the reason.
type Termination struct {
	On     deadline.Date `json:"terminated_on,omitzero"`
	Reason string        `json:"reason"`
}

// TerminateLease ends a lease. An end date today or before ends it now and
// the unit is vacant; a date ahead records the notice, and the lease is
// ended by registering it again on or after that date.
func TerminateLease(ctx context.Context, q store.Queryer, a access.Actor, applicationID, leaseID int64, in Termination, today deadline.Date) error {
	if !a.Writes() {
		return access.ErrForbidden
	}
	var problems []invalid.Message
	on := orDefault(in.On, today)
	required(&problems, invalid.F("grunnen til at leieforholdet avsluttes"), in.Reason)
	tooLong(&problems, invalid.F("grunnen"), in.Reason, 2000)
	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	_, l, err := leaseOf(ctx, q, a, applicationID, leaseID, today)
	if err != nil {
		return err
	}
	if l.Status != housing.LeaseActive {
		return invalid.Problem("leieforholdet er allerede avsluttet")
	}
	if start := l.Start; on.Before(start) {
		return invalid.Problem("sluttdatoen kan ikke være før leieforholdet startet (%s)", start)
	}
	// A date ahead is notice: the tenant lives there until then, the unit
	// stays let, and the task list says when to register the end.
	status := housing.LeaseEnded
	if today.Before(on) {
		status = housing.LeaseActive
	}
	if _, err := q.ExecContext(ctx, "UPDATE leases SET status = ?, terminated_on = ?, termination_reason = ? WHERE id = ?",
		status, on.String(), strings.TrimSpace(in.Reason), l.ID); err != nil {
		return err
	}
	if status == housing.LeaseEnded {
		if err := setUnitStatus(ctx, q, a.MunicipalityID, l.UnitID, housing.Vacant); err != nil {
			return err
		}
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: map[housing.LeaseStatus]string{housing.LeaseActive: "si opp", housing.LeaseEnded: "avslutt"}[status],
		Entity: "leiekontrakt", EntityID: l.ID, Before: l, After: in})
}

func caseLeases(ctx context.Context, q store.Queryer, municipalityID, applicationID int64, today deadline.Date) ([]CaseLease, error) {
	m, err := caseLeasesOf(ctx, q, municipalityID, []int64{applicationID}, today)
	return store.Of(m, applicationID), err
}

// caseLeasesOf reads the leases of many cases, newest first, with their
// inspections: two queries in all.
func caseLeasesOf(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64, today deadline.Date) (map[int64][]CaseLease, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, `SELECT l.application_id, l.id, l.unit_id, u.code, u.address, l.start_date, l.end_date, l.rent_monthly, l.deposit, l.deposit_held, l.status,
		l.house_rules, l.followup_agreement, l.signed_on, l.terminated_on, l.termination_reason, COALESCE(r.version, 0), r.in_force_on
		FROM leases l JOIN units u ON u.id = l.unit_id LEFT JOIN house_rules r ON r.id = l.house_rules_id WHERE l.municipality_id = ? AND l.application_id IN `+in+` ORDER BY l.id DESC`,
		append([]any{municipalityID}, args...)...)
	byCase, err := store.CollectBy(rows, err, func(s store.Scanner) (l CaseLease, err error) {
		err = s.Scan(&l.ID, &l.UnitID, &l.UnitCode, &l.UnitAddress, &l.Start, &l.End, &l.RentMonthly, &l.Deposit, &l.DepositHeld, &l.Status,
			&l.HouseRules, &l.FollowUpAgreement, &l.SignedOn, &l.TerminatedOn, &l.TerminationReason,
			&l.HouseRulesVersion, &l.HouseRulesInForce)
		l.Permanent = l.End.IsZero()
		if !l.End.IsZero() && l.Status == housing.LeaseActive && l.TerminatedOn.IsZero() {
			l.Notice = RenewalNotice(l.End, today)
			l.ReviewFrom, l.Warning = ReviewFrom(l.End), l.Notice.Bokmål()
		}
		l.Inspections = []Inspection{}
		return l, err
	})
	if err != nil || len(byCase) == 0 {
		return byCase, err
	}
	var leaseIDs []int64
	for _, ls := range byCase {
		for _, l := range ls {
			leaseIDs = append(leaseIDs, l.ID)
		}
	}
	lin, largs := store.In(leaseIDs)
	rows, err = q.QueryContext(ctx, "SELECT lease_id, id, kind, held_on, items, done_by FROM lease_inspections WHERE municipality_id = ? AND lease_id IN "+lin+" ORDER BY id",
		append([]any{municipalityID}, largs...)...)
	inspections, err := store.CollectBy(rows, err, func(s store.Scanner) (x Inspection, err error) {
		var items string
		if err = s.Scan(&x.ID, &x.Kind, &x.HeldOn, &items, &x.DoneBy); err != nil {
			return x, err
		}
		return x, json.Unmarshal([]byte(items), &x.Items)
	})
	if err != nil {
		return nil, err
	}
	for _, ls := range byCase {
		for i := range ls {
			ls[i].Inspections = store.Of(inspections, ls[i].ID)
		}
	}
	return byCase, nil
}
