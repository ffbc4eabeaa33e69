package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestMoveDecisionAndAppeal: staff record a move decision during the
// demo resident's lease on the moving-on page (bad input shows its
// problem and stores nothing, a second open one is refused), record the
// letter's sending, and the resident sees the decision on Min side in
// plain words, gets the letter, and appeals after the deadline: the appeal
// is received and marked late. The unit upholds it and Statsforvalteren
// confirms it; the decision can then not be appealed again.
func TestMoveDecisionAndAppeal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := loadContract(t, s)
		staff := s.client(t, "demo-saksbehandler")
		resident := s.client(t, "demo-beboer")
		person := queryID(t, db, "SELECT person_id FROM users WHERE username = 'demo-beboer'")
		lease := queryID(t, db, "SELECT MIN(l.id) FROM leases l JOIN lease_tenants lt ON lt.lease_id = l.id WHERE lt.person_id = ? AND l.status = 'aktiv'", person)
		if lease == 0 {
			t.Fatal("the demo resident has no active lease")
		}
		page := fmt.Sprintf("%s/bosikring/videre?person=%d", s.URL, person)
		stored := func() int {
			return countRows(t, db, "SELECT COUNT(*) FROM renewal_decisions WHERE person_id = ? AND kind = 'i_leieperioden'", person)
		}
		moveOn := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
		form := url.Values{"lease": {itoa(lease)}, "person": {itoa(person)}, "back_person": {itoa(person)}, "outcome": {"mer_oppfolging"},
			"offered": {"Bofellesskap med personale, Furulia 4"}, "move_on": {moveOn}}
		// No reasons: the problem is shown, nothing is stored.
		audits := countRows(t, db, "SELECT COUNT(*) FROM audit_log")
		resp, _ := postForm(t, staff, s.URL+"/bosikring/videre/flytting", form)
		if resp.StatusCode != 303 {
			t.Fatalf("the form without reasons: %d", resp.StatusCode)
		}
		if _, body := get(t, staff, page); !strings.Contains(strings.ToLower(body), "begrunnelse mangler") {
			t.Error("the missing reasons are not shown on the page")
		}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("reason", "Trenger mer hjelp.")
		bad.Set("move_on", "2001-01-01")
		if resp, _ := postForm(t, staff, s.URL+"/bosikring/videre/flytting", bad); resp.StatusCode != 303 {
			t.Errorf("a move before the decision: %d", resp.StatusCode)
		}
		if _, body := get(t, staff, page); !strings.Contains(body, "planlagt flyttedato kan ikke være før") && !strings.Contains(body, "Planlagt flyttedato kan ikke være før") {
			t.Error("the early move date is not shown as a problem")
		}
		if stored() != 0 || countRows(t, db, "SELECT COUNT(*) FROM audit_log") != audits {
			t.Fatal("bad input stored something")
		}
		// The follow-up team advises; it does not decide.
		form.Set("reason", "Du har vært innlagt tre ganger i høst, og hjelpen hjemme er ikke nok til at du er trygg.")
		if resp, _ := postForm(t, s.client(t, "demo-oppfolging"), s.URL+"/bosikring/videre/flytting", form); resp.StatusCode != 403 || stored() != 0 {
			t.Errorf("the follow-up team: %d, %d stored", resp.StatusCode, stored())
		}
		resp, _ = postForm(t, staff, s.URL+"/bosikring/videre/flytting", form)
		if resp.StatusCode != 303 || stored() != 1 {
			t.Fatalf("the move decision: %d, %d stored", resp.StatusCode, stored())
		}
		_, body := get(t, staff, page)
		if !strings.Contains(body, "Vedtaket om flytting er registrert.") || !strings.Contains(body, `data-kind="i_leieperioden"`) || !strings.Contains(body, "Furulia 4") {
			t.Errorf("the page after the decision: %.600s", body)
		}
		id := queryID(t, db, "SELECT id FROM renewal_decisions WHERE person_id = ? AND kind = 'i_leieperioden'", person)
		// A second open move decision on the lease is refused.
		if resp, _ := postForm(t, staff, s.URL+"/bosikring/videre/flytting", form); resp.StatusCode != 303 || stored() != 1 {
			t.Errorf("a second move decision: %d, %d stored", resp.StatusCode, stored())
		}
		if _, body := get(t, staff, page); !strings.Contains(body, "allerede et vedtak om flytting") {
			t.Error("the second move decision's refusal is not shown")
		}
		code, b := c.call(t, staff, "POST", s.URL+"/api/v1/moving-on/moves", fmt.Sprintf(`{"lease_id":%d,"person_id":%d,"outcome":"ordinar_bolig","reason":"x","offered":"y","move_on":"%s"}`, lease, person, moveOn), "")
		if code != 422 || stored() != 1 {
			t.Errorf("a second move decision by the API: %d %s", code, b)
		}
		// The letter sent by paper post: the deadline runs from arrival.
		if resp, _ := postForm(t, staff, fmt.Sprintf("%s/bosikring/videre/vedtak/%d/sendt", s.URL, id), url.Values{"channel": {"brevdue"}, "back_person": {itoa(person)}}); resp.StatusCode != 303 ||
			countRows(t, db, "SELECT COUNT(*) FROM renewal_decisions WHERE id = ? AND notified_on IS NULL", id) != 1 {
			t.Errorf("an unknown channel: %d", resp.StatusCode)
		}
		if resp, _ := postForm(t, staff, fmt.Sprintf("%s/bosikring/videre/vedtak/%d/sendt", s.URL, id), url.Values{"channel": {"papir"}, "back_person": {itoa(person)}}); resp.StatusCode != 303 {
			t.Errorf("the letter sent: %d", resp.StatusCode)
		}
		code, b = c.call(t, staff, "GET", fmt.Sprintf("%s/api/v1/moving-on/decisions/%d", s.URL, id), "", "")
		var dec struct {
			Kind       string `json:"kind"`
			NotifiedOn string `json:"notified_on"`
			AppealDue  string `json:"appeal_due"`
			MoveOn     string `json:"move_on"`
			Stands     bool   `json:"stands"`
		}
		if code != 200 || json.Unmarshal(b, &dec) != nil || dec.Kind != "i_leieperioden" || dec.NotifiedOn <= time.Now().Format(time.DateOnly) || dec.AppealDue <= dec.NotifiedOn || dec.MoveOn != moveOn || !dec.Stands {
			t.Fatalf("the decision by the API: %d %s", code, b)
		}

		// Min side: the decision in plain words, the letter, the deadline.
		resp, body = get(t, resident, s.URL+"/min-side/bolig")
		if resp.StatusCode != 200 || !strings.Contains(body, "Furulia 4") || !strings.Contains(body, "innlagt tre ganger") || !strings.Contains(body, fmt.Sprintf("/min-side/bolig/%d/brev.pdf", id)) ||
			!strings.Contains(body, "Du kan klage til og med") {
			t.Fatalf("Min side: %d %.800s", resp.StatusCode, body)
		}
		main := regexp.MustCompile(`(?s)<main[^>]*>(.*)</main>`).FindStringSubmatch(body)
		text := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(main[1], " "))
		if m := legalTerms.FindString(text); m != "" {
			t.Errorf("Min side says %q", m)
		}
		resp, pdf := get(t, resident, fmt.Sprintf("%s/min-side/bolig/%d/brev.pdf", s.URL, id))
		if resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF") {
			t.Errorf("the resident's letter: %d", resp.StatusCode)
		}
		other := queryID(t, db, "SELECT MIN(id) FROM renewal_decisions WHERE person_id <> ?", person)
		if resp, _ := get(t, resident, fmt.Sprintf("%s/min-side/bolig/%d/brev.pdf", s.URL, other)); resp.StatusCode != 404 {
			t.Errorf("another resident's letter: %d", resp.StatusCode)
		}
		// The appeal without grounds stores nothing.
		appeals := func() int { return countRows(t, db, "SELECT COUNT(*) FROM renewal_appeals WHERE decision_id = ?", id) }
		if resp, _ := postForm(t, resident, fmt.Sprintf("%s/min-side/bolig/%d/klage", s.URL, id), url.Values{"grounds": {" "}}); resp.StatusCode != 303 || appeals() != 0 {
			t.Errorf("an empty appeal: %d, %d stored", resp.StatusCode, appeals())
		}
		if _, body := get(t, resident, s.URL+"/min-side/bolig"); !strings.Contains(body, "hva du klager på og hvorfor") {
			t.Error("the empty appeal's problem is not shown")
		}
		// Weeks later, past the deadline: the appeal is received and marked late.
		if _, err := db.ExecContext(t.Context(), "UPDATE renewal_decisions SET appeal_due = ? WHERE id = ?", time.Now().AddDate(0, 0, -2).Format(time.DateOnly), id); err != nil {
			t.Fatal(err)
		}
		if _, body := get(t, resident, s.URL+"/min-side/bolig"); !strings.Contains(body, "Fristen er ute, men du kan sende klagen likevel") {
			t.Error("the page does not say the appeal can be sent after the deadline")
		}
		resp, _ = postForm(t, resident, fmt.Sprintf("%s/min-side/bolig/%d/klage", s.URL, id), url.Values{"grounds": {"Jeg vil prøve med hjelp hver dag hjemme først."}})
		if resp.StatusCode != 303 || countRows(t, db, "SELECT COUNT(*) FROM renewal_appeals WHERE decision_id = ? AND late = ? AND by_resident = ? AND status = 'mottatt'", id, true, true) != 1 {
			t.Fatalf("the late appeal: %d, %d stored", resp.StatusCode, appeals())
		}
		if _, body := get(t, resident, s.URL+"/min-side/bolig"); !strings.Contains(body, "Klagen din er sendt.") || !strings.Contains(body, `data-late="true"`) || strings.Contains(body, `name="grounds"`) {
			t.Errorf("Min side after the appeal: %.800s", body)
		}
		// The resident's own copy of their data holds the decision and the appeal.
		if resp, dossier := get(t, resident, s.URL+"/min-side/innsyn.json"); resp.StatusCode != 200 || !strings.Contains(dossier, `"kind":"klage"`) ||
			!strings.Contains(dossier, "i_leieperioden Bofellesskap med personale") || !strings.Contains(dossier, "Jeg vil prøve med hjelp hver dag hjemme først.") {
			t.Errorf("the dossier lacks the move decision or the appeal: %d", resp.StatusCode)
		}
		// The unit upholds it (the form), Statsforvalteren confirms (the API).
		aid := queryID(t, db, "SELECT id FROM renewal_appeals WHERE decision_id = ?", id)
		if resp, _ := postForm(t, staff, fmt.Sprintf("%s/bosikring/videre/klage/%d", s.URL, aid), url.Values{"reconsideration": {"opprettholde"}, "back_person": {itoa(person)}}); resp.StatusCode != 303 ||
			countRows(t, db, "SELECT COUNT(*) FROM renewal_appeals WHERE id = ? AND status = 'mottatt'", aid) != 1 {
			t.Errorf("a review without an assessment: %d", resp.StatusCode)
		}
		resp, _ = postForm(t, staff, fmt.Sprintf("%s/bosikring/videre/klage/%d", s.URL, aid), url.Values{"reconsideration": {"opprettholde"}, "note": {"Behovet er dokumentert av fastlegen."},
			"back_person": {itoa(person)}})
		if resp.StatusCode != 303 || countRows(t, db, "SELECT COUNT(*) FROM renewal_appeals WHERE id = ? AND status = 'sendt_statsforvalter' AND forwarded_on IS NOT NULL", aid) != 1 {
			t.Fatalf("upheld: %d", resp.StatusCode)
		}
		if _, body := get(t, staff, page); !strings.Contains(body, "Klagen er oppdatert.") || !strings.Contains(body, `data-status="sendt_statsforvalter"`) {
			t.Error("the staff page after the review")
		}
		code, b = c.call(t, staff, "POST", fmt.Sprintf("%s/api/v1/moving-on/appeals/%d/steps", s.URL, aid), `{"outcome":"stadfestet","note":"Vedtaket er riktig."}`, "")
		if code != 200 || !strings.Contains(string(b), `"status":"avgjort"`) {
			t.Fatalf("Statsforvalteren's outcome: %d %s", code, b)
		}
		// Statsforvalteren's decision is final: no new appeal.
		code, b = c.call(t, resident, "POST", fmt.Sprintf("%s/api/v1/moving-on/decisions/%d/appeals", s.URL, id), `{"grounds":"Jeg er fortsatt uenig."}`, "")
		if code != 422 || appeals() != 1 {
			t.Errorf("an appeal of a final decision: %d %s", code, b)
		}
		code, _ = c.call(t, resident, "GET", fmt.Sprintf("%s/api/v1/moving-on/decisions/%d", s.URL, other), "", "")
		if code != 404 {
			t.Errorf("the resident read another's decision: %d", code)
		}
	})
}
