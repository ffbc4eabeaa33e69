package web_test

import (
	"context"
	"net/url"
	"regexp"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// An offer from the allocation round skips the passed-over check only for
// a pair the round proposes: a posted pair the round does not propose is
// refused and stores nothing, the proposed one becomes an offer.
func TestRoundOffersOnlyWhatTheRoundProposes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := s.client(t, "demo-saksbehandler")
		_, page := get(t, c, s.URL+"/tildeling")
		forms := regexp.MustCompile(`name="application_id" value="(\d+)"><input type="hidden" name="unit_id" value="(\d+)"`).FindAllStringSubmatch(page, -1)
		if len(forms) < 2 {
			t.Fatalf("the round proposes %d offers; the demo should give at least two", len(forms))
		}
		offers := func() (n int) {
			if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM offers").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		post := func(app, unit string) {
			resp, err := c.PostForm(s.URL+"/tildeling/tilby", url.Values{"application_id": {app}, "unit_id": {unit}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		before := offers()
		post(forms[0][1], forms[1][2]) // the first applicant, the second proposal's home
		if n := offers(); n != before {
			t.Fatalf("a pair the round does not propose became an offer (%d → %d)", before, n)
		}
		if _, page := get(t, c, s.URL+"/tildeling"); !regexp.MustCompile(`ikke lenger foreslått`).MatchString(page) {
			t.Error("the refusal is not shown on the round page")
		}
		post(forms[0][1], forms[0][2])
		if n := offers(); n != before+1 {
			t.Fatalf("the proposed pair did not become an offer (%d → %d)", before, n)
		}
	})
}
