package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"husly/internal/clock"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// futureNumber is a valid fødselsnummer of someone born the day after
// tomorrow (individual numbers 500–749 give the 2000s).
func futureNumber(t *testing.T) string {
	t.Helper()
	b := clock.InOslo(time.Now()).AddDate(0, 0, 2)
	for ind := 500; ind < 750; ind++ {
		if s, ok := identity.Make(time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC), ind, identity.Fodselsnummer, false); ok {
			return s
		}
	}
	t.Fatal("no number")
	return ""
}

// TestLawThroughAPIAndPages: the municipality's practice refuses rules
// that give less than the law, and a person born after today is refused
// through the API and the registration form, nothing stored.
func TestLawThroughAPIAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := loadContract(t, s)
		admin, cw := s.client(t, "demo-admin"), s.client(t, "demo-saksbehandler")
		base := s.URL + "/api/v1"
		for body, want := range map[string]string{
			`{"paper_post_days":-1,"appeal_weeks":3,"deposit_months":3,"lease_terms":[]}`: "papirpost",
			`{"paper_post_days":5,"appeal_weeks":2,"deposit_months":3,"lease_terms":[]}`:  "minst 3 uker (forvaltningsloven § 29)",
			`{"paper_post_days":5,"appeal_weeks":3,"deposit_months":7,"lease_terms":[]}`:  "husleieloven § 3-5",
		} {
			if code, b := c.call(t, admin, "PUT", base+"/practice", body, ""); code != 422 || !strings.Contains(string(b), want) {
				t.Errorf("%s: %d %s", body, code, b)
			}
		}
		if code, b := c.call(t, admin, "PUT", base+"/practice", `{"paper_post_days":3,"appeal_weeks":4,"deposit_months":2,"lease_terms":[{"category":"rehabilitering","months":6}]}`, ""); code != 200 ||
			!strings.Contains(string(b), `"paper_post_days":3`) || !strings.Contains(string(b), `{"category":"rehabilitering","months":6}`) {
			t.Fatalf("a lawful practice: %d %s", code, b)
		}
		if code, b := c.call(t, cw, "GET", base+"/practice", "", ""); code != 200 || !strings.Contains(string(b), `"appeal_weeks":4`) {
			t.Fatalf("reading the practice: %d %s", code, b)
		}

		var before int
		if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM persons").Scan(&before); err != nil {
			t.Fatal(err)
		}
		number := futureNumber(t)
		if code, b := c.call(t, cw, "POST", base+"/persons", `{"identity_number":"`+number+`","first_name":"Ikke","last_name":"Født"}`, ""); code != 422 || !strings.Contains(string(b), "etter dagens dato") {
			t.Fatalf("a person born after today through the API: %d %s", code, b)
		}
		// The search page refuses the number with the same rule.
		if _, page := postForm(t, cw, s.URL+"/personer/sok", url.Values{"q": {number}}); !strings.Contains(page, "etter dagens dato") {
			t.Fatalf("the search page does not name the rule")
		}
		var after int
		if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM persons").Scan(&after); err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Fatalf("%d persons stored from a number born after today", after-before)
		}
	})
}
