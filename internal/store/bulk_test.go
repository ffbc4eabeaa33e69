package store_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestBatchRoundTrip writes awkward values through each engine's bulk path
// (COPY's text format escapes tab, newline, carriage return and backslash,
// and \N means NULL) and reads them back unchanged; ids reserved with
// NewIDs are used by the batch and never handed out again.
func TestBatchRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		types := map[store.Dialect][2]string{store.SQLite: {"REAL", "TEXT"}, store.Postgres: {"DOUBLE PRECISION", "TIMESTAMPTZ"}}[db.Dialect()]
		if _, err := db.ExecContext(ctx, "CREATE TABLE bulk_probe (id BIGINT, note TEXT, n BIGINT, flag BOOLEAN, x "+types[0]+", at "+types[1]+")"); err != nil {
			t.Fatal(err)
		}
		notes := []any{`\N`, "a\tb", "line\nbreak\r", `back\slash`, "", "ÆØÅ 😀", nil, `\\t`}
		now := time.Date(2026, 11, 29, 12, 30, 0, 0, time.UTC)
		err := db.InConnTx(ctx, func(tx *store.Tx) error {
			ids, err := tx.NewIDs(ctx, "municipalities", 2)
			if err != nil {
				return err
			}
			if err := tx.Batch("municipalities", "id", "number", "name", "created_at").Write(ctx, [][]any{
				{ids[0], "9001", "Bulk\tA", store.TimeArg(now)}, {ids[1], "9002", "Bulk B", store.TimeArg(now)}}); err != nil {
				return err
			}
			if next, err := store.InsertID(ctx, tx, "INSERT INTO municipalities (number, name, created_at) VALUES ('9003', 'Etter', ?)", store.TimeArg(now)); err != nil || next <= ids[1] {
				t.Errorf("the next id after the reserved %v is %d (%v)", ids, next, err)
			}
			rows := make([][]any, len(notes))
			for i, note := range notes {
				rows[i] = []any{int64(i), note, i * 1000, i%2 == 0, float64(i) / 3, store.TimeArg(now)}
			}
			return tx.Batch("bulk_probe", "id", "note", "n", "flag", "x", "at").Write(ctx, rows)
		})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.QueryContext(ctx, "SELECT id, note, n, flag, x, at FROM bulk_probe ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		i := 0
		for ; rows.Next(); i++ {
			var id, n int64
			var note sql.NullString
			var flag bool
			var x float64
			var at time.Time
			if err := rows.Scan(&id, &note, &n, &flag, &x, store.ScanTime(&at)); err != nil {
				t.Fatal(err)
			}
			want, _ := notes[i].(string)
			if note.String != want || note.Valid != (notes[i] != nil) || n != int64(i*1000) || flag != (i%2 == 0) || x != float64(i)/3 || !at.Equal(now) {
				t.Errorf("row %d came back as %q (valid %v), %d, %v, %v, %v", i, note.String, note.Valid, n, flag, x, at)
			}
		}
		if err := rows.Err(); err != nil || i != len(notes) {
			t.Fatalf("%d rows back, %v", i, err)
		}
		var name string
		if err := db.QueryRowContext(ctx, "SELECT name FROM municipalities WHERE number = '9001'").Scan(&name); err != nil || name != "Bulk\tA" {
			t.Fatalf("municipality name %q, %v", name, err)
		}
	})
}

// TestBatchKeepsStatistics fills a table with statistics from when it was
// small inside one transaction, as an import after the demo does: the
// planner's count must follow it, or plans made in the transaction (every
// foreign-key check against the table) keep treating it as small.
func TestBatchKeepsStatistics(t *testing.T) {
	if !slices.Contains(storetest.Engines(t), "postgres") {
		t.Skip("PostgreSQL's planner statistics; HUSLY_TEST_POSTGRES is not set")
	}
	db := storetest.Open(t, "postgres")
	ctx := context.Background()
	for _, q := range []string{"CREATE TABLE growing (id BIGINT PRIMARY KEY, grp BIGINT NOT NULL)",
		"INSERT INTO growing SELECT g, 1 FROM generate_series(1, 500) g", "ANALYZE growing"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	err := db.InConnTx(ctx, func(tx *store.Tx) error {
		b := tx.Batch("growing", "id", "grp")
		for part := range 20 {
			rows := make([][]any, 1000)
			for i := range rows {
				rows[i] = []any{int64(1000 + part*1000 + i), int64(1)}
			}
			if err := b.Write(ctx, rows); err != nil {
				return err
			}
		}
		var estimate float64
		if err := tx.QueryRowContext(ctx, "SELECT reltuples FROM pg_class WHERE oid = 'growing'::regclass").Scan(&estimate); err != nil {
			return err
		}
		if estimate < 10000 {
			t.Errorf("after 20,500 rows the planner counts %.0f", estimate)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
