package caseflow_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestCheckDecisionLawRules holds the decision's rules from the sources:
// "etter behov" needs a description, the legal basis and services come
// from the catalogues, the coordinator is agreed with the person or the
// reason given, and the participant agreement belongs to Housing First.
func TestCheckDecisionLawRules(t *testing.T) {
	cat := caseflow.Catalogues{Provisions: []caseflow.Provision{{Code: "bsl-6", Active: true}, {Code: "gammel", Active: false}},
		Services: []caseflow.CatalogService{{Code: "housing_first", Active: true}, {Code: "boteam", Active: true}}}
	day := deadline.Of(2026, 11, 23)
	base := func() caseflow.DecisionInput {
		return caseflow.DecisionInput{Outcome: "innvilget", HousingType: "housing_first", Rooms: 1, Reasons: "Bostedsløs.", LegalBasisCodes: []string{"bsl-6"},
			Coordinator: "Ola", CoordinatorAgreed: "ja", DecidedOn: day,
			Services: []caseflow.Service{{Code: "housing_first", AsNeeded: true, AsNeededText: "Besøk så ofte deltakeren trenger", ProviderUnitID: 1, StartOn: day}}}
	}
	for _, c := range []struct {
		name   string
		change func(*caseflow.DecisionInput)
		want   string // "" for no problem
	}{
		{"as needed with a description", func(*caseflow.DecisionInput) {}, ""},
		{"as needed without a description", func(in *caseflow.DecisionInput) { in.Services[0].AsNeededText = " " }, "«etter behov» må ha en beskrivelse"},
		{"as needed and hours", func(in *caseflow.DecisionInput) { in.Services[0].HoursPerWeek = 3 }, "enten timer per uke eller «etter behov»"},
		{"no hours and not as needed", func(in *caseflow.DecisionInput) { in.Services[0].AsNeeded = false }, "omfanget må være mellom 0 og 168"},
		{"unknown service", func(in *caseflow.DecisionInput) { in.Services[0].Code = "sirkus" }, `ukjent eller utgått tjeneste "sirkus"`},
		{"no legal basis", func(in *caseflow.DecisionInput) { in.LegalBasisCodes = nil }, "velg minst én lovbestemmelse"},
		{"unknown provision", func(in *caseflow.DecisionInput) { in.LegalBasisCodes = []string{"bsl-99"} }, `ukjent eller utgått lovbestemmelse "bsl-99"`},
		{"retired provision", func(in *caseflow.DecisionInput) { in.LegalBasisCodes = []string{"gammel"} }, `"gammel"`},
		{"coordinator not asked", func(in *caseflow.DecisionInput) { in.CoordinatorAgreed = "" }, "valgt sammen med personen, eller hvorfor ikke"},
		{"coordinator not agreed without reason", func(in *caseflow.DecisionInput) { in.CoordinatorAgreed = "nei" }, "hvorfor koordinatoren ikke er valgt"},
		{"coordinator not agreed with reason", func(in *caseflow.DecisionInput) {
			in.CoordinatorAgreed, in.CoordinatorNote = "nei", "Personen ønsket ikke å ta stilling nå"
		}, ""},
		{"participant agreement in Housing First", func(in *caseflow.DecisionInput) { in.ParticipantAgreement = true }, ""},
		{"participant agreement outside Housing First", func(in *caseflow.DecisionInput) {
			in.ParticipantAgreement, in.HousingType, in.Services[0].Code = true, "ordinaer", "boteam"
		}, "deltakeravtalen kan bare være vilkår"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := base()
			c.change(&in)
			_, problems := caseflow.CheckDecision(in, "begge", day.AddDays(-30), day, cat)
			got := strings.Join(invalid.Texts(problems, "nb", nil), "; ")
			switch {
			case c.want == "" && len(problems) > 0:
				t.Fatalf("unexpected problems: %s", got)
			case c.want != "" && !strings.Contains(got, c.want):
				t.Fatalf("want %q among the problems, got %q", c.want, got)
			}
		})
	}
}

