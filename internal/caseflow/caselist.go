package caseflow

import (
	"context"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/store"
)

// CaseFilter narrows the case list: the filter of the page's URL, so a
// list can be bookmarked and shared. The zero filter is every open case
// the actor may see, nearest deadline first.
type CaseFilter struct {
	// Status is one phase; empty means every open one.
	Status Status
	// Due is "over" for cases past their deadline, "uke" for those due
	// within a week (both among undecided cases), empty for any.
	Due string
	// Worker is "mine" for the actor's own cases, "ufordelt" for those
	// nobody has taken, empty for any.
	Worker string
	// From and To bound the date received (inclusive); zero is open.
	From, To deadline.Date
	// UnitID is the organisational unit the case is registered in, and
	// WorkerID the named case worker (a user id); 0 is any.
	UnitID, WorkerID int64
	// Sort is "frist" (nearest deadline first, the default) or "mottatt"
	// (newest received first).
	Sort string
}

// Filter values.
const (
	DueOverdue     = "over"
	DueWeek        = "uke"
	WorkerMine     = "mine"
	WorkerNone     = "ufordelt"
	SortDeadline   = "frist"
	SortReceived   = "mottatt"
	dueSoonDays    = 7
	openStatusList = "('mottatt', 'under_behandling', 'innvilget', 'tilbud', 'tildelt', 'ny_vurdering')"
)

// OpenStatuses are the phases a case can be in while it is open.
var OpenStatuses = []Status{StatusReceived, StatusInProgress, StatusGranted, StatusOffered, StatusAllocated, StatusReview}

// Valid reports whether every field holds a value the list knows.
func (f CaseFilter) Valid() bool {
	okStatus := f.Status == ""
	for _, s := range OpenStatuses {
		okStatus = okStatus || f.Status == s
	}
	return okStatus && (f.Due == "" || f.Due == DueOverdue || f.Due == DueWeek) &&
		(f.Worker == "" || f.Worker == WorkerMine || f.Worker == WorkerNone) &&
		(f.Sort == "" || f.Sort == SortDeadline || f.Sort == SortReceived) &&
		(f.From.IsZero() || f.To.IsZero() || !f.To.Before(f.From)) && f.UnitID >= 0 && f.WorkerID >= 0
}

// CasesAfter is one page of the filtered case list after the position
// after (keyset paging: the sort date and the id), up to limit, and
// whether more follow. The persons are those the actor may find, each
// authorized in one query and logged as read of their basic data and
// housing needs, as on the work list.
func CasesAfter(ctx context.Context, q store.Queryer, a access.Actor, f CaseFilter, today deadline.Date, channel string, after WorkKey, limit int) ([]Application, bool, error) {
	if !a.Writes() {
		return nil, false, access.ErrForbidden
	}
	visible, vargs := access.VisibleClause(a)
	where := " WHERE a.municipality_id = ? AND " + visible
	args := append([]any{a.MunicipalityID}, vargs...)
	if f.Status != "" {
		where += " AND a.status = ?"
		args = append(args, f.Status)
	} else {
		where += " AND a.status IN " + openStatusList
	}
	deadlineOf := "COALESCE(a.provisional_expected_on, a.decision_due)"
	switch f.Due {
	case DueOverdue:
		where += " AND a.status IN ('mottatt', 'under_behandling') AND " + deadlineOf + " < ?"
		args = append(args, today)
	case DueWeek:
		where += " AND a.status IN ('mottatt', 'under_behandling') AND " + deadlineOf + " >= ? AND " + deadlineOf + " <= ?"
		args = append(args, today, today.AddDays(dueSoonDays))
	}
	switch f.Worker {
	case WorkerMine:
		where += " AND a.case_worker_id = ?"
		args = append(args, a.UserID)
	case WorkerNone:
		where += " AND a.case_worker_id IS NULL"
	}
	if f.UnitID != 0 {
		where += " AND a.org_unit_id = ?"
		args = append(args, f.UnitID)
	}
	if f.WorkerID != 0 {
		where += " AND a.case_worker_id = ?"
		args = append(args, f.WorkerID)
	}
	if !f.From.IsZero() {
		where += " AND a.received_on >= ?"
		args = append(args, f.From)
	}
	if !f.To.IsZero() {
		where += " AND a.received_on <= ?"
		args = append(args, f.To)
	}
	order := " ORDER BY a.decision_due, a.id"
	if f.Sort == SortReceived {
		order = " ORDER BY a.received_on DESC, a.id DESC"
	}
	if after != (WorkKey{}) {
		at := after.Due
		if f.Sort == SortReceived {
			where += " AND (a.received_on < ? OR (a.received_on = ? AND a.id < ?))"
		} else {
			where += " AND (a.decision_due > ? OR (a.decision_due = ? AND a.id > ?))"
		}
		args = append(args, at, at, after.ID)
	}
	rows, err := q.QueryContext(ctx, "SELECT "+applicationColumns+where+order+" LIMIT ?", append(args, limit+1)...)
	return readApplicationPage(ctx, q, a, channel, today, limit, rows, err)
}

// ListKey is an application's place in a list sorted by f.
func (x Application) ListKey(f CaseFilter) WorkKey {
	if f.Sort == SortReceived {
		return WorkKey{Due: x.Received, ID: x.ID}
	}
	return x.WorkKey()
}

// TaskKinds are the kinds of task the task list holds, in its order.
func TaskKinds() []TaskKind {
	out := make([]TaskKind, len(taskSources))
	for i, s := range taskSources {
		out[i] = s.kind
	}
	return out
}
