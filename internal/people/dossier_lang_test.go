package people_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/i18n"
	"husly/internal/identity"
	"husly/internal/pdf/pdftest"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestDossierInEveryLanguage: the person's copy is written in the
// language its context carries: the PDF's own words, the headings, the row
// labels, the names of codes and the dates. An English copy holds none of
// the bokmål labels, and nynorsk has its own.
func TestDossierInEveryLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1507")
		a := actor(tn)
		id, err := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(41), FirstName: "Åse", LastName: "Lie"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := people.AddNote(ctx, db, a, id, access.HousingNeeds, "Ringte om søknaden."); err != nil {
			t.Fatal(err)
		}
		if _, err := access.RecordOutsideConsent(ctx, db, a, access.OutsideConsent{PersonID: id, RecipientKind: "fastlege", RecipientName: "Dr. Berg",
			Purpose: "Avklare oppfølging", Categories: []access.Category{access.Basic}, Expires: deadline.Of(2027, 6, 6)}); err != nil {
			t.Fatal(err)
		}
		self := access.Actor{MunicipalityID: tn.MunicipalityID, PersonID: id, Username: "ase", Name: "Åse Lie", Role: access.Resident}
		text := map[string]string{}
		for _, lang := range i18n.Languages {
			d, err := people.Collect(i18n.WithLang(ctx, lang), db, self, id)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := d.WritePDF(&b); err != nil {
				t.Fatal(err)
			}
			text[lang] = pdftest.Text(b.Bytes())
			if d.Rights != i18n.T(lang, "dossier.rights.text") {
				t.Errorf("%s: the JSON's rights are %q", lang, d.Rights)
			}
		}
		for lang, want := range map[string][]string{
			"en": {"Your data: Åse Lie", "Your rights", "National identity number", "Written by", "In force until 6 June 2027", "GP: Dr. Berg", "Basic details", "Who has seen your data"},
			"nn": {"Innsyn: Åse Lie", "Rettane dine", "Skriven av", "Gjeld til 06.06.2027"},
			"nb": {"Innsyn: Åse Lie", "Dine rettigheter", "Fødselsnummer", "Skrevet av", "Gjelder til 06.06.2027", "Fastlege"},
		} {
			for _, w := range want {
				if !strings.Contains(text[lang], w) {
					t.Errorf("the %s copy lacks %q:\n%s", lang, w, text[lang])
				}
			}
		}
		// No bokmål label is left in the English copy.
		for key, nb := range i18n.Catalogs["nb"] {
			if !strings.HasPrefix(key, "dossier.") && !strings.HasPrefix(key, "pdf.") || len([]rune(nb)) < 5 {
				continue
			}
			if nb == i18n.T("en", key) || strings.Contains(nb, "%") {
				continue
			}
			if containsWord(text["en"], nb) {
				t.Errorf("the English copy holds the bokmål %q (%s)", nb, key)
			}
		}
	})
}

// containsWord reports whether s holds w as whole words (not "Bolig" in
// "Boligkontoret", a unit's name).
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if (start == 0 || !unicode.IsLetter(before)) && (end == len(s) || !unicode.IsLetter(after)) {
			return true
		}
		i = start + 1
	}
}
