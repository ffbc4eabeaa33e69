package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	sqlite "modernc.org/sqlite"
)

// SQLite's reads run through one prepared statement per query text: the
// same text twice is one statement, a schema change after it was prepared
// is followed, reads from many goroutines and during a write transaction
// answer as before, a full cache runs new texts unprepared, and a bad
// query still reports its error.
func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	db, err := OpenNoMigrate(ctx, "sqlite:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 20; i++ {
		if _, err := db.ExecContext(ctx, "INSERT INTO t (id, name) VALUES (?, ?)", i, fmt.Sprint("n", i)); err != nil {
			t.Fatal(err)
		}
	}
	const q = "SELECT name FROM t WHERE id = ?"
	for i := 1; i <= 3; i++ {
		var name string
		if err := db.QueryRowContext(ctx, q, i).Scan(&name); err != nil || name != fmt.Sprint("n", i) {
			t.Fatalf("read %d: %q %v", i, name, err)
		}
	}
	if n := len(db.stmts.m); n != 1 {
		t.Fatalf("%d statements cached for one text", n)
	}

	// A column added after the statement was prepared.
	const all = "SELECT * FROM t WHERE id = ?"
	var id int64
	var name string
	if err := db.QueryRowContext(ctx, all, 1).Scan(&id, &name); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'x'"); err != nil {
		t.Fatal(err)
	}
	var extra string
	if err := db.QueryRowContext(ctx, all, 1).Scan(&id, &name, &extra); err != nil || extra != "x" {
		t.Fatalf("after the schema changed: %q %v", extra, err)
	}

	// Many readers at once, one of them inside a write transaction's time.
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	err = db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE t SET name = 'endret' WHERE id = 20"); err != nil {
			return err
		}
		for g := 0; g < 16; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 20; i++ {
					if err := readUpTo(ctx, db, 1+(g+i)%20); err != nil {
						errs <- err
					}
				}
			}(g)
		}
		wg.Wait()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// A bad query reports its error.
	if err := db.QueryRowContext(ctx, "SELECT nothing FROM nowhere").Scan(&name); err == nil {
		t.Error("a query of a missing table answered")
	}
	// A full cache runs new texts unprepared.
	for i := len(db.stmts.m); i < maxCachedStatements; i++ {
		db.stmts.m[fmt.Sprint("filler ", i)] = nil
	}
	if err := db.QueryRowContext(ctx, "SELECT name FROM t WHERE id = ? AND 1 = 1", 2).Scan(&name); err != nil || name != "n2" {
		t.Fatalf("a read with the cache full: %q %v", name, err)
	}
	for k, st := range db.stmts.m {
		if st == nil {
			delete(db.stmts.m, k) // Close closes the real ones
		}
	}
}

