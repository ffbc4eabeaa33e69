package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"husly/internal/keys"
	"husly/internal/store"
)

// AccessEntry is one entry of the access log: the reads of one request,
// one person or many (a list or search shows 20-50). The entry is one link
// of its municipality's chain, and its MAC covers every person in it.
type AccessEntry struct {
	MunicipalityID int64
	At             time.Time
	UserID         int64 // 0 for the command line
	UserName       string
	OrgUnitName    string
	Channel        string
	Reason         string
	Persons        []PersonRead // at least one; each person once
}

// PersonRead is one person's data read in an entry.
type PersonRead struct {
	PersonID   int64 // 0 for a search by identity number that found no one
	Categories string
	Basis      string
}

// AccessRow is an access-log row as written before entries held many
// persons: one person, its fields in the row and under its MAC. Rows of
// that form are still verified, and sealed when old databases are opened.
type AccessRow struct {
	MunicipalityID int64
	At             time.Time
	UserID         int64 // 0 for the command line
	UserName       string
	OrgUnitName    string
	PersonID       int64
	Categories     string
	Basis          string
	Channel        string
	Reason         string
}

// at is the row's time as stored and MAC'd: UTC to the microsecond, which
// both engines keep exactly.
func (r AccessRow) at() string { return stamp(r.At) }

func (e AccessEntry) at() string { return stamp(e.At) }

func stamp(t time.Time) string { return t.UTC().Truncate(time.Microsecond).Format(timeLayout) }

const timeLayout = "2006-01-02T15:04:05.000000Z"

// access is the MAC of an access-log row of the one-person form.
func (m *macer) access(keyID, prev string, seq int64, r AccessRow) (string, error) {
	user := ""
	if r.UserID != 0 {
		user = strconv.FormatInt(r.UserID, 10)
	}
	return m.fields(keyID, prev, strconv.FormatInt(r.MunicipalityID, 10), strconv.FormatInt(seq, 10), r.at(), user, r.UserName,
		r.OrgUnitName, strconv.FormatInt(r.PersonID, 10), r.Categories, r.Basis, r.Channel, r.Reason)
}

// entryForm opens the MAC input of an entry. Its second field is a
// municipality number in the one-person form, so no input of one form is
// an input of the other.
const entryForm = "oppføring/personer"

// accessEntry is the MAC of an entry: its own fields, the number of
// persons and each person's id, categories and basis in order.
func (m *macer) accessEntry(keyID, prev string, seq int64, e AccessEntry) (string, error) {
	user := ""
	if e.UserID != 0 {
		user = strconv.FormatInt(e.UserID, 10)
	}
	f := make([]string, 0, 11+3*len(e.Persons))
	f = append(f, prev, entryForm, strconv.FormatInt(e.MunicipalityID, 10), strconv.FormatInt(seq, 10), e.at(), user, e.UserName,
		e.OrgUnitName, e.Channel, e.Reason, strconv.Itoa(len(e.Persons)))
	for _, p := range e.Persons {
		f = append(f, strconv.FormatInt(p.PersonID, 10), p.Categories, p.Basis)
	}
	return m.fields(keyID, f...)
}

// LogAccess appends entries to their municipalities' access-log chains
// and returns when they are durable. On a *store.DB the entries go to the
// database's group-commit writer, which commits the entries of concurrent
// callers together (one fsync for all of them) and answers each caller
// only after that commit. Inside a transaction (*store.Tx) the entries are
// written in it and become durable with its commit: a request already
// holding the write lock must not wait for another transaction (on SQLite
// that would wait for itself).
func LogAccess(ctx context.Context, q store.Queryer, entries ...AccessEntry) error {
	if len(entries) == 0 {
		return nil
	}
	for _, e := range entries {
		if len(e.Persons) == 0 {
			return errNoPersons
		}
	}
	if db, ok := q.(*store.DB); ok {
		return writerOf(db).write(ctx, entries)
	}
	return appendAccess(ctx, q, entries)
}

var errNoPersons = errors.New("innsynsloggen: en oppføring må gjelde minst én person")

// linked is an entry with its place in the chain.
type linked struct {
	AccessEntry
	seq       int64
	prev, mac string
}

// tail is the newest link of a chain.
type tail struct {
	seq int64
	mac string
}

