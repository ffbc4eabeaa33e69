package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Property staff keep the stock up to date in the pages: a unit's status,
// condition, maintenance and rent are changed with the audit chain's
// record, a status against the leases is refused with the form kept, and
// new buildings and units are added.
func TestPropertyStaffEditTheStock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		ctx := context.Background()
		prop := s.client(t, "demo-eiendom")
		var unit int64
		var code, address string
		if err := db.QueryRowContext(ctx, `SELECT id, code, address FROM units WHERE status = 'ledig'
			AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.unit_id = units.id AND l.status = 'aktiv') ORDER BY id LIMIT 1`).Scan(&unit, &code, &address); err != nil {
			t.Fatal(err)
		}
		edit := fmt.Sprintf("/boliger/%d/endre", unit)
		resp, page := get(t, prop, s.URL+edit)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `value="`+code+`"`) {
			t.Fatalf("the edit form: %d", resp.StatusCode)
		}
		form := url.Values{"code": {code}, "address": {address}, "category": {"ordinaer"}, "control": {"kommunal"}, "staffing": {"ingen"},
			"status": {"utleid"}, "condition": {"darlig"}, "last_maintained": {"2026-03-01"}, "rent_monthly": {"9 500"}, "rooms": {"to"},
			"area_m2": {"41,5"}, "floor": {"2"}, "lift": {"ja"}}
		code2, page := postForm(t, prop, s.URL+edit, form)
		if code2.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("«to» rooms and a let status without a lease: %d", code2.StatusCode)
		}
		for _, want := range []string{`href="#u-rooms"`, `href="#u-status"`, `value="to"`, `value="9 500"`, `aria-invalid="true"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the form shown again lacks %s", want)
			}
		}
		form.Set("rooms", "2")
		form.Set("status", "vedlikehold")
		resp, _ = postForm(t, prop, s.URL+edit, form)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != fmt.Sprintf("/boliger/%d", unit) {
			t.Fatalf("saving the unit: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		var status, condition string
		var rent, rooms int
		if err := db.QueryRowContext(ctx, "SELECT status, condition, rent_monthly, rooms FROM units WHERE id = ?", unit).Scan(&status, &condition, &rent, &rooms); err != nil {
			t.Fatal(err)
		}
		if status != "vedlikehold" || condition != "darlig" || rent != 9500 || rooms != 2 {
			t.Errorf("stored %s, %s, %d kr, %d rooms", status, condition, rent, rooms)
		}
		var audited int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE entity = 'bolig' AND entity_id = ? AND action = 'endre'", unit).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != 1 {
			t.Errorf("%d audit entries for the change", audited)
		}
		if _, page := get(t, prop, s.URL+fmt.Sprintf("/boliger/%d", unit)); !strings.Contains(page, "Endringene i boligen er lagret.") {
			t.Error("the unit page does not confirm the change")
		}

		resp, _ = postForm(t, prop, s.URL+"/bygg/ny", url.Values{"name": {"Prøvegården"}, "address": {"Prøvevei 2"}, "floors": {"3"}, "lift": {"ja"}})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/bygg/") {
			t.Fatalf("a new building: %d", resp.StatusCode)
		}
		building := strings.TrimPrefix(resp.Header.Get("Location"), "/bygg/")
		resp, _ = postForm(t, prop, s.URL+"/boliger/ny", url.Values{"code": {"PRØVE-1"}, "address": {"Prøvevei 2"}, "category": {"ordinaer"},
			"building": {building}, "rooms": {"2"}, "area_m2": {"50"}, "rent_monthly": {"8000"}, "status": {"ledig"}, "condition": {"god"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a new unit: %d", resp.StatusCode)
		}
		if resp, _ := postForm(t, prop, s.URL+"/boliger/ny", url.Values{"code": {"PRØVE-1"}, "address": {"X"}, "category": {"ordinaer"}, "rooms": {"1"}, "area_m2": {"20"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a unit code used twice: %d", resp.StatusCode)
		}

		cw := s.client(t, "demo-saksbehandler")
		if resp, _ := get(t, cw, s.URL+edit); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a case worker got the stock form: %d", resp.StatusCode)
		}
		if _, page := get(t, cw, s.URL+fmt.Sprintf("/boliger/%d", unit)); strings.Contains(page, edit) {
			t.Error("a case worker is offered the stock form")
		}
	})
}
