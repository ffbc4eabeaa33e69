package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Keeping the home in the authorization matrix: staff with a role for the
// resident read and register complaints; the landlord's side (the housing
// office, property staff) and leaders take and undo ladder steps; a
// supervisor with a stated purpose reads; the resident reads and answers
// only the complaints about them; planners and administrators see none.
func init() {
	readers := only("demo-saksbehandler", "demo-eiendom", "demo-oppfolging", "demo-enhetsleder", "tilsyn+formål")
	ladder := only("demo-saksbehandler", "demo-eiendom", "demo-enhetsleder")
	resident := only("demo-beboer")
	for route, want := range map[string]func(string, string) bool{
		"GET /bosikring/klager":                                     seesLists,
		"POST /bosikring/klager":                                    staffOnly,
		"POST /bosikring/klager/{id}/informert":                     staffOnly,
		"POST /bosikring/klager/{id}/avslutt":                       staffOnly,
		"GET /bosikring/eskalering":                                 seesLists,
		"GET /bosikring/leieforhold/{id}":                           readers,
		"POST /bosikring/leieforhold/{id}/trinn":                    ladder,
		"POST /bosikring/leieforhold/{id}/stopp":                    ladder,
		"POST /bosikring/leieforhold/{id}/oppsigelse-fra-leietaker": staffOnly,
		"POST /bosikring/trinn/{id}/tilbake":                        ladder,
		"GET /bosikring/trinn/{id}/brev":                            readers,
		"GET /bosikring/trinn/{id}/brev.pdf":                        readers,
		"GET /min-side/klager":                                      resident,
		"POST /min-side/klager/{id}/svar":                           resident,
		"GET /api/v1/complaints":                                    seesLists,
		"POST /api/v1/complaints":                                   staffOnly,
		"POST /api/v1/complaints/{id}/informed":                     staffOnly,
		"POST /api/v1/complaints/{id}/close":                        staffOnly,
		"GET /api/v1/tenancy-leases/{id}":                           readers,
		"POST /api/v1/tenancy-leases/{id}/steps":                    ladder,
		"POST /api/v1/tenancy-leases/{id}/stop":                     ladder,
		"POST /api/v1/tenancy-leases/{id}/tenant-notice":            staffOnly,
		"GET /api/v1/tenancy-steps":                                 seesLists,
		"POST /api/v1/tenancy-steps/{id}/rollback":                  ladder,
		"GET /api/v1/tenancy-steps/{id}/letter":                     readers,
		"GET /api/v1/tenancy-steps/{id}/letter/pdf":                 readers,
		"GET /api/v1/me/complaints":                                 resident,
		"POST /api/v1/me/complaints/{id}/replies":                   resident,
		"POST /bosikring/oppsigelser/{id}/samtale":                  staffOnly,
		"GET /api/v1/tenancy-conversations":                         seesLists,
		"POST /api/v1/tenancy-conversations/{id}/held":              staffOnly,
	} {
		expect[route] = want
	}
}

