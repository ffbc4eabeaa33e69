package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Arrears' routes in the authorization matrix. In the matrix's world the
// active-case person rents a home with an unpaid due and a conversation
// given to the demo's follow-up worker; no unit sees that person's
// finances (no consent, no legal basis), so amounts can be neither read
// nor registered, and the conversation is recorded only by its assignee.
func init() {
	lists := only("demo-saksbehandler", "demo-eiendom", "demo-oppfolging", "demo-enhetsleder", "demo-tilsyn", "tilsyn+formål")
	leaders := only("demo-enhetsleder", "demo-admin")
	nobody := only()
	assignee := only("demo-oppfolging")
	for route, want := range map[string]func(string, string) bool{
		"GET /bosikring/restanser":                           lists,
		"POST /bosikring/restanser/praksis":                  leaders,
		"GET /bosikring/restanser/leieforhold/{id}":          caseReaders,
		"POST /bosikring/restanser/leieforhold/{id}/forfall": nobody,
		"POST /bosikring/restanser/forfall/{id}/utestaende":  nobody,
		"POST /bosikring/restanser/samtaler/{id}/utfall":     assignee,
		"POST /bosikring/restanser/samtaler/{id}/inkasso":    assignee,
		"POST /api/v1/arrears/batches":                       only("demo-saksbehandler"),
		"GET /api/v1/arrears/conversations":                  lists,
		"POST /api/v1/arrears/conversations/{id}/outcome":    assignee,
		"POST /api/v1/arrears/conversations/{id}/collection": assignee,
		"GET /api/v1/arrears/leases/{id}":                    caseReaders,
		"POST /api/v1/arrears/leases/{id}/dues":              nobody,
		"POST /api/v1/arrears/dues/{id}/outstanding":         nobody,
		"GET /api/v1/arrears/practice":                       notResident,
		"PUT /api/v1/arrears/practice":                       leaders,
	} {
		expect[route] = want
	}
}

