package caseflow

import (
	"context"
	"husly/internal/deadline"
	"strings"

	"husly/internal/access"
	"husly/internal/store"
)

// The report of passed-over applicants: every offer made by hand while a
// fitting applicant with higher priority waited, with the written reason.
// "Behovet, og ikke støyfaktoren, skal styre" (seed 003); the unit leader
// and the auditor see where something else did.

// PassedOverRow is one such offer.
type PassedOverRow struct {
	OfferID       int64           `json:"offer_id"`
	ApplicationID int64           `json:"application_id"`
	PersonID      int64           `json:"person_id"`
	PersonName    string          `json:"person_name"`
	UnitCode      string          `json:"unit_code"`
	OfferedOn     deadline.Date   `json:"offered_on"`
	OfferedBy     string          `json:"offered_by"`
	Reason        string          `json:"reason"`
	Passed        []PassedOverApp `json:"passed_over"`
}

// PassedOverApp is one applicant passed over. The name is shown only
// when the reader may see the person; the case and the priority always.
type PassedOverApp struct {
	ApplicationID int64   `json:"application_id"`
	PersonID      int64   `json:"person_id,omitempty"`
	PersonName    string  `json:"person_name,omitempty"`
	Priority      float64 `json:"priority"`
}

// PassedOverReport lists the offers that passed over applicants, newest
// first, for unit leaders (their unit's cases) and the auditor (with a
// stated purpose), and logs the names shown.
func PassedOverReport(ctx context.Context, q store.Queryer, a access.Actor, channel string) ([]PassedOverRow, error) {
	if a.Role != access.UnitLeader && a.Role != access.Auditor {
		return nil, access.ErrForbidden
	}
	visible, vargs := access.VisibleClause(a)
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.application_id, p.id, p.first_name || ' ' || p.last_name, u.code, o.offered_on, o.offered_by, o.passed_over_reason
		FROM offers o JOIN applications ap ON ap.id = o.application_id JOIN persons p ON p.id = ap.person_id JOIN units u ON u.id = o.unit_id
		WHERE o.municipality_id = ? AND o.passed_over_reason <> '' AND `+visible+` ORDER BY o.id DESC LIMIT 500`,
		append([]any{a.MunicipalityID}, vargs...)...)
	report, err := store.Collect(rows, err, func(s store.Scanner) (r PassedOverRow, err error) {
		err = s.Scan(&r.OfferID, &r.ApplicationID, &r.PersonID, &r.PersonName, &r.UnitCode, &r.OfferedOn, &r.OfferedBy, &r.Reason)
		r.Passed = []PassedOverApp{}
		return r, err
	})
	if err != nil || len(report) == 0 {
		return []PassedOverRow{}, err
	}
	byOffer := make(map[int64]*PassedOverRow, len(report))
	ids := make([]any, 0, len(report))
	for i := range report {
		byOffer[report[i].OfferID] = &report[i]
		ids = append(ids, report[i].OfferID)
	}
	// The name of a passed-over applicant only where the reader may see
	// the person: the visibility condition sits in the join.
	rows, err = q.QueryContext(ctx, `SELECT x.offer_id, x.application_id, x.priority, COALESCE(p.id, 0), COALESCE(p.first_name || ' ' || p.last_name, '')
		FROM offer_passed_over x JOIN applications ap ON ap.id = x.application_id
		LEFT JOIN persons p ON p.id = ap.person_id AND `+visible+`
		WHERE x.municipality_id = ? AND x.offer_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY x.offer_id, x.priority DESC, x.id`,
		append(append(append([]any{}, vargs...), a.MunicipalityID), ids...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	rd := access.NewReader(q, a, channel)
	for rows.Next() {
		var offer int64
		var x PassedOverApp
		if err := rows.Scan(&offer, &x.ApplicationID, &x.Priority, &x.PersonID, &x.PersonName); err != nil {
			return nil, err
		}
		if x.PersonID != 0 {
			rd.List(0, x.PersonID)
		}
		byOffer[offer].Passed = append(byOffer[offer].Passed, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range report {
		rd.List(0, r.PersonID)
	}
	return report, rd.Send(ctx, &report)
}
