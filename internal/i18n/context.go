package i18n

import "context"

// The language a piece of work writes in travels in its context, so a
// capability that writes text for a reader (the person's copy of their
// data) writes it in the reader's language without every function
// between the request and the text passing it along.

type langKey struct{}

// WithLang is ctx carrying lang; a language Husly does not speak is bokmål.
func WithLang(ctx context.Context, lang string) context.Context {
	if !Speaks(lang) {
		lang = "nb"
	}
	return context.WithValue(ctx, langKey{}, lang)
}

// LangOf is the language ctx carries, bokmål when none.
func LangOf(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok {
		return l
	}
	return "nb"
}
