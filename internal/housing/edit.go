package housing

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Property staff keep the stock up to date: a unit's status, condition,
// maintenance, attributes and rent, and new units and buildings. Every
// change is one transaction with its entry (before and after) in the
// municipality's audit chain.

// EditsStock reports whether the actor may change the housing stock in
// the pages: property staff, and the unit leader who answers for them.
func EditsStock(a access.Actor) bool {
	return a.Role == access.Property || a.Role == access.UnitLeader
}

const unitUpdate = `UPDATE units SET building_id = ?, code = ?, address = ?, postal_code = ?, district = ?, category = ?, control = ?,
	intended_use = ?, co_located = ?, staff_base = ?, staffing = ?, lifetime_standard = ?, robust = ?, floor = ?, lift = ?,
	wheelchair = ?, rooms = ?, area_m2 = ?, rent_monthly = ?, rent_includes = ?, near_transport = ?, near_shops = ?,
	near_services = ?, drug_scene_nearby = ?, own_entrance = ?, pets_allowed = ?, smoking_allowed = ?, condition = ?,
	last_maintained = ?, status = ?, updated_at = ? WHERE municipality_id = ? AND id = ?`

// UpdateUnit replaces unit id's attributes with u after the same checks
// as a new unit. A unit's status follows its leases: it is let while an
// active lease runs and only then, so "utleid" and "ledig" cannot be set
// against the leases (a lease is signed or ended in the case flow).
func UpdateUnit(ctx context.Context, q store.Queryer, a access.Actor, id int64, u Unit) error {
	if !EditsStock(a) {
		return access.ErrForbidden
	}
	before, err := GetUnit(ctx, q, a.MunicipalityID, id)
	if err != nil {
		return err
	}
	ps := u.Validate()
	if !u.LastMaintained.IsZero() && deadline.On(time.Now()).Before(u.LastMaintained) {
		ps = append(ps, invalid.F("siste vedlikehold kan ikke være etter i dag"))
	}
	var active, taken int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM leases WHERE municipality_id = ? AND unit_id = ? AND status = ?",
		a.MunicipalityID, id, string(LeaseActive)).Scan(&active); err != nil {
		return err
	}
	switch {
	case active > 0 && u.Status != Let:
		ps = append(ps, invalid.F("boligen har et aktivt leieforhold og er utleid; avslutt leieforholdet i saken før du endrer statusen"))
	case active == 0 && u.Status == Let && before.Status != Let:
		ps = append(ps, invalid.F("boligen blir utleid når en leiekontrakt signeres i saken, ikke her"))
	}
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM units WHERE municipality_id = ? AND code = ? AND id <> ?", a.MunicipalityID, u.Code, id).Scan(&taken); err != nil {
		return err
	}
	if taken > 0 {
		ps = append(ps, invalid.F("boligkoden %s finnes allerede", u.Code))
	}
	if u.BuildingID != 0 {
		if err := buildingExists(ctx, q, a.MunicipalityID, u.BuildingID); err != nil {
			ps = append(ps, invalid.Problems(err)...)
		}
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	args := unitArgs(a.MunicipalityID, u, store.TimeArg(time.Now()))
	// unitArgs is the insert's order: municipality first, created_at and
	// updated_at last; the update takes the attributes, updated_at and the key.
	args = append(append(args[1:len(args)-2], args[len(args)-1]), a.MunicipalityID, id)
	if _, err := q.ExecContext(ctx, unitUpdate, args...); err != nil {
		return err
	}
	u.ID = id
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "bolig", EntityID: id,
		Before: before, After: u})
}

// Building is a building of the stock, on a site or on its own.
type Building struct {
	ID      int64  `json:"id"`
	SiteID  int64  `json:"site_id,omitempty"`
	Name    string `json:"name"`
	Address string `json:"address"`
	Floors  int    `json:"floors"`
	Lift    bool   `json:"has_lift"`
}

// Validate checks a building's fields, tidying the texts.
func (b *Building) Validate() []invalid.Message {
	var ps []invalid.Message
	b.Name, b.Address = strings.Join(strings.Fields(b.Name), " "), strings.Join(strings.Fields(b.Address), " ")
	if b.Name == "" {
		ps = append(ps, invalid.F("byggets navn mangler"))
	}
	if utf8.RuneCountInString(b.Name) > 200 || utf8.RuneCountInString(b.Address) > 200 {
		ps = append(ps, invalid.F("navn og adresse kan ha høyst 200 tegn"))
	}
	if b.Floors < 1 || b.Floors > 60 {
		ps = append(ps, invalid.F("antall etasjer må være mellom 1 og 60"))
	}
	return ps
}

// AddBuilding adds a building to the stock and the audit chain.
func AddBuilding(ctx context.Context, q store.Queryer, a access.Actor, b Building) (int64, error) {
	if !EditsStock(a) {
		return 0, access.ErrForbidden
	}
	ps := b.Validate()
	var taken int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM buildings WHERE municipality_id = ? AND name = ?", a.MunicipalityID, b.Name).Scan(&taken); err != nil {
		return 0, err
	}
	if taken > 0 {
		ps = append(ps, invalid.F("det finnes allerede et bygg som heter %s", b.Name))
	}
	if b.SiteID != 0 {
		var n int
		if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM sites WHERE municipality_id = ? AND id = ?", a.MunicipalityID, b.SiteID).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			ps = append(ps, invalid.F("anlegget finnes ikke"))
		}
	}
	if len(ps) > 0 {
		return 0, &ValidationError{Problems: ps}
	}
	id, err := CreateBuilding(ctx, q, a.MunicipalityID, b.SiteID, b.Name, b.Address, b.Floors, b.Lift)
	if err != nil {
		return 0, err
	}
	b.ID = id
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "bygg", EntityID: id, After: b})
}

// ErrNoBuilding is the answer for a building outside the municipality.
var ErrNoBuilding = invalid.Problem("bygget finnes ikke")

func buildingExists(ctx context.Context, q store.Queryer, municipalityID, id int64) error {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM buildings WHERE municipality_id = ? AND id = ?", municipalityID, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrNoBuilding
	}
	return nil
}

// Place is a site or building to choose in a form.
type Place struct {
	ID   int64
	Name string
}

// Buildings lists the municipality's buildings (with their site's name),
// and Sites its sites, by name, for the stock forms.
func Buildings(ctx context.Context, q store.Queryer, municipalityID int64) ([]Place, error) {
	return places(ctx, q, `SELECT b.id, CASE WHEN s.name IS NULL THEN b.name ELSE b.name || ' (' || s.name || ')' END
		FROM buildings b LEFT JOIN sites s ON s.id = b.site_id WHERE b.municipality_id = ? ORDER BY b.name`, municipalityID)
}

// Sites lists the municipality's sites by name.
func Sites(ctx context.Context, q store.Queryer, municipalityID int64) ([]Place, error) {
	return places(ctx, q, "SELECT id, name FROM sites WHERE municipality_id = ? ORDER BY name", municipalityID)
}

func places(ctx context.Context, q store.Queryer, query string, args ...any) ([]Place, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Place
	for rows.Next() {
		var p Place
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
