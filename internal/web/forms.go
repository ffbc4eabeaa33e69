package web

import (
	"bytes"
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"husly/internal/invalid"
	"husly/internal/org"
)

// Every form of the pages follows Post/Redirect/Get: a post that stores
// answers 303 to the page that shows the result, with a confirmation kept
// in the session for that page's next load (saved), so a reload shows the
// page again and never stores twice. A post with a problem stores nothing
// and shows the form again with what was typed, each field the problem
// is about marked (aria-invalid, aria-describedby) and an error summary at
// the top (formState, templates/_forms.html, after Designsystemet's error
// summary).

// flashKey is the session key of the confirmation the next page shows.
const flashKey = "flash"

// saved ends a successful form post: message is shown once on the page at
// to, which the browser is sent to with 303 See Other.
func (s *Server) saved(w http.ResponseWriter, r *http.Request, message, to string) {
	if message != "" {
		s.sessions.Put(r.Context(), flashKey, message)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// popFlash takes the confirmation a redirect left for this page.
func (s *Server) popFlash(r *http.Request) string {
	return s.sessions.PopString(r.Context(), flashKey)
}

// formField is one field of a form as the error summary knows it: ID is
// the element's id on the page (unique, so a page with many forms marks
// the right one), Name the posted name, and Label the bokmål word a
// problem about it names ("fornavn" in "fornavn mangler").
type formField struct{ ID, Name, Label string }

// formProblem is one line of the error summary; ID is the field it is
// about, empty for a problem with the form as a whole.
type formProblem struct{ ID, Text string }

// formState is a posted form shown again: what was typed in each field,
// and the problems, each tied to its field where one is named.
type formState struct {
	Heading  string
	Problems []formProblem
	values   map[string]string
	posted   bool
	// chosen are the boxes, buttons and options of a form sent or filled
	// in from a draft, by the last part of the path the form posts to,
	// so a page with many forms keeps the choices of the one sent only.
	chosen map[string]url.Values
}

// newForm keeps what r posted into fields and ties each problem to the
// first field whose label it names (matched in bokmål, the messages'
// ids, so the tie is the same in every language).
func newForm(r *http.Request, fields []formField, problems []invalid.Message) formState {
	f := formState{Heading: tr(r, "forms.summary.heading"), values: map[string]string{}, posted: true}
	f.choose(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], r.PostForm)
	for _, fd := range fields {
		f.values[fd.ID] = strings.Join(r.PostForm[fd.Name], "\n")
	}
	for _, m := range problems {
		p := formProblem{Text: messageText(r, m)}
		nb := strings.ToLower(m.String())
		for _, fd := range fields {
			// A label given as a catalogue key (words.field.*) is the one a
			// number or date that does not parse is reported under, in the
			// reader's language.
			label := fd.Label
			if strings.HasPrefix(label, "words.field.") {
				label = tr(r, label)
			}
			if label != "" && strings.Contains(nb, strings.ToLower(label)) {
				p.ID = fd.ID
				break
			}
		}
		f.Problems = append(f.Problems, p)
	}
	return f
}

// choose keeps the choices made in the form that posts to a path ending
// in form.
func (f *formState) choose(form string, values url.Values) {
	if f.chosen == nil {
		f.chosen = map[string]url.Values{}
	}
	f.chosen[form] = values
}

// Checked reports whether the checkbox, radio button or option value of
// the field name is chosen in the form (by the last part of the path it
// posts to): as sent or drafted when it was, else as stored. A box left
// unticked is not sent, so a form sent or drafted with none ticked shows
// none ticked.
func (f formState) Checked(form, name, value string, stored bool) bool {
	vs, ok := f.chosen[form]
	if !ok {
		return stored
	}
	return slices.Contains(vs[name], value)
}

// Sent is what was typed in the field name of the form (by the path it
// posts to, as Checked) when it was sent, else stored: for fields whose
// names are made per row (a meeting's attendees per unit).
func (f formState) Sent(form, name, stored string) string {
	vs, ok := f.chosen[form]
	if !ok {
		return stored
	}
	return strings.Join(vs[name], "\n")
}

// CheckedRow is Checked for a form repeated per row that posts to one
// path: only the row whose field row was sent shows the choices sent.
func (f formState) CheckedRow(row, form, name, value string, stored bool) bool {
	if !f.Has(row) {
		return stored
	}
	return f.Checked(form, name, value, stored)
}

// Posted reports whether the form was sent and is shown again.
func (f formState) Posted() bool { return f.posted }

// Value is what was typed in the field with element id.
func (f formState) Value(id string) string { return f.values[id] }

// Or is what was typed in the field, or stored when the form was not
// posted: a form showing saved data keeps the user's edits after an error.
func (f formState) Or(id, stored string) string {
	if v, ok := f.values[id]; ok {
		return v
	}
	return stored
}

// Error is the problem about the field, or "".
func (f formState) Error(id string) string {
	var texts []string
	for _, p := range f.Problems {
		if p.ID == id {
			texts = append(texts, p.Text)
		}
	}
	return strings.Join(texts, " ")
}

// Invalid marks a field with a problem for assistive technology: the
// attributes that say so and point at the message under the field.
func (f formState) Invalid(id string) template.HTMLAttr {
	if f.Error(id) == "" || !elementID.MatchString(id) {
		return ""
	}
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="` + id + `-error"`) //nolint:gosec // id is only letters, digits, underscores and hyphens (elementID): nothing to escape
}

// Described marks a field that has a help text (help, the text's element
// id) as Invalid does, pointing at both the message and the help; without
// a problem it points at the help only.
func (f formState) Described(id, help string) template.HTMLAttr {
	if !elementID.MatchString(help) {
		return ""
	}
	if f.Error(id) == "" || !elementID.MatchString(id) {
		return template.HTMLAttr(`aria-describedby="` + help + `"`) //nolint:gosec // help is only letters, digits and hyphens (elementID)
	}
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="` + id + `-error ` + help + `"`) //nolint:gosec // as in Invalid
}

