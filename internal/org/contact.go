package org

import (
	"context"
	"database/sql"
	"errors"

	"husly/internal/store"
)

// Contact is how a resident reaches the staff handling their case: the
// staff member's work e-mail and title, and the unit's phone and e-mail.
// Only work addresses, never anything private.
type Contact struct {
	UserID    int64  `json:"user_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Title     string `json:"title,omitempty"`
	Email     string `json:"email,omitempty"`
	Unit      string `json:"unit"`
	UnitPhone string `json:"unit_phone,omitempty"`
	UnitEmail string `json:"unit_email,omitempty"`
}

// StaffContacts reads the contacts of the given staff members of one
// municipality in one query, by user id.
func StaffContacts(ctx context.Context, q store.Queryer, municipalityID int64, userIDs []int64) (map[int64]Contact, error) {
	out := map[int64]Contact{}
	if len(userIDs) == 0 {
		return out, nil
	}
	in, args := store.In(userIDs)
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.full_name, u.title, u.email, COALESCE(o.name, ''), COALESCE(o.phone, ''), COALESCE(o.email, '')
		FROM users u LEFT JOIN org_units o ON o.id = u.org_unit_id AND o.municipality_id = u.municipality_id
		WHERE u.municipality_id = ? AND u.id IN `+in, append([]any{municipalityID}, args...)...)
	list, err := store.Collect(rows, err, func(r store.Scanner) (c Contact, err error) {
		err = r.Scan(&c.UserID, &c.Name, &c.Title, &c.Email, &c.Unit, &c.UnitPhone, &c.UnitEmail)
		return c, err
	})
	for _, c := range list {
		out[c.UserID] = c
	}
	return out, err
}

// HousingOffice is the contact of the municipality's housing office (the
// first unit of kind boligkontor), for a case no one has taken yet; the
// zero Contact when the municipality has none.
func HousingOffice(ctx context.Context, q store.Queryer, municipalityID int64) (Contact, error) {
	return firstOfKind(ctx, q, municipalityID, KindHousingOffice)
}

// NAVOffice is the contact of the municipality's NAV office, which finds
// emergency housing (sosialtjenesteloven § 27).
func NAVOffice(ctx context.Context, q store.Queryer, municipalityID int64) (Contact, error) {
	return firstOfKind(ctx, q, municipalityID, KindNAV)
}

func firstOfKind(ctx context.Context, q store.Queryer, municipalityID int64, kind UnitKind) (Contact, error) {
	var c Contact
	err := q.QueryRowContext(ctx, `SELECT name, phone, email FROM org_units WHERE municipality_id = ? AND kind = ? ORDER BY id LIMIT 1`,
		municipalityID, kind).Scan(&c.Unit, &c.UnitPhone, &c.UnitEmail)
	if errors.Is(err, sql.ErrNoRows) {
		return Contact{}, nil
	}
	return c, err
}
