package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

//go:embed locales/*.json
var localeFiles embed.FS

// Languages Husly speaks: bokmål first, then nynorsk and English.
var Languages = []string{"nb", "nn", "en"}

// catalogs maps language → message key → text.
var catalogs = map[string]map[string]string{}

func init() {
	for _, lang := range Languages {
		b, err := localeFiles.ReadFile("locales/" + lang + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("locales/%s.json: %v", lang, err))
		}
		catalogs[lang] = m
	}
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
