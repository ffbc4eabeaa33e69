package tenancy

import (
	"context"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/phrase"
	"husly/internal/store"
)

// Reads go through the access rules: a Reader authorizes the viewer for
// each resident, lets through only what the grant allows (the tenancy
// category), and logs what was sent.

// SentNotice is a notice of a step sent to the follow-up team or NAV.
type SentNotice struct {
	StepID    int64         `json:"step_id"`
	Recipient string        `json:"recipient"`
	Unit      string        `json:"org_unit_name"`
	Message   phrase.Phrase `json:"message"`
}

// Lease is one lease's tenancy record: its complaints, its ladder with
// the steps that may come next, the notices sent and the tenant's own
// notice.
type Lease struct {
	LeaseID       int64          `json:"lease_id"`
	PersonID      int64          `json:"person_id"`
	PersonName    string         `json:"person_name"`
	Address       string         `json:"address"`
	Status        string         `json:"lease_status"`
	Complaints    []Complaint    `json:"complaints"`
	Steps         []LadderStep   `json:"steps"`
	Current       Step           `json:"current_step,omitempty"`
	Next          Step           `json:"next_step,omitempty"`
	Skips         []Step         `json:"steps_with_override"`
	Notices       []SentNotice   `json:"notices"`
	TenantNotices []TenantNotice `json:"tenant_notices"`
}

// ReadLease reads a lease's tenancy record for the viewer. The viewer
// needs the tenancy category for the resident; the read is logged.
func ReadLease(ctx context.Context, rd *access.Reader, leaseID int64) (access.Personal[Lease], error) {
	a := rd.Actor()
	var none access.Personal[Lease]
	if !a.SeesPersons() {
		return none, access.ErrForbidden
	}
	q := rd.Q()
	l, err := leaseOf(ctx, q, a.MunicipalityID, leaseID)
	if err != nil {
		return none, err
	}
	g, err := rd.Authorize(ctx, l.PersonID)
	if err != nil {
		return none, err
	}
	if !g.Allows(Category) {
		return none, access.ErrForbidden
	}
	v := Lease{LeaseID: l.ID, PersonID: l.PersonID, Address: l.Address, Status: l.Status}
	if err := q.QueryRowContext(ctx, "SELECT first_name || ' ' || last_name FROM persons WHERE id = ?", l.PersonID).Scan(&v.PersonName); err != nil {
		return none, err
	}
	cs, err := complaintsWhere(ctx, q, a.MunicipalityID, "c.lease_id = ?", []any{l.ID}, 500)
	if err != nil {
		return none, err
	}
	v.Complaints = cs
	steps, err := stepsOf(ctx, q, a.MunicipalityID, []int64{l.ID})
	if err != nil {
		return none, err
	}
	v.Steps = steps[l.ID]
	v.Current = Current(v.Steps)
	v.Next, v.Skips = NextSteps(v.Current)
	rows, err := q.QueryContext(ctx, `SELECT n.step_id, n.recipient, o.name, n.phrase FROM tenancy_notices n JOIN tenancy_steps s ON s.id = n.step_id
		JOIN org_units o ON o.id = n.org_unit_id WHERE s.lease_id = ? AND n.municipality_id = ? ORDER BY n.id DESC LIMIT 200`, l.ID, a.MunicipalityID)
	v.Notices, err = store.Collect(rows, err, func(s store.Scanner) (n SentNotice, err error) {
		var stored string
		if err := s.Scan(&n.StepID, &n.Recipient, &n.Unit, &stored); err != nil {
			return n, err
		}
		ps, err := phrase.Decode(stored)
		if len(ps) > 0 {
			n.Message = ps[0]
		}
		return n, err
	})
	if err != nil {
		return none, err
	}
	if v.TenantNotices, err = tenantNoticesWhere(ctx, q, a.MunicipalityID, "n.lease_id = ?", []any{l.ID}); err != nil {
		return none, err
	}
	out := access.Tag(l.PersonID, v, access.Basic, Category)
	return out, rd.Send(ctx, &out)
}

