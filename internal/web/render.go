package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/clock"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/org"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageSet holds each page's template, parsed together with the layout.
type pageSet map[string]*template.Template

// code is a stored code as a string, whether a page holds it as a plain
// string or as one of the domain's named code types.
func code(v any) string { return fmt.Sprint(v) }

var funcs = template.FuncMap{
	"date": func(v any) string {
		switch t := v.(type) {
		case deadline.Date:
			if t.IsZero() {
				return "–"
			}
			return t.Norwegian()
		case time.Time:
			if t.IsZero() {
				return "–"
			}
			return t.In(clock.Oslo).Format("02.01.2006") // a date column (midnight UTC) keeps its day in Oslo
		}
		return fmt.Sprint(v)
	},
	"kr":           func(n int) string { return groupDigits(n) + " kr" },
	"num":          groupDigits,
	"category":     func(c string) string { return housing.Label(housing.Categories, c) },
	"status":       func(c any) string { return housing.Label(housing.Statuses, code(c)) },
	"staffing":     func(c string) string { return housing.Label(housing.Staffings, c) },
	"control":      func(c string) string { return housing.Label(housing.Controls, c) },
	"condition":    func(c string) string { return housing.Label(housing.Conditions, c) },
	"unitKind":     func(k org.UnitKind) string { return k.Label() },
	"role":         func(r access.Role) string { return r.Label() },
	"add":          func(a, b int) int { return a + b },
	"sub":          func(a, b int) int { return a - b },
	"channel":      caseflow.ChannelLabel,
	"kind":         caseflow.KindLabel,
	"residence":    func(r caseflow.Residence) string { return caseflow.ResidenceLabel(r) },
	"isodate":      isoDate,
	"statusLabel":  func(s any) string { return caseflow.StatusLabel(caseflow.Status(code(s))) },
	"offerStatus":  func(s caseflow.OfferStatus) string { return caseflow.OfferStatusLabel(s) },
	"appealStatus": func(s caseflow.AppealStatus) string { return caseflow.AppealStatusLabel(s) },
	"letterKind":   caseflow.LetterKindLabel,
	"hours":        func(f float64) string { return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1) },
	"service":      caseflow.ServiceText,
	"list":         func(xs ...string) []string { return xs },
	"decision":     func(v allocation.Verdict) string { return allocation.DecisionLabel(v) },
	"share":        func(part, whole int) int { return (part*100 + whole/2) / max(whole, 1) },
	"percent":      func(f float64) string { return strconv.FormatFloat(f*100, 'f', -1, 64) },
	"level": func(code string) string {
		for _, l := range allocation.Levels {
			if l.Code == code {
				return l.Label
			}
		}
		return code
	},
	"now": time.Now,
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.In(clock.Oslo).Format("02.01.2006 kl. 15.04")
	},
	"area": func(f float64) string {
		return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1) + " m²"
	},
}

// isoDate writes YYYY-MM-DD the Norwegian way, DD.MM.YYYY.
func isoDate(v any) string {
	if d, ok := v.(deadline.Date); ok {
		return d.Norwegian()
	}
	return deadline.NorwegianOf(code(v))
}

// groupDigits writes 12345 as "12 345", the Norwegian way (with a
// non-breaking space).
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u00a0")
		}
		b.WriteRune(c)
	}
	if neg {
		return "−" + b.String()
	}
	return b.String()
}

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
		ps[strings.TrimSuffix(name, ".html")] = template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(templateFiles, "templates/layout.html", "templates/_*.html", "templates/"+name))
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
		v.Muni, _ = org.GetMunicipality(r.Context(), s.db, v.User.MunicipalityID)
	}
	t, ok := s.pages[page]
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
