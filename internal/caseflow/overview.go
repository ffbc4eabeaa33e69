package caseflow

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/store"
)

// Task is one thing a case needs done, with its date.
type Task struct {
	ApplicationID int64         `json:"application_id"`
	PersonID      int64         `json:"person_id"`
	PersonName    string        `json:"person_name"`
	CaseWorker    string        `json:"case_worker"`
	Kind          TaskKind      `json:"kind"`
	Text          string        `json:"text"`
	Due           deadline.Date `json:"due"`
	Overdue       bool          `json:"overdue"`
	// Notice is the task as data, for pages in any language; Text is it
	// in bokmål.
	Notice Notice `json:"-"`
	source int    // index in taskSources: the order among equal dates
}

// TaskKey is a position in the task list's order: overdue first, then by
// date, source, case and text. The zero key is the start of the list.
type TaskKey struct {
	Overdue       bool
	Due           deadline.Date
	Source        int
	ApplicationID int64
	Text          string
}

// Key is the list position of t.
func (t Task) Key() TaskKey {
	return TaskKey{t.Overdue, t.Due, t.source, t.ApplicationID, t.Text}
}

func (k TaskKey) before(o TaskKey) bool {
	switch {
	case k.Overdue != o.Overdue:
		return k.Overdue
	case k.Due != o.Due:
		return k.Due.Before(o.Due)
	case k.Source != o.Source:
		return k.Source < o.Source
	case k.ApplicationID != o.ApplicationID:
		return k.ApplicationID < o.ApplicationID
	}
	return k.Text < o.Text
}

// taskSources are the queries the task list is made of. Each returns the
// application, the person, their name, the case worker, a date and a
// detail, for open cases the actor's unit may see.
var taskSources = []struct {
	kind  TaskKind
	query string
	task  func(due deadline.Date, detail string, today deadline.Date) (Notice, bool)
}{
	// After a provisional answer the task is due on the date it promised
	// (forvaltningsloven § 11 a), else on the one-month deadline.
	{TaskDecide, `SELECT a.id, p.id, p.first_name || ' ' || p.last_name, a.case_worker, COALESCE(a.provisional_expected_on, a.decision_due),
		COALESCE(CAST(a.provisional_sent_on AS TEXT), '') || '|' || CAST(a.decision_due AS TEXT) || '|' || COALESCE(CAST(a.provisional_expected_on AS TEXT), '')
		FROM applications a JOIN persons p ON p.id = a.person_id WHERE a.municipality_id = ? AND a.status IN ('mottatt', 'under_behandling')`,
		func(due deadline.Date, detail string, today deadline.Date) (Notice, bool) {
			parts := strings.SplitN(detail+"||", "|", 4)
			if today.DaysUntil(due) > 7 && !due.Before(today) {
				return Notice{Kind: NoticeTaskDecide, On: due, Days: today.DaysUntil(due)}, false
			}
			x := Application{Status: StatusReceived, Provisional: parsedOrZero(parts[0]), DecisionDue: parsedOrZero(parts[1]), ProvisionalExpected: parsedOrZero(parts[2])}
			return DeadlineNotice(x, today), due.Before(today)
		}},
	{TaskRequest, `SELECT a.id, p.id, p.first_name || ' ' || p.last_name, a.case_worker, r.due_on, r.what
		FROM case_requests r JOIN applications a ON a.id = r.application_id JOIN persons p ON p.id = a.person_id
		WHERE r.municipality_id = ? AND r.received_on IS NULL`,
		func(due deadline.Date, what string, today deadline.Date) (Notice, bool) {
			return Notice{Kind: NoticeTaskRequest, On: due, Days: today.DaysUntil(due), Detail: what}, due.Before(today)
		}},
	{TaskInterim, `SELECT a.id, p.id, p.first_name || ' ' || p.last_name, a.case_worker, i.start_on, i.service
		FROM interim_services i JOIN applications a ON a.id = i.application_id JOIN persons p ON p.id = a.person_id
		WHERE i.municipality_id = ? AND a.status IN ('mottatt', 'under_behandling')`,
		func(start deadline.Date, service string, today deadline.Date) (Notice, bool) {
			last := start.AddDays(deadline.InterimServices.N - 1)
			return Notice{Kind: NoticeTaskInterim, On: start, By: last, Days: today.DaysUntil(last), Detail: service}, last.Before(today)
		}},
	{TaskOffer, `SELECT a.id, p.id, p.first_name || ' ' || p.last_name, a.case_worker, o.respond_by, u.address
		FROM offers o JOIN applications a ON a.id = o.application_id JOIN persons p ON p.id = a.person_id JOIN units u ON u.id = o.unit_id
		WHERE o.municipality_id = ? AND o.status = 'tilbudt'`,
		func(due deadline.Date, address string, today deadline.Date) (Notice, bool) {
			return Notice{Kind: NoticeTaskOffer, On: due, Days: today.DaysUntil(due), Detail: address}, due.Before(today)
		}},
	{TaskLease, `SELECT a.id, p.id, p.first_name || ' ' || p.last_name, a.case_worker, o.responded_on, u.address
		FROM offers o JOIN applications a ON a.id = o.application_id JOIN persons p ON p.id = a.person_id JOIN units u ON u.id = o.unit_id
		WHERE o.municipality_id = ? AND o.status = 'akseptert' AND a.status = 'tildelt'`,
		func(accepted deadline.Date, address string, today deadline.Date) (Notice, bool) {
			return Notice{Kind: NoticeTaskLease, On: accepted, Detail: address}, accepted.AddDays(14).Before(today)
		}},
	{TaskMoveOut, `SELECT a.id, p.id, p.first_name || ' ' || p.last_name, a.case_worker, l.terminated_on, u.address
		FROM leases l JOIN applications a ON a.id = l.application_id JOIN persons p ON p.id = a.person_id JOIN units u ON u.id = l.unit_id
		WHERE l.municipality_id = ? AND l.status = 'aktiv' AND l.terminated_on IS NOT NULL`,
		func(end deadline.Date, address string, today deadline.Date) (Notice, bool) {
			return Notice{Kind: NoticeTaskMoveOut, On: end, Days: today.DaysUntil(end), Detail: address}, end.Before(today)
		}},
	{TaskAppeal, `SELECT a.id, p.id, p.first_name || ' ' || p.last_name, a.case_worker, x.received_on, x.status
		FROM appeals x JOIN applications a ON a.id = x.application_id JOIN persons p ON p.id = a.person_id
		WHERE x.municipality_id = ? AND x.status IN ('mottatt', 'opprettholdt')`,
		func(received deadline.Date, status string, today deadline.Date) (Notice, bool) {
			if AppealStatus(status) == AppealReceived {
				return Notice{Kind: NoticeTaskAppeal, On: received}, received.AddDays(21).Before(today)
			}
			return Notice{Kind: NoticeTaskAppealForward, On: received}, received.AddDays(28).Before(today)
		}},
	{TaskRenewal, `SELECT a.id, p.id, p.first_name || ' ' || p.last_name, a.case_worker, l.end_date, u.address
		FROM leases l JOIN applications a ON a.id = l.application_id JOIN persons p ON p.id = a.person_id JOIN units u ON u.id = l.unit_id
		WHERE l.municipality_id = ? AND l.status = 'aktiv' AND l.end_date IS NOT NULL AND l.terminated_on IS NULL`,
		func(end deadline.Date, _ string, today deadline.Date) (Notice, bool) {
			return RenewalNotice(end, today), end.Before(today)
		}},
}

