package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Plans: the follow-up's workers (the follow-up worker and the team
// leader) write them; a supervisor with a stated purpose reads them;
// property staff and the housing office never see them; the resident
// reads their own on Min side and comments there.
func init() {
	record := only("demo-oppfolging", "demo-enhetsleder", "tilsyn+formål")
	leaders := only("demo-enhetsleder", "demo-admin")
	resident := only("demo-beboer")
	for route, want := range map[string]func(string, string) bool{
		"GET /oppfolging/{id}/planer/oversikt":          record,
		"POST /oppfolging/{id}/planer":                  followupWorkers,
		"POST /oppfolging/{id}/planer/mal":              followupWorkers,
		"POST /oppfolging/{id}/planer/tiltak":           followupWorkers,
		"POST /oppfolging/{id}/planer/gjennomgang":      followupWorkers,
		"POST /oppfolging/{id}/planer/koordinator":      followupWorkers,
		"POST /oppfolging/{id}/planer/delplan":          followupWorkers,
		"POST /oppfolging/{id}/planer/medlem":           followupWorkers,
		"POST /oppfolging/{id}/planer/mote":             followupWorkers,
		"POST /oppfolging/{id}/planer/oppgave":          followupWorkers,
		"POST /oppfolging/{id}/planer/gjort":            followupWorkers,
		"POST /oppfolging/{id}/planer/kommentar":        followupWorkers,
		"POST /oppfolging/planer/innstillinger":         leaders,
		"GET /min-side/planer":                          resident,
		"POST /min-side/planer":                         resident,
		"GET /api/v1/followups/{id}/plans":              record,
		"POST /api/v1/followups/{id}/plans":             followupWorkers,
		"POST /api/v1/followups/{id}/plans/goals":       followupWorkers,
		"POST /api/v1/followups/{id}/plans/measures":    followupWorkers,
		"POST /api/v1/followups/{id}/plans/reviews":     followupWorkers,
		"POST /api/v1/followups/{id}/plans/coordinator": followupWorkers,
		"POST /api/v1/followups/{id}/plans/parts":       followupWorkers,
		"POST /api/v1/followups/{id}/plans/members":     followupWorkers,
		"POST /api/v1/followups/{id}/plans/meetings":    followupWorkers,
		"POST /api/v1/followups/{id}/plans/tasks":       followupWorkers,
		"POST /api/v1/followups/{id}/plans/done":        followupWorkers,
		"POST /api/v1/followups/{id}/plans/comments":    followupWorkers,
		"GET /api/v1/followup/plan-settings":            notResident,
		"PUT /api/v1/followup/plan-settings":            leaders,
		"GET /api/v1/me/plans":                          resident,
		"POST /api/v1/me/plans/comments":                resident,
	} {
		expect[route] = want
	}
}

