package caseflow

import (
	"context"
	"slices"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Guidance is follow-up given without a decision: information, advice and
// guidance under sosialtjenesteloven § 17 ("gi opplysning, råd og
// veiledning som kan bidra til å løse eller forebygge sosiale problemer",
// seed 004). It is recorded as such, so it is never mistaken for a decided
// service, and it has no appeal deadline.
type Guidance struct {
	ID             int64         `json:"id"`
	GivenOn        deadline.Date `json:"given_on,omitzero"`
	Summary        string        `json:"summary"`
	ProviderUnitID int64         `json:"provider_unit_id"`
	ProviderName   string        `json:"provider_name,omitempty"`
	RegisteredBy   string        `json:"registered_by,omitempty"`
}

// RecordGuidance records advice and guidance given on a case.
func RecordGuidance(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, in Guidance, today deadline.Date) (Guidance, error) {
	if !a.Writes() {
		return Guidance{}, access.ErrForbidden
	}
	var problems []invalid.Message
	required(&problems, invalid.F("hva rådet og veiledningen gjaldt (sosialtjenesteloven § 17)"), in.Summary)
	tooLong(&problems, invalid.F("rådet og veiledningen"), in.Summary, 4000)
	given := orDefault(in.GivenOn, today)
	if today.Before(given) {
		problems = append(problems, invalid.F("datoen for veiledningen kan ikke være fram i tid"))
	}
	if in.ProviderUnitID <= 0 {
		problems = append(problems, invalid.F("velg enheten som ga veiledningen"))
	}
	if len(problems) > 0 {
		return Guidance{}, &ValidationError{Problems: problems}
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return Guidance{}, err
	}
	if err := checkOrgUnit(ctx, q, a.MunicipalityID, in.ProviderUnitID, &in.ProviderName); err != nil {
		return Guidance{}, err
	}
	g := Guidance{GivenOn: given, Summary: strings.TrimSpace(in.Summary), ProviderUnitID: in.ProviderUnitID, ProviderName: in.ProviderName, RegisteredBy: a.Name}
	g.ID, err = store.InsertID(ctx, q, `INSERT INTO guidance (municipality_id, application_id, given_on, summary, provider_unit_id, registered_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, ref.ID, g.GivenOn, g.Summary, g.ProviderUnitID, g.RegisteredBy, store.TimeArg(time.Now()))
	if err != nil {
		return Guidance{}, err
	}
	return g, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "råd og veiledning", Entity: "sak", EntityID: ref.ID, After: g})
}

// followUpsOf reads the interim services and the guidance given on many
// cases in one statement (both are follow-up before or beside a decision,
// and a person's cases are read in a bounded number of statements):
// interim services in the order they were registered, guidance by the day
// it was given.
func followUpsOf(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64, today deadline.Date) (map[int64][]Interim, map[int64][]Guidance, error) {
	in, args := store.In(ids)
	// Whether the case has a decision comes with each interim row, so the
	// warning needs no query of its own.
	rows, err := q.QueryContext(ctx, `SELECT 'i', i.application_id, i.id, i.service, i.hours_per_week, i.provider_unit_id, o.name, i.start_on, i.end_on, i.registered_by,
		(SELECT COUNT(*) > 0 FROM decisions d WHERE d.municipality_id = i.municipality_id AND d.application_id = i.application_id)
		FROM interim_services i JOIN org_units o ON o.id = i.provider_unit_id WHERE i.municipality_id = ? AND i.application_id IN `+in+`
		UNION ALL SELECT 'g', g.application_id, g.id, g.summary, 0, g.provider_unit_id, o.name, g.given_on, NULL, g.registered_by, FALSE
		FROM guidance g JOIN org_units o ON o.id = g.provider_unit_id WHERE g.municipality_id = ? AND g.application_id IN `+in+`
		ORDER BY 3`, append(append(append([]any{municipalityID}, args...), municipalityID), args...)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	interim, guid := map[int64][]Interim{}, map[int64][]Guidance{}
	for rows.Next() {
		var src, text, unitName, by string
		var app, id, unit int64
		var hours float64
		var start, end deadline.Date
		var decided bool
		if err := rows.Scan(&src, &app, &id, &text, &hours, &unit, &unitName, &start, &end, &by, &decided); err != nil {
			return nil, nil, err
		}
		if src == "g" {
			guid[app] = append(guid[app], Guidance{ID: id, GivenOn: start, Summary: text, ProviderUnitID: unit, ProviderName: unitName, RegisteredBy: by})
			continue
		}
		x := Interim{ID: id, Service: text, HoursPerWeek: hours, ProviderUnitID: unit, ProviderName: unitName, StartOn: start, EndOn: end, RegisteredBy: by}
		x.Notice = InterimNotice(x.StartOn, x.EndOn, decided, today)
		x.Warning = x.Notice.Bokmål()
		interim[app] = append(interim[app], x)
	}
	for _, gs := range guid {
		slices.SortStableFunc(gs, func(a, b Guidance) int {
			switch {
			case a.GivenOn.Before(b.GivenOn):
				return -1
			case b.GivenOn.Before(a.GivenOn):
				return 1
			}
			return 0
		})
	}
	return interim, guid, rows.Err()
}
