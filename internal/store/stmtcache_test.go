package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
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
					rows, err := db.QueryContext(ctx, "SELECT id, name FROM t WHERE id <= ? ORDER BY id", 1+(g+i)%20)
					if err != nil {
						errs <- err
						return
					}
					n := 0
					for rows.Next() {
						var id int64
						var name string
						if err := rows.Scan(&id, &name); err != nil {
							errs <- err
						}
						if id == 20 && name != "n20" {
							errs <- fmt.Errorf("a reader saw the uncommitted %q", name)
						}
						n++
					}
					if err := rows.Close(); err != nil {
						errs <- err
					}
					if err := rows.Err(); err != nil {
						errs <- err
					}
					if n != 1+(g+i)%20 {
						errs <- fmt.Errorf("read %d rows, want %d", n, 1+(g+i)%20)
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
	if _, err := db.QueryContext(ctx, "SELECT nothing FROM nowhere"); err == nil {
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
