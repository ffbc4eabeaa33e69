// Package backup writes and restores a logical copy of a Husly database:
// gzip-compressed JSON lines, one table after another in dependency order.
// The copy is taken inside one read snapshot, so it is consistent while
// the server keeps writing, and it restores into either engine — a
// municipality can move from SQLite to PostgreSQL with it.
package backup

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"husly/internal/personaldata"
	_ "husly/internal/personaldata/all" // every capability's tables
	"husly/internal/store"
)

const format = "husly-backup"

type header struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Schema  int    `json:"schema"`
	Engine  string `json:"engine"`
	Created string `json:"created"`
}

type tableStart struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

type tableEnd struct {
	End  string `json:"end"`
	Rows int    `json:"rows"`
}

// Stats says what a backup or restore moved.
type Stats struct {
	Tables int
	Rows   int
}

// Write writes a consistent copy of db to w: every table the registry of
// personal data declares, except those it says to leave out (sessions),
// parents before children. It refuses when the registry and the schema
// disagree, since a table missing from the registry would be missing from
// the backup.
func Write(ctx context.Context, db *store.DB, w io.Writer) (Stats, error) {
	return write(ctx, db, w, personaldata.Default(), true)
}

func write(ctx context.Context, db *store.DB, w io.Writer, reg *personaldata.Registry, verify bool) (Stats, error) {
	var schema store.Schema
	var err error
	if verify {
		schema, err = reg.Verify(ctx, db)
	} else {
		schema, err = store.ReadSchema(ctx, db)
	}
	if err != nil {
		return Stats{}, fmt.Errorf("sikkerhetskopien er ikke tatt: %w", err)
	}
	tables, err := schema.Order(reg.BackedUp())
	if err != nil {
		return Stats{}, err
	}
	conn, err := db.Raw().Conn(ctx)
	if err != nil {
		return Stats{}, err
	}
	defer conn.Close()
	// One read snapshot for every table: writers go on meanwhile.
	var q interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	}
	if db.Dialect() == store.Postgres {
		tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			return Stats{}, err
		}
		defer tx.Rollback()
		q = tx
	} else {
		// BEGIN DEFERRED takes no write lock; the snapshot starts at the first read.
		if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
			return Stats{}, err
		}
		// Only read: ending the snapshot cannot lose anything, so its error
		// is of no use.
		defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") }()
		q = conn
	}
	rows, err := q.QueryContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
	versions, err := store.Collect(rows, err, func(s store.Scanner) (v int, err error) { return v, s.Scan(&v) })
	if err != nil {
		return Stats{}, err
	}
	version := versions[0] // MAX gives one row

	gz := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(gz, 256*1024)
	enc := json.NewEncoder(bw)
	if err := enc.Encode(header{format, 1, version, db.Dialect().String(), time.Now().UTC().Format(time.RFC3339)}); err != nil {
		return Stats{}, err
	}
	var st Stats
	for _, table := range tables {
		n, err := writeTable(ctx, q, enc, table)
		if err != nil {
			return st, fmt.Errorf("tabell %s: %w", table, err)
		}
		st.Tables++
		st.Rows += n
	}
	if err := bw.Flush(); err != nil {
		return st, err
	}
	return st, gz.Close()
}

func writeTable(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, enc *json.Encoder, table string) (int, error) {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return 0, err
	}
	kinds := make([]string, len(types))
	for i, t := range types {
		kinds[i] = strings.ToUpper(t.DatabaseTypeName())
	}
	if err := enc.Encode(tableStart{table, cols}); err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			vals[i] = normalise(v, kinds[i])
		}
		if err := enc.Encode(vals); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, enc.Encode(tableEnd{table, n})
}

// normalise gives a value one portable JSON form whichever engine read it:
// booleans as true/false, dates as YYYY-MM-DD, timestamps in UTC.
func normalise(v any, kind string) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case int64:
		if kind == "BOOLEAN" || kind == "BOOL" {
			return x != 0
		}
	case time.Time:
		if kind == "DATE" {
			return x.Format(time.DateOnly)
		}
		return store.TimeArg(x)
	}
	return v
}

// ErrNotEmpty is returned when restoring into a database with data.
var ErrNotEmpty = errors.New("databasen har allerede data: gjenopprett bare til en tom database")

