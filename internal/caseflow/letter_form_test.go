package caseflow_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/pdf/pdftest"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/writtenform"
)

// element is one thing forvaltningsloven §§ 24–27 (and §§ 18–19, 29, 42)
// asks of a decision letter, with the words that show it in each form.
type element struct {
	what            string
	bokmal, nynorsk []string
}

// decisionElements are checked in every decision letter, granted or
// refused, in both forms. "%due", "%basis", "%reasons", "%from" and
// "%caseworker" stand for the case's own values.
var decisionElements = []element{
	{"vedtaket (§ 24)", []string{"Vedtak"}, []string{"Vedtak"}},
	{"begrunnelsen (§ 24, § 25 tredje ledd)", []string{"Begrunnelse", "%reasons"}, []string{"Grunngiving", "%reasons"}},
	{"hjemmelen (§ 25 første ledd)", []string{"Vedtaket er gjort etter %basis."}, []string{"Vedtaket er gjort etter %basis."}},
	{"klageretten (§ 27 tredje ledd)", []string{"Du kan klage på vedtaket."}, []string{"Du kan klage på vedtaket."}},
	{"klagefristen (§ 27 tredje ledd, § 29)", []string{"tre uker", "forvaltningsloven § 29", "%due"}, []string{"tre veker", "forvaltningslova § 29", "%due"}},
	{"hvor klagen sendes (§ 27 tredje ledd)", []string{"Send klagen til %from."}, []string{"Send klaga til %from."}},
	{"hjelp til å klage (§ 11)", []string{"Du kan få hjelp til å skrive klagen av oss."}, []string{"Du kan få hjelp av oss til å skrive klaga."}},
	{"klageinstansen", []string{"Statsforvalteren"}, []string{"Statsforvaltaren"}},
	{"utsatt iverksetting (§ 42)", []string{"forvaltningsloven § 42"}, []string{"forvaltningslova § 42"}},
	{"retten til å se dokumentene (§§ 18 og 19, § 27 tredje ledd)", []string{"rett til å se dokumentene", "forvaltningsloven §§ 18 og 19"}, []string{"rett til å sjå dokumenta", "forvaltningslova §§ 18 og 19"}},
	{"saksbehandleren å kontakte", []string{"kontakte saksbehandleren din, %caseworker, ved %from."}, []string{"kontakte saksbehandlaren din, %caseworker, ved %from."}},
}

func (e element) words(f writtenform.Form, values map[string]string) []string {
	ws := e.bokmal
	if f == writtenform.Nynorsk {
		ws = e.nynorsk
	}
	out := make([]string, len(ws))
	for i, w := range ws {
		for k, v := range values {
			w = strings.ReplaceAll(w, k, v)
		}
		out[i] = w
	}
	return out
}

// Both forms of a decision letter, granted and refused, carry every
// element the law asks for, each in the form's own words.
func TestDecisionLetterHasEveryElementInBothForms(t *testing.T) {
	dec := caseflow.Decision{Version: 1, Reasons: "Søkjaren har ikkje budd i kommunen i to år.", LegalBasis: "lov om kommunenes ansvar på det boligsosiale feltet § 7",
		DecidedOn: deadline.Of(2026, 11, 23), AppealDue: deadline.Of(2026, 12, 14)}
	values := map[string]string{"%due": "14.12.2026", "%basis": dec.LegalBasis, "%reasons": dec.Reasons, "%from": "Boligkontoret", "%caseworker": "Siri Saksbehandler"}
	for _, outcome := range []caseflow.Outcome{caseflow.OutcomeRefused, caseflow.OutcomeGranted} {
		for _, f := range writtenform.Forms {
			d := dec
			d.Outcome = outcome
			if outcome == caseflow.OutcomeGranted {
				d.HousingType, d.Rooms = "ordinaer", 2
			}
			l, err := caseflow.BuildLetter(caseflow.LetterDecision, caseflow.LetterData{Municipality: "Kristiansund", PersonName: "Kari Nord", CaseWorker: "Siri Saksbehandler",
				OrgUnit: "Boligkontoret", Form: f, Today: deadline.Of(2026, 11, 23),
				Case: caseflow.Case{Application: caseflow.Application{ID: 7, Kind: "kommunal_bolig", Received: deadline.Of(2026, 11, 2)}, Decisions: []caseflow.Decision{d}}})
			if err != nil {
				t.Fatal(err)
			}
			if l.Form != f || l.Lang != f.Lang() {
				t.Errorf("%s %s: the letter says it is %s (%s)", outcome, f, l.Form, l.Lang)
			}
			text := letterText(l)
			for _, e := range decisionElements {
				for _, w := range e.words(f, values) {
					if !strings.Contains(text, w) {
						t.Errorf("%s, %s: %s is missing (%q)", outcome, f, e.what, w)
					}
				}
			}
		}
	}
}

