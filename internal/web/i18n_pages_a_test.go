package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// english signs a client in as user (or none) with English chosen.
func english(t *testing.T, s site, user string) *http.Client {
	t.Helper()
	c := s.client(t, user)
	resp, err := c.PostForm(s.URL+"/sprak", url.Values{"lang": {"en"}, "neste": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("choosing English: status %d", resp.StatusCode)
	}
	return c
}

// structure is the text of a page's headings, labels, buttons, table
// headers, captions, legends and summaries: what the catalogues write.
var structureRe = regexp.MustCompile(`(?s)<(h1|h2|h3|th|label|button|summary|legend|caption|dt)\b[^>]*>(.*?)</(?:h1|h2|h3|th|label|button|summary|legend|caption|dt)>`)

var (
	tagsRe      = regexp.MustCompile(`<[^>]+>`)
	otherLangRe = regexp.MustCompile(`(?s)<article\b[^>]*\blang="(?:nb|nn)"[^>]*>.*?</article>`)
)

// TestPagesInEnglish: with English chosen, the pages are served as English
// (lang="en", WCAG 3.1.1) and speak English: their headings are the
// English ones, and no heading, label, button or table header is a
// bokmål text of the catalogues.
func TestPagesInEnglish(t *testing.T) {
	nb, err := web.WebLocaleForTest("nb")
	if err != nil {
		t.Fatal(err)
	}
	en, err := web.WebLocaleForTest("en")
	if err != nil {
		t.Fatal(err)
	}
	norwegian := map[string]string{} // bokmål text → key, where English differs
	for k, v := range nb {
		if en[k] != v && !strings.Contains(v, "%") {
			norwegian[v] = k
		}
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		tenant := queryID(t, db, `SELECT MIN(t.person_id) FROM lease_tenants t WHERE t.person_id <> (SELECT person_id FROM users WHERE username = 'demo-beboer')`)
		leased := queryID(t, db, `SELECT MIN(id) FROM applications WHERE status = 'kontrakt'`)
		open := queryID(t, db, `SELECT MIN(id) FROM applications WHERE status IN ('mottatt', 'under_behandling')`)
		var muni string
		if err := db.QueryRowContext(t.Context(), `SELECT number FROM municipalities ORDER BY id LIMIT 1`).Scan(&muni); err != nil {
			t.Fatal(err)
		}
		pages := []struct {
			user, path string
			status     int
			want       []string // English texts the page must show
		}{
			{"", "/logg-inn", 200, []string{"<h1 class=\"ds-heading\" data-size=\"lg\">Sign in</h1>", "Username"}},
			{"", "/bolig/" + muni, 200, []string{"What we can offer", "How to apply", "Sign in and apply", "Ordinary municipal rental home"}},
			{"", "/finnes-ikke", 404, []string{"Page not found"}},
			{"demo-saksbehandler", "/", 200, []string{"My day", "Deadlines passed or within a week", "Offers awaiting an answer"}},
			{"demo-planlegger", "/", 200, []string{"My day", "On the waiting list", "Homes by category", "Shared housing"}},
			{"demo-saksbehandler", "/personer", 200, []string{"Persons", "All persons"}},
			{"demo-saksbehandler", "/personer/" + itoa(tenant), 200, []string{"Contact details", "Units with a role in the case", "Privacy and access"}},
			{"demo-saksbehandler", "/personer/" + itoa(tenant) + "/tidslinje", 200, []string{"Timeline: ", "Everything you have access to"}},
			{"demo-saksbehandler", "/saker", 200, []string{"Cases", "open application", "Notifications to the unit", "Decision due"}},
			{"demo-saksbehandler", "/saker/" + itoa(open), 200, []string{"Case handling", "Checklist: missing information", "Meeting log", "Combined decision", "No decision has been made yet.", "Where the case stands"}},
			{"demo-saksbehandler", "/saker/" + itoa(leased), 200, []string{"Combined decision", "version", "Lease", "a month, deposit"}},
			{"demo-saksbehandler", "/saker/" + itoa(leased) + "/brev/vedtak", 200, []string{"Back to the case", "Download as PDF"}},
			{"demo-beboer", "/", 200, []string{"My page", "Who has looked at your details", "Download everything the municipality has recorded about you"}},
			{"demo-beboer", "/min-side/soknad", 200, []string{"Application for housing", "Where do you live now?", "Save draft", "Attachments"}},
		}
		for _, p := range pages {
			resp, body := get(t, english(t, s, p.user), s.URL+p.path)
			if resp.StatusCode != p.status {
				t.Errorf("%s %s: status %d, want %d", p.user, p.path, resp.StatusCode, p.status)
				continue
			}
			if !strings.Contains(body, `<html lang="en"`) {
				t.Errorf("%s %s: not served as lang=\"en\"", p.user, p.path)
			}
			for _, w := range p.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s %s: %q missing", p.user, p.path, w)
				}
			}
			// A part in another language says so (WCAG 3.1.2): a letter is
			// written in bokmål, and marked lang="nb".
			body = otherLangRe.ReplaceAllString(body, "")
			for _, m := range structureRe.FindAllStringSubmatch(body, -1) {
				text := strings.Join(strings.Fields(tagsRe.ReplaceAllString(m[2], " ")), " ")
				if key, ok := norwegian[text]; ok {
					t.Errorf("%s %s: <%s> in bokmål: %q (%s)", p.user, p.path, m[1], text, key)
				}
			}
		}
		// A person the follow-up team has no role for: the refusal in English.
		c := english(t, s, "demo-oppfolging")
		rows, err := db.QueryContext(t.Context(), `SELECT id FROM persons ORDER BY id LIMIT 40`)
		ids, err := store.Collect(rows, err, func(sc store.Scanner) (id int64, err error) { return id, sc.Scan(&id) })
		if err != nil {
			t.Fatal(err)
		}
		refused := false
		for _, id := range ids {
			resp, body := get(t, c, s.URL+"/personer/"+itoa(id))
			if resp.StatusCode != http.StatusForbidden {
				continue
			}
			refused = true
			for _, w := range []string{`lang="en"`, "No access to this person", "Your unit has no active role in this person", "Reason for emergency access", "Open with emergency access"} {
				if !strings.Contains(body, w) {
					t.Errorf("no-access page: %q missing", w)
				}
			}
			break
		}
		if !refused {
			t.Error("no person the follow-up team is refused")
		}
	})
}

