package caseflow

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/phrase"
	"husly/internal/store"
	"husly/internal/transition"
)

// Channels are the doors a first contact comes through.
var Channels = choices("case.channel", string(FromNAV), string(FromHousingOffice), string(FromOutreach), string(FromPeerWorker), string(FromGP),
	string(FromSpecialistCare), string(FromCorrections), string(FromChildWelfare), string(FromSelf))

// ChannelLabel is a channel's name in bokmål, from the catalogue.
func ChannelLabel(code ContactChannel) string { return labelOr(Channels, string(code)) }

// ResidenceLabel is a residence's name in bokmål, from the catalogue (the
// code itself when it is none of Residences).
func ResidenceLabel(r Residence) string {
	for _, x := range Residences {
		if x.Code == r {
			return i18n.Label("nb", "case.residence", string(r))
		}
	}
	return string(r)
}

// ValidationError lists what is wrong with an input.
type ValidationError = invalid.Error

// Contact is a first contact (henvendelse) with the situation at the time.
type Contact struct {
	ID             int64          `json:"id"`
	PersonID       int64          `json:"person_id"`
	Received       deadline.Date  `json:"received_on"`
	Channel        ContactChannel `json:"channel"`
	Residence      Residence      `json:"residence"`
	Leaving        deadline.Date  `json:"leaving_on,omitzero"`
	HomeWaiting    bool           `json:"home_waiting"`
	Homeless       bool           `json:"homeless"`
	HomelessReason string         `json:"homeless_reason"`
	// HomelessSaid is the reason as a phrase, written in the reader's
	// language; a contact registered before phrases has none.
	HomelessSaid phrase.Phrase `json:"homeless_reason_phrase,omitzero"`
	Summary      string        `json:"summary"`
	RegisteredBy string        `json:"registered_by"`
	OrgUnit      string        `json:"org_unit_name"`
	// Expected is the transition ahead the contact said: shown only to a
	// viewer whose grant holds what it reveals (Expected.Category; a
	// treatment institution is health).
	Expected transition.Expected `json:"expected_transition,omitzero"`
}

// Speak writes the homelessness reason in the reader's language
// (phrase.Speaker).
func (c *Contact) Speak(write func(phrase.Phrase) string) {
	if !c.HomelessSaid.IsZero() {
		c.HomelessReason = write(c.HomelessSaid)
	}
}

// ContactInput is what a user records at first contact.
type ContactInput struct {
	Received    deadline.Date  `json:"received_on,omitzero"` // YYYY-MM-DD; empty means today
	Channel     ContactChannel `json:"channel"`
	Residence   Residence      `json:"residence"`
	Leaving     deadline.Date  `json:"leaving_on,omitzero"` // release or discharge, for prison and institutions
	HomeWaiting bool           `json:"home_waiting"`
	Summary     string         `json:"summary"`
	// Transition says the person is expected to leave an institution,
	// prison, child welfare's aftercare or temporary housing on Leaving;
	// the register is fed from it. A person living in temporary housing
	// is expected to leave it without saying so.
	Transition  transition.Kind            `json:"transition_kind,omitempty"`
	Institution transition.InstitutionKind `json:"institution_kind,omitempty"`
}

// allows opens the person for the actor and checks one category.
func allows(ctx context.Context, q store.Queryer, a access.Actor, personID int64, c access.Category) (access.Grant, error) {
	g, err := access.Authorize(ctx, q, a, personID)
	if err != nil {
		return g, err
	}
	if !g.Allows(c) {
		return g, access.ErrForbidden
	}
	return g, nil
}

// RegisterContact records a first contact and judges, from the situation
// then, whether the person was homeless.
func RegisterContact(ctx context.Context, q store.Queryer, a access.Actor, personID int64, in ContactInput, today deadline.Date) (Contact, error) {
	if !a.Writes() {
		return Contact{}, access.ErrForbidden
	}
	return registerContact(ctx, q, a, personID, in, today)
}

// expected is what a first contact says about a transition ahead. Living
// in temporary housing is one (sosialtjenesteloven § 27 housing is meant
// to be short), so the register knows of it unasked.
func (in ContactInput) expected() transition.Expected {
	e := transition.Expected{Kind: in.Transition, Institution: in.Institution, Leaving: in.Leaving}
	if e.Kind == "" && e.Institution == "" && in.Residence == Temporary {
		e.Kind = transition.Temporary
	}
	return e
}

