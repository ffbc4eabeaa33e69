package web

import "husly/internal/i18n"

// Plural forms, numbers and the names of codes come from package i18n;
// these are the names the pages use.

// pluralRules give each language's plural category of a count (CLDR).
var pluralRules = i18n.PluralRules

// oneOther is the rule of nb, nn and en for whole numbers: 1 is "one".
func oneOther(n int) string { return i18n.OneOther(n) }

// translatePlural picks key.<category> for n in lang (falling back to
// key.other, then to bokmål) and writes n into it, formatted the
// language's way, as the first argument; args follow.
func translatePlural(lang, key string, n int, args ...any) string {
	return i18n.Plural(lang, key, n, args...)
}

// formatNumber writes a number in lang's way, with as many decimals as it
// has: the one helper for counts, amounts, hours, areas and percentages.
func formatNumber(lang string, f float64) string { return i18n.Number(lang, f) }

// label names a code from the catalogue: prefix.code, or the code itself
// when the catalogue has no name for it (a municipality's own code).
func label(lang, prefix, code string) string { return i18n.Label(lang, prefix, code) }
