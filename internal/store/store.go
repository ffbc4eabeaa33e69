// Package store opens Husly's database — SQLite or PostgreSQL — and gives the
// capability packages one way to query both: SQL is written once with `?`
// placeholders and rebound for PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"

	"husly/internal/keys"
	_ "modernc.org/sqlite" // registers "sqlite"
)

// Dialect names the SQL engine behind a DB.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// DefaultDSN is used when neither --db nor HUSLY_DB is given.
const DefaultDSN = "sqlite:./husly-data/husly.db"

// Queryer is what both *DB and *Tx offer; storage functions take it so that
// they run alone or inside a caller's transaction.
type Queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() Dialect
	// Keys protect identity numbers at rest.
	Keys() *keys.Ring
}

// DB is an open Husly database.
type DB struct {
	sql     *sql.DB
	dialect Dialect
	keys    *keys.Ring
	// Location is the DSN without secrets, for messages.
	Location string

	mu     sync.Mutex
	shared map[any]any

	// writer is held by this process's SQLite transaction that has the
	// write lock (see InTx).
	writer chan struct{}

	// observe, when set, is told of every statement run through the DB
	// and its transactions (Observe).
	observe atomic.Pointer[func(query string)]

	// stmts are SQLite's prepared statements: reads, and the writes kept by
	// KeepPrepared (cachedStmt).
	stmts statementCache
}

