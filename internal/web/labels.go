package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
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
	key := prefix + "." + c
	if _, ok := catalogs["nb"][key]; !ok {
		return fmt.Sprint(code)
	}
	return translate(v.Lang, key)
}

// Decimal writes a number with as many decimals as it has, with a decimal
// comma in bokmål and nynorsk (10,5) and a point in English (10.5).
func (v view) Decimal(f float64) string { return decimal(v.Lang, f) }

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
func (v view) Said(s allocation.Said) string {
	key := s.Key
	if _, ok := catalogs["nb"][key+".one"]; ok {
		key += map[bool]string{true: ".one", false: ".other"}[s.N == 1]
	}
	args := make([]any, len(s.Args))
	for i, a := range s.Args {
		switch a := a.(type) {
		case allocation.Points:
			sign := "+"
			if a < 0 {
				sign = "-"
			}
			args[i] = sign + decimal(v.Lang, math.Abs(float64(a)))
		case float64:
			args[i] = decimal(v.Lang, a)
		default:
			args[i] = fmt.Sprint(a)
		}
	}
	return fmt.Sprintf(translate(v.Lang, key), args...)
}

func decimal(lang string, f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if lang == "en" {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

// tr translates a key into the request's language, for text a handler
// puts on a page (titles, confirmations).
func tr(r *http.Request, key string) string { return translate(language(r), key) }

// trf translates and formats.
func trf(r *http.Request, key string, args ...any) string {
	return fmt.Sprintf(translate(language(r), key), args...)
}
