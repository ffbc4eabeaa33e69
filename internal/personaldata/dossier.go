package personaldata

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"husly/internal/access"
	"husly/internal/i18n"
	"husly/internal/store"
)

// Section is one headed part of the person's dossier. Its heading is the
// catalogue entry "dossier.<Key>" in the dossier's language (bokmål,
// nynorsk, English); Title is the bokmål text, used only if the catalogue
// lacks the key.
type Section struct {
	Key   string
	Title string
	// Order places the section in the dossier, smallest first.
	Order int
}

// Source is what a capability contributes to the dossier: the sections it
// fills and the function that reads them for one person. Collect must
// check access and log the read itself, as every read of personal data
// does; it returns only parts of its own sections.
type Source struct {
	Owner    string
	Sections []Section
	Collect  func(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]Part, error)
}

// Part is one part of a dossier: structured data for the JSON, and facts,
// a table and lines for the PDF.
type Part struct {
	Key     string `json:"key"`
	Heading string `json:"heading"`
	Data    any    `json:"data"`
	// Lines are plain sentences (a case told in words).
	Lines []string `json:"lines,omitempty"`
	// Facts, Columns, Widths and Rows are the PDF's layout of Data.
	Facts   [][2]string `json:"-"`
	Columns []string    `json:"-"`
	Widths  []float64   `json:"-"`
	Rows    [][]string  `json:"-"`
}

// RegisterDossier declares a capability's part of the dossier.
func RegisterDossier(src Source) {
	mu.Lock()
	defer mu.Unlock()
	global.sources = append(global.sources, src)
}

// Sections lists every dossier section in dossier order.
func (r *Registry) Sections() []Section {
	var out []Section
	for _, src := range r.sources {
		out = append(out, src.Sections...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

// Dossier reads every registered source for the person and gives their
// parts in section order, each headed by its section's heading in the
// language ctx carries.
func (r *Registry) Dossier(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]Part, error) {
	order := map[string]int{}
	titles := map[string]string{}
	for _, s := range r.Sections() {
		order[s.Key], titles[s.Key] = s.Order, s.Title
		if h := i18n.T(i18n.LangOf(ctx), "dossier."+s.Key); h != "dossier."+s.Key {
			titles[s.Key] = h
		}
	}
	// Sources run in dossier order too, so the access log, read last,
	// holds the reads this dossier made.
	sources := slices.Clone(r.sources)
	first := func(s Source) int {
		n := 0
		for i, sec := range s.Sections {
			if i == 0 || sec.Order < n {
				n = sec.Order
			}
		}
		return n
	}
	sort.SliceStable(sources, func(i, j int) bool { return first(sources[i]) < first(sources[j]) })
	var parts []Part
	for _, src := range sources {
		got, err := src.Collect(ctx, q, a, personID)
		if err != nil {
			return nil, err
		}
		for _, p := range got {
			if _, ok := order[p.Key]; !ok {
				return nil, fmt.Errorf("innsynet: %s ga en del %q den ikke har meldt inn", src.Owner, p.Key)
			}
			if p.Heading == "" {
				p.Heading = titles[p.Key]
			}
			parts = append(parts, p)
		}
	}
	sort.SliceStable(parts, func(i, j int) bool { return order[parts[i].Key] < order[parts[j].Key] })
	return parts, nil
}
