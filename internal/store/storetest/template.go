package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"husly/internal/store"
)

// A test database starts as a copy of a template made once per test
// process instead of running every migration (and, for a seeded database
// such as the demo municipality, every insert) again: an SQLite file is
// copied, and a PostgreSQL template schema's rows are copied across in one
// transaction. Templates are made fresh by each process, so data that
// depends on today (deadlines, warnings) is as the tests expect.

// template is one database built once per process and engine.
type template struct {
	once sync.Once
	err  error
	// path is the SQLite file; schema the PostgreSQL schema.
	path, schema string
	// tables are the template's tables in the order rows can be inserted.
	tables []string
}

var (
	templates   sync.Map // engine + "/" + key → *template
	templateDir = sync.OnceValues(func() (string, error) { return os.MkdirTemp("", "husly-test-templates") })
)

// templateFor gives the process's template for engine and key, built by
// build on a freshly migrated test database the first time it is asked.
func templateFor(engine, key string, build func(ctx context.Context, db *store.DB) error) (*template, error) {
	v, _ := templates.LoadOrStore(engine+"/"+key, &template{})
	tp := v.(*template)
	tp.once.Do(func() { tp.err = tp.build(engine, key, build) })
	return tp, tp.err
}

func (tp *template) build(engine, key string, build func(ctx context.Context, db *store.DB) error) error {
	ctx := context.Background()
	var dsn string
	if engine == "sqlite" {
		dir, err := templateDir()
		if err != nil {
			return err
		}
		tp.path = filepath.Join(dir, key+".db")
		dsn = "sqlite:" + tp.path
	} else {
		var err error
		if tp.schema, dsn, err = templateSchema(ctx); err != nil {
			return err
		}
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return fmt.Errorf("template %s/%s: %w", engine, key, err)
	}
	defer db.Close()
	if err := store.SetSetting(ctx, db, "environment", string(store.TestEnv)); err != nil {
		return err
	}
	if build != nil {
		if err := build(ctx, db); err != nil {
			return fmt.Errorf("template %s/%s: %w", engine, key, err)
		}
	}
	s, err := store.ReadSchema(ctx, db)
	if err != nil {
		return err
	}
	// counters is derived by triggers from the rows copied before it, so
	// it is emptied and copied last.
	tables := slices.DeleteFunc(s.Tables(), func(t string) bool { return t == "counters" })
	if tp.tables, err = s.Order(tables); err != nil {
		return err
	}
	if s.Columns["counters"] != nil {
		tp.tables = append(tp.tables, "counters")
	}
	if engine == "sqlite" {
		// Fold the write-ahead log into the file so a plain copy has it
		// all, and leave WAL mode: tests attach the file read-only side by
		// side, which a rollback-journal file allows with shared locks
		// alone (Open turns WAL on again in each copy).
		if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, "PRAGMA journal_mode=DELETE"); err != nil {
			return err
		}
	}
	return nil
}

// templateSchema makes a PostgreSQL schema for a template. The process
// has no hook at its end, so a template outlives it; each new template
// first drops those left by runs that ended more than two hours ago (a
// package's tests stop after 30 minutes).
func templateSchema(ctx context.Context) (schema, dsn string, err error) {
	base := os.Getenv("HUSLY_TEST_POSTGRES")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", "", err
	}
	defer admin.Close()
	names, err := templateSchemas(ctx, admin)
	if err != nil {
		return "", "", err
	}
	for _, name := range names {
		parts := strings.Split(strings.TrimPrefix(name, templatePrefix), "_")
		if at, err := strconv.ParseInt(parts[0], 10, 64); err != nil || time.Since(time.Unix(at, 0)) < 2*time.Hour {
			continue
		}
		// Another process may be dropping the same schema.
		_, _ = admin.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE") //nolint:gosec // a name read from pg_namespace, of the form storetest_tpl_<digits>_<hex>
	}
	b := make([]byte, 4)
	rand.Read(b)
	schema = fmt.Sprintf("%s%d_%s", templatePrefix, time.Now().Unix(), hex.EncodeToString(b))
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", "", fmt.Errorf("create template schema: %w", err)
	}
	return schema, withSearchPath(base, schema), nil
}

