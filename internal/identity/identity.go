// Package identity validates Norwegian identity numbers: fødselsnummer,
// D-nummer (day + 40) and synthetic test numbers (month + 80, as issued by
// Skatteetaten's test registry). It is a pure core: no I/O, no clock.
package identity

import (
	"time"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

// Kind tells which sort of identity number a valid number is.
type Kind int

const (
	Fodselsnummer Kind = iota
	DNummer
)

// Number is a validated identity number.
type Number struct {
	Digits    string
	Kind      Kind
	Synthetic bool
	Birth     deadline.Date
}

// Errors are messages (invalid.Problem) because they are shown to users
// as they are, in the reader's language.
var (
	ErrLength    error = invalid.Problem("fødselsnummeret må ha 11 sifre")
	ErrDigits    error = invalid.Problem("fødselsnummeret kan bare inneholde sifre")
	ErrDate      error = invalid.Problem("fødselsnummeret inneholder ingen gyldig dato")
	ErrCheck     error = invalid.Problem("kontrollsifrene i fødselsnummeret stemmer ikke")
	ErrSynthetic error = invalid.Problem("syntetiske testnumre er bare tillatt i demo- og testdatabaser")
	// The population register issues a number at birth or on
	// registration, never before (folkeregisterloven § 2-2): a birth date
	// after today means a mistyped number.
	ErrFuture error = invalid.Problem("fødselsdatoen i fødselsnummeret er etter dagens dato: et fødselsnummer eller D-nummer tildeles ikke før personen er født (folkeregisterloven § 2-2)")
)

var (
	weights1 = [9]int{3, 7, 6, 1, 8, 9, 4, 5, 2}
	weights2 = [10]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
)

// Parse validates s: 11 digits, both mod-11 check digits, and a real
// birth date no later than today (the caller's calendar day in Norway; the
// core keeps no clock). allowSynthetic admits test numbers (month + 80);
// production databases refuse them.
func Parse(s string, allowSynthetic bool, today time.Time) (Number, error) {
	if len(s) != 11 {
		return Number{}, ErrLength
	}
	var d [11]int
	for i := 0; i < 11; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return Number{}, ErrDigits
		}
		d[i] = int(c - '0')
	}
	if checkDigit(d[:9], weights1[:]) != d[9] || checkDigit(d[:10], weights2[:]) != d[10] {
		return Number{}, ErrCheck
	}
	n := Number{Digits: s}
	day := d[0]*10 + d[1]
	month := d[2]*10 + d[3]
	if day > 40 {
		n.Kind = DNummer
		day -= 40
	}
	if month > 80 {
		n.Synthetic = true
		month -= 80
	}
	year, ok := century(d[4]*10+d[5], d[6]*100+d[7]*10+d[8])
	if !ok {
		return Number{}, ErrDate
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || day < 1 || t.Day() != day || t.Month() != time.Month(month) {
		return Number{}, ErrDate
	}
	if y, m, d := today.Date(); t.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		return Number{}, ErrFuture
	}
	if n.Synthetic && !allowSynthetic {
		return Number{}, ErrSynthetic
	}
	n.Birth = deadline.Of(t.Year(), t.Month(), t.Day())
	return n, nil
}

// checkDigit computes a mod-11 check digit; -1 means no valid digit exists
// (remainder 1), so the number cannot match.
func checkDigit(digits, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += digits[i] * w
	}
	k := 11 - sum%11
	switch k {
	case 11:
		return 0
	case 10:
		return -1
	}
	return k
}

// century turns the two-digit year into a full year using the individual
// number, as the population register assigns them.
func century(yy, individual int) (int, bool) {
	switch {
	case individual <= 499:
		return 1900 + yy, true
	case individual <= 749 && yy >= 54:
		return 1800 + yy, true
	case individual >= 900 && yy >= 40:
		return 1900 + yy, true
	case yy <= 39:
		return 2000 + yy, true
	}
	return 0, false
}

// Make builds a valid number for a birth date and individual number; the
// demo and the tests use it to make synthetic people. It returns false when
// no check digits exist for that individual number.
func Make(birth deadline.Date, individual int, kind Kind, synthetic bool) (string, bool) {
	day, month := birth.Day, int(birth.Month)
	if kind == DNummer {
		day += 40
	}
	if synthetic {
		month += 80
	}
	var d [11]int
	d[0], d[1] = day/10, day%10
	d[2], d[3] = month/10, month%10
	yy := birth.Year % 100
	d[4], d[5] = yy/10, yy%10
	d[6], d[7], d[8] = individual/100, individual/10%10, individual%10
	d[9] = checkDigit(d[:9], weights1[:])
	if d[9] < 0 {
		return "", false
	}
	d[10] = checkDigit(d[:10], weights2[:])
	if d[10] < 0 {
		return "", false
	}
	b := make([]byte, 11)
	for i, v := range d {
		b[i] = "0123456789"[v] // every v is a digit: checkDigit refused the rest
	}
	return string(b), true
}

// Mask shows only the birth date part: 010190*****.
func Mask(s string) string {
	if len(s) != 11 {
		return "***********"
	}
	return s[:6] + "*****"
}

// Synthetic gives the i-th of a deterministic sequence of distinct
// synthetic test numbers (month + 80), born between 1940 and 2019. The
// demo and the benchmarks make their people with it.
func Synthetic(i int) string {
	day := deadline.Of(1940, 1, 1).AddDays(i % 29200)
	for ind := (i / 29200) * 7 % 500; ; ind++ {
		if s, ok := Make(day, ind%500, Fodselsnummer, true); ok {
			// Individual numbers 000–499 are the 1900s; keep births inside them.
			if day.Year >= 2000 {
				s, ok = Make(day, 500+ind%499, Fodselsnummer, true)
				if !ok {
					continue
				}
			}
			return s
		}
	}
}
