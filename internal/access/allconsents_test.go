package access_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// The person page reads both kinds of consent in one statement; what it
// gets is what the two separate reads give, in the same order and with the
// same categories.
func TestAllConsentsOfMatchesTheSeparateReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "4802")
		cw := tn.CaseWorker()
		person := storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(480101), "Samtykke", "Prøve")
		if _, err := access.AddCaseUnit(ctx, db, cw, access.CaseUnit{PersonID: person, OrgUnitID: tn.OrgUnitID, Responsibility: "saksbehandling"}); err != nil {
			t.Fatal(err)
		}
		for _, cats := range [][]access.Category{{access.Health}, {access.Finances, access.Substance}} {
			if _, err := access.RecordConsent(ctx, db, cw, access.Consent{PersonID: person, RecipientUnitID: tn.OrgUnitID, Purpose: "Oppfølging", Categories: cats}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := access.RecordOutsideConsent(ctx, db, cw, access.OutsideConsent{PersonID: person, RecipientKind: "fastlege", RecipientName: "Dr. Berg",
			Purpose: "Avklare medisiner", Categories: []access.Category{access.Health}, Expires: deadline.On(time.Now().AddDate(0, 6, 0))}); err != nil {
			t.Fatal(err)
		}
		inside, outside, err := access.AllConsentsOf(ctx, db, tn.MunicipalityID, person)
		if err != nil {
			t.Fatal(err)
		}
		wantInside, err := access.ConsentsOf(ctx, db, tn.MunicipalityID, person)
		if err != nil {
			t.Fatal(err)
		}
		wantOutside, err := access.OutsideConsentsOf(ctx, db, tn.MunicipalityID, person)
		if err != nil {
			t.Fatal(err)
		}
		if len(inside) != 2 || len(outside) != 1 || !reflect.DeepEqual(inside, wantInside) || !reflect.DeepEqual(outside, wantOutside) {
			t.Fatalf("one read gave\n%+v\n%+v\nthe separate reads\n%+v\n%+v", inside, outside, wantInside, wantOutside)
		}
	})
}
