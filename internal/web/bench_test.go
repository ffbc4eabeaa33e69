package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/demo"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/people/peopletest"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
	"husly/internal/web"
)

// BenchmarkPersonSearchHTTP searches 100,000 persons on SQLite through the
// real HTTP stack (auth, search, JSON) and reports p50 and p99 latency; the
// figure is p99 at most 20 ms.
func BenchmarkPersonSearchHTTP(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, "sqlite")
	tn := storetest.NewTenant(b, db, "1505")
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(peopletest.WriteCSV(pw, 100000, "Boligkontoret")) }()
	if _, err := people.Import(ctx, db, tn.Operator(), pr, tabular.CSV, nil); err != nil {
		b.Fatal(err)
	}
	token := "husly_benchmark"
	if _, err := db.ExecContext(ctx, `INSERT INTO api_tokens (municipality_id, user_id, name, token_hash, created_at)
		VALUES (?, ?, 'bench', ?, ?)`, tn.MunicipalityID, tn.UserID, web.HashToken(token), store.TimeArg(time.Now())); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
	defer srv.Close()
	// A number is searched whole (a prefix is refused: it would let a role without the category recover it digit by digit).
	queries := []string{"han", "Kari Ols", "berg 4", "nor", "lie", "i", identity.Synthetic(777), "strand 9", "per"}
	for _, q := range peopletest.LastNames {
		queries = append(queries, strings.ToLower(q[:3]))
	}
	client := srv.Client()
	search := func(q string) {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/persons/search", strings.NewReader(fmt.Sprintf(`{"query":%q,"limit":20}`, q)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("search %q: %d", q, resp.StatusCode)
		}
	}
	for _, q := range queries {
		search(q) // warm the page cache as a running server would be
	}
	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		search(queries[i%len(queries)])
		latencies = append(latencies, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkTimelinePage renders a person's timeline page with 500 events
// through HTTP on SQLite (the figure: at most 100 ms server time).
func BenchmarkTimelinePage(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, "sqlite")
	tn := storetest.NewTenant(b, db, "1505")
	hash, _ := access.HashPassword("tidslinje-passord")
	if _, err := db.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, tn.UserID); err != nil {
		b.Fatal(err)
	}
	pid, err := people.Create(ctx, db, tn.CaseWorker(), people.Input{IdentityNumber: identity.Synthetic(1), FirstName: "Hendelses", LastName: "Rik"})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 499; i++ { // plus the case role Create made: 500 events
		if _, err := db.ExecContext(ctx, `INSERT INTO notes (municipality_id, person_id, category, body, author_name, org_unit_name, written_at)
			VALUES (?, ?, 'boligbehov', ?, 'Saksbehandler', 'Boligkontoret', ?)`, tn.MunicipalityID, pid,
			fmt.Sprintf("Samtale nummer %d om boligbehov og ønsker", i), store.TimeArg(time.Now().Add(-time.Duration(i)*time.Hour))); err != nil {
			b.Fatal(err)
		}
	}
	measurePage(b, db, "/personer/"+strconv.FormatInt(pid, 10)+"/tidslinje", func(status int, body []byte) {
		if status != 200 || bytes.Count(body, []byte("<li>")) < 500 {
			b.Fatalf("timeline: %d, %d events", status, bytes.Count(body, []byte("<li>")))
		}
	})
}

