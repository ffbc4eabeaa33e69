package allocation_test

import (
	"context"
	"strings"
	"testing"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestPartnerUnits: a unit one municipality offers another appears in the
// partner's round, marked with its owner, while the agreement runs.
func TestPartnerUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		today := deadline.Of(2026, 11, 23)
		owner, partner := storetest.NewTenant(t, db, "1554"), storetest.NewTenant(t, db, "1505")
		ownerAdmin := access.Actor{MunicipalityID: owner.MunicipalityID, Name: "Admin Averøy", Role: access.Admin}
		if _, err := housing.CreateUnit(ctx, db, owner.CaseWorker(), housing.Unit{Code: "AV-1", Address: "Bruhagen 3", Category: "ordinaer", Rooms: 1, AreaM2: 40, RentMonthly: 7000}); err != nil {
			t.Fatal(err)
		}
		cw := partner.CaseWorker()
		pid, _ := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(40001), FirstName: "Pål", LastName: "Havn"})
		app, _ := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "kommunal_bolig", YearsResident: 3, HouseholdSize: 1, RegisteredHere: true}, today)
		if _, err := caseflow.Decide(ctx, db, cw, app.ID, caseflow.DecisionInput{Outcome: "innvilget", HousingType: "ordinaer", Rooms: 1,
			Reasons: "Mangler bolig.", LegalBasisCodes: []string{"bsl-6"}, DecidedOn: today}, today); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []struct {
			in   allocation.AgreementInput
			want string
		}{
			{allocation.AgreementInput{Partner: "1554", UnitCode: "AV-1"}, "med seg selv"},
			{allocation.AgreementInput{Partner: "9999", UnitCode: "AV-1"}, "fant ingen kommune"},
			{allocation.AgreementInput{Partner: "1505", UnitCode: "XX"}, "fant ingen bolig"},
			{allocation.AgreementInput{Partner: "1505", UnitCode: "AV-1", ValidFrom: deadline.Of(2026, 12, 1), ValidTo: deadline.Of(2026, 11, 1)}, "slutte før"},
		} {
			if _, err := allocation.OfferToPartner(ctx, db, ownerAdmin, bad.in, today); err == nil || !strings.Contains(err.Error(), bad.want) {
				t.Errorf("%+v: %v", bad.in, err)
			}
		}
		if _, err := allocation.OfferToPartner(ctx, db, owner.CaseWorker(), allocation.AgreementInput{Partner: "1505", UnitCode: "AV-1"}, today); err == nil {
			t.Fatal("a case worker made an agreement")
		}
		if _, err := allocation.OfferToPartner(ctx, db, ownerAdmin, allocation.AgreementInput{Partner: "1505", UnitCode: "AV-1", ValidTo: deadline.Of(2026, 12, 31)}, today); err != nil {
			t.Fatal(err)
		}
		r, err := allocation.RunRound(ctx, db, cw, false, today, access.ChannelPage)
		if err != nil || len(r.Proposals) != 1 || r.Proposals[0].Vacancy.SharedBy != "Testkommune 1554" || r.Proposals[0].Applicant == nil {
			t.Fatalf("the partner's round: %+v %v", r.Proposals, err)
		}
		if list, _ := allocation.Agreements(ctx, db, cw); len(list) != 1 || list[0].Owner != "Testkommune 1554" {
			t.Fatalf("the partner sees the agreement: %+v", list)
		}
		// The partner's own round never offers the owner's unit from here.
		if _, err := caseflow.MakeOffer(ctx, db, cw, app.ID, caseflow.OfferInput{UnitID: r.Proposals[0].Vacancy.Unit.ID}, today); err == nil {
			t.Fatal("the partner offered the owner's unit as its own")
		}
		// After the agreement ends, the unit is gone from the partner's round.
		if r, _ := allocation.RunRound(ctx, db, cw, false, deadline.Of(2027, 1, 2), access.ChannelPage); len(r.Proposals) != 0 {
			t.Fatalf("an ended agreement still shares: %+v", r.Proposals)
		}
	})
}
