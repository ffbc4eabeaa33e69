package movingon

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// ErrNotFound is a lease, decision or plan that is not in the actor's
// municipality.
var ErrNotFound = errors.New("finnes ikke")

// Renewal is a recorded renewal decision.
type Renewal struct {
	ID        int64         `json:"id"`
	LeaseID   int64         `json:"lease_id"`
	PersonID  int64         `json:"person_id"`
	Outcome   Outcome       `json:"outcome"`
	Reason    string        `json:"reason,omitempty"`
	LeaseEnd  deadline.Date `json:"lease_end_on,omitzero"`
	NewEnd    deadline.Date `json:"new_end_on,omitzero"`
	Decided   deadline.Date `json:"decided_on"`
	DecidedBy string        `json:"decided_by"`
	// Address is the home's address, for the letter and the list.
	Address string `json:"address"`
	// Kind says whether the decision was made at the lease's end or
	// during the lease; a move during the lease has what is offered and
	// the planned move date, and no lease end.
	Kind    Kind          `json:"kind"`
	Offered string        `json:"offered,omitempty"`
	MoveOn  deadline.Date `json:"move_on,omitzero"`
	// NotifiedOn is the day the letter is taken to have reached the
	// resident, by NotifiedVia; the appeal deadline, AppealDue, runs from
	// it (forvaltningsloven § 29). Zero until the letter is recorded sent.
	NotifiedOn  deadline.Date `json:"notified_on,omitzero"`
	NotifiedVia string        `json:"notified_via,omitempty"`
	AppealDue   deadline.Date `json:"appeal_due,omitzero"`
	// Stands is false once an appeal reversed, changed or quashed it.
	Stands  bool     `json:"stands"`
	Appeals []Appeal `json:"appeals"`
}

// Decides reports whether the actor's role makes renewal decisions: the
// housing office, the property staff who administer the leases, and the
// unit's leader; the follow-up team advises but does not decide.
func Decides(a access.Actor) bool {
	return a.Role == access.CaseWorker || a.Role == access.Property || a.Role == access.UnitLeader
}

// authorizeFor checks that the actor may write about the person with the
// category, in the transaction.
func authorizeFor(ctx context.Context, q store.Queryer, a access.Actor, personID int64, c access.Category) error {
	if !a.Writes() {
		return access.ErrForbidden
	}
	g, err := access.Authorize(ctx, q, a, personID)
	if err != nil {
		return err
	}
	if !g.Allows(c) {
		return access.ErrForbidden
	}
	return nil
}