// elementID is what a field's element id may hold: the templates' own
// literal ids, never user input.
var elementID = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Field is the field's id with its problem, for the "field-error" template.
func (f formState) Field(id string) formProblem { return formProblem{ID: id, Text: f.Error(id)} }

// sessionSeconds is how long the session lasts if the user does nothing:
// the idle timeout, or less when its absolute lifetime ends sooner.
func (s *Server) sessionSeconds(r *http.Request) int {
	left := s.sessions.IdleTimeout
	if until := time.Until(s.sessions.Deadline(r.Context())); until < left {
		left = until
	}
	return max(int(left.Seconds()), 0)
}

// keepSession answers the page's "keep me signed in": any request moves
// the idle deadline, this one only says how long the session now lasts,
// or 401 when it has already ended.
func (s *Server) keepSession(w http.ResponseWriter, r *http.Request) {
	if currentUser(r) == nil {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(strconv.Itoa(s.sessionSeconds(r))))
}

// personForms are the fields of the forms on a person's page, by the last
// part of the path they post to; the ids are the elements' on the page.
var personForms = map[string][]formField{
	"notater": {{"note-category", "category", "kategori"}, {"note-body", "body", "notat"}},
	"henvendelser": {{"h-received", "received_on", "mottatt"}, {"h-transition", "transition_kind", "forventet overgang"},
		{"h-institution", "institution_kind", "institusjonstype"}, {"h-leaving", "leaving_on", "dato for overgangen"}, {"h-leaving", "leaving_on", "løslatelse"},
		{"h-channel", "channel", "kanal"}, {"h-residence", "residence", "bosituasjon"}, {"h-summary", "summary", "sammendrag"}},
	"soknader": {{"s-received", "received_on", "mottatt"}, {"s-size", "household_size", "personer i husstanden"},
		{"s-years", "years_resident", "botid"}, {"s-income", "household_income", "inntekt"}, {"s-assets", "household_assets", "formue"},
		{"s-kind", "kind", "søknadstype"}},
	"korriger": {{"k-first", "first_name", "fornavn"}, {"k-last", "last_name", "etternavn"}, {"k-phone", "phone", "telefon"},
		{"k-email", "email", "e-post"}, {"k-postal", "postal_code", "postnummer"}, {"k-address", "address", "adresse"}, {"k-place", "postal_place", "poststed"}},
	"kartlegging": {{"m-transition", "transition_kind", "forventet overgang"}, {"m-institution", "institution_kind", "institusjonstype"},
		{"m-transition-on", "transition_on", "dato for overgangen"}, {"m-goals", "goals", "mål"}, {"m-housing", "housing_need", "boligbehov"}, {"m-want", "want_districts", "ønsket bydel"},
		{"m-avoid", "avoid_districts", "unngå"}, {"m-moving", "moving_needs", "flytte"}, {"m-service", "service_need", "tjenestebehov"},
		{"m-function", "functioning", "fungering"}, {"m-activity", "activity_wishes", "aktivitet"}, {"m-health", "somatic_health", "helse"},
		{"m-finances", "finances", "økonomi"}, {"m-network", "network", "nettverk"}, {"m-netdist", "network_districts", "nettverkets bydel"},
		{"m-school", "children_school", "skole"}},
	"samtykker":         {{"c-purpose", "purpose", "formål"}, {"c-expires", "expires", "utløpsdato"}},
	"samtykker-utenfor": {{"oc-name", "recipient_name", "navn"}, {"oc-purpose", "purpose", "formål"}, {"oc-expires", "expires", "utløp"}},
}

