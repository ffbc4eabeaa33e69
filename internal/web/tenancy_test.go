package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Keeping the home through the API and the forms: bad input gets a clear
// Norwegian message naming the field and stores nothing; a good step is
// stored, told to NAV and has a letter; the resident answers and never
// sees who complained.
func TestTenancyBadInputAndLadder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		cw := s.client(t, "demo-saksbehandler")
		base := s.URL + "/api/v1"
		var lease, person int64
		if err := db.QueryRowContext(ctx, `SELECT MIN(t.lease_id), MIN(t.person_id) FROM lease_tenants t JOIN users u ON u.person_id = t.person_id
			WHERE u.username = 'demo-beboer'`).Scan(&lease, &person); err != nil {
			t.Fatal(err)
		}
		count := func(q string, args ...any) (n int) {
			t.Helper()
			if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		steps, complaints := count("SELECT COUNT(*) FROM tenancy_steps"), count("SELECT COUNT(*) FROM tenancy_complaints")
		future := time.Now().AddDate(0, 0, 5).Format(time.DateOnly)
		for _, c := range []struct {
			what, path, body string
			status           int
			says             string
		}{
			{"a skipped step without a reason", "/tenancy-leases/" + itoa(lease) + "/steps", `{"step":"heving","preventive_action":"Samtale","grounds":"Støy","ground_code":"plage"}`, 422, "hoppe over trinn"},
			{"a step without a preventive action", "/tenancy-leases/" + itoa(lease) + "/steps", `{"step":"advarsel","preventive_action":""}`, 422, "forebyggende tiltak"},
			{"a step in the future", "/tenancy-leases/" + itoa(lease) + "/steps", `{"step":"advarsel","preventive_action":"Samtale","issued_on":"` + future + `"}`, 422, "fram i tid"},
			{"an unknown lease", "/tenancy-leases/99999999/steps", `{"step":"advarsel","preventive_action":"Samtale"}`, 404, ""},
			{"a complaint on an unknown lease", "/complaints", `{"lease_id":99999999,"kind":"stoy","source":"nabo","what":"Musikk"}`, 422, "leieforhold"},
			{"a complaint from the future", "/complaints", `{"lease_id":` + itoa(lease) + `,"kind":"stoy","source":"nabo","what":"Musikk","received_on":"` + future + `"}`, 422, "mottatt"},
		} {
			resp, body := postJSON(t, cw, base+c.path, c.body)
			if resp.StatusCode != c.status || !strings.Contains(body, c.says) {
				t.Errorf("%s: %d %s, want %d saying %q", c.what, resp.StatusCode, body, c.status, c.says)
			}
		}
		// A notice skipping the warning, with a reason but without grounds, names § 9-7.
		resp, body := postJSON(t, cw, base+"/tenancy-leases/"+itoa(lease)+"/steps", `{"step":"oppsigelse","preventive_action":"Samtale","override_reason":"Alvorlige trusler"}`)
		if resp.StatusCode != 422 || !strings.Contains(body, "§ 9-7") || !strings.Contains(body, "§ 9-5") {
			t.Errorf("a notice without grounds: %d %s", resp.StatusCode, body)
		}
		if count("SELECT COUNT(*) FROM tenancy_steps") != steps || count("SELECT COUNT(*) FROM tenancy_complaints") != complaints {
			t.Fatal("bad input stored something")
		}
		// The form says the same, on the page.
		resp, _ = postForm(t, cw, s.URL+"/bosikring/leieforhold/"+itoa(lease)+"/trinn", url.Values{"step": {"heving"}, "preventive_action": {"Samtale"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a refused form should come back to the page, got %d", resp.StatusCode)
		}
		_, page := get(t, cw, s.URL+resp.Header.Get("Location"))
		if !strings.Contains(page, "hoppe over trinn") {
			t.Error("the page does not say the step was skipped without a reason")
		}

		// A warning: stored, told to NAV, with its letter in the API.
		resp, body = postJSON(t, cw, base+"/tenancy-leases/"+itoa(lease)+"/steps", `{"step":"advarsel","preventive_action":"Samtale hjemme med bo-oppfølger","grounds":"Støy om natten."}`)
		if resp.StatusCode != 201 {
			t.Fatalf("warning: %d %s", resp.StatusCode, body)
		}
		var step int64
		if err := db.QueryRowContext(ctx, "SELECT MAX(id) FROM tenancy_steps WHERE lease_id = ?", lease).Scan(&step); err != nil {
			t.Fatal(err)
		}
		if count("SELECT COUNT(*) FROM tenancy_notices WHERE step_id = ? AND recipient = 'nav'", step) != 1 {
			t.Error("NAV was not told of the warning")
		}
		resp, body = get(t, cw, base+"/tenancy-steps/"+itoa(step)+"/letter")
		if resp.StatusCode != 200 || !strings.Contains(body, "Advarsel om brudd på leieavtalen") {
			t.Errorf("letter: %d %.300s", resp.StatusCode, body)
		}
		resp, body = get(t, cw, base+"/tenancy-steps?step=advarsel")
		if resp.StatusCode != 200 || !strings.Contains(body, `"lease_id":`+itoa(lease)) {
			t.Errorf("open ladders: %d %.300s", resp.StatusCode, body)
		}
		// The follow-up worker sees it but may not take a step.
		resp, _ = postJSON(t, s.client(t, "demo-oppfolging"), base+"/tenancy-leases/"+itoa(lease)+"/stop", `{"reason":"Betalingsplan"}`)
		if resp.StatusCode != 403 {
			t.Errorf("a follow-up worker stopped the ladder: %d", resp.StatusCode)
		}
		resp, body = postJSON(t, cw, base+"/tenancy-leases/"+itoa(lease)+"/stop", `{"reason":"Betalingsplan avtalt"}`)
		if resp.StatusCode != 204 {
			t.Errorf("stop: %d %s", resp.StatusCode, body)
		}

		// The resident reads the complaints about them, without the complainant, and answers.
		resident := s.client(t, "demo-beboer")
		resp, body = get(t, resident, base+"/me/complaints")
		if resp.StatusCode != 200 || strings.Contains(body, "Beboer i 2. etasje") || !strings.Contains(body, "Høy musikk") {
			t.Fatalf("my complaints: %d %s", resp.StatusCode, body)
		}
		var own int64
		if err := db.QueryRowContext(ctx, "SELECT MIN(id) FROM tenancy_complaints WHERE person_id = ?", person).Scan(&own); err != nil {
			t.Fatal(err)
		}
		resp, body = postJSON(t, resident, base+"/me/complaints/"+itoa(own)+"/replies", `{"body":""}`)
		if resp.StatusCode != 422 || !strings.Contains(body, "din side av saken") {
			t.Errorf("an empty reply: %d %s", resp.StatusCode, body)
		}
		resp, body = postJSON(t, resident, base+"/me/complaints/"+itoa(own)+"/replies", `{"body":"Beklager, det var en fest."}`)
		if resp.StatusCode != 201 {
			t.Errorf("reply: %d %s", resp.StatusCode, body)
		}
		_, body = get(t, cw, base+"/tenancy-leases/"+itoa(lease))
		if !strings.Contains(body, "Beklager, det var en fest.") || !strings.Contains(body, "Beboer i 2. etasje") {
			t.Errorf("staff should see the reply and the complainant: %.500s", body)
		}
	})
}
