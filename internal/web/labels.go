package web

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	"husly/internal/allocation"
)

// Page helpers that depend on the reader's language: the name of a code
// from the catalogues, and numbers written the way the language writes
// them.

// TCode names a code from the catalogues: prefix.code, for example
// unit.status.ledig. The Go side keeps only the codes (for validation); an
// unknown code is shown as it is rather than as a key.
func (v view) TCode(prefix string, code any) string {
	c := fmt.Sprint(code)
	if c == "" {
		c = "none"
	}
	return label(v.Lang, prefix, c)
}

// Decimal writes a number with as many decimals as it has, with a decimal
// comma in bokmål and nynorsk (10,5) and a point in English (10.5).
func (v view) Decimal(f float64) string { return decimal(v.Lang, f) }

// Whole writes a number rounded to a whole, the language's way.
func (v view) Whole(f float64) string { return formatNumber(v.Lang, math.Round(f)) }

// Percent writes a share (0.4) as a percentage number (40), without the sign.
func (v view) Percent(f float64) string { return decimal(v.Lang, float64(int64(f*10000+0.5))/100) }

// Area writes square metres: 54,5 m² (54.5 m² in English).
func (v view) Area(f float64) string { return decimal(v.Lang, f) + " m²" }

// Join lists names the way the language does: "A, B og C" / "A, B and C".
func (v view) Join(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " " + translate(v.Lang, "list.and") + " " + xs[len(xs)-1]
}

// Said says an explanation from the allocation (a score's or a priority's
// reason) in the page's language, in the plural form its number asks for.
func (v view) Said(s allocation.Said) string { return phraseText(v.Lang, s.Phrase()) }

// decimal writes f the language's way (formatNumber), with a decimal
// comma in bokmål and nynorsk.
func decimal(lang string, f float64) string { return formatNumber(lang, f) }

// trf translates and formats: tr with arguments, named for the call sites
// that always pass them.
func trf(r *http.Request, key string, args ...any) string { return tr(r, key, args...) }
