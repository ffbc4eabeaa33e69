package caseflow

import (
	"context"
	"sort"
	"strings"
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

// timelineSources are the queries the timeline is made of: every
// capability declares its own in the registry of personal data. Every query
// returns at, title, detail and the categories the event reveals (a comma
// list), for one person in one municipality: a consent reveals what it
// covers, a unit's role what the unit's work reveals, a note its category.
func timelineSources() []personaldata.Event {
	return personaldata.Default().Timeline()
}

// Timeline gives a person's events, newest first, and, if only is set,
// those that reveal that category. Each event carries the categories it
// reveals; the redaction step drops those the grant lacks and logs the
// categories sent.
func Timeline(ctx context.Context, q store.Queryer, a access.Actor, personID int64, only access.Category, channel string) ([]access.Personal[Event], error) {
	rd := access.NewReader(q, a, channel)
	if _, err := rd.Authorize(ctx, personID); err != nil {
		return nil, err
	}
	type found struct {
		e   Event
		set access.CategorySet
	}
	type row struct {
		e       Event
		reveals string // the categories the event reveals, comma-separated
	}
	var all []found
	for _, src := range timelineSources() {
		rows, err := q.QueryContext(ctx, src.Query, a.MunicipalityID, personID)
		read, err := store.Collect(rows, err, func(s store.Scanner) (r row, err error) {
			return r, s.Scan(store.ScanTime(&r.e.At), &r.e.Title, &r.e.Detail, &r.reveals)
		})
		if err != nil {
			return nil, err
		}
		for _, r := range read {
			e := r.e
			var cats []access.Category
			for _, c := range strings.Split(r.reveals, ",") {
				if c != "" {
					cats = append(cats, access.Category(c))
				}
			}
			set := access.SetOf(cats...)
			if only != "" && !set.Has(only) {
				continue
			}
			// The tag shown is the most sensitive of what the event reveals.
			if list := set.List(); len(list) > 0 {
				e.Category = list[len(list)-1]
			}
			e.Kind = src.Kind
			all = append(all, found{e, set})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].e.At.After(all[j].e.At) })
	events := make([]access.Personal[Event], len(all))
	for i, f := range all {
		events[i] = access.TagSet(personID, f.e, f.set)
	}
	return events, rd.Send(ctx, &events)
}
