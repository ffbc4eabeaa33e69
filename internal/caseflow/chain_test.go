package caseflow_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/identity"
	"husly/internal/people"
	_ "husly/internal/personaldata/all" // erasure needs every capability's tables
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func mustInvalid(t *testing.T, err error, want string) {
	t.Helper()
	var ve *caseflow.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(ve.Error(), want) {
		t.Fatalf("want a validation error with %q, got %v", want, err)
	}
}

func count(t *testing.T, db *store.DB, table string) (n int) {
	t.Helper()
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestChainFromApplicationToLease walks one case from application through
// case handling, the combined decision and its amendment, an offer that is
// declined and one that is accepted, to a signed lease, with the bad
// inputs the issue names refused and nothing stored.
func TestChainFromApplicationToLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		today := deadline.Of(2026, 11, 23)
		pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(30000), FirstName: "Kari", LastName: "Nord"})
		if err != nil {
			t.Fatal(err)
		}
		app, err := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "begge", Received: deadline.Of(2026, 11, 2), YearsResident: 3, HouseholdSize: 1,
			RegisteredHere: true, Groups: []caseflow.Group{caseflow.GroupHomeless}}, today)
		if err != nil {
			t.Fatal(err)
		}

		// Where the network lives is recorded only when the person wants it.
		_, err = caseflow.SaveMapping(ctx, db, cw, pid, caseflow.Mapping{NearNetwork: true, NetworkDistricts: "Frei"})
		mustInvalid(t, err, "nettverket registreres bare når personen ønsker det")
		if m, err := caseflow.SaveMapping(ctx, db, cw, pid, caseflow.Mapping{NearNetwork: true, ShareNetwork: true, NetworkDistricts: "Frei"}); err != nil || m.NetworkDistricts != "Frei" {
			t.Fatalf("mapping with the network's district: %+v %v", m, err)
		}

		// Case handling.
		if _, err := caseflow.RequestInformation(ctx, db, cw, app.ID, caseflow.RequestInput{What: "Lønnsslipp", DueOn: deadline.Of(2026, 11, 20)}, today); err == nil {
			t.Fatal("a request due in the past was stored")
		}
		req, err := caseflow.RequestInformation(ctx, db, cw, app.ID, caseflow.RequestInput{What: "Lønnsslipp for oktober"}, today)
		if err != nil || req.DueOn.String() != "2026-12-07" {
			t.Fatalf("request: %+v %v", req, err)
		}
		if err := caseflow.MarkReceived(ctx, db, cw, app.ID, req.ID, today); err != nil {
			t.Fatal(err)
		}
		mustInvalid(t, caseflow.MarkReceived(ctx, db, cw, app.ID, req.ID, today), "allerede mottatt")
		if _, err := caseflow.LogMeeting(ctx, db, cw, app.ID, caseflow.Meeting{Participants: "Kari, saksbehandler", Summary: "Ønsker bakkeplan, har katt"}, today); err != nil {
			t.Fatal(err)
		}
		if _, err := caseflow.ConsiderAlternative(ctx, db, cw, app.ID, caseflow.Alternative{Kind: "startlan", Outcome: "ikke_aktuelt", Assessment: "Inntekten er for lav til å betjene lån."}); err != nil {
			t.Fatal(err)
		}
		interim, err := caseflow.StartInterim(ctx, db, cw, app.ID, caseflow.Interim{Service: "Praktisk bistand", HoursPerWeek: 3, ProviderUnitID: tn.OrgUnitID, StartOn: deadline.Of(2026, 11, 5)}, today)
		if err != nil || !strings.Contains(interim.Warning, "19 dager uten vedtak") {
			t.Fatalf("interim: %+v %v", interim, err)
		}

		// A decision without the required parts is refused, and nothing stored.
		_, err = caseflow.Decide(ctx, db, cw, app.ID, caseflow.DecisionInput{Outcome: "innvilget", Services: []caseflow.Service{{Service: "Oppfølging", HoursPerWeek: 200}}}, today)
		mustInvalid(t, err, "begrunnelsen")
		for _, want := range []string{"hjemmel: velg minst én", "tjeneste 1: velg tjenesten fra kommunens tjenestekatalog", "velg hvilken type bolig", "mellom 1 og 10 rom", "tjeneste 1: omfanget", "tjeneste 1: velg enheten", "koordinator"} {
			mustInvalid(t, err, want)
		}
		if n := count(t, db, "decisions"); n != 0 {
			t.Fatalf("%d decisions stored from bad input", n)
		}
		in := caseflow.DecisionInput{Outcome: "innvilget", HousingType: "ordinaer", Rooms: 2, Requirements: []string{"bakkeplan"},
			Services:    []caseflow.Service{{Code: "boteam", HoursPerWeek: 4, ProviderUnitID: tn.OrgUnitID, StartOn: deadline.Of(2026, 11, 23)}},
			Coordinator: "Ola Koordinator", CoordinatorAgreed: "ja", Conditions: "Oppfølgingsavtale med boteamet", Reasons: "Søkeren er bostedsløs og trenger oppfølging.",
			LegalBasisCodes: []string{"bsl-6", "hol-3-4"}, DecidedOn: deadline.Of(2026, 11, 23)}
		d1, err := caseflow.Decide(ctx, db, cw, app.ID, in, today)
		// The appeal deadline runs only once the letter is sent (§ 29).
		if err != nil || d1.Version != 1 || !d1.AppealDue.IsZero() || !d1.NotifiedOn.IsZero() {
			t.Fatalf("decide: %+v %v", d1, err)
		}
		// An amendment makes version 2 with its changes; a stale form is refused.
		in.BaseVersion, in.Rooms, in.AmendmentReason = 1, 3, "Søkeren får barna annenhver uke"
		d2, err := caseflow.Decide(ctx, db, cw, app.ID, in, today)
		if err != nil || d2.Version != 2 || len(d2.Changes) != 1 || d2.Changes[0].Field != "Antall rom" || d2.Changes[0].After != "3" {
			t.Fatalf("amend: %+v %v", d2, err)
		}
		in.Rooms = 1
		if _, err := caseflow.Decide(ctx, db, cw, app.ID, in, today); !errors.Is(err, caseflow.ErrStale) {
			t.Fatalf("stale amendment: %v", err)
		}
		if n := count(t, db, "decisions"); n != 2 {
			t.Fatalf("%d decisions after a stale form, want 2", n)
		}

		// Offers: a unit that does not fit is refused with the reason.
		a := tn.CaseWorker()
		high, _ := housing.CreateUnit(ctx, db, a, housing.Unit{Code: "H4", Address: "Høyden 4", Category: "ordinaer", Floor: 4, Rooms: 3, AreaM2: 60, RentMonthly: 9000})
		low, _ := housing.CreateUnit(ctx, db, a, housing.Unit{Code: "B1", Address: "Bakken 1", Category: "ordinaer", Floor: 1, Rooms: 3, AreaM2: 60, RentMonthly: 8000})
		low2, _ := housing.CreateUnit(ctx, db, a, housing.Unit{Code: "B2", Address: "Bakken 2", Category: "ordinaer", Floor: 1, Rooms: 3, AreaM2: 62, RentMonthly: 8200})
		_, err = caseflow.MakeOffer(ctx, db, cw, app.ID, caseflow.OfferInput{UnitID: high}, today)
		mustInvalid(t, err, "bakkeplan")
		o1, err := caseflow.MakeOffer(ctx, db, cw, app.ID, caseflow.OfferInput{UnitID: low}, today)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = caseflow.AnswerOffer(ctx, db, cw, app.ID, o1.ID, caseflow.OfferAnswer{}, today)
		mustInvalid(t, err, "hvorfor")
		_, msg, err := caseflow.AnswerOffer(ctx, db, cw, app.ID, o1.ID, caseflow.OfferAnswer{Reason: "For nær det gamle miljøet"}, today)
		if err != nil || !strings.Contains(msg.String(), "1 av 2") {
			t.Fatalf("decline: %q %v", msg, err)
		}
		u, _ := housing.GetUnit(ctx, db, tn.MunicipalityID, low)
		if u.Status != "ledig" {
			t.Fatalf("declined unit is %s, want ledig", u.Status)
		}
		o2, err := caseflow.MakeOffer(ctx, db, cw, app.ID, caseflow.OfferInput{UnitID: low2}, today)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := caseflow.AnswerOffer(ctx, db, cw, app.ID, o2.ID, caseflow.OfferAnswer{Accept: true}, today); err != nil {
			t.Fatal(err)
		}

		// The lease: a deposit above the municipality's three months' rent
		// or the law's six, a deposit without where it is held, an end
		// before the start, are refused; the default term is the category's.
		_, err = caseflow.SignLease(ctx, db, cw, app.ID, caseflow.LeaseInput{Deposit: 30000, DepositHeld: "depositumskonto"}, today)
		mustInvalid(t, err, "høyst 3 måneders husleie (24 600 kr) etter kommunens regel")
		_, err = caseflow.SignLease(ctx, db, cw, app.ID, caseflow.LeaseInput{Deposit: 50000, DepositHeld: "depositumskonto"}, today)
		mustInvalid(t, err, "seks måneders husleie (49 200 kr) etter husleieloven § 3-5")
		_, err = caseflow.SignLease(ctx, db, cw, app.ID, caseflow.LeaseInput{Deposit: 1000}, today)
		mustInvalid(t, err, "velg hvor depositumet står")
		_, err = caseflow.SignLease(ctx, db, cw, app.ID, caseflow.LeaseInput{Term: caseflow.TermMonths, Months: 121}, today)
		mustInvalid(t, err, "mellom 1 og 120 måneder")
		_, err = caseflow.SignLease(ctx, db, cw, app.ID, caseflow.LeaseInput{Start: deadline.Of(2026, 12, 1), Term: caseflow.TermEndDate, EndDate: deadline.Of(2026, 11, 30)}, today)
		mustInvalid(t, err, "kan ikke slutte før det starter")
		if n := count(t, db, "leases"); n != 0 {
			t.Fatalf("%d leases stored from bad input", n)
		}
		lease, err := caseflow.SignLease(ctx, db, cw, app.ID, caseflow.LeaseInput{Start: deadline.Of(2026, 12, 1), Deposit: 24600, DepositHeld: "depositumskonto"}, today)
		if err != nil || lease.End.String() != "2029-11-30" || lease.Permanent || lease.DepositHeld != "depositumskonto" || lease.FollowUpAgreement != "Oppfølgingsavtale med boteamet" || !strings.Contains(lease.HouseRules, "husleieloven") {
			t.Fatalf("lease: %+v %v", lease, err)
		}
		_, err = caseflow.RecordInspection(ctx, db, cw, app.ID, lease.ID, caseflow.Inspection{Kind: "innflytting", Items: []caseflow.InspectionItem{{Item: "Kjøleskap", Condition: "sprukket"}}}, today)
		mustInvalid(t, err, "velg tilstand")
		if _, err := caseflow.RecordInspection(ctx, db, cw, app.ID, lease.ID, caseflow.Inspection{Kind: "innflytting",
			Items: []caseflow.InspectionItem{{Item: "Kjøleskap", Condition: "god"}, {Item: "Nøkler (3)", Condition: "god"}}}, today); err != nil {
			t.Fatal(err)
		}
		c, err := caseflow.Load(ctx, db, cw, app.ID, deadline.Of(2029, 9, 1), access.ChannelPage)
		if err != nil || c.Application.Status != "kontrakt" || !strings.Contains(c.Leases[0].Warning, "vurder fornyelse") || len(c.Leases[0].Inspections) != 1 {
			t.Fatalf("case: %+v %v", c.Application, err)
		}
		err = caseflow.TerminateLease(ctx, db, cw, app.ID, lease.ID, caseflow.Termination{On: deadline.Of(2026, 11, 1), Reason: "Flytter"}, today)
		mustInvalid(t, err, "før leieforholdet startet")
		// Notice to a date ahead: still let until then, and the task list says so.
		later := deadline.Of(2027, 2, 28)
		if err := caseflow.TerminateLease(ctx, db, cw, app.ID, lease.ID, caseflow.Termination{On: later, Reason: "Flytter til Ålesund"}, today); err != nil {
			t.Fatal(err)
		}
		if u, _ := housing.GetUnit(ctx, db, tn.MunicipalityID, low2); u.Status != "utleid" {
			t.Fatalf("a unit under notice is %s", u.Status)
		}
		tasks, _ := caseflow.Tasks(ctx, db, cw, false, today, access.ChannelPage)
		if !slices.ContainsFunc(tasks, func(t caseflow.Task) bool { return t.Kind == "utflytting" && t.Due.String() == later.String() }) {
			t.Fatalf("no move-out task: %+v", tasks)
		}
		if err := caseflow.TerminateLease(ctx, db, cw, app.ID, lease.ID, caseflow.Termination{On: later, Reason: "Flyttet"}, later); err != nil {
			t.Fatal(err)
		}
		if u, _ := housing.GetUnit(ctx, db, tn.MunicipalityID, low2); u.Status != "ledig" {
			t.Fatalf("an ended lease left the unit %s", u.Status)
		}

		// Letters carry what the law requires.
		var pdf bytes.Buffer
		for _, kind := range []string{caseflow.LetterDecision, caseflow.LetterLease} {
			l, err := caseflow.MakeLetter(ctx, db, cw, app.ID, kind, today, access.ChannelPage)
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			pdf.Reset()
			if err := l.WritePDF(&pdf, time.Now()); err != nil || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
				t.Fatalf("%s pdf: %v", kind, err)
			}
		}
		l, _ := caseflow.MakeLetter(ctx, db, cw, app.ID, caseflow.LetterDecision, today, access.ChannelPage)
		text := letterText(l)
		for _, want := range []string{"Du kan klage", "14.12.2026", "Statsforvalteren", "rett til å se dokumentene", "boligsosiale feltet § 6 (Individuelt tilpasset bistand", "Antall rom: «2» er endret til «3»", "Oppfølging fra boteamet, 4 timer per uke"} {
			if !strings.Contains(text, want) {
				t.Errorf("decision letter lacks %q:\n%s", want, text)
			}
		}
		if _, err := caseflow.MakeLetter(ctx, db, cw, app.ID, caseflow.LetterProvisional, today, access.ChannelPage); err == nil {
			t.Error("a provisional answer was made for a decided case")
		}
	})
}