// readUpTo reads the rows with id up to n, which must all be committed
// ones, and checks there are n.
func readUpTo(ctx context.Context, db *DB, n int) error {
	rows, err := db.QueryContext(ctx, "SELECT id, name FROM t WHERE id <= ? ORDER BY id", n)
	if err != nil {
		return err
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		if id == 20 && name != "n20" {
			return fmt.Errorf("a reader saw the uncommitted %q", name)
		}
		got++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if got != n {
		return fmt.Errorf("read %d rows, want %d", got, n)
	}
	return nil
}

// compiles counts, on every connection of db's pool, how often SQLite
// compiles a statement that reads or writes table (its authorizer is asked
// once per compile). The connections are taken all at once, so each of
// them is reached, and given back to the pool.
func compiles(t *testing.T, db *DB, table string) *atomic.Int64 {
	t.Helper()
	ctx := context.Background()
	var n atomic.Int64
	var conns []*sql.Conn
	for range 8 { // the SQLite pool's size
		c, err := db.sql.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		err = c.Raw(func(dc any) error {
			return dc.(sqlite.AuthorizerRegisterer).RegisterAuthorizer(func(action sqlite.AuthorizerActionCode, a1, _, _, _ string) sqlite.AuthorizerReturnCode {
				if a1 == table && (action == sqlite.AuthInsert || action == sqlite.AuthUpdate || action == sqlite.AuthRead) {
					n.Add(1)
				}
				return sqlite.AuthorizerOK
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range conns {
		_ = c.Close()
	}
	return &n
}

// Statistics on SQLite keep the table sizes and drop STAT4's per-value
// samples, on every connection: with samples loaded, a statement that
// binds a value to an indexed column is compiled again on every run.
func TestSQLiteStatisticsKeepNoSamples(t *testing.T) {
	ctx := context.Background()
	db, err := OpenNoMigrate(ctx, "sqlite:"+filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)",
		"CREATE INDEX t_name ON t (name)",
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO t SELECT i, 'n' || (i % 50) FROM n",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	tables := func() (stat1, stat4 int) {
		t.Helper()
		if err := db.QueryRowContext(ctx, "SELECT count(*) FILTER (WHERE name = 'sqlite_stat1'), count(*) FILTER (WHERE name = 'sqlite_stat4') FROM sqlite_schema").Scan(&stat1, &stat4); err != nil {
			t.Fatal(err)
		}
		return stat1, stat4
	}
	// Twenty runs of one prepared statement with new values, on each of
	// four connections held at once: how often was it compiled?
	runs := func() int64 {
		t.Helper()
		n := compiles(t, db, "t")
		var conns []*sql.Conn
		defer func() {
			for _, c := range conns {
				_ = c.Close()
			}
		}()
		for range 4 {
			c, err := db.sql.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
			func() {
				st, err := c.PrepareContext(ctx, "SELECT count(*) FROM t WHERE name = ?")
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				for i := range 20 {
					var got int
					if err := st.QueryRowContext(ctx, fmt.Sprint("n", i)).Scan(&got); err != nil {
						t.Fatal(err)
					}
				}
			}()
		}
		return n.Load()
	}
	// Without Husly's step, ANALYZE writes samples, and the statement is
	// compiled on nearly every run.
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	if stat1, stat4 := tables(); stat1 != 1 || stat4 != 1 {
		t.Fatalf("ANALYZE left stat1 %d, stat4 %d: this SQLite no longer collects samples, and the step can go", stat1, stat4)
	}
	if n := runs(); n < 40 {
		t.Fatalf("with samples, 80 runs compiled %d times: SQLite no longer plans by them, and the step can go", n)
	}
	db.Analyze(ctx, "t")
	if stat1, stat4 := tables(); stat1 != 1 || stat4 != 0 {
		t.Fatalf("after Analyze: stat1 %d, stat4 %d; want the sizes and no samples", stat1, stat4)
	}
	var rows int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 't'").Scan(&rows); err != nil || rows == 0 {
		t.Fatalf("no sizes kept for t: %d %v", rows, err)
	}
	if n := runs(); n > 8 {
		t.Fatalf("after Analyze, 80 runs on four connections compiled %d times; want once per connection", n)
	}
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	db.Optimize(ctx)
	if _, stat4 := tables(); stat4 != 0 {
		t.Fatal("Optimize left the samples")
	}
	if n := runs(); n > 8 {
		t.Fatalf("after Optimize, 80 runs on four connections compiled %d times; want once per connection", n)
	}
}

// A write kept prepared runs prepared inside transactions: on the
// transaction's connection, seeing and rolling back with the transaction,
// compiled once per connection instead of once per run, and a write not
// kept is not cached by running it.
func TestKeptWritesRunInTransactions(t *testing.T) {
	ctx := context.Background()
	db, err := OpenNoMigrate(ctx, "sqlite:"+filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"); err != nil {
		t.Fatal(err)
	}
	const kept, other = "INSERT INTO t (name) VALUES (?)", "UPDATE t SET name = ? WHERE id = ?"
	db.KeepPrepared(ctx, kept)
	if db.keptStmt(kept) == nil {
		t.Fatal("the kept write is not in the cache")
	}
	count := func(q Queryer) (n int) {
		t.Helper()
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	writes := func(q string, args func(i int) []any) int64 {
		t.Helper()
		n := compiles(t, db, "t")
		for i := range 10 {
			if err := db.InTx(ctx, func(tx *Tx) error {
				_, err := tx.ExecContext(ctx, q, args(i)...)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		return n.Load()
	}
	if n := writes(kept, func(i int) []any { return []any{fmt.Sprint("n", i)} }); n > 3 {
		t.Fatalf("ten transactions compiled the kept insert %d times", n)
	}
	if n := writes(other, func(i int) []any { return []any{"m", i + 1} }); n < 10 {
		t.Fatalf("ten transactions compiled the update that was not kept %d times; the check cannot tell", n)
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, kept, "last")
		if err != nil {
			return err
		}
		if id, err := res.LastInsertId(); err != nil || id != 11 {
			t.Fatalf("the kept insert got id %d, %v", id, err)
		}
		if n := count(tx); n != 11 {
			t.Fatalf("the transaction sees %d rows after its insert", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("refused")
	if err := db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, kept, "gone"); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if n := count(db); n != 11 {
		t.Fatalf("%d rows after a rolled-back insert; want 11", n)
	}
	if db.keptStmt(other) != nil {
		t.Fatal("a write that was not kept was cached")
	}
}
