// Package personaldata is the one registry of Husly's tables. Each
// capability declares its tables here: which hold personal data, how their
// rows belong to a person, the data category, the part of the person's
// dossier they appear in (GDPR art. 15), their timeline events, what
// erasure does with them (art. 17) and whether they are backed up. The
// dossier, the timeline, erasure and the backup are built from it, and
// Verify holds it against the live schema, so a new table cannot be
// forgotten by any of them.
//
// Capabilities register in an init function (the way database/sql drivers
// do); the tables of the packages the registry itself builds on (store,
// audit, access) are declared in this package. A program that erases,
// backs up or gives a dossier imports husly/internal/personaldata/all, so
// every capability has registered.
package personaldata

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"husly/internal/access"
)

// Link says how a table's rows belong to a person. The zero Link means the
// table holds no data about a person.
type Link struct {
	// Column holds the person's id when Via is empty; otherwise it is the
	// key matched against ViaColumn of Via's rows that belong to the person.
	Column string
	// Via is a table whose rows belong to the person.
	Via string
	// ViaColumn is the column of Via that Column matches ("id" if empty).
	ViaColumn string
	// Where narrows the rows further (audit_log holds more than persons).
	Where string
}

// Personal reports whether the link ties rows to a person.
func (l Link) Personal() bool { return l.Column != "" }

// Rule is what erasing a person does to a table's rows.
type Rule int

const (
	// Unset is an undeclared rule; Verify refuses it on a personal table.
	Unset Rule = iota
	// Blocks: while such rows exist the person is kept (archive rules);
	// erasure is refused and restriction offered instead.
	Blocks
	// Deleted: the rows are deleted with the person.
	Deleted
	// Anonymised: the rows stay, with the link to the person removed.
	Anonymised
	// Kept: the rows stay as they are; Why says on what ground.
	Kept
)

// Erasure declares a table's part in erasing a person (GDPR art. 17).
type Erasure struct {
	Rule Rule
	// One and Many name the rows in Norwegian ("notat", "notater"), for the
	// message that says why a person cannot be erased.
	One, Many string
	// Why gives the ground, with its source in law, for blocking or keeping.
	Why string
	// Set is the SET clause that anonymises a row (Anonymised only).
	Set string
}

// Event is one kind of timeline event a table gives. Query returns at,
// title, detail and the categories the row reveals (a comma list: a
// consent reveals what it covers, a unit's role what the unit's work
// reveals) for one person: its parameters are the municipality's id and
// the person's id.
//
// The query returns the time, the detail (what was written, or ”), the
// categories (a comma list) and then the title's arguments, one column
// each, as Args says. The title is a catalogue key, written in the
// reader's language with those arguments.
type Event struct {
	Kind  string
	Query string
	Title string
	Args  []ArgKind
	// DetailPhrase says the query returns, after the categories, a stored
	// phrase that writes the detail in the reader's language ('' for a row
	// written before phrases, whose detail is shown as it is).
	DetailPhrase bool
}

// ArgKind says how a column of a timeline query is written in the title.
type ArgKind string

// Kinds of title argument; Label names a code from the catalogue by its
// key prefix: Label("case.channel") writes "nav" as case.channel.nav.
const (
	ArgText   ArgKind = "text"
	ArgNumber ArgKind = "number"
	ArgDate   ArgKind = "date"
)

// Label is a column holding a code named by the catalogue key prefix.code.
func Label(prefix string) ArgKind { return ArgKind("label:" + prefix) }

// Table is one table as its capability declares it.
type Table struct {
	Name string
	// Owner is the capability that registered the table (set by Register).
	Owner string
	// Holds says in a few words what the table holds.
	Holds string
	// Person links rows to a person; zero for tables without personal data.
	Person Link
	// Category is the data category of the table's personal columns, and
	// Columns names them. A category decided per row (notes) is "".
	Category access.Category
	Columns  []string
	// ColumnCategories gives the columns whose category differs from the
	// table's (a mapping's finances, an application's income in its
	// eligibility explanation).
	ColumnCategories map[string]access.Category
	// Dossier is the key of the dossier section that shows the rows;
	// NotInDossier says why a personal table has none.
	Dossier      string
	NotInDossier string
	Erasure      Erasure
	Timeline     []Event
	// NoBackup says why a table is left out of backups; empty means kept.
	NoBackup string
	// NotAboutPerson says why a table that refers to a personal table by
	// foreign key holds nothing about the person (staff's API tokens).
	NotAboutPerson string
}

// Personal reports whether the table holds data about a person.
func (t Table) Personal() bool { return t.Person.Personal() }

// Registry is a set of declared tables and dossier sources.
type Registry struct {
	tables  []Table
	sources []Source
}

var (
	mu     sync.Mutex
	global Registry
)

// Register declares owner's tables. A table declared twice is a
// programming error and panics at start-up.
func Register(owner string, tables ...Table) {
	mu.Lock()
	defer mu.Unlock()
	for _, t := range tables {
		if global.Table(t.Name) != nil {
			panic(fmt.Sprintf("personaldata: table %s registered twice", t.Name))
		}
		t.Owner = owner
		global.tables = append(global.tables, t)
	}
}

// Default is the registry the capabilities registered into.
func Default() *Registry {
	mu.Lock()
	defer mu.Unlock()
	r := global
	r.tables = slices.Clone(global.tables)
	r.sources = slices.Clone(global.sources)
	return &r
}

// Tables lists every declared table, in registration order.
func (r *Registry) Tables() []Table { return r.tables }

// Names lists the declared tables' names.
func (r *Registry) Names() []string {
	out := make([]string, len(r.tables))
	for i, t := range r.tables {
		out[i] = t.Name
	}
	return out
}

// Table finds a declared table, or nil.
func (r *Registry) Table(name string) *Table {
	for i := range r.tables {
		if r.tables[i].Name == name {
			return &r.tables[i]
		}
	}
	return nil
}

// Without is the registry with the named tables left out: for tests that
// show a forgotten table is caught.
func (r *Registry) Without(names ...string) *Registry {
	out := &Registry{sources: r.sources}
	for _, t := range r.tables {
		if !slices.Contains(names, t.Name) {
			out.tables = append(out.tables, t)
		}
	}
	return out
}

// BackedUp lists the tables a backup holds.
func (r *Registry) BackedUp() []string {
	var out []string
	for _, t := range r.tables {
		if t.NoBackup == "" {
			out = append(out, t.Name)
		}
	}
	return out
}

// Timeline lists the timeline's sources, table by table in registration
// order.
func (r *Registry) Timeline() []Event {
	var out []Event
	for _, t := range r.tables {
		out = append(out, t.Timeline...)
	}
	return out
}

// Owners lists the capabilities that registered tables, sorted.
func (r *Registry) Owners() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range r.tables {
		if !seen[t.Owner] {
			seen[t.Owner] = true
			out = append(out, t.Owner)
		}
	}
	sort.Strings(out)
	return out
}

// With is the registry with more tables declared: for tests that show an
// undeclared or wrongly declared table is caught.
func (r *Registry) With(tables ...Table) *Registry {
	out := &Registry{tables: slices.Clone(r.tables), sources: r.sources}
	for _, t := range tables {
		if t.Owner == "" {
			t.Owner = "test"
		}
		out.tables = append(out.tables, t)
	}
	return out
}
