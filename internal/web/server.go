// Package web is Husly's HTTP face: HTML pages, the JSON API and its
// OpenAPI document, health and metrics. It parses, calls a capability and
// renders; the rules live in the capability packages.
package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/alexedwards/scs/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"husly/internal/caseflow"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
)

//go:embed static
var staticFiles embed.FS

// Options configure a Server.
type Options struct {
	// SecureCookies marks cookies Secure; turn off only for plain-HTTP use
	// on one's own machine (the demo).
	SecureCookies bool
	Logger        *slog.Logger
	Version       string
	// PublicURL is the address users reach Husly at (for OIDC redirects);
	// empty means the request's own host.
	PublicURL string
	OIDC      []*OIDCProvider
	// MetricsToken, when set, lets /metrics answer requests that carry it
	// as a bearer token. Without it /metrics is not served on the main
	// address; serve it on an address of its own with MetricsHandler.
	MetricsToken string
	// MetricsAddr is the separate address the command line serves
	// MetricsHandler on ("" for none).
	MetricsAddr string
}

// Server serves Husly over HTTP.
type Server struct {
	db       *store.DB
	sessions *scs.SessionManager
	log      *slog.Logger
	opts     Options
	pages    pageSet
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	pageKeys pageKeys
}

// maxBody is the largest request body Husly reads, except file uploads.
const maxBody = 1 << 20

// attachmentUpload is where residents send documents, up to 5 MB each.
const attachmentUpload = "/min-side/soknad/vedlegg"

// New makes a server over db.
func New(db *store.DB, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	sm := scs.New()
	sm.Store = sessionStore{db}
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 30 * time.Minute
	sm.Cookie.Name = "husly_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = opts.SecureCookies
	s := &Server{db: db, sessions: sm, log: opts.Logger, opts: opts, pages: sharedPages(), registry: prometheus.NewRegistry()}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "husly_http_requests_total",
		Help: "HTTP requests by route pattern and status code."}, []string{"route", "code"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "husly_http_request_duration_seconds",
		Help: "HTTP request latency by route pattern.", Buckets: prometheus.DefBuckets}, []string{"route"})
	s.registry.MustRegister(s.requests, s.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.Raw(), "husly"))
	return s
}

// Run purges expired sessions and checkpoints SQLite's write-ahead log
// until ctx ends.
func (s *Server) Run(ctx context.Context) {
	go s.db.CheckpointEvery(ctx, time.Second)
	sessionStore{s.db}.purgeExpired(ctx, 10*time.Minute)
}

// Handler is the whole site with its middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	csrf := http.NewCrossOriginProtection()
	// The mux records the matched pattern on the request it gets; pass it
	// out to observe, which sees an earlier copy of the request.
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if p, ok := r.Context().Value(routeKey).(*string); ok {
			*p = r.Pattern
		}
	})
	h = s.authenticate(h)
	h = s.sessions.LoadAndSave(h)
	h = trackSessions(h)
	h = csrf.Handler(h)
	h = limitBody(h)
	h = securityHeaders(h)
	h = s.observe(h)
	return s.recoverPanics(h)
}

func (s *Server) routes(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(noDirectories(static, http.FileServerFS(static)))))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.HandleFunc("GET /metrics", s.metrics)

	for _, rt := range s.pageTable() {
		mux.HandleFunc(rt.method+" "+rt.path, rt.handler)
	}
	mux.HandleFunc("/", s.notFoundPage)
	s.apiRoutes(mux)
}

// MetricsHandler serves the Prometheus metrics without a token, for an
// operator's separate listen address that only the monitoring reaches.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	return mux
}

// metrics serves /metrics on the main address only to a request with the
// operator's token: the counts per route (emergency access, refused
// logins) are not for the public.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if s.opts.MetricsToken == "" {
		s.notFoundPage(w, r)
		return
	}
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.opts.MetricsToken)) != 1 {
		s.log.Warn("metrics refused: missing or wrong token")
		w.Header().Set("WWW-Authenticate", `Bearer realm="husly-metrics"`)
		http.Error(w, "Måledataene krever driftsnøkkelen (Authorization: Bearer …).", http.StatusUnauthorized)
		return
	}
	promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

