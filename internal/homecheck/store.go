package homecheck

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// visits reports whether the actor makes visits and handles findings:
// property staff, the follow-up teams and their leaders.
func visits(a access.Actor) bool {
	return a.Role == access.Property || a.Role == access.FollowUp || a.Role == access.UnitLeader
}

// Record stores a visit or home check with its checklist in one go; each
// finding becomes a task for its owner. Bad input changes nothing.
func Record(ctx context.Context, q store.Queryer, a access.Actor, in Input, today deadline.Date) (int64, error) {
	if !visits(a) {
		return 0, access.ErrForbidden
	}
	if p := in.Check(today); len(p) > 0 {
		return 0, invalid.New(p...)
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM lease_tenants t JOIN leases l ON l.id = t.lease_id
		WHERE t.lease_id = ? AND t.person_id = ? AND l.municipality_id = ?`, in.LeaseID, in.PersonID, a.MunicipalityID).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, invalid.New(invalid.F("Leietaker: personen er ikke leietaker i dette leieforholdet"))
	}
	g, err := access.Authorize(ctx, q, a, in.PersonID)
	if err != nil {
		return 0, err
	}
	if !g.Allows(access.Tenancy) {
		return 0, access.ErrForbidden
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO home_checks (municipality_id, lease_id, person_id, kind, done_on, done_by, done_by_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, in.LeaseID, in.PersonID, string(in.Kind), in.On, a.Name, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	findings := 0
	for _, x := range in.Answers {
		if x.Finding {
			findings++
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO home_check_items (municipality_id, check_id, item, category, finding, note, task_for) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.MunicipalityID, id, string(x.Item), string(x.Item.Category()), x.Finding, x.Note, string(x.Item.Owner())); err != nil {
			return 0, err
		}
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "boligbesok", EntityID: id,
		After: map[string]any{"lease_id": in.LeaseID, "person_id": in.PersonID, "kind": in.Kind, "findings": findings}})
}

// ownerOf is whose tasks the actor handles; a leader sees both.
func ownerOf(a access.Actor) (Owner, bool) {
	switch a.Role {
	case access.Property:
		return Property, true
	case access.FollowUp:
		return FollowUp, true
	case access.UnitLeader:
		return "", true
	}
	return "", false
}

// CompleteTask marks a finding's task done. Property staff complete
// technical tasks, the follow-up team the rest, a leader either.
func CompleteTask(ctx context.Context, q store.Queryer, a access.Actor, itemID int64, today deadline.Date) error {
	owner, ok := ownerOf(a)
	if !ok {
		return access.ErrForbidden
	}
	var person int64
	var taskFor Owner
	var finding bool
	var done deadline.Date
	err := q.QueryRowContext(ctx, `SELECT c.person_id, i.task_for, i.finding, i.done_on FROM home_check_items i JOIN home_checks c ON c.id = i.check_id
		WHERE i.id = ? AND i.municipality_id = ?`, itemID, a.MunicipalityID).Scan(&person, &taskFor, &finding, &done)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !finding {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if owner != "" && owner != taskFor {
		return access.ErrForbidden
	}
	if _, err := access.Authorize(ctx, q, a, person); err != nil {
		return err
	}
	if !done.IsZero() {
		return invalid.New(invalid.F("Oppgave: oppgaven er allerede utført"))
	}
	if _, err := q.ExecContext(ctx, "UPDATE home_check_items SET done_on = ?, done_by = ? WHERE id = ? AND municipality_id = ?", today, a.Name, itemID, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "utfort", Entity: "funn etter boligbesok", EntityID: itemID})
}

// Task is an open finding for its owner.
type Task struct {
	ID         int64         `json:"id"`
	CheckID    int64         `json:"check_id"`
	LeaseID    int64         `json:"lease_id"`
	UnitID     int64         `json:"unit_id"`
	Address    string        `json:"address"`
	PersonID   int64         `json:"person_id"`
	PersonName string        `json:"person_name"`
	Item       Item          `json:"item"`
	Note       string        `json:"note"`
	For        Owner         `json:"task_for"`
	Found      deadline.Date `json:"found_on"`
	DoneOn     deadline.Date `json:"done_on,omitzero"`
	DoneBy     string        `json:"done_by,omitempty"`
}

const taskColumns = `i.id, c.id, c.lease_id, u.id, u.address, c.person_id, p.first_name || ' ' || p.last_name, i.item, i.note, i.task_for, c.done_on, i.done_on, i.done_by`

func scanTask(s store.Scanner) (t Task, err error) {
	err = s.Scan(&t.ID, &t.CheckID, &t.LeaseID, &t.UnitID, &t.Address, &t.PersonID, &t.PersonName, &t.Item, &t.Note, &t.For, &t.Found, &t.DoneOn, &t.DoneBy)
	return t, err
}

// send authorizes, tags, redacts and logs, and drops the hidden rows.
func send[T any](ctx context.Context, rd *access.Reader, list []T, about func(T) (int64, []access.Category)) ([]access.Personal[T], error) {
	ids := make([]int64, len(list))
	for i, x := range list {
		ids[i], _ = about(x)
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, err
	}
	out := make([]access.Personal[T], len(list))
	for i, x := range list {
		id, cats := about(x)
		out[i] = access.Tag(id, x, cats...)
	}
	if err := rd.Send(ctx, &out); err != nil {
		return nil, err
	}
	return access.OnlyShown(out), nil
}

func taskAbout(t Task) (int64, []access.Category) {
	return t.PersonID, []access.Category{access.Basic, access.Tenancy, t.Item.Category()}
}

// Tasks lists the open findings the actor's role handles (property:
// technical, follow-up: the rest, a leader: both), oldest first, for the
// persons the actor's unit may see. One query; the reads are logged.
func Tasks(ctx context.Context, rd *access.Reader, limit int) ([]access.Personal[Task], error) {
	a := rd.Actor()
	owner, ok := ownerOf(a)
	if !ok {
		return nil, access.ErrForbidden
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	visible, vargs := access.VisibleClause(a)
	cond, args := "", []any{a.MunicipalityID, true}
	if owner != "" {
		cond, args = " AND i.task_for = ?", append(args, string(owner))
	}
	rows, err := rd.Q().QueryContext(ctx, `SELECT `+taskColumns+` FROM home_check_items i JOIN home_checks c ON c.id = i.check_id
		JOIN leases l ON l.id = c.lease_id JOIN units u ON u.id = l.unit_id JOIN persons p ON p.id = c.person_id
		WHERE i.municipality_id = ? AND i.finding = ? AND i.done_on IS NULL`+cond+` AND `+visible+`
		ORDER BY c.done_on, i.id LIMIT ?`, append(append(args, vargs...), limit)...)
	list, err := store.Collect(rows, err, scanTask)
	if err != nil {
		return nil, err
	}
	return send(ctx, rd, list, taskAbout)
}

// Check is a recorded visit with its items.
type Check struct {
	ID         int64         `json:"id"`
	LeaseID    int64         `json:"lease_id"`
	PersonID   int64         `json:"person_id"`
	PersonName string        `json:"person_name"`
	Kind       Kind          `json:"kind"`
	On         deadline.Date `json:"done_on"`
	By         string        `json:"done_by"`
	Findings   []Task        `json:"findings,omitempty"`
	OK         []Item        `json:"ok,omitempty"`
}

// OfUnit lists the visits made to a unit's leases, newest first, with
// their findings: two queries (the visits, then all their items). The
// reads are logged; a visit whose tenant the actor may not see is left out.
func OfUnit(ctx context.Context, rd *access.Reader, unitID int64, limit int) ([]access.Personal[Check], error) {
	a := rd.Actor()
	if _, ok := ownerOf(a); !ok && a.Role != access.CaseWorker && a.Role != access.Auditor {
		return nil, access.ErrForbidden
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	rows, err := rd.Q().QueryContext(ctx, `SELECT c.id, c.lease_id, c.person_id, p.first_name || ' ' || p.last_name, c.kind, c.done_on, c.done_by
		FROM home_checks c JOIN leases l ON l.id = c.lease_id JOIN persons p ON p.id = c.person_id
		WHERE l.unit_id = ? AND c.municipality_id = ? ORDER BY c.done_on DESC, c.id DESC LIMIT ?`, unitID, a.MunicipalityID, limit)
	checks, err := store.Collect(rows, err, func(s store.Scanner) (c Check, err error) {
		err = s.Scan(&c.ID, &c.LeaseID, &c.PersonID, &c.PersonName, &c.Kind, &c.On, &c.By)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	if len(checks) == 0 {
		return []access.Personal[Check]{}, nil
	}
	ids := make([]int64, len(checks))
	for i, c := range checks {
		ids[i] = c.ID
	}
	in, inArgs := store.In(ids)
	rows, err = rd.Q().QueryContext(ctx, `SELECT i.check_id, i.id, i.item, i.finding, i.note, i.task_for, i.done_on, i.done_by FROM home_check_items i
		WHERE i.municipality_id = ? AND i.check_id IN `+in+` ORDER BY i.id`, append([]any{a.MunicipalityID}, inArgs...)...)
	type row struct {
		Task
		finding bool
	}
	items, err := store.CollectBy(rows, err, func(s store.Scanner) (r row, err error) {
		err = s.Scan(&r.ID, &r.Item, &r.finding, &r.Note, &r.For, &r.DoneOn, &r.DoneBy)
		return r, err
	})
	if err != nil {
		return nil, err
	}
	for i := range checks {
		c := &checks[i]
		for _, r := range store.Of(items, c.ID) {
			if r.finding {
				t := r.Task
				t.CheckID, t.LeaseID, t.PersonID, t.PersonName, t.Found = c.ID, c.LeaseID, c.PersonID, c.PersonName, c.On
				c.Findings = append(c.Findings, t)
			} else {
				c.OK = append(c.OK, r.Item)
			}
		}
	}
	return send(ctx, rd, checks, func(c Check) (int64, []access.Category) {
		cats := []access.Category{access.Basic, access.Tenancy}
		for _, f := range c.Findings {
			cats = append(cats, f.Item.Category())
		}
		return c.PersonID, cats
	})
}

// DueVisit is a lease whose next visit is due.
type DueVisit struct {
	LeaseID    int64         `json:"lease_id"`
	UnitID     int64         `json:"unit_id"`
	Address    string        `json:"address"`
	PersonID   int64         `json:"person_id"`
	PersonName string        `json:"person_name"`
	MoveIn     deadline.Date `json:"moved_in_on"`
	LastVisit  deadline.Date `json:"last_visit_on,omitzero"`
	Kind       Kind          `json:"kind"`
	DueOn      deadline.Date `json:"due_on"`
	Overdue    bool          `json:"overdue"`
}

// DueVisits lists the active leases of tenants the actor's unit may see
// whose next visit falls within ahead days (or is overdue), most overdue
// first. One query reads the leases with their last visit; the rule
// (Due) picks the date.
func DueVisits(ctx context.Context, rd *access.Reader, visitWeeks, checkMonths int, today deadline.Date, ahead, limit int) ([]access.Personal[DueVisit], error) {
	a := rd.Actor()
	if _, ok := ownerOf(a); !ok {
		return nil, access.ErrForbidden
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	visible, vargs := access.VisibleClause(a)
	// Only leases whose visit falls due by the horizon: never visited and
	// moved in long enough ago, or last visited long enough ago. The
	// cut-offs are computed here, so the query has no date arithmetic of
	// either engine's own.
	horizon := today.AddDays(ahead)
	firstBy := horizon.AddDays(-7 * visitWeeks)
	back := time.Date(horizon.Year, horizon.Month-time.Month(checkMonths), horizon.Day, 12, 0, 0, 0, time.UTC)
	lastBy := deadline.Of(back.Year(), back.Month(), back.Day())
	rows, err := rd.Q().QueryContext(ctx, `SELECT x.id, u.id, u.address, p.id, p.first_name || ' ' || p.last_name, x.start_date, x.last_on
		FROM (SELECT l.id, l.unit_id, l.start_date, (SELECT MAX(c.done_on) FROM home_checks c WHERE c.lease_id = l.id) AS last_on
			FROM leases l WHERE l.municipality_id = ? AND l.status = 'aktiv') x
		JOIN units u ON u.id = x.unit_id JOIN lease_tenants t ON t.lease_id = x.id JOIN persons p ON p.id = t.person_id
		WHERE ((x.last_on IS NULL AND x.start_date <= ?) OR x.last_on <= ?) AND `+visible+`
		ORDER BY COALESCE(x.last_on, x.start_date), x.id, p.id LIMIT ?`,
		append(append([]any{a.MunicipalityID, firstBy, lastBy}, vargs...), 4*limit)...)
	all, err := store.Collect(rows, err, func(s store.Scanner) (d DueVisit, err error) {
		err = s.Scan(&d.LeaseID, &d.UnitID, &d.Address, &d.PersonID, &d.PersonName, &d.MoveIn, &d.LastVisit)
		return d, err
	})
	if err != nil {
		return nil, err
	}
	var list []DueVisit
	seen := map[int64]bool{}
	for _, d := range all {
		if seen[d.LeaseID] {
			continue // one row per lease: the first tenant
		}
		seen[d.LeaseID] = true
		d.Kind, d.DueOn = Due(d.MoveIn, d.LastVisit, visitWeeks, checkMonths)
		if today.AddDays(ahead).Before(d.DueOn) {
			continue
		}
		d.Overdue = d.DueOn.Before(today)
		list = append(list, d)
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].DueOn.Before(list[j].DueOn) })
	if len(list) > limit {
		list = list[:limit]
	}
	return send(ctx, rd, list, func(d DueVisit) (int64, []access.Category) {
		return d.PersonID, []access.Category{access.Basic, access.Tenancy}
	})
}
