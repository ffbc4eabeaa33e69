package caseflow

import (
	"context"
	"sort"
	"strings"
	"time"

	"husly/internal/access"
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

// timelineSources are the queries the timeline is made of. Every query
// returns at, title, detail and the categories the event reveals, for one
// person in one municipality: a consent reveals what it covers, a unit's
// role what the unit's work reveals, a note its category.
var timelineSources = []struct {
	kind  string
	query string
}{
	{"henvendelse", `SELECT created_at, 'Henvendelse registrert (' || channel || ')', homeless_reason, 'boligbehov' FROM contacts WHERE municipality_id = ? AND person_id = ?`},
	{"kartlegging", `SELECT created_at, 'Kartlegging oppdatert av ' || written_by, goals, 'boligbehov' FROM mappings WHERE municipality_id = ? AND person_id = ?`},
	{"søknad", `SELECT created_at, 'Søknad registrert av ' || case_worker, 'Frist for vedtak ' || CAST(decision_due AS TEXT), 'boligbehov' FROM applications WHERE municipality_id = ? AND person_id = ?`},
	{"vedtak", `SELECT created_at, 'Vedtak versjon ' || version || ' (' || outcome || ') av ' || decided_by, amendment_reason, 'boligbehov' FROM decisions WHERE municipality_id = ? AND person_id = ?`},
	{"møte", `SELECT m.created_at, 'Møte i saken: ' || m.participants, m.summary, 'boligbehov' FROM case_meetings m JOIN applications a ON a.id = m.application_id WHERE m.municipality_id = ? AND a.person_id = ?`},
	{"tilbud", `SELECT o.created_at, 'Tilbud om bolig ' || u.code || ', ' || u.address, 'Svarfrist ' || CAST(o.respond_by AS TEXT), 'boligbehov' FROM offers o JOIN units u ON u.id = o.unit_id JOIN applications a ON a.id = o.application_id WHERE o.municipality_id = ? AND a.person_id = ?`},
	{"klage", `SELECT x.created_at, 'Klage registrert' || CASE WHEN x.late THEN ' (etter fristen)' ELSE '' END, x.grounds, 'boligbehov' FROM appeals x JOIN applications a ON a.id = x.application_id WHERE x.municipality_id = ? AND a.person_id = ?`},
	{"brev", `SELECT b.created_at, 'Brev sendt: ' || b.kind, 'av ' || b.made_by, 'boligbehov' FROM letters b JOIN applications a ON a.id = b.application_id WHERE b.municipality_id = ? AND a.person_id = ?`},
	{"notat", `SELECT written_at, 'Notat (' || category || ') av ' || author_name, body, category FROM notes WHERE municipality_id = ? AND person_id = ?`},
	{"samtykke", `SELECT c.given_at, 'Samtykke til ' || o.name, c.purpose, c.categories || ',' || o.reveals FROM consents c JOIN org_units o ON o.id = c.recipient_unit_id WHERE c.municipality_id = ? AND c.person_id = ?`},
	{"samtykke trukket", `SELECT c.withdrawn_at, 'Samtykke til ' || o.name || ' trukket tilbake', c.purpose, c.categories || ',' || o.reveals FROM consents c JOIN org_units o ON o.id = c.recipient_unit_id WHERE c.municipality_id = ? AND c.person_id = ? AND c.withdrawn_at IS NOT NULL`},
	{"rolle", `SELECT c.started_at, o.name || ' fikk rolle i saken', c.responsibility, o.reveals FROM case_units c JOIN org_units o ON o.id = c.org_unit_id WHERE c.municipality_id = ? AND c.person_id = ?`},
	{"leiekontrakt", `SELECT l.created_at, 'Leiekontrakt for ' || u.code, u.address, 'leieforhold' FROM lease_tenants t JOIN leases l ON l.id = t.lease_id JOIN units u ON u.id = l.unit_id WHERE t.municipality_id = ? AND t.person_id = ?`},
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
	var all []found
	for _, src := range timelineSources {
		rows, err := q.QueryContext(ctx, src.query, a.MunicipalityID, personID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var e Event
			var reveals string
			if err := rows.Scan(store.ScanTime(&e.At), &e.Title, &e.Detail, &reveals); err != nil {
				rows.Close()
				return nil, err
			}
			var cats []access.Category
			for _, c := range strings.Split(reveals, ",") {
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
			e.Kind = src.kind
			all = append(all, found{e, set})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].e.At.After(all[j].e.At) })
	events := make([]access.Personal[Event], len(all))
	for i, f := range all {
		events[i] = access.TagSet(personID, f.e, f.set)
	}
	return events, rd.Send(ctx, &events)
}
