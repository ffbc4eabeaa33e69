package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// The first contact's form feeds the transitions register: bad input is
// named and stores nothing, a discharge from a treatment institution
// makes one transition and a second contact updates it, and the
// institution is shown only to a viewer whose grant holds health, the
// read logged as health.
func TestContactFormFeedsRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		actor := func(username string) access.Actor {
			u, err := org.UserByID(ctx, db, queryID(t, db, "SELECT id FROM users WHERE username = ?", username))
			if err != nil {
				t.Fatal(err)
			}
			return u.Actor()
		}
		office, worker := actor("demo-saksbehandler"), actor("demo-oppfolging")
		// A person both units know, whom the follow-up worker may see with
		// health and the housing office without, and who has no open
		// discharge yet.
		rows, err := db.QueryContext(ctx, `SELECT p.id FROM persons p WHERE p.municipality_id = ? AND NOT EXISTS
			(SELECT 1 FROM transitions t WHERE t.person_id = p.id AND t.kind = 'institusjon' AND t.outcome = '') ORDER BY p.id`, office.MunicipalityID)
		ids, err := store.Collect(rows, err, func(sc store.Scanner) (id int64, err error) { return id, sc.Scan(&id) })
		if err != nil {
			t.Fatal(err)
		}
		var person int64
		for _, id := range ids {
			og, err1 := access.Authorize(ctx, db, office, id)
			wg, err2 := access.Authorize(ctx, db, worker, id)
			if err1 == nil && err2 == nil && og.Allows(access.HousingNeeds) && !og.Allows(access.Health) && wg.Allows(access.HousingNeeds) && wg.Allows(access.Health) {
				person = id
				break
			}
		}
		if person == 0 {
			t.Fatal("the demo has no person for the test")
		}
		oc, wc := s.client(t, "demo-saksbehandler"), s.client(t, "demo-oppfolging")
		path := fmt.Sprintf("%s/personer/%d/henvendelser", s.URL, person)
		open := func() int {
			return countRows(t, db, "SELECT COUNT(*) FROM transitions WHERE person_id = ? AND kind = 'institusjon' AND outcome = ''", person)
		}
		contacts := countRows(t, db, "SELECT COUNT(*) FROM contacts WHERE person_id = ?", person)
		post := func(form url.Values) (*http.Response, string) {
			t.Helper()
			resp, err := oc.PostForm(path, form)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			buf := make([]byte, 4096)
			for {
				n, err := resp.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			resp.Body.Close()
			return resp, b.String()
		}
		leaving := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
		// Bad input: a treatment institution without its date.
		resp, body := post(url.Values{"channel": {"spesialisthelse"}, "residence": {"institusjon"}, "transition_kind": {"institusjon"}, "institution_kind": {"behandling"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Dato for overgangen") {
			t.Fatalf("a discharge without a date: %d", resp.StatusCode)
		}
		if open() != 0 || countRows(t, db, "SELECT COUNT(*) FROM contacts WHERE person_id = ?", person) != contacts {
			t.Fatal("bad input stored a row")
		}
		form := url.Values{"channel": {"spesialisthelse"}, "residence": {"institusjon"}, "transition_kind": {"institusjon"}, "institution_kind": {"behandling"}, "leaving_on": {leaving}}
		if resp, _ := post(form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the contact: %d", resp.StatusCode)
		}
		form.Set("leaving_on", time.Now().AddDate(0, 0, 35).Format(time.DateOnly))
		if resp, _ := post(form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the second contact: %d", resp.StatusCode)
		}
		if n := open(); n != 1 {
			t.Fatalf("%d open discharges, want one updated", n)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM transitions WHERE person_id = ? AND kind = 'institusjon' AND outcome = '' AND leaving_on = ?", person,
			form.Get("leaving_on")); n != 1 {
			t.Fatal("the second contact did not move the date")
		}

		// The housing office, without health: neither the page nor the API
		// names the treatment institution.
		_, page := get(t, oc, fmt.Sprintf("%s/personer/%d", s.URL, person))
		if strings.Contains(page, "Forventet overgang: ") {
			t.Error("the person page shows the housing office a treatment institution")
		}
		_, api := get(t, oc, fmt.Sprintf("%s/api/v1/persons/%d/contacts", s.URL, person))
		if strings.Contains(api, `"behandling"`) || !strings.Contains(api, `"items"`) {
			t.Errorf("the API shows the housing office a treatment institution: %.300s", api)
		}
		// The follow-up worker, with health, sees it; the read is logged as health.
		since := countRows(t, db, "SELECT COUNT(*) FROM access_log_persons WHERE person_id = ? AND categories LIKE ?", person, "%helse%")
		_, page = get(t, wc, fmt.Sprintf("%s/personer/%d", s.URL, person))
		if !strings.Contains(page, "Forventet overgang: ") {
			t.Error("the follow-up worker does not see the discharge on the person page")
		}
		_, api = get(t, wc, fmt.Sprintf("%s/api/v1/persons/%d/contacts", s.URL, person))
		if !strings.Contains(api, `"institution_kind":"behandling"`) {
			t.Errorf("the API does not show the follow-up worker the discharge: %.300s", api)
		}
		if countRows(t, db, "SELECT COUNT(*) FROM access_log_persons WHERE person_id = ? AND categories LIKE ?", person, "%helse%") < since+2 {
			t.Error("the reads of the treatment institution are not logged as health")
		}

		// The API's mapping, checked against the OpenAPI document: a release
		// without its date is refused naming the field, temporary housing
		// without one is fed, and the open stay-ahead is one.
		c := loadContract(t, s)
		mapping := fmt.Sprintf("%s/api/v1/persons/%d/mapping", s.URL, person)
		versions := countRows(t, db, "SELECT COUNT(*) FROM mappings WHERE person_id = ?", person)
		code, b := c.call(t, oc, "PUT", mapping, `{"housing_need":"Ett rom","transition_kind":"fengsel"}`, "")
		if code != http.StatusUnprocessableEntity || !strings.Contains(string(b), "Dato for overgangen") {
			t.Errorf("a release without a date: %d %s", code, b)
		}
		if countRows(t, db, "SELECT COUNT(*) FROM mappings WHERE person_id = ?", person) != versions {
			t.Error("a refused mapping was stored")
		}
		code, b = c.call(t, oc, "PUT", mapping, `{"housing_need":"Ett rom","transition_kind":"midlertidig"}`, "")
		if code != http.StatusOK || !strings.Contains(string(b), `"transition_kind":"midlertidig"`) {
			t.Errorf("temporary housing ahead: %d %s", code, b)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM transitions WHERE person_id = ? AND kind = 'midlertidig' AND outcome = ''", person); n != 1 {
			t.Errorf("%d open temporary-housing transitions, want one", n)
		}
	})
}
