// Package housing holds the municipality's housing stock: sites, buildings,
// units with the attributes allocation needs (DOMAIN.md §3), and leases.
package housing

import (
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/phrase"
	"strconv"
)

// Choice is one allowed value of a coded attribute. Its name in each
// language is in the catalogues (housing.category.<code>, housing.status.<code> …).
type Choice struct {
	Code string `json:"code"`
}

// UnitStatus is whether a unit is vacant, let or out of use; the values
// are the stored codes in Statuses.
type UnitStatus string

const (
	Vacant      UnitStatus = "ledig"
	Let         UnitStatus = "utleid"
	Maintenance UnitStatus = "vedlikehold"
	Reserved    UnitStatus = "reservert"
)

// Valid reports whether s is one of the statuses.
func (s UnitStatus) Valid() bool { return Has(Statuses, string(s)) }

// LeaseStatus is whether a lease runs; only active leases count as let.
type LeaseStatus string

const (
	LeaseActive LeaseStatus = "aktiv"
	LeaseEnded  LeaseStatus = "avsluttet"
)

// Codes of the coded attributes (categories: see Category).
var (
	Categories = categoryChoices()
	Controls   = choicesOf(AllControls)
	Staffings  = choicesOf(AllStaffings)
	Statuses   = []Choice{
		{string(Vacant)},
		{string(Let)},
		{string(Maintenance)},
		{string(Reserved)},
	}
	Conditions = choicesOf(AllConditions)
)

func categoryChoices() []Choice {
	cs := make([]Choice, len(AllCategories))
	for i, c := range AllCategories {
		cs[i] = Choice{string(c)}
	}
	return cs
}

// Has reports whether code is one of choices.
func Has(choices []Choice, code string) bool {
	for _, c := range choices {
		if c.Code == code {
			return true
		}
	}
	return false
}

func checkChoice(choices []Choice, code string, what invalid.Message) error {
	for _, c := range choices {
		if c.Code == code {
			return nil
		}
	}
	codes := make([]string, len(choices))
	for i, c := range choices {
		codes[i] = c.Code
	}
	return invalid.Problem("ukjent %s %q (gyldige: %v)", what, code, codes)
}

// Unit is one dwelling.
type Unit struct {
	ID               int64         `json:"id"`
	Code             string        `json:"code"`
	Address          string        `json:"address"`
	PostalCode       string        `json:"postal_code"`
	District         string        `json:"district"`
	BuildingID       int64         `json:"building_id,omitempty"`
	BuildingName     string        `json:"building,omitempty"`
	SiteName         string        `json:"site,omitempty"`
	Category         Category      `json:"category"`
	Control          Control       `json:"control"`
	IntendedUse      string        `json:"intended_use"`
	CoLocated        bool          `json:"co_located"`
	StaffBase        bool          `json:"staff_base"`
	Staffing         Staffing      `json:"staffing"`
	LifetimeStandard bool          `json:"lifetime_standard"`
	Robust           bool          `json:"robust"`
	Floor            int           `json:"floor"`
	Lift             bool          `json:"lift"`
	Wheelchair       bool          `json:"wheelchair"`
	Rooms            int           `json:"rooms"`
	AreaM2           float64       `json:"area_m2"`
	RentMonthly      int           `json:"rent_monthly"`
	RentIncludes     string        `json:"rent_includes"`
	NearTransport    bool          `json:"near_transport"`
	NearShops        bool          `json:"near_shops"`
	NearServices     bool          `json:"near_services"`
	DrugSceneNearby  bool          `json:"drug_scene_nearby"`
	OwnEntrance      bool          `json:"own_entrance"`
	PetsAllowed      bool          `json:"pets_allowed"`
	SmokingAllowed   bool          `json:"smoking_allowed"`
	Condition        Condition     `json:"condition"`
	LastMaintained   deadline.Date `json:"last_maintained,omitzero"`
	Status           UnitStatus    `json:"status"`
}

