package arrears

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/store"
)

// Conversation is a conversation task as the tenancy shows it: that the
// lease has arrears and a talk is due, with whom and by when.
type Conversation struct {
	ID           int64         `json:"id"`
	LeaseID      int64         `json:"lease_id"`
	PersonID     int64         `json:"person_id"`
	UnitAddress  string        `json:"unit_address"`
	FirstDueOn   deadline.Date `json:"first_due_on"`
	DueOn        deadline.Date `json:"due_on"`
	AssignedAs   string        `json:"assigned_as"`
	AssigneeID   int64         `json:"assignee_id,omitempty"`
	AssigneeName string        `json:"assignee_name"`
	Status       string        `json:"status"`
	HeldOn       deadline.Date `json:"held_on,omitzero"`
	CollectionOn deadline.Date `json:"collection_on,omitzero"`
	SettledOn    deadline.Date `json:"settled_on,omitzero"`
	Overdue      bool          `json:"overdue"`
}

// Open reports whether the conversation is still to be held.
func (c Conversation) Open() bool { return c.Status == statusOpen && c.SettledOn.IsZero() }

// Held is what the conversation led to: the tenant's finances.
type Held struct {
	Outcome          OutcomeKind `json:"outcome"`
	Note             string      `json:"note"`
	NAVNotified      bool        `json:"nav_notified"`
	NAVBasis         string      `json:"nav_basis,omitempty"`
	NAVLegalBasis    string      `json:"nav_legal_basis,omitempty"`
	RecordedBy       string      `json:"recorded_by"`
	CollectionReason string      `json:"collection_reason,omitempty"`
}

// Money is a lease's unpaid dues in sum.
type Money struct {
	Dues        int           `json:"unpaid_dues"`
	Outstanding int64         `json:"outstanding_ore"`
	Since       deadline.Date `json:"oldest_due_on,omitzero"`
}

// Row is one conversation on the overview, each part tagged with what it
// reveals: the name (basic data), the task (tenancy), the money and the
// outcome (finances).
type Row struct {
	Name         access.Personal[string]       `json:"person_name"`
	Conversation access.Personal[Conversation] `json:"conversation"`
	Held         access.Personal[Held]         `json:"held"`
	Money        access.Personal[Money]        `json:"money"`
}

// Filter narrows the overview.
type Filter struct {
	// Status: "apen" (to be held), "gjennomfort" (held), "" every one.
	Status  string
	Mine    bool // given to the reader or the reader's unit
	Overdue bool // past the day it should be held by
	Limit   int
}

const conversationColumns = `c.id, c.lease_id, c.person_id, COALESCE(u.address, ''), c.first_due_on, c.due_on, c.assigned_as, COALESCE(c.assignee_id, 0),
	c.assignee_name, c.status, c.held_on, c.collection_on, c.settled_on, c.outcome, c.note, c.nav_notified, c.nav_basis, c.nav_legal_basis,
	c.recorded_by, c.collection_reason, p.first_name || ' ' || p.last_name`

func scanConversation(s store.Scanner, today deadline.Date) (Conversation, Held, string, error) {
	var c Conversation
	var h Held
	var name string
	err := s.Scan(&c.ID, &c.LeaseID, &c.PersonID, &c.UnitAddress, &c.FirstDueOn, &c.DueOn, &c.AssignedAs, &c.AssigneeID, &c.AssigneeName, &c.Status,
		&c.HeldOn, &c.CollectionOn, &c.SettledOn, &h.Outcome, &h.Note, &h.NAVNotified, &h.NAVBasis, &h.NAVLegalBasis, &h.RecordedBy, &h.CollectionReason, &name)
	c.Overdue = c.Open() && c.DueOn.Before(today)
	return c, h, name, err
}

