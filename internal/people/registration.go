package people

import (
	"context"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Registering a person by identity number cannot answer the same for a
// known and an unknown number while walk-ins are registered at once: a new
// number is registered (201), a number held for someone the user may not
// see is sent for checking (202). So each registration says whether a
// number is known. That answer is made to cost something: it needs the
// identity number's category, every "sent for checking" is recorded, and a
// user gets at most the municipality's daily limit of them, after which
// registration by number is closed to them until midnight and their leader
// is told (personvernforordningen art. 5 nr. 1 bokstav c og f, art. 25 og
// art. 32). docs/privacy.md states what a user can learn.

// DefaultRegistrationCheckLimit is the daily limit a new municipality gets
// (the column's default in the migration).
const DefaultRegistrationCheckLimit = 3

// ErrNoNumberCategory refuses registration by number to a role whose row
// in the access matrix lacks the identity number.
var ErrNoNumberCategory = invalid.RefuseAs(access.ErrForbidden, invalid.F("å registrere en person med fødselsnummer krever tilgang til datakategorien fødselsnummer, og rollen din har den ikke"))

// ErrRegistrationLimit refuses registration by number for the rest of the
// day once the user has had the day's limit of "sent for checking".
var ErrRegistrationLimit = invalid.Refuse(invalid.F("du har nådd dagens grense for registreringer som er sendt til kontroll, og kan ikke registrere flere personer med fødselsnummer i dag. Lederen din er varslet. Be en kollega registrere personen, eller prøv igjen i morgen"))

// A count belongs to the Oslo calendar day (deadline.On).

// RegistrationCheckLimit is the municipality's daily limit.
func RegistrationCheckLimit(ctx context.Context, q store.Queryer, municipalityID int64) (int, error) {
	var limit int
	err := q.QueryRowContext(ctx, "SELECT registration_check_limit FROM municipalities WHERE id = ?", municipalityID).Scan(&limit)
	return limit, err
}

// SetRegistrationCheckLimit changes the daily limit: administrators only,
// 1 to 20 (0 would stop every walk-in registration that meets a known
// number; more than 20 would let a user sweep the register), in the audit
// chain.
func SetRegistrationCheckLimit(ctx context.Context, q store.Queryer, a access.Actor, limit int) error {
	if a.Role != access.Admin {
		return access.ErrForbidden
	}
	if limit < 1 || limit > 20 {
		return invalid.Problem("grensen for registreringer sendt til kontroll må være mellom 1 og 20 per dag, fikk %d", limit)
	}
	before, err := RegistrationCheckLimit(ctx, q, a.MunicipalityID)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE municipalities SET registration_check_limit = ? WHERE id = ?", limit, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "kommune", EntityID: a.MunicipalityID,
		Before: map[string]int{"registration_check_limit": before}, After: map[string]int{"registration_check_limit": limit}})
}

// mayRegisterByNumber checks the actor's matrix row for the identity
// number and the day's count, and locks the count's row for the rest of
// the transaction (UPDATE ... RETURNING), so parallel registrations by
// the same user are decided one after another and none passes the limit.
func mayRegisterByNumber(ctx context.Context, q store.Queryer, a access.Actor) error {
	var granted int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_matrix WHERE municipality_id = ? AND role = ? AND category = ?",
		a.MunicipalityID, string(a.MatrixRole()), string(access.IDNumber)).Scan(&granted); err != nil {
		return err
	}
	if granted == 0 {
		return ErrNoNumberCategory
	}
	today := deadline.On(time.Now())
	if _, err := q.ExecContext(ctx, `INSERT INTO registration_limits (municipality_id, user_id, day, checks) VALUES (?, ?, ?, 0)
		ON CONFLICT (user_id, day) DO NOTHING`, a.MunicipalityID, a.UserID, today); err != nil {
		return err
	}
	var checks, limit int
	if err := q.QueryRowContext(ctx, `UPDATE registration_limits SET checks = checks WHERE user_id = ? AND day = ?
		RETURNING checks, (SELECT registration_check_limit FROM municipalities WHERE id = ?)`, a.UserID, today, a.MunicipalityID).Scan(&checks, &limit); err != nil {
		return err
	}
	if checks >= limit {
		return ErrRegistrationLimit
	}
	return nil
}

