package web_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// A walk-in is registered with their household, once: the number is
// looked up first and a person already registered is offered instead; a
// form with problems comes back with what was typed, the fields marked and
// the error summary; nothing is stored until the form is right.
func TestRegisterWalkIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		ctx := context.Background()
		count := func(q string) (n int) {
			t.Helper()
			if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		post := func(form url.Values) (*http.Response, string) {
			t.Helper()
			resp, err := cw.PostForm(s.URL+"/personer/ny", form)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp, html.UnescapeString(string(b))
		}
		persons, members := count("SELECT COUNT(*) FROM persons"), count("SELECT COUNT(*) FROM household_members")
		number := identity.Synthetic(910001)
		bad := number[:10] + string("0123456789"[(int(number[10]-'0')+1)%10])
		form := url.Values{"identity_number": {bad}, "first_name": {"Gående"}, "last_name": {"Inn"}, "phone": {"12"},
			"m1_first": {"Lille"}, "m1_last": {"Inn"}, "m1_birth": {"2019-05-01"}, "m1_relation": {"barn"}}
		resp, page := post(form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a wrong check digit: status %d", resp.StatusCode)
		}
		for _, want := range []string{`class="ds-error-summary"`, `href="#p-number"`, `href="#p-phone"`, `value="` + bad + `"`, `value="Gående"`,
			`value="Lille"`, `aria-describedby="p-number-hint p-number-error"`, `id="p-phone-error"`, "kontrollsifrene i fødselsnummeret stemmer ikke"} {
			if !strings.Contains(page, want) {
				t.Errorf("the form shown again lacks %s", want)
			}
		}
		if n := count("SELECT COUNT(*) FROM persons"); n != persons {
			t.Fatalf("a person was stored from a bad form: %d → %d", persons, n)
		}

		form.Set("identity_number", number)
		form.Set("phone", "+47 400 00 000")
		resp, _ = post(form)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/personer/") {
			t.Fatalf("registering: status %d to %q", resp.StatusCode, loc)
		}
		if got := count("SELECT COUNT(*) FROM persons"); got != persons+1 {
			t.Errorf("persons %d → %d, want one more", persons, got)
		}
		if got := count("SELECT COUNT(*) FROM household_members"); got != members+2 {
			t.Errorf("household members %d → %d, want the applicant and the child", members, got)
		}
		if n := count("SELECT COUNT(*) FROM audit_log WHERE action = 'opprett husstand'"); n != 1 {
			t.Errorf("%d household entries in the audit chain", n)
		}
		_, body := get(t, cw, s.URL+loc)
		if !strings.Contains(body, "Personen er registrert.") || !strings.Contains(body, "Lille") {
			t.Error("the person's page does not confirm the registration or show the household")
		}

		// The same number again is found, not registered twice.
		resp, page = post(form)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(page, `href="`+loc+`"`) {
			t.Errorf("the same number again: status %d, want 409 with a link to %s", resp.StatusCode, loc)
		}
		if got := count("SELECT COUNT(*) FROM persons"); got != persons+1 {
			t.Errorf("a second record was made: %d persons", got)
		}

		// A role without the number's category is not offered the form.
		prop := s.client(t, "demo-eiendom")
		if resp, _ := get(t, prop, s.URL+"/personer/ny"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("property staff got the registration form: %d", resp.StatusCode)
		}
		if _, list := get(t, prop, s.URL+"/personer"); strings.Contains(list, `href="/personer/ny"`) {
			t.Error("property staff are offered a link they may not open")
		}
		if _, list := get(t, cw, s.URL+"/personer"); !strings.Contains(list, `href="/personer/ny"`) {
			t.Error("the case worker is not offered registration")
		}
	})
}
