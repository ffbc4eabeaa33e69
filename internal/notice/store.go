package notice

import (
	"context"
	"database/sql"
	"time"

	"husly/internal/access"
	"husly/internal/invalid"
	"husly/internal/phrase"
	"husly/internal/store"
)

// Send stores notices in the caller's transaction, so a notice exists
// exactly when what it tells of does.
func Send(ctx context.Context, q store.Queryer, ins ...Input) error {
	now := store.TimeArg(time.Now())
	for _, in := range ins {
		if err := Check(in); err != nil {
			return err
		}
		stored, err := phrase.Encode([]phrase.Phrase{in.Message})
		if err != nil {
			return err
		}
		var lease any
		if in.LeaseID != 0 {
			lease = in.LeaseID
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO unit_notices (municipality_id, org_unit_id, recipient, person_id, lease_id, source, source_id, category,
			basis, phrase, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.MunicipalityID, in.OrgUnitID, string(in.Recipient), in.PersonID, lease,
			string(in.Source), in.SourceID, string(in.Category), in.Basis, stored, now); err != nil {
			return err
		}
	}
	return nil
}

// NAVUnits are the municipality's NAV offices (org units of kind nav).
func NAVUnits(ctx context.Context, q store.Queryer, municipalityID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT id FROM org_units WHERE municipality_id = ? AND kind = 'nav' ORDER BY id", municipalityID)
	return store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
}

// FollowUpUnits are the units of the teams following a person: every team
// with a follow-up that has not ended (internal/followup).
func FollowUpUnits(ctx context.Context, q store.Queryer, municipalityID, personID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT t.org_unit_id FROM followups f JOIN followup_teams t ON t.id = f.team_id
		WHERE f.municipality_id = ? AND f.person_id = ? AND f.status <> 'avsluttet' ORDER BY t.org_unit_id`, municipalityID, personID)
	return store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
}

// receives reports whether the actor reads a unit's notices: staff who
// work in a unit. Planners, administrators and auditors see no notice.
func receives(a access.Actor) bool { return a.Writes() && a.OrgUnitID != 0 }

// Inbox reads the unread notices to the actor's unit, newest first, at
// most limit. A notice is shown only when the actor's role's row in the
// municipality's matrix includes its category (a unit leader without
// finances does not see an arrears notice) and the person's processing is
// not restricted (GDPR art. 18). Every person shown is logged with the
// categories the notices carry, under access.ByNotice.
func Inbox(ctx context.Context, rd *access.Reader, limit int) ([]access.Personal[Notice], error) {
	a := rd.Actor()
	if !receives(a) {
		return nil, nil
	}
	q := rd.Q()
	rows, err := q.QueryContext(ctx, `SELECT n.id, n.recipient, n.person_id, p.first_name || ' ' || p.last_name, n.lease_id, n.source, n.category, n.basis,
		n.phrase, n.created_at FROM unit_notices n JOIN persons p ON p.id = n.person_id
		WHERE n.municipality_id = ? AND n.org_unit_id = ? AND n.read_at IS NULL AND p.restricted = ?
		AND EXISTS (SELECT 1 FROM access_matrix m WHERE m.municipality_id = n.municipality_id AND m.role = ? AND m.category = n.category)
		ORDER BY n.id DESC LIMIT ?`, a.MunicipalityID, a.OrgUnitID, false, string(a.MatrixRole()), limit)
	ns, err := store.Collect(rows, err, func(s store.Scanner) (n Notice, err error) {
		var lease sql.NullInt64
		var stored string
		if err = s.Scan(&n.ID, &n.Recipient, &n.PersonID, &n.PersonName, &lease, &n.Source, &n.Category, &n.Basis, &stored, store.ScanTime(&n.At)); err != nil {
			return n, err
		}
		n.LeaseID = lease.Int64
		ps, err := phrase.Decode(stored)
		if len(ps) > 0 {
			n.Phrase = ps[0]
		}
		return n, err
	})
	if err != nil {
		return nil, err
	}
	cats := map[int64]access.CategorySet{}
	var order []int64
	for _, n := range ns {
		if _, seen := cats[n.PersonID]; !seen {
			order = append(order, n.PersonID)
		}
		cats[n.PersonID] |= access.SetOf(n.Category)
	}
	for _, id := range order {
		rd.Notified(cats[id], id)
	}
	out := make([]access.Personal[Notice], len(ns))
	for i, n := range ns {
		out[i] = access.Tag(n.PersonID, n, access.Basic, n.Category)
	}
	return out, rd.Send(ctx, &out)
}

// ErrNotFound is a notice that is not to the actor's unit or already read.
var ErrNotFound = invalid.Problem("varselet finnes ikke, eller er allerede lest")

// MarkRead marks a notice to the actor's unit as read, by whom and when:
// it leaves the unit's start page.
func MarkRead(ctx context.Context, q store.Queryer, a access.Actor, id int64) error {
	if !receives(a) {
		return access.ErrForbidden
	}
	res, err := q.ExecContext(ctx, "UPDATE unit_notices SET read_at = ?, read_by = ? WHERE municipality_id = ? AND org_unit_id = ? AND id = ? AND read_at IS NULL",
		store.TimeArg(time.Now()), a.Label(), a.MunicipalityID, a.OrgUnitID, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}