// Restore reads a backup from r into db, which must be empty, in one
// transaction: a damaged file changes nothing.
func Restore(ctx context.Context, db *store.DB, r io.Reader) (Stats, error) {
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return Stats{}, err
	}
	if !empty {
		return Stats{}, ErrNotEmpty
	}
	gz, err := gzip.NewReader(r)
	if err != nil {
		return Stats{}, errors.New("filen er ikke en Husly-sikkerhetskopi (ikke gzip)")
	}
	dec := json.NewDecoder(bufio.NewReaderSize(gz, 256*1024))
	dec.UseNumber()
	var h header
	if err := dec.Decode(&h); err != nil || h.Format != format {
		return Stats{}, errors.New("filen er ikke en Husly-sikkerhetskopi")
	}
	if h.Schema != store.SchemaVersion() {
		return Stats{}, fmt.Errorf("sikkerhetskopien har skjemaversjon %d, denne Husly har %d: gjenopprett med samme versjon og oppgrader etterpå", h.Schema, store.SchemaVersion())
	}
	var st Stats
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM settings"); err != nil {
			return err
		}
		for {
			var start tableStart
			if err := dec.Decode(&start); errors.Is(err, io.EOF) {
				break
			} else if err != nil || start.Table == "" {
				return fmt.Errorf("sikkerhetskopien er skadet etter %d rader", st.Rows)
			}
			if !known(start.Table) {
				return fmt.Errorf("sikkerhetskopien har en ukjent tabell %q", start.Table)
			}
			n, err := restoreTable(ctx, tx, dec, start)
			if err != nil {
				return fmt.Errorf("tabell %s: %w", start.Table, err)
			}
			st.Tables++
			st.Rows += n
		}
		if tx.Dialect() == store.Postgres {
			return resetSequences(ctx, tx)
		}
		return nil
	})
	if err == nil {
		// A restored database is all new rows: without fresh statistics
		// PostgreSQL would plan for empty tables.
		db.Analyze(ctx, personaldata.Default().BackedUp()...)
	}
	return st, err
}

// known reports whether a backup's table is one the registry backs up:
// only such names reach an INSERT.
func known(table string) bool {
	for _, t := range personaldata.Default().BackedUp() {
		if t == table {
			return true
		}
	}
	return false
}

func restoreTable(ctx context.Context, tx *store.Tx, dec *json.Decoder, start tableStart) (int, error) {
	for _, c := range start.Columns {
		if strings.ContainsFunc(c, func(r rune) bool { return !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
			return 0, fmt.Errorf("ugyldig kolonnenavn %q", c)
		}
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(start.Columns)), ", ")
	stmt, err := tx.Prepare(ctx, "INSERT INTO "+start.Table+" ("+strings.Join(start.Columns, ", ")+") VALUES ("+marks+")")
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	n := 0
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return n, errors.New("sikkerhetskopien slutter midt i tabellen")
		}
		if len(raw) > 0 && raw[0] == '{' {
			var end tableEnd
			if err := json.Unmarshal(raw, &end); err != nil || end.End != start.Table || end.Rows != n {
				return n, fmt.Errorf("radantallet stemmer ikke (%d lest)", n)
			}
			return n, nil
		}
		var vals []any
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.UseNumber()
		if err := d.Decode(&vals); err != nil || len(vals) != len(start.Columns) {
			return n, fmt.Errorf("rad %d er skadet", n+1)
		}
		for i, v := range vals {
			if num, ok := v.(json.Number); ok {
				if k, err := num.Int64(); err == nil {
					vals[i] = k
				} else if f, err := num.Float64(); err == nil {
					vals[i] = f
				}
			}
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		n++
	}
}

// resetSequences moves PostgreSQL's identity counters past the restored ids.
func resetSequences(ctx context.Context, tx *store.Tx) error {
	for _, t := range personaldata.Default().BackedUp() {
		var hasID int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'id'`, t).Scan(&hasID); err != nil {
			return err
		}
		if hasID == 0 {
			continue
		}
		var seq sql.NullString
		if err := tx.QueryRowContext(ctx, "SELECT pg_get_serial_sequence(?, 'id')", t).Scan(&seq); err != nil {
			return err
		}
		if !seq.Valid {
			continue
		}
		if _, err := tx.ExecContext(ctx, "SELECT setval(?, COALESCE((SELECT MAX(id) FROM "+t+"), 0) + 1, false)", seq.String); err != nil {
			return err
		}
	}
	return nil
}
