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

// A form on the case page with a problem comes back with each field the
// problem is about marked (aria-invalid, aria-describedby pointing at the
// message under it), the error summary linking to it, and what was typed
// kept; nothing is stored. The tie holds in English too, where a number
// that does not parse is named in English.
func TestCaseFormMarksItsFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		ctx := context.Background()
		resp, body := postJSON(t, cw, s.URL+"/api/v1/persons/1/applications", `{"kind":"kommunal_bolig","household_size":1,"years_resident":3,"registered_here":true}`)
		var app struct{ ID int64 }
		if resp.StatusCode != http.StatusCreated || json.Unmarshal([]byte(body), &app) != nil {
			t.Fatalf("apply: %d %s", resp.StatusCode, body)
		}
		marked := func(page, id string) bool {
			return strings.Contains(page, `href="#`+id+`"`) && strings.Contains(page, `id="`+id+`-error"`) &&
				strings.Contains(page, `aria-invalid="true" aria-describedby="`+id+`-error"`)
		}
		count := func() (n int) {
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM decisions").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()

		decision := url.Values{"outcome": {"innvilget"}, "housing_type": {"ordinaer"}, "rooms": {"to"}, "base_version": {"0"},
			"reasons": {""}, "conditions": {"Husorden følges."}, "decided_on": {"2026-01-05"}, "requirements": {"rullestol"}}
		r, page := postForm(t, cw, s.URL+fmt.Sprintf("/saker/%d/vedtak", app.ID), decision)
		page = html.UnescapeString(page)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a decision without reasons: %d", r.StatusCode)
		}
		for _, id := range []string{"v-rooms"} {
			if !marked(page, id) {
				t.Errorf("the decision form does not mark %s", id)
			}
		}
		for _, want := range []string{`class="ds-error-summary"`, `value="to"`, "Husorden følges.", `id="v-r-rullestol" name="requirements" value="rullestol" checked`} {
			if !strings.Contains(page, want) {
				t.Errorf("the decision form shown again lacks %s", want)
			}
		}
		if n := count(); n != before {
			t.Fatalf("a decision was stored: %d → %d", before, n)
		}
		// The rules' own problems: the reasons and the legal basis.
		decision.Set("rooms", "2")
		_, page = postForm(t, cw, s.URL+fmt.Sprintf("/saker/%d/vedtak", app.ID), decision)
		for _, id := range []string{"v-reasons", "v-law"} {
			if !marked(page, id) {
				t.Errorf("the decision form does not mark %s", id)
			}
		}

		// A meeting without participants, dated in the future.
		r, page = postForm(t, cw, s.URL+fmt.Sprintf("/saker/%d/moter", app.ID), url.Values{"held_on": {"2999-01-01"}, "participants": {""}, "summary": {"Vi snakket om ønsker."}})
		page = html.UnescapeString(page)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a meeting without participants: %d", r.StatusCode)
		}
		for _, id := range []string{"mt-who", "mt-date"} {
			if !marked(page, id) {
				t.Errorf("the meeting form does not mark %s", id)
			}
		}
		if !strings.Contains(page, "Vi snakket om ønsker.") || !strings.Contains(page, `value="2999-01-01"`) {
			t.Error("the meeting form does not keep what was typed")
		}

		en := english(t, s, "demo-saksbehandler")
		decision.Set("rooms", "two")
		if _, page = postForm(t, en, s.URL+fmt.Sprintf("/saker/%d/vedtak", app.ID), decision); !marked(page, "v-rooms") {
			t.Error("the English decision form does not mark the rooms")
		}
	})
}