// byMunicipality gives the municipalities of entries in ascending order
// (the order chains are locked in everywhere, so two writers never wait on
// each other) and each one's entries in arrival order.
func byMunicipality(entries []AccessEntry) ([]int64, map[int64][]int) {
	by := map[int64][]int{}
	var munis []int64
	for i, e := range entries {
		if by[e.MunicipalityID] == nil {
			munis = append(munis, e.MunicipalityID)
		}
		by[e.MunicipalityID] = append(by[e.MunicipalityID], i)
	}
	sort.Slice(munis, func(i, j int) bool { return munis[i] < munis[j] })
	return munis, by
}

// readTail reads a chain's newest link (the genesis before the first).
func readTail(ctx context.Context, q store.Queryer, muni int64) (tail, error) {
	t := tail{mac: genesis}
	err := q.QueryRowContext(ctx, "SELECT seq, mac FROM access_log WHERE municipality_id = ? AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1", muni).Scan(&t.seq, &t.mac)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return t, err
}

// link places entries after the tails of their chains and computes their
// MACs; it returns the new tails.
func link(ring *keys.Ring, entries []AccessEntry, tails map[int64]tail) ([]linked, map[int64]tail, error) {
	keyID, key := ring.ChainKey()
	if len(key) == 0 {
		return nil, nil, ErrNoChainKey
	}
	m := newMacer(ring)
	munis, by := byMunicipality(entries)
	out := make([]linked, 0, len(entries))
	heads := make(map[int64]tail, len(munis))
	for _, muni := range munis {
		t := tails[muni]
		for _, i := range by[muni] {
			t.seq++
			mac, err := m.accessEntry(keyID, t.mac, t.seq, entries[i])
			if err != nil {
				return nil, nil, err
			}
			out = append(out, linked{AccessEntry: entries[i], seq: t.seq, prev: t.mac, mac: mac})
			t.mac = mac
		}
		heads[muni] = t
	}
	return out, heads, nil
}

// appendAccess extends the chains of the entries' municipalities inside
// the transaction q: it locks each chain (PostgreSQL), reads its tail and
// inserts the entries after it.
func appendAccess(ctx context.Context, q store.Queryer, entries []AccessEntry) error {
	ring := q.Keys()
	if ring == nil {
		return ErrNoChainKey
	}
	munis, _ := byMunicipality(entries)
	// A transaction that logs several times (a person's copy of their
	// data logs each part) locks and reads each chain's tail once: it
	// holds the chain from then until it ends, so the tail after its own
	// entries is known.
	tails := make(map[int64]tail, len(munis))
	if tx, ok := q.(*store.Tx); ok {
		tails = tx.Local(txTailsKey{}, func() any { return map[int64]tail{} }).(map[int64]tail)
	}
	for _, muni := range munis {
		if _, ok := tails[muni]; ok {
			continue
		}
		if err := lockChain(ctx, q, lockAccess, muni); err != nil {
			return err
		}
		t, err := readTail(ctx, q, muni)
		if err != nil {
			return err
		}
		tails[muni] = t
	}
	ls, heads, err := link(ring, entries, tails)
	if err != nil {
		return err
	}
	if err := insertEntries(ctx, q, ring, ls); err != nil {
		for _, muni := range munis {
			delete(tails, muni)
		}
		return err
	}
	for muni, t := range heads {
		tails[muni] = t
	}
	return nil
}

// txTailsKey keeps a transaction's chain tails (store.Tx.Local).
type txTailsKey struct{}

// insertEntries writes linked entries and their persons.
func insertEntries(ctx context.Context, q store.Queryer, ring *keys.Ring, ls []linked) error {
	keyID, _ := ring.ChainKey()
	if q.Dialect() == store.Postgres {
		return insertEntriesPostgres(ctx, q, keyID, ls)
	}
	return insertEntriesSQLite(ctx, q, keyID, ls)
}