// letterPDFText is the letter as the PDF shows it.
func letterPDFText(t *testing.T, l caseflow.Letter) string {
	t.Helper()
	var b bytes.Buffer
	if err := l.WritePDF(&b, time.Now()); err != nil {
		t.Fatal(err)
	}
	return pdftest.Text(b.Bytes())
}

// A nynorsk municipality's refusal letter is nynorsk, in its content and
// its PDF; a bokmål municipality writes nynorsk to a person who asked for
// it; the person's wish wins both ways; an unknown written form is refused
// with a Norwegian message and nothing is stored.
func TestLettersFollowTheWrittenForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		admin := cw
		admin.Role = access.Admin
		today := deadline.Of(2026, 11, 23)
		pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(30100), FirstName: "Kari", LastName: "Nord"})
		if err != nil {
			t.Fatal(err)
		}
		app, err := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "kommunal_bolig", Received: deadline.Of(2026, 11, 2), YearsResident: 3, HouseholdSize: 1, RegisteredHere: true}, today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := caseflow.Decide(ctx, db, cw, app.ID, caseflow.DecisionInput{Outcome: caseflow.OutcomeRefused, Reasons: "Søkjaren har eigen bustad.",
			LegalBasisCodes: []string{"bsl-6"}, DecidedOn: deadline.Of(2026, 11, 23)}, today); err != nil {
			t.Fatal(err)
		}
		letter := func() caseflow.Letter {
			t.Helper()
			l, err := caseflow.MakeLetter(ctx, db, cw, app.ID, caseflow.LetterDecision, today, access.ChannelPage)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}

		// Bokmål by default.
		l := letter()
		if l.Form != writtenform.Bokmal || !strings.Contains(letterText(l), "Søknaden din er avslått.") || !strings.Contains(letterText(l), "Begrunnelse") {
			t.Fatalf("default letter is not bokmål: %s\n%s", l.Form, letterText(l))
		}

		// A nynorsk municipality: the refusal in nynorsk, with its opening
		// text's nynorsk default, in the content and in the real PDF.
		if err := writtenform.SetMunicipality(ctx, db, admin, "nynorsk"); err != nil {
			t.Fatal(err)
		}
		l = letter()
		text, pdfText := letterText(l), letterPDFText(t, l)
		for _, want := range []string{"Vedtak: avslag på søknad om kommunal bustad", "Vi har behandla søknaden din", "Grunngiving", "Send klaga til Boligkontoret.",
			"tre veker", "forvaltningslova § 29", "14.12.2026", "Statsforvaltaren", "rett til å sjå dokumenta", "kontakte saksbehandlaren din"} {
			if !strings.Contains(text, want) && !strings.Contains(l.Title, want) {
				t.Errorf("nynorsk letter lacks %q:\n%s", want, text)
			}
			if !strings.Contains(pdfText, want) {
				t.Errorf("nynorsk PDF lacks %q:\n%s", want, pdfText)
			}
		}
		for _, bokmal := range []string{"Begrunnelse", "Send klagen", "tre uker", "forvaltningsloven", "dokumentene", "Saksbehandler:", "Laget "} {
			if strings.Contains(pdfText, bokmal) {
				t.Errorf("nynorsk PDF has the bokmål %q:\n%s", bokmal, pdfText)
			}
		}
		if !strings.Contains(pdfText, "Laga ") || !strings.Contains(pdfText, "side 1 av ") || !strings.Contains(pdfText, "Saksbehandlar") {
			t.Errorf("the PDF's own words are not nynorsk:\n%s", pdfText)
		}

		// The municipality's own nynorsk opening is used in nynorsk letters.
		if err := caseflow.SetText(ctx, db, admin, caseflow.NynorskText(caseflow.TextRefusal), "Hei {navn}. Her er svaret frå oss."); err != nil {
			t.Fatal(err)
		}
		if text := letterText(letter()); !strings.Contains(text, "Hei Kari Nord. Her er svaret frå oss.") {
			t.Errorf("the municipality's nynorsk text is not used:\n%s", text)
		}

		// The person's wish wins: bokmål in a nynorsk municipality …
		if err := people.SetWrittenForm(ctx, db, cw, pid, "bokmal"); err != nil {
			t.Fatal(err)
		}
		if l := letter(); l.Form != writtenform.Bokmal || !strings.Contains(letterPDFText(t, l), "Send klagen til Boligkontoret.") {
			t.Errorf("a person who wants bokmål got %s", l.Form)
		}
		// … and nynorsk in a bokmål municipality.
		if err := writtenform.SetMunicipality(ctx, db, admin, "bokmal"); err != nil {
			t.Fatal(err)
		}
		if err := people.SetWrittenForm(ctx, db, cw, pid, "nynorsk"); err != nil {
			t.Fatal(err)
		}
		if l := letter(); l.Form != writtenform.Nynorsk || !strings.Contains(letterPDFText(t, l), "Send klaga til Boligkontoret.") {
			t.Errorf("a person who wants nynorsk in a bokmål municipality got %s", l.Form)
		}
		v, err := people.Load(ctx, db, cw, pid, access.ChannelPage)
		if err != nil || v.WrittenForm.Value() != writtenform.Nynorsk {
			t.Errorf("the person's record shows the written form %q (%v)", v.WrittenForm.Value(), err)
		}

		// Bad input: an unknown form is refused in Norwegian, nothing stored.
		entries := count(t, db, "audit_log")
		var bad *invalid.Error
		if err := people.SetWrittenForm(ctx, db, cw, pid, "svensk"); !errors.As(err, &bad) || !strings.Contains(err.Error(), "skriftspråk") || !strings.Contains(err.Error(), "nynorsk") {
			t.Errorf("an unknown written form for the person: %v", err)
		}
		if err := writtenform.SetMunicipality(ctx, db, admin, "samisk"); !errors.As(err, &bad) || !strings.Contains(err.Error(), "kommunens skriftspråk") {
			t.Errorf("an unknown written form for the municipality: %v", err)
		}
		if err := writtenform.SetMunicipality(ctx, db, cw, "nynorsk"); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a case worker set the municipality's written form: %v", err)
		}
		if p, _ := writtenform.OfMunicipality(ctx, db, tn.MunicipalityID); p != writtenform.PolicyBokmal {
			t.Errorf("the municipality's form is %q after bad input", p)
		}
		if l := letter(); l.Form != writtenform.Nynorsk {
			t.Errorf("the person's form changed after bad input: %s", l.Form)
		}
		if n := count(t, db, "audit_log"); n != entries {
			t.Errorf("bad input wrote %d audit entries", n-entries)
		}
		// The schema refuses an unknown form too.
		if _, err := db.ExecContext(ctx, "UPDATE persons SET written_form = 'svensk' WHERE id = ?", pid); err == nil {
			t.Error("the database stored an unknown written form")
		}
	})
}
