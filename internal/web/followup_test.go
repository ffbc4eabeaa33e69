package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// followUpOf is an active Housing First follow-up the demo's follow-up
// worker is primary contact for.
func followUpOf(t *testing.T, db *store.DB) int64 {
	return queryID(t, db, `SELECT MIN(f.id) FROM followups f JOIN followup_teams t ON t.id = f.team_id
		WHERE t.model = 'housing_first' AND f.status = 'aktiv' AND f.primary_id = (SELECT id FROM users WHERE username = 'demo-oppfolging')`)
}

func countRows(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFollowUpAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := loadContract(t, s)
		worker, caretaker := s.client(t, "demo-oppfolging"), s.client(t, "demo-eiendom")
		base := s.URL + "/api/v1"
		fu := followUpOf(t, db)
		team := queryID(t, db, "SELECT MIN(id) FROM followup_teams WHERE model = 'housing_first'")
		want := func(got, code int, what string, b []byte) {
			t.Helper()
			if got != code {
				t.Errorf("%s: %d, want %d: %s", what, got, code, b)
			}
		}
		for _, path := range []string{"/followup/teams", "/followup/norms", "/followup/alerts", "/followup/today", "/followup/observations",
			fmt.Sprintf("/followup/teams/%d/board", team), fmt.Sprintf("/followup/teams/%d/pipeline", team), fmt.Sprintf("/followups/%d", fu)} {
			code, b := c.call(t, worker, "GET", base+path, "", "")
			want(code, 200, path, b)
		}
		code, b := c.call(t, worker, "GET", fmt.Sprintf("%s/followup/teams/%d/board", base, team), "", "")
		if code != 200 || !strings.Contains(string(b), `"person_name"`) || !strings.Contains(string(b), `"over"`) {
			t.Errorf("the board names residents and caseloads: %d %.300s", code, b)
		}
		var norms struct {
			Items []struct {
				Model  string `json:"model"`
				Source string `json:"source"`
			} `json:"items"`
		}
		_, b = c.call(t, worker, "GET", base+"/followup/norms", "", "")
		if err := json.Unmarshal(b, &norms); err != nil || !strings.Contains(string(b), "13,65 årsverk") {
			t.Errorf("the FACT norm and its source: %v %s", err, b)
		}

		// Bad input: a clear message, nothing stored.
		before := countRows(t, db, "SELECT COUNT(*) FROM followup_contacts")
		for body, msg := range map[string]string{
			`{"kind":"hjemmebesok","on":"2999-01-01","minutes":30}`:                      "fram i tid",
			`{"kind":"hjemmebesok","minutes":30,"risky":true}`:                           "minst to ansatte",
			`{"kind":"brev","minutes":30}`:                                               "velg hvordan kontakten var",
			`{"kind":"telefon","minutes":10,"staff_ids":[1]}`:                            "må være medlemmer av",
			`{"kind":"telefon","minutes":10,"note":"x","note_category":"fodselsnummer"}`: "hvilken kategori",
		} {
			code, b := c.call(t, worker, "POST", fmt.Sprintf("%s/followups/%d/contacts", base, fu), body, "")
			if code != 422 || !strings.Contains(string(b), msg) {
				t.Errorf("%s: %d %s", body, code, b)
			}
		}
		code, b = c.call(t, worker, "POST", fmt.Sprintf("%s/followups/%d/end", base, fu), `{"reason":"flyttet","statement":"Han har flyttet"}`, "")
		if code != 422 || !strings.Contains(string(b), "flytting avslutter ikke") {
			t.Errorf("ending on a move: %d %s", code, b)
		}
		code, b = c.call(t, worker, "POST", fmt.Sprintf("%s/followups/%d/end", base, fu), `{"reason":"onsker_ikke_mer"}`, "")
		if code != 422 || !strings.Contains(string(b), "egne ord") {
			t.Errorf("ending without the resident's words: %d %s", code, b)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM followup_contacts"); n != before {
			t.Fatalf("%d contacts stored by refused requests", n-before)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM followups WHERE id = ? AND status = 'aktiv'", fu); n != 1 {
			t.Fatal("a refused ending changed the follow-up")
		}
		code, b = c.call(t, worker, "POST", fmt.Sprintf("%s/followups/%d/contacts", base, fu),
			`{"kind":"hjemmebesok","minutes":45,"note":"Sover dårlig, vil til fastlegen.","note_category":"helse"}`, "")
		want(code, 201, "record a contact", b)

		// Property staff: no follow-up, no health note; observations they may send.
		code, b = c.call(t, caretaker, "GET", fmt.Sprintf("%s/followups/%d", base, fu), "", "")
		want(code, 403, "the caretaker reads the follow-up", b)
		if strings.Contains(string(b), "fastlegen") {
			t.Fatalf("the caretaker saw the health note: %s", b)
		}
		person := queryID(t, db, "SELECT person_id FROM followups WHERE id = ?", fu)
		code, b = c.call(t, caretaker, "POST", base+"/followup/observations", fmt.Sprintf(`{"person_id":%d,"kind":"skade","body":"Knust vindu."}`, person), "")
		if code != 201 && code != 403 {
			t.Errorf("an observation: %d %s", code, b)
		}
		code, b = c.call(t, caretaker, "GET", base+"/followup/observations", "", "")
		want(code, 200, "the caretaker's observations", b)
		if strings.Contains(string(b), "fastlegen") {
			t.Fatalf("the caretaker's observations hold a health note: %s", b)
		}
	})
}