// noDirectories answers 404 for a directory under /static/, so the file
// server never lists what is there.
func noDirectories(files fs.FS, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if name == "" {
			name = "."
		}
		if st, err := fs.Stat(files, name); err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// route is one page route. The table is the single list the mux and the
// authorization test read, so a new route cannot escape the test.
type route struct {
	method, path string
	handler      http.HandlerFunc
}

func (s *Server) pageTable() []route {
	// Paths are Norwegian, as the users read them.
	return append([]route{
		{"GET", "/logg-inn", s.loginPage},
		{"POST", "/logg-inn", s.login},
		{"GET", "/logg-inn/oidc/{provider}", s.oidcStart},
		{"GET", "/logg-inn/oidc/{provider}/tilbake", s.oidcCallback},
		{"POST", "/logg-ut", s.logout},
		{"POST", "/sprak", s.setLanguage},
		{"GET", "/{$}", s.page(s.start)},
		{"GET", "/sok", s.page(s.searchPage)},
		{"POST", "/sok", s.page(s.quickSearch)},
		{"GET", "/okt", s.keepSession},
		{"POST", "/utkast", s.page(s.saveDraft)},
		{"GET", "/personer", s.page(s.personList)},
		{"POST", "/personer/sok", s.page(s.personSearch)},
		{"GET", "/personer/ny", s.page(s.registerForm)},
		{"POST", "/personer/ny", s.page(s.registerPerson)},
		{"GET", "/personer/{id}", s.page(s.personDetail)},
		{"POST", "/personer/{id}/nodtilgang", s.page(s.breakGlass)},
		{"POST", "/personer/{id}/fodselsnummer", s.page(s.revealNumber)},
		{"POST", "/personer/{id}/samtykker", s.page(s.recordConsent)},
		{"POST", "/personer/{id}/samtykker/{cid}/trekk", s.page(s.withdrawConsent)},
		{"POST", "/personer/{id}/samtykker-utenfor", s.page(s.recordOutsideConsent)},
		{"POST", "/personer/{id}/samtykker-utenfor/{ocid}/trekk", s.page(s.withdrawOutsideConsent)},
		{"POST", "/personer/{id}/notater", s.page(s.addNote)},
		{"POST", "/personer/{id}/henvendelser", s.page(s.registerContact)},
		{"POST", "/personer/{id}/kartlegging", s.page(s.saveMapping)},
		{"POST", "/personer/{id}/soknader", s.page(s.registerApplication)},
		{"GET", "/saker", s.page(s.caseList)},
		{"GET", "/personer/{id}/tidslinje", s.page(s.timeline)},
		{"POST", "/soknader/{id}/forelopig-svar", s.page(s.provisionalAnswer)},
		{"POST", "/tilgang/vilkar", s.page(s.saveRules)},
		{"POST", "/tilgang/praksis", s.page(s.savePractice)},
		{"GET", "/bygg/{id}", s.page(s.buildingPage)},
		{"POST", "/bygg/{id}/husordensregler", s.page(s.saveHouseRulesDraft)},
		{"POST", "/bygg/{id}/husordensregler/ikraft", s.page(s.putHouseRulesInForce)},
		{"POST", "/min-side/husordensregler", s.page(s.commentHouseRules)},
		{"GET", "/personer/{id}/innsyn.pdf", s.page(s.dossierPDF)},
		{"GET", "/personer/{id}/innsyn.json", s.page(s.dossierJSON)},
		{"POST", "/personer/{id}/korriger", s.page(s.correctPerson)},
		{"POST", "/personer/{id}/skriftsprak", s.page(s.setPersonWrittenForm)},
		{"POST", "/min-side/skriftsprak", s.page(s.setMyWrittenForm)},
		{"POST", "/skriftsprak", s.page(s.setMunicipalWrittenForm)},
		{"POST", "/personer/{id}/begrens", s.page(s.restrictPerson)},
		{"POST", "/personer/{id}/slett", s.page(s.erasePerson)},
		{"GET", "/min-side/innsyn.pdf", s.page(s.myDossier(true))},
		{"GET", "/min-side/innsyn.json", s.page(s.myDossier(false))},
		{"POST", "/tilsyn/formal", s.page(s.supervisionReason)},
		{"POST", "/min-side/samtykker/{cid}/trekk", s.page(s.residentWithdraw)},
		{"POST", "/min-side/samtykker-utenfor/{ocid}/trekk", s.page(s.residentWithdrawOutside)},
		{"GET", "/tilgang", s.page(s.accessOverview)},
		{"POST", "/tilgang/nodtilgang/{id}/gjennomgang", s.page(s.reviewBreakGlass)},
		{"POST", "/tilgang/matrise", s.page(s.saveMatrix)},
		{"POST", "/tilgang/nodtilgang-unntak", s.page(s.saveBreakGlassSpecial)},
		{"POST", "/tilgang/roller", s.page(s.addRole)},
		{"GET", "/boliger", s.page(s.unitList)},
		{"GET", "/boliger/{id}", s.page(s.unitDetail)},
		{"GET", "/boliger/ny", s.page(s.newUnitForm)},
		{"POST", "/boliger/ny", s.page(s.saveUnit)},
		{"GET", "/boliger/{id}/endre", s.page(s.editUnitForm)},
		{"POST", "/boliger/{id}/endre", s.page(s.saveUnit)},
		{"GET", "/bygg/ny", s.page(s.newBuildingForm)},
		{"POST", "/bygg/ny", s.page(s.addBuilding)},
		{"POST", "/boliger/{id}/anleggsregler", s.page(s.setSiteRules)},
		{"GET", "/organisasjon", s.page(s.orgList)},
		{"GET", "/organisasjon/{id}", s.page(s.orgDetail)},
		{"POST", "/organisasjon/{id}/avslorer", s.page(s.saveReveals)},
		{"GET", "/saker/oversikt", s.page(s.overview)},
		{"GET", "/saker/{id}", s.page(s.caseDetail)},
		{"POST", "/saker/{id}/ta", s.page(s.takeCase)},
		{"POST", "/saker/{id}/opplysninger", s.page(s.requestInfo)},
		{"POST", "/saker/{id}/opplysninger/{rid}/mottatt", s.page(s.markReceived)},
		{"POST", "/saker/{id}/moter", s.page(s.logMeeting)},
		{"POST", "/saker/{id}/alternativer", s.page(s.considerAlternative)},
		{"POST", "/saker/{id}/tjenester-uten-vedtak", s.page(s.startInterim)},
		{"POST", "/saker/{id}/veiledning", s.page(s.recordGuidance)},
		{"POST", "/saker/{id}/vedtak", s.page(s.decide)},
		{"POST", "/saker/{id}/tilbud", s.page(s.makeOffer)},
		{"POST", "/saker/{id}/tilbud/{oid}/svar", s.page(s.answerOffer)},
		{"POST", "/saker/{id}/kontrakt", s.page(s.signLease)},
		{"POST", "/saker/{id}/kontrakt/{lid}/befaring", s.page(s.recordInspection)},
		{"POST", "/saker/{id}/kontrakt/{lid}/avslutt", s.page(s.terminateLease)},
		{"POST", "/saker/{id}/klager", s.page(s.registerAppeal)},
		{"POST", "/saker/{id}/klager/{xid}/steg", s.page(s.advanceAppeal)},
		{"GET", "/saker/{id}/brev/{kind}", s.page(s.letter(false))},
		{"GET", "/saker/{id}/brev/{kind}/pdf", s.page(s.letter(true))},
		{"POST", "/saker/{id}/brev/{kind}/sendt", s.page(s.letterSent)},
		{"GET", "/saker/{id}/vedlegg/{aid}", s.page(s.caseAttachment)},
		{"POST", "/varsler/{id}/lest", s.page(s.readNotification)},
		{"GET", "/tekster", s.page(s.texts)},
		{"POST", "/tekster/{kind}", s.page(s.saveText)},
		{"GET", "/katalog", s.page(s.cataloguePage)},
		{"POST", "/katalog/hjemler", s.page(s.saveProvisionForm)},
		{"POST", "/katalog/tjenester", s.page(s.saveServiceForm)},
		{"GET", "/tildeling", s.page(s.allocationRound)},
		{"POST", "/tildeling/tilby", s.page(s.offerFromRound)},
		{"GET", "/tildeling/regler", s.page(s.rulesPage)},
		{"POST", "/tildeling/regler", s.page(s.saveRulesVersion)},
		{"POST", "/tildeling/regler/forhandsvis", s.page(s.previewRules)},
		{"GET", "/tildeling/moter", s.page(s.meetingList)},
		{"POST", "/tildeling/moter", s.page(s.openMeeting)},
		{"POST", "/tildeling/moteplan", s.page(s.setSchedule)},
		{"GET", "/tildeling/moter/{id}", s.page(s.meetingPage)},
		{"POST", "/tildeling/moter/{id}/oppmote", s.page(s.recordAttendance)},
		{"POST", "/tildeling/moter/{id}/saker/{iid}", s.page(s.decideItem)},
		{"POST", "/tildeling/moter/{id}/saker", s.page(s.decideItems)},
		{"POST", "/tildeling/moter/{id}/avslutt", s.page(s.closeMeeting)},
		{"GET", "/tildeling/moter/{id}/referat.pdf", s.page(s.minutes)},
		{"GET", "/tildeling/forbigatte", s.page(s.passedOverPage)},
		{"GET", "/tildeling/avtaler", s.page(s.agreementsPage)},
		{"POST", "/tildeling/avtaler", s.page(s.offerToPartner)},
		{"GET", "/bolig", s.publicPage},
		{"GET", "/bolig/{kommune}", s.publicPage},
		{"GET", "/min-side/soknad", s.page(s.myApplication)},
		{"POST", "/min-side/soknad", s.page(s.saveMyApplication)},
		{"POST", "/min-side/soknad/vedlegg", s.page(s.attachToMyApplication)},
		{"GET", "/min-side/soknad/vedlegg/{aid}", s.page(s.myAttachment)},
		{"POST", "/min-side/soknad/vedlegg/{aid}/slett", s.page(s.removeMyAttachment)},
	}, areaPages(
		s.followupPages(),
		s.arrearsPages(),
		s.tenancyPages(),
		s.keepingPages(),
		s.planPages(),
		s.activityPages(),
		s.workenvPages(),
		s.transitionPages(),
		s.noticePages(),
	)...)
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		http.Error(w, "databasen svarer ikke", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

type ctxKey int

const (
	userKey ctxKey = iota + 1
	routeKey
	scopesKey
)

// currentUser is the signed-in user, or nil.
func currentUser(r *http.Request) *org.User {
	u, _ := r.Context().Value(userKey).(*org.User)
	return u
}

// authenticate finds the user from an API token or the session. A token
// never falls back to the session: a bad token is a 401.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var user *org.User
		if r.URL.Path == "/metrics" {
			next.ServeHTTP(w, r) // its bearer token is the operator's, not a user's
			return
		}
		if auth := r.Header.Get("Authorization"); auth != "" {
			token, ok := strings.CutPrefix(auth, "Bearer ")
			u, scopes, err := s.userByToken(r.Context(), token)
			if !ok || err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="husly"`)
				writeProblem(w, r, http.StatusUnauthorized, invalid.F("API-nøkkelen er ugyldig, utløpt eller trukket tilbake."))
				return
			}
			// A token reaches the API only, and changes data only with the "skriv" scope.
			if !strings.HasPrefix(r.URL.Path, "/api/") {
				writeProblem(w, r, http.StatusForbidden, invalid.F("API-nøkler gjelder bare /api/v1."))
				return
			}
			user = u
			r = r.WithContext(context.WithValue(r.Context(), scopesKey, scopes))
		} else if id := s.sessions.GetInt64(r.Context(), "user_id"); id != 0 {
			u, err := org.UserByID(r.Context(), s.db, id)
			if err == nil && u.Active {
				user = &u
			}
		}
		if user != nil {
			r = r.WithContext(context.WithValue(r.Context(), userKey, user))
		}
		next.ServeHTTP(w, r)
	})
}

// HashToken is how API tokens are stored: only their SHA-256.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Server) userByToken(ctx context.Context, token string) (*org.User, string, error) {
	u, t, err := org.UserByToken(ctx, s.db, HashToken(token))
	if err != nil {
		return nil, "", err
	}
	if !t.Revoked.IsZero() || (!t.Expires.IsZero() && time.Now().After(t.Expires)) {
		return nil, "", errors.New("token expired or revoked")
	}
	if !u.Active {
		return nil, "", errors.New("inactive user")
	}
	return &u, t.Scopes, nil
}

// page wraps a page handler: it requires a signed-in user.
func (s *Server) page(h func(http.ResponseWriter, *http.Request, *org.User)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		if u == nil {
			http.Redirect(w, r, "/logg-inn?neste="+safeNext(r.URL.Path), http.StatusSeeOther)
			return
		}
		if s.formTooLarge(w, r, u) {
			return
		}
		h(w, r, u)
	}
}

// safeNext keeps a redirect after login or a language change on this
// site: an absolute path only, without a scheme, host, query or fragment,
// without control characters (a browser drops a tab or newline and reads
// "/\t/host" as "//host"), backslashes or "//".
func safeNext(p string) string {
	if !strings.HasPrefix(p, "/") || strings.Contains(p, "//") || strings.ContainsAny(p, "\\?#") {
		return "/"
	}
	for _, c := range p {
		if unicode.IsControl(c) || unicode.IsSpace(c) || unicode.In(c, unicode.Cf, unicode.Zl, unicode.Zp) || c == unicode.ReplacementChar {
			return "/"
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return p
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxBody)
		if r.URL.Path == attachmentUpload {
			limit = caseflow.MaxAttachmentSize + 64<<10 // the document and the form around it
		}
		// A page's form too large is read up to the limit and answered by
		// the page handler (formTooLarge), with what was typed.
		if r.ContentLength > limit && strings.HasPrefix(r.URL.Path, "/api/") {
			writeProblem(w, r, http.StatusRequestEntityTooLarge, invalid.F("Forespørselen er større enn 1 MB. Send mindre data om gangen."))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int)        { s.status = code; s.ResponseWriter.WriteHeader(code) }
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe records metrics and a log line per request. Only the path is
// logged, never the query string or body: they may hold personal data.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		var route string
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeKey, &route)))
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		s.requests.WithLabelValues(route, fmt.Sprint(rec.status)).Inc()
		s.duration.WithLabelValues(route).Observe(d.Seconds())
		s.log.Debug("request", "method", r.Method, "route", route, "status", rec.status, "ms", d.Milliseconds())
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "error", fmt.Sprint(v))
				s.serverError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// serverError logs err and tells the user, without details, that
// something failed on Husly's side.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("server error", "method", r.Method, "path", r.URL.Path, "error", err.Error())
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeProblem(w, r, http.StatusInternalServerError, invalid.F("Noe gikk galt hos oss. Prøv igjen om litt; vedvarer feilen, kontakt brukerstøtte."))
		return
	}
	http.Error(w, "Noe gikk galt hos oss. Prøv igjen om litt; vedvarer feilen, kontakt brukerstøtte.", http.StatusInternalServerError)
}

// areaPages joins the routes of the capabilities that keep their own
// tables of routes (follow-up, arrears, the tenancy …), one per line.
func areaPages[R any](areas ...[]R) []R {
	var out []R
	for _, a := range areas {
		out = append(out, a...)
	}
	return out
}
