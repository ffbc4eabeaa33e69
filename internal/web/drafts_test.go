package web_test

import (
	"context"
	"encoding/json"
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
		// A release from prison ahead is filed as health; temporary housing is the housing need.
		if resp, _ := postForm(t, cw, s.URL+"/utkast", url.Values{"utkast_skjema": {"/personer/1/kartlegging"}, "transition_kind": {"fengsel"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a draft with a release from prison by a case worker: %d", resp.StatusCode)
		}
		if resp, _ := postForm(t, cw, s.URL+"/utkast", url.Values{"utkast_skjema": {"/personer/1/kartlegging"}, "transition_kind": {"midlertidig"}}); resp.StatusCode != http.StatusNoContent {
			t.Errorf("a draft with temporary housing ahead by a case worker: %d", resp.StatusCode)
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

// A draft keeps the boxes ticked, the buttons pressed and the options
// chosen, several values of one field too, and the page ticks them again:
// a box the draft left unticked is unticked even where the form ticks it
// by default. A form sent with a problem keeps its choices the same way.
func TestDraftKeepsChoices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		ctx := context.Background()
		cw := s.client(t, "demo-saksbehandler")
		save := func(form url.Values) {
			t.Helper()
			if resp, _ := postForm(t, cw, s.URL+"/utkast", form); resp.StatusCode != http.StatusNoContent {
				t.Fatalf("saving a draft of %s: %d", form.Get("utkast_skjema"), resp.StatusCode)
			}
		}
		save(url.Values{"utkast_skjema": {"/personer/1/kartlegging"}, "goals": {"Egen bolig"}, "pets": {"ja"}, "wheelchair": {"ja"},
			"live_with": {"med_andre"}, "home_form": {"smahus"}})
		save(url.Values{"utkast_skjema": {"/personer/1/soknader"}, "kind": {"kommunal_bolig"}, "household_size": {"2"}, "owns_home": {"ja"},
			"household_income": {"0"}, "household_assets": {"0"}, // the form's own zeros reveal no finances
			"groups": {"bostedslos", "barnefamilie"}})

		// What is stored: every value of a field, sealed.
		var who int64
		if err := db.QueryRowContext(ctx, "SELECT id FROM users WHERE username = 'demo-saksbehandler'").Scan(&who); err != nil {
			t.Fatal(err)
		}
		var sealed string
		if err := db.QueryRowContext(ctx, "SELECT body_enc FROM form_drafts WHERE user_id = ? AND form_key = '/personer/1/soknader'", who).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		plain, err := db.Keys().Open(sealed, fmt.Sprintf("utkast:1:%d:/personer/1/soknader", who))
		if err != nil {
			t.Fatal(err)
		}
		var stored url.Values
		if err := json.Unmarshal([]byte(plain), &stored); err != nil {
			t.Fatal(err)
		}
		if got := stored["groups"]; len(got) != 2 || got[0] != "bostedslos" || got[1] != "barnefamilie" || stored.Get("owns_home") != "ja" || stored.Has("registered_here") {
			t.Errorf("the draft stored %v", stored)
		}

		_, page := get(t, cw, s.URL+"/personer/1")
		for _, want := range []string{`id="m-pets" name="pets" value="ja" checked`, `id="m-wheel" name="wheelchair" value="ja" checked`,
			`<option value="med_andre" selected`, `<option value="smahus" selected`, `id="s-owns" name="owns_home" value="ja" checked`,
			`id="s-g-bostedslos" name="groups" value="bostedslos" checked`, `id="s-g-barnefamilie" name="groups" value="barnefamilie" checked`,
			`<option value="kommunal_bolig" selected`} {
			if !strings.Contains(page, want) {
				t.Errorf("the page filled in from the draft lacks %s", want)
			}
		}
		for _, unwanted := range []string{`id="m-smoke" name="smoke_free" value="ja" checked`, `id="s-registered" name="registered_here" value="ja" checked`} {
			if strings.Contains(page, unwanted) {
				t.Errorf("the page filled in from the draft has %s", unwanted)
			}
		}

		// The decision's draft on the case page: the outcome pressed, the
		// requirements ticked, the box left unticked.
		resp, body := postJSON(t, cw, s.URL+"/api/v1/persons/1/applications", `{"kind":"kommunal_bolig","household_size":1,"years_resident":3,"registered_here":true}`)
		var app struct{ ID int64 }
		if resp.StatusCode != http.StatusCreated || json.Unmarshal([]byte(body), &app) != nil {
			t.Fatalf("apply: %d %s", resp.StatusCode, body)
		}
		save(url.Values{"utkast_skjema": {fmt.Sprintf("/saker/%d/vedtak", app.ID)}, "outcome": {"avslag"}, "requirements": {"rullestol", "bakkeplan"},
			"reasons": {"Under arbeid"}, "base_version": {"0"}})
		_, page = get(t, cw, s.URL+fmt.Sprintf("/saker/%d", app.ID))
		for _, want := range []string{`id="v-no" name="outcome" value="avslag" checked`, `id="v-r-rullestol" name="requirements" value="rullestol" checked`,
			`id="v-r-bakkeplan" name="requirements" value="bakkeplan" checked`} {
			if !strings.Contains(page, want) {
				t.Errorf("the case page filled in from the draft lacks %s", want)
			}
		}
		for _, unwanted := range []string{`id="v-yes" name="outcome" value="innvilget" checked`, `id="v-participant" name="participant_agreement" value="ja" checked`} {
			if strings.Contains(page, unwanted) {
				t.Errorf("the case page filled in from the draft has %s", unwanted)
			}
		}

		// An application sent with a problem keeps its choices.
		resp, page = postForm(t, cw, s.URL+"/personer/1/soknader", url.Values{"kind": {"kommunal_bolig"}, "household_size": {"tre"}, "groups": {"loslatt"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="s-g-loslatt" name="groups" value="loslatt" checked`) ||
			strings.Contains(page, `id="s-registered" name="registered_here" value="ja" checked`) {
			t.Errorf("the application sent with a problem does not keep its choices: %d", resp.StatusCode)
		}
	})
}
