package web_test

// Transitions, temporary housing and home visits in the authorization
// matrix: the housing office, the follow-up teams and their leaders plan
// transitions and stays; property staff, the follow-up teams and leaders
// make home visits; property staff close technical findings and the
// team the rest (a leader either); the report and the figures are open to
// every staff role, never to the resident.
func init() {
	planners := only("demo-saksbehandler", "demo-oppfolging", "demo-enhetsleder")
	visitors := only("demo-eiendom", "demo-oppfolging", "demo-enhetsleder")
	registerReaders := only("demo-saksbehandler", "demo-eiendom", "demo-oppfolging", "demo-enhetsleder", "demo-planlegger", "demo-tilsyn", "tilsyn+formål")
	figures := only("demo-saksbehandler", "demo-eiendom", "demo-oppfolging", "demo-enhetsleder", "demo-planlegger", "demo-admin", "demo-tilsyn", "tilsyn+formål")
	listReaders := only("demo-saksbehandler", "demo-eiendom", "demo-oppfolging", "demo-enhetsleder", "demo-tilsyn", "tilsyn+formål")
	leaders := only("demo-enhetsleder", "demo-admin")
	// The transition asked for is the demo's first discharge from an institution:
	// health data, which only the follow-up team (with the person's
	// consent) and a supervisor with a stated purpose may see or change.
	healthReaders := only("demo-oppfolging", "tilsyn+formål")
	healthPlanners := only("demo-oppfolging")
	for route, want := range map[string]func(string, string) bool{
		"GET /bosikring/overganger":                  registerReaders,
		"POST /bosikring/overganger":                 planners,
		"POST /bosikring/overganger/{id}/mote":       healthPlanners,
		"POST /bosikring/overganger/{id}/utfall":     healthPlanners,
		"GET /bosikring/midlertidig":                 figures,
		"POST /bosikring/midlertidig":                planners,
		"POST /bosikring/midlertidig/{id}/avslutt":   planners,
		"POST /bosikring/grenser":                    leaders,
		"GET /bosikring/besok":                       visitors,
		"POST /bosikring/besok":                      visitors,
		"POST /bosikring/besok/oppgaver/{id}/utfort": only("demo-eiendom", "demo-enhetsleder"),
		"GET /api/v1/transitions":                    listReaders,
		"POST /api/v1/transitions":                   planners,
		"GET /api/v1/transitions/offers":             figures,
		"GET /api/v1/transitions/report":             figures,
		"GET /api/v1/transitions/settings":           figures,
		"PUT /api/v1/transitions/settings":           leaders,
		"GET /api/v1/transitions/{id}":               healthReaders,
		"POST /api/v1/transitions/{id}/meeting":      healthPlanners,
		"POST /api/v1/transitions/{id}/outcome":      healthPlanners,
		"GET /api/v1/temporary-stays":                listReaders,
		"POST /api/v1/temporary-stays":               planners,
		"GET /api/v1/temporary-stays/planning":       figures,
		"GET /api/v1/temporary-stays/per-person":     listReaders,
		"POST /api/v1/temporary-stays/{id}/end":      planners,
		"GET /api/v1/home-checks":                    visitors,
		"POST /api/v1/home-checks":                   visitors,
		"GET /api/v1/home-checks/due":                visitors,
		"GET /api/v1/home-checks/tasks":              visitors,
		"POST /api/v1/home-checks/tasks/{id}/done":   only("demo-eiendom", "demo-enhetsleder"),
	} {
		expect[route] = want
	}
}
