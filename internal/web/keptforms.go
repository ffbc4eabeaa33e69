package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"husly/internal/invalid"
)

// A form that posts to an action and returns to a list or another page
// (flashThenRedirect) is shown again on that page when its input has a
// problem, as the person page's forms are (newForm): the post keeps the
// form in the session and redirects (303) as on success; the page's next
// GET takes it out again (once: a reload shows the clean page) into the
// view's Form, which the page's templates read for what was typed, which
// fields to mark and the error summary at the top (templates/_forms.html,
// after Designsystemet's error summary). Nothing is stored.

// keptFormKey is the session key of the form a post sent back.
const keptFormKey = "kept_form"

// The session is a row in the database that every request reads, so a kept
// form is bounded: each value at keptValueRunes characters (a long text is
// cut there, far beyond what the forms' short fields hold), and the posted
// values together at keptFormBytes; past that the boxes are not kept (the
// texts, which the user typed, are).
const (
	keptValueRunes = 4000
	keptFormBytes  = 32 << 10
)

// keptForm is a form sent back to its page: To the page's path, Action
// the path it posted to, Values what was typed by the fields' element
// ids, Chosen the posted boxes, buttons and options, and Problems.
type keptForm struct {
	To       string              `json:"to"`
	Action   string              `json:"action"`
	Values   map[string]string   `json:"values,omitempty"`
	Chosen   map[string][]string `json:"chosen,omitempty"`
	Problems []keptProblem       `json:"problems"`
}

// keptProblem is one problem with the field's element id it is about
// (empty for the form as a whole) and its text in each language, so the
// page shows it in the reader's language when it renders.
type keptProblem struct {
	ID   string            `json:"id,omitempty"`
	Text map[string]string `json:"text"`
}

// pageForms are the field tables of the forms whose problems come back to
// a page, by route ("POST /path/{id}"); each page declares its own next
// to its routes. An element id may hold the route's wildcards ("{id}"),
// or a posted field's name, for a form repeated per row.
var pageForms = map[string][]formField{}

// declareForms adds a page's field tables to pageForms; called from each
// page's var block, so a route is declared once.
func declareForms(tables map[string][]formField) bool {
	for route, fields := range tables {
		if _, dup := pageForms[route]; dup {
			panic("form " + route + " declared twice")
		}
		pageForms[route] = fields
	}
	return true
}

// wildcard is a route's {name} or {name...}.
var wildcard = regexp.MustCompile(`\{([A-Za-z0-9_]+)(\.\.\.)?\}`)

// keepForm puts the form r posted, with its problems, in the session for
// the page at to.
func (s *Server) keepForm(r *http.Request, to string, problems []invalid.Message) {
	fields := pageForms[r.Pattern]
	// The element ids of this row's form.
	ids := make([]string, len(fields))
	for i, fd := range fields {
		ids[i] = wildcard.ReplaceAllStringFunc(fd.ID, func(w string) string {
			name := wildcard.FindStringSubmatch(w)[1]
			if v := r.PathValue(name); v != "" {
				return v
			}
			// A form repeated per row that posts to one path names its
			// row in a hidden field (a visit's lease).
			return r.PostFormValue(name)
		})
	}
	k := keptForm{To: pathOf(to), Action: r.URL.Path, Values: map[string]string{}, Chosen: map[string][]string{}}
	size := 0
	for i, fd := range fields {
		v := capRunes(strings.Join(r.PostForm[fd.Name], "\n"))
		k.Values[ids[i]] = v
		size += len(v)
	}
	// The form is protected by Cross-Origin checks (server.go), so there
	// is no token in it to leave out; "neste" is where to go after.
	for name, vs := range r.PostForm {
		if name == "neste" {
			continue
		}
		for _, v := range vs {
			size += len(name) + len(v)
		}
		if size > keptFormBytes {
			break
		}
		for _, v := range vs {
			k.Chosen[name] = append(k.Chosen[name], capRunes(v))
		}
	}
	for _, m := range problems {
		p := keptProblem{Text: map[string]string{}}
		for _, lang := range []string{"nb", "nn", "en"} {
			p.Text[lang] = problemTexts(lang, []invalid.Message{m})[0]
		}
		p.ID = fieldOf(m.String(), fields, ids)
		k.Problems = append(k.Problems, p)
	}
	b, err := json.Marshal(k)
	if err != nil {
		return // only strings: cannot fail
	}
	s.sessions.Put(r.Context(), keptFormKey, string(b))
}

// fieldOf is the element id of the first field whose bokmål label the
// bokmål message names, as newForm ties them. A label given as a
// catalogue key (words.field.*, tenancy.field.*) is the field's name a
// message starts with ("Dato: «x» er ikke en dato", "mottatt: skriv
// datoen"), so a short word such as "Til" ties only there; a number or
// date that does not parse is named in the reader's language, so the
// name is looked for in each.
func fieldOf(nb string, fields []formField, ids []string) string {
	nb = strings.ToLower(nb)
	for i, fd := range fields {
		if word := translate("nb", fd.Label); word != fd.Label && !strings.Contains(fd.Label, " ") {
			for _, lang := range []string{"nb", "nn", "en"} {
				if strings.HasPrefix(nb, strings.ToLower(translate(lang, fd.Label))+":") {
					return ids[i]
				}
			}
			continue
		}
		if fd.Label != "" && strings.Contains(nb, strings.ToLower(fd.Label)) {
			return ids[i]
		}
	}
	return ""
}

// capRunes cuts a value at keptValueRunes characters.
func capRunes(v string) string {
	if utf8.RuneCountInString(v) <= keptValueRunes {
		return v
	}
	return string([]rune(v)[:keptValueRunes])
}

// pathOf is a redirect target's path, without its query or fragment.
func pathOf(to string) string {
	if i := strings.IndexAny(to, "?#"); i >= 0 {
		return to[:i]
	}
	return to
}

// popKeptForm takes the form a post sent back, as the state of the form
// shown again in the reader's language, when r is the page it came back
// to; any other page drops it.
func (s *Server) popKeptForm(r *http.Request) formState {
	raw := s.sessions.PopString(r.Context(), keptFormKey)
	if raw == "" {
		return formState{}
	}
	var k keptForm
	if json.Unmarshal([]byte(raw), &k) != nil || k.To != r.URL.Path {
		return formState{}
	}
	lang := language(r)
	f := formState{Heading: translate(lang, "forms.summary.heading"), values: k.Values, posted: true}
	f.choose(k.Action, url.Values(k.Chosen))
	for _, p := range k.Problems {
		f.Problems = append(f.Problems, formProblem{ID: p.ID, Text: p.Text[lang]})
	}
	return f
}

// The forms that are a button only (marking read, withdrawing, a task
// done): nothing is typed, so a problem with one is about the thing it
// acts on and shows in the summary of the page it returns to.
var _ = declareForms(map[string][]formField{
	"POST /aktiviteter/{id}/trekk":                   {},
	"POST /enhetsvarsler/{id}/lest":                  {},
	"POST /min-side/aktiviteter/{id}/pamelding":      {},
	"POST /min-side/aktiviteter/{id}/trekk":          {},
	"POST /min-side/samtykker-utenfor/{ocid}/trekk":  {},
	"POST /min-side/samtykker/{cid}/trekk":           {},
	"POST /oppfolging/team/{id}/personal/hms/utfort": {},
	"POST /oppfolging/{id}/planer/gjort":             {},
	"POST /varsler/{id}/lest":                        {},
	"POST /tildeling/tilby":                          {},
})