// Validate checks a unit's attributes and returns every problem.
func (u *Unit) Validate() []invalid.Message {
	var ps []invalid.Message
	if u.Code == "" {
		ps = append(ps, invalid.F("boligkode mangler"))
	}
	if u.Address == "" {
		ps = append(ps, invalid.F("adresse mangler"))
	}
	if u.Control == "" {
		u.Control = ControlMunicipal
	}
	if u.Staffing == "" {
		u.Staffing = StaffingNone
	}
	if u.Status == "" {
		u.Status = Vacant
	}
	if u.Condition == "" {
		u.Condition = ConditionGood
	}
	if _, err := ParseCategory(string(u.Category)); err != nil {
		ps = append(ps, invalid.Problems(err)...)
	}
	for _, c := range []struct {
		choices []Choice
		v       string
		what    invalid.Message
	}{{Controls, string(u.Control), invalid.F("eierform")}, {Staffings, string(u.Staffing), invalid.F("bemanning")},
		{Statuses, string(u.Status), invalid.F("status")}, {Conditions, string(u.Condition), invalid.F("tilstand")}} {
		if err := checkChoice(c.choices, c.v, c.what); err != nil {
			ps = append(ps, invalid.Problems(err)...)
		}
	}
	if u.Rooms < 1 || u.Rooms > 20 {
		ps = append(ps, invalid.F("antall rom må være mellom 1 og 20"))
	}
	if u.AreaM2 <= 0 || u.AreaM2 > 1000 {
		ps = append(ps, invalid.F("areal må være større enn 0 og høyst 1000 m²"))
	}
	if u.RentMonthly < 0 || u.RentMonthly > 100000 {
		ps = append(ps, invalid.F("husleie må være mellom 0 og 100 000 kroner i måneden"))
	}
	if u.Floor < -2 || u.Floor > 50 {
		ps = append(ps, invalid.F("etasje må være mellom -2 og 50"))
	}
	if u.PostalCode != "" && (len(u.PostalCode) != 4 || !isDigits(u.PostalCode)) {
		ps = append(ps, invalid.F("postnummeret %q må ha fire sifre", u.PostalCode))
	}
	return ps
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// Filter narrows a list of units; zero values mean "any".
type Filter struct {
	Category   Category
	Status     UnitStatus
	District   string
	Staffing   Staffing
	Wheelchair bool
	MinRooms   int
	Text       string
	Offset     int
	Limit      int
	AfterCode  string // keyset paging: the page after the unit with this code (codes are unique in a municipality)
	// Sort is the column the list is ordered by (a key of SortColumns;
	// empty is by code), Desc the reverse order. AfterValue is the sort
	// column's value of the unit AfterCode names, for keyset paging.
	Sort       string
	Desc       bool
	AfterValue string
}

// SortColumns are the unit list's sortable columns by their key in a URL,
// each a column of units; the unique code breaks ties, so the order is
// total and pages by key.
var SortColumns = map[string]string{
	"kode": "u.code", "adresse": "u.address", "kategori": "u.category", "rom": "u.rooms",
	"areal": "u.area_m2", "husleie": "u.rent_monthly", "status": "u.status",
}

// SortKeys are SortColumns' keys in the order of the list's columns.
var SortKeys = []string{"kode", "adresse", "kategori", "rom", "areal", "husleie", "status"}

// SortValue is u's value in the sort column of f, as text for a page token.
func (f Filter) SortValue(u Unit) string {
	switch f.Sort {
	case "adresse":
		return u.Address
	case "kategori":
		return string(u.Category)
	case "rom":
		return strconv.Itoa(u.Rooms)
	case "areal":
		return strconv.FormatFloat(u.AreaM2, 'g', -1, 64)
	case "husleie":
		return strconv.Itoa(u.RentMonthly)
	case "status":
		return string(u.Status)
	}
	return u.Code
}

// afterArg is AfterValue typed as its column is, so the comparison is
// numeric for numbers.
func (f Filter) afterArg() (any, error) {
	switch f.Sort {
	case "rom", "husleie":
		return strconv.Atoi(f.AfterValue)
	case "areal":
		return strconv.ParseFloat(f.AfterValue, 64)
	}
	return f.AfterValue, nil
}

// Lease is a tenancy of one unit.
type Lease struct {
	ID          int64         `json:"id"`
	UnitID      int64         `json:"unit_id"`
	Start       deadline.Date `json:"start_date"`
	End         deadline.Date `json:"end_date,omitzero"`
	RentMonthly int           `json:"rent_monthly"`
	Deposit     int           `json:"deposit"`
	Status      LeaseStatus   `json:"status"`
	Tenants     []Tenant      `json:"tenants"`
}

// Tenant names a person on a lease.
type Tenant struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	// Hidden is a tenant the reader may not see: Name then says so.
	Hidden bool `json:"-"`
}

// Speak writes a hidden tenant's name in the reader's language
// (phrase.Speaker).
func (t *Tenant) Speak(write func(phrase.Phrase) string) {
	if t.Hidden {
		t.Name = write(phrase.New("texts.tenant.hidden"))
	}
}

// ValidateLease checks the rules every lease must follow.
func ValidateLease(l Lease) []invalid.Message {
	var ps []invalid.Message
	if l.Start.IsZero() {
		ps = append(ps, invalid.F("startdato mangler"))
	}
	if !l.End.IsZero() && !l.Start.Before(l.End) {
		ps = append(ps, invalid.F("sluttdato må være etter startdato"))
	}
	if l.RentMonthly <= 0 {
		ps = append(ps, invalid.F("husleien må være større enn 0"))
	}
	// husleieloven § 3-5: at most six months' rent. A municipality's own
	// lower cap (three months is common, seed 002) is checked by the case
	// flow, which knows the municipality's rule.
	if l.Deposit < 0 || l.Deposit > 6*l.RentMonthly {
		ps = append(ps, invalid.F("depositum kan være høyst seks måneders husleie (%d kr) etter husleieloven § 3-5", 6*l.RentMonthly))
	}
	if len(l.Tenants) == 0 {
		ps = append(ps, invalid.F("kontrakten må ha minst én leietaker"))
	}
	return ps
}
