// Package phrase keeps a sentence Husly says about a case (why an
// application is eligible, what happened on a timeline, what a unit is told)
// as a catalogue key and its arguments, so it is written in the reader's
// language when it is shown and not in the language of whoever caused it.
//
// The texts live in the web catalogues (internal/web/locales/*/texts.json
// and the other area files), where every argument is a %s: the web layer
// writes each argument the language's way first (a number 12 345,5 or
// 12,345.5, a date 09.11.2026 or 9 November 2026, a label from the
// catalogue). A phrase is plain data: it is stored as JSON and returned by
// the API beside its text, so an integration can read the code.
package phrase

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"

	"husly/internal/deadline"
)

// Phrase is one sentence as data: its catalogue key and its arguments.
type Phrase struct {
	Code string `json:"code"`
	Args []Arg  `json:"args,omitempty"`
}

// New makes a phrase. The code must be a string literal naming a key in
// every language's catalogue (a test holds the catalogues against the
// codes the packages use).
func New(code string, args ...Arg) Phrase { return Phrase{Code: code, Args: args} }

// IsZero reports whether p says nothing (a row written before phrases,
// whose stored text is shown as it is).
func (p Phrase) IsZero() bool { return p.Code == "" }

// Kind is how an argument is written.
type Kind string

// Kinds of argument.
const (
	KindText   Kind = "text"   // shown as it is: a name, an address, what someone wrote
	KindNumber Kind = "number" // a number, written the language's way
	KindCount  Kind = "count"  // a number that also picks the plural form of the sentence
	KindPoints Kind = "points" // a part of a score, with its sign: +10, −2
	KindDate   Kind = "date"   // a calendar date
	KindLabel  Kind = "label"  // a catalogue key, written as its text (a status, a group)
)

// Arg is one argument of a phrase. In JSON it is an object with one
// member named by its kind: {"count": 3}, {"date": "2026-11-09"},
// {"label": "texts.group.bostedslos"}.
type Arg struct {
	Kind   Kind
	Text   string        // text and label
	Number float64       // number, count and points
	Date   deadline.Date // date
}

// Text is an argument shown as it is.
func Text(s string) Arg { return Arg{Kind: KindText, Text: s} }

// Number is a number written the language's way.
func Number(f float64) Arg { return Arg{Kind: KindNumber, Number: f} }

// Count is a whole number that picks the plural form.
func Count(n int) Arg { return Arg{Kind: KindCount, Number: float64(n)} }

// Points is a part of a score, shown with its sign.
func Points(f float64) Arg { return Arg{Kind: KindPoints, Number: f} }

// Date is a calendar date.
func Date(d deadline.Date) Arg { return Arg{Kind: KindDate, Date: d} }

// Label is a catalogue key written as its text in the reader's language.
func Label(key string) Arg { return Arg{Kind: KindLabel, Text: key} }

// MarshalJSON writes the argument as {"<kind>": value}.
func (a Arg) MarshalJSON() ([]byte, error) {
	var v any
	switch a.Kind {
	case KindText, KindLabel:
		v = a.Text
	case KindNumber, KindCount, KindPoints:
		v = a.Number
	case KindDate:
		v = a.Date.String()
	default:
		return nil, fmt.Errorf("phrase: unknown argument kind %q", a.Kind)
	}
	return json.Marshal(map[Kind]any{a.Kind: v})
}

// UnmarshalJSON reads an argument written by MarshalJSON.
func (a *Arg) UnmarshalJSON(b []byte) error {
	var m map[Kind]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if len(m) != 1 {
		return errors.New("phrase: an argument has exactly one member")
	}
	for k, raw := range m {
		*a = Arg{Kind: k}
		switch k {
		case KindText, KindLabel:
			return json.Unmarshal(raw, &a.Text)
		case KindNumber, KindCount, KindPoints:
			return json.Unmarshal(raw, &a.Number)
		case KindDate:
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return err
			}
			if s == "" {
				return nil // no date (a notice about no second date)
			}
			d, err := deadline.Parse(s)
			a.Date = d
			return err
		}
		return fmt.Errorf("phrase: unknown argument kind %q", k)
	}
	return nil
}

// Encode writes phrases for a text column; Decode reads them back ("" is
// none: a row written before phrases).
func Encode(ps []Phrase) (string, error) {
	if len(ps) == 0 {
		return "", nil
	}
	b, err := json.Marshal(ps)
	return string(b), err
}

// Decode reads phrases written by Encode.
func Decode(s string) ([]Phrase, error) {
	if s == "" {
		return nil, nil
	}
	var ps []Phrase
	err := json.Unmarshal([]byte(s), &ps)
	return ps, err
}

// Speaker is a value whose texts are written from phrases: the API calls
// Speak with a writer of its answer's language before it sends the value,
// so a field such as "deadline_warning" is in the language the client
// asked for. A value without a phrase (written before) keeps its text.
type Speaker interface {
	Speak(write func(Phrase) string)
}

// writer writes a phrase in a language; the web layer, which holds the
// catalogues, sets it when it starts (SetWriter).
var writer atomic.Pointer[func(lang string, p Phrase) string]

// SetWriter sets how phrases write themselves (In).
func SetWriter(w func(lang string, p Phrase) string) { writer.Store(&w) }

// In writes the phrase in lang, so a phrase can be an argument of a
// message (invalid.Localized) that is written in the reader's language.
// Without a writer it is its code.
func (p Phrase) In(lang string) string {
	if w := writer.Load(); w != nil {
		return (*w)(lang, p)
	}
	return p.Code
}

// Fallback is a phrase with its bokmål text, for a message that must read
// well also in a program that has no catalogues (a test of a capability
// alone): it writes the phrase when a writer is set, else the text.
type Fallback struct {
	Phrase Phrase
	Text   string
}

// In writes the phrase in lang, or the text without a writer.
func (f Fallback) In(lang string) string {
	if writer.Load() == nil {
		return f.Text
	}
	return f.Phrase.In(lang)
}
