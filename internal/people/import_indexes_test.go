package people_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"husly/internal/people"
	"husly/internal/people/peopletest"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

// A large import sets the secondary indexes aside and builds them again
// before it commits: afterwards the schema has the same indexes, the
// imported persons are found through them, and an import that fails
// leaves the indexes as they were.
func TestLargeImportRebuildsIndexes(t *testing.T) {
	// A cleanup, not a defer: the engines run as parallel subtests, which
	// start only after this function returns.
	t.Cleanup(people.HoldIndexesAfter(20))
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		indexes := func() string {
			t.Helper()
			var b strings.Builder
			if err := schemaIndexes(ctx, db, &b); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		want := indexes()
		var csv bytes.Buffer
		if err := peopletest.WriteCSV(&csv, 2500, "Boligkontoret"); err != nil {
			t.Fatal(err)
		}
		good := csv.String()
		// First, in another municipality, the file with its first person
		// again at the end: two chunks are written and the indexes set
		// aside (the table was empty) before the last line is refused, and
		// the rollback brings the indexes back with everything else.
		other := storetest.NewTenant(t, db, "1506")
		lines := strings.SplitAfter(good, "\n")
		var dropped atomic.Int32
		db.Observe(func(q string) {
			if strings.HasPrefix(q, "DROP INDEX") {
				dropped.Add(1)
			}
		})
		_, err := people.Import(ctx, db, other.Operator(), strings.NewReader(good+lines[1]), tabular.CSV, nil)
		db.Observe(nil)
		if want := db.Dialect() == store.SQLite; (dropped.Load() > 0) != want {
			t.Fatalf("%d indexes set aside on %s", dropped.Load(), db.Dialect())
		}
		var bad tabular.Errors
		if !errors.As(err, &bad) || len(bad) != 1 || bad[0].Line != 2502 {
			t.Fatalf("import with a repeated line: %v", err)
		}
		if got := indexes(); got != want {
			t.Fatalf("indexes after a rolled-back import:\n%s\nwant:\n%s", got, want)
		}
		var persons int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM persons WHERE municipality_id = ?", other.MunicipalityID).Scan(&persons); err != nil || persons != 0 {
			t.Fatalf("%d persons left by the rolled-back import (%v)", persons, err)
		}
		n, err := people.Import(ctx, db, tn.Operator(), strings.NewReader(good), tabular.CSV, nil)
		if err != nil || n != 2500 {
			t.Fatalf("import = %d, %v", n, err)
		}
		if got := indexes(); got != want {
			t.Fatalf("indexes after the import:\n%s\nwant:\n%s", got, want)
		}
		if err := db.CheckIntegrity(ctx); err != nil {
			t.Fatal(err)
		}
		// The same numbers again: every line is refused, nothing changes.
		_, err = people.Import(ctx, db, tn.Operator(), strings.NewReader(good), tabular.CSV, nil)
		if !errors.As(err, &bad) || len(bad) != 2500 {
			t.Fatalf("second import: %v", err)
		}
		if got := indexes(); got != want {
			t.Fatalf("indexes after a failed import:\n%s\nwant:\n%s", got, want)
		}
		var found int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM persons WHERE municipality_id = ? AND last_name_key >= '' AND first_name_key >= ''",
			tn.MunicipalityID).Scan(&found); err != nil || found != 2500 {
			t.Fatalf("found %d persons through the name index (%v)", found, err)
		}
	})
}

// schemaIndexes writes the indexes of the tables an import writes.
func schemaIndexes(ctx context.Context, db *store.DB, b *strings.Builder) error {
	q := `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('persons', 'case_units', 'household_members') ORDER BY name`
	if db.Dialect() == store.Postgres {
		q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('persons', 'case_units', 'household_members') ORDER BY indexname`
	}
	rows, err := db.QueryContext(ctx, q)
	names, err := store.Collect(rows, err, func(r store.Scanner) (s string, err error) {
		err = r.Scan(&s)
		return s, err
	})
	b.WriteString(strings.Join(names, "\n"))
	return err
}
