package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// A form too large for Husly is answered with the styled page, the limit
// and the text typed, and nothing is stored.
func TestFormTooLargeKeepsText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		var notes int
		count := func() (n int) {
			if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM notes").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		notes = count()
		typed := "Samtale på kontoret om bolig og økonomi. " + strings.Repeat("Lang tekst ", 120000)
		resp, err := cw.PostForm(s.URL+"/personer/1/notater", url.Values{"category": {"boligbehov"}, "body": {typed}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := html.UnescapeString(string(b))
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", resp.StatusCode)
		}
		for _, want := range []string{"Skjemaet er for stort", "større enn 1 MB", "<textarea", "Samtale på kontoret om bolig og økonomi.", `href="/personer/1"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if n := count(); n != notes {
			t.Errorf("a note was stored: %d → %d", notes, n)
		}
	})
}

// An auditor without a stated purpose is asked for it where a page needs
// it (the tenants on a unit's page, the person list), never shown an
// error or an empty list; a case is offered only the letters it can have.
func TestNoDeadEnds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		ctx := context.Background()
		var unit int64
		if err := db.QueryRowContext(ctx, "SELECT MIN(unit_id) FROM leases").Scan(&unit); err != nil {
			t.Fatal(err)
		}
		auditor := s.client(t, "demo-tilsyn")
		resp, body := get(t, auditor, fmt.Sprintf("%s/boliger/%d", s.URL, unit))
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="/tilsyn/formal"`) || !strings.Contains(body, fmt.Sprintf(`value="/boliger/%d"`, unit)) {
			t.Errorf("a unit with tenants, to an auditor without a purpose: status %d, no purpose form", resp.StatusCode)
		}
		resp, body = get(t, auditor, s.URL+"/personer")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="/tilsyn/formal"`) {
			t.Errorf("the person list, to an auditor without a purpose: status %d, no purpose form", resp.StatusCode)
		}
		resp, err := auditor.PostForm(s.URL+"/tilsyn/formal", url.Values{"reason": {"Tilsyn med tildelingspraksis 2026"}, "neste": {fmt.Sprintf("/boliger/%d", unit)}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != fmt.Sprintf("/boliger/%d", unit) {
			t.Errorf("stating the purpose: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if _, body = get(t, auditor, fmt.Sprintf("%s/boliger/%d", s.URL, unit)); !strings.Contains(body, `id="h-leases"`) || strings.Contains(body, `action="/tilsyn/formal"`) {
			t.Error("with a purpose the auditor does not see the leases")
		}

		// A case without a decision offers the provisional answer only.
		var app int64
		if err := db.QueryRowContext(ctx, `SELECT MIN(a.id) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.application_id = a.id)
			AND a.status IN ('mottatt', 'under_behandling')`).Scan(&app); err != nil {
			t.Fatal(err)
		}
		cw := s.client(t, "demo-saksbehandler")
		_, body = get(t, cw, fmt.Sprintf("%s/saker/%d", s.URL, app))
		for _, kind := range []string{"vedtak", "tildeling", "leiekontrakt", "klagesak"} {
			if strings.Contains(body, fmt.Sprintf(`/saker/%d/brev/%s"`, app, kind)) {
				t.Errorf("a case without a decision offers the %s letter", kind)
			}
		}
		if !strings.Contains(body, fmt.Sprintf(`/saker/%d/brev/forelopig-svar"`, app)) {
			t.Error("a case without a decision does not offer the provisional answer")
		}

		// Rules are linked only for those who may open them.
		if _, body = get(t, cw, s.URL+"/tildeling"); strings.Contains(body, `href="/tildeling/regler"`) {
			t.Error("the case worker is offered the rules page they may not open")
		}
	})
}

// Every signed-in page says how long the session lasts without a request,
// for the warning before it ends; /okt moves the idle deadline and says
// how long it now lasts, or 401 when there is no session.
func TestSessionWarning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		_, page := get(t, cw, s.URL+"/saker")
		m := regexp.MustCompile(`id="session-warning"[^>]*data-seconds="(\d+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("a signed-in page has no session warning")
		}
		if n, _ := strconv.Atoi(m[1]); n < 29*60 || n > 30*60 {
			t.Errorf("the page says the session lasts %d s, want the 30-minute idle timeout", n)
		}
		resp, body := get(t, cw, s.URL+"/okt")
		if n, _ := strconv.Atoi(body); resp.StatusCode != http.StatusOK || n < 29*60 {
			t.Errorf("keeping the session: %d %q", resp.StatusCode, body)
		}
		if resp, _ := get(t, s.client(t, ""), s.URL+"/okt"); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("/okt without a session: %d", resp.StatusCode)
		}
		if _, page := get(t, s.client(t, ""), s.URL+"/logg-inn"); strings.Contains(page, "session-warning") {
			t.Error("the login page warns about a session there is none of")
		}
	})
}

// A form whose problem comes back on a list page shows it there as a
// problem (an alert), never as a confirmation.
func TestProblemAfterRedirectIsAProblem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		var app int64
		if err := db.QueryRowContext(context.Background(), "SELECT MIN(id) FROM applications").Scan(&app); err != nil {
			t.Fatal(err)
		}
		resp, _ := postForm(t, cw, fmt.Sprintf("%s/soknader/%d/forelopig-svar", s.URL, app), url.Values{"sent_on": {"i går"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a provisional answer with a bad date: %d", resp.StatusCode)
		}
		_, page := get(t, cw, s.URL+resp.Header.Get("Location"))
		page = html.UnescapeString(page)
		m := regexp.MustCompile(`(?s)<div class="ds-error-summary" data-color="danger"[^>]*id="error-summary".*?<ul class="ds-list">(.*?)</ul>`).FindStringSubmatch(page)
		if m == nil || !strings.Contains(m[1], "i går") {
			t.Fatal("the problem is not shown as a problem on the page the post returned to")
		}
		if regexp.MustCompile(`(?s)role="status"[^>]*>[^<]*<p[^>]*>[^<]*i går`).MatchString(page) {
			t.Error("the problem is shown as a confirmation")
		}
	})
}
