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

// The public page gives the phone, address and opening hours, and what to
// do tonight without a place to sleep (sosialtjenesteloven § 27); the
// administrator edits them, and a phone that is no number is refused.
func TestPublicPageContact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		anon := s.client(t, "")
		_, body := get(t, anon, s.URL+"/bolig")
		for _, want := range []string{"Har du ikke et sted å sove i natt?", "sosialtjenesteloven § 27", "116 117", `href="tel:55553333"`,
			`href="tel:71574000"`, "Kaibakken 1", "08.00–15.30"} {
			if !strings.Contains(body, want) {
				t.Errorf("the public page lacks %q", want)
			}
		}
		// The built-in texts are the catalogue's, in the reader's language;
		// what the municipality writes itself is shown as written, in bokmål.
		en := english(t, s, "")
		_, body = get(t, en, s.URL+"/bolig")
		for _, want := range []string{`<p class="ds-paragraph" lang="en">If you have no place to sleep tonight`, "Social Services Act § 27",
			`<p class="ds-paragraph" lang="en">Kristiansund municipality helps you`} {
			if !strings.Contains(body, want) {
				t.Errorf("the English public page lacks %q", want)
			}
		}
		if strings.Contains(body, "Har du ikke et sted") || strings.Contains(body, "hjelper deg som ikke klarer") {
			t.Error("the English public page shows the built-in texts in bokmål")
		}
		admin := s.client(t, "demo-admin")
		if resp, _ := postForm(t, admin, s.URL+"/tekster/offentlig_telefon", url.Values{"body": {"ring oss"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a bad phone: %d", resp.StatusCode)
		}
		if _, page := get(t, admin, s.URL+"/tekster"); !strings.Contains(page, "telefonnummeret kan bare ha sifre") {
			t.Error("a bad phone is not explained")
		}
		if _, body := get(t, anon, s.URL+"/bolig"); strings.Contains(body, "ring oss") {
			t.Error("a refused phone reached the page")
		}
		postForm(t, admin, s.URL+"/tekster/offentlig_telefon", url.Values{"body": {"22 33 44 55"}})
		postForm(t, admin, s.URL+"/tekster/offentlig_akutt", url.Values{"body": {"Ring vakttelefonen i {kommune}."}})
		_, body = get(t, anon, s.URL+"/bolig")
		if !strings.Contains(body, `href="tel:22334455"`) || strings.Contains(body, `href="tel:71574000"`) || !strings.Contains(body, "Ring vakttelefonen i Kristiansund.") {
			t.Error("the municipality's own phone and text are not shown")
		}
		if _, body = get(t, en, s.URL+"/bolig"); !strings.Contains(body, `<p class="ds-paragraph" lang="nb">Ring vakttelefonen i Kristiansund.</p>`) {
			t.Error("the municipality's own text is not shown, marked as bokmål, on the English page")
		}
	})
}

