package people

import (
	"context"
	"fmt"
	"io"

	"husly/internal/access"
	"husly/internal/store"
	"husly/internal/tabular"
)

// The import and export columns: a contract other tools depend on, written
// down in docs/import-export.md.
var (
	requiredColumns = []string{"fodselsnummer", "fornavn", "etternavn"}
	columns         = []string{"fodselsnummer", "fornavn", "etternavn", "telefon", "epost", "adresse",
		"postnummer", "poststed", "husstand", "relasjon", "enhet"}
)

// Columns lists every column of the persons file, required ones first.
func Columns() []string { return columns }

// Export writes every person of the municipality, header first, in the
// import's columns, so that an export imports again unchanged.
// Only the operator's command line exports the whole register, and every
// exported person is logged as read, on the basis "drift".
func Export(ctx context.Context, q store.Queryer, a access.Actor, w io.Writer, format tabular.Format) error {
	municipalityID := a.MunicipalityID
	if a.Role != access.Operator {
		return access.ErrForbidden
	}
	tw, err := tabular.NewWriter(w, format, columns)
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.identity_enc, p.first_name, p.last_name, p.phone, p.email, p.address,
		p.postal_code, p.postal_place, COALESCE(m.household_id, 0), COALESCE(m.relation, '')
		FROM persons p LEFT JOIN household_members m ON m.person_id = p.id
		WHERE p.municipality_id = ? ORDER BY p.id`, municipalityID)
	if err != nil {
		return err
	}
	defer rows.Close()
	rec := make([]string, len(columns))
	var reads []access.Read
	for rows.Next() {
		var household, id int64
		if err := rows.Scan(&id, &rec[0], &rec[1], &rec[2], &rec[3], &rec[4], &rec[5], &rec[6], &rec[7], &household, &rec[9]); err != nil {
			return err
		}
		if rec[0], err = openNumber(q, municipalityID, rec[0]); err != nil {
			return fmt.Errorf("person %d: %w", id, err)
		}
		reads = append(reads, access.Read{PersonID: id, Categories: []access.Category{access.Basic, access.IDNumber, access.Household}, Basis: access.ByOperations})
		rec[8] = ""
		if household != 0 {
			rec[8] = fmt.Sprintf("H%d", household)
		}
		if err := tw.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	for len(reads) > 0 {
		// Log in slices: one statement for tens of thousands of rows is too many parameters.
		n := min(len(reads), 500)
		if err := access.LogReads(ctx, q, a, access.ChannelExport, reads[:n]...); err != nil {
			return err
		}
		reads = reads[n:]
	}
	return tw.Close()
}
