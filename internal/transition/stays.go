package transition

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// stayCategories is what a stay reveals: the housing need, and the
// household when children live with the person.
func stayCategories(s Stay) []access.Category {
	if s.Children > 0 {
		return []access.Category{access.Basic, access.HousingNeeds, access.Household}
	}
	return []access.Category{access.Basic, access.HousingNeeds}
}

// RegisterStay records a stay in temporary housing (sosialtjenesteloven
// § 27) and, in the same transaction, the person's transition out of it
// when they have none open (feedStay). Bad input changes nothing.
func RegisterStay(ctx context.Context, q store.Queryer, a access.Actor, in StayInput) (int64, error) {
	if !plans(a) {
		return 0, access.ErrForbidden
	}
	in.Place, in.Owner, in.RouteOut = strings.TrimSpace(in.Place), strings.TrimSpace(in.Owner), strings.TrimSpace(in.RouteOut)
	if err := bad(in.Check()); err != nil {
		return 0, err
	}
	if err := known(ctx, q, a, in.PersonID); err != nil {
		return 0, err
	}
	var end any
	if !in.End.IsZero() {
		end = in.End
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO temporary_stays (municipality_id, person_id, place, owner, quality_assured, start_on, end_on, price_per_night,
		children, route_out, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, in.PersonID, in.Place, in.Owner, in.QualityAssured,
		in.Start, end, in.PricePerNight, in.Children, in.RouteOut, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	if err := audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "midlertidig opphold", EntityID: id,
		After: map[string]any{"person_id": in.PersonID, "start_on": in.Start}}); err != nil {
		return 0, err
	}
	opened, err := feedStay(ctx, q, a, in, deadline.On(time.Now()))
	if err != nil || opened == 0 {
		return id, err
	}
	// The stay keeps the transition it opened, for EndStay to close.
	_, err = q.ExecContext(ctx, "UPDATE temporary_stays SET transition_id = ? WHERE id = ? AND municipality_id = ?", opened, id, a.MunicipalityID)
	return id, err
}

// feedStay puts a stay going on into the transitions register, in the
// caller's transaction, when the person has no open transition out of
// temporary housing: once per person, so the alerts at 8, 4 and 2 weeks
// and the left-without-a-home report cover every stay (seed 002's
// minimum requirement). The date is the stay's planned end, or the day
// it reaches the limit for its household. A stay that ended before it
// was registered is history and feeds nothing; an open transition the
// person has keeps its own date. It returns the id of the transition it
// opened, 0 when it opened none.
func feedStay(ctx context.Context, q store.Queryer, a access.Actor, in StayInput, today deadline.Date) (int64, error) {
	if !in.End.IsZero() && in.End.Before(today) {
		return 0, nil
	}
	var open int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM transitions WHERE municipality_id = ? AND person_id = ? AND kind = ? AND outcome = ''",
		a.MunicipalityID, in.PersonID, string(Temporary)).Scan(&open); err != nil || open > 0 {
		return 0, err
	}
	leaving := in.End
	if leaving.IsZero() {
		set, err := LoadSettings(ctx, q, a.MunicipalityID)
		if err != nil {
			return 0, err
		}
		leaving = in.Start.AddDays(set.Limit(in.Children))
	}
	return Feed(ctx, q, a, in.PersonID, Expected{Kind: Temporary, Leaving: leaving}, Source{On: in.Start})
}

// EndStay records the end of a stay and the route out: its kind and its
// description. In the same transaction the transition out of temporary
// housing the stay opened (RegisterStay) gets the outcome the route gives
// (Route.Outcome) and the day the person left, so the left-without-a-home
// report counts the stay (seed 002's minimum requirement); an outcome
// already recorded by hand is kept. Bad input changes nothing.
func EndStay(ctx context.Context, q store.Queryer, a access.Actor, id int64, end deadline.Date, route string, kind Route) error {
	if !plans(a) {
		return access.ErrForbidden
	}
	var person, opened int64
	var start, ended deadline.Date
	err := q.QueryRowContext(ctx, "SELECT person_id, start_on, end_on, COALESCE(transition_id, 0) FROM temporary_stays WHERE id = ? AND municipality_id = ?", id, a.MunicipalityID).
		Scan(&person, &start, &ended, &opened)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if _, err := access.Authorize(ctx, q, a, person); err != nil {
		return err
	}
	route = strings.TrimSpace(route)
	var p []invalid.Message
	if end.IsZero() {
		p = append(p, invalid.F("Til: skriv datoen oppholdet sluttet"))
	} else if end.Before(start) {
		p = append(p, invalid.F("Til: sluttdatoen kan ikke være før startdatoen"))
	}
	if !kind.Valid() {
		p = append(p, invalid.F("Vei ut: velg egen bolig, kommunal bolig, annet midlertidig botilbud eller uten bolig"))
	}
	if route == "" || len([]rune(route)) > 500 {
		p = append(p, invalid.F("Vei ut: skriv hvor personen flyttet (høyst 500 tegn)"))
	}
	if err := bad(p); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE temporary_stays SET end_on = ?, route_out = ?, route_kind = ? WHERE id = ? AND municipality_id = ?",
		end, route, string(kind), id, a.MunicipalityID); err != nil {
		return err
	}
	if err := audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "avslutt", Entity: "midlertidig opphold", EntityID: id,
		After: map[string]any{"end_on": end, "route_kind": kind}}); err != nil {
		return err
	}
	return closeOpened(ctx, q, a, opened, end, kind)
}