// The day's visits: one tap with the defaults records a home visit today,
// redirects back (303), and a second post of the same form is a second
// contact, not a replay.
func TestFollowUpTodaysVisit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		worker := s.client(t, "demo-oppfolging")
		resp, page := get(t, worker, s.URL+"/oppfolging/i-dag")
		if resp.StatusCode != 200 || !strings.Contains(page, `name="kind" value="hjemmebesok" checked`) {
			t.Fatalf("today's visits: %d", resp.StatusCode)
		}
		fu := followUpOf(t, db)
		before := countRows(t, db, "SELECT COUNT(*) FROM followup_contacts WHERE followup_id = ?", fu)
		form := url.Values{"back": {"i-dag"}, "kind": {"hjemmebesok"}, "minutes": {"30"}, "note_category": {"oppfolging"}}
		r, err := worker.PostForm(fmt.Sprintf("%s/oppfolging/%d/kontakter", s.URL, fu), form)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/oppfolging/i-dag" {
			t.Fatalf("record from today's visits: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM followup_contacts WHERE followup_id = ? AND contact_on IS NOT NULL", fu); n != before+1 {
			t.Fatalf("contacts %d, want %d", n, before+1)
		}
		_, page = get(t, worker, s.URL+"/oppfolging/i-dag")
		if !strings.Contains(page, "Kontakten er lagret.") {
			t.Error("no notice after recording")
		}
		// A contact in the future is refused with a message on the page.
		form.Set("on", "2999-01-01")
		r, err = worker.PostForm(fmt.Sprintf("%s/oppfolging/%d/kontakter", s.URL, fu), form)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		_, page = get(t, worker, s.URL+"/oppfolging/i-dag")
		if !strings.Contains(page, "kontakten kan ikke være fram i tid") {
			t.Error("no message for a contact in the future")
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM followup_contacts WHERE followup_id = ?", fu); n != before+1 {
			t.Fatalf("a refused contact was stored")
		}
	})
}

