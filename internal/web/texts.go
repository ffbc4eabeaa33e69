package web

import (
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strings"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/phrase"
	"husly/internal/typegraph"
)

// Sentences the capabilities say about a case (eligibility, the
// timeline, notifications to units, the allocation's reasons) come as
// phrases: a catalogue key and arguments. They are written here, in the
// reader's language, for the pages and for the API.

// Phrases write themselves with the catalogues, also as an argument of a
// message (a refused offer's reasons).
func init() { phrase.SetWriter(phraseText) }

// phraseText writes p in lang. A key with plural forms (key.one,
// key.other) takes the form of its first count argument. Every argument
// is written the language's way and given to the text as a string.
func phraseText(lang string, p phrase.Phrase) string {
	if p.IsZero() {
		return ""
	}
	key := p.Code
	if _, ok := catalogs["nb"][key]; !ok {
		if _, plural := catalogs["nb"][key+".other"]; plural {
			n := 0.0
			for _, a := range p.Args {
				if a.Kind == phrase.KindCount {
					n = a.Number
					break
				}
			}
			rule, ok := pluralRules[lang]
			if !ok {
				rule = oneOther
			}
			form := "other" // a number with decimals is "other" in nb, nn and en
			if n == math.Trunc(n) {
				form = rule(int(n))
			}
			key += "." + form
			if _, ok := catalogs[lang][key]; !ok {
				key = p.Code + ".other"
			}
		}
	}
	text := translate(lang, key)
	if len(p.Args) == 0 || !strings.Contains(text, "%") {
		return text // a text that names none of its arguments
	}
	args := make([]any, len(p.Args))
	for i, a := range p.Args {
		args[i] = argText(lang, a)
	}
	return fmt.Sprintf(text, args...)
}

// argText writes one argument of a phrase in lang.
func argText(lang string, a phrase.Arg) string {
	switch a.Kind {
	case phrase.KindNumber, phrase.KindCount:
		return formatNumber(lang, a.Number)
	case phrase.KindPoints:
		sign := "+"
		if a.Number < 0 {
			sign = "-"
		}
		return sign + formatNumber(lang, math.Abs(a.Number))
	case phrase.KindDate:
		if a.Date.IsZero() {
			return ""
		}
		return a.Date.In(lang)
	case phrase.KindLabel:
		if s, ok := catalogs[lang][a.Text]; ok {
			return s
		}
		if s, ok := catalogs["nb"][a.Text]; ok {
			return s
		}
		// A municipality's own code has no name in the catalogue: show the code.
		return a.Text[strings.LastIndex(a.Text, ".")+1:]
	}
	return a.Text
}

// Phrase writes a phrase in the page's language.
func (v view) Phrase(p phrase.Phrase) string { return phraseText(v.Lang, p) }

// Stored writes a phrase in the page's language, or, for a row written
// before phrases, the text stored with it, as it is.
func (v view) Stored(p phrase.Phrase, text string) string {
	if p.IsZero() {
		return text
	}
	return phraseText(v.Lang, p)
}

// Values writes a value of a decision's change in the page's language, or,
// for a change stored before phrases, the text stored with it.
func (v view) Values(ps []phrase.Phrase, text string) string {
	if len(ps) == 0 {
		return text
	}
	return caseflow.JoinPhrases(ps, v.writer())
}

// CheckReason is the explanation of one eligibility check in the page's
// language.
func (v view) CheckReason(c caseflow.Check) string { return c.Explain(v.writer()) }

// EligibilitySummary is the one sentence about an application's
// eligibility in the page's language.
func (v view) EligibilitySummary(e caseflow.Assessed) string { return e.Explain(v.writer()) }

// NoticeText writes a deadline notice in the page's language.
func (v view) NoticeText(n caseflow.Notice) string { return phraseText(v.Lang, n.Phrase()) }

func (v view) writer() func(phrase.Phrase) string {
	return func(p phrase.Phrase) string { return phraseText(v.Lang, p) }
}

// apiJSON writes an API answer whose texts come from phrases, in the
// answer's language (apiLanguage): a deadline warning, an eligibility
// reason, a timeline title, a notification.
func apiJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	writeJSON(w, status, spoken(apiLanguage(r), v))
}

// spoken is v with its texts written in lang (speak on a copy, so a value
// passed by value can be rewritten too).
func spoken(lang string, v any) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || !maySpeak(rv.Type()) {
		return v
	}
	c := reflect.New(rv.Type())
	c.Elem().Set(rv)
	speak(lang, c.Interface())
	return c.Elem().Interface()
}

// speak writes the texts of an API answer in lang: every phrase.Speaker in
// v (a pointer), also inside personal values the redaction let through,
// rewrites its text fields from its phrases. Values without phrases keep
// their texts.
func speak(lang string, v any) {
	write := func(p phrase.Phrase) string { return phraseText(lang, p) }
	walkSpeakers(reflect.ValueOf(v), write)
}

var (
	speakerType = reflect.TypeFor[phrase.Speaker]()
	editorType  = reflect.TypeFor[interface{ Edit(func(any)) }]()
)

// speaks answers whether a value of a type can hold a speaker, so the
// walk skips the plain parts of an answer.
var speaks = typegraph.Search{Hit: func(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(speakerType) || reflect.PointerTo(t).Implements(editorType)
}}

func maySpeak(t reflect.Type) bool { return speaks.Reaches(t) }

func walkSpeakers(v reflect.Value, write func(phrase.Phrase) string) {
	if !v.IsValid() || !maySpeak(v.Type()) {
		return
	}
	if v.CanAddr() {
		switch x := v.Addr().Interface().(type) {
		case phrase.Speaker:
			x.Speak(write)
		case interface{ Edit(func(any)) }:
			x.Edit(func(inner any) { walkSpeakers(reflect.ValueOf(inner), write) })
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkSpeakers(v.Elem(), write)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkSpeakers(v.Index(i), write)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkSpeakers(v.Field(i), write)
			}
		}
	}
}

// Personal values are edited through access.Personal.Edit; this keeps the
// walk's assumption checked at compile time.
var _ interface{ Edit(func(any)) } = (*access.Personal[caseflow.Check])(nil)