// insertEntriesPostgres writes the entries and their persons in one
// statement, one round trip whatever the number: it takes the chains'
// advisory locks (again, inside a transaction that holds them already),
// inserts the entries and then their persons under the ids the entries
// got. Outside a transaction the statement is its own transaction, and
// the locks are held until it commits, so a writer that locks a chain and
// reads its tail sees these entries or waits for them. Arrays keep the
// statement's text the same for any batch, so it is prepared once per
// connection.
const insertEntriesPostgresSQL = `WITH locked AS MATERIALIZED (
	SELECT COUNT(pg_advisory_xact_lock(hashtextextended(current_schema() || '/husly/` + lockAccessText + `/' || m::text, 0))) AS n
	FROM unnest($1::bigint[]) AS m),
entries AS (
	INSERT INTO access_log (municipality_id, at, user_id, user_name, org_unit_name, person_id, categories, basis, channel, reason,
		seq, prev_mac, mac, key_id, persons)
	SELECT e.muni, e.at::timestamptz, NULLIF(e.uid, 0), e.uname, e.unit, 0, '', '', e.channel, e.reason, e.seq, e.prev, e.mac, $2, e.n
	FROM locked, unnest($3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[],
		$12::text[], $13::int[]) AS e(muni, at, uid, uname, unit, channel, reason, seq, prev, mac, n)
	WHERE locked.n >= 0
	RETURNING id, municipality_id, seq)
INSERT INTO access_log_persons (entry_id, position, municipality_id, person_id, categories, basis)
SELECT entries.id, p.pos, p.muni, p.person, p.cats, p.basis
FROM unnest($14::bigint[], $15::bigint[], $16::int[], $17::bigint[], $18::text[], $19::text[]) AS p(muni, seq, pos, person, cats, basis)
JOIN entries ON entries.municipality_id = p.muni AND entries.seq = p.seq`

// lockAccessText is lockAccess as lockChain writes it into the lock's key.
const lockAccessText = "4712"

func insertEntriesPostgres(ctx context.Context, q store.Queryer, keyID string, ls []linked) error {
	munis, _ := byMunicipality(entriesOf(ls))
	n := len(ls)
	var (
		muni, uid, seq           = make([]int64, n), make([]int64, n), make([]int64, n)
		at, uname, unit, channel = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		reason, prev, mac        = make([]string, n), make([]string, n), make([]string, n)
		count                    = make([]int32, n)
		pMuni, pSeq, pPerson     []int64
		pPos                     []int32
		pCats, pBasis            []string
	)
	for i, l := range ls {
		muni[i], at[i], uid[i], uname[i], unit[i], channel[i], reason[i] = l.MunicipalityID, l.at(), l.UserID, l.UserName, l.OrgUnitName, l.Channel, l.Reason
		seq[i], prev[i], mac[i], count[i] = l.seq, l.prev, l.mac, int32(len(l.Persons)) //nolint:gosec // an entry lists at most a page or an export batch
		for j, p := range l.Persons {
			pMuni, pSeq, pPos, pPerson = append(pMuni, l.MunicipalityID), append(pSeq, l.seq), append(pPos, int32(j)), append(pPerson, p.PersonID) //nolint:gosec // as above
			pCats, pBasis = append(pCats, p.Categories), append(pBasis, p.Basis)
		}
	}
	_, err := q.ExecContext(ctx, insertEntriesPostgresSQL, munis, keyID, muni, at, uid, uname, unit, channel, reason, seq, prev, mac, count,
		pMuni, pSeq, pPos, pPerson, pCats, pBasis)
	return err
}

func entriesOf(ls []linked) []AccessEntry {
	es := make([]AccessEntry, len(ls))
	for i, l := range ls {
		es[i] = l.AccessEntry
	}
	return es
}

// insertEntriesSQLite inserts each entry, learning its id, and then all
// their persons in one statement of a few fixed sizes (more than 256 in
// statements of 256). Each text is the same from commit to commit, so
// SQLite parses and plans it once per connection (store's statement
// cache) instead of on every commit, where texts with a row count of
// their own cost a tenth of a busy server's CPU; and a request that logs
// inside its own transaction still runs two statements, whatever it read.
// SQLite runs in the process: statements cost no round trip.
func insertEntriesSQLite(ctx context.Context, q store.Queryer, keyID string, ls []linked) error {
	var persons []any
	for _, l := range ls {
		var user any
		if l.UserID != 0 {
			user = l.UserID
		}
		res, err := q.ExecContext(ctx, insertEntrySQLite, l.MunicipalityID, l.at(), user, l.UserName, l.OrgUnitName, l.Channel, l.Reason, l.seq, l.prev, l.mac, keyID, len(l.Persons))
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for j, p := range l.Persons {
			persons = append(persons, id, j, l.MunicipalityID, p.PersonID, p.Categories, p.Basis)
		}
	}
	const cols = 6
	for len(persons) > 0 {
		n := min(len(persons)/cols, personRowSizes[len(personRowSizes)-1])
		size := personRowSizes[slices.IndexFunc(personRowSizes, func(size int) bool { return size >= n })]
		args := persons[:n*cols]
		persons = persons[n*cols:]
		// The rows the statement has beyond n are NULLs, which it leaves out.
		args = append(args[:len(args):len(args)], make([]any, (size-n)*cols)...)
		if _, err := q.ExecContext(ctx, insertPersonsSQLite[size], args...); err != nil {
			return err
		}
	}
	return nil
}

