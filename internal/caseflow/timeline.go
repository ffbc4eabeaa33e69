package caseflow

import (
	"context"
	"sort"
	"time"

	"husly/internal/access"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// Event is one thing that happened in a person's case.
type Event struct {
	At       time.Time       `json:"at"`
	Category access.Category `json:"category"`
	Kind     string          `json:"kind"`
	Title    string          `json:"title"`
	Detail   string          `json:"detail,omitempty"`
}

// timelineSources are the queries the timeline is made of, each guarded
// by the category its events belong to: every capability declares its own
// in the registry of personal data. Every query returns at, title and
// detail for one person in one municipality.
func timelineSources() []struct {
	kind     string
	category access.Category
	query    string
} {
	events := personaldata.Default().Timeline()
	out := make([]struct {
		kind     string
		category access.Category
		query    string
	}, len(events))
	for i, e := range events {
		out[i].kind, out[i].category, out[i].query = e.Kind, e.Category, e.Query
	}
	return out
}

// Timeline gives a person's events, newest first, only of the categories
// the actor may see and, if only is set, of that category alone. The read
// is logged with the categories returned.
func Timeline(ctx context.Context, q store.Queryer, a access.Actor, personID int64, only access.Category, channel string) ([]Event, error) {
	g, err := access.Authorize(ctx, q, a, personID)
	if err != nil {
		return nil, err
	}
	events := []Event{}
	read := map[access.Category]bool{}
	for _, src := range timelineSources() {
		if src.category != "" && (!g.Allows(src.category) || only != "" && only != src.category) {
			continue
		}
		rows, err := q.QueryContext(ctx, src.query, a.MunicipalityID, personID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var e Event
			dest := []any{store.ScanTime(&e.At), &e.Title, &e.Detail}
			if src.category == "" {
				dest = append(dest, &e.Category) // notes carry their own category
			} else {
				e.Category = src.category
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return nil, err
			}
			if !g.Allows(e.Category) || only != "" && only != e.Category {
				continue
			}
			e.Kind = src.kind
			events = append(events, e)
			read[e.Category] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.After(events[j].At) })
	if len(read) == 0 {
		return events, nil
	}
	var cats []access.Category
	for _, c := range access.Categories {
		if read[c] {
			cats = append(cats, c)
		}
	}
	return events, access.LogReads(ctx, q, a, channel, access.Read{PersonID: personID, Categories: cats, Basis: g.Basis})
}
