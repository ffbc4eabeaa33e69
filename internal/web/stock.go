package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
)

// Property staff edit the housing stock in the pages: a unit's status,
// condition, maintenance, attributes and rent; new units and buildings.
// The rules and the audit entries are housing's (edit.go); these handlers
// parse, call and redirect (Post/Redirect/Get).

// unitFlags are a unit's yes/no attributes, by form name.
var unitFlags = []string{"co_located", "staff_base", "lifetime_standard", "robust", "lift", "wheelchair", "own_entrance",
	"pets_allowed", "smoking_allowed", "near_transport", "near_shops", "near_services", "drug_scene_nearby"}

// flag is one yes/no attribute in the form.
type flag struct {
	Name    string
	Checked bool
}

// stockPage is the form for a unit, new or existing.
type stockPage struct {
	Unit                                      housing.Unit
	New                                       bool
	Form                                      formState
	Flags                                     []flag
	Buildings                                 []housing.Place
	Categories, Controls, Staffings, Statuses []housing.Choice
	Conditions                                []housing.Choice
}

func flagsOf(u housing.Unit) []flag {
	on := map[string]bool{"co_located": u.CoLocated, "staff_base": u.StaffBase, "lifetime_standard": u.LifetimeStandard, "robust": u.Robust,
		"lift": u.Lift, "wheelchair": u.Wheelchair, "own_entrance": u.OwnEntrance, "pets_allowed": u.PetsAllowed, "smoking_allowed": u.SmokingAllowed,
		"near_transport": u.NearTransport, "near_shops": u.NearShops, "near_services": u.NearServices, "drug_scene_nearby": u.DrugSceneNearby}
	out := make([]flag, len(unitFlags))
	for i, n := range unitFlags {
		out[i] = flag{n, on[n]}
	}
	return out
}

// unitFields tie the unit form's problems to its fields.
var unitFields = []formField{{"u-code", "code", "boligkode"}, {"u-address", "address", "adresse"}, {"u-postal", "postal_code", "postnummer"},
	{"u-district", "district", ""}, {"u-rooms", "rooms", "rom"}, {"u-area", "area_m2", "areal"}, {"u-rent", "rent_monthly", "husleie"},
	{"u-includes", "rent_includes", ""}, {"u-floor", "floor", "etasje"}, {"u-use", "intended_use", ""}, {"u-maintained", "last_maintained", "vedlikehold"},
	{"u-status", "status", "status"}, {"u-status", "status", "leieforhold"}, {"u-status", "status", "utleid"}, {"u-category", "category", "kategori"},
	{"u-condition", "condition", "tilstand"}, {"u-staffing", "staffing", "bemanning"}, {"u-control", "control", "eierform"},
	{"u-building", "building", "bygg"}}

// unitFromForm reads the unit form.
func unitFromForm(r *http.Request) (housing.Unit, error) {
	nums := numbersIn(r)
	v := func(n string) string { return strings.TrimSpace(r.PostFormValue(n)) }
	u := housing.Unit{Code: v("code"), Address: v("address"), PostalCode: v("postal_code"), District: v("district"),
		Category: housing.Category(v("category")), Control: housing.Control(v("control")), IntendedUse: v("intended_use"), Staffing: housing.Staffing(v("staffing")),
		Condition: housing.Condition(v("condition")), Status: housing.UnitStatus(v("status")), RentIncludes: v("rent_includes"),
		BuildingID: nums.ID("building", "words.field.building"), Rooms: nums.Int("rooms", "words.field.rooms"), AreaM2: nums.Decimal("area_m2", "words.field.area"),
		RentMonthly: nums.Int("rent_monthly", "words.field.rent"), Floor: nums.Int("floor", "words.field.floor")}
	if d := nums.Date("last_maintained", "words.field.maintained"); !d.IsZero() {
		u.LastMaintained = d
	}
	yes := func(n string) bool { return r.PostFormValue(n) == "ja" }
	u.CoLocated, u.StaffBase, u.LifetimeStandard, u.Robust = yes("co_located"), yes("staff_base"), yes("lifetime_standard"), yes("robust")
	u.Lift, u.Wheelchair, u.OwnEntrance, u.PetsAllowed = yes("lift"), yes("wheelchair"), yes("own_entrance"), yes("pets_allowed")
	u.SmokingAllowed, u.NearTransport, u.NearShops = yes("smoking_allowed"), yes("near_transport"), yes("near_shops")
	u.NearServices, u.DrugSceneNearby = yes("near_services"), yes("drug_scene_nearby")
	return u, nums.Err()
}

// stockEditor answers 403 to a role that may not change the stock.
func (s *Server) stockEditor(w http.ResponseWriter, r *http.Request, u *org.User) bool {
	if !housing.EditsStock(s.actor(r, u)) {
		s.errorPage(w, r, http.StatusForbidden)
		return false
	}
	return true
}