// registerContact records a first contact for whoever the caller has
// checked may: staff, or the resident sending their own application.
func registerContact(ctx context.Context, q store.Queryer, a access.Actor, personID int64, in ContactInput, today deadline.Date) (Contact, error) {
	var problems []invalid.Message
	received := today
	if d := in.Received; !d.IsZero() {
		if today.Before(d) {
			problems = append(problems, invalid.F("mottatt-datoen kan ikke være fram i tid"))
		} else {
			received = d
		}
	}
	if _, err := ParseContactChannel(string(in.Channel)); err != nil {
		problems = append(problems, invalid.Problems(err)...)
	}
	if ResidenceLabel(in.Residence) == string(in.Residence) {
		problems = append(problems, invalid.F("velg bosituasjonen nå"))
	}
	s := Situation{Residence: in.Residence, HomeWaiting: in.HomeWaiting}
	s.Leaving = in.Leaving
	if utf8.RuneCountInString(in.Summary) > 4000 {
		problems = append(problems, invalid.F("sammendraget kan ha høyst 4000 tegn"))
	}
	// The resident's own application says where they live, not what the
	// register plans: staff feed the register.
	var exp transition.Expected
	if a.Role != access.Resident {
		exp = in.expected()
		problems = append(problems, exp.Check()...)
	}
	if len(problems) > 0 {
		return Contact{}, &ValidationError{Problems: problems}
	}
	if _, err := allows(ctx, q, a, personID, access.HousingNeeds); err != nil {
		return Contact{}, err
	}
	if err := transition.CheckFeed(ctx, q, a, personID, exp); err != nil {
		return Contact{}, err
	}
	homeless, reason, said := Homelessness(s, received)
	c := Contact{PersonID: personID, Received: received, Channel: in.Channel, Residence: in.Residence, HomeWaiting: in.HomeWaiting,
		Homeless: homeless, HomelessReason: reason, HomelessSaid: said, Summary: strings.TrimSpace(in.Summary), RegisteredBy: a.Name, OrgUnit: a.OrgUnitName,
		Expected: exp}
	stored, err := phrase.Encode([]phrase.Phrase{said})
	if err != nil {
		return Contact{}, err
	}
	var leaving any
	if s.Leaving != (deadline.Date{}) {
		c.Leaving, leaving = s.Leaving, s.Leaving.String()
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO contacts (municipality_id, person_id, received_on, channel, residence, leaving_on, home_waiting,
		homeless, homeless_reason, homeless_phrase, summary, registered_by, registered_by_id, org_unit_name, created_at, transition_kind, institution_kind)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, personID, c.Received, c.Channel, string(c.Residence), leaving, c.HomeWaiting, c.Homeless, c.HomelessReason, stored,
		c.Summary, c.RegisteredBy, a.UserRef(), c.OrgUnit, store.TimeArg(time.Now()), string(exp.Kind), string(exp.Institution))
	if err != nil {
		return Contact{}, err
	}
	c.ID = id
	// The register is fed in the same transaction (seed 002's minimum
	// requirement): one transition per person and kind, updated, never doubled.
	if _, err := transition.Feed(ctx, q, a, personID, exp, transition.Source{ContactID: id, On: received}); err != nil {
		return Contact{}, err
	}
	return c, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer", Entity: "henvendelse", EntityID: id, After: c})
}

// Contacts lists a person's first contacts, newest first, and logs the read.
func Contacts(ctx context.Context, q store.Queryer, a access.Actor, personID int64, channel string) ([]Contact, error) {
	rd := access.NewReader(q, a, channel)
	cs, err := ReadContacts(ctx, rd, personID)
	if err != nil || len(cs) == 0 {
		return cs, err
	}
	return cs, rd.Send(ctx, &cs)
}

