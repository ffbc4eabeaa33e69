package allocation

import (
	"context"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/store"
)

// The list of meetings, filtered and sorted as the page's URL says, so a
// list can be bookmarked and shared.

// MeetingState is where a meeting stands as the list shows it: the stored
// status (open or closed) read against today, since an open meeting is
// planned until its day and held from then until its minutes are closed.
type MeetingState string

const (
	StatePlanned MeetingState = "planlagt"
	StateHeld    MeetingState = "holdt"
	StateClosed  MeetingState = MeetingState(MeetingClosed)
)

// MeetingStates are the states in the order the filter offers them.
var MeetingStates = []MeetingState{StatePlanned, StateHeld, StateClosed}

// MeetingSort is the order of the list.
type MeetingSort string

const (
	// SortNewest is newest meeting day first, the default.
	SortNewest MeetingSort = "nyeste"
	SortOldest MeetingSort = "eldste"
)

// MeetingFilter narrows the list of meetings; the zero filter is every
// meeting, newest first.
type MeetingFilter struct {
	// State is one state; empty means every meeting.
	State MeetingState
	// From and To bound the meeting day (inclusive); zero is open.
	From, To deadline.Date
	// Sort is SortNewest (also when empty) or SortOldest.
	Sort MeetingSort
}

// Valid reports whether every field holds a value the list knows and the
// date range is not backwards.
func (f MeetingFilter) Valid() bool {
	okState := f.State == ""
	for _, s := range MeetingStates {
		okState = okState || f.State == s
	}
	return okState && (f.Sort == "" || f.Sort == SortNewest || f.Sort == SortOldest) &&
		(f.From.IsZero() || f.To.IsZero() || !f.To.Before(f.From))
}

// Oldest reports whether the list runs oldest first.
func (f MeetingFilter) Oldest() bool { return f.Sort == SortOldest }

// MeetingsWhere lists one page of the municipality's meetings that f
// keeps, in f's order: at most limit after the meeting at after (the zero
// key for the first page), and whether more follow. today decides which
// open meetings are planned and which are held.
func MeetingsWhere(ctx context.Context, q store.Queryer, a access.Actor, f MeetingFilter, today deadline.Date, after MeetingKey, limit int) ([]Meeting, bool, error) {
	if !a.Writes() && a.Role != access.Auditor {
		return nil, false, access.ErrForbidden
	}
	where := " WHERE m.municipality_id = ?"
	args := []any{a.MunicipalityID}
	switch f.State {
	case StatePlanned:
		where += " AND m.status = ? AND m.held_on > ?"
		args = append(args, MeetingOpen, today)
	case StateHeld:
		where += " AND m.status = ? AND m.held_on <= ?"
		args = append(args, MeetingOpen, today)
	case StateClosed:
		where += " AND m.status = ?"
		args = append(args, MeetingClosed)
	}
	if !f.From.IsZero() {
		where += " AND m.held_on >= ?"
		args = append(args, f.From)
	}
	if !f.To.IsZero() {
		where += " AND m.held_on <= ?"
		args = append(args, f.To)
	}
	order, past := " ORDER BY m.held_on DESC, m.id DESC", "<"
	if f.Oldest() {
		order, past = " ORDER BY m.held_on, m.id", ">"
	}
	if after.ID > 0 {
		where += " AND (m.held_on " + past + " ? OR (m.held_on = ? AND m.id " + past + " ?))"
		args = append(args, after.HeldOn, after.HeldOn, after.ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT m.id, m.held_on, m.status, m.created_by FROM meetings m`+where+order+` LIMIT ?`, append(args, limit+1)...)
	ms, err := store.Collect(rows, err, func(s store.Scanner) (m Meeting, err error) {
		err = s.Scan(&m.ID, &m.HeldOn, &m.Status, &m.CreatedBy)
		return m, err
	})
	if err != nil {
		return nil, false, err
	}
	more := len(ms) > limit
	if more {
		ms = ms[:limit]
	}
	return ms, more, nil
}