// complaintsWhere reads complaints with their replies: two queries.
func complaintsWhere(ctx context.Context, q store.Queryer, municipalityID int64, cond string, args []any, limit int) ([]Complaint, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.lease_id, c.person_id, p.first_name || ' ' || p.last_name, u.address, c.kind, c.source, c.complainant, c.received_on,
		c.what, c.handler_id, c.handler_name, c.informed_on, c.informed_how, c.outcome, c.closed_on
		FROM tenancy_complaints c JOIN persons p ON p.id = c.person_id JOIN leases l ON l.id = c.lease_id JOIN units u ON u.id = l.unit_id
		WHERE c.municipality_id = ? AND `+cond+` ORDER BY c.closed_on IS NOT NULL, c.received_on DESC, c.id DESC LIMIT ?`,
		append(append([]any{municipalityID}, args...), limit)...)
	list, err := store.Collect(rows, err, func(s store.Scanner) (c Complaint, err error) {
		err = s.Scan(&c.ID, &c.LeaseID, &c.PersonID, &c.PersonName, &c.Address, &c.Kind, &c.Source, &c.Complainant, &c.ReceivedOn, &c.What, &c.HandlerID,
			&c.HandlerName, &c.InformedOn, &c.InformedHow, &c.Outcome, &c.ClosedOn)
		c.Replies = []Reply{}
		return c, err
	})
	if err != nil || len(list) == 0 {
		return list, err
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	replies, err := repliesOf(ctx, q, municipalityID, ids)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if r := replies[list[i].ID]; r != nil {
			list[i].Replies = r
		}
	}
	return list, nil
}

func repliesOf(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64) (map[int64][]Reply, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, `SELECT complaint_id, id, body, created_at FROM tenancy_complaint_replies WHERE municipality_id = ? AND complaint_id IN `+in+
		` ORDER BY id`, append([]any{municipalityID}, args...)...)
	return store.CollectBy(rows, err, func(s store.Scanner) (r Reply, err error) {
		var at time.Time
		err = s.Scan(&r.ID, &r.Body, store.ScanTime(&at))
		r.Written = deadline.On(at)
		return r, err
	})
}

// ComplaintFilter narrows the complaint list.
type ComplaintFilter struct {
	Open   bool          // only complaints still being handled
	Kind   ComplaintKind // "" for every kind
	Source Source        // "" for every source
	From   deadline.Date // received on or after; zero for no limit
}

// Complaints lists the complaints about residents the viewer may see,
// open ones first, newest first; each row is tenancy data about its
// resident and the read is logged.
func Complaints(ctx context.Context, rd *access.Reader, f ComplaintFilter, limit int) ([]access.Personal[Complaint], error) {
	a := rd.Actor()
	if !a.SeesPersons() {
		return nil, access.ErrForbidden
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	vis, vargs := access.VisibleClause(a)
	conds, args := []string{vis}, vargs
	if f.Open {
		conds = append(conds, "c.closed_on IS NULL")
	}
	if f.Kind != "" {
		conds, args = append(conds, "c.kind = ?"), append(args, string(f.Kind))
	}
	if f.Source != "" {
		conds, args = append(conds, "c.source = ?"), append(args, string(f.Source))
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "c.received_on >= ?"), append(args, f.From)
	}
	list, err := complaintsWhere(ctx, rd.Q(), a.MunicipalityID, strings.Join(conds, " AND "), args, limit)
	if err != nil {
		return nil, err
	}
	return tagAll(ctx, rd, list, func(c Complaint) int64 { return c.PersonID })
}

// tagAll authorizes the persons of a list in one query, tags each row as
// tenancy data about its person, sends it through the redaction step and
// keeps the rows the viewer was let see.
func tagAll[T any](ctx context.Context, rd *access.Reader, list []T, person func(T) int64) ([]access.Personal[T], error) {
	ids := make([]int64, len(list))
	for i, v := range list {
		ids[i] = person(v)
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, err
	}
	out := make([]access.Personal[T], len(list))
	for i, v := range list {
		out[i] = access.Tag(person(v), v, access.Basic, Category)
	}
	if err := rd.Send(ctx, &out); err != nil {
		return nil, err
	}
	return access.OnlyShown(out), nil
}

// OpenLadder is a lease whose ladder is open, for the list page.
type OpenLadder struct {
	LeaseID      int64         `json:"lease_id"`
	PersonID     int64         `json:"person_id"`
	PersonName   string        `json:"person_name"`
	Address      string        `json:"address"`
	Step         Step          `json:"step"`
	Since        deadline.Date `json:"since"`
	PreventiveBy string        `json:"preventive_by_name"`
	EvictionOn   deadline.Date `json:"eviction_on,omitzero"`
}

// OpenLadders lists the leases with a step in force that the viewer may
// see, the highest step first; step narrows it to one step.
func OpenLadders(ctx context.Context, rd *access.Reader, step Step, limit int) ([]access.Personal[OpenLadder], error) {
	a := rd.Actor()
	if !a.SeesPersons() {
		return nil, access.ErrForbidden
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	vis, args := access.VisibleClause(a)
	rows, err := rd.Q().QueryContext(ctx, `SELECT s.lease_id, s.person_id, p.first_name || ' ' || p.last_name, u.address, s.step, s.issued_on, s.preventive_by_name, s.eviction_on
		FROM tenancy_steps s JOIN persons p ON p.id = s.person_id JOIN leases l ON l.id = s.lease_id JOIN units u ON u.id = l.unit_id
		WHERE s.municipality_id = ? AND s.status = 'aktiv' AND `+vis+` ORDER BY s.lease_id, s.issued_on DESC, s.id DESC`,
		append([]any{a.MunicipalityID}, args...)...)
	all, err := store.Collect(rows, err, func(s store.Scanner) (o OpenLadder, err error) {
		err = s.Scan(&o.LeaseID, &o.PersonID, &o.PersonName, &o.Address, &o.Step, &o.Since, &o.PreventiveBy, &o.EvictionOn)
		return o, err
	})
	if err != nil {
		return nil, err
	}
	// The highest step in force per lease.
	top := map[int64]int{}
	var list []OpenLadder
	for _, o := range all {
		i, seen := top[o.LeaseID]
		switch {
		case !seen:
			top[o.LeaseID] = len(list)
			list = append(list, o)
		case o.Step.Rank() > list[i].Step.Rank():
			list[i] = o
		}
	}
	kept := list[:0]
	for _, o := range list {
		if step == "" || o.Step == step {
			kept = append(kept, o)
		}
	}
	list = kept
	sortLadders(list)
	if len(list) > limit {
		list = list[:limit]
	}
	return tagAll(ctx, rd, list, func(o OpenLadder) int64 { return o.PersonID })
}

func sortLadders(list []OpenLadder) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && less(list[j], list[j-1]); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}

func less(a, b OpenLadder) bool {
	if a.Step.Rank() != b.Step.Rank() {
		return a.Step.Rank() > b.Step.Rank()
	}
	if a.Since != b.Since {
		return a.Since.Before(b.Since)
	}
	return a.LeaseID < b.LeaseID
}

// MyComplaints are the complaints about the resident, as Min side shows
// them: without who complained.
func MyComplaints(ctx context.Context, rd *access.Reader) ([]access.Personal[MyComplaint], error) {
	a := rd.Actor()
	if a.Role != access.Resident || a.PersonID == 0 {
		return nil, access.ErrForbidden
	}
	list, err := complaintsWhere(ctx, rd.Q(), a.MunicipalityID, "c.person_id = ?", []any{a.PersonID}, 200)
	if err != nil {
		return nil, err
	}
	mine := make([]MyComplaint, len(list))
	for i, c := range list {
		mine[i] = mine_(c)
	}
	return tagAll(ctx, rd, mine, func(MyComplaint) int64 { return a.PersonID })
}

// mine_ is a complaint as the resident reads it: the complainant is left
// out (forvaltningsloven § 13), and so is the source when it would name
// a neighbour.
func mine_(c Complaint) MyComplaint {
	return MyComplaint{ID: c.ID, Kind: c.Kind, ReceivedOn: c.ReceivedOn, What: c.What, HandlerName: c.HandlerName, Outcome: c.Outcome, ClosedOn: c.ClosedOn,
		Replies: c.Replies}
}

// LeaseChoice is a lease the viewer may register a complaint on.
type LeaseChoice struct {
	LeaseID    int64  `json:"lease_id"`
	PersonID   int64  `json:"person_id"`
	PersonName string `json:"person_name"`
	Address    string `json:"address"`
}

// Leases lists the active leases whose resident the viewer may see, by
// address, for the complaint form.
func Leases(ctx context.Context, rd *access.Reader, limit int) ([]access.Personal[LeaseChoice], error) {
	a := rd.Actor()
	if !a.Writes() {
		return nil, nil
	}
	if limit <= 0 || limit > 1000 {
		limit = 500
	}
	vis, args := access.VisibleClause(a)
	rows, err := rd.Q().QueryContext(ctx, `SELECT l.id, p.id, p.first_name || ' ' || p.last_name, u.address FROM leases l JOIN units u ON u.id = l.unit_id
		JOIN lease_tenants t ON t.lease_id = l.id JOIN persons p ON p.id = t.person_id
		WHERE l.municipality_id = ? AND l.status = 'aktiv' AND t.person_id = (SELECT MIN(x.person_id) FROM lease_tenants x WHERE x.lease_id = l.id) AND `+vis+`
		ORDER BY u.address, l.id LIMIT ?`, append(append([]any{a.MunicipalityID}, args...), limit)...)
	list, err := store.Collect(rows, err, func(s store.Scanner) (c LeaseChoice, err error) {
		err = s.Scan(&c.LeaseID, &c.PersonID, &c.PersonName, &c.Address)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	return tagAll(ctx, rd, list, func(c LeaseChoice) int64 { return c.PersonID })
}

// LeasesOf lists the leases of one person, for the link from the person
// page; it reveals only that the person has a lease.
func LeasesOf(ctx context.Context, q store.Queryer, municipalityID, personID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.lease_id FROM lease_tenants t JOIN leases l ON l.id = t.lease_id WHERE t.person_id = ? AND t.municipality_id = ?
		ORDER BY l.start_date DESC`, personID, municipalityID)
	return store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
}

