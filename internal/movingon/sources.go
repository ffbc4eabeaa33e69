package movingon

import (
	"context"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/phrase"
	"husly/internal/risk"
	"husly/internal/store"
)

// EndingWithinDays is how far ahead a lease's end puts the tenancy on the
// risk list without a renewal decision: three months, when the renewal
// review starts (caseflow.ReviewFrom; seed 002: the time-limited lease
// must be reviewed with the tenant before it ends).
const EndingWithinDays = 90

func init() {
	risk.Register(risk.MissedContact, missedContacts)
	risk.Register(risk.LeaseEnding, leasesEnding)
}

// LeaseEndingUrgency weighs a lease's end: 60 when it has passed or ends
// today, falling to 10 at EndingWithinDays ahead.
func LeaseEndingUrgency(daysLeft int) int {
	if daysLeft <= 0 {
		return 60
	}
	return max(10, 60-daysLeft*50/EndingWithinDays)
}

// MissedContactUrgency weighs a missed contact frequency: 20 on the first
// day past due, rising by one for every two days to 50. A resident no one
// has met for weeks is the late warning seed 004 describes ("for sent til
// å hindre utkastelse").
func MissedContactUrgency(daysOverdue int) int {
	return min(50, 20+max(0, daysOverdue)/2)
}

// homes is the join from a person to their active lease, its unit and the
// unit's building (0 when the unit has none), for the sources' filters.
const homes = `SELECT lt.person_id, l.id AS lease_id, l.unit_id, COALESCE(u.building_id, 0) AS building_id
	FROM lease_tenants lt JOIN leases l ON l.id = lt.lease_id JOIN units u ON u.id = l.unit_id
	WHERE l.municipality_id = ? AND l.status = 'aktiv'`

// missedContacts reads the active follow-ups whose minimum contact
// frequency (followup.ContactDue, the municipality's norm per model) has
// passed, in one statement, each with the resident's active lease.
func missedContacts(ctx context.Context, q store.Queryer, query risk.Query) ([]risk.Signal, error) {
	norms, err := followup.Norms(ctx, q, query.Municipality)
	if err != nil {
		return nil, err
	}
	cond, args := "", []any{query.Municipality, query.Municipality}
	if query.BuildingID > 0 {
		cond, args = cond+" AND h.building_id = ?", append(args, query.BuildingID)
	}
	if query.PersonID > 0 {
		cond, args = cond+" AND f.person_id = ?", append(args, query.PersonID)
	}
	join := "LEFT JOIN"
	if query.BuildingID > 0 {
		join = "JOIN"
	}
	rows, err := q.QueryContext(ctx, `SELECT f.id, f.person_id, t.model, f.status, f.start_on, f.last_met_on,
		COALESCE(h.lease_id, 0), COALESCE(h.unit_id, 0), COALESCE(h.building_id, 0)
		FROM followups f JOIN followup_teams t ON t.id = f.team_id `+join+` (`+homes+`) h ON h.person_id = f.person_id
		WHERE f.municipality_id = ? AND f.status = 'aktiv'`+cond+` ORDER BY f.id`, args...)
	type row struct {
		st                    followup.State
		lease, unit, building int64
	}
	list, err := store.Collect(rows, err, func(s store.Scanner) (r row, err error) {
		err = s.Scan(&r.st.FollowUpID, &r.st.PersonID, &r.st.Model, &r.st.Status, &r.st.Start, &r.st.LastContact, &r.lease, &r.unit, &r.building)
		r.st.MinDays = norms[r.st.Model].MinContactDays
		return r, err
	})
	if err != nil {
		return nil, err
	}
	var out []risk.Signal
	seen := map[int64]bool{}
	for _, r := range list {
		if seen[r.st.FollowUpID] {
			continue // a resident with two active leases: the first
		}
		seen[r.st.FollowUpID] = true
		due, ok := followup.ContactDue(r.st)
		if !ok || !due.Before(query.Today) {
			continue
		}
		var reason phrase.Phrase
		if r.st.LastContact.IsZero() {
			reason = phrase.New("keeping.reason.no_contact", phrase.Date(r.st.Start), phrase.Date(due))
		} else {
			reason = phrase.New("keeping.reason.missed_contact", phrase.Date(r.st.LastContact), phrase.Date(due))
		}
		out = append(out, risk.Signal{Kind: risk.MissedContact, PersonID: r.st.PersonID, LeaseID: r.lease, UnitID: r.unit, BuildingID: r.building,
			Since: due, Urgency: MissedContactUrgency(due.DaysUntil(query.Today)), Reason: reason, Category: access.FollowUpPlan})
	}
	return out, nil
}

// leasesEnding reads the active time-limited leases that end within
// EndingWithinDays (or have passed their end while still active) without
// a renewal decision on that end, in one statement, one signal per tenant.
func leasesEnding(ctx context.Context, q store.Queryer, query risk.Query) ([]risk.Signal, error) {
	horizon := query.Today.AddDays(EndingWithinDays)
	cond, args := "", []any{query.Municipality, horizon}
	if query.BuildingID > 0 {
		cond, args = cond+" AND u.building_id = ?", append(args, query.BuildingID)
	}
	if query.PersonID > 0 {
		cond, args = cond+" AND lt.person_id = ?", append(args, query.PersonID)
	}
	rows, err := q.QueryContext(ctx, `SELECT l.id, lt.person_id, l.unit_id, COALESCE(u.building_id, 0), l.end_date
		FROM leases l JOIN lease_tenants lt ON lt.lease_id = l.id JOIN units u ON u.id = l.unit_id
		WHERE l.municipality_id = ? AND l.status = 'aktiv' AND l.end_date IS NOT NULL AND l.end_date <= ?`+cond+`
		AND NOT EXISTS (SELECT 1 FROM renewal_decisions r WHERE r.lease_id = l.id AND r.municipality_id = l.municipality_id AND r.lease_end_on = l.end_date)
		ORDER BY l.id, lt.person_id`, args...)
	return store.Collect(rows, err, func(s store.Scanner) (sg risk.Signal, err error) {
		var end deadline.Date
		err = s.Scan(&sg.LeaseID, &sg.PersonID, &sg.UnitID, &sg.BuildingID, &end)
		left := query.Today.DaysUntil(end)
		sg.Kind, sg.Category, sg.Urgency = risk.LeaseEnding, access.Tenancy, LeaseEndingUrgency(left)
		sg.Since = ReviewFromDate(end)
		if left < 0 {
			sg.Reason = phrase.New("keeping.reason.lease_passed", phrase.Date(end))
		} else {
			sg.Reason = phrase.New("keeping.reason.lease_ending", phrase.Date(end))
		}
		return sg, err
	})
}

// ReviewFromDate is when the renewal review starts: EndingWithinDays
// before the end.
func ReviewFromDate(end deadline.Date) deadline.Date { return end.AddDays(-EndingWithinDays) }
