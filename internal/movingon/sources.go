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

// missedContacts reads the active follow-ups whose minimum contact
// frequency (followup.ContactDue, the municipality's norm per model) has
// passed, then the active lease of only those residents: two statements,
// whatever the number of follow-ups.
func missedContacts(ctx context.Context, q store.Queryer, query risk.Query) ([]risk.Signal, error) {
	norms, err := followup.Norms(ctx, q, query.Municipality)
	if err != nil {
		return nil, err
	}
	cond, args := "", []any{query.Municipality}
	if query.PersonID > 0 {
		cond, args = cond+" AND f.person_id = ?", append(args, query.PersonID)
	}
	rows, err := q.QueryContext(ctx, `SELECT f.id, f.person_id, t.model, f.status, f.start_on, f.last_met_on
		FROM followups f JOIN followup_teams t ON t.id = f.team_id
		WHERE f.municipality_id = ? AND f.status = 'aktiv'`+cond+` ORDER BY f.id`, args...)
	states, err := store.Collect(rows, err, func(s store.Scanner) (st followup.State, err error) {
		err = s.Scan(&st.FollowUpID, &st.PersonID, &st.Model, &st.Status, &st.Start, &st.LastContact)
		st.MinDays = norms[st.Model].MinContactDays
		return st, err
	})
	if err != nil {
		return nil, err
	}
	var out []risk.Signal
	var persons []int64
	for _, st := range states {
		due, ok := followup.ContactDue(st)
		if !ok || !due.Before(query.Today) {
			continue
		}
		var reason phrase.Phrase
		if st.LastContact.IsZero() {
			reason = phrase.New("keeping.reason.no_contact", phrase.Date(st.Start), phrase.Date(due))
		} else {
			reason = phrase.New("keeping.reason.missed_contact", phrase.Date(st.LastContact), phrase.Date(due))
		}
		out = append(out, risk.Signal{Kind: risk.MissedContact, PersonID: st.PersonID, Since: due,
			Urgency: MissedContactUrgency(due.DaysUntil(query.Today)), Reason: reason, Category: access.FollowUpPlan})
		persons = append(persons, st.PersonID)
	}
	if len(out) == 0 {
		return nil, nil
	}
	homes, err := activeHomes(ctx, q, query.Municipality, persons)
	if err != nil {
		return nil, err
	}
	kept := out[:0]
	for _, sg := range out {
		h := homes[sg.PersonID]
		if query.BuildingID > 0 && h.building != query.BuildingID {
			continue
		}
		sg.LeaseID, sg.UnitID, sg.BuildingID = h.lease, h.unit, h.building
		kept = append(kept, sg)
	}
	return kept, nil
}

type home struct{ lease, unit, building int64 }

// activeHomes reads each person's active lease, its home and the home's
// building (0 when it has none); a person with two active leases keeps
// the first.
func activeHomes(ctx context.Context, q store.Queryer, municipalityID int64, persons []int64) (map[int64]home, error) {
	out := map[int64]home{}
	for i := 0; i < len(persons); i += 1000 {
		in, args := store.In(persons[i:min(i+1000, len(persons))])
		rows, err := q.QueryContext(ctx, `SELECT lt.person_id, l.id, l.unit_id, COALESCE(u.building_id, 0)
			FROM lease_tenants lt JOIN leases l ON l.id = lt.lease_id JOIN units u ON u.id = l.unit_id
			WHERE lt.person_id IN `+in+` AND l.municipality_id = ? AND l.status = 'aktiv' ORDER BY l.id`, append(args, municipalityID)...)
		type row struct {
			person int64
			h      home
		}
		list, err := store.Collect(rows, err, func(s store.Scanner) (r row, err error) {
			return r, s.Scan(&r.person, &r.h.lease, &r.h.unit, &r.h.building)
		})
		if err != nil {
			return nil, err
		}
		for _, r := range list {
			if _, seen := out[r.person]; !seen {
				out[r.person] = r.h
			}
		}
	}
	return out, nil
}

// leasesEnding reads the active time-limited leases that end within
// EndingWithinDays (or have passed their end while still active) without
// a standing renewal decision on that end (a move decision during the
// lease is not one), in one statement, one signal per tenant.
func leasesEnding(ctx context.Context, q store.Queryer, query risk.Query) ([]risk.Signal, error) {
	horizon := query.Today.AddDays(EndingWithinDays)
	cond, args := "", []any{query.Municipality, horizon}
	if query.BuildingID > 0 {
		cond, args = cond+" AND u.building_id = ?", append(args, query.BuildingID)
	}
	if query.PersonID > 0 {
		cond, args = cond+" AND lt.person_id = ?", append(args, query.PersonID)
	}
	// A decision at the lease's end that an appeal reversed, changed or
	// quashed no longer stands: the lease is waiting again.
	standing, sargs := standingCond("r")
	rows, err := q.QueryContext(ctx, `SELECT l.id, lt.person_id, l.unit_id, COALESCE(u.building_id, 0), l.end_date
		FROM leases l JOIN lease_tenants lt ON lt.lease_id = l.id JOIN units u ON u.id = l.unit_id
		WHERE l.municipality_id = ? AND l.status = 'aktiv' AND l.end_date IS NOT NULL AND l.end_date <= ?`+cond+`
		AND NOT EXISTS (SELECT 1 FROM renewal_decisions r WHERE r.lease_id = l.id AND r.municipality_id = l.municipality_id AND r.kind = ?
		AND r.lease_end_on = l.end_date`+standing+`) ORDER BY l.id, lt.person_id`, append(append(args, string(AtEnd)), sargs...)...)
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