// ReadContacts is Contacts through a caller's reader, for a page that
// reads several parts of a person and sends them once.
func ReadContacts(ctx context.Context, rd *access.Reader, personID int64) ([]Contact, error) {
	q, a := rd.Q(), rd.Actor()
	if err := readerAllows(ctx, rd, personID, access.HousingNeeds); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, person_id, received_on, channel, residence, leaving_on, home_waiting, homeless, homeless_reason,
		homeless_phrase, summary, registered_by, org_unit_name, transition_kind, institution_kind
		FROM contacts WHERE municipality_id = ? AND person_id = ? ORDER BY received_on DESC, id DESC`, a.MunicipalityID, personID)
	cs, err := store.Collect(rows, err, func(r store.Scanner) (c Contact, err error) {
		var said string
		if err = r.Scan(&c.ID, &c.PersonID, &c.Received, &c.Channel, &c.Residence, &c.Leaving, &c.HomeWaiting,
			&c.Homeless, &c.HomelessReason, &said, &c.Summary, &c.RegisteredBy, &c.OrgUnit, &c.Expected.Kind, &c.Expected.Institution); err != nil {
			return c, err
		}
		if !c.Expected.None() {
			c.Expected.Leaving = c.Leaving
		}
		ps, err := phrase.Decode(said)
		if len(ps) > 0 {
			c.HomelessSaid = ps[0]
		}
		return c, err
	})
	if err != nil || len(cs) == 0 {
		return cs, err
	}
	// A transition ahead is cut to the grant by what it reveals, and the
	// log names what was sent.
	g, err := rd.Authorize(ctx, personID)
	if err != nil {
		return nil, err
	}
	sent := []access.Category{access.HousingNeeds}
	for i := range cs {
		switch e := cs[i].Expected; {
		case e.None():
		case g.Allows(e.Category()):
			sent = append(sent, e.Category())
		default:
			cs[i].Expected = transition.Expected{}
		}
	}
	return cs, rd.Plain(personID, sent...)
}

// Mapping is the mapping (kartlegging) of a person: needs, and their own
// goals and wishes in their own words and as structured choices that
// allocation can match on.
type Mapping struct {
	ID             int64  `json:"id,omitempty"`
	HousingNeed    string `json:"housing_need"`
	ServiceNeed    string `json:"service_need"`
	Finances       string `json:"finances"`
	Functioning    string `json:"functioning"`
	Network        string `json:"network"`
	ShareNetwork   bool   `json:"share_network"`
	Goals          string `json:"goals"`
	WantDistricts  string `json:"want_districts"`
	AvoidDistricts string `json:"avoid_districts"`
	LiveWith       string `json:"live_with"`
	Pets           bool   `json:"pets"`
	SmokeFree      bool   `json:"smoke_free"`
	GroundFloor    bool   `json:"ground_floor"`
	Wheelchair     bool   `json:"wheelchair"`
	NearNetwork    bool   `json:"near_network"`
	// NetworkDistricts is where family and friends live; recorded only when
	// the person wants the network registered.
	NetworkDistricts string `json:"network_districts"`
	// ActivityWishes: meaningful activity and wishes for work (seed 002,
	// "Arbeid først"); follow-up plan.
	ActivityWishes string `json:"activity_wishes"`
	// SomaticHealth: bodily health needs the home and follow-up must meet;
	// health, a special category (personvernforordningen art. 9).
	SomaticHealth string `json:"somatic_health"`
	// ChildrenSchool: the children's school and kindergarten, which a move
	// should keep (household).
	ChildrenSchool string `json:"children_school"`
	// MovingNeeds: furniture and practical needs for moving in.
	MovingNeeds string `json:"moving_needs"`
	// HomeForm: the wish for a scattered home ("spredt") or a small house
	// ("smahus"): most "ønsker å bo selvstendig, i spredte boliger i helt
	// vanlige bomiljø" (seed 002).
	HomeForm string `json:"home_form"`
	// The transition ahead the mapping found (institution with the day the
	// person is ready for discharge, prison with the release date, child
	// welfare's aftercare, temporary housing), feeding the register. It is
	// guarded by what it reveals (transition.Expected.Category), not by a
	// part's category.
	TransitionKind  transition.Kind            `json:"transition_kind,omitempty"`
	InstitutionKind transition.InstitutionKind `json:"institution_kind,omitempty"`
	TransitionOn    deadline.Date              `json:"transition_on,omitzero"`
	WrittenBy       string                     `json:"written_by,omitempty"`
	OrgUnit         string                     `json:"org_unit_name,omitempty"`
	Written         time.Time                  `json:"written_at,omitzero"`
}

// The parts of a mapping by the category that guards them.
func (m *Mapping) keep(c access.Category, from Mapping) {
	switch c {
	case access.HousingNeeds:
		m.HousingNeed, m.Goals, m.WantDistricts, m.AvoidDistricts, m.LiveWith = from.HousingNeed, from.Goals, from.WantDistricts, from.AvoidDistricts, from.LiveWith
		m.Pets, m.SmokeFree, m.GroundFloor, m.Wheelchair, m.NearNetwork = from.Pets, from.SmokeFree, from.GroundFloor, from.Wheelchair, from.NearNetwork
		m.MovingNeeds, m.HomeForm = from.MovingNeeds, from.HomeForm
	case access.FollowUpPlan:
		m.ServiceNeed, m.Functioning, m.ActivityWishes = from.ServiceNeed, from.Functioning, from.ActivityWishes
	case access.Finances:
		m.Finances = from.Finances
	case access.Household:
		m.Network, m.ShareNetwork, m.NetworkDistricts, m.ChildrenSchool = from.Network, from.ShareNetwork, from.NetworkDistricts, from.ChildrenSchool
	case access.Health:
		m.SomaticHealth = from.SomaticHealth
	}
}

// expected is the transition ahead the mapping says.
func (m Mapping) expected() transition.Expected {
	return transition.Expected{Kind: m.TransitionKind, Institution: m.InstitutionKind, Leaving: m.TransitionOn}
}

// setExpected puts e in the mapping.
func (m *Mapping) setExpected(e transition.Expected) {
	m.TransitionKind, m.InstitutionKind, m.TransitionOn = e.Kind, e.Institution, e.Leaving
}

// holds reports whether the mapping has anything in the parts category c
// guards.
func (m Mapping) holds(c access.Category) bool {
	empty := m
	empty.keep(c, Mapping{})
	return empty != m
}

var mappingCategories = []access.Category{access.HousingNeeds, access.FollowUpPlan, access.Finances, access.Household, access.Health}

// HomeForms are the kinds of home a person may wish for besides the
// housing type: scattered in ordinary neighbourhoods, or a small house.
var HomeForms = choices("lawb.map.homeform", "spredt", "smahus")

// SaveMapping stores a new version of the mapping. Parts the actor may not
// see are carried over from the previous version, never wiped; the network
// is recorded only when the person wants it shared.
func SaveMapping(ctx context.Context, q store.Queryer, a access.Actor, personID int64, m Mapping) (Mapping, error) {
	if !a.Writes() {
		return Mapping{}, access.ErrForbidden
	}
	var problems []invalid.Message
	if m.LiveWith == "" {
		m.LiveWith = "alene"
	}
	if m.LiveWith != "alene" && m.LiveWith != "med_andre" {
		problems = append(problems, invalid.F(`«bo sammen med» må være "alene" eller "med_andre"`))
	}
	if (strings.TrimSpace(m.Network) != "" || strings.TrimSpace(m.NetworkDistricts) != "") && !m.ShareNetwork {
		problems = append(problems, invalid.F("nettverket registreres bare når personen ønsker det: kryss av for samtykke til å registrere nettverk"))
	}
	if m.HomeForm != "" && !Has(HomeForms, m.HomeForm) {
		problems = append(problems, invalid.F(`ønsket boform må være "spredt" (spredt bolig), "smahus" (småhus) eller tom`))
	}
	for _, f := range []string{m.HousingNeed, m.ServiceNeed, m.Finances, m.Functioning, m.Network, m.Goals, m.ActivityWishes, m.SomaticHealth, m.ChildrenSchool, m.MovingNeeds} {
		if utf8.RuneCountInString(f) > 4000 {
			problems = append(problems, invalid.F("hvert felt kan ha høyst 4000 tegn"))
			break
		}
	}
	problems = append(problems, m.expected().Check()...)
	if len(problems) > 0 {
		return Mapping{}, &ValidationError{Problems: problems}
	}
	g, err := access.Authorize(ctx, q, a, personID)
	if err != nil {
		return Mapping{}, err
	}
	before, err := latest(ctx, q, a.MunicipalityID, personID)
	if err != nil {
		return Mapping{}, err
	}
	for _, c := range mappingCategories {
		if !g.Allows(c) {
			m.keep(c, before)
		}
	}
	// A transition ahead the actor may not see is carried over, as the
	// parts are; one they write is checked (the aftercare age) and feeds
	// the register below.
	if prev := before.expected(); !prev.None() && !g.Allows(prev.Category()) {
		m.setExpected(prev)
	}
	feed := m.expected() != before.expected()
	if feed {
		if err := transition.CheckFeed(ctx, q, a, personID, m.expected()); err != nil {
			return Mapping{}, err
		}
	}
	m.WrittenBy, m.OrgUnit = a.Name, a.OrgUnitName
	id, err := store.InsertID(ctx, q, `INSERT INTO mappings (municipality_id, person_id, housing_need, service_need, finances, functioning, network,
		share_network, goals, want_districts, avoid_districts, live_with, pets, smoke_free, ground_floor, wheelchair, near_network, written_by,
		written_by_id, org_unit_name, created_at, network_districts, activity_wishes, somatic_health, children_school, moving_needs, home_form,
		transition_kind, institution_kind, transition_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, personID, m.HousingNeed, m.ServiceNeed, m.Finances, m.Functioning, m.Network, m.ShareNetwork, m.Goals,
		m.WantDistricts, m.AvoidDistricts, m.LiveWith, m.Pets, m.SmokeFree, m.GroundFloor, m.Wheelchair, m.NearNetwork, m.WrittenBy,
		a.UserRef(), m.OrgUnit, store.TimeArg(time.Now()), m.NetworkDistricts, m.ActivityWishes, m.SomaticHealth, m.ChildrenSchool, m.MovingNeeds, m.HomeForm,
		string(m.TransitionKind), string(m.InstitutionKind), dateArg(m.TransitionOn))
	if err != nil {
		return Mapping{}, err
	}
	m.ID = id
	// Only a changed expectation feeds the register: saving the mapping
	// again must not reopen a transition that has had its outcome.
	if feed {
		if _, err := transition.Feed(ctx, q, a, personID, m.expected(), transition.Source{On: deadline.On(time.Now())}); err != nil {
			return Mapping{}, err
		}
	}
	if err := audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "kartlegg", Entity: "kartlegging",
		EntityID: id, Before: before, After: m}); err != nil {
		return Mapping{}, err
	}
	return visible(m, g), nil
}