// A unit leader sets a team up and adds its members through the pages:
// each form answers 303 to the page with a confirmation, a share that is
// not a share of a person-year is refused with nothing stored, and a
// follow-up worker, who may not set teams up, gets 403.
func TestFollowUpTeamForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		leader, worker := s.client(t, "demo-enhetsleder"), s.client(t, "demo-oppfolging")
		post := func(c *http.Client, path string, form url.Values) *http.Response {
			t.Helper()
			r, err := c.PostForm(s.URL+path, form)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, r.Body)
			r.Body.Close()
			return r
		}
		mid := queryID(t, db, "SELECT id FROM municipalities WHERE number = '1505'")
		unit := queryID(t, db, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'Boteam Nordlandet', 'boteam', ?) RETURNING id",
			mid, store.TimeArg(time.Now()))

		_, page := get(t, leader, s.URL+"/oppfolging")
		if !strings.Contains(page, `action="/oppfolging/team"`) || !strings.Contains(page, fmt.Sprintf(`<option value="%d">Boteam Nordlandet</option>`, unit)) ||
			!strings.Contains(page, `<option value="fact">ACT/FACT-team (med spesialisthelsetjenesten)</option>`) {
			t.Fatal("the overview offers the leader no form to set a team up, with the free unit and the models by name")
		}
		if _, page := get(t, worker, s.URL+"/oppfolging"); strings.Contains(page, `action="/oppfolging/team"`) {
			t.Error("the overview offers a follow-up worker the form to set a team up")
		}

		form := url.Values{"org_unit": {itoa(unit)}, "model": {"boteam"}}
		if r := post(worker, "/oppfolging/team", form); r.StatusCode != http.StatusForbidden {
			t.Errorf("a follow-up worker sets a team up: %d", r.StatusCode)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM followup_teams WHERE org_unit_id = ?", unit); n != 0 {
			t.Fatal("a refused team was stored")
		}
		if r := post(leader, "/oppfolging/team", form); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/oppfolging" {
			t.Fatalf("set a team up: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		team := queryID(t, db, "SELECT id FROM followup_teams WHERE org_unit_id = ? AND model = 'boteam' AND name = 'Boteam Nordlandet'", unit)
		if _, page := get(t, leader, s.URL+"/oppfolging"); !strings.Contains(page, "Teamet er opprettet.") || !strings.Contains(page, fmt.Sprintf(`href="/oppfolging/team/%d"`, team)) {
			t.Error("no confirmation or no team on the overview after setting it up")
		}

		teamPage := fmt.Sprintf("/oppfolging/team/%d", team)
		members := teamPage + "/medlemmer"
		staff := queryID(t, db, "SELECT id FROM users WHERE username = 'demo-saksbehandler'")
		_, page = get(t, leader, s.URL+teamPage)
		if !strings.Contains(page, `action="`+members+`"`) || !strings.Contains(page, fmt.Sprintf(`<option value="%d">Siri Saksbehandler</option>`, staff)) ||
			!strings.Contains(page, `<option value="erfaringskonsulent">Erfaringskonsulent</option>`) {
			t.Fatal("the team page offers the leader no form to add a member, with the staff and the roles by name")
		}

		// A share that is not a number, or more than a person-year: a
		// message on the team page, nothing stored.
		for fte, msg := range map[string]string{"en halv": "er ikke et tall", "1,5": "stillingsandelen i teamet må være mer enn 0 og høyst 1 årsverk"} {
			r := post(leader, members, url.Values{"user": {itoa(staff)}, "role": {"erfaringskonsulent"}, "fte": {fte}})
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != teamPage {
				t.Errorf("share %q: %d %s", fte, r.StatusCode, r.Header.Get("Location"))
			}
			if _, page := get(t, leader, s.URL+teamPage); !strings.Contains(page, msg) || !strings.Contains(page, `id="error-summary"`) {
				t.Errorf("share %q: no problem %q on the team page", fte, msg)
			}
			if n := countRows(t, db, "SELECT COUNT(*) FROM followup_members WHERE team_id = ?", team); n != 0 {
				t.Fatalf("share %q: %d members stored", fte, n)
			}
		}

		add := url.Values{"user": {itoa(staff)}, "role": {"erfaringskonsulent"}, "fte": {"0,5"}, "employer": {"kommune"}}
		if r := post(worker, members, add); r.StatusCode != http.StatusForbidden {
			t.Errorf("a follow-up worker adds a member: %d", r.StatusCode)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM followup_members WHERE team_id = ?", team); n != 0 {
			t.Fatal("a refused member was stored")
		}
		if r := post(leader, members, add); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != teamPage {
			t.Fatalf("add a member: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM followup_members WHERE team_id = ? AND user_id = ? AND role = 'erfaringskonsulent' AND fte = 0.5 AND employer = 'kommune'", team, staff); n != 1 {
			t.Fatalf("members as added: %d, want 1", n)
		}
		if _, page := get(t, leader, s.URL+teamPage); !strings.Contains(page, "Medlemmet er lagt til i teamet.") || !strings.Contains(page, "<td>Siri Saksbehandler</td>") {
			t.Error("no confirmation or no member on the team page after adding")
		}
	})
}
