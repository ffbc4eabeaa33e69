package web_test

import (
	"context"
	"husly/internal/personaldata"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// queryCounter counts the statements a request runs, through the store's
// observer: every SELECT, INSERT and UPDATE on either engine, the session
// lookup and the access-log write included.
type queryCounter struct {
	mu      sync.Mutex
	queries []string
}

func (c *queryCounter) reset() {
	c.mu.Lock()
	c.queries = nil
	c.mu.Unlock()
}

func (c *queryCounter) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.queries
	c.queries = nil
	return q
}

// countedSite serves db, signed in as the tenant's case worker, and
// counts each request's statements.
type countedSite struct {
	srv     *httptest.Server
	client  *http.Client
	counter *queryCounter
}

func newCountedSite(t *testing.T, db *store.DB, tn storetest.Tenant) countedSite {
	t.Helper()
	hash, err := access.HashPassword("teller-passord")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(context.Background(), "UPDATE users SET password_hash = ? WHERE id = ?", hash, tn.UserID); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(db, web.Options{}).Handler())
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(srv.URL+"/logg-inn", url.Values{"username": {"sb-" + tenantNumber(t, db, tn)}, "password": {"teller-passord"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v", err)
	}
	resp.Body.Close()
	counter := &queryCounter{}
	db.Observe(func(q string) {
		counter.mu.Lock()
		counter.queries = append(counter.queries, q)
		counter.mu.Unlock()
	})
	t.Cleanup(func() { db.Observe(nil) })
	return countedSite{srv, c, counter}
}

func tenantNumber(t *testing.T, db *store.DB, tn storetest.Tenant) string {
	var n string
	if err := db.QueryRowContext(context.Background(), "SELECT number FROM municipalities WHERE id = ?", tn.MunicipalityID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// queries fetches path and gives the status and the statements it ran.
func (s countedSite) queries(t *testing.T, path string) (int, []string) {
	t.Helper()
	s.counter.reset()
	resp, err := s.client.Get(s.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, s.counter.take()
}

// personWithCases makes a person (with the synthetic number seq) with n
// applications (cases).
func personWithCases(t testing.TB, db *store.DB, tn storetest.Tenant, n, seq int) int64 {
	ctx := context.Background()
	cw := tn.CaseWorker()
	today := deadline.On(time.Now())
	pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(seq), FirstName: "Mange", LastName: "Saker"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "begge", YearsResident: 3, HouseholdSize: 1, RegisteredHere: true}, today); err != nil {
			t.Fatal(err)
		}
	}
	return pid
}

// A person's page, their timeline and their copy of their data read each
// of the person's cases in batches: the count of statements does not grow
// with the number of cases, and the page stays within its bound. The
// counts hold everything the request runs: the session, the user, the
// access check and the access-log write.
func TestPersonPageQueries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tn := storetest.NewTenant(t, db, "1505")
		one := personWithCases(t, db, tn, 1, 7)
		many := personWithCases(t, db, tn, 20, 8)
		s := newCountedSite(t, db, tn)
		// The timeline reads one statement per kind of event and the copy
		// one per table in it, whatever the person's number of cases: the
		// bounds grow with the registry of personal data, never with the
		// data. The page itself is bounded outright.
		reg := personaldata.Default()
		inDossier := 0
		for _, tb := range reg.Tables() {
			if tb.Dossier != "" {
				inDossier++
			}
		}
		for _, c := range []struct {
			path string
			max  int
		}{{"", 15}, {"/tidslinje", 13 + len(reg.Timeline())}, {"/innsyn.json", inDossier}} {
			counts := map[int64]int{}
			for _, pid := range []int64{one, many} {
				status, qs := s.queries(t, "/personer/"+strconv.FormatInt(pid, 10)+c.path)
				if status != 200 {
					t.Fatalf("%s for person %d: status %d", c.path, pid, status)
				}
				counts[pid] = len(qs)
				if len(qs) > c.max {
					t.Errorf("/personer/%d%s ran %d statements, more than %d:\n%s", pid, c.path, len(qs), c.max, strings.Join(qs, "\n"))
				}
			}
			if counts[many] > counts[one] {
				t.Errorf("/personer/{id}%s: %d statements with 20 cases, %d with one: a statement per case", c.path, counts[many], counts[one])
			}
		}
	})
}

// A leader sees the newest entries of a person's access log on the page,
// and is told when there are more; the person's copy of their data holds
// every entry.
func TestAccessLogOnThePageSaysWhenCut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		pid := personWithCases(t, db, tn, 1, 9)
		// 205 requests, each its own entry in the log (one entry lists
		// every person a request read).
		read := access.Read{PersonID: pid, Categories: []access.Category{access.Basic}, Basis: access.ByRelationship}
		for range 205 {
			if err := access.LogReads(ctx, db, tn.CaseWorker(), access.ChannelPage, read); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ExecContext(ctx, "UPDATE users SET role = 'enhetsleder' WHERE id = ?", tn.UserID); err != nil {
			t.Fatal(err)
		}
		s := newCountedSite(t, db, tn)
		resp, err := s.client.Get(s.srv.URL + "/personer/" + strconv.FormatInt(pid, 10))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "Listen viser de 200 nyeste oppslagene") {
			t.Fatalf("the page does not say the log is cut: %d", resp.StatusCode)
		}
		resp, err = s.client.Get(s.srv.URL + "/personer/" + strconv.FormatInt(pid, 10) + "/innsyn.json")
		if err != nil {
			t.Fatal(err)
		}
		b, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if n := strings.Count(string(b), `"basis":`); resp.StatusCode != 200 || n < 205 {
			t.Fatalf("the copy holds %d log entries: %d", n, resp.StatusCode)
		}
	})
}
