package housing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/invalid"
	"husly/internal/store"
)

var ErrNotFound = errors.New("boligen finnes ikke")

// ValidationError lists what is wrong with an input.
type ValidationError = invalid.Error

// CreateSite adds a site (anlegg) and returns its id.
func CreateSite(ctx context.Context, q store.Queryer, municipalityID int64, name, district, address string, coLocated, staffBase bool, staffing Staffing) (int64, error) {
	return store.InsertID(ctx, q, `INSERT INTO sites (municipality_id, name, district, address, co_located, staff_base, staffing)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, municipalityID, name, district, address, coLocated, staffBase, staffing)
}

// CreateBuilding adds a building, on a site when siteID is not 0.
func CreateBuilding(ctx context.Context, q store.Queryer, municipalityID, siteID int64, name, address string, floors int, lift bool) (int64, error) {
	var site any
	if siteID != 0 {
		site = siteID
	}
	return store.InsertID(ctx, q, `INSERT INTO buildings (municipality_id, site_id, name, address, floors, has_lift)
		VALUES (?, ?, ?, ?, ?, ?)`, municipalityID, site, name, address, floors, lift)
}

const unitInsert = `INSERT INTO units (municipality_id, building_id, code, address, postal_code, district, category, control,
	intended_use, co_located, staff_base, staffing, lifetime_standard, robust, floor, lift, wheelchair, rooms, area_m2,
	rent_monthly, rent_includes, near_transport, near_shops, near_services, drug_scene_nearby, own_entrance, pets_allowed,
	smoking_allowed, condition, last_maintained, status, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func unitArgs(municipalityID int64, u Unit, now any) []any {
	var building any
	if u.BuildingID != 0 {
		building = u.BuildingID
	}
	return []any{municipalityID, building, u.Code, u.Address, u.PostalCode, u.District, u.Category, u.Control,
		u.IntendedUse, u.CoLocated, u.StaffBase, u.Staffing, u.LifetimeStandard, u.Robust, u.Floor, u.Lift, u.Wheelchair,
		u.Rooms, u.AreaM2, u.RentMonthly, u.RentIncludes, u.NearTransport, u.NearShops, u.NearServices, u.DrugSceneNearby,
		u.OwnEntrance, u.PetsAllowed, u.SmokingAllowed, u.Condition, u.LastMaintained, u.Status, now, now}
}

// ManagesStock reports whether the actor may add to the housing stock:
// property staff, case workers and unit leaders, and the operator's
// imports. Planners, administrators, auditors and residents may not.
func ManagesStock(a access.Actor) bool {
	switch a.Role {
	case access.Property, access.CaseWorker, access.UnitLeader, access.Operator:
		return true
	}
	return false
}

// CreateUnit validates and adds a unit. The caller runs it in a
// transaction (a unique-code violation would end a PostgreSQL transaction).
func CreateUnit(ctx context.Context, q store.Queryer, a access.Actor, u Unit) (int64, error) {
	if !ManagesStock(a) {
		return 0, access.ErrForbidden
	}
	if ps := u.Validate(); len(ps) > 0 {
		return 0, &ValidationError{Problems: ps}
	}
	var taken int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM units WHERE municipality_id = ? AND code = ?", a.MunicipalityID, u.Code).Scan(&taken); err != nil {
		return 0, err
	}
	if taken > 0 {
		return 0, invalid.Problem("boligkoden %s finnes allerede", u.Code)
	}
	id, err := store.InsertID(ctx, q, unitInsert, unitArgs(a.MunicipalityID, u, store.TimeArg(time.Now()))...)
	if err != nil {
		return 0, err
	}
	u.ID = id
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "bolig", EntityID: id, After: u})
}

const unitColumns = `u.id, u.code, u.address, u.postal_code, u.district, COALESCE(u.building_id, 0), COALESCE(b.name, ''),
	COALESCE(s.name, ''), u.category, u.control, u.intended_use, u.co_located, u.staff_base, u.staffing, u.lifetime_standard,
	u.robust, u.floor, u.lift, u.wheelchair, u.rooms, u.area_m2, u.rent_monthly, u.rent_includes, u.near_transport,
	u.near_shops, u.near_services, u.drug_scene_nearby, u.own_entrance, u.pets_allowed, u.smoking_allowed, u.condition,
	u.last_maintained, u.status
	FROM units u LEFT JOIN buildings b ON b.id = u.building_id LEFT JOIN sites s ON s.id = b.site_id`

func scanUnit(row store.Scanner) (Unit, error) {
	var u Unit
	err := row.Scan(&u.ID, &u.Code, &u.Address, &u.PostalCode, &u.District, &u.BuildingID, &u.BuildingName, &u.SiteName,
		&u.Category, &u.Control, &u.IntendedUse, &u.CoLocated, &u.StaffBase, &u.Staffing, &u.LifetimeStandard, &u.Robust,
		&u.Floor, &u.Lift, &u.Wheelchair, &u.Rooms, &u.AreaM2, &u.RentMonthly, &u.RentIncludes, &u.NearTransport,
		&u.NearShops, &u.NearServices, &u.DrugSceneNearby, &u.OwnEntrance, &u.PetsAllowed, &u.SmokingAllowed, &u.Condition,
		&u.LastMaintained, &u.Status)
	return u, err
}

