package access_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// response is a response with personal values in every place the
// redaction step must reach.
type response struct {
	Housing  access.Personal[string]            `json:"housing"`
	Health   access.Personal[string]            `json:"health"`
	Both     access.Personal[string]            `json:"both"`
	List     []access.Personal[string]          `json:"list"`
	Ptr      *access.Personal[int]              `json:"ptr"`
	Map      map[string]access.Personal[string] `json:"map"`
	Any      any                                `json:"any"`
	Stranger access.Personal[string]            `json:"stranger"`
	hidden   access.Personal[string]
}

func TestSendRedactsByGrantAndLogsWhatIsSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		a := tn.CaseWorker()
		p := storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(1), "Åse", "Kategori")
		stranger := storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(2), "Ukjent", "Person")
		if _, err := db.ExecContext(ctx, "INSERT INTO case_units (municipality_id, person_id, org_unit_id, responsibility, legal_basis, started_at) VALUES (?, ?, ?, 'saksbehandling', 'sosialtjenesteloven § 15', ?)",
			tn.MunicipalityID, p, tn.OrgUnitID, store.TimeArg(time.Now().Add(-time.Hour))); err != nil {
			t.Fatal(err)
		}
		five := access.Tag(p, 5, access.Tenancy)
		v := response{
			Housing:  access.Tag(p, "BOLIGBEHOV", access.HousingNeeds),
			Health:   access.Tag(p, "HELSE", access.Health),
			Both:     access.Tag(p, "BEGGE", access.HousingNeeds, access.Finances),
			List:     []access.Personal[string]{access.Tag(p, "LISTE", access.Finances), access.Tag(p, "RUS", access.Substance)},
			Ptr:      &five,
			Map:      map[string]access.Personal[string]{"k": access.Tag(p, "KART", access.Health)},
			Any:      []access.Personal[string]{access.Tag(p, "ALT", access.Finances)},
			Stranger: access.Tag(stranger, "FREMMED", access.Basic),
			hidden:   access.Tag(p, "SKJULT", access.Basic),
		}
		// Before the step nothing is shown.
		if b, _ := json.Marshal(v); strings.ContainsAny(string(b), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Fatalf("values shown before the redaction step: %s", b)
		}
		rd := access.NewReader(db, a, access.ChannelAPI)
		if _, err := rd.Authorize(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := rd.Send(ctx, &v); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(v)
		for _, want := range []string{"BOLIGBEHOV", "BEGGE", "LISTE", `"ptr":5`, "ALT"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s was not let through: %s", want, b)
			}
		}
		for _, not := range []string{"HELSE", "RUS", "KART", "FREMMED", "SKJULT"} {
			if strings.Contains(string(b), not) || strings.Contains(v.hidden.String(), not) {
				t.Errorf("%s was let through without a grant: %s", not, b)
			}
		}
		if v.Health.Value() != "" || v.Health.Shown() || !v.Housing.Shown() {
			t.Error("Value and Shown disagree with the redaction")
		}
		var cats string
		var n int
		if err := db.QueryRowContext(ctx, "SELECT categories, (SELECT COUNT(*) FROM access_reads) FROM access_reads WHERE person_id = ?", p).Scan(&cats, &n); err != nil {
			t.Fatal(err)
		}
		if cats != "boligbehov,leieforhold,okonomi" || n != 1 {
			t.Errorf("logged %q in %d rows, want the categories sent in one row", cats, n)
		}
		if err := rd.Send(ctx, v); !errors.Is(err, access.ErrNotPointer) {
			t.Errorf("Send of a copy: %v", err)
		}
	})
}
