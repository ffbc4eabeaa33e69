package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
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

// Import reads persons from r into the municipality in one transaction. If
// any row is bad, nothing is stored and the error is a tabular.Errors with
// one entry per bad line. Rows with the same "husstand" value form one
// household. progress, if set, is called with each line number read.
//
// The optional column "enhet" names the organisational unit that gets a
// role on the person's case; without it nobody can open the imported
// person until a unit is given a role. Every person is recorded in the
// audit chain.
func Import(ctx context.Context, db *store.DB, a access.Actor, r io.Reader, format tabular.Format, progress func(int)) (int, error) {
	municipalityID := a.MunicipalityID
	tr, err := tabular.NewReader(r, format, requiredColumns, columns)
	if err != nil {
		return 0, err
	}
	defer tr.Close()
	imported := 0
	err = db.InTx(ctx, func(tx *store.Tx) error {
		synthetic, err := store.AllowsSyntheticIDs(ctx, tx)
		if err != nil {
			return err
		}
		insert, err := tx.Prepare(ctx, insertPerson)
		if err != nil {
			return err
		}
		defer insert.Close()
		addMember, err := tx.Prepare(ctx, `INSERT INTO household_members (municipality_id, household_id, person_id, first_name, last_name, birth_date, relation)
			VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer addMember.Close()
		exists, err := tx.Prepare(ctx, "SELECT id FROM persons WHERE municipality_id = ? AND identity_number = ?")
		if err != nil {
			return err
		}
		defer exists.Close()
		addRole, err := tx.Prepare(ctx, `INSERT INTO case_units (municipality_id, person_id, org_unit_id, responsibility, started_at)
			VALUES (?, ?, ?, 'import', ?)`)
		if err != nil {
			return err
		}
		defer addRole.Close()
		chain, err := audit.Chain(ctx, tx, municipalityID)
		if err != nil {
			return err
		}
		units := map[string]int64{} // unit name → id
		unitID := func(name string) (int64, error) {
			if id, ok := units[name]; ok {
				return id, nil
			}
			var id int64
			err := tx.QueryRowContext(ctx, "SELECT id FROM org_units WHERE municipality_id = ? AND name = ?", municipalityID, name).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return 0, nil
			}
			units[name] = id
			return id, err
		}
		// identity number (as an integer, to keep the map small) → line, for duplicates in the file
		seen := map[uint64]int32{}
		households := map[string]int64{} // "husstand" key → household id
		now := store.TimeArg(time.Now())
		bad, err := tr.Rows(func(rejected bool) ([]string, error) {
			line := tr.Line()
			if progress != nil {
				progress(line)
			}
			in := Input{IdentityNumber: tr.Get("fodselsnummer"), FirstName: tr.Get("fornavn"), LastName: tr.Get("etternavn"),
				Phone: tr.Get("telefon"), Email: tr.Get("epost"), Address: tr.Get("adresse"),
				PostalCode: tr.Get("postnummer"), PostalPlace: tr.Get("poststed")}
			n, problems := in.Validate(synthetic)
			rel, relErr := ParseRelation(tr.Get("relasjon"))
			if relErr != nil {
				problems = append(problems, relErr.Error())
			}
			var unit int64
			if name := tr.Get("enhet"); name != "" {
				var err error
				if unit, err = unitID(name); err != nil {
					return nil, err
				} else if unit == 0 {
					problems = append(problems, fmt.Sprintf("enheten %q finnes ikke i kommunen", name))
				}
			}
			key, _ := strconv.ParseUint(n.Digits, 10, 64)
			if first, dup := seen[key]; dup && n.Digits != "" {
				problems = append(problems, fmt.Sprintf("fødselsnummeret står også på linje %d", first))
			}
			if len(problems) > 0 {
				return problems, nil
			}
			seen[key] = int32(line)
			const duplicate = "en person med dette fødselsnummeret er allerede registrert"
			var id int64
			if rejected {
				// The import is already rejected: keep finding bad lines, write nothing more.
				err := exists.QueryRowContext(ctx, municipalityID, n.Digits).Scan(&id)
				if err == nil {
					return []string{duplicate}, nil
				}
				if errors.Is(err, sql.ErrNoRows) {
					return nil, nil
				}
				return nil, err
			}
			err := insert.QueryRowContext(ctx, personArgs(municipalityID, in, n, now)...).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return []string{duplicate}, nil
			}
			if err != nil {
				return nil, err
			}
			if err := chain.Append(ctx, auditCreate(a, id, in, n)); err != nil {
				return nil, err
			}
			if unit != 0 {
				if _, err := addRole.ExecContext(ctx, municipalityID, id, unit, now); err != nil {
					return nil, err
				}
			}
			if key := tr.Get("husstand"); key != "" {
				hh, ok := households[key]
				if !ok {
					if hh, err = store.InsertID(ctx, tx, "INSERT INTO households (municipality_id, created_at) VALUES (?, ?)", municipalityID, now); err != nil {
						return nil, err
					}
					households[key] = hh
				}
				if _, err := addMember.ExecContext(ctx, municipalityID, hh, id, in.FirstName, in.LastName, store.DateArg(n.Birth), string(rel)); err != nil {
					return nil, err
				}
			}
			imported++
			return nil, nil
		})
		if err != nil {
			return err
		}
		if len(bad) > 0 {
			return bad
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return imported, nil
}

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
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.identity_number, p.first_name, p.last_name, p.phone, p.email, p.address,
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