func letterText(l caseflow.Letter) string {
	var b strings.Builder
	for _, s := range l.Sections {
		b.WriteString(s.Heading + "\n" + strings.Join(s.Paragraphs, "\n") + "\n" + strings.Join(s.List, "\n") + "\n")
		for _, f := range s.Facts {
			b.WriteString(f[0] + ": " + f[1] + "\n")
		}
	}
	return b.String()
}

// TestAppeals: only a decision can be appealed, late appeals are flagged,
// the steps come in order, and Statsforvalteren's outcome is final.
func TestAppeals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		today := deadline.Of(2026, 11, 23)
		pid, _ := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(30001), FirstName: "Per", LastName: "Sør"})
		app, err := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "kommunal_bolig", Received: deadline.Of(2026, 9, 1), YearsResident: 3, HouseholdSize: 1, RegisteredHere: true}, today)
		if err != nil {
			t.Fatal(err)
		}
		_, err = caseflow.RegisterAppeal(ctx, db, cw, app.ID, caseflow.AppealInput{Grounds: "Uenig"}, today)
		mustInvalid(t, err, "bare et enkeltvedtak kan påklages")
		if _, err := caseflow.Decide(ctx, db, cw, app.ID, caseflow.DecisionInput{Outcome: "avslag", Reasons: "Inntekten er over grensen.",
			LegalBasisCodes: []string{"stl-15"}, DecidedOn: deadline.Of(2026, 10, 1)}, today); err != nil {
			t.Fatal(err)
		}
		// Sent by paper post on 1 October: taken to arrive five days later
		// (6 October), so the deadline is Tuesday 27 October.
		if err := caseflow.RecordLetterSent(ctx, db, cw, app.ID, caseflow.LetterDecision, caseflow.SendInput{Channel: caseflow.ChannelPaper, SentOn: deadline.Of(2026, 10, 1)}, today); err != nil {
			t.Fatal(err)
		}
		x, err := caseflow.RegisterAppeal(ctx, db, cw, app.ID, caseflow.AppealInput{ReceivedOn: deadline.Of(2026, 10, 30), Grounds: "Inntekten er feil beregnet"}, today)
		if err != nil || !x.Late || x.AppealDue.String() != "2026-10-27" {
			t.Fatalf("late appeal: %+v %v", x, err)
		}
		_, err = caseflow.AdvanceAppeal(ctx, db, cw, app.ID, x.ID, caseflow.AppealStep{Step: "send"}, today)
		mustInvalid(t, err, "bare en klage enheten har opprettholdt")
		// A late appeal is reconsidered only once the unit has decided to
		// consider it all the same, with the reason (§ 31).
		_, err = caseflow.AdvanceAppeal(ctx, db, cw, app.ID, x.ID, caseflow.AppealStep{Step: "vurder", Outcome: "opprettholdt", Note: "Ingen nye opplysninger."}, today)
		mustInvalid(t, err, "bestem først om den skal behandles likevel")
		_, err = caseflow.AdvanceAppeal(ctx, db, cw, app.ID, x.ID, caseflow.AppealStep{Step: "frist", Outcome: "behandles"}, today)
		mustInvalid(t, err, "skriv hvorfor")
		if x, err = caseflow.AdvanceAppeal(ctx, db, cw, app.ID, x.ID, caseflow.AppealStep{Step: "frist", Outcome: "behandles", Note: "Søkeren var innlagt på sykehus da brevet kom."}, today); err != nil || x.LateDecision != "behandles" || x.Status != "mottatt" {
			t.Fatalf("late decision: %+v %v", x, err)
		}
		steps := []caseflow.AppealStep{{Step: "vurder", Outcome: "opprettholdt", Note: "Klagen gir ikke nye opplysninger."}, {Step: "send"}, {Step: "utfall", Outcome: "stadfestet"}}
		for _, s := range steps {
			if x, err = caseflow.AdvanceAppeal(ctx, db, cw, app.ID, x.ID, s, today); err != nil {
				t.Fatalf("%s: %v", s.Step, err)
			}
		}
		if x.Status != "avgjort" {
			t.Fatalf("status %s", x.Status)
		}
		_, err = caseflow.RegisterAppeal(ctx, db, cw, app.ID, caseflow.AppealInput{Grounds: "Igjen"}, today)
		mustInvalid(t, err, "endelig")
		if _, err := caseflow.MakeLetter(ctx, db, cw, app.ID, caseflow.LetterAppealFile, today, access.ChannelPage); err != nil {
			t.Fatal(err)
		}
		// The case is an archive document: the person cannot be erased.
		leader := cw
		leader.Role = access.UnitLeader
		err = people.Delete(ctx, db, leader, pid, "Feilregistrert")
		if !errors.Is(err, people.ErrMustKeep) || !strings.Contains(err.Error(), "1 søknad") || !strings.Contains(err.Error(), "1 klage") {
			t.Fatalf("erasing a person with a case: %v", err)
		}
		// Another municipality's case worker finds nothing.
		other := storetest.NewTenant(t, db, "1506").CaseWorker()
		if _, err := caseflow.Load(ctx, db, other, app.ID, today, access.ChannelPage); !errors.Is(err, caseflow.ErrNotFound) {
			t.Fatalf("cross-municipality read: %v", err)
		}
	})
}

