package web_test

// Keeping the home: everyone who sees named persons opens the risk list
// and moving on (each sees only the persons and reasons their access
// allows); the housing office, the property staff and the unit's leader
// decide renewals; staff record plans and credit checks (the rules then
// ask for finances and consent).
func init() {
	deciders := only("demo-saksbehandler", "demo-eiendom", "demo-enhetsleder")
	letter := only("demo-saksbehandler", "demo-eiendom", "tilsyn+formål") // the demo's first decision: a resident the leader's unit has no role for
	for route, want := range map[string]func(string, string) bool{
		"GET /bosikring":                                 seesLists,
		"GET /bosikring/videre":                          seesLists,
		"POST /bosikring/videre/fornyelse":               deciders,
		"POST /bosikring/videre/plan":                    staffOnly,
		"POST /bosikring/videre/kredittsjekk":            staffOnly,
		"GET /bosikring/videre/vedtak/{id}/brev.pdf":     letter,
		"GET /api/v1/risk":                               seesLists,
		"GET /api/v1/moving-on":                          seesLists,
		"GET /api/v1/moving-on/persons/{id}":             opens,
		"POST /api/v1/moving-on/renewals":                deciders,
		"GET /api/v1/moving-on/renewals/{id}/letter.pdf": letter,
		"POST /api/v1/moving-on/plans":                   staffOnly,
		"POST /api/v1/moving-on/credit-checks":           staffOnly,
	} {
		expect[route] = want
	}
}
