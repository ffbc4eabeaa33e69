package caseflow

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/personaldata"
	"husly/internal/phrase"
	"husly/internal/store"
)

// Event is one thing that happened in a person's case. Its title is a
// phrase (code and arguments); Title is it written in the reader's
// language, which the web layer fills in (Speak).
type Event struct {
	At       time.Time       `json:"at"`
	Category access.Category `json:"category"`
	Kind     string          `json:"kind"`
	Title    string          `json:"title"`
	Detail   string          `json:"detail,omitempty"`
	phrase.Phrase
	// DetailSaid writes the detail in the reader's language, when the
	// detail is a sentence Husly wrote (why a contact is homelessness).
	DetailSaid phrase.Phrase `json:"detail_phrase,omitzero"`
}

// Speak writes the title, and a detail Husly wrote, in the reader's
// language (phrase.Speaker).
func (e *Event) Speak(write func(phrase.Phrase) string) {
	e.Title = write(e.Phrase)
	if !e.DetailSaid.IsZero() {
		e.Detail = write(e.DetailSaid)
	}
}

// titleArgs gives the scan targets for an event's title arguments and,
// after the scan, the phrase's arguments.
func titleArgs(kinds []personaldata.ArgKind) ([]any, func() []phrase.Arg) {
	texts := make([]sql.NullString, len(kinds))
	dates := make([]deadline.Date, len(kinds))
	dest := make([]any, len(kinds))
	for i, k := range kinds {
		if k == personaldata.ArgDate {
			dest[i] = &dates[i]
		} else {
			dest[i] = &texts[i]
		}
	}
	return dest, func() []phrase.Arg {
		args := make([]phrase.Arg, len(kinds))
		for i, k := range kinds {
			s := texts[i].String
			switch {
			case k == personaldata.ArgDate:
				args[i] = phrase.Date(dates[i])
			case k == personaldata.ArgNumber:
				f, err := strconv.ParseFloat(s, 64)
				if err != nil {
					args[i] = phrase.Text(s) // not a number after all: shown as stored
				} else {
					args[i] = phrase.Number(f)
				}
			case strings.HasPrefix(string(k), "label:"):
				args[i] = phrase.Label(strings.TrimPrefix(string(k), "label:") + "." + s)
			default:
				args[i] = phrase.Text(s)
			}
		}
		return args
	}
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
			dest, args := titleArgs(src.Args)
			var detail string
			if src.DetailPhrase {
				dest = append([]any{&detail}, dest...)
			}
			if err = s.Scan(append([]any{store.ScanTime(&r.e.At), &r.e.Detail, &r.reveals}, dest...)...); err != nil {
				return r, err
			}
			r.e.Phrase = phrase.New(src.Title, args()...)
			ps, err := phrase.Decode(detail)
			if len(ps) > 0 {
				r.e.DetailSaid = ps[0]
			}
			return r, err
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
