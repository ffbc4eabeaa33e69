package movingon

import (
	"context"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/risk"
	"husly/internal/store"
)

// Awaiting is a lease ending without a renewal decision, with the tenant.
type Awaiting struct {
	LeaseID  int64         `json:"lease_id"`
	PersonID int64         `json:"person_id"`
	Name     string        `json:"name"`
	Address  string        `json:"address"`
	End      deadline.Date `json:"end_on"`
	Passed   bool          `json:"passed"`
}

// DecisionRow is a recorded renewal decision with the resident's name.
type DecisionRow struct {
	Renewal
	Name string `json:"name"`
}

// PlanRow is a plan with the resident's name, tied to the lease's end:
// the three-year lease is the plan's window (seed 002), so the row shows
// when the resident's active lease ends and the renewal decision on that
// end once it is made. Those reveal the tenancy.
type PlanRow struct {
	Plan
	Name string `json:"name"`
	// LeaseEnd is the end of the resident's active time-limited lease
	// (the nearest when more than one); zero without one.
	LeaseEnd deadline.Date `json:"lease_end_on,omitzero"`
	// Renewal is the decision on that end, empty until it is made.
	Renewal Outcome `json:"renewal,omitempty"`
}

// Overview is the moving-on page: the leases awaiting a decision, the
// latest decisions and the plans, each as far as the viewer may see.
type Overview struct {
	Awaiting  []access.Personal[Awaiting]    `json:"awaiting"`
	Decisions []access.Personal[DecisionRow] `json:"decisions"`
	Plans     []access.Personal[PlanRow]     `json:"plans"`
}

// overviewLimit bounds each list on the page.
const overviewLimit = 200

// ReadOverview reads the moving-on overview in a fixed number of
// statements, whatever the number of leases: one per list, one for the
// names, one access decision for every person, and the access log.
func ReadOverview(ctx context.Context, rd *access.Reader, personID int64, today deadline.Date) (Overview, error) {
	if !rd.Actor().SeesPersons() {
		return Overview{}, access.ErrForbidden
	}
	out, err := readOverview(ctx, rd, personID, today)
	if err != nil {
		return out, err
	}
	return out, rd.Send(ctx, &out)
}

func readOverview(ctx context.Context, rd *access.Reader, personID int64, today deadline.Date) (Overview, error) {
	a := rd.Actor()
	out := Overview{Awaiting: []access.Personal[Awaiting]{}, Decisions: []access.Personal[DecisionRow]{}, Plans: []access.Personal[PlanRow]{}}
	q := rd.Q()
	signals, err := leasesEnding(ctx, q, risk.Query{Municipality: a.MunicipalityID, Today: today, PersonID: personID})
	if err != nil {
		return out, err
	}
	cond, args := "r.municipality_id = ?", []any{a.MunicipalityID}
	if personID > 0 {
		cond, args = cond+" AND r.person_id = ?", append(args, personID)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+renewalColumns+`
		FROM renewal_decisions r JOIN leases l ON l.id = r.lease_id JOIN units u ON u.id = l.unit_id WHERE `+cond+` ORDER BY r.decided_on DESC, r.id DESC LIMIT 200`, args...)
	decisions, err := store.Collect(rows, err, scanRenewal)
	if err != nil {
		return out, err
	}
	if decisions, err = withAppeals(ctx, q, a.MunicipalityID, decisions); err != nil {
		return out, err
	}
	pcond, pargs := "p.municipality_id = ?", []any{a.MunicipalityID}
	if personID > 0 {
		pcond, pargs = pcond+" AND p.person_id = ?", append(pargs, personID)
	}
	ps, err := plans(ctx, q, pcond, pargs...)
	if err != nil {
		return out, err
	}
	var ids []int64
	for _, s := range signals {
		ids = append(ids, s.PersonID)
	}
	for _, d := range decisions {
		ids = append(ids, d.PersonID)
	}
	for _, p := range ps {
		ids = append(ids, p.PersonID)
	}
	ids = dedupe(ids)
	names, err := namesOf(ctx, q, a.MunicipalityID, ids)
	if err != nil {
		return out, err
	}
	for i := 0; i < len(ids); i += 500 {
		if err := rd.AuthorizeAll(ctx, ids[i:min(i+500, len(ids))]); err != nil {
			return out, err
		}
	}
	addresses, err := addressesOf(ctx, q, a.MunicipalityID, signals)
	if err != nil {
		return out, err
	}
	for _, s := range signals {
		if len(out.Awaiting) == overviewLimit {
			break
		}
		end := s.Since.AddDays(EndingWithinDays)
		out.Awaiting = append(out.Awaiting, access.Tag(s.PersonID, Awaiting{LeaseID: s.LeaseID, PersonID: s.PersonID, Name: names[s.PersonID],
			Address: addresses[s.LeaseID], End: end, Passed: end.Before(today)}, access.Basic, access.Tenancy))
	}
	for _, d := range decisions {
		out.Decisions = append(out.Decisions, access.Tag(d.PersonID, DecisionRow{Renewal: d, Name: names[d.PersonID]}, access.Basic, access.Tenancy))
	}
	ends, err := leaseEnds(ctx, q, a.MunicipalityID, ps)
	if err != nil {
		return out, err
	}
	for _, p := range ps {
		e := ends[p.PersonID]
		out.Plans = append(out.Plans, access.Tag(p.PersonID, PlanRow{Plan: p, Name: names[p.PersonID], LeaseEnd: e.end, Renewal: e.outcome},
			access.Basic, access.Finances, access.Tenancy))
	}
	return out, nil
}

