package web_test

import (
	"regexp"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// The names of codes the pages show in table cells, tags, list items and
// options (a unit's category and status, a role, a data category, an
// access basis, a waiting list, a meeting's decision, a unit kind) and
// the dates they write.
var (
	cellRe          = regexp.MustCompile(`(?s)<(td|li|span|option|p|a|dd)\b[^>]*>([^<]*)</(?:td|li|span|option|p|a|dd)>`)
	norwegianDateRe = regexp.MustCompile(`\b\d{2}\.\d{2}\.\d{4}\b`)
	scriptRe        = regexp.MustCompile(`(?s)<(?:script|style)\b.*?</(?:script|style)>`)
)

// codePrefixes are the catalogue prefixes of the codes Go keeps without
// names: a bokmål name of one of them in an English page is a label that
// did not come from the catalogue.
var codePrefixes = []string{"housing.category.", "housing.status.", "housing.staffing.", "housing.control.", "housing.condition.",
	"unitkind.", "role.", "category.", "basis.", "allocation.level.", "allocation.decision.", "lawb.outside.kind."}

// TestCodeNamesAndDatesInEnglish: with English chosen, no page shows the
// bokmål name of a code, and no page writes a date the Norwegian way
// (06.12.2026) outside a part marked as Norwegian: English dates are
// 6 December 2026.
func TestCodeNamesAndDatesInEnglish(t *testing.T) {
	nb, err := web.WebLocaleForTest("nb")
	if err != nil {
		t.Fatal(err)
	}
	en, err := web.WebLocaleForTest("en")
	if err != nil {
		t.Fatal(err)
	}
	bokmal := map[string]string{} // bokmål name → key, where English differs
	for k, v := range nb {
		for _, p := range codePrefixes {
			if strings.HasPrefix(k, p) && en[k] != v {
				bokmal[v] = k
			}
		}
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		tenant := queryID(t, db, `SELECT MIN(t.person_id) FROM lease_tenants t WHERE t.person_id <> (SELECT person_id FROM users WHERE username = 'demo-beboer')`)
		leased := queryID(t, db, `SELECT MIN(id) FROM applications WHERE status = 'kontrakt'`)
		// A unit's own name is data, even where it is a kind's name too.
		rows, err := db.QueryContext(t.Context(), `SELECT name FROM org_units`)
		names, err := store.Collect(rows, err, func(sc store.Scanner) (n string, err error) { return n, sc.Scan(&n) })
		if err != nil {
			t.Fatal(err)
		}
		data := map[string]bool{}
		for _, n := range names {
			data[n] = true
		}
		for _, p := range []struct{ user, path string }{
			{"demo-saksbehandler", "/"},
			{"demo-saksbehandler", "/boliger"},
			{"demo-saksbehandler", "/personer/" + itoa(tenant)},
			{"demo-saksbehandler", "/saker/" + itoa(leased)},
			{"demo-saksbehandler", "/tildeling"},
			{"demo-saksbehandler", "/tildeling/moter"},
			{"demo-saksbehandler", "/organisasjon"},
			{"demo-admin", "/tilgang"},
			{"demo-beboer", "/"},
		} {
			resp, body := get(t, english(t, s, p.user), s.URL+p.path)
			if resp.StatusCode != 200 {
				t.Errorf("%s %s: status %d", p.user, p.path, resp.StatusCode)
				continue
			}
			body = otherLangRe.ReplaceAllString(scriptRe.ReplaceAllString(body, ""), "")
			for _, m := range cellRe.FindAllStringSubmatch(body, -1) {
				text := strings.Join(strings.Fields(m[2]), " ")
				if key, ok := bokmal[text]; ok && !data[text] {
					t.Errorf("%s %s: <%s> names a code in bokmål: %q (%s)", p.user, p.path, m[1], text, key)
				}
			}
			visible := tagsRe.ReplaceAllString(body, " ")
			if d := norwegianDateRe.FindAllString(visible, 3); d != nil {
				t.Errorf("%s %s: dates written the Norwegian way on an English page: %v", p.user, p.path, d)
			}
		}
	})
}
