package web_test

import (
	"context"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// plantTransitions gives canary person i a transition of each kind with a
// marker of the kind's category in the planning meeting, a stay in
// temporary housing with housing-need markers, a lease with a visit whose
// findings carry the items' categories, and a first contact from prison
// that the register offers as a transition.
func plantTransitions(t *testing.T, db *store.DB, muni, p int64, i int, other storetest.Tenant) {
	t.Helper()
	ctx := context.Background()
	now := store.TimeArg(time.Now())
	responsible := queryID(t, db, "SELECT id FROM users WHERE username = 'demo-oppfolging'")
	if muni == other.MunicipalityID {
		responsible = other.UserID
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, k := range []struct {
		kind string
		cat  access.Category
	}{{"institusjon", access.Health}, {"fengsel", access.Health}, {"barnevern", access.Household}, {"midlertidig", access.HousingNeeds}} {
		queryID(t, db, `INSERT INTO transitions (municipality_id, person_id, kind, category, leaving_on, responsible_id, responsible_name, meeting_on, meeting_with,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 'Kanari', ?, ?, 'Kanari', ?) RETURNING id`, muni, p, k.kind, string(k.cat),
			time.Now().AddDate(0, 0, 20).Format(time.DateOnly), responsible, time.Now().AddDate(0, 0, 2).Format(time.DateOnly), "Møte "+canary(k.cat, i), now)
	}
	queryID(t, db, `INSERT INTO temporary_stays (municipality_id, person_id, place, owner, start_on, price_per_night, children, route_out, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, 500, 1, ?, 'Kanari', ?) RETURNING id`, muni, p, "Sted "+canary(access.HousingNeeds, i), "Eier "+canary(access.HousingNeeds, i),
		time.Now().AddDate(0, 0, -30).Format(time.DateOnly), "Vei "+canary(access.HousingNeeds, i), now)
	unit := queryID(t, db, `INSERT INTO units (municipality_id, code, address, category, control, rooms, area_m2, rent_monthly, created_at, updated_at)
		VALUES (?, ?, 'Kanarigata 1', 'ordinaer', 'kommunal', 1, 30, 5000, ?, ?) RETURNING id`, muni, "KANARI-"+itoa(p), now, now)
	lease := queryID(t, db, "INSERT INTO leases (municipality_id, unit_id, start_date, rent_monthly, created_at) VALUES (?, ?, ?, 5000, ?) RETURNING id",
		muni, unit, time.Now().AddDate(0, 0, -40).Format(time.DateOnly), now)
	exec("INSERT INTO lease_tenants (lease_id, person_id, municipality_id) VALUES (?, ?, ?)", lease, p, muni)
	check := queryID(t, db, `INSERT INTO home_checks (municipality_id, lease_id, person_id, kind, done_on, done_by, created_at)
		VALUES (?, ?, ?, 'etter_innflytting', ?, 'Kanari', ?) RETURNING id`, muni, lease, p, time.Now().AddDate(0, 0, -3).Format(time.DateOnly), now)
	for _, it := range []struct {
		item, owner string
		cat         access.Category
	}{{"fukt", "eiendom", access.Tenancy}, {"moblering", "oppfolging", access.HousingNeeds}} {
		queryID(t, db, `INSERT INTO home_check_items (municipality_id, check_id, item, category, finding, note, task_for) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			muni, check, it.item, string(it.cat), true, "Funn "+canary(it.cat, i), it.owner)
	}
	exec(`INSERT INTO contacts (municipality_id, person_id, received_on, channel, residence, leaving_on, homeless, homeless_reason, summary, registered_by, created_at)
		VALUES (?, ?, '2026-11-01', 'kriminalomsorgen', 'fengsel', ?, ?, 'fengsel', ?, 'Kanari', ?)`, muni, p, time.Now().AddDate(0, 1, 0).Format(time.DateOnly), true,
		"Løslatelse "+canary(access.HousingNeeds, i), now)
	// The first contact and the mapping say a discharge from a treatment
	// institution is ahead: health, which the contact's and the mapping's
	// reads must cut and log (TestContactFormFeedsRegister checks the codes).
	exec(`INSERT INTO contacts (municipality_id, person_id, received_on, channel, residence, leaving_on, homeless, homeless_reason, summary, registered_by, created_at,
		transition_kind, institution_kind) VALUES (?, ?, '2026-11-02', 'spesialisthelse', 'institusjon', ?, ?, 'institusjon', ?, 'Kanari', ?, 'institusjon', 'behandling')`,
		muni, p, time.Now().AddDate(0, 0, 25).Format(time.DateOnly), true, "Utskrivning "+canary(access.HousingNeeds, i), now)
	exec("UPDATE mappings SET transition_kind = 'institusjon', institution_kind = 'behandling', transition_on = ? WHERE person_id = ?",
		time.Now().AddDate(0, 0, 25).Format(time.DateOnly), p)
}
