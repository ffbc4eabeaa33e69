package web_test

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
