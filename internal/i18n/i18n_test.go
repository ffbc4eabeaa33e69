package i18n

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestReadCatalogMergesAndRefusesDuplicates: a language's area files are
// merged, and a key in two files is an error naming both.
func TestReadCatalogMergesAndRefusesDuplicates(t *testing.T) {
	files := fstest.MapFS{
		"nb/a.json": {Data: []byte(`{"a.one": "En"}`)},
		"nb/b.json": {Data: []byte(`{"b.two": "To"}`)},
		"nb/notes":  {Data: []byte(`not json, not read`)},
	}
	m, err := ReadCatalog(files, "nb")
	if err != nil || m["a.one"] != "En" || m["b.two"] != "To" || len(m) != 2 {
		t.Fatalf("merged: %v, %v", m, err)
	}
	files["nb/c.json"] = &fstest.MapFile{Data: []byte(`{"a.one": "Igjen"}`)}
	if _, err := ReadCatalog(files, "nb"); err == nil || !strings.Contains(err.Error(), "a.json") || !strings.Contains(err.Error(), "c.json") {
		t.Fatalf("a duplicate key: %v", err)
	}
	files["nb/c.json"] = &fstest.MapFile{Data: []byte(`{"a.one": `)}
	if _, err := ReadCatalog(files, "nb"); err == nil {
		t.Fatal("a broken file was read")
	}
}

// TestEmbeddedCataloguesComplete: the catalogues in the program have the
// same keys in every language.
func TestEmbeddedCataloguesComplete(t *testing.T) {
	for _, lang := range Languages[1:] {
		for k := range Catalogs["nb"] {
			if _, ok := Catalogs[lang][k]; !ok {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
}

func TestLanguageFromEnvironment(t *testing.T) {
	for _, c := range []struct{ huslyLang, lang, want string }{
		{"", "", "nb"},
		{"", "C.UTF-8", "nb"},
		{"", "nn_NO.UTF-8", "nn"},
		{"", "en_GB.UTF-8", "en"},
		{"", "no_NO", "nb"},
		{"", "de_DE.UTF-8", "nb"},
		{"en", "nn_NO.UTF-8", "en"},
		{"sv", "nn_NO.UTF-8", "nn"},
		{"NN", "", "nn"},
	} {
		t.Setenv("HUSLY_LANG", c.huslyLang)
		t.Setenv("LANG", c.lang)
		if got := FromEnvironment(); got != c.want {
			t.Errorf("HUSLY_LANG=%q LANG=%q: %q, want %q", c.huslyLang, c.lang, got, c.want)
		}
	}
}

func TestPluralsNumbersAndLabels(t *testing.T) {
	if got := Number("nb", -12345.5); got != "−12\u00a0345,5" {
		t.Errorf("bokmål number: %q", got)
	}
	if got := Number("en", 12345.5); got != "12,345.5" {
		t.Errorf("English number: %q", got)
	}
	if got := Label("en", "case.status", "innvilget"); got == "innvilget" || got == Label("nb", "case.status", "innvilget") {
		t.Errorf("English status label: %q", got)
	}
	if got := Label("en", "case.status", "egen_kode"); got != "egen_kode" {
		t.Errorf("an unknown code: %q", got)
	}
	if got := T("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key: %q", got)
	}
}

// TestCodeNamesItselfPerLanguage: a code given to a message is named in
// the reader's language, with a small letter inside a sentence unless it
// is a name that keeps its capital.
func TestCodeNamesItselfPerLanguage(t *testing.T) {
	let := Lower("housing.status", "utleid")
	if got := let.In("nb"); got != "utleid" {
		t.Errorf("bokmål: %q", got)
	}
	if got, nb := let.In("en"), let.String(); got == nb || got == "" || got[0] < 'a' || got[0] > 'z' {
		t.Errorf("English: %q (bokmål %q)", got, nb)
	}
	if got := Lower("housing.category", "housing_first").In("en"); !strings.HasPrefix(got, "Housing First") {
		t.Errorf("a name keeps its capital: %q", got)
	}
	if got := Name("housing.status", "egen").In("en"); got != "egen" {
		t.Errorf("an unknown code: %q", got)
	}
}

// A counted phrase takes the form its number needs in each language, the
// noun and what refers to it alike, and the number in the language's way.
func TestCountTakesThePluralForm(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"nb", 1, "én sak er ikke avgjort: skriv grunnen til at den utsettes til neste møte"},
		{"nb", 3, "3 saker er ikke avgjort: skriv grunnen til at de utsettes til neste møte"},
		{"nn", 1, "éi sak er ikkje avgjord: skriv grunnen til at ho blir utsett til neste møte"},
		{"nn", 1200, "1\u00a0200 saker er ikkje avgjorde: skriv grunnen til at dei blir utsette til neste møte"},
		{"en", 1, "one item is not decided: write why it is deferred to the next meeting"},
		{"en", 2, "2 items are not decided: write why they are deferred to the next meeting"},
	} {
		if got := Counted("meeting.close.undecided", c.n).In(c.lang); got != c.want {
			t.Errorf("%s, %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	if got := Counted("meeting.close.undecided", 2).String(); got != Counted("meeting.close.undecided", 2).In("nb") {
		t.Errorf("String is not bokmål: %q", got)
	}
}
