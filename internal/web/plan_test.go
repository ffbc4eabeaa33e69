package web_test

import (
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/store"
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