// statementCache keeps a prepared statement per query text. database/sql
// prepares a *sql.Stmt on each pooled connection the first time it runs
// there and keeps it, so a page's queries are parsed and planned once per
// connection instead of on every request.
type statementCache struct {
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

// maxCachedStatements bounds the cache: Husly's queries are a fixed set of
// texts, but one with an IN list has a text per list length, and a cache
// that is full runs new texts unprepared as before.
const maxCachedStatements = 512

// cachedStmt is the prepared statement for q, prepared now if need be, or
// nil when q is to run unprepared. Only SQLite uses it: its driver parses
// and plans a statement on every call, while pgx already keeps a prepared
// statement per connection for PostgreSQL (and a second cache there would
// have to follow each test's schema). A statement is prepared with
// SQLite's prepare_v2, which prepares itself again after a schema change.
// Reads outside a transaction use it, and writes inside one when they
// were kept (KeepPrepared); a transaction's reads run their own
// statements, so two result sets of one statement never share a
// connection.
func (db *DB) cachedStmt(ctx context.Context, q string) *sql.Stmt {
	if db.dialect != SQLite {
		return nil
	}
	db.stmts.mu.RLock()
	st, full := db.stmts.m[q], len(db.stmts.m) >= maxCachedStatements
	db.stmts.mu.RUnlock()
	if st != nil || full {
		return st
	}
	st, err := db.sql.PrepareContext(ctx, q) //nolint:sqlclosecheck // kept in the cache; Close closes it, or the deferred close when it is not kept
	if err != nil {
		return nil // run unprepared: the query itself reports the problem
	}
	kept := false
	defer func() {
		if !kept {
			_ = st.Close() // another request prepared it first, or the cache filled
		}
	}()
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	if had := db.stmts.m[q]; had != nil || len(db.stmts.m) >= maxCachedStatements {
		return had
	}
	if db.stmts.m == nil {
		db.stmts.m = map[string]*sql.Stmt{}
	}
	db.stmts.m[q], kept = st, true
	return st
}

// KeepPrepared puts the writes qs in SQLite's statement cache, so that a
// transaction's ExecContext of one of these texts runs it prepared on the
// transaction's connection instead of parsing it again (the access log's
// group commit, which runs the same few statements for every request).
// It must be called outside a transaction: preparing takes a connection
// of its own, and one that waited for the caller's transaction to end
// would never get it. PostgreSQL needs none of this (see cachedStmt).
func (db *DB) KeepPrepared(ctx context.Context, qs ...string) {
	for _, q := range qs {
		_ = db.cachedStmt(ctx, q) //nolint:sqlclosecheck // kept in the cache; Close closes it
	}
}

// keptStmt is q's statement in the cache, or nil: never prepared here,
// since a transaction calls it.
func (db *DB) keptStmt(q string) *sql.Stmt {
	if db == nil || db.dialect != SQLite {
		return nil
	}
	db.stmts.mu.RLock()
	defer db.stmts.mu.RUnlock()
	return db.stmts.m[q]
}

// Observe calls fn with each statement run through db or a transaction it
// begins, before the statement runs; nil stops it. Tests count a page's
// queries with it, so an N+1 read fails a test instead of a server.
func (db *DB) Observe(fn func(query string)) {
	if fn == nil {
		db.observe.Store(nil)
		return
	}
	db.observe.Store(&fn)
}

func (db *DB) observed(q string) {
	if fn := db.observe.Load(); fn != nil {
		(*fn)(q)
	}
}

// afterOpen runs, in order, when Open has migrated the schema and loaded
// the keys: steps that need both (sealing the audit chain with its key).
var afterOpen []func(ctx context.Context, db *DB) error

// AfterOpen registers fn to run each time Open opens a database, after the
// migrations and with the key ring loaded. fn must be cheap when it has
// nothing to do.
func AfterOpen(fn func(ctx context.Context, db *DB) error) { afterOpen = append(afterOpen, fn) }

// Shared gives the one value kept under key for this database, made by
// create on first use: services that belong to an open database, like the
// access log's group-commit writer. Values that are io.Closers are closed
// by Close, before the pool.
func (db *DB) Shared(key any, create func() any) any {
	db.mu.Lock()
	defer db.mu.Unlock()
	if v, ok := db.shared[key]; ok {
		return v
	}
	if db.shared == nil {
		db.shared = map[any]any{}
	}
	v := create()
	db.shared[key] = v
	return v
}

// Open connects to dsn ("sqlite:PATH" or a postgres:// URL) and migrates an
// empty or older database to the current schema.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, err := OpenNoMigrate(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.loadKeys(ctx, dsn); err != nil {
		db.Close()
		return nil, err
	}
	for _, fn := range afterOpen {
		if err := fn(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	db.Optimize(ctx)
	return db, nil
}

// Optimize refreshes SQLite's query-planner statistics where they are
// missing or stale. It is cheap and is run at open; a failure only costs
// speed. PostgreSQL is left to autovacuum at open: Analyze is for after
// bulk writes.
func (db *DB) Optimize(ctx context.Context) {
	if db.dialect == SQLite {
		_ = db.sqliteStatistics(ctx)
	}
}

// sqliteStatistics runs PRAGMA optimize and drops the per-value samples
// (sqlite_stat4) that its ANALYZE leaves beside the table and index sizes
// (sqlite_stat1), in one transaction, so no other connection ever loads
// them. The SQLite Husly is built with has STAT4 compiled in, and while a
// connection holds samples, every statement that compares a bound
// parameter with an indexed column is compiled again on each run with new
// values, so the planner can look the value up in them: under the mixed
// load of `husly bench http` that was a third of the server's CPU.
// Husly's statements find rows by key or by a range of one, where the
// sizes choose the same plans.
//
// A connection that had loaded samples (the one that ran ANALYZE, or any,
// on a database that had samples when it was opened) keeps them in every
// statement it prepared before it notices the change, and SQLite carries
// that mark over each time it compiles such a statement again. So the
// idle connections are closed afterwards: new ones load the schema
// without samples, and the statement cache prepares its statements on
// them afresh.
func (db *DB) sqliteStatistics(ctx context.Context) error {
	defer func() {
		db.sql.SetMaxIdleConns(0)
		db.sql.SetMaxIdleConns(sqlitePool)
	}()
	return db.InConnTx(ctx, func(tx *Tx) error {
		// ANALYZE reads at most about 1,000 rows of each index, as SQLite
		// advises for PRAGMA optimize: the sizes it estimates choose the
		// same plans, and after an import of 100,000 persons reading them
		// all was a tenth of the import's time. (The connection is closed
		// afterwards, so the limit goes with it.)
		for _, q := range []string{"PRAGMA analysis_limit=1000", "PRAGMA optimize=0x10002", "DROP TABLE IF EXISTS sqlite_stat4"} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}

// sqlitePool is the most connections a process keeps to an SQLite file.
const sqlitePool = 8

// Analyze refreshes the planner's statistics after a bulk write (an import,
// a restore): PRAGMA optimize on SQLite, ANALYZE of the given tables on
// PostgreSQL. Without it PostgreSQL plans with the sizes it knew before the
// write until autovacuum comes by, and a server may not run autovacuum; a
// plan made for an empty persons table scans it once it has 100,000 rows.
// The write is already committed, so a failure is only logged.
func (db *DB) Analyze(ctx context.Context, tables ...string) {
	var err error
	if db.dialect == SQLite {
		err = db.sqliteStatistics(ctx)
	} else if len(tables) > 0 {
		// The names come from Husly's code, never from input.
		_, err = db.sql.ExecContext(ctx, "ANALYZE "+strings.Join(tables, ", "))
	}
	if err != nil {
		slog.Warn("planner statistics not refreshed", "tables", tables, "err", err)
	}
}

// CheckpointEvery copies SQLite's write-ahead log into the database every
// interval until ctx ends. A passive checkpoint waits for no reader or
// writer, so a server's commits no longer stop to do it themselves (left
// to the commit that passes the threshold, it stalled the access log's
// group commit and every read queued behind it). PostgreSQL checkpoints
// itself.
func (db *DB) CheckpointEvery(ctx context.Context, interval time.Duration) {
	if db.dialect != SQLite {
		return
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := db.sql.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil && ctx.Err() == nil {
				slog.Warn("checkpoint of the write-ahead log failed", "err", err)
			}
		}
	}
}

// KeysPath is where a database's key ring is kept (unless HUSLY_KEYS holds
// the ring itself): HUSLY_KEYS_FILE, else
// beside the SQLite file, else ./husly-data/husly-keys.json.
func KeysPath(dsn string) string {
	if p := os.Getenv("HUSLY_KEYS_FILE"); p != "" {
		return p
	}
	if strings.HasPrefix(dsn, "sqlite:") {
		return filepath.Join(filepath.Dir(strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")), "husly-keys.json")
	}
	return filepath.Join("husly-data", "husly-keys.json")
}

// loadKeys opens the key ring. A new ring is made only for a database that
// holds no identity numbers yet: a new key could not read old ones.
func (db *DB) loadKeys(ctx context.Context, dsn string) error {
	if env := os.Getenv("HUSLY_KEYS"); env != "" {
		ring, err := keys.Parse([]byte(env))
		db.keys = ring
		return err
	}
	path := KeysPath(dsn)
	ring, err := keys.Open(path, false)
	if errors.Is(err, os.ErrNotExist) {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM persons").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("nøkkelfilen %s mangler, og databasen har krypterte fødselsnumre: legg nøkkelfilen på plass eller sett HUSLY_KEYS_FILE", path)
		}
		ring, err = keys.Open(path, true)
	}
	if err != nil {
		return err
	}
	db.keys = ring
	return nil
}

// OpenNoMigrate connects without touching the schema.
func OpenNoMigrate(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		dsn = DefaultDSN
	}
	var db *DB
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return nil, errors.New("databaseadressen sqlite: mangler filsti, f.eks. sqlite:./husly-data/husly.db")
		}
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("kan ikke opprette mappen for databasen: %w", err)
			}
		}
		// WAL lets readers work during writes; synchronous=FULL makes every
		// acknowledged commit survive a power cut; a 32 MB page cache keeps big
		// imports from spilling mid-transaction (twice as fast at 100,000 rows);
		// _txlock=immediate takes the
		// write lock at BEGIN so two writers queue instead of deadlocking.
		// A server checkpoints the log in the background (CheckpointEvery);
		// the commit that passes 10,000 pages (40 MB) checkpoints only where
		// nothing else does, as in a long import.
		conn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
			"&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=cache_size(-32000)&_pragma=temp_store(2)&_pragma=wal_autocheckpoint(10000)&_txlock=immediate"
		s, err := sql.Open("sqlite", conn)
		if err != nil {
			return nil, err
		}
		s.SetMaxOpenConns(sqlitePool)
		s.SetMaxIdleConns(sqlitePool)
		db = &DB{sql: s, dialect: SQLite, Location: "sqlite:" + path, writer: make(chan struct{}, 1)}
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		// Keep every connection the pool may open: database/sql keeps two
		// idle by default, so under concurrent requests the others were
		// closed after each use and opened again for the next (a backend
		// started by PostgreSQL, authentication, and every statement
		// prepared anew), several round trips per request.
		s.SetMaxOpenConns(20)
		s.SetMaxIdleConns(20)
		s.SetConnMaxIdleTime(5 * time.Minute)
		db = &DB{sql: s, dialect: Postgres, Location: redact(dsn)}
	default:
		return nil, errors.New("ukjent databaseadresse: bruk sqlite:STI eller postgres://…")
	}
	if err := db.sql.PingContext(ctx); err != nil {
		_ = db.sql.Close() // the failed ping is the error to report
		return nil, fmt.Errorf("får ikke kontakt med databasen %s: %w", db.Location, err)
	}
	return db, nil
}

