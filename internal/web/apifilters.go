package web

import (
	"net/http"
	"net/url"

	"husly/internal/invalid"
)

// The API's lists take the same filters as the pages' lists, read by the
// pages' own parsers (caseFilterOf, taskDueRange, unitFilter,
// personCasesOf): the API names its parameters in English, so a request's
// parameters are renamed to the page's before they are read, and the
// field a parser refuses is named back by the API's name. A refused value
// is answered before anything is read, so nothing is logged as read.

// apiFilterQuery renames the API parameters in names (API name → the
// page's name) to the page's; other parameters are left out.
func apiFilterQuery(q url.Values, names map[string]string) url.Values {
	out := url.Values{}
	for api, page := range names {
		if v, ok := q[api]; ok {
			out[page] = v
		}
	}
	return out
}

// badAPIFilter answers 400 naming the API parameter whose value the list
// does not know; fields maps the page parser's field (a catalogue key) to
// the API parameter.
func badAPIFilter(w http.ResponseWriter, r *http.Request, fields map[string]string, bad string) {
	param, ok := fields[bad]
	if !ok {
		param = bad
	}
	writeProblem(w, r, http.StatusBadRequest, invalid.F("Filteret «%s» har en verdi listen ikke kjenner.", param))
}
