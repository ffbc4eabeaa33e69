package housing_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"husly/internal/housing"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

// TestUnitsImportNamesCodesAlreadyRegistered: a code the municipality
// already has is a bad line, whether the bulk write finds it or, once the
// file is rejected, the line-by-line check; nothing is stored, and a good
// import leaves one audit entry per unit.
func TestUnitsImportNamesCodesAlreadyRegistered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		if n, err := housing.ImportUnits(ctx, db, tn.Operator(), strings.NewReader(unitsCSV), tabular.CSV); err != nil || n != 3 {
			t.Fatalf("import = %d, %v", n, err)
		}
		var entries int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE entity = 'bolig' AND action = 'opprett'").Scan(&entries); err != nil || entries != 3 {
			t.Fatalf("%d audit entries for 3 units, %v", entries, err)
		}
		header := unitsCSV[:strings.Index(unitsCSV, "\n")+1]
		for name, c := range map[string]struct {
			in    string
			lines []int
		}{
			"found by the bulk write": {header + "NY-1,Ny 1,ordinaer,1,20,5000,,,,,,\nKSU-002,Igjen,ordinaer,1,20,5000,,,,,,\n", []int{3}},
			"found after a bad line":  {header + "NY-1,Ny 1,ordinaer,0,20,5000,,,,,,\nKSU-003,Igjen,ordinaer,1,20,5000,,,,,,\n", []int{2, 3}},
		} {
			_, err := housing.ImportUnits(ctx, db, tn.Operator(), strings.NewReader(c.in), tabular.CSV)
			var es tabular.Errors
			if !errors.As(err, &es) || len(es) != len(c.lines) {
				t.Fatalf("%s: errors = %v", name, err)
			}
			for i, line := range c.lines {
				if es[i].Line != line {
					t.Errorf("%s: error %d on line %d, want %d", name, i, es[i].Line, line)
				}
			}
			if last := es[len(es)-1]; !strings.Contains(last.Text(), "finnes allerede") {
				t.Errorf("%s: %q does not say the code is taken", name, last.Text())
			}
			if _, total, _ := housing.ListUnits(ctx, db, tn.MunicipalityID, housing.Filter{}); total != 3 {
				t.Fatalf("%s: %d units after a rejected import, want 3", name, total)
			}
		}
	})
}
