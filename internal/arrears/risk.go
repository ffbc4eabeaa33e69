package arrears

import (
	"context"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/risk"
	"husly/internal/store"
)

func init() { risk.Register(risk.Arrears, riskSource) }

// riskSource gives one signal per lease with unpaid dues, in one query:
// urgency rising with the amount and the days since the oldest unpaid due,
// filed under finances (the amount is what it reveals).
func riskSource(ctx context.Context, q store.Queryer, query risk.Query) ([]risk.Signal, error) {
	where, args := "d.municipality_id = ? AND d.outstanding > 0", []any{query.Municipality}
	if query.BuildingID != 0 {
		where += " AND u.building_id = ?"
		args = append(args, query.BuildingID)
	}
	if query.PersonID != 0 {
		where += " AND d.lease_id IN (SELECT lease_id FROM arrears_dues WHERE person_id = ? AND municipality_id = ?)"
		args = append(args, query.PersonID, query.Municipality)
	}
	rows, err := q.QueryContext(ctx, `SELECT d.lease_id, MIN(d.person_id), COALESCE(l.unit_id, 0), COALESCE(MIN(u.building_id), 0), COUNT(*), SUM(d.outstanding), MIN(d.due_on)
		FROM arrears_dues d JOIN leases l ON l.id = d.lease_id LEFT JOIN units u ON u.id = l.unit_id
		WHERE `+where+` GROUP BY d.lease_id, l.unit_id ORDER BY d.lease_id`, args...)
	return store.Collect(rows, err, func(s store.Scanner) (risk.Signal, error) {
		sg := risk.Signal{Kind: risk.Arrears, Category: access.Finances}
		var n int
		var sum int64
		var since deadline.Date
		if err := s.Scan(&sg.LeaseID, &sg.PersonID, &sg.UnitID, &sg.BuildingID, &n, &sum, &since); err != nil {
			return sg, err
		}
		sg.Since = since
		sg.Urgency = Urgency(sum, since.DaysUntil(query.Today))
		sg.Reason = Reason(n, sum, since)
		return sg, nil
	})
}