const insertEntrySQLite = `INSERT INTO access_log (municipality_id, at, user_id, user_name, org_unit_name, person_id, categories, basis,
	channel, reason, seq, prev_mac, mac, key_id, persons) VALUES (?, ?, ?, ?, ?, 0, '', '', ?, ?, ?, ?, ?, ?, ?)`

// personRowSizes are the row counts of the statements that insert the
// persons of a commit's entries on SQLite, smallest first: 50 persons go
// in one statement of 64 rows, 14 of them NULLs left out.
var personRowSizes = []int{4, 16, 64, 256}

// insertPersonsSQLite holds the statement for each of personRowSizes: its
// rows in order, without those whose entry is NULL.
var insertPersonsSQLite = func() map[int]string {
	m := make(map[int]string, len(personRowSizes))
	for _, n := range personRowSizes {
		m[n] = "INSERT INTO access_log_persons (entry_id, position, municipality_id, person_id, categories, basis) " +
			"SELECT column1, column2, column3, column4, column5, column6 FROM (VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", n), ", ") + ") WHERE column1 IS NOT NULL"
	}
	return m
}()

// sqliteInserts are the statements insertEntriesSQLite runs, for the
// writer to keep prepared (store.DB.KeepPrepared).
func sqliteInserts() []string {
	qs := []string{insertEntrySQLite}
	for _, n := range personRowSizes {
		qs = append(qs, insertPersonsSQLite[n])
	}
	return qs
}

// The group-commit writer. One per open database and process: requests
// queue while a commit is in flight, and the next commit takes all of
// them. A lone request is committed at once, so a quiet server adds no
// waiting; under load, N concurrent reads cost one transaction and one
// fsync instead of N.
type accessWriter struct {
	db *store.DB
	// tails are the chains' newest links as this writer last wrote or read
	// them (touched by the writer's goroutine alone).
	tails map[int64]tail
	// keptPrepared is set once the SQLite inserts are in the statement
	// cache (touched by the writer's goroutine alone).
	keptPrepared bool
	requests     chan *accessRequest
	quit         chan struct{}
	done         chan struct{}
	once         sync.Once
	commits      atomic.Int64 // transactions committed, for WriterStats
	taken        atomic.Int64
}

type accessRequest struct {
	entries []AccessEntry
	err     chan error
}

// maxBatch bounds one commit, so a burst does not make one huge transaction.
const maxBatch = 256

type writerKey struct{}

func writerOf(db *store.DB) *accessWriter {
	return db.Shared(writerKey{}, func() any {
		w := &accessWriter{db: db, tails: map[int64]tail{}, requests: make(chan *accessRequest, maxBatch), quit: make(chan struct{}), done: make(chan struct{})}
		go w.run()
		return w
	}).(*accessWriter)
}

// errWriterClosed is returned for reads logged while the database closes.
var errWriterClosed = errors.New("innsynsloggen er stengt: databasen lukkes")

