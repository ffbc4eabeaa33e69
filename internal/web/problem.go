package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"husly/internal/deadline"
)

// Problem is an RFC 9457 problem details object; every API error is one.
type Problem struct {
	Type     string   `json:"type"`
	Title    string   `json:"title"`
	Status   int      `json:"status"`
	Detail   string   `json:"detail,omitempty"`
	Instance string   `json:"instance,omitempty"`
	Errors   []string `json:"errors,omitempty"`
}

func writeProblem(w http.ResponseWriter, r *http.Request, status int, detail string, errs ...string) {
	p := Problem{Type: "about:blank", Title: problemTitle(status), Status: status, Detail: detail, Instance: r.URL.Path, Errors: errs}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p) // the status is sent; a client gone away cannot be told
}

func problemTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Ugyldig forespørsel"
	case http.StatusUnauthorized:
		return "Ikke innlogget"
	case http.StatusForbidden:
		return "Ingen tilgang"
	case http.StatusNotFound:
		return "Finnes ikke"
	case http.StatusMethodNotAllowed:
		return "Metoden er ikke tillatt"
	case http.StatusConflict:
		return "Konflikt"
	case http.StatusRequestEntityTooLarge:
		return "Forespørselen er for stor"
	case http.StatusUnsupportedMediaType:
		return "Feil innholdstype"
	case http.StatusUnprocessableEntity:
		return "Ugyldige opplysninger"
	case http.StatusTooManyRequests:
		return "For mange forsøk"
	case http.StatusServiceUnavailable:
		return "Tjenesten er utilgjengelig"
	}
	return "Intern feil"
}

// decodeJSON reads a JSON body into v, with a Norwegian problem on failure.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && ct != "application/json" && !hasPrefix(ct, "application/json;") {
		writeProblem(w, r, http.StatusUnsupportedMediaType, "Send JSON med Content-Type: application/json.")
		return false
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeProblem(w, r, http.StatusRequestEntityTooLarge, "Forespørselen er større enn 1 MB. Send mindre data om gangen.")
			return false
		}
		writeProblem(w, r, http.StatusBadRequest, "Innholdet er ikke gyldig JSON: "+jsonReason(err))
		return false
	}
	return true
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func jsonReason(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var date *deadline.ParseError
	switch {
	case errors.As(err, &syn):
		return "syntaksfeil"
	case errors.As(err, &typ):
		return "feltet «" + typ.Field + "» har feil type"
	case errors.As(err, &date):
		return date.Error()
	case err.Error() == "EOF":
		return "innholdet er tomt"
	}
	if s := err.Error(); hasPrefix(s, "json: unknown field ") {
		return "ukjent felt " + s[len("json: unknown field "):]
	}
	return "kunne ikke leses"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(withEmptyLists(v)) // the status is sent; a client gone away cannot be told
}
