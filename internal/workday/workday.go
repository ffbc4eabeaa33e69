// Package workday reads what each role's day starts with: the case
// worker's deadlines and answers due, the property officer's moves,
// vacancies and inspections, the follow-up worker's persons and notes,
// the unit leader's figures, and the quick search that finds a person, a
// case or a unit from any staff page.
//
// Every panel is one query over one index range with a LIMIT, so a start
// page costs the same in a municipality of 500 persons and one of
// 100,000 (migration 0024 holds the indexes). The persons a panel shows
// are found through access.VisibleClause and logged as read, as any list.
package workday

import (
	"context"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/store"
)

// PanelLimit is how many rows a start-page panel shows; the panel links
// to the full, filtered list for the rest.
const PanelLimit = 8

// Scope is whose cases a case worker's panels show.
type Scope string

const (
	// Mine is the cases the actor is case worker for: the default.
	Mine Scope = "mine"
	// Unit is every case of the actor's unit.
	Unit Scope = "enhet"
)

// ParseScope reads a scope from a URL; anything else is Mine.
func ParseScope(s string) Scope {
	if Scope(s) == Unit {
		return Unit
	}
	return Mine
}

// Week is the seven days from Monday that hold day.
func Week(day deadline.Date) (from, to deadline.Date) {
	back := (int(day.Weekday()) + 6) % 7 // Monday is 0
	from = day.AddDays(-back)
	return from, from.AddDays(6)
}

// scopeClause narrows applications a to the scope's cases: by user id
// (not name: two staff may share one) or by the actor's unit.
func scopeClause(a access.Actor, s Scope) (string, []any) {
	if s == Unit {
		return "a.org_unit_id = ?", []any{a.OrgUnitID}
	}
	return "a.case_worker_id = ?", []any{a.UserID}
}

// logPersons records the persons a panel shows by name, with the
// categories the panel's rows reveal about them, and runs v through the
// redaction step.
func logPersons(ctx context.Context, q store.Queryer, a access.Actor, channel string, cats access.CategorySet, ids []int64, v any) error {
	rd := access.NewReader(q, a, channel)
	for _, id := range ids {
		rd.List(cats, id)
	}
	return rd.Send(ctx, v)
}

// undecidedStatuses are the statuses in which a case waits for a decision.
const undecidedStatuses = "('" + string(caseflow.StatusReceived) + "', '" + string(caseflow.StatusInProgress) + "')"
