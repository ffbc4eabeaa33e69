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
		// The start page's count, kept by a trigger that a large import
		// sets aside, agrees with the rows.
		counted := func(municipalityID int64, want int) {
			t.Helper()
			if n, err := people.Count(ctx, db, municipalityID); err != nil || n != want {
				t.Fatalf("the person counter says %d, want %d (%v)", n, want, err)
			}
		}
		counted(other.MunicipalityID, 0)
		n, err := people.Import(ctx, db, tn.Operator(), strings.NewReader(good), tabular.CSV, nil)
		if err != nil || n != 2500 {
			t.Fatalf("import = %d, %v", n, err)
		}
		if got := indexes(); got != want {
			t.Fatalf("indexes after the import:\n%s\nwant:\n%s", got, want)
		}
		counted(tn.MunicipalityID, 2500)
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
		counted(tn.MunicipalityID, 2500)
		var found int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM persons WHERE municipality_id = ? AND last_name_key >= '' AND first_name_key >= ''",
			tn.MunicipalityID).Scan(&found); err != nil || found != 2500 {
			t.Fatalf("found %d persons through the name index (%v)", found, err)
		}
	})
}

// schemaIndexes writes the indexes and triggers of the tables an import
// writes.
func schemaIndexes(ctx context.Context, db *store.DB, b *strings.Builder) error {
	q := `SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name IN ('persons', 'case_units', 'household_members') ORDER BY 1`
	if db.Dialect() == store.Postgres {
		q = `SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('persons', 'case_units', 'household_members')
			UNION ALL SELECT DISTINCT 'trigger ' || trigger_name FROM information_schema.triggers WHERE trigger_schema = current_schema()
			AND event_object_table IN ('persons', 'case_units', 'household_members') ORDER BY 1`
	}
	rows, err := db.QueryContext(ctx, q)
	names, err := store.Collect(rows, err, func(r store.Scanner) (s string, err error) {
		err = r.Scan(&s)
		return s, err
	})
	b.WriteString(strings.Join(names, "\n"))
	return err
}

// An import whose context ends partway stops reading and writing, returns
// the context's error and stores nothing, on both engines.
func TestImportStopsWhenCancelled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tn := storetest.NewTenant(t, db, "1505")
		var csv bytes.Buffer
		if err := peopletest.WriteCSV(&csv, 5000, "Boligkontoret"); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		last := 0
		_, err := people.Import(ctx, db, tn.Operator(), &csv, tabular.CSV, func(line int) {
			last = line
			if line == 2500 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("import cancelled at line 2500: %v", err)
		}
		if last > 2501 {
			t.Fatalf("the import read on to line %d after it was cancelled", last)
		}
		if n, err := people.Count(context.Background(), db, tn.MunicipalityID); err != nil || n != 0 {
			t.Fatalf("%d persons counted after a cancelled import (%v)", n, err)
		}
		var persons int
		if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM persons WHERE municipality_id = ?", tn.MunicipalityID).Scan(&persons); err != nil || persons != 0 {
			t.Fatalf("%d persons stored by a cancelled import (%v)", persons, err)
		}
	})
}
