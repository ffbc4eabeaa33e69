package caseflow

import (
	"context"
	"database/sql"
	"errors"
	"time"
	"unicode"
	"unicode/utf8"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// An application is the case: it moves through these statuses, and the
// leaders' overview counts cases by them.
var Statuses = choices("case.status", string(StatusReceived), string(StatusInProgress), string(StatusGranted), string(StatusOffered), string(StatusAllocated), string(StatusLease), string(StatusReview), string(StatusRefused))

// StatusLabel is a status's name in bokmål, from the catalogue.
func StatusLabel(code Status) string { return labelOr(Statuses, string(code)) }

// open reports whether a case in status still needs a decision.
func undecided(status Status) bool { return status == StatusReceived || status == StatusInProgress }

// ErrNotFound is returned for a case, or a part of one, that does not exist
// in the actor's municipality.
var ErrNotFound = errors.New("saken finnes ikke")

// caseRef is what every action on a case needs to know about it.
type caseRef struct {
	ID, PersonID int64
	Kind         ApplicationKind
	Status       Status
	Received     deadline.Date
	grant        access.Grant
}

// openCase finds a case in the actor's municipality and checks that the
// actor may see its person's housing needs; writers must also be allowed
// to change data.
func openCase(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, write bool) (caseRef, error) {
	var c caseRef
	err := q.QueryRowContext(ctx, "SELECT id, person_id, kind, status, received_on FROM applications WHERE municipality_id = ? AND id = ?",
		a.MunicipalityID, applicationID).Scan(&c.ID, &c.PersonID, &c.Kind, &c.Status, &c.Received)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, err
	}
	if write && !a.Writes() {
		return c, access.ErrForbidden
	}
	c.grant, err = allows(ctx, q, a, c.PersonID, access.HousingNeeds)
	return c, err
}

// setStatus moves a case to a new phase and starts the phase clock.
func setStatus(ctx context.Context, q store.Queryer, applicationID int64, status Status) error {
	_, err := q.ExecContext(ctx, "UPDATE applications SET status = ?, phase_since = ? WHERE id = ?", status, store.TimeArg(time.Now()), applicationID)
	return err
}

// Case is everything about one application, for the case page.
type Case struct {
	Application  Application   `json:"application"`
	Requests     []Request     `json:"requests"`
	Meetings     []Meeting     `json:"meetings"`
	Alternatives []Alternative `json:"alternatives"`
	Interim      []Interim     `json:"interim_services"`
	// Guidance is advice and guidance given without a decision
	// (sosialtjenesteloven § 17).
	Guidance    []Guidance     `json:"guidance"`
	Decisions   []Decision     `json:"decisions"`
	Offers      []Offer        `json:"offers"`
	Appeals     []Appeal       `json:"appeals"`
	Leases      []CaseLease    `json:"leases"`
	Letters     []LetterRecord `json:"letters"`
	Attachments []Attachment   `json:"attachments"`
}

// Current is the decision in force, or nil.
func (c Case) Current() *Decision {
	if len(c.Decisions) == 0 {
		return nil
	}
	return &c.Decisions[0]
}

// OpenOffer is the offer awaiting an answer, or nil.
func (c Case) OpenOffer() *Offer {
	for i := range c.Offers {
		if c.Offers[i].Status == OfferPending {
			return &c.Offers[i]
		}
	}
	return nil
}

// AcceptedOffer is the accepted offer without a lease yet, or nil.
func (c Case) AcceptedOffer() *Offer {
	if len(c.Leases) > 0 {
		return nil
	}
	for i := range c.Offers {
		if c.Offers[i].Status == OfferAccepted {
			return &c.Offers[i]
		}
	}
	return nil
}

// Load reads a whole case for the actor and logs the read of the person's
// housing needs.
func Load(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, today deadline.Date, channel string) (Case, error) {
	rd := access.NewReader(q, a, channel)
	c, err := load(ctx, rd, applicationID, today)
	if err != nil {
		return Case{}, err
	}
	return c, rd.Send(ctx, &c)
}

// load reads a whole case; the caller sends it through the reader.
func load(ctx context.Context, rd *access.Reader, applicationID int64, today deadline.Date) (Case, error) {
	ref, err := openCase(ctx, rd.Q(), rd.Actor(), applicationID, false)
	if err != nil {
		return Case{}, err
	}
	cases, err := loadCases(ctx, rd, ref.PersonID, applicationID, today)
	if err != nil {
		return Case{}, err
	}
	if len(cases) == 0 {
		return Case{}, ErrNotFound
	}
	return cases[0], nil
}

