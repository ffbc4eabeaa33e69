package people

import (
	"context"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/store"
	"husly/internal/writtenform"
)

// SetWrittenForm records the written form a person wants their letters in
// (bokmål or nynorsk; "" leaves it to the municipality's form). Staff who
// may write and open the person set it, and the resident sets their own
// on Min side. An unknown form is refused and nothing is stored.
func SetWrittenForm(ctx context.Context, q store.Queryer, a access.Actor, personID int64, form string) error {
	f, err := writtenform.ParseForm(form)
	if err != nil {
		return err
	}
	own := a.Role == access.Resident && a.PersonID == personID
	if !own {
		if !a.Writes() {
			return access.ErrForbidden
		}
		if _, err := access.Authorize(ctx, q, a, personID); err != nil {
			return err
		}
	}
	var before string
	if err := q.QueryRowContext(ctx, "SELECT written_form FROM persons WHERE municipality_id = ? AND id = ?", a.MunicipalityID, personID).Scan(&before); err != nil {
		return access.ErrUnknownPerson
	}
	if _, err := q.ExecContext(ctx, "UPDATE persons SET written_form = ?, updated_at = ? WHERE municipality_id = ? AND id = ?",
		string(f), store.TimeArg(time.Now()), a.MunicipalityID, personID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre skriftspråk", Entity: "person",
		EntityID: personID, Before: map[string]string{"written_form": before}, After: map[string]string{"written_form": string(f)}})
}

// alsoScan scans a row's further columns after the ones its caller names:
// the person's columns and then the written form, from one row.
type alsoScan struct {
	row   store.Scanner
	extra []any
}

func (s alsoScan) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra...)...) }
