package transition

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Source is where a fed transition comes from: a first contact (its id) or
// a mapping (ContactID 0), and the day it was recorded.
type Source struct {
	ContactID int64
	On        deadline.Date
}

// aftercare checks the age rule of child welfare's aftercare on the day
// the person leaves: it lasts until the person turns 25 (barnevernsloven
// § 8-1).
func aftercare(ctx context.Context, q store.Queryer, municipalityID, personID int64, leaving deadline.Date, field string) error {
	var birth deadline.Date
	if err := q.QueryRowContext(ctx, "SELECT birth_date FROM persons WHERE id = ? AND municipality_id = ?", personID, municipalityID).Scan(&birth); err != nil {
		return err
	}
	if InAftercare(birth, leaving) {
		return nil
	}
	if field == "Fra" {
		return invalid.New(invalid.F("Fra: ettervern fra barnevernet gjelder til fylte 25 år (barnevernsloven § 8-1), og personen er eldre på datoen"))
	}
	return invalid.New(invalid.F("Forventet overgang: ettervern fra barnevernet gjelder til fylte 25 år (barnevernsloven § 8-1), og personen er 25 år eller eldre på datoen for overgangen"))
}

// CheckFeed checks an expectation for a person as Feed will, without
// storing anything: the form's rules and the aftercare age rule. The
// first contact and the mapping ask it before they store their own row.
func CheckFeed(ctx context.Context, q store.Queryer, a access.Actor, personID int64, e Expected) error {
	if e.None() && e.Institution == "" {
		return nil
	}
	if err := bad(e.Check()); err != nil {
		return err
	}
	if e.Kind == ChildWelfare {
		return aftercare(ctx, q, a.MunicipalityID, personID, e.Leaving, "")
	}
	return nil
}

// responsibleFor is who answers for a fed transition, so the alerts at 8,
// 4 and 2 weeks reach them: the case worker of the person's newest
// application, or else the unit that received the person (the actor's).
func responsibleFor(ctx context.Context, q store.Queryer, a access.Actor, personID int64) (user, unit int64, name string, err error) {
	err = q.QueryRowContext(ctx, `SELECT u.id, u.full_name FROM applications p JOIN users u ON u.id = p.case_worker_id AND u.municipality_id = p.municipality_id
		WHERE p.municipality_id = ? AND p.person_id = ? AND u.active = ? ORDER BY p.id DESC LIMIT 1`, a.MunicipalityID, personID, true).Scan(&user, &name)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return user, 0, name, err
	}
	if a.OrgUnitID == 0 {
		// Staff without a unit (the administrator) answer themselves.
		return a.UserID, 0, a.Name, nil
	}
	err = q.QueryRowContext(ctx, "SELECT name FROM org_units WHERE id = ? AND municipality_id = ?", a.OrgUnitID, a.MunicipalityID).Scan(&name)
	return 0, a.OrgUnitID, name, err
}

// Feed puts what a first contact or a mapping says about a transition
// ahead into the register, in the caller's transaction: it updates the
// person's open transition of that kind, or creates one, never a second
// (seed 002: the municipality must know exactly who leaves without a safe
// home, once). Temporary housing without a date is due the day a stay
// there reaches the municipality's limit (Settings.StayDays, Bolig for
// velferd's three months by default). It returns the transition's id, 0
// when nothing was expected. Bad input changes nothing.
func Feed(ctx context.Context, q store.Queryer, a access.Actor, personID int64, e Expected, src Source) (int64, error) {
	if e.None() && e.Institution == "" {
		return 0, nil
	}
	if err := CheckFeed(ctx, q, a, personID, e); err != nil {
		return 0, err
	}
	var contact any
	if src.ContactID > 0 {
		contact = src.ContactID
	}
	var id int64
	var hasUser bool
	err := q.QueryRowContext(ctx, `SELECT id, responsible_id IS NOT NULL FROM transitions WHERE municipality_id = ? AND person_id = ? AND kind = ? AND outcome = ''
		ORDER BY id DESC LIMIT 1`, a.MunicipalityID, personID, string(e.Kind)).Scan(&id, &hasUser)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if e.Leaving.IsZero() {
		// Temporary housing said again without a date keeps its date: the
		// limit runs from when the municipality first knew of the stay.
		if id > 0 {
			if err := q.QueryRowContext(ctx, "SELECT leaving_on FROM transitions WHERE id = ?", id).Scan(&e.Leaving); err != nil {
				return 0, err
			}
		} else {
			set, err := LoadSettings(ctx, q, a.MunicipalityID)
			if err != nil {
				return 0, err
			}
			e.Leaving = src.On.AddDays(set.StayDays)
		}
	}
	user, unit, name, rerr := responsibleFor(ctx, q, a, personID)
	if rerr != nil {
		return 0, rerr
	}
	userArg := func() any {
		if user == 0 {
			return nil
		}
		return user
	}
	unitArg := func() any {
		if unit == 0 {
			return nil
		}
		return unit
	}
	if id > 0 {
		// The same transition, said again: its date and institution
		// change, it stays linked to the contact that first said it; a unit's transition passes to the case worker once the
		// case has one, and one a person answers for stays theirs.
		if _, err := q.ExecContext(ctx, `UPDATE transitions SET leaving_on = ?, institution_kind = ?, contact_id = COALESCE(contact_id, ?)
			WHERE id = ? AND municipality_id = ?`, e.Leaving, string(e.Institution), contact, id, a.MunicipalityID); err != nil {
			return 0, err
		}
		if !hasUser && user > 0 {
			if _, err := q.ExecContext(ctx, "UPDATE transitions SET responsible_id = ?, responsible_unit_id = NULL, responsible_name = ? WHERE id = ? AND municipality_id = ?",
				user, name, id, a.MunicipalityID); err != nil {
				return 0, err
			}
		}
		return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "oppdater", Entity: "overgang", EntityID: id,
			After: map[string]any{"person_id": personID, "leaving_on": e.Leaving, "contact_id": src.ContactID}})
	}
	id, err = store.InsertID(ctx, q, `INSERT INTO transitions (municipality_id, person_id, kind, category, institution_kind, leaving_on, responsible_id, responsible_unit_id,
		responsible_name, meeting_with, contact_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`, a.MunicipalityID, personID, string(e.Kind),
		string(e.Kind.Category()), string(e.Institution), e.Leaving, userArg(), unitArg(), name, contact, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "overgang", EntityID: id,
		After: map[string]any{"person_id": personID, "leaving_on": e.Leaving, "responsible_id": user, "responsible_unit_id": unit, "contact_id": src.ContactID}})
}
