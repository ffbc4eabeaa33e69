package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Problems from the capabilities reach the user in the language they
// chose: on a page after a form, and in the API's problem details, whose
// title is translated too. Bokmål stays the default.
func TestProblemsInTheChosenLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		unit := queryID(t, db, "SELECT MIN(id) FROM org_units")
		page := s.URL + "/organisasjon/" + itoa(unit)
		for lang, want := range map[string]string{
			"nb": "ukjent datakategori «hemmelig»",
			"nn": "ukjend datakategori «hemmelig»",
			"en": "unknown data category «hemmelig»",
		} {
			admin := s.client(t, "demo-admin")
			admin.Jar.SetCookies(mustURL(t, s.URL), []*http.Cookie{{Name: "husly_lang", Value: lang, HttpOnly: true, SameSite: http.SameSiteLaxMode}}) //nolint:gosec // the test server speaks plain HTTP, where a Secure cookie would not be sent
			resp, err := admin.PostForm(page+"/avslorer", url.Values{"reveals": {"helse", "hemmelig"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if _, body := get(t, admin, page); !strings.Contains(body, want) {
				t.Errorf("%s: the unit page does not say %q", lang, want)
			}
		}

		// The task list in English: each task's text is translated, while
		// the list keeps its bokmål order.
		cw := s.client(t, "demo-saksbehandler")
		cw.Jar.SetCookies(mustURL(t, s.URL), []*http.Cookie{{Name: "husly_lang", Value: "en", HttpOnly: true, SameSite: http.SameSiteLaxMode}}) //nolint:gosec // as above
		_, body := get(t, cw, s.URL+"/saker?vis=oppgaver")
		english, bokmal := 0, 0
		for _, p := range []string{"Make the decision by ", "Waiting for information: ", "Waiting for an answer to the offer of ", "is accepted: make the lease", "Appeal received ", "The lease expires "} {
			english += strings.Count(body, p)
		}
		for _, p := range []string{"Fatt vedtak innen ", "Venter på opplysninger: ", "Venter på svar på tilbudet om ", "er akseptert: lag leiekontrakten", "Klage mottatt ", "Leiekontrakten går ut "} {
			bokmal += strings.Count(body, p)
		}
		if english == 0 || bokmal != 0 {
			t.Errorf("the English task list has %d English and %d bokmål task texts", english, bokmal)
		}

		for lang, want := range map[string][2]string{
			"nb": {"Ugyldige opplysninger", "fornavn mangler"},
			"en": {"Invalid information", "first name is missing"},
		} {
			cw := s.client(t, "demo-saksbehandler")
			cw.Jar.SetCookies(mustURL(t, s.URL), []*http.Cookie{{Name: "husly_lang", Value: lang, HttpOnly: true, SameSite: http.SameSiteLaxMode}}) //nolint:gosec // as above
			resp, body := postJSON(t, cw, s.URL+"/api/v1/persons", `{"identity_number":"","first_name":"","last_name":"Person"}`)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("%s: status %d, want 422: %s", lang, resp.StatusCode, body)
			}
			var p struct {
				Title  string   `json:"title"`
				Errors []string `json:"errors"`
			}
			if err := json.Unmarshal([]byte(body), &p); err != nil {
				t.Fatal(err)
			}
			if p.Title != want[0] || !strings.Contains(strings.Join(p.Errors, "\n"), want[1]) {
				t.Errorf("%s: problem %q %q, want the title %q and %q among the errors", lang, p.Title, p.Errors, want[0], want[1])
			}
		}
	})
}
