package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// A number in a form that does not parse is reported by name, the form is
// shown again with what was typed, and nothing is stored: "to" rooms is
// never a decision for 0 rooms, "tre" persons never a household of 0.
func TestFormNumberThatDoesNotParse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		ctx := context.Background()
		count := func(table string) (n int) {
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		post := func(path string, form url.Values) (int, string) {
			t.Helper()
			resp, err := cw.PostForm(s.URL+path, form)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			return resp.StatusCode, html.UnescapeString(string(b))
		}

		resp, body := postJSON(t, cw, s.URL+"/api/v1/persons/1/applications", `{"kind":"kommunal_bolig","household_size":1,"years_resident":3,"registered_here":true}`)
		var app struct{ ID int64 }
		if resp.StatusCode != http.StatusCreated || json.Unmarshal([]byte(body), &app) != nil {
			t.Fatalf("apply: %d %s", resp.StatusCode, body)
		}
		decisions := count("decisions")
		code, page := post(fmt.Sprintf("/saker/%d/vedtak", app.ID), url.Values{
			"outcome": {"innvilget"}, "housing_type": {"ordinaer"}, "rooms": {"to"}, "base_version": {"0"},
			"reasons": {"Søkeren mangler bolig."}, "legal_basis_codes": {"bsl-6"},
			"service_code": {"boteam"}, "service_extent": {"timer"}, "service_hours": {"mye"}, "service_unit": {"1"}, "service_start": {"2026-01-05"},
		})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("decision with rooms «to»: status %d", code)
		}
		for _, want := range []string{"Antall rom: «to» er ikke et helt tall", "Timer per uke, rad 1: «mye» er ikke et tall", `value="to"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the decision form does not show %s", want)
			}
		}
		if n := count("decisions"); n != decisions {
			t.Fatalf("a decision was stored: %d → %d", decisions, n)
		}

		applications := count("applications")
		code, page = post("/personer/1/soknader", url.Values{"kind": {"kommunal_bolig"}, "household_size": {"tre"}, "years_resident": {"3"}, "registered_here": {"ja"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Personer i husstanden: «tre» er ikke et helt tall") {
			t.Errorf("application with household size «tre»: status %d", code)
		}
		if n := count("applications"); n != applications {
			t.Fatalf("an application was stored: %d → %d", applications, n)
		}

		// The field is named in the reader's language, like the rest of
		// the message: an English page never says «Antall rom».
		ce := english(t, s, "demo-saksbehandler")
		resp, err := ce.PostForm(s.URL+"/personer/1/soknader", url.Values{"kind": {"kommunal_bolig"}, "household_size": {"tre"}, "years_resident": {"3"}, "registered_here": {"ja"}})
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		page = html.UnescapeString(string(b))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "People in the household: «tre» is not a whole number") || strings.Contains(page, "Personer i husstanden") {
			t.Errorf("English application with household size «tre»: status %d, the field is not named in English", resp.StatusCode)
		}
		resp, err = ce.PostForm(s.URL+fmt.Sprintf("/saker/%d/vedtak", app.ID), url.Values{
			"outcome": {"innvilget"}, "housing_type": {"ordinaer"}, "rooms": {"to"}, "base_version": {"0"},
			"reasons": {"Søkeren mangler bolig."}, "legal_basis_codes": {"bsl-6"},
			"service_code": {"boteam"}, "service_extent": {"timer"}, "service_hours": {"mye"}, "service_unit": {"1"}, "service_start": {"2026-01-05"},
		})
		if err != nil {
			t.Fatal(err)
		}
		b, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		page = html.UnescapeString(string(b))
		for _, want := range []string{"Number of rooms: «to» is not a whole number", "Hours per week, row 1: «mye» is not a number"} {
			if !strings.Contains(page, want) {
				t.Errorf("the English decision form does not show %s", want)
			}
		}
	})
}