// closeOpened gives the transition a stay opened the outcome of its route
// out, while it has none: the day the person left becomes its date, and
// the outcome is dated that day, or today when the end is planned ahead.
func closeOpened(ctx context.Context, q store.Queryer, a access.Actor, id int64, end deadline.Date, kind Route) error {
	if id == 0 {
		return nil
	}
	_, outcome, err := owned(ctx, q, a, id)
	if errors.Is(err, ErrNotFound) || err == nil && outcome != Open {
		return nil
	}
	if err != nil {
		return err
	}
	on := end
	if today := deadline.On(time.Now()); today.Before(on) {
		on = today
	}
	o := kind.Outcome()
	if _, err := q.ExecContext(ctx, "UPDATE transitions SET outcome = ?, outcome_on = ?, leaving_on = ? WHERE id = ? AND municipality_id = ?",
		string(o), on, end, id, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "utfall", Entity: "overgang", EntityID: id,
		After: map[string]any{"outcome": o, "leaving_on": end, "route_kind": kind}})
}

const stayColumns = `s.id, s.person_id, p.first_name || ' ' || p.last_name, s.place, s.owner, s.quality_assured, s.start_on, s.end_on, s.price_per_night,
	s.children, s.route_out, s.route_kind, COALESCE(s.transition_id, 0), COALESCE((SELECT t.outcome FROM transitions t WHERE t.id = s.transition_id), '')`

func scanStay(sc store.Scanner) (s Stay, err error) {
	err = sc.Scan(&s.ID, &s.PersonID, &s.PersonName, &s.Place, &s.Owner, &s.QualityAssured, &s.Start, &s.End, &s.PricePerNight, &s.Children, &s.RouteOut,
		&s.RouteKind, &s.TransitionID, &s.Outcome)
	return s, err
}