func latest(ctx context.Context, q store.Queryer, municipalityID, personID int64) (Mapping, error) {
	var m Mapping
	err := q.QueryRowContext(ctx, `SELECT id, housing_need, service_need, finances, functioning, network, share_network, goals, want_districts,
		avoid_districts, live_with, pets, smoke_free, ground_floor, wheelchair, near_network, written_by, org_unit_name, created_at, network_districts,
		activity_wishes, somatic_health, children_school, moving_needs, home_form, transition_kind, institution_kind, transition_on
		FROM mappings WHERE municipality_id = ? AND person_id = ? ORDER BY id DESC LIMIT 1`, municipalityID, personID).
		Scan(&m.ID, &m.HousingNeed, &m.ServiceNeed, &m.Finances, &m.Functioning, &m.Network, &m.ShareNetwork, &m.Goals, &m.WantDistricts,
			&m.AvoidDistricts, &m.LiveWith, &m.Pets, &m.SmokeFree, &m.GroundFloor, &m.Wheelchair, &m.NearNetwork, &m.WrittenBy, &m.OrgUnit,
			store.ScanTime(&m.Written), &m.NetworkDistricts, &m.ActivityWishes, &m.SomaticHealth, &m.ChildrenSchool, &m.MovingNeeds, &m.HomeForm,
			&m.TransitionKind, &m.InstitutionKind, &m.TransitionOn)
	if errors.Is(err, sql.ErrNoRows) {
		return Mapping{LiveWith: "alene"}, nil
	}
	return m, err
}