// tenancyWorld gives the active-case person a lease with a complaint and
// a warning, and the resident's own lease a complaint.
func tenancyWorld(t *testing.T, db *store.DB, mid, person, self int64) map[string]int64 {
	now := store.TimeArg(time.Now())
	unit := queryID(t, db, `INSERT INTO units (municipality_id, code, address, category, control, rooms, area_m2, rent_monthly, created_at, updated_at)
		VALUES (?, 'AUTZ-T1', 'Prøvevei 3', 'ordinaer', 'kf', 1, 30, 5000, ?, ?) RETURNING id`, mid, now, now)
	lease := queryID(t, db, `INSERT INTO leases (municipality_id, unit_id, start_date, rent_monthly, deposit, status, created_at)
		VALUES (?, ?, '2026-01-01', 5000, 0, 'aktiv', ?) RETURNING id`, mid, unit, now)
	if _, err := db.ExecContext(context.Background(), "INSERT INTO lease_tenants (lease_id, person_id, municipality_id) VALUES (?, ?, ?)", lease, person, mid); err != nil {
		t.Fatal(err)
	}
	handler := queryID(t, db, "SELECT id FROM users WHERE username = 'demo-saksbehandler'")
	complaint := func(lease, person int64) int64 {
		return queryID(t, db, `INSERT INTO tenancy_complaints (municipality_id, lease_id, person_id, kind, source, complainant, received_on, what, handler_id, handler_name,
			created_by, created_at) VALUES (?, ?, ?, 'stoy', 'nabo', 'Nabo Test', '2026-11-01', 'Musikk om natten', ?, 'Siri Saksbehandler', 'Test', ?) RETURNING id`,
			mid, lease, person, handler, now)
	}
	w := map[string]int64{"lease": lease, "complaint": complaint(lease, person)}
	w["step"] = queryID(t, db, `INSERT INTO tenancy_steps (municipality_id, lease_id, person_id, step, issued_on, preventive_action, preventive_by_id, preventive_by_name,
		created_by, created_at) VALUES (?, ?, ?, 'advarsel', '2026-11-02', 'Samtale', ?, 'Siri Saksbehandler', 'Test', ?) RETURNING id`, mid, lease, person, handler, now)
	w["talk"] = queryID(t, db, `INSERT INTO tenancy_tenant_notices (municipality_id, lease_id, person_id, received_on, moves_out_on, owner_id, owner_name, talk_by,
		created_by, created_at) VALUES (?, ?, ?, '2026-11-01', '2027-01-31', ?, 'Siri Saksbehandler', '2026-11-15', 'Test', ?) RETURNING id`, mid, lease, person, handler, now)
	own := queryID(t, db, "SELECT MIN(lease_id) FROM lease_tenants WHERE person_id = ?", self)
	w["own"] = complaint(own, self)
	return w
}

