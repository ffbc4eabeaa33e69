package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// formNumbers reads the numbers typed into a posted form. An empty field is
// 0, and the capability's own rules say whether it may be left empty. A
// field that is filled in but is not a number becomes a problem naming the
// field, so "to" in «Antall rom» is never taken for 0 rooms: the handler
// returns Err before anything is stored, and the form is shown again with
// what was typed.
type formNumbers struct {
	r        *http.Request
	problems []invalid.Message
}

func numbersIn(r *http.Request) *formNumbers { return &formNumbers{r: r} }

// inTxParsed runs fn in one transaction when every number and date read
// from the form parsed; otherwise it returns their problems and stores
// nothing.
func (s *Server) inTxParsed(r *http.Request, nums *formNumbers, fn func(tx *store.Tx) error) error {
	if err := nums.Err(); err != nil {
		return err
	}
	return s.inTx(r, fn)
}

// The exported readers take the field's label as a catalogue key, so a
// problem names the field in the reader's language; the *Text readers take
// a label already written in it (a row's number, a category's name).

// Int reads a whole number; spaces between digit groups ("12 000") are
// allowed, as Norwegians write them.
func (f *formNumbers) Int(name, labelKey string) int {
	return f.intText(f.r.PostFormValue(name), tr(f.r, labelKey))
}

// ID reads the id of something chosen in the form (a unit, a case).
func (f *formNumbers) ID(name, labelKey string) int64 {
	return f.idText(f.r.PostFormValue(name), tr(f.r, labelKey))
}

// Decimal reads a number that may have a decimal comma ("2,5").
func (f *formNumbers) Decimal(name, labelKey string) float64 {
	return f.decimalText(f.r.PostFormValue(name), tr(f.r, labelKey))
}

func (f *formNumbers) intText(typed, label string) int {
	v := digitsOnly(typed)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.problems = append(f.problems, invalid.F("%s: «%s» er ikke et helt tall", label, strings.TrimSpace(typed)))
		return 0
	}
	return n
}

func (f *formNumbers) idText(v, label string) int64 {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		f.problems = append(f.problems, invalid.F("%s: «%s» er ikke et gyldig valg", label, v))
		return 0
	}
	return n
}

func (f *formNumbers) decimalText(typed, label string) float64 {
	v := strings.ReplaceAll(digitsOnly(typed), ",", ".")
	if v == "" {
		return 0
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		f.problems = append(f.problems, invalid.F("%s: «%s» er ikke et tall", label, strings.TrimSpace(typed)))
		return 0
	}
	return x
}

// Date reads a date from a date field ("YYYY-MM-DD", what a browser's
// date input sends); an empty field is the zero date, which the case flow
// takes as today where a date may be left out.
func (f *formNumbers) Date(name, labelKey string) deadline.Date {
	return f.dateText(f.r.PostFormValue(name), tr(f.r, labelKey))
}

func (f *formNumbers) dateText(typed, label string) deadline.Date {
	v := strings.TrimSpace(typed)
	if v == "" {
		return deadline.Date{}
	}
	d, err := deadline.Parse(v)
	if err != nil {
		f.problems = append(f.problems, invalid.F("%s: %q er ikke en dato (ÅÅÅÅ-MM-DD)", label, v))
	}
	return d
}

// digitsOnly trims a typed number and drops the spaces Norwegians put
// between digit groups, including the no-break space.
func digitsOnly(v string) string {
	return strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(strings.TrimSpace(v))
}

// Err is the problems found, as the one error type for bad input, or nil.
func (f *formNumbers) Err() error {
	if len(f.problems) == 0 {
		return nil
	}
	return &invalid.Error{Problems: f.problems}
}