type leaseEnd struct {
	end     deadline.Date
	outcome Outcome
}

// leaseEnds reads, in one statement, the nearest end of each planning
// resident's active time-limited lease and the renewal decision made on
// that end, if any.
func leaseEnds(ctx context.Context, q store.Queryer, municipalityID int64, ps []Plan) (map[int64]leaseEnd, error) {
	out := map[int64]leaseEnd{}
	var ids []int64
	for _, p := range ps {
		ids = append(ids, p.PersonID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := store.In(dedupe(ids))
	standing, sargs := standingCond("r")
	rows, err := q.QueryContext(ctx, `SELECT t.person_id, l.end_date, COALESCE((SELECT r.outcome FROM renewal_decisions r WHERE r.lease_id = l.id
		AND r.kind = ? AND r.lease_end_on = l.end_date`+standing+` ORDER BY r.id DESC LIMIT 1), '') FROM lease_tenants t JOIN leases l ON l.id = t.lease_id
		WHERE t.municipality_id = ? AND l.status = 'aktiv' AND l.end_date IS NOT NULL AND t.person_id IN `+in+` ORDER BY t.person_id, l.end_date`,
		append(append(append([]any{string(AtEnd)}, sargs...), municipalityID), args...)...)
	type row struct {
		person int64
		leaseEnd
	}
	rs, err := store.Collect(rows, err, func(s store.Scanner) (r row, err error) { return r, s.Scan(&r.person, &r.end, &r.outcome) })
	for _, r := range rs {
		if _, seen := out[r.person]; !seen {
			out[r.person] = r.leaseEnd
		}
	}
	return out, err
}

// Resident is one resident's moving-on page: the overview narrowed to
// them, their credit checks and the consents that permit one.
type Resident struct {
	Overview
	PersonID int64                                    `json:"person_id"`
	Name     access.Personal[string]                  `json:"name"`
	Credit   []access.Personal[CreditCheck]           `json:"credit_checks"`
	Consents []access.Personal[access.OutsideConsent] `json:"finance_consents"`
	// Leases are the resident's active leases, time-limited or
	// open-ended: what a move decision during the lease is made on.
	Leases []access.Personal[ActiveLease] `json:"active_leases"`
}

// ReadResident reads one resident's moving on: for staff with access to
// the person, and for the resident themself (their dossier).
func ReadResident(ctx context.Context, rd *access.Reader, personID int64, today deadline.Date) (Resident, error) {
	a := rd.Actor()
	out := Resident{PersonID: personID, Credit: []access.Personal[CreditCheck]{}, Consents: []access.Personal[access.OutsideConsent]{},
		Leases: []access.Personal[ActiveLease]{}}
	if _, err := rd.Authorize(ctx, personID); err != nil {
		return out, err
	}
	q := rd.Q()
	names, err := namesOf(ctx, q, a.MunicipalityID, []int64{personID})
	if err != nil {
		return out, err
	}
	out.Name = access.Tag(personID, names[personID], access.Basic)
	rows, err := q.QueryContext(ctx, `SELECT id, person_id, consent_id, checked_on, result, note, checked_by FROM credit_checks
		WHERE municipality_id = ? AND person_id = ? ORDER BY checked_on DESC, id DESC`, a.MunicipalityID, personID)
	cs, err := store.Collect(rows, err, func(s store.Scanner) (c CreditCheck, err error) {
		return c, s.Scan(&c.ID, &c.PersonID, &c.ConsentID, &c.Checked, &c.Result, &c.Note, &c.CheckedBy)
	})
	if err != nil {
		return out, err
	}
	for _, c := range cs {
		out.Credit = append(out.Credit, access.Tag(personID, c, access.Finances))
	}
	consents, err := financeConsents(ctx, q, a.MunicipalityID, personID, 0)
	if err != nil {
		return out, err
	}
	for _, c := range consents {
		if c.ActiveAt(timeNow()) {
			out.Consents = append(out.Consents, access.Tag(personID, c, access.Finances, access.HousingNeeds))
		}
	}
	leases, err := activeLeases(ctx, q, a.MunicipalityID, personID)
	if err != nil {
		return out, err
	}
	for _, l := range leases {
		out.Leases = append(out.Leases, access.Tag(personID, l, access.Tenancy))
	}
	ov, err := readOverview(ctx, rd, personID, today)
	out.Overview = ov
	if err != nil {
		return out, err
	}
	return out, rd.Send(ctx, &out)
}

// renewalColumns are the columns scanRenewal reads, of renewal_decisions
// r joined with the home u.
const renewalColumns = `r.id, r.lease_id, r.person_id, r.outcome, r.reason, r.lease_end_on, r.new_end_on, r.decided_on, r.decided_by_name, u.address,
	r.kind, r.offered, r.move_on, r.notified_on, r.notified_via, r.appeal_due`

func scanRenewal(s store.Scanner) (r Renewal, err error) {
	err = s.Scan(&r.ID, &r.LeaseID, &r.PersonID, &r.Outcome, &r.Reason, &r.LeaseEnd, &r.NewEnd, &r.Decided, &r.DecidedBy, &r.Address,
		&r.Kind, &r.Offered, &r.MoveOn, &r.NotifiedOn, &r.NotifiedVia, &r.AppealDue)
	r.Stands, r.Appeals = true, []Appeal{}
	return r, err
}

func namesOf(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, "SELECT id, first_name || ' ' || last_name FROM persons WHERE municipality_id = ? AND id IN "+in, append([]any{municipalityID}, args...)...)
	type n struct {
		id   int64
		name string
	}
	ns, err := store.Collect(rows, err, func(s store.Scanner) (x n, err error) { return x, s.Scan(&x.id, &x.name) })
	for _, x := range ns {
		out[x.id] = x.name
	}
	return out, err
}

func addressesOf(ctx context.Context, q store.Queryer, municipalityID int64, signals []risk.Signal) (map[int64]string, error) {
	out := map[int64]string{}
	var ids []int64
	for _, s := range signals {
		ids = append(ids, s.LeaseID)
	}
	ids = dedupe(ids)
	if len(ids) == 0 {
		return out, nil
	}
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, "SELECT l.id, u.address FROM leases l JOIN units u ON u.id = l.unit_id WHERE l.municipality_id = ? AND l.id IN "+in,
		append([]any{municipalityID}, args...)...)
	type n struct {
		id      int64
		address string
	}
	ns, err := store.Collect(rows, err, func(s store.Scanner) (x n, err error) { return x, s.Scan(&x.id, &x.address) })
	for _, x := range ns {
		out[x.id] = x.address
	}
	return out, err
}

func dedupe(ids []int64) []int64 {
	seen := map[int64]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