// measurePage signs in as the tenant's case worker (whose password must be
// "tidslinje-passord"), fetches path b.N times through the whole HTTP
// stack, checks each answer, and reports p50 and p99 latency.
func measurePage(b *testing.B, db *store.DB, path string, check func(status int, body []byte)) {
	srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(srv.URL+"/logg-inn", url.Values{"username": {"sb-1505"}, "password": {"tidslinje-passord"}})
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("login: %v", err)
	}
	resp.Body.Close()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(start))
		check(resp.StatusCode, body)
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkLetterPDF fetches an amended combined decision as a PDF letter
// through HTTP: loading the case, building the letter and writing the PDF
// with embedded fonts. The figure is at most 200 ms.
func BenchmarkLetterPDF(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, "sqlite")
	tn := storetest.NewTenant(b, db, "1505")
	hash, _ := access.HashPassword("tidslinje-passord")
	if _, err := db.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, tn.UserID); err != nil {
		b.Fatal(err)
	}
	cw := tn.CaseWorker()
	today := deadline.On(time.Now())
	pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(1), FirstName: "Brev", LastName: "Mottaker", Address: "Storgata 1"})
	if err != nil {
		b.Fatal(err)
	}
	app, err := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "begge", YearsResident: 3, HouseholdSize: 1, RegisteredHere: true}, today)
	if err != nil {
		b.Fatal(err)
	}
	in := caseflow.DecisionInput{Outcome: "innvilget", HousingType: "housing_first", Rooms: 1, Requirements: []string{"bakkeplan", "unnga_rusmiljo"},
		Coordinator: "Siri Saksbehandler", CoordinatorAgreed: "ja", Conditions: "Oppfølgingsavtale med Housing First-teamet.", Reasons: strings.Repeat("Søkeren er bostedsløs og trenger oppfølging i hjemmet. ", 12),
		LegalBasisCodes: []string{"bsl-6", "hol-3-4"}}
	for i := 0; i < 4; i++ {
		in.Services = append(in.Services, caseflow.Service{Code: caseflow.BuiltInServices[i].Code, HoursPerWeek: float64(i + 1), ProviderUnitID: tn.OrgUnitID, StartOn: today})
	}
	if _, err := caseflow.Decide(ctx, db, cw, app.ID, in, today); err != nil {
		b.Fatal(err)
	}
	in.BaseVersion, in.Rooms, in.AmendmentReason = 1, 2, "Barna bor hos søkeren annenhver uke"
	if _, err := caseflow.Decide(ctx, db, cw, app.ID, in, today); err != nil {
		b.Fatal(err)
	}
	measurePage(b, db, fmt.Sprintf("/saker/%d/brev/vedtak/pdf", app.ID), func(status int, body []byte) {
		if status != 200 || !bytes.HasPrefix(body, []byte("%PDF")) {
			b.Fatalf("letter: %d %.200s", status, body)
		}
	})
}

// BenchmarkSignedInPage is a page request with a session: the session row
// is read, and (since it changed by less than a minute) not written back.
// Compare with BenchmarkSignedInPageTouched, where every request finds the
// row's deadline over a minute old and writes it, as every request did
// before.
func BenchmarkSignedInPage(b *testing.B) { benchmarkSessionPage(b, false) }

func BenchmarkSignedInPageTouched(b *testing.B) { benchmarkSessionPage(b, true) }

func benchmarkSessionPage(b *testing.B, touch bool) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			db := storetest.Open(b, engine)
			if _, err := demo.Create(context.Background(), db, 1); err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
			defer srv.Close()
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar}
			resp, err := c.PostForm(srv.URL+"/logg-inn", url.Values{"username": {"demo-planlegger"}, "password": {demo.Password}})
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if touch {
					b.StopTimer()
					if _, err := db.ExecContext(context.Background(), "UPDATE sessions SET expiry = ?", store.TimeArg(time.Now().Add(28*time.Minute))); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				resp, err := c.Get(srv.URL + "/saker/oversikt")
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("page: %v %v", err, resp.StatusCode)
				}
				if _, err := io.Copy(io.Discard, resp.Body); err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
			}
		})
	}
}

// BenchmarkPersonPage20Cases renders the page of a person with 20 cases
// (each with a decision) through HTTP on SQLite: the person, contacts,
// mapping and applications through one reader and one access-log write
// (the figure: p99 at most 30 ms server time).
func BenchmarkPersonPage20Cases(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, "sqlite")
	tn := storetest.NewTenant(b, db, "1505")
	hash, _ := access.HashPassword("tidslinje-passord")
	if _, err := db.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, tn.UserID); err != nil {
		b.Fatal(err)
	}
	cw := tn.CaseWorker()
	today := deadline.On(time.Now())
	pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(1), FirstName: "Mange", LastName: "Saker"})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		app, err := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "begge", YearsResident: 3, HouseholdSize: 1, RegisteredHere: true}, today)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := caseflow.Decide(ctx, db, cw, app.ID, caseflow.DecisionInput{Outcome: "innvilget", HousingType: "ordinaer", Rooms: 1,
			Reasons: "Mangler bolig.", LegalBasisCodes: []string{"bsl-6"}, DecidedOn: today}, today); err != nil {
			b.Fatal(err)
		}
	}
	measurePage(b, db, "/personer/"+strconv.FormatInt(pid, 10), func(status int, body []byte) {
		if status != 200 || bytes.Count(body, []byte(`href="/saker/`)) < 20 {
			b.Fatalf("person page: %d, %d case links", status, bytes.Count(body, []byte(`href="/saker/`)))
		}
	})
}