// RecordRenewal records the renewal decision on a lease's present end,
// in the caller's transaction: a renewal moves the lease's end (three
// years by default); every outcome takes the lease off the risk list.
// Only a tenant of the active lease is named; the lease needs an end.
func RecordRenewal(ctx context.Context, q store.Queryer, a access.Actor, in RenewalInput, today deadline.Date) (Renewal, error) {
	if !Decides(a) {
		return Renewal{}, access.ErrForbidden
	}
	if in.PersonID <= 0 || in.LeaseID <= 0 {
		return Renewal{}, invalid.Problem("velg leiekontrakten og beboeren vedtaket gjelder")
	}
	if err := authorizeFor(ctx, q, a, in.PersonID, access.Tenancy); err != nil {
		return Renewal{}, err
	}
	var end deadline.Date
	var status, address string
	err := q.QueryRowContext(ctx, `SELECT l.end_date, l.status, u.address FROM leases l JOIN lease_tenants lt ON lt.lease_id = l.id JOIN units u ON u.id = l.unit_id
		WHERE l.id = ? AND l.municipality_id = ? AND lt.person_id = ?`, in.LeaseID, a.MunicipalityID, in.PersonID).Scan(&end, &status, &address)
	if errors.Is(err, sql.ErrNoRows) {
		return Renewal{}, ErrNotFound
	}
	if err != nil {
		return Renewal{}, err
	}
	problems := CheckRenewal(in, end, today)
	if status != "aktiv" {
		problems = append(problems, invalid.F("leiekontrakten er ikke aktiv"))
	}
	if end.IsZero() {
		problems = append(problems, invalid.F("leiekontrakten er tidsubestemt og har ingen slutt å fornye"))
	}
	if len(problems) > 0 {
		return Renewal{}, invalid.New(problems...)
	}
	var dup int
	standing, sargs := standingCond("r")
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM renewal_decisions r WHERE r.lease_id = ? AND r.municipality_id = ? AND r.kind = ? AND r.lease_end_on = ?"+standing,
		append([]any{in.LeaseID, a.MunicipalityID, string(AtEnd), end}, sargs...)...).Scan(&dup); err != nil {
		return Renewal{}, err
	}
	if dup > 0 {
		return Renewal{}, invalid.Problem("fornyelsen av denne leiekontrakten er allerede avgjort (slutt %s)", end)
	}
	r := Renewal{LeaseID: in.LeaseID, PersonID: in.PersonID, Outcome: in.Outcome, Reason: strings.TrimSpace(in.Reason), LeaseEnd: end,
		Decided: in.Decided, DecidedBy: a.Name, Address: address, Kind: AtEnd, Stands: true, Appeals: []Appeal{}}
	if r.Decided.IsZero() {
		r.Decided = today
	}
	var newEnd any
	if in.Outcome == Renew {
		r.NewEnd = RenewedEnd(in, end)
		newEnd = r.NewEnd
	}
	r.ID, err = store.InsertID(ctx, q, `INSERT INTO renewal_decisions (municipality_id, lease_id, person_id, outcome, reason, lease_end_on, new_end_on,
		decided_on, decided_by, decided_by_name, created_at, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, in.LeaseID, in.PersonID, string(in.Outcome), r.Reason, end, newEnd, r.Decided, a.UserID, a.Name, store.TimeArg(time.Now()), string(AtEnd))
	if err != nil {
		return Renewal{}, err
	}
	if in.Outcome == Renew {
		if _, err := q.ExecContext(ctx, "UPDATE leases SET end_date = ? WHERE id = ? AND municipality_id = ?", r.NewEnd, in.LeaseID, a.MunicipalityID); err != nil {
			return Renewal{}, err
		}
	}
	return r, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer", Entity: entityDecision, EntityID: r.ID, After: r})
}

// Plan is a resident's plan toward moving on.
type Plan struct {
	PlanInput
	ID        int64     `json:"id"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SavePlan makes or updates the resident's plan, in the caller's
// transaction. The plan reveals the resident's finances (Startlån,
// saving), so the actor's grant must include them.
func SavePlan(ctx context.Context, q store.Queryer, a access.Actor, in PlanInput, today deadline.Date) (Plan, error) {
	if !a.Writes() {
		return Plan{}, access.ErrForbidden
	}
	if in.PersonID <= 0 {
		return Plan{}, invalid.Problem("velg beboeren planen gjelder")
	}
	if err := authorizeFor(ctx, q, a, in.PersonID, access.Finances); err != nil {
		return Plan{}, err
	}
	in.NextStep = strings.TrimSpace(in.NextStep)
	if p := CheckPlan(in, today); len(p) > 0 {
		return Plan{}, invalid.New(p...)
	}
	now := time.Now()
	var target any
	if !in.Target.IsZero() {
		target = in.Target
	}
	var before *Plan
	old, err := plans(ctx, q, "p.municipality_id = ? AND p.person_id = ?", a.MunicipalityID, in.PersonID)
	if err != nil {
		return Plan{}, err
	}
	out := Plan{PlanInput: in, UpdatedBy: a.Name, UpdatedAt: now}
	if len(old) > 0 {
		before, out.ID = &old[0], old[0].ID
		_, err = q.ExecContext(ctx, `UPDATE moving_on_plans SET goal = ?, startlan = ?, bostotte = ?, saving_monthly = ?, saved = ?, target_on = ?, next_step = ?,
			updated_by = ?, updated_at = ? WHERE id = ? AND municipality_id = ?`, string(in.Goal), string(in.Startlan), string(in.Bostotte), in.SavingMonthly, in.Saved,
			target, in.NextStep, a.Name, store.TimeArg(now), out.ID, a.MunicipalityID)
	} else {
		out.ID, err = store.InsertID(ctx, q, `INSERT INTO moving_on_plans (municipality_id, person_id, goal, startlan, bostotte, saving_monthly, saved, target_on, next_step,
			updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, in.PersonID, string(in.Goal), string(in.Startlan), string(in.Bostotte),
			in.SavingMonthly, in.Saved, target, in.NextStep, a.Name, store.TimeArg(now))
	}
	if err != nil {
		return Plan{}, err
	}
	e := audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer", Entity: entityPlan, EntityID: out.ID, After: out}
	if before != nil {
		e.Action, e.Before = "endre", *before
	}
	return out, audit.Record(ctx, q, e)
}

func plans(ctx context.Context, q store.Queryer, cond string, args ...any) ([]Plan, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.person_id, p.goal, p.startlan, p.bostotte, p.saving_monthly, p.saved, p.target_on, p.next_step, p.updated_by, p.updated_at
		FROM moving_on_plans p WHERE `+cond+` ORDER BY p.person_id LIMIT 200`, args...)
	return store.Collect(rows, err, func(s store.Scanner) (p Plan, err error) {
		err = s.Scan(&p.ID, &p.PersonID, &p.Goal, &p.Startlan, &p.Bostotte, &p.SavingMonthly, &p.Saved, &p.Target, &p.NextStep, &p.UpdatedBy, store.ScanTime(&p.UpdatedAt))
		return p, err
	})
}

// CreditCheck is a recorded credit check.
type CreditCheck struct {
	CreditInput
	ID        int64  `json:"id"`
	CheckedBy string `json:"checked_by"`
}

// RecordCreditCheck records a credit check, in the caller's transaction,
// only under the resident's recorded permission: an outside consent of
// the same person covering finances, active on the day of the check.
func RecordCreditCheck(ctx context.Context, q store.Queryer, a access.Actor, in CreditInput, today deadline.Date) (CreditCheck, error) {
	if !a.Writes() {
		return CreditCheck{}, access.ErrForbidden
	}
	if in.PersonID <= 0 {
		return CreditCheck{}, invalid.Problem("velg beboeren kredittsjekken gjelder")
	}
	if err := authorizeFor(ctx, q, a, in.PersonID, access.Finances); err != nil {
		return CreditCheck{}, err
	}
	in.Note = strings.TrimSpace(in.Note)
	problems := CheckCredit(in, today)
	if in.Checked.IsZero() {
		in.Checked = today
	}
	if in.ConsentID > 0 {
		ok, err := permits(ctx, q, a.MunicipalityID, in.PersonID, in.ConsentID, in.Checked)
		if err != nil {
			return CreditCheck{}, err
		}
		if !ok {
			problems = append(problems, invalid.F("samtykket gjelder ikke: det må være beboerens eget, omfatte økonomi og gjelde den dagen kredittsjekken gjøres"))
		}
	}
	if len(problems) > 0 {
		return CreditCheck{}, invalid.New(problems...)
	}
	c := CreditCheck{CreditInput: in, CheckedBy: a.Name}
	var err error
	c.ID, err = store.InsertID(ctx, q, `INSERT INTO credit_checks (municipality_id, person_id, consent_id, checked_on, result, note, checked_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, in.PersonID, in.ConsentID, in.Checked, string(in.Result), in.Note, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return CreditCheck{}, err
	}
	return c, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer", Entity: entityCheck, EntityID: c.ID, After: c})
}

// permits reports whether an outside consent lets staff check the
// person's credit on a day: the person's own, covering finances, given
// by then, not expired or withdrawn.
func permits(ctx context.Context, q store.Queryer, municipalityID, personID, consentID int64, on deadline.Date) (bool, error) {
	cs, err := financeConsents(ctx, q, municipalityID, personID, consentID)
	if err != nil || len(cs) == 0 {
		return false, err
	}
	at := on.Start().Add(12 * time.Hour)
	if deadline.On(time.Now()) == on {
		at = time.Now()
	}
	return cs[0].ActiveAt(at), nil
}

// financeConsents reads the person's consents to outside parties that
// cover finances (one when consentID is given), newest first.
func financeConsents(ctx context.Context, q store.Queryer, municipalityID, personID, consentID int64) ([]access.OutsideConsent, error) {
	cond, args := "", []any{municipalityID, personID}
	if consentID > 0 {
		cond, args = " AND id = ?", append(args, consentID)
	}
	rows, err := q.QueryContext(ctx, `SELECT id, person_id, recipient_kind, recipient_name, purpose, categories, given_at, expires_at, withdrawn_at
		FROM outside_consents WHERE municipality_id = ? AND person_id = ?`+cond+` ORDER BY given_at DESC, id DESC`, args...)
	all, err := store.Collect(rows, err, func(s store.Scanner) (c access.OutsideConsent, err error) {
		var cats string
		var expires time.Time
		err = s.Scan(&c.ID, &c.PersonID, &c.RecipientKind, &c.RecipientName, &c.Purpose, &cats, store.ScanTime(&c.Given), store.ScanTime(&expires), store.ScanTime(&c.Withdrawn))
		for _, x := range strings.Split(cats, ",") {
			c.Categories = append(c.Categories, access.Category(strings.TrimSpace(x)))
		}
		// The expiry is kept as the start of its calendar day in Oslo.
		c.Expires = deadline.On(expires)
		return c, err
	})
	out := all[:0]
	for _, c := range all {
		if slices.Contains(c.Categories, access.Finances) {
			out = append(out, c)
		}
	}
	return out, err
}
