package caseflow_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func TestContactsAndMapping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		today := deadline.Of(2026, 11, 22)
		pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(11), FirstName: "Tor", LastName: "Hansen"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := caseflow.RegisterContact(ctx, db, cw, pid, caseflow.ContactInput{Channel: "kriminalomsorgen", Residence: caseflow.Prison,
			Leaving: deadline.Of(2026, 12, 15), Summary: "Ringt fra Trondheim fengsel"}, today)
		if err != nil || !c.Homeless || !strings.Contains(c.HomelessReason, "løslates 15.12.2026") {
			t.Fatalf("contact: %+v %v", c, err)
		}
		var ve *caseflow.ValidationError
		_, err = caseflow.RegisterContact(ctx, db, cw, pid, caseflow.ContactInput{Received: deadline.Of(2027, 1, 1), Channel: "brevdue", Residence: "slott"}, today)
		if !errors.As(err, &ve) || len(ve.Problems) != 3 {
			t.Fatalf("bad contact: %v", err)
		}
		cs, err := caseflow.Contacts(ctx, db, cw, pid, access.ChannelPage)
		if err != nil || len(cs) != 1 || cs[0].Leaving.String() != "2026-12-15" {
			t.Fatalf("contacts: %+v %v", cs, err)
		}
		// Property staff of another unit, without a role on the case, are refused.
		prop := access.Actor{UserID: tn.UserID, MunicipalityID: tn.MunicipalityID, OrgUnitID: 999, Role: access.Property}
		if _, err := caseflow.Contacts(ctx, db, prop, pid, access.ChannelPage); !errors.Is(err, access.ErrNoRelationship) {
			t.Fatalf("no relationship: %v", err)
		}

		// A follow-up worker of another unit with a role on the case and a legal basis.
		unit, _ := store.InsertID(ctx, db, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'Boteamet', 'boteam', '2026-01-01T00:00:00.000000Z')", tn.MunicipalityID)
		if _, err := access.AddCaseUnit(ctx, db, cw, access.CaseUnit{PersonID: pid, OrgUnitID: unit, Responsibility: "bo-oppfølging", LegalBasis: "hol. § 3-2"}); err != nil {
			t.Fatal(err)
		}
		fu := access.Actor{UserID: tn.UserID, MunicipalityID: tn.MunicipalityID, OrgUnitID: unit, OrgUnitName: "Boteamet", Name: "Fia", Username: "fia", Role: access.FollowUp}

		// Finances need the person's consent; without it they are not stored.
		m, err := caseflow.SaveMapping(ctx, db, cw, pid, caseflow.Mapping{HousingNeed: "Ett rom", Finances: "Uføretrygd"})
		if err != nil || m.Finances != "" {
			t.Fatalf("finances without consent: %+v %v", m, err)
		}
		if _, err := access.RecordConsent(ctx, db, cw, access.Consent{PersonID: pid, RecipientUnitID: tn.OrgUnitID, Purpose: "Bostøtte og husleie", Categories: []access.Category{access.Finances}}); err != nil {
			t.Fatal(err)
		}
		// The case worker maps housing and finances; service needs are not theirs to write.
		m, err = caseflow.SaveMapping(ctx, db, cw, pid, caseflow.Mapping{HousingNeed: "Ett rom, bakkeplan", Goals: "«Ha min egen dør»",
			Finances: "Uføretrygd", ServiceNeed: "skal ikke lagres", GroundFloor: true, WantDistricts: "Nordlandet"})
		if err != nil || m.ServiceNeed != "" || m.Finances != "Uføretrygd" {
			t.Fatalf("case worker mapping: %+v %v", m, err)
		}
		// The follow-up worker adds service needs; finances stay as they were.
		if _, err := caseflow.SaveMapping(ctx, db, fu, pid, caseflow.Mapping{ServiceNeed: "Hjelp med innkjøp", Functioning: "Klarer matlaging", HousingNeed: "Ett rom, bakkeplan", GroundFloor: true}); err != nil {
			t.Fatal(err)
		}
		seenByCW, _ := caseflow.LatestMapping(ctx, db, cw, pid, access.ChannelPage)
		seenByFU, _ := caseflow.LatestMapping(ctx, db, fu, pid, access.ChannelPage)
		if seenByCW.Finances != "Uføretrygd" || seenByCW.ServiceNeed != "" || !seenByCW.GroundFloor {
			t.Fatalf("case worker sees %+v", seenByCW)
		}
		if seenByFU.ServiceNeed != "Hjelp med innkjøp" || seenByFU.Finances != "" {
			t.Fatalf("follow-up sees %+v", seenByFU)
		}
		// The network is recorded only when the person wants it.
		if _, err := caseflow.SaveMapping(ctx, db, cw, pid, caseflow.Mapping{Network: "Søster på Frei"}); !errors.As(err, &ve) {
			t.Fatalf("network without consent: %v", err)
		}
		var versions int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM mappings WHERE person_id = ?", pid).Scan(&versions); err != nil {
			t.Fatal(err)
		}
		if versions != 3 {
			t.Fatalf("%d mapping versions, want 3", versions)
		}
	})
}