// visible blanks the parts of a mapping the grant does not include.
func visible(m Mapping, g access.Grant) Mapping {
	var empty Mapping
	empty.LiveWith = ""
	for _, c := range mappingCategories {
		if !g.Allows(c) {
			m.keep(c, empty)
		}
	}
	if e := m.expected(); !e.None() && !g.Allows(e.Category()) {
		m.setExpected(transition.Expected{})
	}
	return m
}

// LatestMapping gives the current mapping as far as the actor may see it,
// and logs the categories read. A person not yet mapped gives an empty
// mapping with ID 0.
func LatestMapping(ctx context.Context, q store.Queryer, a access.Actor, personID int64, channel string) (Mapping, error) {
	rd := access.NewReader(q, a, channel)
	m, err := ReadLatestMapping(ctx, rd, personID)
	if err != nil || m.ID == 0 {
		return m, err
	}
	return m, rd.Send(ctx, &m)
}

// ReadLatestMapping is LatestMapping through a caller's reader.
func ReadLatestMapping(ctx context.Context, rd *access.Reader, personID int64) (Mapping, error) {
	q, a := rd.Q(), rd.Actor()
	g, err := rd.Authorize(ctx, personID)
	if err != nil {
		return Mapping{}, err
	}
	m, err := latest(ctx, q, a.MunicipalityID, personID)
	if err != nil || m.ID == 0 {
		return m, err
	}
	var read []access.Category
	for _, c := range mappingCategories {
		if g.Allows(c) {
			read = append(read, c)
		}
	}
	if len(read) == 0 {
		return Mapping{}, access.ErrForbidden
	}
	// The parts are cut to the grant by the category that guards each, and
	// the log names the categories of the parts that hold something.
	m = visible(m, g)
	var sent []access.Category
	for _, c := range read {
		if m.holds(c) {
			sent = append(sent, c)
		}
	}
	if e := m.expected(); !e.None() {
		sent = append(sent, e.Category())
	}
	if err := rd.Plain(personID, sent...); err != nil {
		return Mapping{}, err
	}
	return m, nil
}

// dateArg is a date for a nullable column: NULL when not given.
func dateArg(d deadline.Date) any {
	if d.IsZero() {
		return nil
	}
	return d
}