// A resident's application with the numbers left blank: the rules they
// read stay open, Min side shows the steps and whom to call, and never a
// verdict; Housing First is not the applicant's to state.
func TestResidentApplicationLeftBlank(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		me := s.client(t, "demo-beboer")
		form := url.Values{"kind": {"kommunal_bolig"}, "residence": {"midlertidig_botilbud"}, "household_size": {"1"},
			"years_resident": {""}, "household_income": {" "}, "household_assets": {""}, "registered_here": {"ja"},
			"situation": {"Bor på hospits."}, "groups": {"housing_first"}, "action": {"send"}}
		resp, body := postForm(t, me, s.URL+"/min-side/soknad", form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "avgjør saksbehandleren sammen med deg") {
			t.Fatalf("Housing First stated by the applicant: %d", resp.StatusCode)
		}
		if strings.Contains(body, `id="a-g-housing_first"`) {
			t.Error("the form asks the applicant about Housing First")
		}
		form.Del("groups")
		if resp, _ := postForm(t, me, s.URL+"/min-side/soknad", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("send: %d", resp.StatusCode)
		}
		var checks string
		if err := db.QueryRowContext(context.Background(), `SELECT a.eligibility FROM applications a JOIN users u ON u.person_id = a.person_id
			WHERE u.username = 'demo-beboer' ORDER BY a.id DESC LIMIT 1`).Scan(&checks); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(checks, `"open":true`) || strings.Contains(checks, "i 0 år") {
			t.Errorf("blank numbers were judged: %s", checks)
		}
		for _, page := range []string{"/", "/min-side/soknad"} {
			_, body := get(t, me, s.URL+page)
			for _, want := range []string{`aria-current="step"`, "Vi har fått søknaden", `href="tel:71574000"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %q", page, want)
				}
			}
			if strings.Contains(body, "vilkårene") || strings.Contains(body, "Ikke oppfylt") {
				t.Errorf("%s tells the applicant about the rules before a case worker has looked", page)
			}
		}
		// The numbers left blank stay blank in the form.
		if _, body := get(t, me, s.URL+"/min-side/soknad"); strings.Contains(body, `name="years_resident" inputmode="decimal" value="0"`) {
			t.Error("a blank number came back as 0")
		}
		// The resident's own record is Min side.
		var own string
		if err := db.QueryRowContext(context.Background(), "SELECT CAST(person_id AS TEXT) FROM users WHERE username = 'demo-beboer'").Scan(&own); err != nil {
			t.Fatal(err)
		}
		if resp, _ := get(t, me, s.URL+"/personer/"+own); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Errorf("own record: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

// The meeting's forms: attendance is stored from the form, nothing is
// decided before it, several items take one decision, and closing with
// items undecided needs the reason they are deferred.
func TestMeetingForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		resp, _ := postForm(t, cw, s.URL+"/tildeling/moter", url.Values{"held_on": {""}})
		page := s.URL + resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(page, "/tildeling/moter/") {
			t.Fatalf("open a meeting: %d %s", resp.StatusCode, page)
		}
		var meeting int64
		if err := db.QueryRowContext(ctx, "SELECT MAX(id) FROM meetings").Scan(&meeting); err != nil {
			t.Fatal(err)
		}
		count := func(query string) int {
			t.Helper()
			var n int
			if err := db.QueryRowContext(ctx, query, meeting).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		undecided := "SELECT COUNT(*) FROM meeting_items WHERE meeting_id = ? AND decision = ''"
		var items []string
		rows, err := db.QueryContext(ctx, "SELECT CAST(id AS TEXT) FROM meeting_items WHERE meeting_id = ? ORDER BY id", meeting)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			items = append(items, id)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if len(items) < 3 {
			t.Fatalf("%d items on the agenda", len(items))
		}
		many := url.Values{"item": items[:2], "decision": {"utsatt"}, "reason": {"Venter på NAV"}}
		postForm(t, cw, page+"/saker", many)
		if _, body := get(t, cw, page); count(undecided) != len(items) || !strings.Contains(body, "registrer hvem som er til stede") {
			t.Fatal("a decision was recorded before attendance")
		}
		var office string
		if err := db.QueryRowContext(ctx, "SELECT CAST(MIN(id) AS TEXT) FROM org_units WHERE kind = 'boligkontor'").Scan(&office); err != nil {
			t.Fatal(err)
		}
		postForm(t, cw, page+"/oppmote", url.Values{"present": {office}, "attendees_" + office: {"Siri"}})
		if n := count("SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = ?"); n != 1 {
			t.Fatalf("attendance from the form: %d units stored", n)
		}
		if resp, _ := postForm(t, cw, page+"/saker", many); resp.StatusCode != http.StatusSeeOther || count(undecided) != len(items)-2 {
			t.Fatalf("two items at once: %d, %d undecided of %d", resp.StatusCode, count(undecided), len(items))
		}
		postForm(t, cw, page+"/avslutt", url.Values{"defer_reason": {""}})
		if count("SELECT COUNT(*) FROM meetings WHERE id = ? AND status = 'apent'") != 1 {
			t.Fatal("closed with items undecided and no reason")
		}
		postForm(t, cw, page+"/avslutt", url.Values{"defer_reason": {"Tiden gikk ut"}})
		if count("SELECT COUNT(*) FROM meetings WHERE id = ? AND status = 'apent'") != 0 || count(undecided) != 0 ||
			count("SELECT COUNT(*) FROM meeting_items WHERE meeting_id = ? AND decision_reason = 'Tiden gikk ut'") != len(items)-2 {
			t.Fatal("closing did not defer the rest with the reason")
		}
	})
}
