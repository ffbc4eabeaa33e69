package web_test

// Keeping the home: everyone who sees named persons opens the risk list
// and moving on (each sees only the persons and reasons their access
// allows); the housing office, the property staff and the unit's leader
// decide renewals; staff record plans and credit checks (the rules then
// ask for finances and consent).
func init() {
	deciders := only("demo-saksbehandler", "demo-eiendom", "demo-enhetsleder")
	letter := only("demo-saksbehandler", "demo-eiendom", "tilsyn+formål") // the demo's first decision: a resident the leader's unit has no role for
	mine := only("demo-saksbehandler", "demo-eiendom")                    // deciders with a role for that resident
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
		// Move decisions, the letter's notification and appeals: those who
		// decide renewals, for the persons their unit has a role for; the
		// resident appeals their own ({id} 1 is another resident's
		// decision, so Min side answers 404 for it).
		"POST /bosikring/videre/flytting":                deciders,
		"POST /bosikring/videre/vedtak/{id}/sendt":       mine,
		"POST /bosikring/videre/vedtak/{id}/klage":       mine,
		"POST /bosikring/videre/klage/{id}":              mine,
		"GET /min-side/bolig":                            only("demo-beboer"),
		"POST /min-side/bolig/{id}/klage":                only(),
		"GET /min-side/bolig/{id}/brev.pdf":              only(),
		"POST /api/v1/moving-on/moves":                   deciders,
		"GET /api/v1/moving-on/decisions/{id}":           letter,
		"POST /api/v1/moving-on/decisions/{id}/notified": deciders,
		"POST /api/v1/moving-on/decisions/{id}/appeals":  only("demo-saksbehandler", "demo-eiendom", "demo-enhetsleder", "demo-beboer"),
		"POST /api/v1/moving-on/appeals/{id}/steps":      deciders,
	} {
		expect[route] = want
	}
}
