package allocation

import (
	"context"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Inter-municipal cooperation: a municipality offers units to a partner
// under an agreement, and while it runs, a vacant unit appears in the
// partner's round, marked with its owner. The tenancy stays the owner's:
// the partner agrees the allocation with them.

// Agreement is one unit offered to a partner for a period.
type Agreement struct {
	ID          int64         `json:"id"`
	Owner       string        `json:"owner_municipality"`
	Partner     string        `json:"partner_municipality"`
	UnitID      int64         `json:"unit_id"`
	UnitCode    string        `json:"unit_code"`
	UnitAddress string        `json:"unit_address"`
	ValidFrom   deadline.Date `json:"valid_from"`
	ValidTo     deadline.Date `json:"valid_to,omitzero"`
	Note        string        `json:"note"`
	CreatedBy   string        `json:"created_by"`
}

// AgreementInput names the partner by municipality number and the unit by
// its code.
type AgreementInput struct {
	Partner   string        `json:"partner_municipality_number"`
	UnitCode  string        `json:"unit_code"`
	ValidFrom deadline.Date `json:"valid_from,omitzero"` // empty: today
	ValidTo   deadline.Date `json:"valid_to,omitzero"`   // empty: until ended
	Note      string        `json:"note"`
}

// OfferToPartner records an agreement (administrators, unit leaders and
// property staff of the owner).
func OfferToPartner(ctx context.Context, q store.Queryer, a access.Actor, in AgreementInput, today deadline.Date) (Agreement, error) {
	if a.Role != access.Admin && a.Role != access.UnitLeader && a.Role != access.Property {
		return Agreement{}, access.ErrForbidden
	}
	var problems []invalid.Message
	from := today
	if !in.ValidFrom.IsZero() {
		from = in.ValidFrom
	}
	var to deadline.Date
	if d := in.ValidTo; !d.IsZero() {
		switch {
		case d.Before(from):
			problems = append(problems, invalid.F("avtalen kan ikke slutte før den begynner"))
		default:
			to = d
		}
	}
	var partnerID int64
	var partnerName string
	if err := q.QueryRowContext(ctx, "SELECT id, name FROM municipalities WHERE number = ?", strings.TrimSpace(in.Partner)).Scan(&partnerID, &partnerName); err != nil {
		problems = append(problems, invalid.F("fant ingen kommune med nummer «%s» i Husly", in.Partner))
	} else if partnerID == a.MunicipalityID {
		problems = append(problems, invalid.F("en kommune kan ikke inngå avtale med seg selv"))
	}
	var unit housing.Unit
	var unitID int64
	if err := q.QueryRowContext(ctx, "SELECT id FROM units WHERE municipality_id = ? AND code = ?", a.MunicipalityID, strings.TrimSpace(in.UnitCode)).Scan(&unitID); err != nil {
		problems = append(problems, invalid.F("fant ingen bolig med koden «%s» i kommunen", in.UnitCode))
	} else if unit, err = housing.GetUnit(ctx, q, a.MunicipalityID, unitID); err != nil {
		return Agreement{}, err
	}
	if len([]rune(in.Note)) > 1000 {
		problems = append(problems, invalid.F("merknaden kan ha høyst 1000 tegn"))
	}
	if len(problems) > 0 {
		return Agreement{}, &InputError{problems}
	}
	x := Agreement{Partner: partnerName, UnitID: unit.ID, UnitCode: unit.Code, UnitAddress: unit.Address, ValidFrom: from, ValidTo: to, Note: strings.TrimSpace(in.Note), CreatedBy: a.Name}
	id, err := store.InsertID(ctx, q, `INSERT INTO unit_agreements (municipality_id, partner_municipality_id, unit_id, valid_from, valid_to, note, created_by, created_by_id,
		created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, partnerID, unit.ID, x.ValidFrom, x.ValidTo, x.Note, a.Name, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return Agreement{}, err
	}
	x.ID = id
	return x, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "tilby til samarbeidskommune", Entity: "bolig", EntityID: unit.ID, After: x})
}

// Agreements lists the agreements the municipality is party to, as owner
// or as partner, newest first.
func Agreements(ctx context.Context, q store.Queryer, a access.Actor) ([]Agreement, error) {
	if a.Role == access.Resident {
		return nil, access.ErrForbidden
	}
	rows, err := q.QueryContext(ctx, `SELECT g.id, o.name, p.name, g.unit_id, u.code, u.address, g.valid_from, g.valid_to, g.note, g.created_by
		FROM unit_agreements g JOIN municipalities o ON o.id = g.municipality_id JOIN municipalities p ON p.id = g.partner_municipality_id
		JOIN units u ON u.id = g.unit_id WHERE g.municipality_id = ? OR g.partner_municipality_id = ? ORDER BY g.id DESC`, a.MunicipalityID, a.MunicipalityID)
	return store.Collect(rows, err, func(s store.Scanner) (x Agreement, err error) {
		err = s.Scan(&x.ID, &x.Owner, &x.Partner, &x.UnitID, &x.UnitCode, &x.UnitAddress, &x.ValidFrom, &x.ValidTo, &x.Note, &x.CreatedBy)
		return x, err
	})
}

// shared lists the vacant units partners offer the municipality today.
func shared(ctx context.Context, q store.Queryer, municipalityID int64, today deadline.Date) ([]Vacancy, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.municipality_id, g.unit_id, o.name FROM unit_agreements g JOIN municipalities o ON o.id = g.municipality_id
		JOIN units u ON u.id = g.unit_id WHERE g.partner_municipality_id = ? AND u.status = 'ledig' AND g.valid_from <= ? AND (g.valid_to IS NULL OR g.valid_to >= ?)
		ORDER BY g.id`, municipalityID, today.String(), today.String())
	type row struct {
		owner, unit int64
		name        string
	}
	found, err := store.Collect(rows, err, func(s store.Scanner) (r row, err error) { return r, s.Scan(&r.owner, &r.unit, &r.name) })
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(found))
	for i, r := range found {
		ids[i] = r.unit
	}
	// The agreement's composite key ties each unit to its owner.
	units, err := housing.UnitsIn(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	var out []Vacancy
	for _, r := range found {
		out = append(out, Vacancy{Unit: units[r.unit], SharedBy: r.name})
	}
	return out, nil
}
