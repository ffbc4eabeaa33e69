package workday

import (
	"context"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/store"
)

// UnitItem is a unit on the property officer's start page, with the date
// that puts it there. It names no tenant: the page is about the stock.
type UnitItem struct {
	UnitID  int64         `json:"unit_id"`
	Code    string        `json:"code"`
	Address string        `json:"address"`
	On      deadline.Date `json:"on,omitzero"`
	// Kind is what happens: a move in or out, or the inspection due.
	Kind string `json:"kind,omitempty"`
}

// Kinds of unit items.
const (
	MoveIn            = "innflytting"
	MoveOut           = "utflytting"
	InspectionMoveIn  = "befaring_innflytting"
	InspectionMoveOut = "befaring_utflytting"
)

// PropertyDay is the property officer's start page.
type PropertyDay struct {
	// Vacant and UnderRepair are counts from the counters table, with the
	// first units of each by code.
	Vacant         int           `json:"vacant"`
	VacantUnits    []UnitItem    `json:"vacant_units"`
	UnderRepair    int           `json:"under_repair"`
	RepairUnits    []UnitItem    `json:"under_repair_units"`
	MovesIn        []UnitItem    `json:"move_ins"`
	MovesOut       []UnitItem    `json:"move_outs"`
	InspectionsDue []UnitItem    `json:"inspections_due"`
	PeriodFrom     deadline.Date `json:"period_from"`
	PeriodTo       deadline.Date `json:"period_to"`
}

// inspectionWindow is how far back a move without its inspection is
// still shown as due; older ones are in the unit's history.
const inspectionWindow = 30

// Property reads the property officer's start page: vacancies, the moves
// of this week and next, units under repair and inspections due.
func Property(ctx context.Context, q store.Queryer, a access.Actor, today deadline.Date) (PropertyDay, error) {
	if a.Role == access.Resident {
		return PropertyDay{}, access.ErrForbidden
	}
	var d PropertyDay
	from, _ := Week(today)
	d.PeriodFrom, d.PeriodTo = from, from.AddDays(13)
	_, byStatus, err := housing.Summary(ctx, q, a.MunicipalityID)
	if err != nil {
		return d, err
	}
	for _, c := range byStatus {
		switch housing.UnitStatus(c.Code) {
		case housing.Vacant:
			d.Vacant = c.Units
		case housing.Maintenance:
			d.UnderRepair = c.Units
		}
	}
	byStatusQuery := `SELECT u.id, u.code, u.address, NULL, '' FROM units u WHERE u.municipality_id = ? AND u.status = ? ORDER BY u.code, u.id LIMIT ?`
	if d.VacantUnits, err = units(ctx, q, byStatusQuery, a.MunicipalityID, housing.Vacant, PanelLimit); err != nil {
		return d, err
	}
	if d.RepairUnits, err = units(ctx, q, byStatusQuery, a.MunicipalityID, housing.Maintenance, PanelLimit); err != nil {
		return d, err
	}
	if d.MovesIn, err = units(ctx, q, `SELECT u.id, u.code, u.address, l.start_date, '`+MoveIn+`'
		FROM leases l JOIN units u ON u.id = l.unit_id
		WHERE l.municipality_id = ? AND l.start_date >= ? AND l.start_date <= ? AND l.status = '`+string(housing.LeaseActive)+`'
		ORDER BY l.start_date, u.code LIMIT ?`, a.MunicipalityID, d.PeriodFrom, d.PeriodTo, 2*PanelLimit); err != nil {
		return d, err
	}
	// A tenancy ends on its notice (terminated_on) or at its fixed term's end.
	if d.MovesOut, err = units(ctx, q, `SELECT id, code, address, d, k FROM (
		SELECT u.id, u.code, u.address, l.terminated_on AS d, '`+MoveOut+`' AS k FROM leases l JOIN units u ON u.id = l.unit_id
		  WHERE l.municipality_id = ? AND l.terminated_on >= ? AND l.terminated_on <= ?
		UNION ALL
		SELECT u.id, u.code, u.address, l.end_date, '`+MoveOut+`' FROM leases l JOIN units u ON u.id = l.unit_id
		  WHERE l.municipality_id = ? AND l.end_date >= ? AND l.end_date <= ? AND l.terminated_on IS NULL AND l.status = '`+string(housing.LeaseActive)+`') m
		ORDER BY d, code LIMIT ?`, a.MunicipalityID, d.PeriodFrom, d.PeriodTo, a.MunicipalityID, d.PeriodFrom, d.PeriodTo, 2*PanelLimit); err != nil {
		return d, err
	}
	// The inspection at moving in and out (the protocol the lease refers
	// to, husleieloven § 2-5 and § 10-2): due from the move until it is held.
	back := today.AddDays(-inspectionWindow)
	d.InspectionsDue, err = units(ctx, q, `SELECT id, code, address, d, k FROM (
		SELECT u.id, u.code, u.address, l.start_date AS d, '`+InspectionMoveIn+`' AS k FROM leases l JOIN units u ON u.id = l.unit_id
		  WHERE l.municipality_id = ? AND l.start_date >= ? AND l.start_date <= ? AND l.status = '`+string(housing.LeaseActive)+`'
		  AND NOT EXISTS (SELECT 1 FROM lease_inspections i WHERE i.lease_id = l.id AND i.kind = 'innflytting')
		UNION ALL
		SELECT u.id, u.code, u.address, l.terminated_on, '`+InspectionMoveOut+`' FROM leases l JOIN units u ON u.id = l.unit_id
		  WHERE l.municipality_id = ? AND l.terminated_on >= ? AND l.terminated_on <= ?
		  AND NOT EXISTS (SELECT 1 FROM lease_inspections i WHERE i.lease_id = l.id AND i.kind = 'utflytting')) x
		ORDER BY d, code LIMIT ?`, a.MunicipalityID, back, d.PeriodTo, a.MunicipalityID, back, d.PeriodTo, 2*PanelLimit)
	return d, err
}

func units(ctx context.Context, q store.Queryer, query string, args ...any) ([]UnitItem, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	return store.Collect(rows, err, func(s store.Scanner) (u UnitItem, err error) {
		err = s.Scan(&u.UnitID, &u.Code, &u.Address, &u.On, &u.Kind)
		return u, err
	})
}