func (s *Server) showStock(w http.ResponseWriter, r *http.Request, u *org.User, d stockPage, status int) {
	var err error
	if d.Buildings, err = housing.Buildings(r.Context(), s.db, u.MunicipalityID); err != nil {
		s.serverError(w, r, err)
		return
	}
	d.Flags = flagsOf(d.Unit)
	d.Categories, d.Controls, d.Staffings, d.Statuses, d.Conditions = housing.Categories, housing.Controls, housing.Staffings, housing.Statuses, housing.Conditions
	title := tr(r, "forms.unit.new")
	if !d.New {
		title = tr(r, "forms.unit.edit", d.Unit.Code)
	}
	s.render(w, r, "stock", view{Title: title, Nav: "units", User: u, Data: d, Status: status})
}

func (s *Server) editUnitForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	if !s.stockEditor(w, r, u) {
		return
	}
	unit, err := housing.GetUnit(r.Context(), s.db, u.MunicipalityID, id)
	if errors.Is(err, housing.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.showStock(w, r, u, stockPage{Unit: unit}, http.StatusOK)
}

func (s *Server) newUnitForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.stockEditor(w, r, u) {
		return
	}
	s.showStock(w, r, u, stockPage{New: true, Unit: housing.Unit{Status: housing.Vacant, Condition: housing.ConditionGood, Rooms: 1}}, http.StatusOK)
}

// saveUnit stores the unit form: a new unit (id 0) or a change.
func (s *Server) saveUnit(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.stockEditor(w, r, u) {
		return
	}
	id, existing := pathID(r)
	unit, typed := unitFromForm(r)
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		if existing {
			err = housing.UpdateUnit(r.Context(), tx, s.actor(r, u), id, unit)
		} else {
			id, err = housing.CreateUnit(r.Context(), tx, s.actor(r, u), unit)
		}
		// A number that did not parse is listed with the unit's own
		// problems, and nothing is stored.
		if typed != nil && (err == nil || invalid.Problems(err) != nil) {
			return invalid.New(append(invalid.Problems(typed), invalid.Problems(err)...)...)
		}
		return err
	})
	var bad *invalid.Error
	switch {
	case errors.As(err, &bad):
		unit.ID = id
		s.showStock(w, r, u, stockPage{Unit: unit, New: !existing, Form: newForm(r, unitFields, bad.Problems)}, http.StatusUnprocessableEntity)
	case errors.Is(err, housing.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden)
	case err != nil:
		s.serverError(w, r, err)
	case existing:
		s.saved(w, r, tr(r, "forms.unit.saved"), "/boliger/"+strconv.FormatInt(id, 10))
	default:
		s.saved(w, r, tr(r, "forms.unit.created"), "/boliger/"+strconv.FormatInt(id, 10))
	}
}

// buildingForm is the form for a new building.
type buildingForm struct {
	Form  formState
	Sites []housing.Place
	Lift  bool
	Site  int64
}

var buildingFields = []formField{{"b-name", "name", "navn"}, {"b-address", "address", "adresse"}, {"b-floors", "floors", "etasjer"}, {"b-site", "site", "anlegg"}}

func (s *Server) showBuildingForm(w http.ResponseWriter, r *http.Request, u *org.User, d buildingForm, status int) {
	var err error
	if d.Sites, err = housing.Sites(r.Context(), s.db, u.MunicipalityID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "newbuilding", view{Title: tr(r, "forms.building.new"), Nav: "units", User: u, Data: d, Status: status})
}

func (s *Server) newBuildingForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.stockEditor(w, r, u) {
		return
	}
	s.showBuildingForm(w, r, u, buildingForm{}, http.StatusOK)
}

func (s *Server) addBuilding(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.stockEditor(w, r, u) {
		return
	}
	nums := numbersIn(r)
	b := housing.Building{Name: r.PostFormValue("name"), Address: r.PostFormValue("address"), SiteID: nums.ID("site", "words.field.site"),
		Floors: nums.Int("floors", "words.field.floors"), Lift: r.PostFormValue("lift") == "ja"}
	var id int64
	err := nums.Err()
	if err == nil {
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			var err error
			id, err = housing.AddBuilding(r.Context(), tx, s.actor(r, u), b)
			return err
		})
	}
	var bad *invalid.Error
	switch {
	case errors.As(err, &bad):
		s.showBuildingForm(w, r, u, buildingForm{Form: newForm(r, buildingFields, bad.Problems), Lift: b.Lift, Site: b.SiteID}, http.StatusUnprocessableEntity)
	case errors.Is(err, access.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden)
	case err != nil:
		s.serverError(w, r, err)
	default:
		s.saved(w, r, tr(r, "forms.building.created"), "/bygg/"+strconv.FormatInt(id, 10))
	}
}

// EditsStock reports whether the page's user may change the housing
// stock, so pages link to the stock forms only for them.
func (v view) EditsStock() bool { return v.User != nil && housing.EditsStock(v.User.Actor()) }

// ISODay writes a stored date for a date field (YYYY-MM-DD), or "".
func (v view) ISODay(d deadline.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}
