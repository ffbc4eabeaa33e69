package web_test

import (
	"encoding/json"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// The API lists persons in the person list's two orders: by name (the
// default, sort=navn) and newest registered first (sort=nyeste). The page
// token keeps the order: followed without sort it continues its own
// order, and under the other order it is refused; an unknown order is
// refused by the document.
func TestPersonsAPISort(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := loadContract(t, s)
		cw := s.client(t, "demo-saksbehandler")
		base := s.URL + "/api/v1/persons"
		type person struct {
			ID        int64  `json:"id"`
			LastName  string `json:"last_name"`
			FirstName string `json:"first_name"`
		}
		newest := walk[person](t, c, cw, base+"?sort=nyeste&limit=40")
		byName := walk[person](t, c, cw, base+"?sort=navn&limit=40")
		plain := walk[person](t, c, cw, base+"?limit=40")
		if len(newest) < 50 || len(newest) != len(byName) || len(plain) != len(byName) {
			t.Fatalf("newest %d, by name %d, default %d persons", len(newest), len(byName), len(plain))
		}
		seen := map[int64]bool{}
		for i, p := range newest {
			if i > 0 && p.ID >= newest[i-1].ID {
				t.Fatalf("newest first: person %d after %d", p.ID, newest[i-1].ID)
			}
			seen[p.ID] = true
		}
		for i, p := range byName {
			if !seen[p.ID] || p.ID != plain[i].ID {
				t.Fatalf("by name and the default differ, or list another person, at %d", i)
			}
		}
		if byName[0].ID == newest[0].ID && byName[1].ID == newest[1].ID {
			t.Error("the list by name is the list newest first")
		}

		var first struct{ Next string }
		if code, b := c.call(t, cw, "GET", base+"?sort=nyeste&limit=10", "", ""); code != 200 || json.Unmarshal(b, &first) != nil || first.Next == "" {
			t.Fatalf("newest first, page 1: %d %s", code, b)
		}
		var second struct{ Items []person }
		if code, b := c.call(t, cw, "GET", base+"?limit=10&page="+first.Next, "", ""); code != 200 || json.Unmarshal(b, &second) != nil ||
			len(second.Items) != 10 || second.Items[0].ID != newest[10].ID {
			t.Errorf("the newest-first token followed without sort does not continue newest first: %d", code)
		}
		if code, _ := c.refusedBeyondSchema(t, cw, "GET", base+"?sort=navn&limit=10&page="+first.Next, ""); code != 400 {
			t.Errorf("a newest-first token under sort=navn: %d", code)
		}
		var named struct{ Next string }
		if code, b := c.call(t, cw, "GET", base+"?limit=10", "", ""); code != 200 || json.Unmarshal(b, &named) != nil || named.Next == "" {
			t.Fatalf("by name, page 1: %d", code)
		}
		if code, _ := c.refusedBeyondSchema(t, cw, "GET", base+"?sort=nyeste&limit=10&page="+named.Next, ""); code != 400 {
			t.Errorf("a by-name token under sort=nyeste: %d", code)
		}
		if code, _ := c.refusedBeyondSchema(t, cw, "GET", base+"?sort=dato", ""); code != 400 {
			t.Errorf("an unknown order: %d", code)
		}
	})
}
