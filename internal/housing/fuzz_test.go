package housing

import "testing"

// A unit row from a file either becomes a valid unit or names its problems.
func FuzzUnitRow(f *testing.F) {
	f.Add("A-1", "Gata 1", "ordinaer", "2", "50,5", "8000", "ja", "2025-01-01")
	f.Add("", "", "slott", "-1", "x", "1e9", "kanskje", "i går")
	f.Fuzz(func(t *testing.T, code, address, category, rooms, area, rent, wheelchair, maintained string) {
		row := map[string]string{"boligkode": code, "adresse": address, "kategori": category, "rom": rooms, "areal": area,
			"husleie": rent, "rullestol": wheelchair, "sist_vedlikeholdt": maintained}
		u, _, _, problems := unitFromRow(func(c string) string { return row[c] })
		if len(problems) == 0 && len(u.Validate()) > 0 {
			t.Fatalf("row accepted but unit invalid: %+v", u)
		}
		if len(problems) == 0 && (u.Rooms < 1 || u.AreaM2 <= 0 || u.Code == "") {
			t.Fatalf("accepted %+v", u)
		}
	})
}