func (w *accessWriter) write(ctx context.Context, entries []AccessEntry) error {
	req := &accessRequest{entries: entries, err: make(chan error, 1)}
	select {
	case w.requests <- req:
	case <-w.quit:
		return errWriterClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the request is committed or refused whatever the caller
	// does; a caller that gives up sends no data, so a row without a
	// response is harmless and a response without a row cannot happen.
	select {
	case err := <-req.err:
		return err
	case <-w.done:
		// The writer stopped; it may have answered just before.
		select {
		case err := <-req.err:
			return err
		default:
			return errWriterClosed
		}
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *accessWriter) run() {
	defer close(w.done)
	for {
		var first *accessRequest
		select {
		case first = <-w.requests:
		case <-w.quit:
			// Finish what was queued before the close.
			for {
				select {
				case r := <-w.requests:
					w.commit([]*accessRequest{r})
				default:
					return
				}
			}
		}
		batch := []*accessRequest{first}
	collect:
		for len(batch) < maxBatch {
			select {
			case r := <-w.requests:
				batch = append(batch, r)
			default:
				break collect
			}
		}
		w.commit(batch)
	}
}

// commit writes a batch in one transaction. If it fails, each request is
// tried alone, so one bad request does not fail the others.
func (w *accessWriter) commit(batch []*accessRequest) {
	ctx := context.Background()
	var entries []AccessEntry
	for _, r := range batch {
		entries = append(entries, r.entries...)
	}
	err := w.append(ctx, entries)
	w.commits.Add(1)
	w.taken.Add(int64(len(batch)))
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			r.err <- w.append(ctx, r.entries)
		}
		return
	}
	for _, r := range batch {
		r.err <- err
	}
}

// append commits entries after the tails this writer remembers, see
// appendShared: on PostgreSQL in one statement (its own transaction), on
// SQLite in one transaction under the process's write lock.
func (w *accessWriter) append(ctx context.Context, entries []AccessEntry) error {
	return w.appendShared(ctx, entries)
}

// sharedTries is how often appendShared tries with tails it reads anew
// after another writer has extended a chain.
const sharedTries = 4

// appendShared writes entries after the tails this writer remembers,
// reading a tail only when it does not know it. On PostgreSQL that is one
// round trip: the statement of insertEntriesPostgres, run on its own,
// locks the chains, inserts and commits. On SQLite it is one transaction
// under the process's write lock (a tail read there cost a quarter of the
// writer's own work). That is
// safe because chains only grow and (municipality, seq) is unique: if
// another writer (a write transaction of this process, another server
// process) has extended the chain, the seq this writer chose is taken and
// the statement fails as a whole; the writer then reads the tails and
// tries again. Locking in the same statement keeps a transaction that
// locks the chain and reads its tail from choosing a seq that this
// statement is inserting.
func (w *accessWriter) appendShared(ctx context.Context, entries []AccessEntry) error {
	ring := w.db.Keys()
	if ring == nil {
		return ErrNoChainKey
	}
	munis, _ := byMunicipality(entries)
	var err error
	for try := 0; try < sharedTries; try++ {
		for _, muni := range munis {
			if _, ok := w.tails[muni]; ok {
				continue
			}
			t, err := readTail(ctx, w.db, muni)
			if err != nil {
				return err
			}
			w.tails[muni] = t
		}
		var ls []linked
		var heads map[int64]tail
		if ls, heads, err = link(ring, entries, w.tails); err != nil {
			return err
		}
		if w.db.Dialect() == store.Postgres {
			err = insertEntries(ctx, w.db, ring, ls)
		} else {
			if !w.keptPrepared {
				w.db.KeepPrepared(ctx, sqliteInserts()...)
				w.keptPrepared = true
			}
			err = w.db.InTx(ctx, func(tx *store.Tx) error { return insertEntries(ctx, tx, ring, ls) })
		}
		if err == nil {
			for muni, t := range heads {
				w.tails[muni] = t
			}
			return nil
		}
		// Whatever failed, the tails may be stale or the outcome unknown:
		// read them again before the next write.
		for _, muni := range munis {
			delete(w.tails, muni)
		}
		if !store.IsUniqueViolation(err) {
			return err
		}
	}
	// Still overtaken: lock the chains and write after their tails, as a
	// transaction does.
	if err2 := w.db.InTx(ctx, func(tx *store.Tx) error { return appendAccess(ctx, tx, entries) }); err2 != nil {
		return fmt.Errorf("%w (etter %d forsøk: %w)", err2, sharedTries, err)
	}
	return nil
}

// WriterStats says how many requests the database's group-commit writer
// has taken and in how many transactions.
func WriterStats(db *store.DB) (requests, commits int64) {
	w := writerOf(db)
	return w.taken.Load(), w.commits.Load()
}

// Close stops the writer after the requests already queued are committed.
func (w *accessWriter) Close() error {
	w.once.Do(func() { close(w.quit) })
	<-w.done
	return nil
}
