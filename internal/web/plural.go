package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// pluralRules give each language's plural category of a count, by the
// CLDR rules (unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html).
// Bokmål, nynorsk and English have two categories, "one" (exactly 1) and
// "other". A language with more forms adds its rule here, returning its
// categories ("one", "few", "many", "other"), and keys key.few, key.many …
// in its catalogue; nothing else changes.
var pluralRules = map[string]func(n int) string{
	"nb": oneOther,
	"nn": oneOther,
	"en": oneOther,
}

// oneOther is the rule of nb, nn and en for whole numbers: 1 is "one".
func oneOther(n int) string {
	if n == 1 || n == -1 {
		return "one"
	}
	return "other"
}

// translatePlural picks key.<category> for n in lang (falling back to
// key.other, then to bokmål) and writes n into it, formatted the
// language's way, as the first argument; args follow.
func translatePlural(lang, key string, n int, args ...any) string {
	rule, ok := pluralRules[lang]
	if !ok {
		rule = oneOther
	}
	text, ok := catalogs[lang][key+"."+rule(n)]
	if !ok {
		text = translate(lang, key+".other")
	}
	if !strings.Contains(text, "%") {
		return text // a text that names nothing (fmt would append the unused arguments)
	}
	return fmt.Sprintf(text, append([]any{formatNumber(lang, float64(n))}, args...)...)
}

// numberFormat is how a language writes numbers.
type numberFormat struct{ group, decimal, minus string }

// numberFormats: Norwegian groups thousands with a (non-breaking) space and
// writes decimals with a comma, 12 345,5 (Språkrådet); English uses 12,345.5.
var numberFormats = map[string]numberFormat{
	"nb": {"\u00a0", ",", "−"},
	"nn": {"\u00a0", ",", "−"},
	"en": {",", ".", "-"},
}

// formatNumber writes a number in lang's way, with as many decimals as it
// has: the one helper for counts, amounts, hours, areas and percentages.
func formatNumber(lang string, f float64) string {
	nf, ok := numberFormats[lang]
	if !ok {
		nf = numberFormats["nb"]
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "–"
	}
	s := strconv.FormatFloat(math.Abs(f), 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if f < 0 {
		b.WriteString(nf.minus)
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(nf.group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(nf.decimal + frac)
	}
	return b.String()
}

// label names a code from the catalogue: prefix.code, or the code itself
// when the catalogue has no name for it (a municipality's own code).
func label(lang, prefix, code string) string {
	if code == "" {
		return ""
	}
	key := prefix + "." + code
	if s, ok := catalogs[lang][key]; ok {
		return s
	}
	if s, ok := catalogs["nb"][key]; ok {
		return s
	}
	return code
}
