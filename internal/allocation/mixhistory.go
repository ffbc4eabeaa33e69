package allocation

import (
	"context"
	"time"

	"husly/internal/deadline"
	"husly/internal/store"
)

// A building's share of residents with high follow-up needs and with ROP
// follow-up over time, from the leases' start and end and the follow-up
// teams' roles: accumulation (opphopning) builds up over years, so the
// share now says little alone (seed 003: "I perioder har det vært stor
// opphopning ... (40–50 prosent)"). Numbers only, like Mixes.

// MixPoint is a building's mix on one day.
type MixPoint struct {
	On  deadline.Date `json:"on"`
	Mix Mix           `json:"mix"`
}

// period is a half-open span of days [from, to); a zero to is open.
type period struct{ from, to time.Time }

func (p period) covers(d time.Time) bool {
	return !p.from.After(d) && (p.to.IsZero() || d.Before(p.to))
}

// tenancy is one lease in the building with its tenants' team roles.
type tenancy struct {
	lease     period
	high, rop []period
	// now is the lease and its roles as Mixes reads them at this moment:
	// by the lease's status and the roles not ended, not by dates.
	now Mix
}

// mixOn counts the building's residents on day d, as Mixes does now: one
// per lease, high need when a follow-up team had a role, ROP when the team
// was FACT or the mental-health and substance service. A pure function.
func mixOn(ts []tenancy, d time.Time) Mix {
	var m Mix
	for _, t := range ts {
		if !t.lease.covers(d) {
			continue
		}
		m.Residents++
		if anyCovers(t.high, d) {
			m.HighNeed++
		}
		if anyCovers(t.rop, d) {
			m.ROP++
		}
	}
	return m
}

func anyCovers(ps []period, d time.Time) bool {
	for _, p := range ps {
		if p.covers(d) {
			return true
		}
	}
	return false
}

// MixHistory gives a building's mix on the first day of each of the last
// months months, and today.
func MixHistory(ctx context.Context, q store.Queryer, municipalityID, buildingID int64, months int, today time.Time) ([]MixPoint, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.id, l.status, l.start_date, l.end_date, l.terminated_on, c.started_at, c.ended_at, COALESCE(o.kind, '')
		FROM leases l JOIN units u ON u.id = l.unit_id
		LEFT JOIN lease_tenants t ON t.lease_id = l.id
		LEFT JOIN case_units c ON c.person_id = t.person_id AND c.org_unit_id IN (SELECT id FROM org_units WHERE kind IN `+highNeedKinds+`)
		LEFT JOIN org_units o ON o.id = c.org_unit_id
		WHERE l.municipality_id = ? AND u.building_id = ? ORDER BY l.id`, municipalityID, buildingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byLease := map[int64]*tenancy{}
	var order []int64
	for rows.Next() {
		var id int64
		var start, end, terminated, from, to time.Time
		var kind, status string
		if err := rows.Scan(&id, &status, store.ScanDate(&start), store.ScanDate(&end), store.ScanDate(&terminated), store.ScanTime(&from), store.ScanTime(&to), &kind); err != nil {
			return nil, err
		}
		t := byLease[id]
		if t == nil {
			// A lease in force runs until it is terminated, even past its
			// end date while renewal is considered; an ended one until it
			// was terminated, or its end date.
			stop := terminated
			if stop.IsZero() && status != "aktiv" {
				stop = end
			}
			t = &tenancy{lease: period{start, stop}}
			if status == "aktiv" {
				t.now.Residents = 1
			}
			byLease[id] = t
			order = append(order, id)
		}
		if kind == "" {
			continue
		}
		rop := kind == "fact" || kind == "psykisk_helse_rus" // ropKinds
		t.high = append(t.high, period{from, to})
		if rop {
			t.rop = append(t.rop, period{from, to})
		}
		if t.now.Residents == 1 && to.IsZero() {
			t.now.HighNeed = 1
			if rop {
				t.now.ROP = 1
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ts := make([]tenancy, len(order))
	for i, id := range order {
		ts[i] = *byLease[id]
	}
	// Months begin on the Norwegian calendar: the last evening of a month
	// after 22:00 UTC in summer is already the next month in Oslo.
	now := deadline.On(today)
	first := time.Date(now.Year, now.Month, 1, 0, 0, 0, 0, time.UTC)
	out := make([]MixPoint, 0, months+1)
	for i := months - 1; i >= 0; i-- {
		d := first.AddDate(0, -i, 0)
		out = append(out, MixPoint{On: deadline.Of(d.Date()), Mix: mixOn(ts, d)})
	}
	// Today's point is what Mixes counts now. Counted by dates it would
	// miss a lease signed to start today in Oslo while it is still
	// yesterday in UTC.
	var current Mix
	for _, t := range ts {
		current.Residents += t.now.Residents
		current.HighNeed += t.now.HighNeed
		current.ROP += t.now.ROP
	}
	return append(out, MixPoint{On: now, Mix: current}), nil
}
