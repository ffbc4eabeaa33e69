package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Activities and the staff register in the authorization matrix: the
// follow-up worker and the unit leader use the calendar; only the resident
// uses their own; the register is read by the team's members and leaders
// and changed only by leaders (the demo's unit leader, who also leads the
// Housing First team).
func init() {
	resident := only("demo-beboer")
	leader := only("demo-enhetsleder")
	for route, want := range map[string]func(string, string) bool{
		"GET /aktiviteter":                                        followupWorkers,
		"POST /aktiviteter":                                       followupWorkers,
		"GET /aktiviteter/{id}":                                   followupWorkers,
		"POST /aktiviteter/{id}/pameldinger":                      followupWorkers,
		"POST /aktiviteter/{id}/trekk":                            followupWorkers,
		"POST /aktiviteter/{id}/oppmote":                          followupWorkers,
		"GET /min-side/aktiviteter":                               resident,
		"POST /min-side/aktiviteter/{id}/pamelding":               resident,
		"POST /min-side/aktiviteter/{id}/trekk":                   resident,
		"GET /api/v1/activities":                                  followupWorkers,
		"POST /api/v1/activities":                                 followupWorkers,
		"GET /api/v1/activities/{id}":                             followupWorkers,
		"POST /api/v1/activities/{id}/signups":                    followupWorkers,
		"POST /api/v1/activities/{id}/withdraw":                   followupWorkers,
		"PUT /api/v1/activities/{id}/attendance":                  followupWorkers,
		"GET /api/v1/me/activities":                               resident,
		"POST /api/v1/me/activities/{id}/signup":                  resident,
		"POST /api/v1/me/activities/{id}/withdraw":                resident,
		"GET /oppfolging/team/{id}/personal":                      followupWorkers,
		"POST /oppfolging/team/{id}/personal/kompetanse":          leader,
		"POST /oppfolging/team/{id}/personal/opplaering":          leader,
		"POST /oppfolging/team/{id}/personal/veiledning":          leader,
		"POST /oppfolging/team/{id}/personal/hms":                 leader,
		"POST /oppfolging/team/{id}/personal/risiko":              leader,
		"GET /api/v1/followup/teams/{id}/staff":                   followupWorkers,
		"POST /api/v1/followup/teams/{id}/staff/competences":      leader,
		"PUT /api/v1/followup/teams/{id}/staff/training":          leader,
		"POST /api/v1/followup/teams/{id}/staff/supervisions":     leader,
		"POST /api/v1/followup/teams/{id}/staff/hms-rounds":       leader,
		"POST /api/v1/followup/teams/{id}/staff/risk-assessments": leader,
	} {
		expect[route] = want
	}
}

// plantStaffwork signs canary person p up for an activity of their
// municipality (the demo's first, which the crawl opens as activity 1)
// and records a risk assessment of their home whose text carries the
// follow-up marker.
func plantStaffwork(t *testing.T, db *store.DB, muni, p int64, i int, team int64) {
	t.Helper()
	now := store.TimeArg(time.Now())
	var act int64
	if err := db.QueryRowContext(context.Background(), "SELECT COALESCE(MIN(id), 0) FROM activities WHERE municipality_id = ?", muni).Scan(&act); err != nil {
		t.Fatal(err)
	}
	if act == 0 {
		act = queryID(t, db, `INSERT INTO activities (municipality_id, team_id, title, kind, on_day, start_time, minutes, place, capacity, created_by, created_at)
			VALUES (?, ?, 'Tur', 'tur', '2026-12-01', '12:00', 60, 'Piren', 100, 'Kanari', ?) RETURNING id`, muni, team, now)
	}
	queryID(t, db, `INSERT INTO activity_signups (municipality_id, activity_id, person_id, status, by_resident, signed_up_on, signed_by, created_at)
		VALUES (?, ?, ?, 'pameldt', ?, '2026-11-01', 'Kanari', ?) RETURNING id`, muni, act, p, false, now)
	queryID(t, db, `INSERT INTO visit_risks (municipality_id, team_id, person_id, address, assessment, two_staff, measures, assessed_on, review_on, recorded_by, created_at)
		VALUES (?, ?, ?, '', ?, ?, ?, '2026-11-01', '2027-01-01', 'Kanari', ?) RETURNING id`, muni, team, p, "Risiko "+canary(access.FollowUpPlan, i), true,
		"Tiltak "+canary(access.FollowUpPlan, i), now)
}

