package personaldata

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Markdown lists the registry for docs/privacy.md: one row per table
// holding personal data, then the tables without. A test keeps the
// document equal to it.
func (r *Registry) Markdown() string {
	var b strings.Builder
	b.WriteString("| Table | Capability | Belongs to the person through | Category | Dossier | Timeline | On erasure |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	var other []string
	for _, t := range r.tables {
		if !t.Personal() {
			other = append(other, fmt.Sprintf("`%s` (%s)", t.Name, t.Owner))
			continue
		}
		link := "`" + t.Person.Column + "`"
		if t.Person.Via != "" {
			key := t.Person.ViaColumn
			if key == "" {
				key = "id"
			}
			link = fmt.Sprintf("`%s` → `%s.%s`", t.Person.Column, t.Person.Via, key)
		}
		if t.Person.Where != "" {
			link += " where `" + t.Person.Where + "`"
		}
		category := string(t.Category)
		if category == "" {
			category = "per row"
		}
		var cols []string
		for c := range t.ColumnCategories {
			cols = append(cols, c)
		}
		sort.Strings(cols)
		for _, c := range cols {
			category += fmt.Sprintf("; `%s`: %s", c, t.ColumnCategories[c])
		}
		dossier := t.Dossier
		if dossier == "" {
			dossier = "– (" + t.NotInDossier + ")"
		}
		var kinds []string
		for _, e := range t.Timeline {
			if !slices.Contains(kinds, e.Kind) { // one kind may have a title per case (an appeal on time or late)
				kinds = append(kinds, e.Kind)
			}
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s |\n", t.Name, t.Owner, link, category, dossier,
			dash(strings.Join(kinds, ", ")), t.Erasure.describe())
	}
	fmt.Fprintf(&b, "\nTables without personal data: %s.\n", strings.Join(other, ", "))
	var skipped []string
	for _, t := range r.tables {
		if t.NoBackup != "" {
			skipped = append(skipped, fmt.Sprintf("`%s` (%s)", t.Name, t.NoBackup))
		}
	}
	if len(skipped) > 0 {
		fmt.Fprintf(&b, "Every table is backed up except %s.\n", strings.Join(skipped, ", "))
	}
	return b.String()
}

func (e Erasure) describe() string {
	switch e.Rule {
	case Blocks:
		return "blocks erasure"
	case Deleted:
		return "deleted"
	case Anonymised:
		return "unlinked and anonymised"
	case Kept:
		return "kept"
	}
	return "–"
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