// templatePrefix starts the name of every template schema, which goes on
// with the Unix time it was made and a random part.
const templatePrefix = "storetest_tpl_"

// templateSchemas lists the template schemas in the test database.
func templateSchemas(ctx context.Context, admin *sql.DB) ([]string, error) {
	rows, err := admin.QueryContext(ctx, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'storetest\\_tpl\\_%'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		if strings.Count(strings.TrimPrefix(name, templatePrefix), "_") == 1 {
			names = append(names, name)
		}
	}
	return names, rows.Err()
}

// withSearchPath is base with schema as the connection's search path and
// commits that do not wait for the disk: a test database is thrown away,
// so no commit needs to survive a power cut.
func withSearchPath(base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// copySQLite copies the template file to a new file in the test's
// temporary directory and returns its DSN.
func copySQLite(t testing.TB, tp *template) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "husly.db")
	src, err := os.Open(tp.path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()           //nolint:errcheck // opened for reading: closing loses nothing
	dst, err := os.Create(path) //nolint:gosec // a file in the test's own temporary directory
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return "sqlite:" + path
}

// Seed fills db, a fresh test database from Open, with the rows of the
// process's template named key, which build makes once on a database of
// its own (the demo municipality, for instance). Every table is copied in
// one transaction with its keys intact, so ids, sealed identity numbers
// and the log chains read as they did in the template.
func Seed(t testing.TB, db *store.DB, key string, build func(ctx context.Context, db *store.DB) error) {
	t.Helper()
	engine := db.Dialect().String()
	tp, err := templateFor(engine, key, build)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if engine == "sqlite" {
		err = seedSQLite(ctx, db, tp)
	} else {
		err = db.InTx(ctx, func(tx *store.Tx) error { return seedPostgres(ctx, tx, tp) })
	}
	if err != nil {
		t.Fatalf("seed %s from the template %s: %v", engine, key, err)
	}
}

// seedSQLite attaches the template file to one connection and copies
// every table inside one transaction.
func seedSQLite(ctx context.Context, db *store.DB, tp *template) (err error) {
	conn, err := db.Raw().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Read-only, so that the write transaction below (every transaction
	// on Husly's SQLite connections begins immediate) takes no write lock
	// on the template, which other tests are copying at the same time.
	if _, err := conn.ExecContext(ctx, "ATTACH DATABASE ? AS tpl", "file:"+tp.path+"?mode=ro"); err != nil {
		return err
	}
	defer func() {
		if _, derr := conn.ExecContext(ctx, "DETACH DATABASE tpl"); err == nil {
			err = derr
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for _, stmt := range copyStatements(tp, "tpl") {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return tx.Commit()
}

// seedPostgres copies the template schema's rows into the test's schema,
// then moves each identity sequence past the copied ids.
func seedPostgres(ctx context.Context, tx *store.Tx, tp *template) error {
	for _, stmt := range copyStatements(tp, tp.schema) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.relname, pg_get_serial_sequence(c.relname, a.attname) FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attidentity <> ''
		WHERE n.nspname = current_schema() AND c.relkind = 'r'`)
	stmts, err := store.Collect(rows, err, func(s store.Scanner) (string, error) {
		var table, seq string
		err := s.Scan(&table, &seq)
		return "SELECT setval('" + seq + "', COALESCE((SELECT MAX(id) FROM " + table + "), 0) + 1, false)", err
	})
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// copyStatements empties the fresh database's settings (the template has
// its own) and copies every table from the template in key order; counters
// is emptied after the rows whose triggers add to it, then copied.
func copyStatements(tp *template, from string) []string {
	stmts := []string{"DELETE FROM settings"}
	for _, t := range tp.tables {
		if t == "counters" {
			stmts = append(stmts, "DELETE FROM counters")
		}
		stmts = append(stmts, "INSERT INTO "+t+" SELECT * FROM "+from+"."+t)
	}
	return stmts
}
