package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"husly/internal/i18n"
	"husly/internal/invalid"
)

// The command line speaks the catalogues' languages, like the pages: its
// messages and table headings are keys in internal/web/locales (cli.*),
// and the capabilities' messages are written in the same language. The
// language is --lang, else HUSLY_LANG, else LANG, else bokmål.

// langFlag is --lang, accepted before the command and after it.
type langFlag struct{ e *env }

func (f langFlag) String() string {
	if f.e == nil {
		return ""
	}
	return f.e.lang
}

func (f langFlag) Set(v string) error {
	l := i18n.Parse(v)
	if l == "" {
		return fmt.Errorf("%q: nb, nn or en", v)
	}
	f.e.lang = l
	return nil
}

// addLang adds --lang to a flag set.
func (e *env) addLang(fs *flag.FlagSet) {
	fs.Var(langFlag{e}, "lang", "language of messages and headings: nb, nn or en (env HUSLY_LANG, then LANG; default nb)")
}

// t is a catalogue text in the command line's language, with args.
func (e *env) t(key string, args ...any) string { return i18n.Tf(e.lang, key, args...) }

// tn is a catalogue text in the plural form for n, n written first.
func (e *env) tn(key string, n int, args ...any) string { return i18n.Plural(e.lang, key, n, args...) }

// say writes messages from the capabilities in the command line's language.
func (e *env) say(ms []invalid.Message) []string {
	return invalid.Texts(ms, e.lang, i18n.Lookup(e.lang))
}

// errorText writes an error for the terminal: bad input and refusals in
// the command line's language, anything else as it is.
func (e *env) errorText(err error) string {
	var bad *invalid.Error
	if errors.As(err, &bad) {
		return strings.Join(e.say(bad.Problems), "; ")
	}
	if ms := invalid.Refusals(err); len(ms) > 0 {
		return strings.Join(e.say(ms), "; ")
	}
	return err.Error()
}
