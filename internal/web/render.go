package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/clock"
	"husly/internal/org"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageSet holds each page's template, parsed together with the layout,
// once per language (its functions speak that language).
type pageSet map[string]map[string]*template.Template

// code is a stored code as a string, whether a page holds it as a plain
// string or as one of the domain's named code types.
func code(v any) string { return fmt.Sprint(v) }

// funcs are the template functions in bokmål; funcsFor gives them in any
// language.
var funcs = funcsFor("nb")

// funcsFor gives the template functions in one language. Each page is
// parsed once per language with these bound, so the functions every page
// shares (statusLabel, kind, category …) name a code from that language's
// catalogue and write numbers its way, without each template passing the
// language along.
func funcsFor(lang string) template.FuncMap {
	l := func(prefix string) func(any) string {
		return func(c any) string { return label(lang, prefix, code(c)) }
	}
	return template.FuncMap{
		"date": func(v any) string { return dateOrDash(lang, v) },
		"kr":   func(n int) string { return fmt.Sprintf(translate(lang, "format.kr"), formatNumber(lang, float64(n))) },
		"num":  func(n int) string { return formatNumber(lang, float64(n)) },
		// ore writes an amount kept in øre as kroner (arrears).
		"ore": func(n int64) string {
			return fmt.Sprintf(translate(lang, "format.kr"), formatNumber(lang, float64(n)/100))
		},
		"category":  l("housing.category"),
		"status":    l("housing.status"),
		"staffing":  l("housing.staffing"),
		"control":   l("housing.control"),
		"condition": l("housing.condition"),
		"unitKind":  func(k org.UnitKind) string { return label(lang, "unitkind", string(k)) },
		"role":      func(r access.Role) string { return label(lang, "role", string(r)) },
		"add":       func(a, b int) int { return a + b },
		"sub":       func(a, b int) int { return a - b },
		"channel":   l("case.channel"),
		"kind":      l("case.kind"),
		"residence": func(r caseflow.Residence) string { return label(lang, "case.residence", string(r)) },
		"isodate":   func(v any) string { return dateIn(lang, v) },
		// label names any code by its catalogue key prefix:
		// {{label "case.group" .Code}} reads "case.group.<code>".
		"label":        label1(lang),
		"statusLabel":  l("case.status"),
		"offerStatus":  l("case.offer_status"),
		"appealStatus": l("case.appeal_status"),
		"letterKind":   l("case.letter"),
		"hours":        func(f float64) string { return formatNumber(lang, f) },
		// service writes a granted service, or one given before the
		// decision (the case page lists both the same way).
		"service": func(v any) (string, error) {
			switch s := v.(type) {
			case caseflow.Service:
				return serviceText(lang, s), nil
			case caseflow.Interim:
				return serviceText(lang, caseflow.Service{Service: s.Service, HoursPerWeek: s.HoursPerWeek, ProviderUnitID: s.ProviderUnitID,
					ProviderName: s.ProviderName, StartOn: s.StartOn, EndOn: s.EndOn}), nil
			}
			return "", fmt.Errorf("service: %T is not a service", v)
		},
		"notice": func(n caseflow.Notice) string { return noticeText(lang, n) },
		"list":   func(xs ...string) []string { return xs },
		"decision": func(v any) string {
			d := code(v)
			if d == "" {
				d = "none"
			}
			return label(lang, "allocation.decision", d)
		},
		"share":   func(part, whole int) int { return (part*100 + whole/2) / max(whole, 1) },
		"percent": func(f float64) string { return formatNumber(lang, f*100) },
		"level":   l("allocation.level"),
		"now":     time.Now,
		"today":   today,
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return "–"
			}
			return t.In(clock.Oslo).Format(translate(lang, "format.datetime"))
		},
		"area": func(f float64) string { return formatNumber(lang, f) + " m²" },
		// tel is a phone number as a link target: digits and a leading +.
		"tel": func(phone string) template.URL {
			return template.URL("tel:" + strings.Map(func(r rune) rune { //nolint:gosec // only digits and + remain, nothing to escape
				if r == '+' || r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, phone))
		},
		// inputNumber fills a number field so the form reads it back the
		// same in every language: no grouping, a decimal comma.
		"inputNumber": func(f float64) string { return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1) },
	}
}

// label1 is the template's label function in one language.
func label1(lang string) func(prefix string, c any) string {
	return func(prefix string, c any) string { return label(lang, prefix, code(c)) }
}

// noticeText writes a deadline warning from the catalogue's
// notice.<kind>: the count of days picks the plural form and is the first
// argument; the notice's date is %[2]s, its second date %[3]s and what it
// is about (an address, a service) %[4]s.
func noticeText(lang string, n caseflow.Notice) string {
	if n.Kind == "" {
		return ""
	}
	return phraseText(lang, n.Phrase()) // the dates the language's way
}

