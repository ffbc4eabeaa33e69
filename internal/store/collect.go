package store

import (
	"database/sql"
	"strings"
)

// Scanner is what a row-scanning function reads from: *sql.Row or *sql.Rows.
type Scanner interface{ Scan(dest ...any) error }

// Collect scans every row of a query with scan and closes the rows. It
// returns an empty, non-nil slice when there are none, so JSON says [].
func Collect[T any](rows *sql.Rows, err error, scan func(Scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// In gives the placeholders and arguments of an IN list over ids, for
// reading the rows of many parents in one query: "(?, ?, ?)".
func In(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	if len(ids) == 0 {
		// IN () is not SQL; an id no row has keeps the query valid.
		return "(NULL)", nil
	}
	return "(?" + strings.Repeat(", ?", len(ids)-1) + ")", args
}

// CollectBy is Collect for a query whose first column is a parent's id:
// each row is scanned by scan (which reads the other columns) and filed
// under its parent, so one query serves many parents instead of one query
// each.
func CollectBy[T any](rows *sql.Rows, err error, scan func(Scanner) (T, error)) (map[int64][]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]T{}
	for rows.Next() {
		var parent int64
		v, err := scan(keyed{rows, &parent})
		if err != nil {
			return nil, err
		}
		out[parent] = append(out[parent], v)
	}
	return out, rows.Err()
}

// keyed reads the parent's id ahead of the columns the scan asks for.
type keyed struct {
	s      Scanner
	parent *int64
}

func (k keyed) Scan(dest ...any) error { return k.s.Scan(append([]any{k.parent}, dest...)...) }

// Of gives a parent's rows from CollectBy, an empty non-nil slice when it
// has none, so JSON says [].
func Of[T any](m map[int64][]T, parent int64) []T {
	if v := m[parent]; v != nil {
		return v
	}
	return []T{}
}
