package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
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

// writeProblem answers with a problem whose title is in the request's
// language; detail is already in it (see problemf), errs are the domain's
// own sentences.
func writeProblem(w http.ResponseWriter, r *http.Request, status int, detail string, errs ...string) {
	p := Problem{Type: "about:blank", Title: problemTitle(apiLanguage(r), status), Status: status, Detail: detail, Instance: r.URL.Path, Errors: errs}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p) // the status is sent; a client gone away cannot be told
}

// problemf is a problem's detail from the catalogues, in the request's
// language, formatted with args.
func problemf(r *http.Request, key string, args ...any) string {
	t := translate(apiLanguage(r), key)
	if len(args) == 0 {
		return t
	}
	return fmt.Sprintf(t, args...)
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

// problemTitle is the status's title in lang; an unlisted status is an
// internal error.
func problemTitle(lang string, status int) string {
	key := "problem.title." + strconv.Itoa(status)
	if _, ok := catalogs["nb"][key]; !ok {
		key = "problem.title.500"
	}
	return translate(lang, key)
}

// decodeJSON reads a JSON body into v, with a Norwegian problem on failure.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && ct != "application/json" && !hasPrefix(ct, "application/json;") {
		writeProblem(w, r, http.StatusUnsupportedMediaType, problemf(r, "problem.content_type"))
		return false
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeProblem(w, r, http.StatusRequestEntityTooLarge, problemf(r, "problem.too_large"))
			return false
		}
		writeProblem(w, r, http.StatusBadRequest, problemf(r, "problem.bad_json", jsonReason(r, err)))
		return false
	}
	return true
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func jsonReason(r *http.Request, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return problemf(r, "problem.json.syntax")
	case errors.As(err, &typ):
		return problemf(r, "problem.json.type", typ.Field)
	case err.Error() == "EOF":
		return problemf(r, "problem.json.empty")
	}
	if s := err.Error(); hasPrefix(s, "json: unknown field ") {
		return problemf(r, "problem.json.unknown", s[len("json: unknown field "):])
	}
	return problemf(r, "problem.json.unreadable")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(withEmptyLists(v)) // the status is sent; a client gone away cannot be told
}
