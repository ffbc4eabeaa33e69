package personaldata

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"husly/internal/access"
	"husly/internal/store"
)

// PersonalColumns are column names that hold data about a person wherever
// they appear: a table with one of them must be declared personal.
var PersonalColumns = []string{"person_id", "identity_enc", "identity_hash", "identity_prefix",
	"first_name", "last_name", "full_name", "birth_date"}

// Mismatch is a registry that does not agree with the database.
type Mismatch struct{ Problems []string }

func (m *Mismatch) Error() string {
	return "registeret over personopplysninger stemmer ikke med databasen: " + strings.Join(m.Problems, "; ")
}

// Verify reads the live schema and checks the registry against it.
func (r *Registry) Verify(ctx context.Context, q store.Queryer) (store.Schema, error) {
	s, err := store.ReadSchema(ctx, q)
	if err != nil {
		return s, err
	}
	if problems := r.Check(s); len(problems) > 0 {
		return s, &Mismatch{Problems: problems}
	}
	return s, nil
}

// Check lists every way the registry disagrees with schema s or with
// itself: a table not declared, a declared table or column that does not
// exist, a table with personal columns or a foreign key to a personal
// table not declared personal, a personal table without a category, an
// erasure rule or a dossier section.
func (r *Registry) Check(s store.Schema) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, name := range s.Tables() {
		if r.Table(name) == nil {
			add("tabellen %s er ikke i registeret", name)
		}
	}
	sections := map[string]bool{}
	for _, src := range r.sources {
		for _, sec := range src.Sections {
			if sections[sec.Key] {
				add("dossierdelen %s er meldt inn to ganger", sec.Key)
			}
			sections[sec.Key] = true
		}
	}
	for _, t := range r.tables {
		cols, ok := s.Columns[t.Name]
		if !ok {
			add("registeret har tabellen %s (%s), som ikke finnes i databasen", t.Name, t.Owner)
			continue
		}
		if !t.Personal() {
			for _, c := range cols {
				if slices.Contains(PersonalColumns, c) {
					add("tabellen %s har personkolonnen %s, men er ikke meldt inn som personopplysninger", t.Name, c)
				}
			}
			for _, ref := range s.References[t.Name] {
				if p := r.Table(ref); p != nil && p.Personal() && t.NotAboutPerson == "" {
					add("tabellen %s viser til personopplysningene i %s, men er ikke meldt inn som personopplysninger", t.Name, ref)
				}
			}
			if t.Dossier != "" || len(t.Timeline) > 0 || t.Erasure.Rule != Unset {
				add("tabellen %s er ikke koblet til en person, men har innsyn, tidslinje eller sletteregel", t.Name)
			}
			continue
		}
		problems = append(problems, r.checkPersonal(t, s, sections)...)
	}
	return problems
}

func (r *Registry) checkPersonal(t Table, s store.Schema, sections map[string]bool) []string {
	var problems []string
	add := func(format string, args ...any) {
		problems = append(problems, t.Name+": "+fmt.Sprintf(format, args...))
	}
	if !s.Has(t.Name, t.Person.Column) {
		add("koblingskolonnen %s finnes ikke", t.Person.Column)
	}
	if t.Person.Via != "" {
		parent := r.Table(t.Person.Via)
		key := t.Person.ViaColumn
		if key == "" {
			key = "id"
		}
		switch {
		case parent == nil || !parent.Personal():
			add("kobles via %s, som ikke er meldt inn som personopplysninger", t.Person.Via)
		case !s.Has(parent.Name, key):
			add("kobles via %s.%s, som ikke finnes", parent.Name, key)
		}
	}
	if _, _, err := r.match(t, 0); err != nil {
		add("%v", err)
	}
	if t.Category == "" && !s.Has(t.Name, "category") {
		add("mangler datakategori")
	} else if _, err := access.ParseCategory(string(t.Category)); t.Category != "" && err != nil {
		add("ukjent datakategori %q", t.Category)
	}
	for _, c := range t.Columns {
		if !s.Has(t.Name, c) {
			add("personkolonnen %s finnes ikke", c)
		}
	}
	for c, cat := range t.ColumnCategories {
		if !s.Has(t.Name, c) {
			add("kolonnen %s (%s) finnes ikke", c, cat)
		} else if _, err := access.ParseCategory(string(cat)); err != nil {
			add("kolonnen %s har ukjent datakategori %q", c, cat)
		}
	}
	switch {
	case t.Dossier == "" && t.NotInDossier == "":
		add("hører ikke til noen del av innsynet og sier ikke hvorfor")
	case t.Dossier != "" && !sections[t.Dossier]:
		add("innsynsdelen %q lages ikke av noen kapabilitet", t.Dossier)
	}
	e := t.Erasure
	switch e.Rule {
	case Unset:
		add("mangler sletteregel")
	case Blocks:
		if e.One == "" || e.Many == "" || e.Why == "" {
			add("en sperre for sletting må si hva radene heter og hvilken regel som holder dem")
		}
	case Kept:
		if e.Why == "" {
			add("radene beholdes ved sletting uten at grunnen er oppgitt")
		}
	case Anonymised:
		if e.Set == "" {
			add("anonymiseres uten SET-ledd")
		}
	}
	for _, ev := range t.Timeline {
		if ev.Kind == "" || ev.Query == "" || ev.Title == "" {
			add("en hendelse i tidslinjen mangler navn, spørring eller tittel")
		}
	}
	return problems
}
