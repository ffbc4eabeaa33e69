package caseflow

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"husly/internal/deadline"
	"husly/internal/writtenform"
)

var verbs = regexp.MustCompile(`%[a-z]`)

// Both written forms have every sentence, with the same values in the same
// order, and no sentence is left as a copy of the other form where the
// forms differ in spelling (caught by the nynorsk markers below).
func TestLetterWordsMatchAcrossForms(t *testing.T) {
	nb, nn := letterWords[writtenform.Bokmal].m, letterWords[writtenform.Nynorsk].m
	for k, v := range nb {
		if strings.HasPrefix(k, "label.") {
			t.Errorf("bokmål names codes from the case flow's lists, not from %q", k)
		}
		w, ok := nn[k]
		if !ok {
			t.Errorf("nynorsk lacks %q", k)
			continue
		}
		if a, b := verbs.FindAllString(v, -1), verbs.FindAllString(w, -1); !slices.Equal(a, b) {
			t.Errorf("%q: bokmål takes %v, nynorsk %v", k, a, b)
		}
	}
	for k := range nn {
		if _, ok := nb[k]; !ok && !strings.HasPrefix(k, "label.") {
			t.Errorf("bokmål lacks %q", k)
		}
	}
	// Words that exist only in bokmål must not be found in nynorsk.
	bokmalOnly := regexp.MustCompile(`(?i)\b(ikke|hva|hvorfor|hvis|uker|fra|dokumentene|saken|bolig|forvaltningsloven|husleieloven|leietaker|utleier|trenger|innen|opplysningene|mottatt|hjemmel|begrunnelse|tjeneste|tjenestene)\b`)
	for k, v := range nn {
		if m := bokmalOnly.FindString(v); m != "" {
			t.Errorf("nynorsk %q has the bokmål word %q: %s", k, m, v)
		}
	}
}

// Every code a letter names has a nynorsk name.
func TestNynorskNamesEveryCode(t *testing.T) {
	nn := letterWords[writtenform.Nynorsk].m
	lists := map[string][]Choice{"kind": Kinds, "housing": HousingTypes, "requirement": Requirements,
		"alternative": AlternativeKinds, "alternative-outcome": AlternativeOutcomes}
	for name, items := range lists {
		for _, x := range items {
			if _, ok := nn["label."+name+"."+x.Code]; !ok {
				t.Errorf("nynorsk lacks label.%s.%s (%s)", name, x.Code, Label(items, x.Code))
			}
		}
	}
	for _, o := range []string{"innvilget", "avslag"} {
		if _, ok := nn["label.outcome."+o]; !ok {
			t.Errorf("nynorsk lacks label.outcome.%s", o)
		}
	}
	// The fields an amendment lists (Diff).
	for _, c := range Diff(Decision{Outcome: "innvilget", HousingType: "ordinaer", Rooms: 1, Requirements: []string{"robust"}, Coordinator: "A", Conditions: "B", Reasons: "C", LegalBasis: "D", DecidedOn: deadline.Of(2026, 1, 1)},
		Decision{Outcome: "avslag", HousingType: "akutt", Rooms: 2, Coordinator: "E", Conditions: "F", Reasons: "G", LegalBasis: "H", DecidedOn: deadline.Of(2026, 1, 2),
			Services: []Service{{Service: "Praktisk bistand", HoursPerWeek: 1, StartOn: deadline.Of(2026, 1, 2)}}}) {
		w := letterWords[writtenform.Nynorsk]
		if w.field(c.Field) == c.Field && c.Field != "Utfall" && c.Field != "Koordinator" && c.Field != "Vilkår" && c.Field != "Vedtaksdato" {
			t.Errorf("the amended field %q has no nynorsk name", c.Field)
		}
	}
}

// Each letter text a municipality edits has a nynorsk variant with the
// same placeholders and a default of its own.
func TestLetterTextsInBothForms(t *testing.T) {
	for _, k := range []string{TextDecision, TextRefusal, TextProvisional, TextAllocation} {
		nb, _ := TextDefOf(k)
		nn, ok := TextDefOf(NynorskText(k))
		if !ok {
			t.Errorf("%s has no nynorsk variant", k)
			continue
		}
		if !slices.Equal(nb.Placeholders, nn.Placeholders) {
			t.Errorf("%s: placeholders %v in bokmål, %v in nynorsk", k, nb.Placeholders, nn.Placeholders)
		}
		if nn.Default == nb.Default || len(CheckText(nn, nn.Default)) > 0 {
			t.Errorf("%s: the nynorsk default is a copy or breaks the rules: %q", k, nn.Default)
		}
	}
}

// A paper letter's arrival is said in plain words whatever the municipality
// sets: the same day, the day after, or a number of days, in both forms.
func TestPaperPostDaysInWords(t *testing.T) {
	dec := Decision{NotifiedVia: ChannelPaper, NotifiedOn: deadline.Of(2026, 11, 30), AppealDue: deadline.Of(2026, 12, 21)}
	for _, c := range []struct {
		days   int
		bokmal string
		nyn    string
	}{
		{0, "kom fram samme dag", "kom fram same dagen"},
		{1, "kom fram dagen etter", "kom fram dagen etter"},
		{2, "kom fram to dager etter", "kom fram to dagar etter"},
		{5, "kom fram fem dager etter", "kom fram fem dagar etter"},
		{14, "kom fram 14 dager etter", "kom fram 14 dagar etter"},
	} {
		r := DefaultPractice()
		r.PaperPostDays = c.days
		if got := wordsFor(writtenform.Bokmal).appealDeadline(dec, r, deadline.Of(2026, 12, 1)); !strings.Contains(got, c.bokmal) {
			t.Errorf("%d days, bokmål: %q", c.days, got)
		}
		if got := wordsFor(writtenform.Nynorsk).appealDeadline(dec, r, deadline.Of(2026, 12, 1)); !strings.Contains(got, c.nyn) {
			t.Errorf("%d days, nynorsk: %q", c.days, got)
		}
	}
}