// TestHousingFirstDeclinesAndPassedOver walks the allocation rules on
// both engines: a Housing First participant may decline without being sent
// to a new assessment (seed 002), an ordinary applicant may not beyond the
// local limit, and an offer that passes over a fitting applicant with higher
// priority takes a written reason and is kept for the report (seed 003).
func TestHousingFirstDeclinesAndPassedOver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		today := deadline.Of(2026, 11, 23)
		decide := func(n int, housingType housing.Category, groups []caseflow.Group) int64 {
			t.Helper()
			pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(31000 + n), FirstName: "Søker", LastName: "Nr" + strconv.Itoa(n)})
			if err != nil {
				t.Fatal(err)
			}
			app, err := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "begge", Received: deadline.Of(2026, 11, 2), YearsResident: 3, HouseholdSize: 1,
				RegisteredHere: true, Groups: groups}, today)
			if err != nil {
				t.Fatal(err)
			}
			in := caseflow.DecisionInput{Outcome: "innvilget", HousingType: housingType, Rooms: 1, Reasons: "Bostedsløs.", LegalBasisCodes: []string{"bsl-6"},
				DecidedOn: today}
			if housingType == "housing_first" {
				in.Services = []caseflow.Service{{Code: "housing_first", AsNeeded: true, AsNeededText: "Etter deltakerens behov", ProviderUnitID: tn.OrgUnitID, StartOn: today}}
				in.Coordinator, in.CoordinatorAgreed, in.ParticipantAgreement = "Ola", "ja", true
			}
			if _, err := caseflow.Decide(ctx, db, cw, app.ID, in, today); err != nil {
				t.Fatal(err)
			}
			return app.ID
		}
		unit := func(code string, category housing.Category) int64 {
			t.Helper()
			id, err := housing.CreateUnit(ctx, db, cw, housing.Unit{Code: code, Address: code + " gate", Category: category, Floor: 1, Rooms: 1, AreaM2: 30, RentMonthly: 7000})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}

		// Housing First: three declines, still on the list.
		hf := decide(1, "housing_first", nil)
		for i := range 3 {
			o, err := caseflow.MakeOffer(ctx, db, cw, hf, caseflow.OfferInput{UnitID: unit("HF"+strconv.Itoa(i), "housing_first")}, today)
			if err != nil {
				t.Fatal(err)
			}
			_, msg, err := caseflow.AnswerOffer(ctx, db, cw, hf, o.ID, caseflow.OfferAnswer{Reason: "Vil bo nærmere sønnen"}, today)
			if err != nil || !strings.Contains(msg.String(), "ingen grense for avslag") {
				t.Fatalf("Housing First decline %d: %q %v", i+1, msg, err)
			}
		}
		c, err := caseflow.Load(ctx, db, cw, hf, today, access.ChannelPage)
		if err != nil || c.Application.Status != "innvilget" {
			t.Fatalf("after three declines a Housing First case is %q (%v), want innvilget", c.Application.Status, err)
		}

		// An ordinary list keeps the local limit (2 by default).
		ord := decide(2, "ordinaer", nil)
		var msg invalid.Message
		for i := range 2 {
			o, err := caseflow.MakeOffer(ctx, db, cw, ord, caseflow.OfferInput{UnitID: unit("O"+strconv.Itoa(i), "ordinaer")}, today)
			if err != nil {
				t.Fatal(err)
			}
			if _, msg, err = caseflow.AnswerOffer(ctx, db, cw, ord, o.ID, caseflow.OfferAnswer{Reason: "Liker ikke bydelen"}, today); err != nil {
				t.Fatal(err)
			}
		}
		if !strings.Contains(msg.String(), "vurderes på nytt") {
			t.Fatalf("the second ordinary decline: %q", msg)
		}

		// A municipality may set a limit for Housing First too: it is data.
		if set := mustSettings(t, db, tn.MunicipalityID); set.Policy.DeclineLimitFor("housing_first", 2) != 0 || set.Policy.DeclineLimitFor("ordinaer", 2) != 2 {
			t.Fatalf("default decline limits: %+v", set.Policy.DeclineLimits)
		}

		// Passed over: a family with children (higher priority) waits for an
		// ordinary home; offering it to someone else takes a reason.
		high := decide(3, "ordinaer", []caseflow.Group{caseflow.GroupFamily})
		low := decide(4, "ordinaer", nil)
		free := unit("P1", "ordinaer")
		offers := count(t, db, "offers")
		_, err = caseflow.MakeOffer(ctx, db, cw, low, caseflow.OfferInput{UnitID: free}, today)
		mustInvalid(t, err, "forbigåelse: 1 søker(e) med høyere prioritet")
		if n := count(t, db, "offers"); n != offers {
			t.Fatalf("an offer was stored without the reason: %d → %d", offers, n)
		}
		o, err := caseflow.MakeOffer(ctx, db, cw, low, caseflow.OfferInput{UnitID: free, PassedOverReason: "Søkeren foran har takket nei til denne bydelen"}, today)
		if err != nil || o.PassedOver != 1 {
			t.Fatalf("offer with a reason: %+v %v", o, err)
		}
		// The higher-priority applicant's own offer passes no one over.
		if o2, err := caseflow.MakeOffer(ctx, db, cw, high, caseflow.OfferInput{UnitID: unit("P2", "ordinaer")}, today); err != nil || o2.PassedOver != 0 {
			t.Fatalf("offer to the first in line: %+v %v", o2, err)
		}
		// The report: the auditor with a purpose sees the offer and whom it
		// passed over; a case worker may not read it.
		auditor := access.Actor{MunicipalityID: tn.MunicipalityID, Username: "tilsyn", Name: "Tilsyn", Role: access.Auditor, Reason: "Tilsyn med tildelingspraksis 2026"}
		report, err := caseflow.PassedOverReport(ctx, db, auditor, access.ChannelPage)
		if err != nil || len(report) != 1 || len(report[0].Passed) != 1 || report[0].Passed[0].ApplicationID != high || report[0].Reason == "" {
			t.Fatalf("report: %+v %v", report, err)
		}
		if _, err := caseflow.PassedOverReport(ctx, db, cw, access.ChannelPage); err == nil {
			t.Fatal("a case worker read the passed-over report")
		}
	})
}