// Tasks lists what the cases of the actor's unit need, the nearest date
// first; with mine set, only the actor's own cases. Showing the list is a
// read of each listed person's housing needs.
func Tasks(ctx context.Context, q store.Queryer, a access.Actor, mine bool, today deadline.Date, channel string) ([]Task, error) {
	ts, _, err := TasksAfter(ctx, q, a, mine, today, channel, TaskKey{}, 0)
	return ts, err
}

// TasksAfter is one page of Tasks: up to limit tasks after the position
// after (limit 0: all), and whether more follow. The list is made in full
// from its sources (dates and overdue are computed, not stored) and cut by
// key, so no task is ever left out; only the page shown is logged as read.
func TasksAfter(ctx context.Context, q store.Queryer, a access.Actor, mine bool, today deadline.Date, channel string, after TaskKey, limit int) ([]Task, bool, error) {
	return TasksWhere(ctx, q, a, mine, today, channel, after, limit, nil)
}

// TasksWhere is TasksAfter over the tasks keep accepts (nil: all), so a
// filtered list pages as the whole one does.
func TasksWhere(ctx context.Context, q store.Queryer, a access.Actor, mine bool, today deadline.Date, channel string, after TaskKey, limit int, keep func(Task) bool) ([]Task, bool, error) {
	if !a.Writes() {
		return nil, false, access.ErrForbidden
	}
	// One query for all sources (UNION ALL), not one per source: each
	// source's rows carry its index.
	visible, vargs := access.VisibleClause(a)
	var query strings.Builder
	var args []any
	for si, src := range taskSources {
		if si > 0 {
			query.WriteString("\nUNION ALL\n")
		}
		query.WriteString("SELECT " + strconv.Itoa(si) + " AS source, " + strings.TrimPrefix(src.query, "SELECT ") + " AND " + visible)
		args = append(append(args, a.MunicipalityID), vargs...)
		if mine {
			// By user id, not display name: two staff may share a name,
			// and a renamed user keeps their cases.
			query.WriteString(" AND a.case_worker_id = ?")
			args = append(args, a.UserID)
		}
	}
	rows, err := q.QueryContext(ctx, query.String(), args...)
	ts, err := store.Collect(rows, err, func(s store.Scanner) (t Task, err error) {
		var d deadline.Date
		var detail string
		var si int
		if err = s.Scan(&si, &t.ApplicationID, &t.PersonID, &t.PersonName, &t.CaseWorker, &d, &detail); err != nil {
			return t, err
		}
		if si < 0 || si >= len(taskSources) {
			return t, fmt.Errorf("ukjent kilde %d i oppgavelisten", si)
		}
		src := taskSources[si]
		t.Kind, t.Due, t.source = src.kind, d, si
		t.Notice, t.Overdue = src.task(d, detail, today)
		t.Text = t.Notice.Bokmål()
		return t, nil
	})
	if err != nil {
		return nil, false, err
	}
	out := []Task{}
	for _, t := range ts {
		if t.Text != "" && (after == TaskKey{} || after.before(t.Key())) && (keep == nil || keep(t)) {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key().before(out[j].Key()) })
	more := limit > 0 && len(out) > limit
	if more {
		out = out[:limit]
	}
	rd := access.NewReader(q, a, channel)
	for _, t := range out {
		rd.List(access.SetOf(access.HousingNeeds), t.PersonID)
	}
	return out, more, rd.Send(ctx, &out)
}

