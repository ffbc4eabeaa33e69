package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/tabular"
)

// chunkSize is how many persons one INSERT writes. Statements, not rows,
// are what an import pays for; 1,000 rows × 16 values stays inside both
// engines' parameter limits (SQLite 32,766; PostgreSQL 65,535).
const chunkSize = 1000

// pending is a validated row waiting for its chunk to be written.
type pending struct {
	line      int
	in        Input
	number    identity.Number
	relation  Relation
	household string
	unit      int64
	blind     string // the number's blind index, computed once
}

// Import reads persons from r into the actor's municipality in one
// transaction. If any row is bad, nothing is stored and the error is a
// tabular.Errors with one entry per bad line, in line order. Rows with the
// same "husstand" value form one household. The optional column "enhet"
// names the organisational unit that gets a role on the person's case;
// without it nobody can open the imported person until a unit is given a
// role. Every person created is in the audit chain, one entry per chunk.
// progress, if set, is called with each line number read.
func Import(ctx context.Context, db *store.DB, a access.Actor, r io.Reader, format tabular.Format, progress func(int)) (int, error) {
	tr, err := tabular.NewReader(r, format, requiredColumns, columns)
	if err != nil {
		return 0, err
	}
	defer tr.Close() //nolint:errcheck // reading: closing loses nothing
	imported := 0
	err = db.InTx(ctx, func(tx *store.Tx) error {
		im, err := newImporter(ctx, tx, a)
		if err != nil {
			return err
		}
		bad, err := tr.Rows(func(rejected bool) ([]string, error) {
			if progress != nil {
				progress(tr.Line())
			}
			p, problems, err := im.validate(tr)
			if err != nil || len(problems) > 0 {
				return problems, err
			}
			if rejected || len(im.late) > 0 {
				// The import is already rejected: keep finding bad lines, write nothing more.
				return im.registered(p)
			}
			im.chunk = append(im.chunk, p)
			if len(im.chunk) == chunkSize {
				return nil, im.flush()
			}
			return nil, nil
		})
		if err != nil {
			return err
		}
		if len(bad) == 0 && len(im.late) == 0 {
			if err := im.flush(); err != nil {
				return err
			}
		}
		// Duplicates found when a chunk was written join the other bad lines, in line order.
		bad = append(bad, im.late...)
		sort.SliceStable(bad, func(i, j int) bool { return bad[i].Line < bad[j].Line })
		if len(bad) > 0 {
			return bad
		}
		imported = im.written
		return nil
	})
	if err != nil {
		return 0, err
	}
	db.Optimize(ctx)
	return imported, nil
}

const duplicateNumber = "en person med dette fødselsnummeret er allerede registrert"

type importer struct {
	ctx        context.Context
	tx         *store.Tx
	actor      access.Actor
	synthetic  bool
	seen       map[uint64]int32 // identity number (as an integer, to keep the map small) → line
	units      map[string]int64 // unit name → id
	households map[string]int64 // "husstand" key → household id
	chain      *audit.Recorder
	now        string
	chunk      []pending
	late       tabular.Errors // duplicates the database found when a chunk was written
	written    int
}

func newImporter(ctx context.Context, tx *store.Tx, a access.Actor) (*importer, error) {
	synthetic, err := store.AllowsSyntheticIDs(ctx, tx)
	if err != nil {
		return nil, err
	}
	chain, err := audit.Batch(ctx, tx, a.MunicipalityID)
	if err != nil {
		return nil, err
	}
	return &importer{ctx: ctx, tx: tx, actor: a, synthetic: synthetic, seen: map[uint64]int32{}, units: map[string]int64{},
		households: map[string]int64{}, chain: chain, now: store.TimeArg(time.Now()).(string)}, nil
}

// validate checks one row; problems are the row's, err ends the import.
func (im *importer) validate(tr *tabular.Reader) (pending, []string, error) {
	p := pending{line: tr.Line(), household: tr.Get("husstand")}
	p.in = Input{IdentityNumber: tr.Get("fodselsnummer"), FirstName: tr.Get("fornavn"), LastName: tr.Get("etternavn"),
		Phone: tr.Get("telefon"), Email: tr.Get("epost"), Address: tr.Get("adresse"),
		PostalCode: tr.Get("postnummer"), PostalPlace: tr.Get("poststed")}
	var problems []string
	p.number, problems = p.in.Validate(im.synthetic)
	var err error
	if p.relation, err = ParseRelation(tr.Get("relasjon")); err != nil {
		problems = append(problems, err.Error())
	}
	if name := tr.Get("enhet"); name != "" {
		id, ok := im.units[name]
		if !ok {
			err := im.tx.QueryRowContext(im.ctx, "SELECT id FROM org_units WHERE municipality_id = ? AND name = ?", im.actor.MunicipalityID, name).Scan(&id)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return p, nil, err
			}
			im.units[name] = id
		}
		if id == 0 {
			problems = append(problems, fmt.Sprintf("enheten %q finnes ikke i kommunen", name))
		}
		p.unit = id
	}
	key, _ := strconv.ParseUint(p.number.Digits, 10, 64)
	if first, dup := im.seen[key]; dup && p.number.Digits != "" {
		problems = append(problems, fmt.Sprintf("fødselsnummeret står også på linje %d", first))
	}
	if len(problems) == 0 {
		im.seen[key] = int32(p.line) //nolint:gosec // lines stay far below 2³¹: Norway has under six million people
		p.blind = im.tx.Keys().Blind(p.number.Digits)
	}
	return p, problems, nil
}

