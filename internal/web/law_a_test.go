package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// futureNumber is a valid fødselsnummer of someone born the day after
// tomorrow (individual numbers 500–749 give the 2000s).
func futureNumber(t *testing.T) string {
	t.Helper()
	b := deadline.On(time.Now()).AddDays(2)
	for ind := 500; ind < 750; ind++ {
		if s, ok := identity.Make(b, ind, identity.Fodselsnummer, false); ok {
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

// TestHouseRulesThroughAPIAndPages: staff draft a building's house rules,
// the resident who rents there comments through Min side and the API,
// staff see the comment without the name and put the draft in force; the
// pages render for both.
func TestHouseRulesThroughAPIAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		c := loadContract(t, s)
		cw, me := s.client(t, "demo-saksbehandler"), s.client(t, "demo-beboer")
		base := s.URL + "/api/v1"
		var person, building int64
		if err := db.QueryRowContext(ctx, "SELECT person_id FROM users WHERE username = 'demo-beboer'").Scan(&person); err != nil {
			t.Fatal(err)
		}
		err := db.QueryRowContext(ctx, `SELECT u.building_id FROM leases l JOIN lease_tenants lt ON lt.lease_id = l.id JOIN units u ON u.id = l.unit_id
			WHERE lt.person_id = ? AND l.status = 'aktiv' AND u.building_id IS NOT NULL`, person).Scan(&building)
		if err != nil {
			// Give the resident a home in a building.
			var unit, mid int64
			if err := db.QueryRowContext(ctx, "SELECT id, building_id, municipality_id FROM units WHERE status = 'ledig' AND building_id IS NOT NULL ORDER BY id LIMIT 1").Scan(&unit, &building, &mid); err != nil {
				t.Fatal(err)
			}
			lease, err := store.InsertID(ctx, db, "INSERT INTO leases (municipality_id, unit_id, start_date, rent_monthly, deposit, status, created_at) VALUES (?, ?, ?, 5000, 0, 'aktiv', ?)",
				mid, unit, "2026-01-01", store.TimeArg(time.Now()))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, "INSERT INTO lease_tenants (lease_id, person_id, municipality_id) VALUES (?, ?, ?)", lease, person, mid); err != nil {
				t.Fatal(err)
			}
		}
		rules := base + "/buildings/" + itoa(building) + "/house-rules"
		if code, b := c.call(t, cw, "POST", rules, `{"body":""}`, ""); code != 422 || !strings.Contains(string(b), "husordensreglene må fylles ut") {
			t.Fatalf("an empty draft: %d %s", code, b)
		}
		code, b := c.call(t, cw, "POST", rules, `{"body":"Ro etter klokken 23.\nRøyking bare på balkongen."}`, "")
		if code != 200 || !strings.Contains(string(b), `"status":"utkast"`) {
			t.Fatalf("draft: %d %s", code, b)
		}
		var draft struct{ ID int64 }
		if err := json.Unmarshal(b, &draft); err != nil {
			t.Fatal(err)
		}
		if code, b := c.call(t, me, "GET", base+"/me/house-rules", "", ""); code != 200 || !strings.Contains(string(b), "Røyking bare på balkongen") {
			t.Fatalf("the resident's rules: %d %s", code, b)
		}
		if code, b := c.call(t, me, "POST", base+"/me/house-rules/"+itoa(draft.ID)+"/comments", `{"body":"Kan vi få et røykeskur?"}`, ""); code != 201 {
			t.Fatalf("comment: %d %s", code, b)
		}
		if _, page := get(t, me, s.URL+"/"); !strings.Contains(page, "Kan vi få et røykeskur?") || !strings.Contains(page, `name="rules_id"`) {
			t.Fatal("Min side does not show the draft with the resident's comment and the form")
		}
		if resp, _ := postForm(t, me, s.URL+"/min-side/husordensregler", url.Values{"rules_id": {itoa(draft.ID)}, "body": {"Og sykkelstativ."}}); resp.StatusCode != 303 {
			t.Fatalf("comment through Min side: %d", resp.StatusCode)
		}
		code, b = c.call(t, cw, "GET", rules, "", "")
		if code != 200 || !strings.Contains(string(b), "Kan vi få et røykeskur?") || !strings.Contains(string(b), "Og sykkelstativ.") || strings.Contains(string(b), `"person_id"`) {
			t.Fatalf("the staff's view: %d %s", code, b)
		}
		if _, page := get(t, cw, s.URL+"/bygg/"+itoa(building)); !strings.Contains(page, "Kan vi få et røykeskur?") || !strings.Contains(page, "/husordensregler/ikraft") {
			t.Fatal("the building page does not show the comments and the form")
		}
		if code, b := c.call(t, cw, "POST", rules+"/in-force", `{}`, ""); code != 200 || !strings.Contains(string(b), `"status":"gjeldende"`) {
			t.Fatalf("in force: %d %s", code, b)
		}
		if code, b := c.call(t, me, "POST", base+"/me/house-rules/"+itoa(draft.ID)+"/comments", `{"body":"For sent"}`, ""); code != 422 || !strings.Contains(string(b), "allerede satt i kraft") {
			t.Fatalf("a comment after it is in force: %d %s", code, b)
		}
	})
}
