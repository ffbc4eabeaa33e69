package caseflow

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"husly/internal/writtenform"
)

// A letter's fixed sentences in each written form, side by side in
// letters/<form>.json under the same keys, so that a test can hold the two
// forms against each other (språklova § 4: the forms are equal; the
// content forvaltningsloven §§ 24–27 requires must be the same in both).
// The nynorsk file also names the case flow's codes (application kinds,
// housing types …), which in bokmål come from the lists the pages use.
//
//go:embed letters/*.json
var letterFiles embed.FS

// words is one written form's sentences.
type words struct {
	form writtenform.Form
	m    map[string]string
}

var letterWords = map[writtenform.Form]words{}

func init() {
	for _, f := range writtenform.Forms {
		b, err := letterFiles.ReadFile("letters/" + string(f) + ".json")
		if err != nil {
			panic(err)
		}
		w := words{form: f, m: map[string]string{}}
		if err := json.Unmarshal(b, &w.m); err != nil {
			panic(fmt.Errorf("letters/%s.json: %w", f, err))
		}
		letterWords[f] = w
	}
}

// wordsFor gives a form's sentences; an unknown or empty form is bokmål.
func wordsFor(f writtenform.Form) words {
	if w, ok := letterWords[f]; ok {
		return w
	}
	return letterWords[writtenform.Bokmal]
}

// t is the sentence under key, with args put in; a missing key shows as
// itself, which the completeness test forbids.
func (w words) t(key string, args ...any) string {
	s, ok := w.m[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// count writes a small count in words, as the letters' plain language
// asks (Språkrådet: numbers up to twelve in words), else in digits.
func (w words) count(n int) string {
	if s, ok := w.m[fmt.Sprintf("count.%d", n)]; ok {
		return s
	}
	return fmt.Sprint(n)
}

// label names a code from one of the case flow's lists: the list's own
// (bokmål) label, or the nynorsk file's "label.<list>.<code>".
func (w words) label(list string, items []Choice, code string) string {
	if w.form != writtenform.Bokmal {
		if s, ok := w.m["label."+list+"."+code]; ok {
			return s
		}
	}
	return Label(items, code)
}

func (w words) kind(code ApplicationKind) string {
	if l := w.label("kind", Kinds, string(code)); l != "" {
		return l
	}
	return string(code)
}

func (w words) outcome(code Outcome) string {
	if w.form != writtenform.Bokmal {
		if s, ok := w.m["label.outcome."+string(code)]; ok {
			return s
		}
	}
	return outcomeLabel(code)
}

func (w words) requirements(rs []string) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = w.label("requirement", Requirements, r)
	}
	return strings.Join(names, ", ")
}

// field names a changed field of an amended decision ("Tjeneste X" keeps
// the service's own name).
func (w words) field(name string) string {
	if w.form == writtenform.Bokmal {
		return name
	}
	if s, ok := w.m["label.field."+name]; ok {
		return s
	}
	if rest, ok := strings.CutPrefix(name, "Tjeneste "); ok {
		return w.m["label.field.Tjeneste"] + " " + rest
	}
	return name
}

// service describes a granted service in one line.
func (w words) service(s Service) string {
	t := w.t("service", s.Service, hours(s.HoursPerWeek), norwegianDate(s.StartOn))
	if s.AsNeeded {
		// "Etter behov" names the need and how it is met (seed 003).
		t = w.t("service.asneeded", s.Service, s.AsNeededText, norwegianDate(s.StartOn))
	}
	if !s.EndOn.IsZero() {
		t += w.t("service.until", norwegianDate(s.EndOn))
	}
	if s.ProviderName != "" {
		t += " (" + s.ProviderName + ")"
	}
	return t
}
