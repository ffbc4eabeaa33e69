package web

import (
	"fmt"

	"husly/internal/phrase"
)

// The resident reads her own pages in plain words, not the law's (issue
// 11, point 9; seed 000: residents asked to understand what is written
// about them). A catalogue key may have a plain variant, key+".plain",
// that Min side and the resident's timeline use instead; staff pages and
// the letters, which must cite the law (forvaltningsloven §§ 24, 25, 27),
// keep the legal term.
const plainSuffix = ".plain"

// plainKey is key's plain variant when the catalogue has one, else key.
func plainKey(key string) string {
	if _, ok := catalogs["nb"][key+plainSuffix]; ok {
		return key + plainSuffix
	}
	return key
}

// TPlain names a code in plain words: prefix.code.plain, or prefix.code.
func (v view) TPlain(prefix string, code any) string {
	return translate(v.Lang, plainKey(prefix+"."+fmt.Sprint(code)))
}

// PlainPhrase writes a phrase with its key and its label arguments in
// their plain variants where there are some.
func (v view) PlainPhrase(p phrase.Phrase) string {
	q := phrase.Phrase{Code: plainKey(p.Code), Args: append([]phrase.Arg(nil), p.Args...)}
	for i, a := range q.Args {
		if a.Kind == phrase.KindLabel {
			q.Args[i].Text = plainKey(a.Text)
		}
	}
	return phraseText(v.Lang, q)
}