// countCheck counts one "sent for checking" answer. The one that reaches
// the limit routes a notice to the user's leader (or the auditor) and
// writes it to the audit chain, naming the user and the count, never the
// number or the person tried.
func countCheck(ctx context.Context, q store.Queryer, a access.Actor) error {
	today := deadline.On(time.Now())
	var checks, limit int
	if err := q.QueryRowContext(ctx, `UPDATE registration_limits SET checks = checks + 1 WHERE user_id = ? AND day = ?
		RETURNING checks, (SELECT registration_check_limit FROM municipalities WHERE id = ?)`, a.UserID, today, a.MunicipalityID).Scan(&checks, &limit); err != nil {
		return err
	}
	switch {
	case checks > limit: // only if the row was not locked first; refuse rather than answer
		return ErrRegistrationLimit
	case checks < limit:
		return ErrSentForChecking
	}
	reviewUnit, err := access.ReviewUnitFor(ctx, q, a)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE registration_limits SET reached_at = ?, review_unit_id = ? WHERE user_id = ? AND day = ?",
		store.TimeArg(time.Now()), nullableID(reviewUnit), a.UserID, today); err != nil {
		return err
	}
	if err := audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "grense for registreringer til kontroll nådd",
		Entity: "bruker", EntityID: a.UserID, After: map[string]any{"day": today, "checks": checks, "limit": limit, "review_unit_id": reviewUnit}}); err != nil {
		return err
	}
	return ErrSentForChecking
}

// RegistrationLimitEvent is one user who reached the day's limit, as the
// leader or auditor told about it sees it.
type RegistrationLimitEvent struct {
	UserID     int64         `json:"user_id"`
	UserName   string        `json:"user_name"`
	OrgUnit    string        `json:"org_unit,omitempty"`
	Day        deadline.Date `json:"day"`
	Checks     int           `json:"checks"`
	Reached    time.Time     `json:"reached_at"`
	ReviewUnit string        `json:"review_unit_name,omitempty"`
}

// RegistrationLimitEvents lists, newest first, the users who reached the
// limit: for a unit leader those routed to their unit (never themselves),
// for an auditor all of the municipality's.
func RegistrationLimitEvents(ctx context.Context, q store.Queryer, a access.Actor, limit int) ([]RegistrationLimitEvent, error) {
	cond, args := "l.municipality_id = ? AND l.reached_at IS NOT NULL", []any{a.MunicipalityID}
	switch a.Role {
	case access.UnitLeader:
		cond += " AND l.review_unit_id = ? AND l.user_id <> ?"
		args = append(args, a.OrgUnitID, a.UserID)
	case access.Auditor:
	default:
		return nil, access.ErrForbidden
	}
	rows, err := q.QueryContext(ctx, `SELECT l.user_id, u.full_name, COALESCE(o.name, ''), l.day, l.checks, l.reached_at, COALESCE(ro.name, '')
		FROM registration_limits l JOIN users u ON u.id = l.user_id LEFT JOIN org_units o ON o.id = u.org_unit_id LEFT JOIN org_units ro ON ro.id = l.review_unit_id
		WHERE `+cond+" ORDER BY l.reached_at DESC, l.user_id LIMIT ?", append(args, limit)...)
	return store.Collect(rows, err, func(r store.Scanner) (e RegistrationLimitEvent, err error) {
		err = r.Scan(&e.UserID, &e.UserName, &e.OrgUnit, &e.Day, &e.Checks, store.ScanTime(&e.Reached), &e.ReviewUnit)
		return e, err
	})
}
