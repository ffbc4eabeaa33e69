package web

import (
	"net/http"
	"time"

	"husly/internal/deadline"
)

// Dates are written the reader's way through deadline.Date.In: 06.12.2026
// in bokmål and nynorsk, 6 December 2026 in English (en-GB). A stored
// instant is shown as its day in Oslo, so a date column (midnight UTC)
// keeps its day.

// dateIn writes a date, an instant's Oslo day or a YYYY-MM-DD string in
// lang; anything else is written as it is, and the zero date as "".
func dateIn(lang string, v any) string {
	switch t := v.(type) {
	case deadline.Date:
		return t.In(lang)
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return deadline.On(t).In(lang)
	case *deadline.Date:
		if t == nil {
			return ""
		}
		return t.In(lang)
	}
	s := code(v)
	if d, err := deadline.Parse(s); err == nil {
		return d.In(lang)
	}
	return s
}

// dateOrDash is dateIn with a dash for a missing date, for table cells.
func dateOrDash(lang string, v any) string {
	if s := dateIn(lang, v); s != "" {
		return s
	}
	return "–"
}

// dateFor writes a date in the request's language, for the sentences
// handlers put in flashes and titles.
func dateFor(r *http.Request, v any) string { return dateIn(language(r), v) }
