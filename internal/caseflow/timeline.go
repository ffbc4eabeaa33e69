package caseflow

import (
	"context"
	"sort"
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

// timelineSources are the queries the timeline is made of, each guarded
// by the category its events belong to. Every query returns at, title and
// detail for one person in one municipality.
var timelineSources = []struct {
	kind     string
	category access.Category
	query    string
}{
	{"henvendelse", access.HousingNeeds, `SELECT created_at, 'Henvendelse registrert (' || channel || ')', homeless_reason FROM contacts WHERE municipality_id = ? AND person_id = ?`},
	{"kartlegging", access.HousingNeeds, `SELECT created_at, 'Kartlegging oppdatert av ' || written_by, goals FROM mappings WHERE municipality_id = ? AND person_id = ?`},
	{"søknad", access.HousingNeeds, `SELECT created_at, 'Søknad registrert av ' || case_worker, 'Frist for vedtak ' || CAST(decision_due AS TEXT) FROM applications WHERE municipality_id = ? AND person_id = ?`},
	{"vedtak", access.HousingNeeds, `SELECT created_at, 'Vedtak versjon ' || version || ' (' || outcome || ') av ' || decided_by, amendment_reason FROM decisions WHERE municipality_id = ? AND person_id = ?`},
	{"møte", access.HousingNeeds, `SELECT m.created_at, 'Møte i saken: ' || m.participants, m.summary FROM case_meetings m JOIN applications a ON a.id = m.application_id WHERE m.municipality_id = ? AND a.person_id = ?`},
	{"tilbud", access.HousingNeeds, `SELECT o.created_at, 'Tilbud om bolig ' || u.code || ', ' || u.address, 'Svarfrist ' || CAST(o.respond_by AS TEXT) FROM offers o JOIN units u ON u.id = o.unit_id JOIN applications a ON a.id = o.application_id WHERE o.municipality_id = ? AND a.person_id = ?`},
	{"klage", access.HousingNeeds, `SELECT x.created_at, 'Klage registrert' || CASE WHEN x.late THEN ' (etter fristen)' ELSE '' END, x.grounds FROM appeals x JOIN applications a ON a.id = x.application_id WHERE x.municipality_id = ? AND a.person_id = ?`},
	{"brev", access.HousingNeeds, `SELECT b.created_at, 'Brev sendt: ' || b.kind, 'av ' || b.made_by FROM letters b JOIN applications a ON a.id = b.application_id WHERE b.municipality_id = ? AND a.person_id = ?`},
	{"notat", "", `SELECT written_at, 'Notat (' || category || ') av ' || author_name, body, category FROM notes WHERE municipality_id = ? AND person_id = ?`},
	{"samtykke", access.Basic, `SELECT c.given_at, 'Samtykke til ' || o.name, c.purpose FROM consents c JOIN org_units o ON o.id = c.recipient_unit_id WHERE c.municipality_id = ? AND c.person_id = ?`},
	{"samtykke trukket", access.Basic, `SELECT c.withdrawn_at, 'Samtykke til ' || o.name || ' trukket tilbake', c.purpose FROM consents c JOIN org_units o ON o.id = c.recipient_unit_id WHERE c.municipality_id = ? AND c.person_id = ? AND c.withdrawn_at IS NOT NULL`},
	{"rolle", access.Basic, `SELECT c.started_at, o.name || ' fikk rolle i saken', c.responsibility FROM case_units c JOIN org_units o ON o.id = c.org_unit_id WHERE c.municipality_id = ? AND c.person_id = ?`},
	{"leiekontrakt", access.Tenancy, `SELECT l.created_at, 'Leiekontrakt for ' || u.code, u.address FROM lease_tenants t JOIN leases l ON l.id = t.lease_id JOIN units u ON u.id = l.unit_id WHERE t.municipality_id = ? AND t.person_id = ?`},
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
	for _, src := range timelineSources {
		if src.category != "" && (!g.Allows(src.category) || only != "" && only != src.category) {
			continue
		}
		rows, err := q.QueryContext(ctx, src.query, a.MunicipalityID, personID)
		found, err := store.Collect(rows, err, func(s store.Scanner) (e Event, err error) {
			dest := []any{store.ScanTime(&e.At), &e.Title, &e.Detail}
			if src.category == "" {
				dest = append(dest, &e.Category) // notes carry their own category
			} else {
				e.Category = src.category
			}
			return e, s.Scan(dest...)
		})
		if err != nil {
			return nil, err
		}
		for _, e := range found {
			if !g.Allows(e.Category) || only != "" && only != e.Category {
				continue
			}
			e.Kind = src.kind
			events = append(events, e)
			read[e.Category] = true
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