// tenantNoticesWhere reads tenants' own notices with their conversation task.
func tenantNoticesWhere(ctx context.Context, q store.Queryer, municipalityID int64, cond string, args []any) ([]TenantNotice, error) {
	rows, err := q.QueryContext(ctx, `SELECT n.id, n.lease_id, n.person_id, n.received_on, n.moves_out_on, n.owner_id, n.owner_name, n.talk_by, n.talked_on, n.note,
		p.first_name || ' ' || p.last_name, u.address FROM tenancy_tenant_notices n JOIN persons p ON p.id = n.person_id JOIN leases l ON l.id = n.lease_id
		JOIN units u ON u.id = l.unit_id WHERE n.municipality_id = ? AND `+cond+` ORDER BY n.talked_on IS NOT NULL, n.talk_by, n.id LIMIT 500`,
		append([]any{municipalityID}, args...)...)
	return store.Collect(rows, err, func(s store.Scanner) (t TenantNotice, err error) {
		err = s.Scan(&t.ID, &t.LeaseID, &t.PersonID, &t.ReceivedOn, &t.MovesOutOn, &t.OwnerID, &t.OwnerName, &t.TalkBy, &t.TalkedOn, &t.Note, &t.PersonName, &t.Address)
		return t, err
	})
}

// Conversations lists the tenants' own notices whose conversation has not
// taken place, for residents the viewer may see, the earliest due first.
func Conversations(ctx context.Context, rd *access.Reader) ([]access.Personal[TenantNotice], error) {
	a := rd.Actor()
	if !a.SeesPersons() {
		return nil, access.ErrForbidden
	}
	vis, args := access.VisibleClause(a)
	list, err := tenantNoticesWhere(ctx, rd.Q(), a.MunicipalityID, "n.talked_on IS NULL AND "+vis, args)
	if err != nil {
		return nil, err
	}
	return tagAll(ctx, rd, list, func(t TenantNotice) int64 { return t.PersonID })
}
