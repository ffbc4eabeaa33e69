// Package invalid is the one error type for input that breaks a rule: a
// list of Norwegian sentences saying what is wrong. Every capability
// returns it (under its own name), so the web layer answers all of them
// the same way: 422 with the problems, nothing stored.
package invalid

import "strings"

// Error lists what is wrong with an input.
type Error struct{ Problems []string }

func (e *Error) Error() string { return strings.Join(e.Problems, "; ") }