func redact(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	return dsn[:scheme+3] + "…" + dsn[at:]
}

func (db *DB) Dialect() Dialect { return db.dialect }
func (db *DB) Keys() *keys.Ring { return db.keys }

// Close stops the database's shared services and closes the pool.
func (db *DB) Close() error {
	db.mu.Lock()
	shared := db.shared
	db.shared = nil
	db.mu.Unlock()
	for _, v := range shared {
		if c, ok := v.(io.Closer); ok {
			c.Close()
		}
	}
	db.stmts.mu.Lock()
	for _, st := range db.stmts.m {
		_ = st.Close() // the pool's close below ends them anyway
	}
	db.stmts.m = nil
	db.stmts.mu.Unlock()
	return db.sql.Close()
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Raw gives the underlying pool to code that must manage its own connection.
func (db *DB) Raw() *sql.DB { return db.sql }

func (db *DB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	db.observed(q)
	return db.sql.ExecContext(ctx, rebind(db.dialect, q), args...)
}
func (db *DB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	db.observed(q)
	if st := db.cachedStmt(ctx, q); st != nil { //nolint:sqlclosecheck // the cache's statement, closed with the DB
		return st.QueryContext(ctx, args...)
	}
	return db.sql.QueryContext(ctx, rebind(db.dialect, q), args...)
}
func (db *DB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	db.observed(q)
	if st := db.cachedStmt(ctx, q); st != nil { //nolint:sqlclosecheck // the cache's statement, closed with the DB
		return st.QueryRowContext(ctx, args...)
	}
	return db.sql.QueryRowContext(ctx, rebind(db.dialect, q), args...)
}

// Tx is a transaction with the same rebinding as DB.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	keys    *keys.Ring
	conn    *sql.Conn // set by InConnTx, for COPY
	db      *DB       // for Observe
	local   map[any]any
}