// serviceText is one granted service on a line: what, how much, from when
// and by whom.
func serviceText(lang string, s caseflow.Service) string {
	t := fmt.Sprintf(translate(lang, "case.service.line"), s.Service, formatNumber(lang, s.HoursPerWeek), dateIn(lang, s.StartOn))
	if s.AsNeeded {
		t = fmt.Sprintf(translate(lang, "case.service.line.asneeded"), s.Service, s.AsNeededText, dateIn(lang, s.StartOn))
	}
	if !s.EndOn.IsZero() {
		t += " " + fmt.Sprintf(translate(lang, "case.service.until"), dateIn(lang, s.EndOn))
	}
	if s.ProviderName != "" {
		t += " (" + s.ProviderName + ")"
	}
	return t
}

// sharedPages are the parsed templates, the same for every server in the
// process: parsing every page with the layout and the shared parts in each
// language takes a good part of a second, and html/template's templates are
// safe to execute from many goroutines.
var sharedPages = sync.OnceValue(parsePages)

func parsePages() pageSet {
	ps := pageSet{}
	entries, err := templateFiles.ReadDir("templates")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		// Files starting with "_" are shared parts, parsed with every page.
		name := e.Name()
		if name == "layout.html" || strings.HasPrefix(name, "_") {
			continue
		}
		for _, lang := range Languages {
			if ps[lang] == nil {
				ps[lang] = map[string]*template.Template{}
			}
			ps[lang][strings.TrimSuffix(name, ".html")] = template.Must(template.New("layout.html").Funcs(funcsFor(lang)).
				ParseFS(templateFiles, "templates/layout.html", "templates/_*.html", "templates/"+name))
		}
	}
	return ps
}

// view is what every page template gets.
type view struct {
	Lang   string
	Title  string
	Nav    string
	User   *org.User
	Path   string
	Error  string
	Data   any
	Muni   org.Municipality
	Status int
	// OIDC are the identity providers the login page offers.
	OIDC []*OIDCProvider
	// Flash is the confirmation a form post left for this page (forms.go).
	Flash string
	// Form is a form a post sent back to this page with its problems
	// (keptforms.go); the zero state when none was.
	Form formState
	// MayRegister offers the person list's link to registering a person
	// only to those who may (register.go).
	MayRegister bool
	// SessionSeconds is how long the session lasts without a request; the
	// page warns before it runs out (static/husly.js).
	SessionSeconds int
}

// StepUp reports whether emergency access is confirmed through the staff
// identity provider rather than a password: the user has no Husly
// password and such a provider is configured.
func (v view) StepUp() bool {
	return v.User != nil && v.User.PasswordHash == "" && staffProvider(v.OIDC) != nil
}

// staffProvider is the identity provider staff sign in with, or nil.
func staffProvider(ps []*OIDCProvider) *OIDCProvider {
	for _, p := range ps {
		if !p.Residents {
			return p
		}
	}
	return nil
}

// T translates a key into the page's language.
func (v view) T(key string) string { return translate(v.Lang, key) }

// Tf translates and formats.
func (v view) Tf(key string, args ...any) string { return fmt.Sprintf(translate(v.Lang, key), args...) }

// Tn translates a text about a count, in the plural form the language
// uses for n (key.one, key.other …), with n written first: {{.Tn
// "worklist.applications" (len .Applications)}}.
func (v view) Tn(key string, n int, args ...any) string {
	return translatePlural(v.Lang, key, n, args...)
}

// L names a code from the catalogue: {{.L "case.status" .Status}}.
func (v view) L(prefix, code string) string { return label(v.Lang, prefix, code) }

// Languages lists the languages for the switcher.
func (v view) Languages() []struct{ Code, Name string } {
	return []struct{ Code, Name string }{{"nb", "Bokmål"}, {"nn", "Nynorsk"}, {"en", "English"}}
}

// render writes page with data; a template error becomes a 500, never a
// half-written page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, page string, v view) {
	v.Lang = language(r)
	v.Path = r.URL.Path
	v.OIDC = s.opts.OIDC
	if v.User == nil {
		v.User = currentUser(r)
	}
	if v.User != nil && v.Muni.ID == 0 {
		v.Muni = v.User.Municipality
	}
	if v.User != nil && s.sessions != nil {
		v.Flash = s.popFlash(r)
		v.Form = s.popKeptForm(r)
		v.SessionSeconds = s.sessionSeconds(r)
		if page == "persons" {
			ok, err := s.mayRegister(r, v.User)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			v.MayRegister = ok
		}
	}
	t, ok := s.pages[v.Lang][page]
	if !ok {
		s.serverError(w, r, fmt.Errorf("no page %q", page))
		return
	}
	name := "layout.html"
	if r.Header.Get("HX-Request") == "true" && t.Lookup("partial") != nil {
		name = "partial"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if v.Status != 0 {
		w.WriteHeader(v.Status)
	}
	_, _ = buf.WriteTo(w) // a client gone away cannot be told
}