// GetUnit reads one unit of the municipality.
func GetUnit(ctx context.Context, q store.Queryer, municipalityID, id int64) (Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, "SELECT "+unitColumns+" WHERE u.municipality_id = ? AND u.id = ?", municipalityID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// UnitsIn reads many units in one query, keyed by id, for lists that
// hold units found by another query (vacancies shared by partners, leases
// running out). The ids must come from a query that already tied each
// unit to its municipality.
func UnitsIn(ctx context.Context, q store.Queryer, ids []int64) (map[int64]Unit, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, "SELECT "+unitColumns+" WHERE u.id IN "+in, args...)
	units, err := store.Collect(rows, err, scanUnit)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Unit, len(units))
	for _, u := range units {
		out[u.ID] = u
	}
	return out, nil
}

func (f Filter) where(municipalityID int64) (string, []any) {
	conds := []string{"u.municipality_id = ?"}
	args := []any{municipalityID}
	add := func(cond string, v any) { conds = append(conds, cond); args = append(args, v) }
	if f.Category != "" {
		add("u.category = ?", f.Category)
	}
	if f.Status != "" {
		add("u.status = ?", f.Status)
	}
	if f.District != "" {
		add("u.district = ?", f.District)
	}
	if f.Staffing != "" {
		add("u.staffing = ?", f.Staffing)
	}
	if f.Wheelchair {
		add("u.wheelchair = ?", true)
	}
	if f.MinRooms > 0 {
		add("u.rooms >= ?", f.MinRooms)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		like := "%" + strings.ToLower(strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(t)) + "%"
		// CAST: a bare ? as a LIKE pattern makes SQLite compile the
		// statement again on every run (see people.searchNames).
		conds = append(conds, `(LOWER(u.code) LIKE CAST(? AS TEXT) ESCAPE '\' OR LOWER(u.address) LIKE CAST(? AS TEXT) ESCAPE '\')`)
		args = append(args, like, like)
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ListUnits returns one page of units matching f and the total count.
func ListUnits(ctx context.Context, q store.Queryer, municipalityID int64, f Filter) ([]Unit, int, error) {
	where, args := f.where(municipalityID)
	var total int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM units u"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	col, ok := SortColumns[f.Sort]
	if !ok {
		col = "u.code"
	}
	cmp, dir := ">", ""
	if f.Desc {
		cmp, dir = "<", " DESC"
	}
	if f.AfterCode != "" && col == "u.code" {
		where += " AND u.code " + cmp + " ?"
		args = append(args, f.AfterCode)
	} else if f.AfterCode != "" {
		v, err := f.afterArg()
		if err != nil {
			return nil, 0, err
		}
		where += " AND (" + col + " " + cmp + " ? OR (" + col + " = ? AND u.code " + cmp + " ?))"
		args = append(args, v, v, f.AfterCode)
	}
	order := " ORDER BY " + col + dir
	if col != "u.code" {
		order += ", u.code" + dir
	}
	rows, err := q.QueryContext(ctx, "SELECT "+unitColumns+where+order+" LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
	units, err := store.Collect(rows, err, scanUnit)
	return units, total, err
}

// Districts lists the districts that have units, for filters.
func Districts(ctx context.Context, q store.Queryer, municipalityID int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT DISTINCT district FROM units WHERE municipality_id = ? AND district <> '' ORDER BY district", municipalityID)
	return store.Collect(rows, err, func(r store.Scanner) (d string, err error) {
		err = r.Scan(&d)
		return d, err
	})
}

// Count is a number of units with a code (category or status).
type Count struct {
	Code  string `json:"code"`
	Units int    `json:"units"`
}

// Summary counts the stock by category and by status, from the counters
// the schema's triggers keep (migration 0007): one indexed read of a few
// rows, however large the stock.
func Summary(ctx context.Context, q store.Queryer, municipalityID int64) (byCategory, byStatus []Count, err error) {
	rows, err := q.QueryContext(ctx, "SELECT name, code, n FROM counters WHERE municipality_id = ? AND name IN ('unit_category', 'unit_status')", municipalityID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	n := map[string]map[string]int{"unit_category": {}, "unit_status": {}}
	for rows.Next() {
		var name, code string
		var k int
		if err := rows.Scan(&name, &code, &k); err != nil {
			return nil, nil, err
		}
		n[name][code] = k
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	counts := func(choices []Choice, n map[string]int) []Count {
		out := make([]Count, 0, len(choices))
		for _, c := range choices {
			out = append(out, Count{c.Code, n[c.Code]})
		}
		return out
	}
	return counts(Categories, n["unit_category"]), counts(Statuses, n["unit_status"]), nil
}

// ActiveLeases is the number of active leases in a municipality, from the
// same counters.
func ActiveLeases(ctx context.Context, q store.Queryer, municipalityID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COALESCE(SUM(n), 0) FROM counters WHERE municipality_id = ? AND name = 'active_leases'", municipalityID).Scan(&n)
	return n, err
}

// CreateLease validates and stores a lease and marks the unit let. The
// caller runs it in a transaction.
func CreateLease(ctx context.Context, q store.Queryer, a access.Actor, l Lease) (int64, error) {
	if !a.Writes() && a.Role != access.Operator {
		return 0, access.ErrForbidden
	}
	municipalityID := a.MunicipalityID
	if ps := ValidateLease(l); len(ps) > 0 {
		return 0, &ValidationError{Problems: ps}
	}
	var active int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM leases WHERE municipality_id = ? AND unit_id = ? AND status = 'aktiv'",
		municipalityID, l.UnitID).Scan(&active); err != nil {
		return 0, err
	}
	if active > 0 {
		return 0, invalid.Problem("boligen har allerede en aktiv leiekontrakt")
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO leases (municipality_id, unit_id, start_date, end_date, rent_monthly, deposit, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 'aktiv', ?)`, municipalityID, l.UnitID, l.Start, l.End,
		l.RentMonthly, l.Deposit, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	for _, t := range l.Tenants {
		if _, err := q.ExecContext(ctx, "INSERT INTO lease_tenants (lease_id, person_id, municipality_id) VALUES (?, ?, ?)",
			id, t.PersonID, municipalityID); err != nil {
			return 0, fmt.Errorf("leietaker %d: %w", t.PersonID, err)
		}
	}
	if _, err = q.ExecContext(ctx, "UPDATE units SET status = 'utleid', updated_at = ? WHERE municipality_id = ? AND id = ?",
		store.TimeArg(time.Now()), municipalityID, l.UnitID); err != nil {
		return 0, err
	}
	l.ID = id
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: municipalityID, Actor: a.Label(), Action: "opprett", Entity: "leiekontrakt", EntityID: id, After: l})
}

// Leases lists a unit's leases, newest first. Tenants' names are personal
// data: a name is shown only when the actor may see that person's tenancy,
// and showing it is logged; others appear as hidden.
func Leases(ctx context.Context, q store.Queryer, actor access.Actor, unitID int64, channel string) ([]Lease, error) {
	if !actor.SeesPersons() {
		return nil, access.ErrForbidden
	}
	ls, err := leases(ctx, q, actor.MunicipalityID, unitID)
	if err != nil {
		return nil, err
	}
	rd := access.NewReader(q, actor, channel)
	// Every tenant is checked in one query, not one each.
	var tenants []int64
	for _, l := range ls {
		for _, t := range l.Tenants {
			tenants = append(tenants, t.PersonID)
		}
	}
	if err := rd.AuthorizeAll(ctx, tenants); err != nil {
		return nil, err
	}
	for i := range ls {
		for j, t := range ls[i].Tenants {
			g, err := rd.Authorize(ctx, t.PersonID)
			if err == nil && g.Allows(access.Tenancy) {
				if err := rd.Plain(t.PersonID, access.Basic, access.Tenancy); err != nil {
					return nil, err
				}
				continue
			}
			if err != nil && !errors.Is(err, access.ErrNoRelationship) && !errors.Is(err, access.ErrRestricted) && !errors.Is(err, access.ErrForbidden) {
				return nil, err
			}
			ls[i].Tenants[j] = Tenant{Name: "Leietaker (du har ikke tilgang)", Hidden: true}
		}
	}
	return ls, rd.Send(ctx, &ls)
}

func leases(ctx context.Context, q store.Queryer, municipalityID, unitID int64) ([]Lease, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.id, l.unit_id, l.start_date, l.end_date, l.rent_monthly, l.deposit, l.status,
		COALESCE(p.id, 0), COALESCE(p.first_name || ' ' || p.last_name, '')
		FROM leases l LEFT JOIN lease_tenants t ON t.lease_id = l.id LEFT JOIN persons p ON p.id = t.person_id
		WHERE l.municipality_id = ? AND l.unit_id = ? ORDER BY l.start_date DESC, l.id, p.id`, municipalityID, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Lease
	for rows.Next() {
		var l Lease
		var t Tenant
		if err := rows.Scan(&l.ID, &l.UnitID, &l.Start, &l.End, &l.RentMonthly, &l.Deposit,
			&l.Status, &t.PersonID, &t.Name); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].ID == l.ID {
			out[n-1].Tenants = append(out[n-1].Tenants, t)
			continue
		}
		l.Tenants = []Tenant{}
		if t.PersonID != 0 {
			l.Tenants = append(l.Tenants, t)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