// Local gives the value kept under key for the rest of the transaction,
// made by create the first time: what a capability learns once in a
// transaction and may reuse in it (the access log's chain tails, which
// the transaction holds locked).
func (tx *Tx) Local(key any, create func() any) any {
	if v, ok := tx.local[key]; ok {
		return v
	}
	if tx.local == nil {
		tx.local = map[any]any{}
	}
	v := create()
	tx.local[key] = v
	return v
}

func (tx *Tx) Dialect() Dialect { return tx.dialect }
func (tx *Tx) Keys() *keys.Ring { return tx.keys }
func (tx *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	tx.observed(q)
	if st := tx.db.keptStmt(q); st != nil {
		// The transaction's copy runs on its connection, where the
		// statement stays prepared; a write leaves no rows open, so the
		// same statement is never running twice on one connection.
		in := tx.tx.StmtContext(ctx, st)
		defer in.Close()
		return in.ExecContext(ctx, args...)
	}
	return tx.tx.ExecContext(ctx, rebind(tx.dialect, q), args...)
}
func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	tx.observed(q)
	return tx.tx.QueryContext(ctx, rebind(tx.dialect, q), args...)
}
func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	tx.observed(q)
	return tx.tx.QueryRowContext(ctx, rebind(tx.dialect, q), args...)
}

func (tx *Tx) observed(q string) {
	if tx.db != nil {
		tx.db.observed(q)
	}
}

// Prepare makes a statement for repeated use inside the transaction (imports).
func (tx *Tx) Prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	return tx.tx.PrepareContext(ctx, rebind(tx.dialect, q))
}

// InTx runs fn in one transaction: committed if fn returns nil, rolled back
// otherwise. Every user action goes through here, so bad input changes nothing.
//
// On SQLite every transaction takes the database's one write lock at BEGIN
// (BEGIN IMMEDIATE). Transactions of this process queue for it here, in
// Go, and are woken the moment it is free; left to SQLite, a transaction
// that finds the lock taken sleeps in its busy handler in steps of up to
// 100 ms and retries, so under load a write waited up to a second behind
// the access log's group commits while the lock was mostly free. Another
// process on the same file still waits in SQLite's busy handler.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	release, err := db.takeWriter(ctx)
	if err != nil {
		return err
	}
	defer release()
	t, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(&Tx{tx: t, dialect: db.dialect, keys: db.keys, db: db}); err != nil {
		t.Rollback()
		return err
	}
	return t.Commit()
}

// writerWait is how long a transaction queues for this process's writer
// before it is refused, as SQLite's busy_timeout would refuse it.
const writerWait = 10 * time.Second

// ErrBusy is returned when a transaction waited writerWait for the write
// lock.
var ErrBusy = errors.New("databasen er opptatt med andre endringer; prøv igjen")

func (db *DB) takeWriter(ctx context.Context) (release func(), err error) {
	if db.writer == nil {
		return func() {}, nil
	}
	timer := time.NewTimer(writerWait)
	defer timer.Stop()
	select {
	case db.writer <- struct{}{}:
		return func() { <-db.writer }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, ErrBusy
	}
}

// rebind turns `?` placeholders into PostgreSQL's `$n`. Husly's SQL never
// contains a literal question mark, so no quoting rules are needed.
func rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// InsertID runs an INSERT … RETURNING id and gives the new id.
func InsertID(ctx context.Context, q Queryer, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}