// Phase is one row of the leaders' overview: the open cases in a status,
// how long they have been there and how many are overdue.
type Phase struct {
	Status  Status  `json:"status"`
	Label   string  `json:"label"`
	Count   int     `json:"count"`
	AvgDays float64 `json:"average_days_in_phase"`
	MaxDays int     `json:"max_days_in_phase"`
	Overdue int     `json:"overdue"`
}

// UnitCases is the SQL condition on applications a that holds the cases of
// an organisational unit: registered in it, or with a service in their
// combined decision that the unit provides (a follow-up unit's leader
// answers for those too, seed 003 on combined decisions). It takes the
// unit's id twice.
const UnitCases = `(a.org_unit_id = ? OR EXISTS (SELECT 1 FROM decisions d JOIN decision_services s ON s.decision_id = d.id
	WHERE d.application_id = a.id AND s.provider_unit_id = ?))`

// LeaderScope narrows a leaders' figure to the actor's unit: a unit leader
// answers for the unit; planners and supervisors see the municipality.
func LeaderScope(a access.Actor) (string, []any) {
	if a.Role == access.UnitLeader {
		return " AND " + UnitCases, []any{a.OrgUnitID, a.OrgUnitID}
	}
	return "", nil
}

// Overview counts the open cases by phase, of the unit leader's unit or the
// planner's and supervisor's municipality: numbers only, no personal data.
func Overview(ctx context.Context, q store.Queryer, a access.Actor, today deadline.Date) ([]Phase, error) {
	if a.Role != access.UnitLeader && a.Role != access.Planner && a.Role != access.Auditor {
		return nil, access.ErrForbidden
	}
	scope, args := LeaderScope(a)
	rows, err := q.QueryContext(ctx, `SELECT a.status, COALESCE(a.phase_since, a.created_at), a.decision_due,
		(SELECT MIN(o.respond_by) FROM offers o WHERE o.application_id = a.id AND o.status = 'tilbudt')
		FROM applications a WHERE a.municipality_id = ? AND a.status NOT IN ('kontrakt', 'avslatt')`+scope, append([]any{a.MunicipalityID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	by := map[Status]*Phase{}
	now := time.Now()
	for rows.Next() {
		var status Status
		var since time.Time
		var due, respond deadline.Date
		if err := rows.Scan(&status, store.ScanTime(&since), &due, &respond); err != nil {
			return nil, err
		}
		p := by[status]
		if p == nil {
			p = &Phase{Status: status, Label: StatusLabel(status)}
			by[status] = p
		}
		days := int(now.Sub(since).Hours() / 24)
		p.Count++
		p.AvgDays += float64(days)
		p.MaxDays = max(p.MaxDays, days)
		if undecided(status) && due.Before(today) || !respond.IsZero() && respond.Before(today) {
			p.Overdue++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []Phase{}
	for _, s := range Statuses {
		if p := by[Status(s.Code)]; p != nil {
			p.AvgDays = float64(int(p.AvgDays/float64(p.Count)*10+0.5)) / 10
			out = append(out, *p)
		}
	}
	return out, nil
}
