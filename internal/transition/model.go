// Package transition keeps the transitions register and the stays in
// temporary housing: who is expected to leave an institution, prison,
// child welfare or temporary housing, who plans it, whether they get a
// safe home, and how long people stay in temporary housing. Seed 002's
// minimum requirement: "Det bør være et minimumskrav i kommunene å ha
// nøyaktig oversikt over hvem som blir utskrevet fra institusjon eller
// fengsel uten å ha tilgang på en trygg og god bolig."
//
// The rules are pure functions here; storage is store.go and stays.go.
package transition

import (
	"errors"
	"strings"
	"time"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

// ErrNotFound is returned for an id that is not in the actor's municipality.
var ErrNotFound = errors.New("transition: not found")

// AftercareAge is the age at which child welfare's aftercare ends: the
// person may get aftercare until they turn 25 (barnevernsloven 2021 § 8-1).
const AftercareAge = 25

// InAftercare reports whether a person born on birth is still within
// aftercare age on the day they leave.
func InAftercare(birth, leaving deadline.Date) bool {
	return birth.IsZero() || leaving.IsZero() || birth.YearsUntil(leaving) < AftercareAge
}

// AlertWeeks are the alerts before the date: 8, 4 and 2 weeks, early
// enough to plan (seed 002: "gode planer når en bruker skal skrives ut").
var AlertWeeks = []int{8, 4, 2}

// Alert is the nearest alert a transition has reached on today: 8, 4 or
// 2 (weeks before the date), or 0 when it is further away or has an
// outcome. A date passed without an outcome stays at 2.
func Alert(leaving deadline.Date, outcome Outcome, today deadline.Date) int {
	if outcome != Open || leaving.IsZero() {
		return 0
	}
	days := today.DaysUntil(leaving)
	alert := 0
	for _, w := range AlertWeeks {
		if days <= 7*w {
			alert = w
		}
	}
	return alert
}

// Transition is one person expected to leave somewhere on a date.
type Transition struct {
	ID         int64         `json:"id"`
	PersonID   int64         `json:"person_id"`
	PersonName string        `json:"person_name"`
	Kind       Kind          `json:"kind"`
	Leaving    deadline.Date `json:"leaving_on"`
	// Institution is the kind of institution, when the first contact or
	// mapping said it; it reveals what the kind does (Expected.Category).
	Institution InstitutionKind `json:"institution_kind,omitempty"`
	// ResponsibleID is the person who answers for the transition, or 0
	// while the unit that received the person does (ResponsibleUnitID).
	ResponsibleID     int64         `json:"responsible_id,omitempty"`
	ResponsibleUnitID int64         `json:"responsible_unit_id,omitempty"`
	ResponsibleName   string        `json:"responsible_name"`
	MeetingOn         deadline.Date `json:"meeting_on,omitzero"`
	MeetingWith       string        `json:"meeting_with,omitempty"`
	Outcome           Outcome       `json:"outcome,omitempty"`
	OutcomeOn         deadline.Date `json:"outcome_on,omitzero"`
	ContactID         int64         `json:"contact_id,omitempty"`
	// Alert is 8, 4 or 2 when the date is that many weeks away or closer.
	Alert int `json:"alert_weeks,omitempty"`
}

// Input is what a user registers.
type Input struct {
	PersonID      int64           `json:"person_id"`
	Kind          Kind            `json:"kind"`
	Institution   InstitutionKind `json:"institution_kind,omitempty"`
	Leaving       deadline.Date   `json:"leaving_on"`
	ResponsibleID int64           `json:"responsible_id"`
	MeetingOn     deadline.Date   `json:"meeting_on,omitzero"`
	MeetingWith   string          `json:"meeting_with,omitempty"`
	ContactID     int64           `json:"contact_id,omitempty"`
}

// Check lists what is wrong with a registration, naming each field.
func (in Input) Check() []invalid.Message {
	var p []invalid.Message
	if in.PersonID <= 0 {
		p = append(p, invalid.F("Person: velg personen overgangen gjelder"))
	}
	if !in.Kind.Valid() {
		p = append(p, invalid.F("Fra: velg institusjon, fengsel, barnevern eller midlertidig botilbud"))
	}
	if in.Leaving.IsZero() {
		p = append(p, invalid.F("Dato: skriv datoen personen skal ut (utskrivningsklar, løslatelse eller flytting)"))
	}
	if !in.Institution.fits(in.Kind) {
		p = append(p, invalid.F("Institusjonstype: fyll den bare ut for institusjon og ettervern fra barnevernet"))
	}
	if in.ResponsibleID <= 0 {
		p = append(p, invalid.F("Ansvarlig: velg hvem som har ansvaret for overgangen"))
	}
	if len([]rune(in.MeetingWith)) > 500 {
		p = append(p, invalid.F("Planleggingsmøte: skriv hvem som deltar med høyst 500 tegn"))
	}
	if !in.MeetingOn.IsZero() && !in.Leaving.IsZero() && in.Leaving.Before(in.MeetingOn) {
		p = append(p, invalid.F("Planleggingsmøte: møtet må være før datoen personen skal ut"))
	}
	return p
}

// Settings are the municipality's limits for temporary housing and home
// visits, each with its source.
type Settings struct {
	// VisitWeeks is how many weeks after moving in the first visit is due.
	VisitWeeks int `json:"visit_weeks"`
	// CheckMonths is how often a periodic home check is due.
	CheckMonths int `json:"check_months"`
	// StayDays is the longest stay in temporary housing before an alert.
	StayDays int `json:"stay_days"`
	// FamilyStayDays is the same for households with children.
	FamilyStayDays int    `json:"family_stay_days"`
	Source         string `json:"source"`
	Custom         bool   `json:"custom"`
}

// DefaultSettings are used until the municipality sets its own.
//   - Temporary housing: three months at most, and no families with
//     children at all, were the national goals of Bolig for velferd
//     (2014–2020); the seeds give no figure. A goal of none cannot
//     alert, so a week is Husly's limit for families until the
//     municipality sets its own.
//   - The visit after moving in: seed 002 (Bergen) says a follow-up
//     visit after moving in gives early insight into neighbours and the
//     home's technical state, without a figure; four weeks is Husly's.
//   - Periodic checks once a year: Husly's choice, no source gives one.
var DefaultSettings = Settings{VisitWeeks: 4, CheckMonths: 12, StayDays: 90, FamilyStayDays: 7,
	Source: "Bolig for velferd 2014–2020: opphold i midlertidig botilbud høyst tre måneder, ingen barnefamilier (uke for barnefamilier er Huslys valg); " +
		"besøk etter innflytting (kilde 002) og årlig kontroll uten tall i kildene"}

// Check lists what is wrong with the settings.
func (s Settings) Check() []invalid.Message {
	var p []invalid.Message
	if s.VisitWeeks < 1 || s.VisitWeeks > 52 {
		p = append(p, invalid.F("Uker til besøk etter innflytting: skriv et helt tall fra 1 til 52"))
	}
	if s.CheckMonths < 1 || s.CheckMonths > 60 {
		p = append(p, invalid.F("Måneder mellom boligkontroller: skriv et helt tall fra 1 til 60"))
	}
	if s.StayDays < 1 || s.StayDays > 3650 {
		p = append(p, invalid.F("Lengste opphold: skriv et antall dager fra 1 til 3650"))
	}
	if s.FamilyStayDays < 1 || s.FamilyStayDays > s.StayDays {
		p = append(p, invalid.F("Lengste opphold for barnefamilier: skriv et antall dager fra 1 og ikke over grensen for andre"))
	}
	if strings.TrimSpace(s.Source) == "" {
		p = append(p, invalid.F("Kilde: skriv hva grensene bygger på"))
	}
	return p
}

// Stay is a stay in temporary housing (sosialtjenesteloven § 27).
type Stay struct {
	ID             int64         `json:"id"`
	PersonID       int64         `json:"person_id"`
	PersonName     string        `json:"person_name"`
	Place          string        `json:"place"`
	Owner          string        `json:"owner"`
	QualityAssured bool          `json:"quality_assured"`
	Start          deadline.Date `json:"start_on"`
	End            deadline.Date `json:"end_on,omitzero"`
	PricePerNight  int           `json:"price_per_night"`
	Children       int           `json:"children"`
	RouteOut       string        `json:"route_out,omitempty"`
	// RouteKind is the kind of the route out, once the stay has ended.
	RouteKind Route `json:"route_kind,omitempty"`
	// TransitionID is the transition out of temporary housing the stay
	// opened in the register (0 when it opened none), and Outcome that
	// transition's outcome.
	TransitionID int64   `json:"transition_id,omitempty"`
	Outcome      Outcome `json:"outcome,omitempty"`
	// Days is the number of nights so far (to the end, or to today).
	Days int `json:"days"`
	// Long says the stay is over the limit for its household.
	Long bool `json:"long"`
}

// Nights is the number of nights a stay has lasted on today: from its
// start to its end, or to today while it goes on.
func Nights(start, end, today deadline.Date) int {
	to := end
	if to.IsZero() || today.Before(to) {
		to = today
	}
	if to.Before(start) {
		return 0
	}
	return start.DaysUntil(to)
}

// Limit is the longest stay before an alert for a household: lower for
// families with children.
func (s Settings) Limit(children int) int {
	if children > 0 {
		return s.FamilyStayDays
	}
	return s.StayDays
}

// Judge fills in a stay's days and whether it is long.
func (s Settings) Judge(st Stay, today deadline.Date) Stay {
	st.Days = Nights(st.Start, st.End, today)
	st.Long = st.Days > s.Limit(st.Children)
	return st
}

// StayInput is what a user registers about a stay.
type StayInput struct {
	PersonID       int64         `json:"person_id"`
	Place          string        `json:"place"`
	Owner          string        `json:"owner"`
	QualityAssured bool          `json:"quality_assured"`
	Start          deadline.Date `json:"start_on"`
	End            deadline.Date `json:"end_on,omitzero"`
	PricePerNight  int           `json:"price_per_night"`
	Children       int           `json:"children"`
	RouteOut       string        `json:"route_out,omitempty"`
}

// Check lists what is wrong with a stay, naming each field.
func (in StayInput) Check() []invalid.Message {
	var p []invalid.Message
	if in.PersonID <= 0 {
		p = append(p, invalid.F("Person: velg personen som bor i det midlertidige botilbudet"))
	}
	if t := strings.TrimSpace(in.Place); t == "" || len([]rune(t)) > 200 {
		p = append(p, invalid.F("Sted: skriv navnet på botilbudet (høyst 200 tegn)"))
	}
	if t := strings.TrimSpace(in.Owner); t == "" || len([]rune(t)) > 200 {
		p = append(p, invalid.F("Eier: skriv hvem som eier eller driver botilbudet (høyst 200 tegn)"))
	}
	if in.Start.IsZero() {
		p = append(p, invalid.F("Fra: skriv datoen oppholdet begynte"))
	}
	if !in.End.IsZero() && !in.Start.IsZero() && in.End.Before(in.Start) {
		p = append(p, invalid.F("Til: sluttdatoen kan ikke være før startdatoen"))
	}
	if in.PricePerNight < 0 {
		p = append(p, invalid.F("Pris per døgn: prisen kan ikke være negativ"))
	}
	if in.Children < 0 || in.Children > 20 {
		p = append(p, invalid.F("Barn i husstanden: skriv et antall fra 0 til 20"))
	}
	if len([]rune(in.RouteOut)) > 500 {
		p = append(p, invalid.F("Vei ut: skriv med høyst 500 tegn"))
	}
	return p
}

// MonthDays are the nights in temporary housing in one month.
type MonthDays struct {
	Month  string `json:"month"` // 2026-04
	Nights int    `json:"nights"`
	// Families is the part of the nights spent by households with children.
	Families int `json:"family_nights"`
}

// ByMonth splits stays into nights per month, for the months that hold
// from through to, counting each night in the month it begins.
func ByMonth(stays []Stay, from, to, today deadline.Date) []MonthDays {
	var out []MonthDays
	index := map[string]int{}
	for t := time.Date(from.Year, from.Month, 1, 12, 0, 0, 0, time.UTC); !to.Before(deadline.Of(t.Year(), t.Month(), 1)); t = t.AddDate(0, 1, 0) {
		key := t.Format("2006-01")
		index[key] = len(out)
		out = append(out, MonthDays{Month: key})
	}
	for _, s := range stays {
		d := s.Start
		for n := Nights(s.Start, s.End, today); n > 0; n-- {
			if i, ok := index[d.String()[:7]]; ok {
				out[i].Nights++
				if s.Children > 0 {
					out[i].Families++
				}
			}
			d = d.AddDays(1)
		}
	}
	return out
}
