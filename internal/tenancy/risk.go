package tenancy

import (
	"context"
	"database/sql"

	"husly/internal/deadline"
	"husly/internal/phrase"
	"husly/internal/risk"
	"husly/internal/store"
)

// Complaints and the ladder are reasons a tenancy may be lost: each is a
// risk source, read for a whole municipality in one query.
func init() {
	risk.Register(risk.Complaints, complaintSignals)
	risk.Register(risk.Ladder, ladderSignals)
}

// recentDays is how long a closed complaint still counts on the risk list.
const recentDays = 180

// riskFilter narrows a risk query to a building or a person.
func riskFilter(query risk.Query, person string) (string, []any) {
	var cond string
	var args []any
	if query.BuildingID != 0 {
		cond, args = cond+" AND u.building_id = ?", append(args, query.BuildingID)
	}
	if query.PersonID != 0 {
		cond, args = cond+" AND "+person+" = ?", append(args, query.PersonID)
	}
	return cond, args
}

// ComplaintUrgency weighs a tenancy's complaints: open ones weigh most, a
// threat more, recent closed ones a little.
func ComplaintUrgency(open, recent, threats int) int {
	u := 12*open + 4*(recent-open)
	if threats > 0 {
		u += 10
	}
	return min(u, 50)
}

// complaintSignals are the open and recent complaints per lease.
func complaintSignals(ctx context.Context, q store.Queryer, query risk.Query) ([]risk.Signal, error) {
	cond, args := riskFilter(query, "c.person_id")
	rows, err := q.QueryContext(ctx, `SELECT c.person_id, c.lease_id, l.unit_id, u.building_id, MIN(c.received_on),
		SUM(CASE WHEN c.closed_on IS NULL THEN 1 ELSE 0 END), COUNT(*), SUM(CASE WHEN c.kind = 'trusler' THEN 1 ELSE 0 END)
		FROM tenancy_complaints c JOIN leases l ON l.id = c.lease_id JOIN units u ON u.id = l.unit_id
		WHERE c.municipality_id = ? AND (c.closed_on IS NULL OR c.received_on >= ?)`+cond+`
		GROUP BY c.person_id, c.lease_id, l.unit_id, u.building_id`,
		append([]any{query.Municipality, query.Today.AddDays(-recentDays)}, args...)...)
	return store.Collect(rows, err, func(s store.Scanner) (sg risk.Signal, err error) {
		var building sql.NullInt64
		var open, recent, threats int
		if err := s.Scan(&sg.PersonID, &sg.LeaseID, &sg.UnitID, &building, &sg.Since, &open, &recent, &threats); err != nil {
			return sg, err
		}
		sg.Kind, sg.BuildingID, sg.Category = risk.Complaints, building.Int64, Category
		sg.Urgency = ComplaintUrgency(open, recent, threats)
		sg.Reason = phrase.New("tenancy.risk.complaints", phrase.Count(open), phrase.Count(recent))
		return sg, nil
	})
}

// ladderSignals are the leases with a step in force, at their highest step.
func ladderSignals(ctx context.Context, q store.Queryer, query risk.Query) ([]risk.Signal, error) {
	cond, args := riskFilter(query, "s.person_id")
	rows, err := q.QueryContext(ctx, `SELECT s.person_id, s.lease_id, l.unit_id, u.building_id, s.step, s.issued_on, s.eviction_on
		FROM tenancy_steps s JOIN leases l ON l.id = s.lease_id JOIN units u ON u.id = l.unit_id
		WHERE s.municipality_id = ? AND s.status = 'aktiv'`+cond+` ORDER BY s.lease_id, s.id`,
		append([]any{query.Municipality}, args...)...)
	type row struct {
		sg       risk.Signal
		step     Step
		eviction deadline.Date
	}
	all, err := store.Collect(rows, err, func(s store.Scanner) (r row, err error) {
		var building sql.NullInt64
		err = s.Scan(&r.sg.PersonID, &r.sg.LeaseID, &r.sg.UnitID, &building, &r.step, &r.sg.Since, &r.eviction)
		r.sg.BuildingID = building.Int64
		return r, err
	})
	if err != nil {
		return nil, err
	}
	top := map[int64]int{}
	var out []risk.Signal
	var steps []row
	for _, r := range all {
		i, seen := top[r.sg.LeaseID]
		if seen && r.step.Rank() <= steps[i].step.Rank() {
			continue
		}
		if !seen {
			top[r.sg.LeaseID] = len(steps)
			steps = append(steps, r)
		} else {
			steps[i] = r
		}
	}
	for _, r := range steps {
		sg := r.sg
		sg.Kind, sg.Category, sg.Urgency = risk.Ladder, Category, Urgency(r.step)
		if r.step == Eviction {
			sg.Reason = phrase.New("tenancy.risk.eviction", phrase.Date(r.eviction))
		} else {
			sg.Reason = phrase.New("tenancy.risk.ladder", phrase.Label("tenancy.step."+string(r.step)), phrase.Date(sg.Since))
		}
		out = append(out, sg)
	}
	return out, nil
}
