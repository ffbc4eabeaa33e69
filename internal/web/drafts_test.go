package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// A long form's draft is kept on the server, sealed, for its writer only:
// the page fills it in again (and logs the read), sending the form
// deletes it, and a draft holding what the writer may not see is refused.
func TestDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		ctx := context.Background()
		cw := s.client(t, "demo-saksbehandler")
		count := func(q string, args ...any) (n int) {
			t.Helper()
			if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// The page without a draft, to compare the access log with.
		logged := count("SELECT COUNT(*) FROM access_log_persons WHERE person_id = 1")
		get(t, cw, s.URL+"/personer/1")
		plain := count("SELECT COUNT(*) FROM access_log_persons WHERE person_id = 1") - logged
		const goals = "Egen leilighet nær søsteren, UTKASTMERKE"
		resp, _ := postForm(t, cw, s.URL+"/utkast", url.Values{"utkast_skjema": {"/personer/1/kartlegging"}, "goals": {goals}, "housing_need": {"Ett rom"}})
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("saving a draft: %d", resp.StatusCode)
		}
		if n := count("SELECT COUNT(*) FROM form_drafts WHERE body_enc LIKE '%UTKASTMERKE%'"); n != 0 {
			t.Error("the draft is stored in plain text")
		}
		logged = count("SELECT COUNT(*) FROM access_reads WHERE person_id = 1")
		_, page := get(t, cw, s.URL+"/personer/1")
		page = html.UnescapeString(page)
		if !strings.Contains(page, ">"+goals+"</textarea>") || !strings.Contains(page, "fylt inn fra utkastet ditt") {
			t.Error("the person page does not fill the mapping in from the draft")
		}
		if count("SELECT COUNT(*) FROM access_reads WHERE person_id = 1")-logged <= plain {
			t.Error("reading the draft on the page left no access-log row of its own")
		}
		leader := s.client(t, "demo-enhetsleder")
		if _, page := get(t, leader, s.URL+"/personer/1"); strings.Contains(page, "UTKASTMERKE") {
			t.Error("another user sees the case worker's draft")
		}
		resp, _ = postForm(t, cw, s.URL+"/personer/1/kartlegging", url.Values{"goals": {goals}, "housing_need": {"Ett rom"}, "live_with": {"alene"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sending the mapping: %d", resp.StatusCode)
		}
		if n := count("SELECT COUNT(*) FROM form_drafts"); n != 0 {
			t.Errorf("%d drafts left after the form was sent", n)
		}

		// Health is not in the case worker's row of the matrix.
		if resp, _ := postForm(t, cw, s.URL+"/utkast", url.Values{"utkast_skjema": {"/personer/1/kartlegging"}, "somatic_health": {"Diabetes"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a draft with health data by a case worker: %d", resp.StatusCode)
		}
		if resp, _ := postForm(t, cw, s.URL+"/utkast", url.Values{"utkast_skjema": {"/personer/1/notater"}, "body": {"x"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a draft of a form that keeps none: %d", resp.StatusCode)
		}

		// The decision form's draft comes back on the case page.
		var app int64
		if err := db.QueryRowContext(ctx, "SELECT MIN(id) FROM applications WHERE person_id = 1").Scan(&app); err != nil || app == 0 {
			resp, body := postJSON(t, cw, s.URL+"/api/v1/persons/1/applications", `{"kind":"kommunal_bolig","household_size":1,"years_resident":3,"registered_here":true}`)
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("apply: %d %s", resp.StatusCode, body)
			}
			if err := db.QueryRowContext(ctx, "SELECT MIN(id) FROM applications WHERE person_id = 1").Scan(&app); err != nil {
				t.Fatal(err)
			}
		}
		key := fmt.Sprintf("/saker/%d/vedtak", app)
		if resp, _ := postForm(t, cw, s.URL+"/utkast", url.Values{"utkast_skjema": {key}, "reasons": {"Begrunnelse under arbeid"}, "outcome": {"innvilget"}}); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("saving a decision draft: %d", resp.StatusCode)
		}
		if _, page := get(t, cw, s.URL+fmt.Sprintf("/saker/%d", app)); !strings.Contains(page, ">Begrunnelse under arbeid</textarea>") {
			t.Error("the case page does not fill the decision in from the draft")
		}
	})
}