// Stays lists the stays going on and those ended in the last 90 days,
// longest first, for the persons the actor's unit may see; one query,
// the reads logged.
func Stays(ctx context.Context, rd *access.Reader, set Settings, today deadline.Date, limit int) ([]access.Personal[Stay], error) {
	a := rd.Actor()
	if !a.SeesPersons() {
		return nil, access.ErrForbidden
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	visible, vargs := access.VisibleClause(a)
	rows, err := rd.Q().QueryContext(ctx, `SELECT `+stayColumns+` FROM temporary_stays s JOIN persons p ON p.id = s.person_id
		WHERE s.municipality_id = ? AND (s.end_on IS NULL OR s.end_on >= ?) AND `+visible+`
		ORDER BY s.end_on IS NOT NULL, s.start_on, s.id LIMIT ?`, append(append([]any{a.MunicipalityID, today.AddDays(-90)}, vargs...), limit)...)
	list, err := store.Collect(rows, err, scanStay)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i := range list {
		list[i] = set.Judge(list[i], today)
		ids[i] = list[i].PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, err
	}
	out := make([]access.Personal[Stay], len(list))
	for i, s := range list {
		out[i] = access.Tag(s.PersonID, s, stayCategories(s)...)
	}
	if err := rd.Send(ctx, &out); err != nil {
		return nil, err
	}
	return access.OnlyShown(out), nil
}

// Planning is the days in temporary housing for planning: per month for
// the last twelve months and in total, with the number of long stays.
// Figures only, no person named.
type Planning struct {
	Months      []MonthDays `json:"months"`
	TotalNights int         `json:"total_nights"`
	FamilyNight int         `json:"family_nights"`
	Persons     int         `json:"persons"`
	Going       int         `json:"going_on"`
	Long        int         `json:"long"`
	Cost        int         `json:"cost_kr"`
}

// PlanningFigures reads every stay that touched the last twelve months
// (one query, no names) and counts nights by month.
func PlanningFigures(ctx context.Context, q store.Queryer, a access.Actor, set Settings, today deadline.Date) (Planning, error) {
	if a.Role == access.Resident || a.MunicipalityID == 0 {
		return Planning{}, access.ErrForbidden
	}
	from := WindowStart(today)
	rows, err := q.QueryContext(ctx, `SELECT person_id, start_on, end_on, children, price_per_night FROM temporary_stays
		WHERE municipality_id = ? AND (end_on IS NULL OR end_on >= ?)`, a.MunicipalityID, from)
	type raw struct {
		Stay
		price int
	}
	list, err := store.Collect(rows, err, func(s store.Scanner) (r raw, err error) {
		err = s.Scan(&r.PersonID, &r.Start, &r.End, &r.Children, &r.price)
		return r, err
	})
	if err != nil {
		return Planning{}, err
	}
	stays := make([]Stay, len(list))
	persons := map[int64]bool{}
	var p Planning
	for i, r := range list {
		// Nights before the window do not count in it.
		s := r.Stay
		if s.Start.Before(from) {
			s.Start = from
		}
		stays[i] = s
		persons[r.PersonID] = true
		if r.End.IsZero() || today.Before(r.End) {
			p.Going++
			if set.Judge(r.Stay, today).Long {
				p.Long++
			}
		}
		p.Cost += Nights(s.Start, s.End, today) * r.price
	}
	p.Months = ByMonth(stays, from, today, today)
	for _, m := range p.Months {
		p.TotalNights += m.Nights
		p.FamilyNight += m.Families
	}
	p.Persons = len(persons)
	return p, nil
}

// PersonNights is one person's nights in temporary housing in a period.
type PersonNights struct {
	PersonID   int64  `json:"person_id"`
	PersonName string `json:"person_name"`
	Nights     int    `json:"nights"`
	Stays      int    `json:"stays"`
	// Children says a stay in the period was with children.
	Children bool `json:"children"`
}

// WindowStart is the first day of the planning window: the month a year
// before today's.
func WindowStart(today deadline.Date) deadline.Date {
	if today.Month == time.December {
		return deadline.Of(today.Year, time.January, 1)
	}
	return deadline.Of(today.Year-1, today.Month+1, 1)
}

// NightsPerPerson sums each visible person's nights in temporary housing
// since from, most nights first: one query over the stays of the persons
// the actor's unit may see, summed here; the reads are logged.
func NightsPerPerson(ctx context.Context, rd *access.Reader, from, today deadline.Date, limit int) ([]access.Personal[PersonNights], error) {
	a := rd.Actor()
	if !a.SeesPersons() {
		return nil, access.ErrForbidden
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	visible, vargs := access.VisibleClause(a)
	rows, err := rd.Q().QueryContext(ctx, `SELECT `+stayColumns+` FROM temporary_stays s JOIN persons p ON p.id = s.person_id
		WHERE s.municipality_id = ? AND (s.end_on IS NULL OR s.end_on >= ?) AND `+visible+` ORDER BY s.person_id, s.start_on LIMIT 5000`,
		append([]any{a.MunicipalityID, from}, vargs...)...)
	stays, err := store.Collect(rows, err, scanStay)
	if err != nil {
		return nil, err
	}
	var list []PersonNights
	for _, s := range stays {
		if s.Start.Before(from) {
			s.Start = from
		}
		if len(list) == 0 || list[len(list)-1].PersonID != s.PersonID {
			list = append(list, PersonNights{PersonID: s.PersonID, PersonName: s.PersonName})
		}
		p := &list[len(list)-1]
		p.Nights += Nights(s.Start, s.End, today)
		p.Stays++
		p.Children = p.Children || s.Children > 0
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Nights > list[j].Nights })
	if len(list) > limit {
		list = list[:limit]
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, err
	}
	out := make([]access.Personal[PersonNights], len(list))
	for i, p := range list {
		cats := []access.Category{access.Basic, access.HousingNeeds}
		if p.Children {
			cats = append(cats, access.Household)
		}
		out[i] = access.Tag(p.PersonID, p, cats...)
	}
	if err := rd.Send(ctx, &out); err != nil {
		return nil, err
	}
	return access.OnlyShown(out), nil
}