// arrearsWorld gives person a lease with an unpaid due and an open
// conversation for the demo's follow-up worker: the ids the matrix's
// requests use.
func arrearsWorld(t *testing.T, db *store.DB, mid, person int64) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	now := store.TimeArg(time.Now())
	id := func(q string, args ...any) int64 {
		var id int64
		if err := db.QueryRowContext(ctx, q+" RETURNING id", args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	unit := id(`INSERT INTO units (municipality_id, code, address, category, control, rooms, area_m2, rent_monthly, created_at, updated_at)
		VALUES (?, 'AUTZ-R', 'Restanseveien 1', 'ordinaer', 'kf', 1, 30, 7000, ?, ?)`, mid, now, now)
	lease := id("INSERT INTO leases (municipality_id, unit_id, start_date, rent_monthly, deposit, status, created_at) VALUES (?, ?, '2026-01-01', 7000, 0, 'aktiv', ?)", mid, unit, now)
	if _, err := db.ExecContext(ctx, "INSERT INTO lease_tenants (lease_id, person_id, municipality_id) VALUES (?, ?, ?)", lease, person, mid); err != nil {
		t.Fatal(err)
	}
	due := id(`INSERT INTO arrears_dues (municipality_id, lease_id, person_id, kind, due_on, amount, outstanding, registered_by, created_at, updated_at)
		VALUES (?, ?, ?, 'husleie', '2026-11-01', 700000, 700000, 'Test', ?, ?)`, mid, lease, person, now, now)
	conv := id(`INSERT INTO arrears_conversations (municipality_id, lease_id, person_id, first_due_on, due_on, assigned_as, assignee_id, assignee_name, status, created_at)
		VALUES (?, ?, ?, '2026-11-01', '2026-11-15', 'primaerkontakt', (SELECT id FROM users WHERE username = 'demo-oppfolging'), 'Olav Oppfølger', 'apen', ?)`, mid, lease, person, now)
	return map[string]int64{"lease": lease, "due": due, "conversation": conv}
}

// arrearsPath puts the world's ids into an arrears route's path.
func arrearsPath(path string, ids map[string]int64) string {
	key := "lease"
	switch {
	case strings.Contains(path, "/forfall/{id}"), strings.Contains(path, "/dues/{id}"):
		key = "due"
	case strings.Contains(path, "/samtaler/{id}"), strings.Contains(path, "/conversations/{id}"):
		key = "conversation"
	}
	return strings.Replace(path, "{id}", itoa(ids[key]), 1)
}

func TestArrearsAPIBatchToOutcome(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := loadContract(t, s)
		cw, worker, prop := s.client(t, "demo-saksbehandler"), s.client(t, "demo-oppfolging"), s.client(t, "demo-eiendom")
		base := s.URL + "/api/v1/arrears"
		// A lease of a resident the follow-up worker is primary contact for,
		// whose finances the housing office may see by consent.
		var lease, person int64
		if err := db.QueryRowContext(context.Background(), `SELECT MIN(lt.lease_id), MIN(lt.person_id) FROM lease_tenants lt JOIN leases l ON l.id = lt.lease_id
			JOIN followups f ON f.person_id = lt.person_id AND f.status = 'aktiv' AND f.primary_id = (SELECT id FROM users WHERE username = 'demo-oppfolging')
			WHERE l.status = 'aktiv' AND NOT EXISTS (SELECT 1 FROM arrears_dues d WHERE d.lease_id = lt.lease_id)
			AND lt.person_id = (SELECT MIN(person_id) FROM lease_tenants WHERE lease_id = lt.lease_id)`).Scan(&lease, &person); err != nil || lease == 0 {
			t.Fatalf("no lease: %v", err)
		}
		mid := int64(queryID(t, db, "SELECT municipality_id FROM persons WHERE id = ?", person))
		if _, err := db.ExecContext(context.Background(), `INSERT INTO consents (municipality_id, person_id, recipient_unit_id, purpose, categories, given_at)
			VALUES (?, ?, (SELECT org_unit_id FROM users WHERE username = 'demo-saksbehandler'), 'Restanse', 'okonomi', ?)`, mid, person, store.TimeArg(time.Now().Add(-time.Minute))); err != nil {
			t.Fatal(err)
		}
		number := storetest.NumberOf(t, db, person)
		batch := fmt.Sprintf(`{"batch_id":"okonomi-2026-12-01","lines":[{"lease_id":%d,"identity_number":"%s","due_ref":"API-1","kind":"husleie","due_on":"2026-11-01","amount_ore":725000},
			{"lease_id":%d,"identity_number":"%s","due_ref":"API-2","kind":"strom","due_on":"2026-11-20","amount_ore":81250,"outstanding_ore":40000}]}`, lease, number, lease, number)
		code, b := c.call(t, prop, "POST", base+"/batches", batch, "")
		if code != 403 {
			t.Errorf("property staff posted a batch: %d %s", code, b)
		}
		code, b = c.call(t, cw, "POST", base+"/batches", batch, "")
		if code != 201 || !strings.Contains(string(b), `"conversations":1`) {
			t.Fatalf("batch: %d %s", code, b)
		}
		code, b = c.call(t, cw, "POST", base+"/batches", batch, "")
		if code != 200 || !strings.Contains(string(b), `"repeated":true`) {
			t.Errorf("the same batch again: %d %s", code, b)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM arrears_dues WHERE lease_id = ?", lease); n != 2 {
			t.Errorf("%d dues after the same batch twice", n)
		}
		bad := fmt.Sprintf(`{"lines":[{"lease_id":%d,"identity_number":"%s","due_ref":"API-3","kind":"husleie","due_on":"2099-01-01","amount_ore":725000},
			{"lease_id":999999,"identity_number":"%s","due_ref":"API-4","kind":"husleie","due_on":"2026-11-01","amount_ore":0},
			{"lease_id":%d,"identity_number":"%s","due_ref":"API-5","kind":"husleie","due_on":"2026-10-01","amount_ore":725000}]}`, lease, number, identity.Synthetic(1), lease, number)
		// A bad batch stores nothing, not even its good third line: no
		// batch, due, change, conversation or audit entry.
		stored := func() []int {
			var n []int
			for _, table := range []string{"arrears_batches", "arrears_dues", "arrears_changes", "arrears_conversations", "audit_log"} {
				n = append(n, countRows(t, db, "SELECT COUNT(*) FROM "+table))
			}
			return n
		}
		before := stored()
		code, b = c.call(t, cw, "POST", base+"/batches", bad, "")
		if code != 422 || !strings.Contains(string(b), "linje 1: forfallsdatoen") || !strings.Contains(string(b), "linje 2: leieforholdet 999999") {
			t.Errorf("bad batch: %d %s", code, b)
		}
		if after := stored(); !slices.Equal(before, after) {
			t.Errorf("the bad batch stored rows: %v before, %v after (batches, dues, changes, conversations, audit)", before, after)
		}
		// The task is on the primary contact's start page and list.
		code, b = c.call(t, worker, "GET", s.URL+"/api/v1/start", "", "")
		if code != 200 || !strings.Contains(string(b), `"arrears_conversations"`) {
			t.Errorf("start page: %d %.400s", code, b)
		}
		code, b = c.call(t, worker, "GET", base+"/conversations?status=apen&mine=ja", "", "")
		var list struct {
			Items []struct {
				Conversation struct {
					ID      int64 `json:"id"`
					LeaseID int64 `json:"lease_id"`
				} `json:"conversation"`
				Money *struct{} `json:"money"`
			} `json:"items"`
		}
		if err := json.Unmarshal(b, &list); err != nil || code != 200 {
			t.Fatalf("conversations: %d %s", code, b)
		}
		var conv int64
		for _, it := range list.Items {
			if it.Conversation.LeaseID == lease {
				conv = it.Conversation.ID
				if it.Money != nil {
					t.Error("the follow-up worker without finances saw the amount")
				}
			}
		}
		if conv == 0 {
			t.Fatalf("the primary contact has no task: %s", b)
		}
		code, b = c.call(t, cw, "GET", fmt.Sprintf("%s/leases/%d", base, lease), "", "")
		if code != 200 || !strings.Contains(string(b), `"outstanding_ore":725000`) {
			t.Errorf("the housing office with consent sees the amounts: %d %.300s", code, b)
		}
		code, b = c.call(t, worker, "POST", fmt.Sprintf("%s/conversations/%d/collection", base, conv), `{"collection_on":"2026-12-01"}`, "")
		if code != 422 || !strings.Contains(string(b), "før samtalen") {
			t.Errorf("collection before the conversation: %d %s", code, b)
		}
		// Without a consent to NAV covering finances, NAV is not told.
		if _, err := db.ExecContext(context.Background(), `UPDATE consents SET withdrawn_at = ? WHERE person_id = ? AND withdrawn_at IS NULL
			AND recipient_unit_id IN (SELECT id FROM org_units WHERE kind = 'nav')`, store.TimeArg(time.Now().Add(-time.Second)), person); err != nil {
			t.Fatal(err)
		}
		code, b = c.call(t, worker, "POST", fmt.Sprintf("%s/conversations/%d/outcome", base, conv), `{"outcome":"betalingsplan","held_on":"`+todayString()+`","note":"500 kr i måneden","notify_nav":true,"nav_basis":"samtykke"}`, "")
		if code != 422 || !strings.Contains(string(b), "samtykke") {
			t.Errorf("NAV told without consent: %d %s", code, b)
		}
		code, b = c.call(t, worker, "POST", fmt.Sprintf("%s/conversations/%d/outcome", base, conv), `{"outcome":"betalingsplan","held_on":"`+todayString()+`","note":"500 kr i måneden"}`, "")
		if code != 204 {
			t.Errorf("payment plan: %d %s", code, b)
		}
		code, b = c.call(t, worker, "POST", fmt.Sprintf("%s/conversations/%d/collection", base, conv), `{"collection_on":"`+todayString()+`"}`, "")
		if code != 204 {
			t.Errorf("collection after the conversation: %d %s", code, b)
		}
	})
}

func TestArrearsPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		worker, cw := s.client(t, "demo-oppfolging"), s.client(t, "demo-saksbehandler")
		resp, body := get(t, worker, s.URL+"/")
		if resp.StatusCode != 200 || !strings.Contains(body, `id="p-arrears"`) {
			t.Errorf("the follow-up worker's start page has no arrears panel: %d", resp.StatusCode)
		}
		resp, body = get(t, cw, s.URL+"/bosikring/restanser?status=alle")
		if resp.StatusCode != 200 || !strings.Contains(body, "Betalingsplan") || !strings.Contains(body, " kr") {
			t.Errorf("overview: %d", resp.StatusCode)
		}
		lease := queryID(t, db, `SELECT MIN(lease_id) FROM arrears_conversations WHERE status = 'apen' AND settled_on IS NULL
			AND assignee_id = (SELECT id FROM users WHERE username = 'demo-oppfolging')`)
		resp, body = get(t, worker, s.URL+"/bosikring/restanser/leieforhold/"+itoa(lease))
		if resp.StatusCode != 200 || !strings.Contains(body, "/utfall") || strings.Contains(body, "/forfall\"") {
			t.Errorf("lease page for the worker: %d", resp.StatusCode)
		}
		conv := queryID(t, db, "SELECT id FROM arrears_conversations WHERE lease_id = ? AND settled_on IS NULL", lease)
		resp, _ = postForm(t, worker, s.URL+"/bosikring/restanser/samtaler/"+itoa(conv)+"/inkasso", url.Values{"on": {todayString()}})
		if resp.StatusCode != 303 || countRows(t, db, "SELECT COUNT(*) FROM arrears_conversations WHERE id = ? AND collection_on IS NOT NULL", conv) != 0 {
			t.Errorf("collection before the conversation was stored: %d", resp.StatusCode)
		}
		resp, _ = postForm(t, worker, s.URL+"/bosikring/restanser/samtaler/"+itoa(conv)+"/utfall", url.Values{"outcome": {"betalingsplan"}, "held_on": {todayString()}, "note": {"Plan"}})
		if resp.StatusCode != 303 || countRows(t, db, "SELECT COUNT(*) FROM arrears_conversations WHERE id = ? AND outcome = 'betalingsplan'", conv) != 1 {
			t.Errorf("outcome not stored: %d", resp.StatusCode)
		}
	})
}
