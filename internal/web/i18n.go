package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"husly/internal/invalid"
)

// Each language is a directory of catalogue files, one per area of the
// product (locales/nb/shell.json, locales/nb/cases.json …), so that work on
// one area does not touch another's file. A key may live in one file only.
//
//go:embed locales
var localeFiles embed.FS

// Languages Husly speaks: bokmål first, then nynorsk and English.
var Languages = []string{"nb", "nn", "en"}

// catalogs maps language → message key → text.
var catalogs = map[string]map[string]string{}

func init() {
	for _, lang := range Languages {
		m, err := readCatalog(lang)
		if err != nil {
			panic(err)
		}
		catalogs[lang] = m
	}
}

// readCatalog merges every file of one language's directory.
func readCatalog(lang string) (map[string]string, error) {
	dir := "locales/" + lang
	entries, err := fs.ReadDir(localeFiles, dir)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	from := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		name := dir + "/" + e.Name()
		b, err := localeFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		part := map[string]string{}
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for k, v := range part {
			if other, dup := from[k]; dup {
				return nil, fmt.Errorf("%s: key %q is already in %s", name, k, other)
			}
			m[k], from[k] = v, name
		}
	}
	return m, nil
}

// translate looks a key up in lang, falling back to bokmål and then the key.
func translate(lang, key string) string {
	if s, ok := catalogs[lang][key]; ok {
		return s
	}
	if s, ok := catalogs["nb"][key]; ok {
		return s
	}
	return key
}

// tr translates key into the request's language and formats args into it:
// the messages handlers give the pages they redirect to or render.
func tr(r *http.Request, key string, args ...any) string {
	if len(args) == 0 {
		return translate(language(r), key)
	}
	return fmt.Sprintf(translate(language(r), key), args...)
}

// language picks the user's language: the one they chose (cookie), else
// nynorsk when the browser asks for it first, else bokmål. A browser's
// English is not taken as a wish: Norwegian public services speak
// Norwegian unless the user picks otherwise.
func language(r *http.Request) string {
	if c, err := r.Cookie("husly_lang"); err == nil {
		for _, l := range Languages {
			if c.Value == l {
				return l
			}
		}
	}
	first := strings.ToLower(strings.TrimSpace(strings.SplitN(strings.SplitN(r.Header.Get("Accept-Language"), ",", 2)[0], ";", 2)[0]))
	if first == "nn" || strings.HasPrefix(first, "nn-") {
		return "nn"
	}
	return "nb"
}

// problemTexts writes messages from the capabilities (invalid.Message) in
// lang: the bokmål format is the key in the catalogues (messages.json), and
// dates among the arguments are written the language's way.
func problemTexts(lang string, ms []invalid.Message) []string {
	return invalid.Texts(ms, lang, catalogLookup(lang))
}

// problemsFor writes messages in the request's language.
func problemsFor(r *http.Request, ms []invalid.Message) []string {
	return problemTexts(language(r), ms)
}

// catalogLookup finds a message's text in lang's catalogue.
func catalogLookup(lang string) func(id string) (string, bool) {
	return func(id string) (string, bool) {
		s, ok := catalogs[lang][id]
		return s, ok
	}
}

// sentences writes refusals in the API answer's language (apiLanguage) as
// sentences ending in a full stop, with a capital letter first when
// capital is set.
func sentences(r *http.Request, ms []invalid.Message, capital bool) []string {
	out := problemTexts(apiLanguage(r), ms)
	for i, s := range out {
		if capital && s != "" {
			first, size := utf8.DecodeRuneInString(s)
			s = string(unicode.ToUpper(first)) + s[size:]
		}
		out[i] = s + "."
	}
	return out
}

// problemLine writes problems in the request's language on one line, as
// Error() does in bokmål.
func problemLine(r *http.Request, ms []invalid.Message) string {
	return strings.Join(problemsFor(r, ms), "; ")
}

// messageText writes one message in the request's language.
func messageText(r *http.Request, m invalid.Message) string {
	return problemsFor(r, []invalid.Message{m})[0]
}

// apiText writes one message in the API answer's language (apiLanguage).
func apiText(r *http.Request, m invalid.Message) string {
	return problemTexts(apiLanguage(r), []invalid.Message{m})[0]
}
