package audit

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"husly/internal/store"
)

// AccessRow is one row of the access log: one person's data read once.
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
func (r AccessRow) at() string { return r.At.UTC().Truncate(time.Microsecond).Format(timeLayout) }

const timeLayout = "2006-01-02T15:04:05.000000Z"

// accessMAC is the MAC of an access-log row.
func (m *macer) access(keyID, prev string, seq int64, r AccessRow) (string, error) {
	user := ""
	if r.UserID != 0 {
		user = strconv.FormatInt(r.UserID, 10)
	}
	return m.fields(keyID, prev, strconv.FormatInt(r.MunicipalityID, 10), strconv.FormatInt(seq, 10), r.at(), user, r.UserName,
		r.OrgUnitName, strconv.FormatInt(r.PersonID, 10), r.Categories, r.Basis, r.Channel, r.Reason)
}

// LogAccess appends rows to their municipalities' access-log chains and
// returns when they are durable. On a *store.DB the rows go to the
// database's group-commit writer, which commits the rows of concurrent
// callers together in one transaction (one fsync for all of them) and
// answers each caller only after that commit. Inside a transaction
// (*store.Tx) the rows are written in it and become durable with its
// commit: a request already holding the write lock must not wait for
// another transaction (on SQLite that would wait for itself).
func LogAccess(ctx context.Context, q store.Queryer, rows ...AccessRow) error {
	if len(rows) == 0 {
		return nil
	}
	if db, ok := q.(*store.DB); ok {
		return writerOf(db).write(ctx, rows)
	}
	return appendAccess(ctx, q, rows)
}

// appendAccess extends the chains of the rows' municipalities inside the
// transaction q, in the rows' order within each municipality.
func appendAccess(ctx context.Context, q store.Queryer, rows []AccessRow) error {
	ring := q.Keys()
	if ring == nil {
		return ErrNoChainKey
	}
	keyID, key := ring.ChainKey()
	if len(key) == 0 {
		return ErrNoChainKey
	}
	byMuni := map[int64][]int{}
	var munis []int64
	for i, r := range rows {
		if byMuni[r.MunicipalityID] == nil {
			munis = append(munis, r.MunicipalityID)
		}
		byMuni[r.MunicipalityID] = append(byMuni[r.MunicipalityID], i)
	}
	// Locks in one order everywhere, so two writers never wait on each other.
	sort.Slice(munis, func(i, j int) bool { return munis[i] < munis[j] })
	m := newMacer(ring)
	args := make([]any, 0, len(rows)*14)
	for _, muni := range munis {
		if err := lockChain(ctx, q, lockAccess, muni); err != nil {
			return err
		}
		var seq int64
		prev := genesis
		err := q.QueryRowContext(ctx, "SELECT seq, mac FROM access_log WHERE municipality_id = ? AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1", muni).Scan(&seq, &prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		for _, i := range byMuni[muni] {
			r := rows[i]
			seq++
			mac, err := m.access(keyID, prev, seq, r)
			if err != nil {
				return err
			}
			var user any
			if r.UserID != 0 {
				user = r.UserID
			}
			args = append(args, r.MunicipalityID, r.at(), user, r.UserName, r.OrgUnitName, r.PersonID, r.Categories, r.Basis, r.Channel, r.Reason,
				seq, prev, mac, keyID)
			prev = mac
		}
	}
	return insertAccess(ctx, q, args)
}

const accessCols = 14

// insertAccess inserts rows (accessCols arguments each) in statements of
// at most 500 rows, well inside both engines' limits on parameters.
func insertAccess(ctx context.Context, q store.Queryer, args []any) error {
	const perStmt = 500
	for len(args) > 0 {
		n := min(len(args)/accessCols, perStmt)
		var b strings.Builder
		b.WriteString(`INSERT INTO access_log (municipality_id, at, user_id, user_name, org_unit_name, person_id, categories, basis, channel, reason,
			seq, prev_mac, mac, key_id) VALUES `)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		}
		if _, err := q.ExecContext(ctx, b.String(), args[:n*accessCols]...); err != nil {
			return err
		}
		args = args[n*accessCols:]
	}
	return nil
}

// The group-commit writer. One per open database and process: requests
// queue while a commit is in flight, and the next commit takes all of
// them. A lone request is committed at once, so a quiet server adds no
// waiting; under load, N concurrent reads cost one transaction and one
// fsync instead of N.
type accessWriter struct {
	db       *store.DB
	requests chan *accessRequest
	quit     chan struct{}
	done     chan struct{}
	once     sync.Once
	commits  atomic.Int64 // transactions committed, for WriterStats
	taken    atomic.Int64
}

type accessRequest struct {
	rows []AccessRow
	err  chan error
}

// maxBatch bounds one commit, so a burst does not make one huge transaction.
const maxBatch = 256

type writerKey struct{}

func writerOf(db *store.DB) *accessWriter {
	return db.Shared(writerKey{}, func() any {
		w := &accessWriter{db: db, requests: make(chan *accessRequest, maxBatch), quit: make(chan struct{}), done: make(chan struct{})}
		go w.run()
		return w
	}).(*accessWriter)
}

// errWriterClosed is returned for reads logged while the database closes.
var errWriterClosed = errors.New("innsynsloggen er stengt: databasen lukkes")

func (w *accessWriter) write(ctx context.Context, rows []AccessRow) error {
	req := &accessRequest{rows: rows, err: make(chan error, 1)}
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
	var rows []AccessRow
	for _, r := range batch {
		rows = append(rows, r.rows...)
	}
	err := w.db.InTx(ctx, func(tx *store.Tx) error { return appendAccess(ctx, tx, rows) })
	w.commits.Add(1)
	w.taken.Add(int64(len(batch)))
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			r.err <- w.db.InTx(ctx, func(tx *store.Tx) error { return appendAccess(ctx, tx, r.rows) })
		}
		return
	}
	for _, r := range batch {
		r.err <- err
	}
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
