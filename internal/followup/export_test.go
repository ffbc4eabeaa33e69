package followup_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/followup/followuptest"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

func TestFollowUpExports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := followuptest.Build(t, db, 2, 2, 15, 4)
		today := deadline.On(time.Now())
		want := map[string]string{
			"saksmengde":    "Team 1,housing_first,,,,2,15,12,ja,",
			"varsler":       "Team 2,kontakt_forfalt,15,",
			"kontakter":     "tjeneste,maned,kontaktmate,antall,minutter,ikke_truffet",
			"housing-first": "tjeneste,fase",
		}
		for _, what := range followup.Exports {
			var b bytes.Buffer
			if err := followup.Export(context.Background(), db, f.Tenant.MunicipalityID, what, &b, tabular.CSV, today); err != nil {
				t.Fatal(what, err)
			}
			if !strings.Contains(b.String(), want[what]) || strings.Contains(b.String(), "Nummer0") {
				t.Errorf("%s: %q lacks %q or names a resident", what, b.String(), want[what])
			}
		}
		if err := followup.Export(context.Background(), db, f.Tenant.MunicipalityID, "personer", &bytes.Buffer{}, tabular.CSV, today); err == nil || !strings.Contains(err.Error(), "ukjent eksport") {
			t.Errorf("an unknown export: %v", err)
		}
	})
}
