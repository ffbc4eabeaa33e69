package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestNAVSeesLadderNoticeOnStartPage: a warning taken through the API
// reaches a NAV case worker's start page and GET /api/v1/unit-notices,
// citing sosialtjenesteloven § 27; property staff, neither NAV nor a team
// following the resident, get nothing of it; marking it read (a form
// that redirects) takes it off the page.
func TestNAVSeesLadderNoticeOnStartPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		var lease int64
		var name string
		if err := db.QueryRowContext(ctx, `SELECT t.lease_id, p.first_name || ' ' || p.last_name FROM lease_tenants t JOIN users u ON u.person_id = t.person_id
			JOIN persons p ON p.id = t.person_id WHERE u.username = 'demo-beboer' ORDER BY t.lease_id LIMIT 1`).Scan(&lease, &name); err != nil {
			t.Fatal(err)
		}
		var navUser string
		if err := db.QueryRowContext(ctx, `SELECT MIN(u.username) FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.kind = 'nav' AND u.role = 'saksbehandler'`).
			Scan(&navUser); err != nil {
			t.Fatal(err)
		}
		// The demo's NAV staff have no password of their own; this one gets the
		// demo users' password to sign in here.
		if _, err := db.ExecContext(ctx, "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'demo-saksbehandler') WHERE username = ?",
			navUser); err != nil {
			t.Fatal(err)
		}
		// Earlier notices (the demo's ladders) are read first: this test
		// is about the one step it takes.
		if _, err := db.ExecContext(ctx, "UPDATE unit_notices SET read_at = created_at, read_by = 'test'"); err != nil {
			t.Fatal(err)
		}
		resp, body := postJSON(t, cw, s.URL+"/api/v1/tenancy-leases/"+itoa(lease)+"/steps", `{"step":"advarsel","preventive_action":"Samtale hjemme med bo-oppfølger","grounds":"Støy om natten."}`)
		if resp.StatusCode != 201 {
			t.Fatalf("warning: %d %s", resp.StatusCode, body)
		}
		type list struct {
			Items []struct {
				ID         int64  `json:"id"`
				Recipient  string `json:"recipient"`
				PersonName string `json:"person_name"`
				LeaseID    int64  `json:"lease_id"`
				Category   string `json:"category"`
				Message    string `json:"message"`
			} `json:"items"`
		}
		inbox := func(c *http.Client) list {
			t.Helper()
			resp, body := get(t, c, s.URL+"/api/v1/unit-notices")
			var l list
			if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &l) != nil {
				t.Fatalf("unit notices: %d %s", resp.StatusCode, body)
			}
			return l
		}
		nav := s.client(t, navUser)
		got := inbox(nav)
		if len(got.Items) != 1 {
			t.Fatalf("NAV has %d unread notices, want the one step's: %+v", len(got.Items), got)
		}
		n := got.Items[0]
		if n.Recipient != "nav" || n.LeaseID != lease || n.PersonName != name || n.Category != "leieforhold" || !strings.Contains(n.Message, "§ 27") {
			t.Errorf("NAV's notice: %+v", n)
		}
		_, page := get(t, nav, s.URL+"/")
		if !strings.Contains(page, "Varsler til enheten") || !strings.Contains(page, name) || !strings.Contains(page, "/enhetsvarsler/"+itoa(n.ID)+"/lest") {
			t.Error("NAV's start page does not show the notice")
		}
		for _, item := range inbox(s.client(t, "demo-eiendom")).Items {
			if item.LeaseID == lease {
				t.Errorf("property staff got the ladder's notice: %+v", item)
			}
		}
		resp, _ = postForm(t, nav, s.URL+"/enhetsvarsler/"+itoa(n.ID)+"/lest", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Fatalf("marking read: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if _, page = get(t, nav, s.URL+"/"); strings.Contains(page, "/enhetsvarsler/"+itoa(n.ID)+"/lest") {
			t.Error("a read notice is still on the start page")
		}
		if l := inbox(nav); len(l.Items) != 0 {
			t.Errorf("read notices in the API: %+v", l)
		}
	})
}
