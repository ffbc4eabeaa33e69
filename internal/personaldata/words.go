package personaldata

import (
	"context"
	"fmt"
	"strings"
	"time"

	"husly/internal/deadline"
	"husly/internal/i18n"
	"husly/internal/pdf"
)

// The person's copy is written in the reader's language: the language the
// context carries (i18n.WithLang; the web download sets the request's).
// Headings, row labels and the names of codes come from the catalogues
// (dossier.*, and the code lists the pages use); the data in the JSON
// stays codes.

// Words writes one dossier's texts in one language.
type Words struct{ Lang string }

// WordsOf is the words of the language ctx carries.
func WordsOf(ctx context.Context) Words { return Words{i18n.LangOf(ctx)} }

// T is a catalogue text with args.
func (w Words) T(key string, args ...any) string { return i18n.Tf(w.Lang, key, args...) }

// Col names a column: dossier.col.<name>.
func (w Words) Col(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = i18n.T(w.Lang, "dossier.col."+n)
	}
	return out
}

// Fact is one fact with its label dossier.fact.<name>.
func (w Words) Fact(name, value string) [2]string {
	return [2]string{i18n.T(w.Lang, "dossier.fact."+name), value}
}

// Code names a code by its catalogue prefix (category.helse …).
func (w Words) Code(prefix string, code any) string {
	return i18n.Label(w.Lang, prefix, strings.TrimSpace(fmt.Sprint(code)))
}

// Date writes a calendar day, "–" when there is none.
func (w Words) Date(d deadline.Date) string {
	if d.IsZero() {
		return "–"
	}
	return d.In(w.Lang)
}

// Day writes an instant's day in Oslo, "–" when there is none.
func (w Words) Day(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return deadline.On(t).In(w.Lang)
}

// Time writes an instant with its time of day in Oslo.
func (w Words) Time(t time.Time) string {
	return t.In(deadline.Oslo).Format(i18n.T(w.Lang, "format.datetime"))
}

// Number writes a number the language's way.
func (w Words) Number(f float64) string { return i18n.Number(w.Lang, f) }

// Kr writes an amount in kroner.
func (w Words) Kr(n int) string { return w.T("format.kr", i18n.Number(w.Lang, float64(n))) }

// PDF is the words the PDF itself prints (footer, time made) and its
// language tag.
func (w Words) PDF() pdf.Labels {
	tag := map[string]string{"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}[w.Lang]
	return pdf.Labels{Lang: tag, Page: w.T("pdf.page"), Made: w.T("pdf.made"), None: w.T("pdf.none"), Time: w.T("format.datetime")}
}