// plantPlans gives scenario person i's follow-up an action plan, an
// individual plan, a crisis plan (its warning signs are health) and a
// responsibility group, with a marker in every free-text field.
func plantPlans(t *testing.T, db *store.DB, muni, fu, p int64, i int) {
	now := store.TimeArg(time.Now())
	fp := canary(access.FollowUpPlan, i)
	consent := queryID(t, db, `INSERT INTO consents (municipality_id, person_id, recipient_unit_id, purpose, categories, given_at)
		VALUES (?, ?, (SELECT org_unit_id FROM followup_teams WHERE id = (SELECT team_id FROM followups WHERE id = ?)), 'Individuell plan', 'oppfolging', ?) RETURNING id`,
		muni, p, fu, now)
	for _, kind := range []string{"handlingsplan", "individuell_plan", "kriseplan", "ansvarsgruppe"} {
		var c any
		if kind == "individuell_plan" {
			c = consent
		}
		id := queryID(t, db, `INSERT INTO plans (municipality_id, followup_id, person_id, kind, title, start_on, review_months, next_review_on, consent_id,
			coordinator_name, coordinator_agreed, warning_signs, what_helps, who_to_call, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, '2026-10-01', 1, '2026-11-01', ?, 'Kanari', ?, ?, ?, ?, 'Kanari', ?) RETURNING id`, muni, fu, p, kind, "Tittel "+fp, c,
			"Valgt "+fp, "Varsel "+canary(access.Health, i), "Hjelper "+fp, "Ring "+fp, now)
		queryID(t, db, `INSERT INTO plan_goals (municipality_id, plan_id, words, dimensions, area, created_by, created_at) VALUES (?, ?, ?, 'hap', 'arbeid', 'Kanari', ?) RETURNING id`,
			muni, id, "Mål "+fp, now)
		queryID(t, db, `INSERT INTO plan_measures (municipality_id, plan_id, what, responsible, due_on, created_at) VALUES (?, ?, ?, ?, '2026-12-01', ?) RETURNING id`,
			muni, id, "Tiltak "+fp, "Ansvar "+fp, now)
		queryID(t, db, `INSERT INTO plan_reviews (municipality_id, plan_id, reviewed_on, summary, next_review_on, reviewed_by, created_at)
			VALUES (?, ?, '2026-11-01', ?, '2026-12-01', 'Kanari', ?) RETURNING id`, muni, id, "Gjennomgang "+fp, now)
		queryID(t, db, `INSERT INTO plan_comments (municipality_id, plan_id, kind, body, by_resident, author, created_at) VALUES (?, ?, 'forslag', ?, ?, 'Kanari', ?) RETURNING id`,
			muni, id, "Forslag "+fp, true, now)
		queryID(t, db, `INSERT INTO plan_parts (municipality_id, plan_id, kind, reference, held_by, created_at) VALUES (?, ?, 'behandlingsplan', ?, ?, ?) RETURNING id`,
			muni, id, "Referanse "+fp, "DPS "+fp, now)
		queryID(t, db, `INSERT INTO plan_members (municipality_id, plan_id, name, agency, role, created_at) VALUES (?, ?, ?, 'kommune', ?, ?) RETURNING id`,
			muni, id, "Medlem "+fp, "Rolle "+fp, now)
		queryID(t, db, `INSERT INTO plan_meetings (municipality_id, plan_id, held_on, agenda, minutes, created_by, created_at) VALUES (?, ?, '2026-11-01', ?, ?, 'Kanari', ?) RETURNING id`,
			muni, id, "Saksliste "+fp, "Referat "+fp, now)
		queryID(t, db, `INSERT INTO plan_tasks (municipality_id, plan_id, what, owner, due_on, created_at) VALUES (?, ?, ?, ?, '2026-12-01', ?) RETURNING id`,
			muni, id, "Oppgave "+fp, "Eier "+fp, now)
	}
}