func mustSettings(t *testing.T, db *store.DB, municipalityID int64) allocation.Settings {
	t.Helper()
	s, err := allocation.SettingsOf(context.Background(), db, municipalityID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestMappingCoversWorkHealthSchoolAndHomeForm stores the mapping's new
// parts and refuses an unknown kind of home, storing nothing.
func TestMappingCoversWorkHealthSchoolAndHomeForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(32000), FirstName: "Aktiv", LastName: "Arbeidsøker"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = caseflow.SaveMapping(ctx, db, cw, pid, caseflow.Mapping{HomeForm: "slott"})
		mustInvalid(t, err, "ønsket boform")
		if n := count(t, db, "mappings"); n != 0 {
			t.Fatalf("%d mappings stored from bad input", n)
		}
		m := caseflow.Mapping{ActivityWishes: "Vil jobbe i kafé (Arbeid først)", ChildrenSchool: "Datteren går på Allanengen skole", MovingNeeds: "Trenger seng og kjøleskap",
			HomeForm: "smahus", SomaticHealth: "Diabetes type 2"}
		if _, err := caseflow.SaveMapping(ctx, db, cw, pid, m); err != nil {
			t.Fatal(err)
		}
		got, err := caseflow.LatestMapping(ctx, db, cw, pid, access.ChannelPage)
		if err != nil || got.HomeForm != "smahus" || got.MovingNeeds == "" {
			t.Fatalf("mapping: %+v %v", got, err)
		}
		// Somatic health is health data: a case worker's grant without
		// consent does not show it, but it is kept for those who may.
		if got.SomaticHealth != "" {
			t.Errorf("a case worker without consent saw somatic health: %q", got.SomaticHealth)
		}
		var stored string
		if err := db.QueryRowContext(ctx, "SELECT somatic_health FROM mappings WHERE person_id = ?", pid).Scan(&stored); err != nil || stored != "" {
			// Written by an actor without the health grant: carried over (empty), never taken from the form.
			t.Errorf("somatic health stored by an actor without the grant: %q %v", stored, err)
		}
	})
}
