package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/invalid"
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

// writeProblem answers with a problem whose detail and errors are messages,
// written in the request's language.
func writeProblem(w http.ResponseWriter, r *http.Request, status int, detail invalid.Message, errs ...invalid.Message) {
	lang := apiLanguage(r)
	writeProblemTexts(w, r, status, detail.In(lang, catalogLookup(lang)), problemTexts(lang, errs)...)
}

// writeProblemTexts answers with a problem whose texts are already written
// in the request's language.
func writeProblemTexts(w http.ResponseWriter, r *http.Request, status int, detail string, errs ...string) {
	lang := apiLanguage(r)
	if len(errs) == 0 {
		errs = nil
	}
	p := Problem{Type: "about:blank", Title: problemTitle(status).In(lang, catalogLookup(lang)), Status: status, Detail: detail, Instance: r.URL.Path, Errors: errs}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p) // the status is sent; a client gone away cannot be told
}

func problemTitle(status int) invalid.Message {
	switch status {
	case http.StatusBadRequest:
		return invalid.F("Ugyldig forespørsel")
	case http.StatusUnauthorized:
		return invalid.F("Ikke innlogget")
	case http.StatusForbidden:
		return invalid.F("Ingen tilgang")
	case http.StatusNotFound:
		return invalid.F("Finnes ikke")
	case http.StatusMethodNotAllowed:
		return invalid.F("Metoden er ikke tillatt")
	case http.StatusConflict:
		return invalid.F("Konflikt")
	case http.StatusRequestEntityTooLarge:
		return invalid.F("Forespørselen er for stor")
	case http.StatusUnsupportedMediaType:
		return invalid.F("Feil innholdstype")
	case http.StatusUnprocessableEntity:
		return invalid.F("Ugyldige opplysninger")
	case http.StatusTooManyRequests:
		return invalid.F("For mange forsøk")
	case http.StatusServiceUnavailable:
		return invalid.F("Tjenesten er utilgjengelig")
	}
	return invalid.F("Intern feil")
}

// apiLanguage picks the language of an API answer: the language chosen on
// the pages (cookie), else the first language of Accept-Language that
// Husly speaks, else bokmål. Unlike a page, an API client that asks for
// English gets it: a program's Accept-Language is set on purpose, a
// browser's is not (see language).
func apiLanguage(r *http.Request) string {
	if c, err := r.Cookie("husly_lang"); err == nil && slices.Contains(Languages, c.Value) {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		base := strings.SplitN(tag, "-", 2)[0]
		switch base {
		case "nb", "no":
			return "nb"
		case "nn", "en":
			return base
		}
	}
	return "nb"
}

// mayDecode answers a role that may not make the change forbidden before
// its body is read, whatever it sent, and otherwise reads the body into v
// as decodeJSON does.
func (s *Server) mayDecode(w http.ResponseWriter, r *http.Request, may bool, v any) bool {
	if !may {
		s.apiError(w, r, access.ErrForbidden)
		return false
	}
	return decodeJSON(w, r, v)
}

// decodeJSON reads a JSON body into v, with a Norwegian problem on failure.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && ct != "application/json" && !hasPrefix(ct, "application/json;") {
		writeProblem(w, r, http.StatusUnsupportedMediaType, invalid.F("Send JSON med Content-Type: application/json."))
		return false
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeProblem(w, r, http.StatusRequestEntityTooLarge, invalid.F("Forespørselen er større enn 1 MB. Send mindre data om gangen."))
			return false
		}
		writeProblem(w, r, http.StatusBadRequest, invalid.F("Innholdet er ikke gyldig JSON: %s", jsonReason(err)))
		return false
	}
	return true
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func jsonReason(err error) invalid.Message {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var date *deadline.ParseError
	switch {
	case errors.As(err, &syn):
		return invalid.F("syntaksfeil")
	case errors.As(err, &typ):
		return invalid.F("feltet «%s» har feil type", typ.Field)
	case errors.As(err, &date):
		return invalid.F("%q er ikke en dato (ÅÅÅÅ-MM-DD)", date.Text)
	case err.Error() == "EOF":
		return invalid.F("innholdet er tomt")
	}
	if s := err.Error(); hasPrefix(s, "json: unknown field ") {
		return invalid.F("ukjent felt %s", s[len("json: unknown field "):])
	}
	return invalid.F("kunne ikke leses")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(withEmptyLists(v)) // the status is sent; a client gone away cannot be told
}
