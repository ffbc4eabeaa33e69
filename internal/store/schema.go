package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
)

// Schema is the live database's tables, their columns and the tables each
// references by foreign key, read from the engine's catalogue. The registry
// of personal data is checked against it, and backups order tables by it.
type Schema struct {
	// Columns maps a table to its columns in declared order.
	Columns map[string][]string
	// References maps a table to the other tables its foreign keys point at.
	References map[string][]string
}

// ReadSchema reads Husly's tables from sqlite_master or from the current
// PostgreSQL schema (information_schema is slow on PostgreSQL; pg_catalog
// answers the same in a millisecond). schema_migrations belongs to the
// migration runner and is left out.
func ReadSchema(ctx context.Context, q Queryer) (Schema, error) {
	columns, references := `SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid`,
		`SELECT m.name, f."table" FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`
	if q.Dialect() == Postgres {
		columns = `SELECT c.relname, a.attname FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace
			JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
			WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname, a.attnum`
		references = `SELECT t.relname, r.relname FROM pg_constraint k
			JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
			JOIN pg_namespace n ON n.oid = t.relnamespace
			WHERE k.contype = 'f' AND n.nspname = current_schema()`
	}
	s := Schema{Columns: map[string][]string{}, References: map[string][]string{}}
	pairs := func(query string, add func(a, b string)) error {
		rows, err := q.QueryContext(ctx, query)
		if err != nil {
			return fmt.Errorf("leser skjemaet: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var a, b string
			if err := rows.Scan(&a, &b); err != nil {
				return err
			}
			if a != "schema_migrations" {
				add(a, b)
			}
		}
		return rows.Err()
	}
	if err := pairs(columns, func(t, c string) { s.Columns[t] = append(s.Columns[t], c) }); err != nil {
		return s, err
	}
	err := pairs(references, func(t, r string) {
		if r != t && !slices.Contains(s.References[t], r) {
			s.References[t] = append(s.References[t], r)
		}
	})
	for _, refs := range s.References {
		sort.Strings(refs)
	}
	return s, err
}

// Tables lists the schema's tables by name.
func (s Schema) Tables() []string {
	out := make([]string, 0, len(s.Columns))
	for t := range s.Columns {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Has reports whether table has column.
func (s Schema) Has(table, column string) bool { return slices.Contains(s.Columns[table], column) }

// Order sorts tables so that every table comes after the tables it
// references (restores insert in this order, erasure deletes in reverse).
// Tables keep their given order where the keys allow; references to tables
// outside the list are ignored.
func (s Schema) Order(tables []string) ([]string, error) {
	in := map[string]bool{}
	for _, t := range tables {
		in[t] = true
	}
	done := map[string]bool{}
	out := make([]string, 0, len(tables))
	for len(out) < len(tables) {
		progressed := false
		for _, t := range tables {
			if done[t] {
				continue
			}
			ready := true
			for _, r := range s.References[t] {
				if in[r] && !done[r] {
					ready = false
					break
				}
			}
			if ready {
				done[t] = true
				out = append(out, t)
				progressed = true
			}
		}
		if !progressed {
			var left []string
			for _, t := range tables {
				if !done[t] {
					left = append(left, t)
				}
			}
			return nil, fmt.Errorf("tabellene %v viser til hverandre i ring: ingen rekkefølge passer", left)
		}
	}
	return out, nil
}