// Overview reads the conversations the reader may see, the overdue first,
// with each lease's unpaid sum, in a fixed number of statements. Persons
// the reader has no access to are left out; amounts and outcomes are
// cleared for a reader without finances.
func Overview(ctx context.Context, rd *access.Reader, f Filter, today deadline.Date) ([]Row, error) {
	a := rd.Actor()
	if !a.SeesPersons() {
		return nil, access.ErrForbidden
	}
	q := rd.Q()
	where, args := "c.municipality_id = ?", []any{a.MunicipalityID}
	switch f.Status {
	case statusOpen:
		where += " AND c.status = 'apen' AND c.settled_on IS NULL"
	case statusHeld:
		where += " AND c.status = 'gjennomfort'"
	}
	if f.Mine {
		where += " AND (c.assignee_id = ? OR (c.assignee_id IS NULL AND c.org_unit_id = ?))"
		args = append(args, a.UserID, a.OrgUnitID)
	}
	if f.Overdue {
		where += " AND c.status = 'apen' AND c.settled_on IS NULL AND c.due_on < ?"
		args = append(args, today)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	rows, err := q.QueryContext(ctx, `SELECT `+conversationColumns+` FROM arrears_conversations c JOIN persons p ON p.id = c.person_id
		JOIN leases l ON l.id = c.lease_id LEFT JOIN units u ON u.id = l.unit_id
		WHERE `+where+` ORDER BY c.settled_on IS NOT NULL, c.status, c.due_on, c.id LIMIT ?`, append(args, f.Limit)...)
	type item struct {
		c    Conversation
		h    Held
		name string
	}
	items, err := store.Collect(rows, err, func(s store.Scanner) (it item, err error) {
		it.c, it.h, it.name, err = scanConversation(s, today)
		return it, err
	})
	if err != nil {
		return nil, err
	}
	var persons, leases []int64
	for _, it := range items {
		persons = append(persons, it.c.PersonID)
		if !slices.Contains(leases, it.c.LeaseID) {
			leases = append(leases, it.c.LeaseID)
		}
	}
	if err := rd.AuthorizeAll(ctx, persons); err != nil {
		return nil, err
	}
	money, err := moneyOf(ctx, q, a.MunicipalityID, leases)
	if err != nil {
		return nil, err
	}
	out := []Row{}
	for _, it := range items {
		if _, err := rd.Authorize(ctx, it.c.PersonID); err != nil {
			continue // not the reader's to see
		}
		out = append(out, Row{Name: access.Tag(it.c.PersonID, it.name, access.Basic), Conversation: access.Tag(it.c.PersonID, it.c, access.Tenancy),
			Held: access.Tag(it.c.PersonID, it.h, access.Finances), Money: access.Tag(it.c.PersonID, money[it.c.LeaseID], access.Finances)})
	}
	return out, rd.Send(ctx, &out)
}

// moneyOf sums the unpaid dues of leases, in one query.
func moneyOf(ctx context.Context, q store.Queryer, mid int64, leases []int64) (map[int64]Money, error) {
	out := map[int64]Money{}
	if len(leases) == 0 {
		return out, nil
	}
	in, args := store.In(leases)
	rows, err := q.QueryContext(ctx, `SELECT lease_id, COUNT(*), SUM(outstanding), MIN(due_on) FROM arrears_dues
		WHERE municipality_id = ? AND outstanding > 0 AND lease_id IN `+in+` GROUP BY lease_id`, append([]any{mid}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var lease int64
		var m Money
		if err := rows.Scan(&lease, &m.Dues, &m.Outstanding, &m.Since); err != nil {
			return nil, err
		}
		out[lease] = m
	}
	return out, rows.Err()
}

// Due is one due as the lease page shows it.
type Due struct {
	ID           int64         `json:"id"`
	PersonID     int64         `json:"person_id"`
	Ref          string        `json:"due_ref,omitempty"`
	Kind         Kind          `json:"kind"`
	DueOn        deadline.Date `json:"due_on"`
	Amount       int64         `json:"amount_ore"`
	Outstanding  int64         `json:"outstanding_ore"`
	PaidOn       deadline.Date `json:"paid_on,omitzero"`
	RegisteredBy string        `json:"registered_by"`
}

// Tenant is a tenant on the lease.
type Tenant struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
}

// LeaseView is one lease's arrears: its tenants, dues and conversations.
type LeaseView struct {
	LeaseID       int64                     `json:"lease_id"`
	UnitAddress   access.Personal[string]   `json:"unit_address"`
	Tenants       []access.Personal[Tenant] `json:"tenants"`
	Dues          []access.Personal[Due]    `json:"dues"`
	Conversations []Row                     `json:"conversations"`
	// Finances reports whether the reader sees the amounts (for the page's
	// forms; the values themselves are redacted per person).
	Finances bool `json:"-"`
}

// ReadLease reads a lease's arrears for a reader who may see at least
// one of its tenants' tenancy.
func ReadLease(ctx context.Context, rd *access.Reader, leaseID int64, today deadline.Date) (LeaseView, error) {
	a := rd.Actor()
	if !a.SeesPersons() {
		return LeaseView{}, access.ErrForbidden
	}
	q := rd.Q()
	v := LeaseView{LeaseID: leaseID}
	var address string
	err := q.QueryRowContext(ctx, "SELECT COALESCE(u.address, '') FROM leases l LEFT JOIN units u ON u.id = l.unit_id WHERE l.id = ? AND l.municipality_id = ?",
		leaseID, a.MunicipalityID).Scan(&address)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, err
	}
	rows, err := q.QueryContext(ctx, `SELECT lt.person_id, p.first_name || ' ' || p.last_name FROM lease_tenants lt JOIN persons p ON p.id = lt.person_id
		WHERE lt.lease_id = ? AND lt.municipality_id = ? ORDER BY p.last_name, p.first_name, p.id`, leaseID, a.MunicipalityID)
	tenants, err := store.Collect(rows, err, func(s store.Scanner) (t Tenant, err error) { return t, s.Scan(&t.PersonID, &t.Name) })
	if err != nil {
		return v, err
	}
	ids := make([]int64, len(tenants))
	for i, t := range tenants {
		ids[i] = t.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return v, err
	}
	var seen int64
	for _, t := range tenants {
		g, err := rd.Authorize(ctx, t.PersonID)
		if err != nil || !g.Allows(access.Tenancy) {
			continue
		}
		if seen == 0 {
			seen = t.PersonID
		}
		v.Finances = v.Finances || g.Allows(access.Finances)
		v.Tenants = append(v.Tenants, access.Tag(t.PersonID, t, access.Basic))
	}
	if seen == 0 {
		return v, access.ErrForbidden
	}
	v.UnitAddress = access.Tag(seen, address, access.Tenancy)
	rows, err = q.QueryContext(ctx, `SELECT id, person_id, COALESCE(due_ref, ''), kind, due_on, amount, outstanding, paid_on, registered_by FROM arrears_dues
		WHERE lease_id = ? AND municipality_id = ? ORDER BY due_on DESC, id DESC LIMIT 500`, leaseID, a.MunicipalityID)
	v.Dues, err = store.Collect(rows, err, func(s store.Scanner) (access.Personal[Due], error) {
		var d Due
		err := s.Scan(&d.ID, &d.PersonID, &d.Ref, &d.Kind, &d.DueOn, &d.Amount, &d.Outstanding, &d.PaidOn, &d.RegisteredBy)
		return access.Tag(d.PersonID, d, access.Finances), err
	})
	if err != nil {
		return v, err
	}
	money, err := moneyOf(ctx, q, a.MunicipalityID, []int64{leaseID})
	if err != nil {
		return v, err
	}
	rows, err = q.QueryContext(ctx, `SELECT `+conversationColumns+` FROM arrears_conversations c JOIN persons p ON p.id = c.person_id
		JOIN leases l ON l.id = c.lease_id LEFT JOIN units u ON u.id = l.unit_id
		WHERE c.lease_id = ? AND c.municipality_id = ? ORDER BY c.id DESC`, leaseID, a.MunicipalityID)
	v.Conversations, err = store.Collect(rows, err, func(s store.Scanner) (Row, error) {
		c, h, name, err := scanConversation(s, today)
		m := Money{}
		if c.SettledOn.IsZero() {
			m = money[leaseID]
		}
		return Row{Name: access.Tag(c.PersonID, name, access.Basic), Conversation: access.Tag(c.PersonID, c, access.Tenancy),
			Held: access.Tag(c.PersonID, h, access.Finances), Money: access.Tag(c.PersonID, m, access.Finances)}, err
	})
	if err != nil {
		return v, err
	}
	return v, rd.Send(ctx, &v)
}

// Mine reads the open conversations given to the reader or, when nobody
// is named, to the reader's unit: the start page's panel.
func Mine(ctx context.Context, rd *access.Reader, today deadline.Date) ([]Row, error) {
	a := rd.Actor()
	if !a.Writes() {
		return []Row{}, nil
	}
	return Overview(ctx, rd, Filter{Status: statusOpen, Mine: true, Limit: 20}, today)
}

// LeaseOf gives the lease a conversation belongs to (for a form's way back).
func LeaseOf(ctx context.Context, q store.Queryer, mid, conversationID int64) (int64, error) {
	c, err := loadConversation(ctx, q, mid, conversationID)
	return c.lease, err
}