// tenancyPath reports whether a route path is one of the complaints' and
// the ladder's with an id (other areas share the /bosikring/ prefix).
func tenancyPath(path string) bool {
	for _, p := range []string{"/bosikring/klager/{id}", "/bosikring/leieforhold/{id}", "/bosikring/trinn/{id}", "/bosikring/oppsigelser/{id}",
		"/api/v1/complaints/{id}", "/api/v1/tenancy-leases/{id}", "/api/v1/tenancy-steps/{id}", "/api/v1/tenancy-conversations/{id}",
		"/min-side/klager/{id}", "/api/v1/me/complaints/{id}"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// tenancyKey is which of the world's ids a path takes.
func tenancyKey(path string) string {
	switch {
	case strings.Contains(path, "/min-side/klager/"), strings.Contains(path, "/me/complaints/"):
		return "own"
	case strings.Contains(path, "/klager/"), strings.Contains(path, "/complaints/"):
		return "complaint"
	case strings.Contains(path, "/trinn/"), strings.Contains(path, "/tenancy-steps/"):
		return "step"
	case strings.Contains(path, "/oppsigelser/"), strings.Contains(path, "/tenancy-conversations/"):
		return "talk"
	}
	return "lease"
}

// tenancyBody is a valid request body for keeping the home's API routes.
func tenancyBody(route string, w world) string {
	switch route {
	case "POST /api/v1/complaints":
		return `{"lease_id":` + itoa(w.tenancy["lease"]) + `,"kind":"stoy","source":"nabo","what":"Test av tilgang"}`
	case "POST /api/v1/complaints/{id}/informed":
		return `{"informed_how":"samtale"}`
	case "POST /api/v1/complaints/{id}/close":
		return `{"outcome":"Test av tilgang"}`
	case "POST /api/v1/tenancy-leases/{id}/steps":
		return `{"step":"oppsigelse","preventive_action":"Samtale","grounds":"Støy","ground_code":"plage"}`
	case "POST /api/v1/tenancy-leases/{id}/stop", "POST /api/v1/tenancy-steps/{id}/rollback":
		return `{"reason":"Test av tilgang"}`
	case "POST /api/v1/tenancy-leases/{id}/tenant-notice":
		return `{"moves_out_on":"2099-01-01"}`
	case "POST /api/v1/tenancy-conversations/{id}/held":
		return `{"note":"Test av tilgang"}`
	case "POST /api/v1/me/complaints/{id}/replies":
		return `{"body":"Min side av saken"}`
	}
	return ""
}

// plantTenancy gives scenario person i a lease with a complaint (its
// text, the complainant and the resident's reply marked as tenancy data)
// and a warning whose grounds and preventive action are marked too.
func plantTenancy(t *testing.T, db *store.DB, muni, p int64, i int, other storetest.Tenant) map[string]int64 {
	now := store.TimeArg(time.Now())
	handler := other.UserID
	if muni != other.MunicipalityID {
		handler = queryID(t, db, "SELECT id FROM users WHERE username = 'demo-saksbehandler'")
	}
	unit := queryID(t, db, `INSERT INTO units (municipality_id, code, address, category, control, rooms, area_m2, rent_monthly, created_at, updated_at)
		VALUES (?, ?, 'Kanarivei 1', 'ordinaer', 'kf', 1, 30, 5000, ?, ?) RETURNING id`, muni, "KAN-T"+itoa(int64(i)), now, now)
	lease := queryID(t, db, `INSERT INTO leases (municipality_id, unit_id, start_date, rent_monthly, deposit, status, created_at)
		VALUES (?, ?, '2026-01-01', 5000, 0, 'aktiv', ?) RETURNING id`, muni, unit, now)
	if _, err := db.ExecContext(context.Background(), "INSERT INTO lease_tenants (lease_id, person_id, municipality_id) VALUES (?, ?, ?)", lease, p, muni); err != nil {
		t.Fatal(err)
	}
	complaint := queryID(t, db, `INSERT INTO tenancy_complaints (municipality_id, lease_id, person_id, kind, source, complainant, received_on, what, handler_id, handler_name,
		informed_on, informed_how, created_by, created_at) VALUES (?, ?, ?, 'trusler', 'politi', ?, '2026-11-01', ?, ?, 'Kanari', '2026-11-02', 'samtale', 'Kanari', ?) RETURNING id`,
		muni, lease, p, "Klager "+canary(access.Tenancy, i), "Klage "+canary(access.Tenancy, i), handler, now)
	queryID(t, db, "INSERT INTO tenancy_complaint_replies (municipality_id, complaint_id, person_id, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
		muni, complaint, p, "Svar "+canary(access.Tenancy, i), now)
	step := queryID(t, db, `INSERT INTO tenancy_steps (municipality_id, lease_id, person_id, step, issued_on, grounds, preventive_action, preventive_by_id, preventive_by_name,
		created_by, created_at) VALUES (?, ?, ?, 'advarsel', '2026-11-02', ?, ?, ?, 'Kanari', 'Kanari', ?) RETURNING id`,
		muni, lease, p, "Grunn "+canary(access.Tenancy, i), "Tiltak "+canary(access.Tenancy, i), handler, now)
	talk := queryID(t, db, `INSERT INTO tenancy_tenant_notices (municipality_id, lease_id, person_id, received_on, moves_out_on, owner_id, owner_name, talk_by, talked_on,
		note, created_by, created_at) VALUES (?, ?, ?, '2026-11-01', '2027-01-31', ?, 'Kanari', '2026-11-15', '2026-11-03', ?, 'Kanari', ?) RETURNING id`,
		muni, lease, p, handler, "Samtale "+canary(access.Tenancy, i), now)
	return map[string]int64{"lease": lease, "complaint": complaint, "own": complaint, "step": step, "talk": talk}
}