// The plans' API against the contract: staff read and write a follow-up's
// plans, bad input is refused with a Norwegian message and nothing is
// stored, the resident reads and comments on their own, and property
// staff are refused.
func TestPlanAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := loadContract(t, s)
		worker, resident, caretaker := s.client(t, "demo-oppfolging"), s.client(t, "demo-beboer"), s.client(t, "demo-eiendom")
		base := s.URL + "/api/v1"
		fu := queryID(t, db, `SELECT MIN(f.id) FROM followups f JOIN users u ON u.person_id = f.person_id WHERE u.username = 'demo-beboer' AND f.status <> 'avsluttet'`)
		today := deadline.On(time.Now())
		want := func(got, code int, what string, b []byte) {
			t.Helper()
			if got != code {
				t.Errorf("%s: %d, want %d: %s", what, got, code, b)
			}
		}
		plansURL := fmt.Sprintf("%s/followups/%d/plans", base, fu)
		code, b := c.call(t, worker, "GET", plansURL, "", "")
		want(code, 200, "the follow-up's plans", b)
		if !strings.Contains(string(b), "Jeg vil bo her lenge og få meg en jobb i nærheten. Og ha en katt.") || !strings.Contains(string(b), `"warning_signs":"Slutter`) {
			t.Errorf("the demo resident's plans: %.400s", b)
		}
		code, b = c.call(t, caretaker, "GET", plansURL, "", "")
		want(code, 403, "property staff", b)

		// Bad input: a clear Norwegian message, nothing stored.
		before := countRows(t, db, "SELECT COUNT(*) FROM plans")
		for body, msg := range map[string]string{
			`{"kind":"handlingsplan","start_on":"` + today.String() + `"}`: "minst ett mål",
			`{"kind":"handlingsplan","start_on":"` + today.String() + `","first_review_on":"` + today.AddDays(-1).String() + `","goal":{"words":"Jobb","area":"arbeid"}}`: "kan ikke være før planen starter",
			`{"kind":"individuell_plan","start_on":"` + today.String() + `","goal":{"words":"Bo her","area":"bolig"}}`:                                                    "samtykke",
		} {
			code, b := c.call(t, worker, "POST", plansURL, body, "")
			if code != 422 || !strings.Contains(string(b), msg) {
				t.Errorf("%s: %d %s, want 422 naming %q", body, code, b, msg)
			}
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM plans"); n != before {
			t.Errorf("%d plans stored after refusals", n-before)
		}

		// A responsibility group refuses the police without consent.
		code, b = c.call(t, worker, "POST", plansURL, `{"kind":"ansvarsgruppe","start_on":"`+today.String()+`","title":"Gruppe"}`, "")
		want(code, 201, "a responsibility group", b)
		var made struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(b, &made); err != nil {
			t.Fatal(err)
		}
		code, b = c.call(t, worker, "POST", plansURL+"/members", fmt.Sprintf(`{"plan_id":%d,"name":"Politikontakt","agency":"politi"}`, made.ID), "")
		if code != 422 || !strings.Contains(string(b), "samtykket") {
			t.Errorf("the police without consent: %d %s", code, b)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM plan_members WHERE plan_id = ?", made.ID); n != 0 {
			t.Errorf("%d members stored after the refusal", n)
		}
		code, b = c.call(t, worker, "POST", plansURL+"/meetings", fmt.Sprintf(`{"plan_id":%d,"held_on":"%s","agenda":"Oppstart"}`, made.ID, today), "")
		want(code, 201, "a meeting", b)
		code, b = c.call(t, worker, "POST", plansURL+"/tasks", fmt.Sprintf(`{"plan_id":%d,"what":"Ringe NAV","responsible":"Olav","due_on":"%s"}`, made.ID, today.AddDays(7)), "")
		want(code, 204, "a task", b)

		// The resident reads their own plans and proposes.
		code, b = c.call(t, resident, "GET", base+"/me/plans", "", "")
		want(code, 200, "my plans", b)
		var mine struct {
			Items []struct {
				ID   int64  `json:"id"`
				Kind string `json:"kind"`
			} `json:"items"`
		}
		if err := json.Unmarshal(b, &mine); err != nil || len(mine.Items) == 0 {
			t.Fatalf("my plans: %v %s", err, b)
		}
		code, b = c.call(t, resident, "POST", base+"/me/plans/comments", fmt.Sprintf(`{"plan_id":%d,"kind":"forslag","body":"Kan vi møtes på kafeen?"}`, mine.Items[0].ID), "")
		want(code, 204, "a proposal", b)
		other := queryID(t, db, "SELECT MIN(id) FROM plans WHERE person_id <> (SELECT person_id FROM users WHERE username = 'demo-beboer')")
		code, b = c.call(t, resident, "POST", base+"/me/plans/comments", fmt.Sprintf(`{"plan_id":%d,"kind":"kommentar","body":"Hei"}`, other), "")
		want(code, 404, "a comment on someone else's plan", b)
		code, b = c.call(t, worker, "GET", base+"/followup/alerts", "", "")
		want(code, 200, "alerts with plan alerts", b)
		if !strings.Contains(string(b), `"plan_gjennomgang"`) {
			t.Errorf("no plan review among the alerts: %.300s", b)
		}
	})
}

