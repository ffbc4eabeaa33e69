package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// The organisation page's form for what a unit's role reveals: an
// administrator saves checked categories (Post/Redirect/Get, audited); no
// category is a problem with the form, shown with it, and changes nothing;
// other roles are refused.
func TestRevealsForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		unit := queryID(t, db, "SELECT MIN(id) FROM org_units")
		page := s.URL + "/organisasjon/" + itoa(unit)
		reveals := func() string {
			var r string
			if err := db.QueryRowContext(ctx, "SELECT reveals FROM org_units WHERE id = ?", unit).Scan(&r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		audited := func() int {
			var n int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE entity = 'enhet' AND entity_id = ?", unit).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		post := func(c *http.Client, form url.Values) *http.Response {
			t.Helper()
			resp, err := c.PostForm(page+"/avslorer", form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		admin := s.client(t, "demo-admin")
		_, body := get(t, admin, page)
		for _, want := range []string{`action="/organisasjon/` + itoa(unit) + `/avslorer"`, `<label class="ds-label" for="rv-helse">Helse</label>`, `name="reveals" value="rus"`} {
			if !strings.Contains(body, want) {
				t.Fatalf("the administrator's unit page lacks %q", want)
			}
		}
		start, entries := reveals(), audited()

		// No category: the problem in the summary and under the boxes, none
		// of them ticked as sent, nothing changed, nothing audited.
		resp := post(admin, url.Values{})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/organisasjon/"+itoa(unit) {
			t.Fatalf("empty form: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if _, body := get(t, admin, page); !strings.Contains(body, `href="#reveals"`) || !strings.Contains(body, `id="reveals-error"`) ||
			!strings.Contains(body, "velg minst én datakategori") || strings.Contains(body, `name="reveals" value="helse" checked`) {
			t.Fatal("no problem shown for an empty choice, or boxes ticked that were not sent")
		}
		if reveals() != start || audited() != entries {
			t.Fatal("an empty choice changed the unit")
		}

		// An unknown code: refused with a message, nothing changed.
		post(admin, url.Values{"reveals": {"helse", "hemmelig"}})
		if _, body := get(t, admin, page); !strings.Contains(body, "hemmelig") || reveals() != start {
			t.Fatalf("an unknown category was not refused: %q", reveals())
		}

		// Another role: refused, nothing changed.
		if resp := post(s.client(t, "demo-saksbehandler"), url.Values{"reveals": {"helse"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("case worker: status %d, want 403", resp.StatusCode)
		}
		if reveals() != start || audited() != entries {
			t.Fatal("a refused change changed the unit")
		}

		// Saved in catalogue order, audited, shown checked after the redirect.
		if resp := post(admin, url.Values{"reveals": {"rus", "helse", "rus"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: status %d", resp.StatusCode)
		}
		if got := reveals(); got != "helse,rus" {
			t.Fatalf("reveals = %q, want helse,rus", got)
		}
		if audited() != entries+1 {
			t.Fatal("the change is not in the audit chain")
		}
		_, body = get(t, admin, page)
		if !strings.Contains(body, "Kategoriene er lagret") || !strings.Contains(body, `value="helse" checked`) || strings.Contains(body, `value="boligbehov" checked`) {
			t.Fatal("the saved categories are not shown checked after the redirect")
		}
		// Other staff see the list in their language, without the form.
		cw := s.client(t, "demo-saksbehandler")
		cw.Jar.SetCookies(mustURL(t, s.URL), []*http.Cookie{{Name: "husly_lang", Value: "nn", HttpOnly: true, SameSite: http.SameSiteLaxMode}}) //nolint:gosec // the test server speaks plain HTTP, where a Secure cookie would not be sent
		if _, body := get(t, cw, page); strings.Contains(body, "/avslorer") || !strings.Contains(body, "<li>Helse</li>") || !strings.Contains(body, "Kva rolla til eininga") {
			t.Fatal("the case worker's page shows the form, or not the categories in nynorsk")
		}
	})
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
