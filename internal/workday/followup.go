package workday

import (
	"context"
	"errors"
	"time"

	"husly/internal/access"
	"husly/internal/people"
	"husly/internal/store"
)

// NoteItem is a note the follow-up worker wrote, on the start page.
type NoteItem struct {
	ID         int64           `json:"id"`
	PersonID   int64           `json:"person_id"`
	PersonName string          `json:"person_name"`
	Category   access.Category `json:"category"`
	Written    time.Time       `json:"written_at"`
	// Body is the note's text, shown only when the actor's grant for the
	// person includes the note's category (a health note is health data).
	Body string `json:"body,omitempty"`
}

// FollowUpDay is the follow-up worker's start page: the persons their
// unit follows and the notes they wrote last.
type FollowUpDay struct {
	Persons []people.Person `json:"persons"`
	Notes   []NoteItem      `json:"notes"`
}

// FollowUp reads the follow-up worker's start page. The persons are the
// first page of their list (people.List: the unit's case roles, logged as
// read); the notes are the actor's own latest, each person authorized
// once for all of them and the body sent only within the grant.
func FollowUp(ctx context.Context, q store.Queryer, a access.Actor, channel string) (FollowUpDay, error) {
	var d FollowUpDay
	var err error
	if d.Persons, err = people.List(ctx, q, a, channel, people.CaseFilter{}, people.PageKey{}, 2*PanelLimit); err != nil {
		return d, err
	}
	visible, vargs := access.VisibleClause(a)
	rows, err := q.QueryContext(ctx, `SELECT n.id, p.id, p.first_name || ' ' || p.last_name, n.category, n.written_at, n.body
		FROM notes n JOIN persons p ON p.id = n.person_id
		WHERE n.municipality_id = ? AND n.written_by = ? AND `+visible+` ORDER BY n.written_at DESC, n.id DESC LIMIT ?`,
		join([]any{a.MunicipalityID, a.UserID}, vargs, []any{PanelLimit})...)
	notes, err := store.Collect(rows, err, func(s store.Scanner) (n NoteItem, err error) {
		err = s.Scan(&n.ID, &n.PersonID, &n.PersonName, &n.Category, store.ScanTime(&n.Written), &n.Body)
		return n, err
	})
	if err != nil {
		return d, err
	}
	rd := access.NewReader(q, a, channel)
	ids := make([]int64, len(notes))
	for i, n := range notes {
		ids[i] = n.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return d, err
	}
	d.Notes = []NoteItem{}
	for _, n := range notes {
		g, err := rd.Authorize(ctx, n.PersonID)
		if errors.Is(err, access.ErrForbidden) || errors.Is(err, access.ErrNoRelationship) {
			continue // no longer followed: the note stays in the person's record
		} else if err != nil {
			return d, err
		}
		if err := rd.Plain(n.PersonID, access.Basic); err != nil {
			return d, err
		}
		if g.Allows(n.Category) {
			if err := rd.Plain(n.PersonID, n.Category); err != nil {
				return d, err
			}
		} else {
			n.Body = ""
		}
		d.Notes = append(d.Notes, n)
	}
	return d, rd.Send(ctx, &d.Notes)
}