// TestPlanSettingsAPI: a unit leader enters the municipality's own review
// cycle and out-of-hours routes and reads them back; bad values are
// refused with a Norwegian message and change nothing, not even the part
// of the request that was good.
func TestPlanSettingsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := loadContract(t, s)
		leader, worker := s.client(t, "demo-enhetsleder"), s.client(t, "demo-oppfolging")
		url := s.URL + "/api/v1/followup/plan-settings"
		read := func() string {
			t.Helper()
			code, b := c.call(t, worker, "GET", url, "", "")
			if code != 200 {
				t.Fatalf("the settings: %d %s", code, b)
			}
			return string(b)
		}
		own := `{"review_months":2,"out_of_hours":[{"service":"Lillestrøm legevakt","phone":"64 00 00 00","from_hour":15,"until_hour":8,"note":"Ring 116 117 fra mobil"},` +
			`{"service":"Medisinsk nødtelefon","phone":"113","from_hour":0,"until_hour":24}]}`
		code, b := c.call(t, worker, "PUT", url, own, "")
		if code != 403 {
			t.Fatalf("a worker setting the settings: %d %s", code, b)
		}
		code, b = c.call(t, leader, "PUT", url, own, "")
		if code != 204 {
			t.Fatalf("the municipality's own settings: %d %s", code, b)
		}
		var got planSettingsBody
		if err := json.Unmarshal([]byte(read()), &got); err != nil {
			t.Fatal(err)
		}
		if got.ReviewMonths != 2 || len(got.OutOfHours) != 2 || got.OutOfHours[0].Phone != "113" || got.OutOfHours[1].Service != "Lillestrøm legevakt" ||
			got.OutOfHours[1].Note != "Ring 116 117 fra mobil" || !got.OutOfHours[1].Custom {
			t.Fatalf("the settings read back: %+v", got)
		}
		after := read()
		for body, msg := range map[string]string{
			`{"review_months":13}`: "1–12 måneder",
			`{"review_months":0}`:  "1–12 måneder",
			`{"review_months":4,"out_of_hours":[{"service":"Legevakt","phone":"","from_hour":15,"until_hour":8}]}`:         "linje 1: skriv tjenesten og telefonnummeret",
			`{"review_months":4,"out_of_hours":[{"service":"Legevakt","phone":"116 117","from_hour":15,"until_hour":30}]}`: "timene må være mellom 0 og 24",
		} {
			code, b := c.call(t, leader, "PUT", url, body, "")
			if code != 422 || !strings.Contains(string(b), msg) {
				t.Errorf("%s: %d %s, want 422 naming %q", body, code, b, msg)
			}
		}
		if got := read(); got != after {
			t.Errorf("the settings changed after refusals:\n%s\nwas\n%s", got, after)
		}
	})
}

type planSettingsBody struct {
	ReviewMonths int `json:"review_months"`
	OutOfHours   []struct {
		Service string `json:"service"`
		Phone   string `json:"phone"`
		Note    string `json:"note"`
		Custom  bool   `json:"custom"`
	} `json:"out_of_hours"`
}

// TestPlansPageCoordinatorChoices: the choice of an individual plan's
// coordinator offers only team members whose role coordinates services,
// never the team's peer worker (erfaringskonsulent).
func TestPlansPageCoordinatorChoices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := loadContract(t, s)
		worker := s.client(t, "demo-oppfolging")
		fu := queryID(t, db, `SELECT MIN(f.id) FROM followups f JOIN users u ON u.person_id = f.person_id WHERE u.username = 'demo-beboer' AND f.status <> 'avsluttet'`)
		now := store.TimeArg(time.Now())
		peer := queryID(t, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at)
			SELECT f.municipality_id, t.org_unit_id, 'per-erfaring', 'Per Erfaringsen', 'oppfolging', ? FROM followups f JOIN followup_teams t ON t.id = f.team_id WHERE f.id = ? RETURNING id`, now, fu)
		queryID(t, db, `INSERT INTO followup_members (municipality_id, team_id, user_id, name, role, fte, employer)
			SELECT municipality_id, team_id, ?, 'Per Erfaringsen', 'erfaringskonsulent', 0.5, 'kommune' FROM followups WHERE id = ? RETURNING id`, peer, fu)
		today := deadline.On(time.Now())
		code, b := c.call(t, worker, "POST", fmt.Sprintf("%s/api/v1/followups/%d/plans", s.URL, fu),
			`{"kind":"individuell_plan","start_on":"`+today.String()+`","consent":true,"goal":{"words":"Bo her","area":"bolig"}}`, "")
		if code != 201 {
			t.Fatalf("an individual plan: %d %s", code, b)
		}
		resp, body := get(t, worker, fmt.Sprintf("%s/oppfolging/%d/planer/oversikt", s.URL, fu))
		if resp.StatusCode != 200 {
			t.Fatalf("the plans page: %d", resp.StatusCode)
		}
		i := strings.Index(body, `name="coordinator"`)
		if i < 0 {
			t.Fatal("no choice of coordinator on the plans page")
		}
		choices := body[i : i+strings.Index(body[i:], "</select>")]
		var manager string
		if err := db.QueryRowContext(t.Context(), `SELECT COALESCE(MIN(m.name), '') FROM followup_members m JOIN followups f ON f.team_id = m.team_id
			WHERE f.id = ? AND m.role = 'miljoarbeider'`, fu).Scan(&manager); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(choices, "Per Erfaringsen") {
			t.Errorf("the peer worker is offered as coordinator: %s", choices)
		}
		if manager == "" || !strings.Contains(choices, ">"+manager+"<") {
			t.Errorf("the case manager %q is not offered: %s", manager, choices)
		}
	})
}
