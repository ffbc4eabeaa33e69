package people

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/clock"
	"husly/internal/identity"
	"husly/internal/invalid"
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
	if a.Role != access.Operator {
		return 0, access.ErrForbidden // imports are the operator's, from the command line
	}
	tr, err := tabular.NewReader(r, format, requiredColumns, columns)
	if err != nil {
		return 0, err
	}
	defer tr.Close() //nolint:errcheck // reading: closing loses nothing
	imported := 0
	err = db.InConnTx(ctx, func(tx *store.Tx) error {
		im, err := newImporter(ctx, tx, a)
		if err != nil {
			return err
		}
		// Reading, checking and encrypting rows runs on a goroutine of its
		// own, a chunk ahead of the writes, which hold the transaction: on
		// two cores the import then costs what its writes cost.
		chunks, stop := make(chan prepared, 1), make(chan struct{})
		var bad tabular.Errors
		var readErr error
		var unchecked []pending // good rows read after the import was rejected
		go func() {
			defer close(chunks)
			var chunk []pending
			send := func() error {
				if len(chunk) == 0 {
					return nil
				}
				c, err := im.prepare(chunk)
				if err != nil {
					return err
				}
				chunk = nil
				select {
				case chunks <- c:
					return nil
				case <-stop:
					return errImportStopped
				}
			}
			bad, readErr = tr.Rows(func(rejected bool) ([]invalid.Message, error) {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				if progress != nil {
					progress(tr.Line())
				}
				p, problems := im.validate(tr)
				if len(problems) > 0 {
					return problems, nil
				}
				if rejected || im.refused.Load() {
					// The import is already rejected: keep finding bad lines, write nothing more.
					unchecked = append(unchecked, p)
					return nil, nil
				}
				chunk = append(chunk, p)
				if len(chunk) == chunkSize {
					return nil, send()
				}
				return nil, nil
			})
			if readErr == nil && len(bad) == 0 && !im.refused.Load() {
				readErr = send()
			} else {
				unchecked = append(unchecked, chunk...)
			}
		}()
		var writeErr error
		var unwritten []pending // rows sent after a chunk was refused
		for c := range chunks {
			switch {
			case writeErr != nil:
			case im.refused.Load():
				unwritten = append(unwritten, c.rows...)
			default:
				if writeErr = im.flush(c); writeErr != nil {
					close(stop)
				}
			}
		}
		if err := ctx.Err(); err != nil {
			// The context's end is the cause, whatever a write in flight
			// reported (pgx closes a connection whose query is cancelled).
			return err
		}
		if writeErr != nil {
			return writeErr
		}
		if readErr != nil {
			return readErr
		}
		if len(bad) == 0 && !im.refused.Load() {
			if err := im.rebuildIndexes(); err != nil {
				return err
			}
		} else if err := im.checkRegistered(append(unwritten, unchecked...)); err != nil {
			return err
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
	// The tables person reads plan over. (The audit log is read by its
	// index alone; sampling its large entries would double the cost.)
	db.Analyze(ctx, "persons", "households", "household_members", "case_units")
	return imported, nil
}

// duplicateNumber is the problem of a line whose number is already registered.
var duplicateNumber = invalid.F("en person med dette fødselsnummeret er allerede registrert")

type importer struct {
	ctx        context.Context
	tx         *store.Tx
	actor      access.Actor
	synthetic  bool
	today      time.Time        // the day in Norway the import started: no birth date after it
	seen       map[uint64]int32 // identity number (as an integer, to keep the map small) → line
	units      map[string]int64 // unit name → id, all of the municipality's
	households map[string]int64 // "husstand" key → household id
	chain      *audit.Recorder
	// bulk writers, one per table
	persons, newHouseholds, members, roles *store.Batch
	now                                    string
	late                                   tabular.Errors // duplicates the database found when a chunk was written
	// refused is set by the writer when a chunk held numbers already
	// registered: the reader then only checks the rest, and the writer
	// keeps the chunks it is still sent for the same check.
	refused atomic.Bool
	written int
	// held are the secondary indexes set aside while a large import writes
	// (SQLite), to be built again before it commits; before is roughly how
	// many persons the table held when the import began.
	held   []string
	before int64
	heldAt bool
	// heldCount is the persons written since the person counter's trigger
	// was set aside with the indexes (-1 while it is in place).
	heldCount int
}

// holdIndexesAfter is the number of rows an import writes through the
// indexes before it may set them aside: a small import is cheaper to
// index row by row than to rebuild whole indexes for.
var holdIndexesAfter = 10000

func newImporter(ctx context.Context, tx *store.Tx, a access.Actor) (*importer, error) {
	synthetic, err := store.AllowsSyntheticIDs(ctx, tx)
	if err != nil {
		return nil, err
	}
	chain, err := audit.Batch(ctx, tx, a.MunicipalityID)
	if err != nil {
		return nil, err
	}
	// The units are read once, so that checking a row needs no query.
	rows, err := tx.QueryContext(ctx, "SELECT name, id FROM org_units WHERE municipality_id = ? ORDER BY id DESC", a.MunicipalityID)
	named, err := store.Collect(rows, err, func(r store.Scanner) (u struct {
		name string
		id   int64
	}, err error) {
		err = r.Scan(&u.name, &u.id)
		return u, err
	})
	if err != nil {
		return nil, err
	}
	units := make(map[string]int64, len(named))
	for _, u := range named {
		units[u.name] = u.id // of two units with one name, the oldest
	}
	return &importer{ctx: ctx, tx: tx, actor: a, synthetic: synthetic, today: clock.InOslo(time.Now()), seen: map[uint64]int32{}, units: units,
		households: map[string]int64{}, chain: chain, now: store.TimeArg(time.Now()).(string), before: -1, heldCount: -1,
		persons: tx.Batch("persons", "id", "municipality_id", "identity_enc", "identity_hash", "identity_prefix", "first_name", "last_name",
			"first_name_key", "last_name_key", "birth_date", "phone", "email", "address", "postal_code", "postal_place", "created_at", "updated_at"),
		newHouseholds: tx.Batch("households", "id", "municipality_id", "created_at"),
		members: tx.Batch("household_members", "municipality_id", "household_id", "person_id", "first_name", "last_name",
			"birth_date", "relation"),
		roles: tx.Batch("case_units", "municipality_id", "person_id", "org_unit_id", "responsibility", "started_at"),
	}, nil
}

// validate checks one row and gives its problems. It runs on the reading
// goroutine and touches only what that goroutine owns (seen) or what
// nobody changes (units, the keys).
func (im *importer) validate(tr *tabular.Reader) (pending, []invalid.Message) {
	p := pending{line: tr.Line(), household: tr.Get("husstand")}
	p.in = Input{IdentityNumber: tr.Get("fodselsnummer"), FirstName: tr.Get("fornavn"), LastName: tr.Get("etternavn"),
		Phone: tr.Get("telefon"), Email: tr.Get("epost"), Address: tr.Get("adresse"),
		PostalCode: tr.Get("postnummer"), PostalPlace: tr.Get("poststed")}
	var problems []invalid.Message
	p.number, problems = p.in.Validate(im.synthetic, im.today)
	var err error
	if p.relation, err = ParseRelation(tr.Get("relasjon")); err != nil {
		problems = append(problems, invalid.Problems(err)...)
	}
	if name := tr.Get("enhet"); name != "" {
		id, ok := im.units[name]
		if !ok {
			problems = append(problems, invalid.F("enheten %q finnes ikke i kommunen", name))
		}
		p.unit = id
	}
	key, _ := strconv.ParseUint(p.number.Digits, 10, 64)
	if first, dup := im.seen[key]; dup && p.number.Digits != "" {
		problems = append(problems, invalid.F("fødselsnummeret står også på linje %d", first))
	}
	if len(problems) == 0 {
		im.seen[key] = int32(p.line) //nolint:gosec // lines stay far below 2³¹: Norway has under six million people
		p.blind = im.tx.Keys().Blind(p.number.Digits)
	}
	return p, problems
}

// errImportStopped ends the reading goroutine when a write has failed.
var errImportStopped = errors.New("importen stoppet")

// prepared is a chunk of checked rows with the persons' values computed
// (the identity number encrypted), all but the ids the writer reserves.
type prepared struct {
	rows    []pending
	persons [][]any
	created []Input // as the audit entry records them, numbers masked
}

// prepare computes a chunk's values on the reading goroutine.
func (im *importer) prepare(chunk []pending) (prepared, error) {
	c := prepared{rows: chunk, persons: make([][]any, len(chunk)), created: make([]Input, len(chunk))}
	mid := im.actor.MunicipalityID
	for i, p := range chunk {
		row, err := personArgs(im.tx, mid, p.in, p.number, p.blind, im.now)
		if err != nil {
			return c, err
		}
		c.persons[i] = append(append(make([]any, 0, len(row)+1), nil), row...) // the id goes first
		c.created[i] = p.in
		c.created[i].IdentityNumber = identity.Mask(p.number.Digits)
	}
	return c, nil
}

// flush writes a prepared chunk through the engine's bulk path (COPY on
// PostgreSQL, prepared multi-row INSERTs on SQLite): persons, their new
// households and memberships and their case roles, each table in one
// write, then one audit entry for the chunk. Ids are reserved first so the
// rows that refer to a new person need no round trip per person.
func (im *importer) flush(c prepared) error {
	chunk := c.rows
	ctx, mid := im.ctx, im.actor.MunicipalityID
	ids, err := im.tx.NewIDs(ctx, "persons", len(chunk))
	if err != nil {
		return err
	}
	var newHouseholds []string
	for _, p := range chunk {
		if _, ok := im.households[p.household]; p.household != "" && !ok {
			im.households[p.household] = 0
			newHouseholds = append(newHouseholds, p.household)
		}
	}
	householdIDs, err := im.tx.NewIDs(ctx, "households", len(newHouseholds))
	if err != nil {
		return err
	}
	households := make([][]any, len(newHouseholds))
	for i, key := range newHouseholds {
		im.households[key] = householdIDs[i]
		households[i] = []any{householdIDs[i], mid, im.now}
	}
	var members, roles [][]any
	for i, p := range chunk {
		c.persons[i][0] = ids[i]
		if p.household != "" {
			members = append(members, []any{mid, im.households[p.household], ids[i], p.in.FirstName, p.in.LastName,
				p.number.Birth, string(p.relation)})
		}
		if p.unit != 0 {
			roles = append(roles, []any{mid, ids[i], p.unit, "import", im.now})
		}
	}
	// A number the municipality already has breaks the unique index: the
	// savepoint takes the chunk back, and its lines are named.
	if err := im.savepoint("SAVEPOINT chunk"); err != nil {
		return err
	}
	if err := im.persons.Write(ctx, c.persons); store.IsUniqueViolation(err) {
		if err := im.savepoint("ROLLBACK TO SAVEPOINT chunk"); err != nil {
			return err
		}
		return im.nameRegistered(chunk)
	} else if err != nil {
		return err
	}
	if err := im.savepoint("RELEASE SAVEPOINT chunk"); err != nil {
		return err
	}
	for _, w := range []struct {
		batch *store.Batch
		rows  [][]any
	}{{im.newHouseholds, households}, {im.members, members}, {im.roles, roles}} {
		if err := w.batch.Write(ctx, w.rows); err != nil {
			return err
		}
	}
	im.written += len(chunk)
	if im.heldCount >= 0 {
		im.heldCount += len(chunk)
	}
	if err := im.holdIndexes(); err != nil {
		return err
	}
	return im.chain.Append(ctx, audit.Entry{MunicipalityID: mid, Actor: im.actor.Label(), Action: "importer",
		Entity: "person", EntityID: ids[0], After: map[string]any{"person_ids": ids, "persons": c.created}})
}

// holdIndexes sets the secondary indexes of the tables an import writes
// aside on SQLite, once the import is large: inserting 100,000 persons in
// name order into two name indexes, the number-prefix index, and the case
// roles' and household members' indexes was a fifth of the import's CPU
// (random B-tree descents and page splits); building an index afresh sorts
// the rows once. The unique indexes stay, since they find numbers already
// registered. Indexes are dropped and built inside the import's
// transaction: other connections see them all the time, and a failed
// import takes the drop back. It happens only when the import has already
// written as many rows as the table held, so rebuilding the whole index
// costs less than the inserts saved. (On PostgreSQL dropping an index
// locks the table against readers until the import commits, so the
// indexes stay there.)
//
// The trigger that counts persons for the start page (migration 0007) is
// set aside with them, and the count it would have kept is added in one
// statement when it is put back: a tenth of a large import's time was
// that trigger's update of the same counter row for every person.
func (im *importer) holdIndexes() error {
	if im.heldAt || im.tx.Dialect() != store.SQLite || im.written < holdIndexesAfter {
		return nil
	}
	if im.before < 0 {
		if err := im.tx.QueryRowContext(im.ctx, "SELECT COALESCE(MAX(id), 0) FROM persons").Scan(&im.before); err != nil {
			return err
		}
		im.before -= int64(im.written)
	}
	if int64(im.written) < im.before {
		return nil
	}
	im.heldAt = true
	rows, err := im.tx.QueryContext(im.ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('persons', 'case_units', 'household_members') AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`)
	type index struct{ name, sql string }
	indexes, err := store.Collect(rows, err, func(r store.Scanner) (x index, err error) {
		err = r.Scan(&x.name, &x.sql)
		return x, err
	})
	if err != nil {
		return err
	}
	for _, x := range indexes {
		if _, err := im.tx.ExecContext(im.ctx, `DROP INDEX "`+strings.ReplaceAll(x.name, `"`, `""`)+`"`); err != nil {
			return err
		}
		im.held = append(im.held, x.sql)
	}
	var trigger string
	err = im.tx.QueryRowContext(im.ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", personCounterTrigger).Scan(&trigger)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	if _, err := im.tx.ExecContext(im.ctx, "DROP TRIGGER "+personCounterTrigger); err != nil {
		return err
	}
	im.held = append(im.held, trigger)
	im.heldCount = 0
	return nil
}

// personCounterTrigger counts a municipality's persons on SQLite as they
// are inserted (migration 0007).
const personCounterTrigger = "counters_persons_insert"

// rebuildIndexes builds the indexes holdIndexes set aside, each by one
// sort, puts the person counter's trigger back and adds the persons
// written without it, before the import commits.
func (im *importer) rebuildIndexes() error {
	for _, q := range im.held {
		if _, err := im.tx.ExecContext(im.ctx, q); err != nil {
			return err
		}
	}
	im.held = nil
	if im.heldCount > 0 {
		if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO counters (municipality_id, name, code, n) VALUES (?, 'persons', '', ?)
			ON CONFLICT (municipality_id, name, code) DO UPDATE SET n = n + excluded.n`, im.actor.MunicipalityID, im.heldCount); err != nil {
			return err
		}
	}
	im.heldCount = -1
	return nil
}

func (im *importer) savepoint(statement string) error {
	_, err := im.tx.ExecContext(im.ctx, statement)
	return err
}

// nameRegistered adds a line error for each of a refused chunk's numbers
// that the municipality already has, and refuses the import.
func (im *importer) nameRegistered(chunk []pending) error {
	found := len(im.late)
	if err := im.checkRegistered(chunk); err != nil {
		return err
	}
	if len(im.late) == found {
		return errors.New("importen stoppet på et fødselsnummer som ble registrert samtidig: prøv igjen")
	}
	im.refused.Store(true)
	return nil
}

// checkRegistered adds a line error for each row whose number the
// municipality already has, found in a query per chunk of rows.
func (im *importer) checkRegistered(ps []pending) error {
	for len(ps) > 0 {
		chunk := ps[:min(len(ps), chunkSize)]
		ps = ps[len(chunk):]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, im.actor.MunicipalityID)
		for _, p := range chunk {
			args = append(args, p.blind)
		}
		rows, err := im.tx.QueryContext(im.ctx, "SELECT identity_hash FROM persons WHERE municipality_id = ? AND identity_hash IN ("+
			strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+")", args...)
		taken, err := store.Collect(rows, err, func(r store.Scanner) (hash string, err error) {
			err = r.Scan(&hash)
			return hash, err
		})
		if err != nil {
			return err
		}
		registered := make(map[string]bool, len(taken))
		for _, h := range taken {
			registered[h] = true
		}
		for _, p := range chunk {
			if registered[p.blind] {
				im.late = append(im.late, tabular.LineError{Line: p.line, Problems: []invalid.Message{duplicateNumber}})
			}
		}
	}
	return nil
}