// TestResidentApplies: the resident's draft, a document, the refusal of a
// half-done application, sending it, and following it: what the case
// worker asks for and the letters sent.
func TestResidentApplies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		today := deadline.Of(2026, 11, 23)
		pid, _ := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(30002), FirstName: "Rita", LastName: "Vest"})
		me := access.Actor{MunicipalityID: tn.MunicipalityID, PersonID: pid, Username: "rita", Name: "Rita Vest", Role: access.Resident}
		if _, err := caseflow.SaveDraft(ctx, db, cw, caseflow.DraftInput{}); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("staff saving a resident's draft: %v", err)
		}
		if _, err := caseflow.Apply(ctx, db, me, pid, caseflow.ApplicationInput{Kind: "kommunal_bolig", HouseholdSize: 1}, today); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a resident registering through the staff's door: %v", err)
		}
		in := caseflow.DraftInput{ApplicationInput: caseflow.ApplicationInput{Kind: "kommunal_bolig", HouseholdSize: 1, YearsResident: 4, RegisteredHere: true}}
		if _, err := caseflow.SaveDraft(ctx, db, me, in); err != nil {
			t.Fatal(err)
		}
		_, err := caseflow.Attach(ctx, db, me, "skatt.exe", []byte("MZ\x90\x00 not a document"))
		mustInvalid(t, err, "bare PDF, PNG og JPEG")
		doc, err := caseflow.Attach(ctx, db, me, "../../lonn.pdf", []byte("%PDF-1.4\n%test\n"))
		if err != nil || doc.Filename != "lonn.pdf" || doc.ContentType != "application/pdf" {
			t.Fatalf("attach: %+v %v", doc, err)
		}
		// The stored name ends with the extension of what was sent, not what the sender claimed.
		for name, want := range map[string]string{"poly.html": "poly.pdf", "skjema": "skjema.pdf", ".pdf.exe": ".pdf.pdf"} {
			x, err := caseflow.Attach(ctx, db, me, name, []byte("%PDF-1.4\n%test\n"))
			if err != nil || x.Filename != want {
				t.Fatalf("attach %q: stored as %q (%v), want %q", name, x.Filename, err, want)
			}
			if err := caseflow.RemoveAttachment(ctx, db, me, x.ID); err != nil {
				t.Fatal(err)
			}
		}
		_, err = caseflow.SubmitDraft(ctx, db, me, today)
		mustInvalid(t, err, "hvor du bor nå")
		in.Residence, in.Situation = caseflow.WithOthers, "Bor hos en venn etter samlivsbrudd"
		if _, err := caseflow.SaveDraft(ctx, db, me, in); err != nil {
			t.Fatal(err)
		}
		app, err := caseflow.SubmitDraft(ctx, db, me, today)
		if err != nil || app.CaseWorker != "" {
			t.Fatalf("submit: %+v %v", app, err)
		}
		if d, _ := caseflow.MyDraft(ctx, db, me); d.ID != 0 {
			t.Fatalf("the sent draft is still open: %+v", d)
		}
		if err := caseflow.TakeCase(ctx, db, cw, app.ID); err != nil {
			t.Fatal(err)
		}
		c, err := caseflow.Load(ctx, db, cw, app.ID, today, access.ChannelPage)
		if err != nil || c.Application.CaseWorker != cw.Name || len(c.Attachments) != 1 {
			t.Fatalf("the case worker's view: %+v %v", c.Application, err)
		}
		if _, data, err := caseflow.CaseAttachment(ctx, db, cw, app.ID, doc.ID, access.ChannelPage); err != nil || !bytes.HasPrefix(data, []byte("%PDF")) {
			t.Fatalf("document: %v", err)
		}
		if _, err := caseflow.RequestInformation(ctx, db, cw, app.ID, caseflow.RequestInput{What: "Bekreftelse fra NAV"}, today); err != nil {
			t.Fatal(err)
		}
		if err := caseflow.RecordLetterSent(ctx, db, cw, app.ID, caseflow.LetterProvisional, caseflow.SendInput{Channel: caseflow.ChannelDigital}, today); err != nil {
			t.Fatal(err)
		}
		mine, err := caseflow.MyCases(ctx, db, me, today)
		if err != nil || len(mine) != 1 || len(mine[0].Requests) != 1 || mine[0].Letters[0] != caseflow.LetterProvisional || mine[0].Application.Provisional.String() != "2026-11-23" {
			t.Fatalf("the resident's view: %+v %v", mine, err)
		}
	})
}
