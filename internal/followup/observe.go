package followup

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// ObservationKind is what a caretaker or property worker has seen.
type ObservationKind string

const (
	Worry     ObservationKind = "bekymring"
	Damage    ObservationKind = "skade"
	Neighbour ObservationKind = "nabo" // neighbour trouble
	Other     ObservationKind = "annet"
)

// ObservationKinds lists the kinds in the order the form offers them.
var ObservationKinds = []ObservationKind{Worry, Damage, Neighbour, Other}

// Valid reports whether k is a known kind.
func (k ObservationKind) Valid() bool {
	return k == Worry || k == Damage || k == Neighbour || k == Other
}

// Observation is something property staff saw in a home or of a resident
// and passed to the follow-up team ("vaktmestre ser mye", seed 003). It
// is tenancy data: the reporter sees what they wrote and the team's
// reply that it is handled, and nothing of the follow-up itself.
type Observation struct {
	ID         int64           `json:"id"`
	PersonID   int64           `json:"person_id"`
	PersonName string          `json:"person_name"`
	Kind       ObservationKind `json:"kind"`
	Body       string          `json:"body"`
	ReportedOn deadline.Date   `json:"reported_on"`
	ReportedBy string          `json:"reported_by"`
	HandledOn  deadline.Date   `json:"handled_on,omitzero"`
	HandledBy  string          `json:"handled_by,omitempty"`
	Reply      string          `json:"reply,omitempty"`
}

// ObservationInput is what property staff pass on.
type ObservationInput struct {
	PersonID int64           `json:"person_id"`
	Kind     ObservationKind `json:"kind"`
	Body     string          `json:"body"`
}

// Observe records an observation from property staff or a caretaker
// about a resident they know through the tenancy.
func Observe(ctx context.Context, q store.Queryer, a access.Actor, in ObservationInput, today deadline.Date) (int64, error) {
	if !a.Writes() {
		return 0, access.ErrForbidden
	}
	in.Body = strings.TrimSpace(in.Body)
	var p []invalid.Message
	if !in.Kind.Valid() {
		p = append(p, invalid.F("velg hva det gjelder (bekymring, skade, nabo eller annet)"))
	}
	if in.Body == "" || len([]rune(in.Body)) > 1000 {
		p = append(p, invalid.F("skriv kort hva du har sett (høyst 1000 tegn)"))
	}
	if in.PersonID <= 0 {
		p = append(p, invalid.F("velg beboeren det gjelder"))
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	g, err := access.Authorize(ctx, q, a, in.PersonID)
	if err != nil {
		return 0, err
	}
	if !g.Allows(access.Tenancy) {
		return 0, access.ErrForbidden
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO followup_observations (municipality_id, person_id, kind, body, reported_on, reported_by, reported_by_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, in.PersonID, string(in.Kind), in.Body, today, a.Name, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "observasjon", EntityID: id,
		After: map[string]any{"person_id": in.PersonID, "kind": in.Kind}})
}

// Handle records the team's reply that an observation is handled. The
// reply goes back to property staff, so it says what was done, never
// anything of the resident's health.
func Handle(ctx context.Context, q store.Queryer, a access.Actor, id int64, reply string, today deadline.Date) error {
	if a.Role != access.FollowUp && a.Role != access.UnitLeader {
		return access.ErrForbidden
	}
	var person int64
	var handled deadline.Date
	err := q.QueryRowContext(ctx, "SELECT person_id, handled_on FROM followup_observations WHERE id = ? AND municipality_id = ?", id, a.MunicipalityID).Scan(&person, &handled)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if _, err := mayWrite(ctx, q, a, person); err != nil {
		return err
	}
	reply = strings.TrimSpace(reply)
	var p []invalid.Message
	if reply == "" || len([]rune(reply)) > 500 {
		p = append(p, invalid.F("skriv et kort svar til den som meldte (høyst 500 tegn, ingen helseopplysninger)"))
	}
	if !handled.IsZero() {
		p = append(p, invalid.F("observasjonen er allerede behandlet"))
	}
	if err := bad(p); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE followup_observations SET handled_on = ?, handled_by = ?, reply = ? WHERE id = ? AND municipality_id = ?",
		today, a.Name, reply, id, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "behandlet", Entity: "observasjon", EntityID: id})
}

// Observations lists observations for the reader: property staff see the
// ones they reported; follow-up staff those about residents their teams
// follow (all of the municipality's for a leader), open ones first.
func Observations(ctx context.Context, rd *access.Reader, limit int) ([]access.Personal[Observation], error) {
	a := rd.Actor()
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var cond string
	args := []any{a.MunicipalityID}
	switch a.Role {
	case access.Property, access.CaseWorker:
		cond, args = " AND o.reported_by_id = ?", append(args, a.UserID)
	case access.FollowUp:
		cond, args = ` AND o.person_id IN (SELECT f.person_id FROM followups f JOIN followup_members m ON m.team_id = f.team_id
			WHERE m.user_id = ? AND f.status <> 'avsluttet')`, append(args, a.UserID)
	case access.UnitLeader:
	default:
		return nil, access.ErrForbidden
	}
	rows, err := rd.Q().QueryContext(ctx, `SELECT o.id, o.person_id, p.first_name || ' ' || p.last_name, o.kind, o.body, o.reported_on, o.reported_by, o.handled_on,
		o.handled_by, o.reply FROM followup_observations o JOIN persons p ON p.id = o.person_id WHERE o.municipality_id = ?`+cond+`
		ORDER BY o.handled_on IS NOT NULL, o.reported_on DESC, o.id DESC LIMIT ?`, append(args, limit)...)
	list, err := store.Collect(rows, err, func(s store.Scanner) (o Observation, err error) {
		err = s.Scan(&o.ID, &o.PersonID, &o.PersonName, &o.Kind, &o.Body, &o.ReportedOn, &o.ReportedBy, &o.HandledOn, &o.HandledBy, &o.Reply)
		return o, err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, o := range list {
		ids[i] = o.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, err
	}
	out := make([]access.Personal[Observation], len(list))
	for i, o := range list {
		out[i] = access.Tag(o.PersonID, o, access.Basic, access.Tenancy)
	}
	return out, rd.Send(ctx, &out)
}

// Tenants lists the residents property staff may report about: those
// their unit has a role in force for (as landlord), by name only.
func Tenants(ctx context.Context, rd *access.Reader) ([]access.Personal[Candidate], error) {
	a := rd.Actor()
	if a.Role != access.Property {
		return nil, access.ErrForbidden
	}
	rows, err := rd.Q().QueryContext(ctx, `SELECT DISTINCT p.id, p.first_name || ' ' || p.last_name, p.last_name, p.first_name FROM case_units c JOIN persons p ON p.id = c.person_id
		WHERE c.municipality_id = ? AND c.org_unit_id = ? AND c.ended_at IS NULL ORDER BY p.last_name, p.first_name, p.id LIMIT 500`, a.MunicipalityID, a.OrgUnitID)
	list, err := store.Collect(rows, err, func(s store.Scanner) (c Candidate, err error) {
		var last, first string
		err = s.Scan(&c.PersonID, &c.PersonName, &last, &first)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, err
	}
	out := make([]access.Personal[Candidate], len(list))
	for i, c := range list {
		out[i] = access.Tag(c.PersonID, c, access.Basic)
	}
	return out, rd.Send(ctx, &out)
}
