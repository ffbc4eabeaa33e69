package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Environment says what a database is for. Synthetic identity numbers are
// accepted only in "demo" and "test" databases.
type Environment string

const (
	Production Environment = "produksjon"
	DemoEnv    Environment = "demo"
	TestEnv    Environment = "test"
)

// Setting reads a setting; a missing one gives "".
func Setting(ctx context.Context, q Queryer, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting writes a setting.
func SetSetting(ctx context.Context, q Queryer, key, value string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// EnvironmentOf reads the database's environment; unset means production.
func EnvironmentOf(ctx context.Context, q Queryer) (Environment, error) {
	v, err := Setting(ctx, q, "environment")
	if v == "" {
		return Production, err
	}
	return Environment(v), err
}

// AllowsSyntheticIDs reports whether synthetic identity numbers may be stored.
func AllowsSyntheticIDs(ctx context.Context, q Queryer) (bool, error) {
	env, err := EnvironmentOf(ctx, q)
	return env == DemoEnv || env == TestEnv, err
}

// IsEmpty reports whether the database holds no municipality yet.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM municipalities").Scan(&n)
	return n == 0, err
}

// CheckIntegrity asks the engine to verify its files and indexes and checks
// that every foreign key resolves. It returns nil when all is well.
func (db *DB) CheckIntegrity(ctx context.Context) error {
	var problems []string
	switch db.dialect {
	case SQLite:
		rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
		found, err := Collect(rows, err, func(r Scanner) (s string, err error) {
			return s, r.Scan(&s)
		})
		if err != nil {
			return err
		}
		for _, s := range found {
			if s != "ok" {
				problems = append(problems, s)
			}
		}
		rows, err = db.QueryContext(ctx, "PRAGMA foreign_key_check")
		dangling, err := Collect(rows, err, func(r Scanner) (string, error) {
			var table, parent string
			var rowid sql.NullInt64
			var fk int
			err := r.Scan(&table, &rowid, &parent, &fk)
			return fmt.Sprintf("%s rad %d peker til manglende %s", table, rowid.Int64, parent), err
		})
		if err != nil {
			return err
		}
		problems = append(problems, dangling...)
	case Postgres:
		// amcheck verifies every B-tree index against its table.
		if _, err := db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public"); err != nil {
			return fmt.Errorf("amcheck er ikke tilgjengelig: %w", err)
		}
		rows, err := db.QueryContext(ctx, `SELECT c.oid::regclass::text FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE a.amname = 'btree' AND n.nspname = current_schema()`)
		indexes, err := Collect(rows, err, func(r Scanner) (s string, err error) {
			return s, r.Scan(&s)
		})
		if err != nil {
			return err
		}
		for _, ix := range indexes {
			if _, err := db.ExecContext(ctx, "SELECT public.bt_index_check(?::regclass, true)", ix); err != nil {
				problems = append(problems, fmt.Sprintf("indeks %s: %v", ix, err))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("integritetsfeil: %s", strings.Join(problems, "; "))
	}
	return nil
}