// personFormFields are the fields of the person-page form r posted.
func personFormFields(r *http.Request) []formField {
	return personForms[r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]]
}

// Has reports whether the field with element id was in the posted form:
// the form's closed section opens again to show it.
func (f formState) Has(id string) bool {
	_, ok := f.values[id]
	return ok
}

// tooLargePage is the answer to a form larger than Husly reads: the limit,
// and the longer texts that were typed, as far as they arrived, to copy.
type tooLargePage struct {
	Limit string
	Texts []string
	Back  string
}

// formTooLarge reads a posted form of the pages up to the limit. When it
// is larger, nothing is stored and the page says so, states the limit and
// shows the longer texts typed (the last one cut where the limit fell),
// so that nothing written is lost; it reports whether it answered.
// Otherwise the form is left for the handler to read as usual.
func (s *Server) formTooLarge(w http.ResponseWriter, r *http.Request, u *org.User) bool {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return false
	}
	b, err := io.ReadAll(r.Body)
	var big *http.MaxBytesError
	if !errors.As(err, &big) {
		// Read whole (or failed for another reason, which parsing reports).
		r.Body = io.NopCloser(bytes.NewReader(b))
		return false
	}
	s.log.Warn("form too large", "path", r.URL.Path, "limit", big.Limit)
	d := tooLargePage{Limit: formatNumber(language(r), float64(big.Limit)/(1<<20)) + " MB", Back: "/"}
	if i := strings.LastIndex(r.URL.Path, "/"); i > 0 {
		d.Back = safeNext(r.URL.Path[:i])
	}
	// The cut form parses up to where it was cut; a broken last escape only
	// loses that field.
	typed, _ := url.ParseQuery(string(b))
	for name, vs := range typed {
		if name == "neste" {
			continue
		}
		for _, v := range vs {
			if utf8.RuneCountInString(strings.TrimSpace(v)) >= 20 {
				d.Texts = append(d.Texts, v)
			}
		}
	}
	slices.SortFunc(d.Texts, func(a, b string) int { return len(b) - len(a) })
	s.render(w, r, "toolarge", view{Title: tr(r, "forms.toolarge.title"), User: u, Data: d, Status: http.StatusRequestEntityTooLarge})
	return true
}
