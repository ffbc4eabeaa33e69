// Package invalid is the one error type for input that breaks a rule: a
// list of messages saying what is wrong. Every capability returns it
// (under its own name), so the web layer answers all of them the same way:
// 422 with the problems, nothing stored.
//
// A message keeps its bokmål format string and its arguments apart, so it
// can be written in the reader's language when it is shown: the web layer
// looks the format up in the catalogues (internal/web/locales/*/messages.json,
// where the bokmål format is the key), the CLI and the logs print bokmål.
package invalid

import (
	"errors"
	"fmt"
	"strings"
)

// Message is one sentence for a user. ID is its bokmål text as a fmt
// format ("klagen kan ikke være mottatt før vedtaket ble fattet (%s)"),
// which is also its key in the catalogues; Args fill its verbs.
type Message struct {
	ID   string
	Args []any
}

// F makes a message from a bokmål format string and its arguments. The
// format must be a string literal: a test collects every literal passed
// here and requires a nynorsk and an English translation of it. An
// argument that is itself a Message, or that knows how to write itself in
// a language (a Localized, such as deadline.Date), is written in the
// reader's language.
func F(format string, args ...any) Message { return Message{ID: format, Args: args} }

// Localized is an argument that writes itself per language: a date is
// 09.11.2026 in bokmål and nynorsk and 9 November 2026 in English.
type Localized interface {
	In(lang string) string
}

// In writes the message in lang, taking the format from lookup (the
// catalogue of that language; the ID itself when lookup is nil or has no
// entry).
func (m Message) In(lang string, lookup func(id string) (string, bool)) string {
	format := m.ID
	if lookup != nil {
		if s, ok := lookup(m.ID); ok {
			format = s
		}
	}
	if len(m.Args) == 0 {
		return format
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch a := a.(type) {
		case Message:
			args[i] = a.In(lang, lookup)
		case Localized:
			args[i] = a.In(lang)
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(format, args...)
}

// String is the message in bokmål.
func (m Message) String() string { return m.In("nb", nil) }

// Error lists what is wrong with an input.
type Error struct{ Problems []Message }

// New is the error for one or more problems.
func New(problems ...Message) *Error { return &Error{Problems: problems} }

// Problem is the error for one problem, made as F makes it.
func Problem(format string, args ...any) *Error { return New(F(format, args...)) }

// Error is the problems in bokmål, for logs and the CLI.
func (e *Error) Error() string { return strings.Join(Texts(e.Problems, "nb", nil), "; ") }

// Texts writes each message in lang (see Message.In).
func Texts(ms []Message, lang string, lookup func(id string) (string, bool)) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.In(lang, lookup)
	}
	return out
}

// Problems is err's messages when it is (or wraps) an *Error, else nil.
// A check that reports through an error (access.ParseCategory) is added to
// a list of problems with append(problems, invalid.Problems(err)...).
func Problems(err error) []Message {
	var e *Error
	if errors.As(err, &e) {
		return e.Problems
	}
	return nil
}

// Verbatim is a text that has no catalogue entry and is shown as it is in
// every language: the explanations of the allocation engine, which the
// offer check passes on, are sentences built there and not messages yet.
// Use it for nothing else.
func Verbatim(s string) Message { return Message{ID: "%s", Args: []any{s}} }

// Said is a message that is a text which writes itself per language (a
// phrase of the capabilities: why a home does not fit a person), with no
// format of its own.
func Said(x Localized) Message { return Message{ID: "%s", Args: []any{x}} }

// Refusal is an error users read that is not a problem with the input (a
// refusal, a conflict): it is not an *Error, so handlers keep answering it
// with its own status, but its text is a message all the same.
type Refusal struct {
	Msg  Message
	kind error // what it is a case of (access.ErrForbidden), or nil
}

// Refuse is a refusal with a message.
func Refuse(m Message) error { return &Refusal{Msg: m} }

// RefuseAs is a refusal that is also a case of kind (errors.Is(err, kind)).
// Its bokmål text is the kind's, a colon and the message.
func RefuseAs(kind error, m Message) error { return &Refusal{Msg: m, kind: kind} }

func (r *Refusal) Error() string {
	if r.kind != nil {
		return r.kind.Error() + ": " + r.Msg.String()
	}
	return r.Msg.String()
}

func (r *Refusal) Unwrap() error { return r.kind }

// Refusals is the messages of every Refusal in err's chain, the innermost
// (the kind) first: a stale decision, then which versions.
func Refusals(err error) []Message {
	var out []Message
	for err != nil {
		var r *Refusal
		if !errors.As(err, &r) {
			break
		}
		out = append([]Message{r.Msg}, out...)
		err = r.kind
	}
	return out
}