// TestCountsInPluralForms: a count of one takes the singular, others the
// plural, in each language.
func TestCountsInPluralForms(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"nb", 1, "1 åpen søknad"}, {"nb", 2, "2 åpne søknader"}, {"nb", 0, "0 åpne søknader"},
		{"nn", 1, "1 open søknad"}, {"nn", 12345, "12\u00a0345 opne søknader"},
		{"en", 1, "1 open application"}, {"en", 2, "2 open applications"}, {"en", 12345, "12,345 open applications"},
	} {
		if got := web.TnForTest(c.lang, "worklist.applications", c.n); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

// TestNumbersByLanguage: one helper writes numbers, Norwegian style in
// bokmål and nynorsk (10,9; 12 345) and English style in English.
func TestNumbersByLanguage(t *testing.T) {
	for _, c := range []struct {
		lang string
		f    float64
		want string
	}{
		{"nb", 10.9, "10,9"}, {"nn", 10.9, "10,9"}, {"en", 10.9, "10.9"},
		{"nb", 1234567, "1\u00a0234\u00a0567"}, {"en", 1234567, "1,234,567"},
		{"nb", -1500.25, "−1\u00a0500,25"}, {"en", -1500.25, "-1,500.25"},
		{"nb", 0, "0"}, {"nb", 999, "999"}, {"nb", 1000, "1\u00a0000"},
	} {
		if got := web.NumberForTest(c.lang, c.f); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.lang, c.f, got, c.want)
		}
	}
}