// loadCases reads the whole cases of one person (only the case only, when
// it is not 0), newest first, with one query per part for all of them
// together rather than per case, so a person with many cases costs what
// one with a single case does. The person is authorized once, through the
// reader; the caller sends the cases.
func loadCases(ctx context.Context, rd *access.Reader, personID, only int64, today deadline.Date) ([]Case, error) {
	q, a := rd.Q(), rd.Actor()
	g, err := rd.Authorize(ctx, personID)
	if err != nil {
		return nil, err
	}
	if !g.Allows(access.HousingNeeds) {
		return nil, access.ErrForbidden
	}
	query, args := "SELECT "+applicationColumns+" WHERE a.municipality_id = ? AND a.person_id = ?", []any{a.MunicipalityID, personID}
	if only != 0 {
		query, args = query+" AND a.id = ?", append(args, only)
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY a.id DESC", args...)
	apps, err := store.Collect(rows, err, scanApplication(today))
	if err != nil || len(apps) == 0 {
		return []Case{}, err
	}
	ids := make([]int64, len(apps))
	for i, app := range apps {
		ids[i] = app.ID
	}
	m := a.MunicipalityID
	reqs, err := requests(ctx, q, m, ids, today)
	if err != nil {
		return nil, err
	}
	meets, err := meetings(ctx, q, m, ids)
	if err != nil {
		return nil, err
	}
	alts, err := alternatives(ctx, q, m, ids)
	if err != nil {
		return nil, err
	}
	interim, guid, err := followUpsOf(ctx, q, m, ids, today)
	if err != nil {
		return nil, err
	}
	decs, err := decisionsOf(ctx, q, m, ids)
	if err != nil {
		return nil, err
	}
	offs, err := offersOf(ctx, q, m, ids)
	if err != nil {
		return nil, err
	}
	apps2, err := appealsOf(ctx, q, m, ids)
	if err != nil {
		return nil, err
	}
	leases, err := caseLeasesOf(ctx, q, m, ids, today)
	if err != nil {
		return nil, err
	}
	letters, err := letterRecords(ctx, q, m, ids)
	if err != nil {
		return nil, err
	}
	atts, err := caseAttachmentsOf(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Case, len(apps))
	for i, app := range apps {
		id := app.ID
		out[i] = Case{Application: app, Requests: store.Of(reqs, id), Meetings: store.Of(meets, id), Alternatives: store.Of(alts, id),
			Guidance: store.Of(guid, id), Interim: store.Of(interim, id), Decisions: store.Of(decs, id), Offers: store.Of(offs, id), Appeals: store.Of(apps2, id),
			Leases: store.Of(leases, id), Letters: store.Of(letters, id), Attachments: store.Of(atts, id)}
	}
	return out, rd.Plain(personID, access.Basic, access.HousingNeeds)
}

// parsedOrZero reads a date column read as text, or "" for none.
func parsedOrZero(s string) deadline.Date {
	d, _ := deadline.Parse(s) // "" and only "" fails: the column holds dates
	return d
}

// orDefault is an optional date, or the fallback when it was left out.
func orDefault(d, fallback deadline.Date) deadline.Date {
	if d.IsZero() {
		return fallback
	}
	return d
}

// PersonCases loads every case of a person the actor may see the housing
// needs of, newest first, for the person's own copy of their data.
func PersonCases(ctx context.Context, q store.Queryer, a access.Actor, personID int64, today deadline.Date, channel string) ([]Case, error) {
	rd := access.NewReader(q, a, channel)
	out, err := loadCases(ctx, rd, personID, 0, today)
	if errors.Is(err, access.ErrForbidden) {
		return []Case{}, nil
	}
	if err != nil {
		return nil, err
	}
	return out, rd.Send(ctx, &out)
}

// SummaryIn tells a case in a heading and plain lines, for the person's
// copy, in w's language (dossier.case.* and the names of the codes).
func (c Case) SummaryIn(w personaldata.Words) (string, []string) {
	app := c.Application
	heading := w.T("dossier.case.heading", app.ID, w.Code("case.kind", app.Kind))
	lines := []string{w.T("dossier.case.received", w.Date(app.Received), w.Code("case.status", app.Status))}
	for _, r := range c.Requests {
		lines = append(lines, w.T("dossier.case.request", w.Date(r.RequestedOn), r.What))
	}
	for _, m := range c.Meetings {
		lines = append(lines, w.T("dossier.case.meeting", w.Date(m.HeldOn), m.Participants, m.Summary))
	}
	for _, d := range c.Decisions {
		lines = append(lines, w.T("dossier.case.decision", d.Version, w.Date(d.DecidedOn), w.Code("case.outcome", d.Outcome), d.Reasons))
	}
	for _, o := range c.Offers {
		lines = append(lines, w.T("dossier.case.offer", o.UnitAddress, w.Date(o.OfferedOn), lowerFirst(w.Code("case.offer_status", o.Status))))
	}
	for _, x := range c.Appeals {
		lines = append(lines, w.T("dossier.case.appeal", w.Date(x.ReceivedOn), w.Code("case.appeal_status", x.Status)))
	}
	for _, l := range c.Leases {
		lines = append(lines, w.T("dossier.case.lease", l.UnitAddress, w.Date(l.Start), w.Date(l.End)))
	}
	return heading, lines
}

// lowerFirst writes a label inside a sentence: its first letter small.
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}