// post sends a form and returns the status and where it redirects.
func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	r, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, r.Body)
	r.Body.Close()
	return r.StatusCode, r.Header.Get("Location")
}

// upcoming is an activity ahead with a free place the demo resident is
// not signed up for.
func upcoming(t *testing.T, db *store.DB) int64 {
	return queryID(t, db, `SELECT MIN(a.id) FROM activities a WHERE a.on_day > ? AND a.capacity >
		(SELECT COUNT(*) FROM activity_signups s WHERE s.activity_id = a.id AND s.status = 'pameldt')
		AND NOT EXISTS (SELECT 1 FROM activity_signups s WHERE s.activity_id = a.id AND s.person_id = (SELECT person_id FROM users WHERE username = 'demo-beboer'))`,
		deadline.On(time.Now()))
}

func TestActivityCalendar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		worker, resident, caseworker := s.client(t, "demo-oppfolging"), s.client(t, "demo-beboer"), s.client(t, "demo-saksbehandler")
		resp, page := get(t, worker, s.URL+"/aktiviteter")
		if resp.StatusCode != 200 || !strings.Contains(page, "Boligskolen") {
			t.Fatalf("the calendar: %d", resp.StatusCode)
		}
		if resp, _ := get(t, caseworker, s.URL+"/aktiviteter"); resp.StatusCode != 403 {
			t.Errorf("the housing office reads the calendar: %d", resp.StatusCode)
		}
		team := queryID(t, db, "SELECT MIN(id) FROM followup_teams WHERE model = 'housing_first'")
		count := func() int { return countRows(t, db, "SELECT COUNT(*) FROM activities") }
		before := count()
		// Bad input: a course in the past, nothing stored, a message naming the field.
		form := url.Values{"team": {itoa(team)}, "title": {"Kurs i budsjett"}, "kind": {"kurs_okonomi"}, "on": {"2020-01-01"}, "start_time": {"18:00"},
			"minutes": {"90"}, "place": {"Kaffekroken"}, "capacity": {"2"}}
		if code, to := post(t, worker, s.URL+"/aktiviteter", form); code != 303 || to != "/aktiviteter" {
			t.Fatalf("a course in the past: %d %s", code, to)
		}
		if _, page := get(t, worker, s.URL+"/aktiviteter"); !strings.Contains(page, "dato: 01.01.2020 har vært") {
			t.Error("no message for a course in the past")
		}
		if count() != before {
			t.Fatal("a course in the past was stored")
		}
		form.Set("on", deadline.On(time.Now()).AddDays(3).String())
		code, to := post(t, worker, s.URL+"/aktiviteter", form)
		if code != 303 || !strings.HasPrefix(to, "/aktiviteter/") {
			t.Fatalf("a new course: %d %s", code, to)
		}
		act := queryID(t, db, "SELECT MAX(id) FROM activities")
		// Staff sign a resident up only with the resident's yes.
		fu := followUpOf(t, db)
		person := queryID(t, db, "SELECT person_id FROM followups WHERE id = ?", fu)
		post(t, worker, fmt.Sprintf("%s/aktiviteter/%d/pameldinger", s.URL, act), url.Values{"person": {itoa(person)}})
		if _, page := get(t, worker, fmt.Sprintf("%s/aktiviteter/%d", s.URL, act)); !strings.Contains(page, "samtykke: kryss av") {
			t.Error("no message for a sign-up without the resident's yes")
		}
		if code, _ := post(t, worker, fmt.Sprintf("%s/aktiviteter/%d/pameldinger", s.URL, act), url.Values{"person": {itoa(person)}, "agreed": {"ja"}}); code != 303 {
			t.Fatalf("sign-up by staff: %d", code)
		}
		// The resident fills the second place on Min side; a third is refused.
		if resp, page := get(t, resident, s.URL+"/min-side/aktiviteter"); resp.StatusCode != 200 || !strings.Contains(page, "Kurs i budsjett") {
			t.Fatalf("Min side: %d", resp.StatusCode)
		}
		if code, to := post(t, resident, fmt.Sprintf("%s/min-side/aktiviteter/%d/pamelding", s.URL, act), nil); code != 303 || to != "/min-side/aktiviteter" {
			t.Fatalf("the resident signs up: %d %s", code, to)
		}
		other := queryID(t, db, "SELECT MIN(person_id) FROM followups WHERE team_id = ? AND person_id <> ? AND status <> 'avsluttet' AND person_id <> (SELECT person_id FROM users WHERE username = 'demo-beboer')", team, person)
		c := loadContract(t, s)
		code, b := c.call(t, worker, "POST", fmt.Sprintf("%s/api/v1/activities/%d/signups", s.URL, act), fmt.Sprintf(`{"person_id":%d,"agreed":true}`, other), "")
		if code != 422 || !strings.Contains(string(b), "aktiviteten er full") {
			t.Errorf("a sign-up above capacity: %d %s", code, b)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM activity_signups WHERE activity_id = ?", act); n != 2 {
			t.Fatalf("%d sign-ups, want 2", n)
		}
		// Attendance comes after the activity, and only for those signed up.
		code, b = c.call(t, worker, "PUT", fmt.Sprintf("%s/api/v1/activities/%d/attendance", s.URL, act), fmt.Sprintf(`{"marks":[{"person_id":%d,"attended":true}]}`, person), "")
		if code != 422 || !strings.Contains(string(b), "føres etter aktiviteten") {
			t.Errorf("attendance before the day: %d %s", code, b)
		}
		past := queryID(t, db, `SELECT MIN(a.id) FROM activities a WHERE a.on_day < ? AND a.team_id = ? AND EXISTS (SELECT 1 FROM activity_signups s WHERE s.activity_id = a.id)`,
			deadline.On(time.Now()), team)
		signed := queryID(t, db, "SELECT MIN(person_id) FROM activity_signups WHERE activity_id = ? AND status = 'pameldt'", past)
		stranger := queryID(t, db, "SELECT MIN(id) FROM persons WHERE id NOT IN (SELECT person_id FROM activity_signups WHERE activity_id = ?)", past)
		code, b = c.call(t, worker, "PUT", fmt.Sprintf("%s/api/v1/activities/%d/attendance", s.URL, past),
			fmt.Sprintf(`{"marks":[{"person_id":%d,"attended":true},{"person_id":%d,"attended":true}]}`, signed, stranger), "")
		if code != 422 || !strings.Contains(string(b), "er ikke påmeldt aktiviteten") {
			t.Errorf("attendance for someone not signed up: %d %s", code, b)
		}
		if code, to := post(t, worker, fmt.Sprintf("%s/aktiviteter/%d/oppmote", s.URL, past), url.Values{"signed": {itoa(signed)}}); code != 303 || !strings.HasSuffix(to, itoa(past)) {
			t.Fatalf("attendance: %d %s", code, to)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM activity_signups WHERE activity_id = ? AND person_id = ? AND attended = FALSE", past, signed); n != 1 {
			t.Error("not coming was not recorded")
		}
		// A sign-up for a course in the past is refused.
		code, b = c.call(t, resident, "POST", fmt.Sprintf("%s/api/v1/me/activities/%d/signup", s.URL, past), "", "")
		if code != 422 || !strings.Contains(string(b), "er over") {
			t.Errorf("a sign-up for the past: %d %s", code, b)
		}
		// The resident withdraws; the calendar and their own page say so.
		if code, _ := post(t, resident, fmt.Sprintf("%s/min-side/aktiviteter/%d/trekk", s.URL, act), nil); code != 303 {
			t.Fatalf("withdraw: %d", code)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM activity_signups WHERE activity_id = ? AND status = 'trukket'", act); n != 1 {
			t.Error("the withdrawal was not stored")
		}
		code, b = c.call(t, resident, "GET", s.URL+"/api/v1/me/activities", "", "")
		if code != 200 || !strings.Contains(string(b), `"upcoming"`) {
			t.Errorf("the resident's calendar: %d %.200s", code, b)
		}
		code, b = c.call(t, worker, "GET", fmt.Sprintf("%s/api/v1/activities/%d", s.URL, act), "", "")
		if code != 200 || !strings.Contains(string(b), `"person_name"`) {
			t.Errorf("the activity's sign-ups: %d %.200s", code, b)
		}
		_ = upcoming(t, db)
	})
}

func TestStaffRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		leader, worker, caseworker := s.client(t, "demo-enhetsleder"), s.client(t, "demo-oppfolging"), s.client(t, "demo-saksbehandler")
		team := queryID(t, db, "SELECT MIN(id) FROM followup_teams WHERE model = 'housing_first'")
		base := fmt.Sprintf("%s/oppfolging/team/%d/personal", s.URL, team)
		resp, page := get(t, leader, base)
		if resp.StatusCode != 200 || !strings.Contains(page, `id="overdue"`) || !strings.Contains(page, "HMS-runde") {
			t.Fatalf("the leader's register: %d", resp.StatusCode)
		}
		resp, page = get(t, worker, base)
		if resp.StatusCode != 200 || strings.Contains(page, "Veiledningslogg") || !strings.Contains(page, "Olav Oppfølger") {
			t.Fatalf("the member's own lines: %d", resp.StatusCode)
		}
		if resp, _ := get(t, caseworker, base); resp.StatusCode != 403 {
			t.Errorf("the housing office reads the register: %d", resp.StatusCode)
		}
		olav := queryID(t, db, "SELECT id FROM users WHERE username = 'demo-oppfolging'")
		rows := func(table string) int { return countRows(t, db, "SELECT COUNT(*) FROM "+table) }
		for _, c := range []struct {
			path, table, msg string
			form             url.Values
		}{
			{"/kompetanse", "staff_competences", "utløpsdatoen (01.01.2026) kan ikke være før",
				url.Values{"user": {itoa(olav)}, "competence": {"mi"}, "taken_on": {"2026-02-01"}, "expires_on": {"2026-01-01"}}},
			{"/hms", "hms_measures", "tiltak 1: ansvarlig mangler",
				url.Values{"held_on": {"2026-02-01"}, "findings": {"Mørk trapp"}, "what_1": {"Lys i trappen"}, "due_1": {"2026-03-01"}}},
			{"/risiko", "visit_risks", "ny vurdering: velg datoen",
				url.Values{"address": {"Storgata 1"}, "assessment": {"Hund"}, "assessed_on": {"2026-02-01"}}},
		} {
			before := rows(c.table)
			if code, _ := post(t, leader, base+c.path, c.form); code != 303 {
				t.Fatalf("%s: %d", c.path, code)
			}
			if _, page := get(t, leader, base); !strings.Contains(page, c.msg) {
				t.Errorf("%s: no message %q", c.path, c.msg)
			}
			if rows(c.table) != before {
				t.Errorf("%s: stored despite bad input", c.path)
			}
		}
		if code, _ := post(t, worker, base+"/kompetanse", url.Values{"user": {itoa(olav)}, "competence": {"mi"}, "taken_on": {"2026-02-01"}}); code != 403 {
			t.Errorf("a member changes the register: %d", code)
		}
		// A home assessed as needing two staff: a visit by one is refused.
		fu := followUpOf(t, db)
		person := queryID(t, db, "SELECT person_id FROM followups WHERE id = ?", fu)
		today := deadline.On(time.Now())
		form := url.Values{"person": {itoa(person)}, "assessment": {"Truet ansatte"}, "two_staff": {"ja"}, "assessed_on": {today.AddDays(-1).String()},
			"review_on": {today.AddDays(60).String()}}
		if code, _ := post(t, leader, base+"/risiko", form); code != 303 || countRows(t, db, "SELECT COUNT(*) FROM visit_risks WHERE person_id = ?", person) != 1 {
			t.Fatalf("the risk assessment was not stored: %d", code)
		}
		c := loadContract(t, s)
		code, b := c.call(t, worker, "POST", fmt.Sprintf("%s/api/v1/followups/%d/contacts", s.URL, fu), `{"kind":"hjemmebesok","minutes":30}`, "")
		if code != 422 || !strings.Contains(string(b), "krever to ansatte på hjemmebesøk") {
			t.Errorf("a visit by one to a home needing two: %d %s", code, b)
		}
		code, b = c.call(t, worker, "POST", fmt.Sprintf("%s/api/v1/followups/%d/contacts", s.URL, fu), `{"kind":"telefon","minutes":10}`, "")
		if code != 201 {
			t.Errorf("a phone call is no visit: %d %s", code, b)
		}
		peer := queryID(t, db, "SELECT MIN(user_id) FROM followup_members WHERE team_id = ? AND user_id <> ?", team, olav)
		code, b = c.call(t, worker, "POST", fmt.Sprintf("%s/api/v1/followups/%d/contacts", s.URL, fu), fmt.Sprintf(`{"kind":"hjemmebesok","minutes":30,"staff_ids":[%d]}`, peer), "")
		if code != 201 {
			t.Errorf("a visit by two: %d %s", code, b)
		}
		// An assessment of the address the resident is registered at
		// governs too, however the address is written.
		fu2 := queryID(t, db, `SELECT MIN(f.id) FROM followups f JOIN followup_teams t ON t.id = f.team_id WHERE t.model = 'housing_first'
			AND f.status = 'aktiv' AND f.id <> ? AND f.primary_id = ?`, fu, olav)
		person2 := queryID(t, db, "SELECT person_id FROM followups WHERE id = ?", fu2)
		if _, err := db.ExecContext(context.Background(), "UPDATE persons SET address = 'Fjordgata 3' WHERE id = ?", person2); err != nil {
			t.Fatal(err)
		}
		form = url.Values{"address": {" fjordgata 3 "}, "assessment": {"Mørk trapp, salg av rus"}, "two_staff": {"ja"}, "assessed_on": {today.String()},
			"review_on": {today.AddDays(90).String()}}
		if code, _ := post(t, leader, base+"/risiko", form); code != 303 || countRows(t, db, "SELECT COUNT(*) FROM visit_risks WHERE address = 'fjordgata 3'") != 1 {
			t.Fatalf("the address assessment was not stored: %d", code)
		}
		code, b = c.call(t, worker, "POST", fmt.Sprintf("%s/api/v1/followups/%d/contacts", s.URL, fu2), `{"kind":"hjemmebesok","minutes":30}`, "")
		if code != 422 || !strings.Contains(string(b), "krever to ansatte") {
			t.Errorf("a visit by one to an address needing two: %d %s", code, b)
		}
		// A late HMS measure is marked done; done twice is refused.
		measure := queryID(t, db, `SELECT MIN(m.id) FROM hms_measures m JOIN hms_rounds r ON r.id = m.round_id WHERE r.team_id = ? AND m.done_on IS NULL`, team)
		if code, _ := post(t, leader, base+"/hms/utfort", url.Values{"measure": {itoa(measure)}}); code != 303 ||
			countRows(t, db, "SELECT COUNT(*) FROM hms_measures WHERE id = ? AND done_on IS NOT NULL", measure) != 1 {
			t.Errorf("the measure was not marked done: %d", code)
		}
		code, b = c.call(t, leader, "POST", fmt.Sprintf("%s/api/v1/followup/teams/%d/staff/hms-measures/done", s.URL, team), fmt.Sprintf(`{"measure_id":%d}`, measure), "")
		if code != 422 || !strings.Contains(string(b), "ikke er utført") {
			t.Errorf("a measure done twice: %d %s", code, b)
		}
		// The API: the register, and a training line.
		code, b = c.call(t, leader, "GET", fmt.Sprintf("%s/api/v1/followup/teams/%d/staff", s.URL, team), "", "")
		if code != 200 || !strings.Contains(string(b), `"training_overdue"`) || !strings.Contains(string(b), "Truet ansatte") {
			t.Errorf("the register in the API: %d %.300s", code, b)
		}
		code, b = c.call(t, leader, "PUT", fmt.Sprintf("%s/api/v1/followup/teams/%d/staff/training", s.URL, team), `{"competence":"fit","every_months":0,"first_due_on":"2027-06-01"}`, "")
		if code != 200 {
			t.Errorf("a training line: %d %s", code, b)
		}
		code, b = c.call(t, leader, "POST", fmt.Sprintf("%s/api/v1/followup/teams/%d/staff/supervisions", s.URL, team),
			fmt.Sprintf(`{"held_on":"%s","kind":"individuell","supervisor":"DPS","user_ids":[%d,%d]}`, today, olav, peer), "")
		if code != 422 || !strings.Contains(string(b), "individuell veiledning gjelder én ansatt") {
			t.Errorf("individual supervision of two: %d %s", code, b)
		}
	})
}
