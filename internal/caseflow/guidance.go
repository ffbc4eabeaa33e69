package caseflow

import (
	"context"
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

// guidanceOf reads the guidance given on many cases in one query.
func guidanceOf(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64) (map[int64][]Guidance, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, `SELECT g.application_id, g.id, g.given_on, g.summary, g.provider_unit_id, o.name, g.registered_by FROM guidance g
		JOIN org_units o ON o.id = g.provider_unit_id WHERE g.municipality_id = ? AND g.application_id IN `+in+` ORDER BY g.given_on, g.id`, append([]any{municipalityID}, args...)...)
	return store.CollectBy(rows, err, func(s store.Scanner) (g Guidance, err error) {
		var on time.Time
		err = s.Scan(&g.ID, store.ScanDate(&on), &g.Summary, &g.ProviderUnitID, &g.ProviderName, &g.RegisteredBy)
		g.GivenOn = dateOf(on)
		return g, err
	})
}
