package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// readOnlyPosts are the page forms that store nothing, so there is nothing
// to store twice: a search (a POST so that identity numbers stay out of
// URLs), the rules preview and the one-time reveal of an identity number.
var readOnlyPosts = map[string]bool{
	"POST /personer/sok":                 true,
	"POST /sok":                          true,
	"POST /tildeling/regler/forhandsvis": true,
	"POST /personer/{id}/fodselsnummer":  true,
}

// scriptPosts are posted by the page's script, never by a form the
// browser navigates with, so there is no page to redirect to: the draft
// a long form saves as the user types (TestDrafts covers it).
var scriptPosts = map[string]bool{"POST /utkast": true}

// Every form post of the pages follows Post/Redirect/Get: it succeeds
// with a 303 to the page that shows the result, or fails with a 4xx and
// the form again. A 2xx answer to a post that stores would store again on
// reload. Each route is posted by every role the authorization matrix lets
// through, with the matrix's valid request.
func TestEveryFormPostRedirects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		w := buildWorld(t, db)
		clients := map[string]*http.Client{}
		redirected := 0
		for _, route := range web.RoutesForTest() {
			if !strings.HasPrefix(route, "POST /") || strings.HasPrefix(route, "POST /api/") || readOnlyPosts[route] || scriptPosts[route] ||
				route == "POST /logg-inn" || route == "POST /logg-ut" || route == "POST /sprak" {
				continue
			}
			want, ok := expect[route]
			if !ok {
				t.Errorf("%s: not in the authorization matrix", route)
				continue
			}
			scen := notPersonal
			if strings.Contains(route, "/personer/{id}") {
				scen = active
			} else if strings.Contains(route, "/min-side/") {
				scen = self
			}
			for _, user := range roles {
				if user == "tilsyn+formål" || !want(user, scen) {
					continue
				}
				if clients[user] == nil {
					clients[user] = s.client(t, user)
				}
				resp, err := clients[user].Do(request(s.URL, route, w, scen))
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				switch {
				case resp.StatusCode == http.StatusSeeOther:
					redirected++
					if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/") {
						t.Errorf("%s as %s: redirect to %q, not a page of Husly", route, user, loc)
					}
				case resp.StatusCode >= 400 && resp.StatusCode < 500:
					if !strings.Contains(string(b), "<html") {
						t.Errorf("%s as %s: %d without a page", route, user, resp.StatusCode)
					}
				default:
					t.Errorf("%s as %s: status %d, want 303 on success or a 4xx with the form", route, user, resp.StatusCode)
				}
			}
		}
		if redirected < 30 {
			t.Errorf("only %d successful posts redirected; the fixture no longer makes valid requests", redirected)
		}
	})
}
