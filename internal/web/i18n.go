package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
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
