package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestPagesInEveryLanguage renders the allocation, housing, organisation,
// access and overview pages with English and with nynorsk chosen, as a
// demo role that may see each, and checks that the page says which
// language it is in (WCAG 3.1.1) and that its headings are in it, not in
// bokmål. A key left out of a catalogue would show as the key itself.
func TestPagesInEveryLanguage(t *testing.T) {
	raw, err := os.ReadFile("locales/nb/pages_b.json")
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]string
	if err := json.Unmarshal(raw, &keys); err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		// A meeting to show: opened by a case worker.
		cw := s.client(t, "demo-saksbehandler")
		resp, err := cw.PostForm(s.URL+"/tildeling/moter", url.Values{"held_on": {""}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		meeting := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/tildeling/moter/\d+$`).MatchString(meeting) {
			t.Fatalf("open a meeting: %d %q", resp.StatusCode, meeting)
		}
		pages := []struct {
			user, path string
			status     int
			en, nn     []string
		}{
			{"demo-saksbehandler", "/tildeling", 200, []string{">Allocation</h1>", "Proposals per vacant home", "Waiting lists", "Staffed around the clock"}, []string{"Ventelister", "Forslag per ledig bustad"}},
			{"demo-saksbehandler", "/tildeling/avtaler", 200, []string{"Cooperation with other municipalities</h1>"}, []string{"Samarbeid med andre kommunar</h1>"}},
			{"demo-saksbehandler", "/tildeling/moter", 200, []string{"Allocation meetings</h1>", "Create a meeting with an agenda", ">Open<"}, []string{"Tildelingsmøte</h1>", ">Ope<"}},
			{"demo-saksbehandler", meeting, 200, []string{"Allocation meeting ", ">Attendance</h2>", ">Agenda</h2>", "Close the meeting"}, []string{"Avslutt møtet", "Til stades"}},
			{"demo-saksbehandler", "/boliger", 200, []string{"Housing stock</h1>", " homes</caption>", "Care home"}, []string{"Bustadmassen</h1>", " bustader</caption>"}},
			{"demo-saksbehandler", "/boliger/1", 200, []string{">Location</h2>", "Ownership", "Near public transport"}, []string{"Eigarform", "Nær tenester"}},
			{"demo-saksbehandler", "/organisasjon", 200, []string{"Organisation</h1>", "Housing office / allocation office"}, []string{"Bustadkontor / tildelingskontor"}},
			{"demo-saksbehandler", "/organisasjon/1", 200, []string{"Staff</caption>"}, []string{"Tilsette</caption>"}},
			{"demo-admin", "/tilgang", 200, []string{"Access and privacy</h1>", "Which roles see which information", "Case worker", "Add a role", "Conditions for municipal housing"}, []string{"Kva roller ser kva opplysningar", "Sakshandsamar", "Legg til ei rolle"}},
			{"demo-enhetsleder", "/tilgang", 200, []string{"Emergency access to review", "Reads in the last 30 days"}, []string{"Naudtilgangar til gjennomgang", "Innsyn dei siste 30 dagane"}},
			{"demo-tilsyn", "/personer/1", 403, []string{"Purpose of the supervision</h1>", "Save the purpose", "Describe the purpose in at least 10 characters"}, []string{"Føremål med tilsynet</h1>"}},
			{"demo-admin", "/tekster", 200, []string{"Texts and templates</h1>", "Allocation letter", "Merge fields:"}, []string{"Tekstar og malar</h1>", "Flettefelt:"}},
			{"demo-admin", "/tildeling/regler", 200, []string{"Priority rules</h1>", "Weights in the score", "Show the effect"}, []string{"Prioritetsreglar</h1>", "Vis verknaden"}},
			{"demo-enhetsleder", "/saker/oversikt", 200, []string{"Case overview</h1>", "Days in the phase, average", " open case"}, []string{"Opne saker etter fase", " over fristen"}},
		}
		for _, p := range pages {
			c := s.client(t, p.user)
			for _, lang := range []string{"en", "nn"} {
				c.Jar.SetCookies(mustURL(t, s.URL), []*http.Cookie{{Name: "husly_lang", Value: lang, HttpOnly: true, SameSite: http.SameSiteLaxMode}}) //nolint:gosec // the test server speaks plain HTTP, where a Secure cookie would not be sent
				resp, body := get(t, c, s.URL+p.path)
				if resp.StatusCode != p.status {
					t.Fatalf("%s %s in %s: status %d", p.user, p.path, lang, resp.StatusCode)
				}
				if !strings.Contains(body, `<html lang="`+lang+`"`) {
					t.Errorf("%s in %s: not served as lang=%q", p.path, lang, lang)
				}
				want := p.en
				if lang == "nn" {
					want = p.nn
				}
				for _, w := range want {
					if !strings.Contains(body, w) {
						t.Errorf("%s (%s) in %s: %q not on the page", p.path, p.user, lang, w)
					}
				}
				for k := range keys {
					if strings.Contains(body, ">"+k+"<") || strings.Contains(body, `"`+k+`"`) {
						t.Errorf("%s in %s: the key %s is shown instead of its text", p.path, lang, k)
					}
				}
			}
		}
	})
}

// TestProblemsInTheAskersLanguage: an API problem's title and detail are
// in the language the client asks for, bokmål when it asks for none Husly
// speaks.
func TestProblemsInTheAskersLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		for _, c := range []struct{ accept, title, detail string }{
			{"", "Ikke innlogget", "Logg inn eller send en API-nøkkel"},
			{"de-DE, fr;q=0.8", "Ikke innlogget", "Logg inn eller send en API-nøkkel"},
			{"en-GB,en;q=0.9", "Not signed in", "Sign in or send an API key"},
			{"nn-NO, nb;q=0.8", "Ikkje innlogga", "Logg inn eller send ein API-nøkkel"},
			{"no", "Ikke innlogget", "Logg inn eller send en API-nøkkel"},
		} {
			req, err := http.NewRequest("GET", s.URL+"/api/v1/units", nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.accept != "" {
				req.Header.Set("Accept-Language", c.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var p struct{ Title, Detail string }
			err = json.NewDecoder(resp.Body).Decode(&p)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("Accept-Language %q: %d %v", c.accept, resp.StatusCode, err)
			}
			if p.Title != c.title || !strings.HasPrefix(p.Detail, c.detail) {
				t.Errorf("Accept-Language %q: %q / %q, want %q / %q…", c.accept, p.Title, p.Detail, c.title, c.detail)
			}
		}
	})
}
