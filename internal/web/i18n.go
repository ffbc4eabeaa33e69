package web

import (
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/web/locales"
)

// The catalogues are loaded by package i18n (the files are in
// internal/web/locales, one directory per language and one file per area;
// a key in two files panics at start). The pages read them through these
// names.

// Languages Husly speaks: bokmål first, then nynorsk and English.
var Languages = i18n.Languages

// catalogs maps language → message key → text.
var catalogs = i18n.Catalogs

// readCatalog merges every file of one language's directory.
func readCatalog(lang string) (map[string]string, error) {
	return i18n.ReadCatalog(locales.Files, lang)
}

// translate looks a key up in lang, falling back to bokmål and then the key.
func translate(lang, key string) string { return i18n.T(lang, key) }

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
func catalogLookup(lang string) func(id string) (string, bool) { return i18n.Lookup(lang) }

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
