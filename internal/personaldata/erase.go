package personaldata

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"husly/internal/i18n"
	"husly/internal/store"
)

// match gives the condition that picks a table's rows belonging to one
// person, and how many times the person's id is bound in it.
func (r *Registry) match(t Table, depth int) (string, int, error) {
	if !t.Personal() {
		return "", 0, fmt.Errorf("tabellen %s har ingen kobling til en person", t.Name)
	}
	if depth > 5 {
		return "", 0, fmt.Errorf("koblingen fra %s til personen går i ring", t.Name)
	}
	cond, n := t.Person.Column+" = ?", 1
	if t.Person.Via != "" {
		parent := r.Table(t.Person.Via)
		if parent == nil {
			return "", 0, fmt.Errorf("tabellen %s kobles via %s, som ikke er i registeret", t.Name, t.Person.Via)
		}
		inner, k, err := r.match(*parent, depth+1)
		if err != nil {
			return "", 0, err
		}
		key := t.Person.ViaColumn
		if key == "" {
			key = "id"
		}
		cond, n = t.Person.Column+" IN (SELECT "+key+" FROM "+parent.Name+" WHERE "+inner+")", k
	}
	if t.Person.Where != "" {
		cond += " AND " + t.Person.Where
	}
	return cond, n, nil
}

// Rows is how many rows of one table belong to a person.
type Rows struct {
	Table *Table
	Count int
}

// Phrase names the rows in Norwegian: "1 notat", "3 notater".
func (x Rows) Phrase() string {
	if x.Count == 1 {
		return "1 " + x.Table.Erasure.One
	}
	return fmt.Sprintf("%d %s", x.Count, x.Table.Erasure.Many)
}

// Count counts, in one query, a person's rows in each of tables that
// holds any.
func (r *Registry) Count(ctx context.Context, q store.Queryer, personID int64, tables []*Table) ([]Rows, error) {
	if len(tables) == 0 {
		return nil, nil
	}
	var parts []string
	var args []any
	for i, t := range tables {
		cond, n, err := r.match(*t, 0)
		if err != nil {
			return nil, err
		}
		parts = append(parts, fmt.Sprintf("SELECT %d, COUNT(*) FROM %s WHERE %s", i, t.Name, cond))
		for range n {
			args = append(args, personID)
		}
	}
	rows, err := q.QueryContext(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := make([]int, len(tables))
	for rows.Next() {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			return nil, err
		}
		counts[i] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Rows
	for i, t := range tables {
		if counts[i] > 0 {
			out = append(out, Rows{t, counts[i]})
		}
	}
	return out, nil
}

// withRule lists the personal tables erasure treats by rule.
func (r *Registry) withRule(rule Rule) []*Table {
	var out []*Table
	for i := range r.tables {
		if t := &r.tables[i]; t.Personal() && t.Erasure.Rule == rule {
			out = append(out, t)
		}
	}
	return out
}

// ErrMustKeep is the cause of every refusal to erase a person because
// rules in law keep what the person's rows document.
var ErrMustKeep = errors.New("personen har opplysninger som skal bevares")

// MustKeep is a refused erasure: the rows that keep the person.
type MustKeep struct{ Rows []Rows }

// Error names the rows and the rule that keeps them, grouped by rule:
// "… bevares: 2 journalnotater og 1 søknad (arkivloven § 6 …); 1 samtykke (…)".
func (e *MustKeep) Error() string {
	var groups []string
	for _, why := range e.Reasons() {
		var what []string
		for _, x := range e.Rows {
			if x.Table.Erasure.Why == why {
				what = append(what, x.Phrase())
			}
		}
		groups = append(groups, andList(what)+" ("+why+")")
	}
	return ErrMustKeep.Error() + ": " + strings.Join(groups, "; ")
}

func (e *MustKeep) Unwrap() error { return ErrMustKeep }

// whyKeys name the grounds for keeping rows in the catalogues
// (words.erase.why.<key>); a ground without a key is shown in bokmål.
var whyKeys = map[string]string{ArchiveRule: "archive", ConsentRule: "consent"}

// In writes the refusal in lang, as Error does in bokmål: each table's
// rows are named by the catalogue's words.erase.<table> in the plural form
// of their count, and the grounds by words.erase.why.<key>. It makes a
// MustKeep an argument of a message (invalid.Localized).
func (e *MustKeep) In(lang string) string {
	var groups []string
	for _, why := range e.Reasons() {
		var what []string
		for _, x := range e.Rows {
			if x.Table.Erasure.Why != why {
				continue
			}
			key := "words.erase." + x.Table.Name
			if _, ok := i18n.Catalogs[lang][key+".other"]; ok {
				what = append(what, i18n.Plural(lang, key, x.Count))
			} else {
				what = append(what, x.Phrase())
			}
		}
		if k, ok := whyKeys[why]; ok {
			why = i18n.T(lang, "words.erase.why."+k)
		}
		list := strings.Join(what, "")
		if len(what) > 1 {
			list = strings.Join(what[:len(what)-1], ", ") + " " + i18n.T(lang, "words.erase.and") + " " + what[len(what)-1]
		}
		groups = append(groups, list+" ("+why+")")
	}
	return i18n.Tf(lang, "words.erase.must_keep", strings.Join(groups, "; "))
}

// Reasons are the grounds in law for keeping the rows, each once.
func (e *MustKeep) Reasons() []string {
	var out []string
	for _, x := range e.Rows {
		if w := x.Table.Erasure.Why; !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// andList joins "a", "b" and "c" as "a, b og c".
func andList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " og " + xs[len(xs)-1]
}

// Blockers counts a person's rows in the tables that block erasure.
func (r *Registry) Blockers(ctx context.Context, q store.Queryer, personID int64) ([]Rows, error) {
	return r.Count(ctx, q, personID, r.withRule(Blocks))
}

// Erase erases a person where nothing blocks it: rows of Deleted tables
// are deleted and Anonymised ones unlinked, children before parents by
// the schema's foreign keys. It returns what it deleted or unlinked, and a
// *MustKeep (errors.Is ErrMustKeep) when rows block the erasure.
func (r *Registry) Erase(ctx context.Context, q store.Queryer, s store.Schema, personID int64) ([]Rows, error) {
	blocking, err := r.Blockers(ctx, q, personID)
	if err != nil {
		return nil, err
	}
	if len(blocking) > 0 {
		return nil, &MustKeep{Rows: blocking}
	}
	var names []string
	for _, t := range append(r.withRule(Deleted), r.withRule(Anonymised)...) {
		names = append(names, t.Name)
	}
	order, err := s.Order(names)
	if err != nil {
		return nil, err
	}
	var done []Rows
	for i := len(order) - 1; i >= 0; i-- {
		t := r.Table(order[i])
		cond, n, err := r.match(*t, 0)
		if err != nil {
			return done, err
		}
		args := make([]any, n)
		for k := range args {
			args[k] = personID
		}
		stmt := "DELETE FROM " + t.Name + " WHERE " + cond
		if t.Erasure.Rule == Anonymised {
			stmt = "UPDATE " + t.Name + " SET " + t.Erasure.Set + " WHERE " + cond
		}
		res, err := q.ExecContext(ctx, stmt, args...)
		if err != nil {
			return done, fmt.Errorf("sletter fra %s: %w", t.Name, err)
		}
		if k, err := res.RowsAffected(); err == nil && k > 0 {
			done = append(done, Rows{t, int(k)})
		}
	}
	return done, nil
}