// registered reports a good row of a rejected import whose number the
// municipality already has.
func (im *importer) registered(p pending) ([]string, error) {
	var id int64
	err := im.tx.QueryRowContext(im.ctx, "SELECT id FROM persons WHERE municipality_id = ? AND identity_hash = ?",
		im.actor.MunicipalityID, p.blind).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []string{duplicateNumber}, nil
}

// flush writes the waiting chunk: persons in one statement, then their
// households, case roles and one audit entry.
func (im *importer) flush() error {
	if len(im.chunk) == 0 {
		return nil
	}
	chunk := im.chunk
	im.chunk = im.chunk[:0]
	mid := im.actor.MunicipalityID
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(insertPerson[:strings.Index(insertPerson, "VALUES")], "\n\t"))
	b.WriteString(" VALUES ")
	args := make([]any, 0, len(chunk)*16)
	for i, p := range chunk {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		row, err := personArgs(im.tx, mid, p.in, p.number, p.blind, im.now)
		if err != nil {
			return err
		}
		args = append(args, row...)
	}
	// RETURNING names each new row by its blind index, whatever order the
	// engine returns them in; a number already registered returns nothing.
	b.WriteString(" ON CONFLICT (municipality_id, identity_hash) DO NOTHING RETURNING id, identity_hash")
	type inserted struct {
		id   int64
		hash string
	}
	rows, err := im.tx.QueryContext(im.ctx, b.String(), args...)
	found, err := store.Collect(rows, err, func(s store.Scanner) (x inserted, err error) { return x, s.Scan(&x.id, &x.hash) })
	if err != nil {
		return err
	}
	ids := make(map[string]int64, len(found))
	for _, x := range found {
		ids[x.hash] = x.id
	}
	var roles []any
	created := make([]Input, 0, len(chunk))
	createdIDs := make([]int64, 0, len(chunk))
	for _, p := range chunk {
		id, ok := ids[p.blind]
		if !ok {
			im.late = append(im.late, tabular.LineError{Line: p.line, Msg: duplicateNumber})
			continue
		}
		if p.household != "" {
			if err := im.addToHousehold(p, id); err != nil {
				return err
			}
		}
		if p.unit != 0 {
			roles = append(roles, mid, id, p.unit, im.now)
		}
		in := p.in
		in.IdentityNumber = identity.Mask(p.number.Digits)
		created = append(created, in)
		createdIDs = append(createdIDs, id)
	}
	if len(im.late) > 0 {
		return nil // rejected: the transaction is rolled back, nothing more is worth writing
	}
	if len(roles) > 0 {
		q := "INSERT INTO case_units (municipality_id, person_id, org_unit_id, responsibility, started_at) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, 'import', ?), ", len(roles)/4), ", ")
		if _, err := im.tx.ExecContext(im.ctx, q, roles...); err != nil {
			return err
		}
	}
	im.written += len(created)
	return im.chain.Append(im.ctx, audit.Entry{MunicipalityID: mid, Actor: im.actor.Label(), Action: "importer",
		Entity: "person", EntityID: createdIDs[0], After: map[string]any{"person_ids": createdIDs, "persons": created}})
}

func (im *importer) addToHousehold(p pending, personID int64) error {
	hh, ok := im.households[p.household]
	if !ok {
		var err error
		if hh, err = store.InsertID(im.ctx, im.tx, "INSERT INTO households (municipality_id, created_at) VALUES (?, ?)", im.actor.MunicipalityID, im.now); err != nil {
			return err
		}
		im.households[p.household] = hh
	}
	_, err := im.tx.ExecContext(im.ctx, `INSERT INTO household_members (municipality_id, household_id, person_id, first_name, last_name, birth_date, relation)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, im.actor.MunicipalityID, hh, personID, p.in.FirstName, p.in.LastName, store.DateArg(p.number.Birth), string(p.relation))
	return err
}
