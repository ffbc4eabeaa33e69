// Package i18n is Husly's catalogues in the running program: the text of a
// key in bokmål, nynorsk or English, plural forms, numbers written each
// language's way, and the name of a code. The pages (internal/web), the
// PDFs and the command line read the same catalogues through it, so a
// label is written once per language.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"husly/internal/web/locales"
)

// Languages Husly speaks: bokmål first, then nynorsk and English.
var Languages = []string{"nb", "nn", "en"}

// Catalogs maps language → key → text, every area file of a language
// merged. It is read once, at start.
var Catalogs = map[string]map[string]string{}

func init() {
	for _, lang := range Languages {
		m, err := ReadCatalog(locales.Files, lang)
		if err != nil {
			panic(err)
		}
		Catalogs[lang] = m
	}
}

// ReadCatalog merges every file of one language's directory in files. A
// key may live in one file only: a key in two files is an error (and a
// panic at start), so two areas never silently overwrite each other.
func ReadCatalog(files fs.FS, lang string) (map[string]string, error) {
	entries, err := fs.ReadDir(files, lang)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	from := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		name := lang + "/" + e.Name()
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		part := map[string]string{}
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("locales/%s: %w", name, err)
		}
		for k, v := range part {
			if other, dup := from[k]; dup {
				return nil, fmt.Errorf("locales/%s: key %q is already in locales/%s", name, k, other)
			}
			m[k], from[k] = v, name
		}
	}
	return m, nil
}

// Speaks reports whether lang is one of Husly's languages.
func Speaks(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// T looks a key up in lang, falling back to bokmål and then the key.
func T(lang, key string) string {
	if s, ok := Catalogs[lang][key]; ok {
		return s
	}
	if s, ok := Catalogs["nb"][key]; ok {
		return s
	}
	return key
}

// Tf looks a key up in lang and formats args into it.
func Tf(lang, key string, args ...any) string {
	if len(args) == 0 {
		return T(lang, key)
	}
	return fmt.Sprintf(T(lang, key), args...)
}

// Lookup finds a key's text in lang's catalogue only, for the messages
// (invalid.Message) whose bokmål format is their key.
func Lookup(lang string) func(id string) (string, bool) {
	return func(id string) (string, bool) {
		s, ok := Catalogs[lang][id]
		return s, ok
	}
}

// Label names a code from the catalogue: prefix.code, or the code itself
// when the catalogue has no name for it (a municipality's own code).
func Label(lang, prefix, code string) string {
	if code == "" {
		return ""
	}
	key := prefix + "." + code
	if s, ok := Catalogs[lang][key]; ok {
		return s
	}
	if s, ok := Catalogs["nb"][key]; ok {
		return s
	}
	return code
}

// PluralRules give each language's plural category of a count, by the
// CLDR rules (unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html).
// Bokmål, nynorsk and English have two categories, "one" (exactly 1) and
// "other". A language with more forms adds its rule here, returning its
// categories ("one", "few", "many", "other"), and keys key.few, key.many …
// in its catalogue; nothing else changes.
var PluralRules = map[string]func(n int) string{
	"nb": OneOther,
	"nn": OneOther,
	"en": OneOther,
}

// OneOther is the rule of nb, nn and en for whole numbers: 1 is "one".
func OneOther(n int) string {
	if n == 1 || n == -1 {
		return "one"
	}
	return "other"
}

// Plural picks key.<category> for n in lang (falling back to key.other,
// then to bokmål) and writes n into it, formatted the language's way, as
// the first argument; args follow.
func Plural(lang, key string, n int, args ...any) string {
	rule, ok := PluralRules[lang]
	if !ok {
		rule = OneOther
	}
	text, ok := Catalogs[lang][key+"."+rule(n)]
	if !ok {
		text = T(lang, key+".other")
	}
	if !strings.Contains(text, "%") {
		return text // a text that names nothing (fmt would append the unused arguments)
	}
	return fmt.Sprintf(text, append([]any{Number(lang, float64(n))}, args...)...)
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

// Number writes a number in lang's way, with as many decimals as it has:
// the one helper for counts, amounts, hours, areas and percentages.
func Number(lang string, f float64) string {
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

// FromEnvironment picks the language of the command line: HUSLY_LANG, else
// the language of LANG (nb_NO.UTF-8 → nb, nn_NO → nn, en_GB → en; no, no_NO
// → nb), else bokmål. A value Husly does not speak is passed over.
func FromEnvironment() string {
	for _, v := range []string{os.Getenv("HUSLY_LANG"), os.Getenv("LANG")} {
		if l := Parse(v); l != "" {
			return l
		}
	}
	return "nb"
}

// Parse reads a language tag or locale (nb, nn-NO, en_GB.UTF-8, no) as one
// of Husly's languages, or "" when it is none of them.
func Parse(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	tag, _, _ = strings.Cut(tag, ".")
	tag, _, _ = strings.Cut(tag, "@")
	base, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	switch base {
	case "nb", "no":
		return "nb"
	case "nn":
		return "nn"
	case "en":
		return "en"
	}
	return ""
}

// Code is a code named in the reader's language where a message needs its
// name: invalid.F("bolig %s er ikke ledig (%s)", u.Code, i18n.Lower("housing.status", status))
// writes «ikke ledig (utleid)» in bokmål and «not vacant (let)» in
// English. It is an invalid.Localized argument; String is bokmål, for logs
// and sentences that are not messages yet.
type Code struct {
	Prefix, Value string
	// Lower writes the name with a small first letter, inside a sentence.
	Lower bool
}

// Name is the code named by its catalogue key prefix.Value.
func Name(prefix string, value any) Code { return Code{Prefix: prefix, Value: fmt.Sprint(value)} }

// Lower is Name with a small first letter, for the middle of a sentence.
func Lower(prefix string, value any) Code {
	return Code{Prefix: prefix, Value: fmt.Sprint(value), Lower: true}
}

// In writes the code's name in lang.
func (c Code) In(lang string) string {
	s := Label(lang, c.Prefix, c.Value)
	if c.Lower && !isProperNoun(s) {
		s = lowerFirst(s)
	}
	return s
}

func (c Code) String() string { return c.In("nb") }

// lowerFirst makes the first letter small.
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

// isProperNoun reports whether a name starts with a word that keeps its
// capital inside a sentence (Housing First, NAV, DPS).
func isProperNoun(s string) bool {
	first, _, _ := strings.Cut(s, " ")
	if len(first) > 1 && strings.ToUpper(first) == first {
		return true // an abbreviation
	}
	return strings.HasPrefix(s, "Housing First")
}

// Count is a counted phrase as a message argument: the catalogue's
// Key.one or Key.other (by the language's plural rule) with N written in
// it, so "1 sak" and "3 saker" never share one form. It is an
// invalid.Localized; String is bokmål.
type Count struct {
	Key string
	N   int
}

// Counted is the phrase key counted n times.
func Counted(key string, n int) Count { return Count{Key: key, N: n} }

// In writes the counted phrase in lang.
func (c Count) In(lang string) string { return Plural(lang, c.Key, c.N) }

func (c Count) String() string { return c.In("nb") }
