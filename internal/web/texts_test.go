package web_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/personaldata"
	"husly/internal/phrase"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// verbRe finds the fmt verbs of a catalogue text.
var verbRe = regexp.MustCompile(`%(\[\d+\])?[a-z]`)

// phraseCodes collects every string literal in non-test Go files under
// internal/ that names a phrase key: the area prefixes of the sentences
// the capabilities keep as phrases. A literal ending in "." is a prefix
// (a label built from a code).
func phraseCodes(t *testing.T) map[string]string {
	t.Helper()
	codes := map[string]string{} // code → where
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			// personaldata.Label("case.channel") names a prefix the
			// registry's check below adds.
			if call, ok := n.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Label" {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == "personaldata" {
						return false
					}
				}
			}
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && strings.HasPrefix(s, "texts.") && !strings.ContainsAny(s, " %") {
				codes[s] = fset.Position(lit.Pos()).String()
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

// TestPhrasesTranslated: every phrase code the Go code uses (a key, or a
// key prefix for a code's label) has its text in bokmål, nynorsk and
// English, with the same verbs and, for plurals, both forms; every code
// the registry's timeline titles use is there too; and texts.json keeps no
// sentence nothing says.
func TestPhrasesTranslated(t *testing.T) {
	cats := map[string]map[string]string{}
	for _, lang := range web.Languages {
		c, err := web.WebLocaleForTest(lang)
		if err != nil {
			t.Fatal(err)
		}
		cats[lang] = c
	}
	codes := phraseCodes(t)
	for _, ev := range personaldata.Default().Timeline() {
		codes[ev.Title] = "timeline " + ev.Kind
		for _, a := range ev.Args {
			if p, ok := strings.CutPrefix(string(a), "label:"); ok {
				codes[p+"."] = "timeline " + ev.Kind
			}
		}
	}
	// Codes built from typed values: each value has its label.
	for _, k := range []caseflow.RuleKind{caseflow.MinAge, caseflow.MinResidence, caseflow.MaxIncome, caseflow.MaxAssets, caseflow.NoOwnedHome, caseflow.RegisteredHere} {
		codes["texts.eligibility.rule."+string(k)] = "rule kind " + string(k)
	}
	for _, o := range []caseflow.Outcome{caseflow.OutcomeGranted, caseflow.OutcomeRefused} {
		codes["texts.outcome."+string(o)] = "outcome " + string(o)
	}
	for _, g := range []string{"bostedslos", "barnefamilie", "loslatt", "housing_first", "utskrevet"} {
		codes["texts.eligibility.group."+g] = "priority group " + g
	}
	if len(codes) < 40 {
		t.Fatalf("found only %d phrase codes: the walk is broken", len(codes))
	}
	used := map[string]bool{}
	for code, where := range codes {
		if strings.HasSuffix(code, ".") {
			for _, lang := range web.Languages {
				n := 0
				for k := range cats[lang] {
					if strings.HasPrefix(k, code) {
						n++
						used[k] = true
					}
				}
				if n == 0 {
					t.Errorf("%s: no %s text starts with %q", where, lang, code)
				}
			}
			continue
		}
		forms := []string{code}
		if _, ok := cats["nb"][code]; !ok {
			forms = []string{code + ".one", code + ".other"}
		}
		// A plain variant for the resident's pages (plainwords.go) takes the
		// same arguments as the text it stands for.
		if plain, ok := cats["nb"][code+".plain"]; ok {
			if !slices.Equal(phraseVerbs(plain), phraseVerbs(cats["nb"][code])) {
				t.Errorf("%s: %q has verbs %v, its text %v", where, code+".plain", phraseVerbs(plain), phraseVerbs(cats["nb"][code]))
			}
			forms = append(forms, code+".plain")
		}
		for _, key := range forms {
			used[key] = true
			want := phraseVerbs(cats["nb"][key])
			for _, lang := range web.Languages {
				text, ok := cats[lang][key]
				if !ok {
					t.Errorf("%s: %q has no %s text", where, key, lang)
					continue
				}
				if got := phraseVerbs(text); !slices.Equal(got, want) {
					t.Errorf("%s: %s %q has verbs %v, bokmål %v", where, lang, key, got, want)
				}
			}
		}
	}
	b, err := os.ReadFile(filepath.Join("locales", "nb", "texts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var area map[string]string
	if err := json.Unmarshal(b, &area); err != nil {
		t.Fatal(err)
	}
	for k := range area {
		if !used[k] {
			t.Errorf("texts.json has %q, which no code says", k)
		}
	}
}

// phraseVerbs lists a text's fmt verbs, sorted: a translation may reorder them.
func phraseVerbs(s string) []string {
	v := verbRe.FindAllString(s, -1)
	sort.Strings(v)
	return slices.Compact(v)
}

// TestEligibilityReadsTheSameInBokmål: the page's bokmål explanation of
// each check is the reason the case flow stores for the command line, and
// English says it in English with English numbers.
func TestEligibilityReadsTheSameInBokmål(t *testing.T) {
	applicants := []caseflow.Applicant{
		{Age: 17, YearsResident: 0.5, HouseholdSize: 1, HouseholdIncome: 612345, HouseholdAssets: 250000, OwnsHome: true},
		{Age: 44, YearsResident: 3, HouseholdSize: 3, HouseholdIncome: 379106, HouseholdAssets: 10000, RegisteredHere: true},
		{Age: 30, YearsResident: 0, HouseholdSize: 2, Groups: []caseflow.Group{caseflow.GroupHomeless}},
		{Age: 30, Groups: []caseflow.Group{"egen_gruppe"}},
		{Age: 30, Unstated: []caseflow.Fact{caseflow.FactYearsResident, caseflow.FactHouseholdIncome, caseflow.FactHouseholdAssets}},
	}
	rules := append(caseflow.DefaultRules(), caseflow.Rule{Kind: caseflow.RegisteredHere}, caseflow.Rule{Kind: "ukjent"},
		caseflow.Rule{Kind: caseflow.MinAge, Limit: 18, Exempt: []caseflow.Group{"egen_gruppe"}})
	for _, a := range applicants {
		for _, c := range caseflow.Evaluate(rules, a).Checks {
			if c.Code == "" {
				t.Fatalf("%s: no phrase", c.Rule.Kind)
			}
			if got := web.CheckReasonForTest("nb", c); got != c.Reason {
				t.Errorf("%s: the page says %q, the case flow %q", c.Rule.Kind, got, c.Reason)
			}
			en := web.CheckReasonForTest("en", c)
			if en == c.Reason || strings.Contains(en, "%!") || strings.Contains(en, "texts.") {
				t.Errorf("%s: English %q", c.Rule.Kind, en)
			}
		}
	}
	income := caseflow.Evaluate([]caseflow.Rule{{Kind: caseflow.MaxIncome, Limit: 450000, PerMember: 90000}}, applicants[0]).Checks[0]
	if got := web.CheckReasonForTest("en", income); got != "The household's income is NOK 612,345; the limit for 1 person is NOK 450,000. Not met." {
		t.Errorf("English income check: %q", got)
	}
	// A check stored before phrases is shown as stored.
	old := caseflow.Check{Rule: caseflow.Rule{Kind: caseflow.MinAge}, Reason: "Søkeren er 17 år; kravet er minst 18 år. Ikke oppfylt."}
	if got := web.CheckReasonForTest("en", old); got != old.Reason {
		t.Errorf("an old check: %q", got)
	}
}

// TestPhraseArguments: each kind of argument is written the language's
// way, a label of a code the catalogue lacks shows the code, and the count
// picks the plural form.
func TestPhraseArguments(t *testing.T) {
	d := deadline.Of(2026, 11, 9)
	for _, c := range []struct {
		lang string
		p    phrase.Phrase
		want string
	}{
		{"nb", phrase.New("texts.timeline.offer", phrase.Text("K-12"), phrase.Text("Storgata 1"), phrase.Date(d)), "Tilbud om bolig K-12, Storgata 1, svarfrist 09.11.2026"},
		{"en", phrase.New("texts.timeline.offer", phrase.Text("K-12"), phrase.Text("Storgata 1"), phrase.Date(d)), "Offer of home K-12, Storgata 1, answer by 9 November 2026"},
		{"en", phrase.New("texts.timeline.decision", phrase.Number(2), phrase.Label("texts.outcome.avslag"), phrase.Text("Kari")), "Decision version 2 (refused) by Kari"},
		{"nn", phrase.New("texts.timeline.contact", phrase.Label("case.channel.egen_kanal")), "Førespurnad registrert (egen_kanal)"},
		{"en", phrase.New("texts.eligibility.income", phrase.Count(2), phrase.Number(1234567.5), phrase.Number(540000)), "The household's income is NOK 1,234,567.5; the limit for 2 people is NOK 540,000."},
		{"nb", phrase.New("texts.eligibility.income", phrase.Count(1), phrase.Number(1000), phrase.Number(450000)), "Husstandens inntekt er 1\u00a0000 kr; grensen for 1 person er 450\u00a0000 kr."},
		{"en", phrase.New("reason.score.extra_rooms", phrase.Count(1), phrase.Points(-2)), "1 room more than needed: -2"},
		{"en", phrase.New("texts.notification.appealed"), "The decision has been appealed and is to be reconsidered by the unit that made it."},
	} {
		if got := web.PhraseTextForTest(c.lang, c.p); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.lang, c.p.Code, got, c.want)
		}
	}
}

// bokmålFragments are the fixed parts (ten characters or more) of the
// bokmål texts of the phrases pages write, where English differs: one of
// them on an English page is a sentence left in bokmål.
func bokmålFragments(t *testing.T) []string {
	t.Helper()
	nb, err := web.WebLocaleForTest("nb")
	if err != nil {
		t.Fatal(err)
	}
	en, err := web.WebLocaleForTest("en")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("locales", "nb", "texts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var area map[string]string
	if err := json.Unmarshal(b, &area); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k, v := range nb {
		if _, mine := area[k]; !mine && !strings.HasPrefix(k, "reason.") && !strings.HasPrefix(k, "notice.") {
			continue
		}
		for _, f := range verbRe.Split(v, -1) {
			if f = strings.TrimSpace(f); len([]rune(f)) >= 10 && !strings.Contains(en[k], f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// TestCaseTextsInEnglish: with English chosen, the case page, the person
// page with its eligibility, the timeline, the unit's notifications and an
// allocation meeting's agenda say the case flow's sentences in English,
// and none of them in bokmål.
func TestCaseTextsInEnglish(t *testing.T) {
	fragments := bokmålFragments(t)
	if len(fragments) < 40 {
		t.Fatalf("only %d bokmål fragments", len(fragments))
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		ctx := t.Context()
		// The housing office is told of decisions made elsewhere: give it
		// copies of other units' messages, and one stored before phrases.
		unit := queryID(t, db, `SELECT org_unit_id FROM users WHERE username = 'demo-saksbehandler'`)
		if _, err := db.ExecContext(ctx, `INSERT INTO notifications (municipality_id, org_unit_id, application_id, message, phrase, created_at)
			SELECT municipality_id, ?, application_id, message, phrase, created_at FROM notifications WHERE phrase <> '' AND org_unit_id <> ?`, unit, unit); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO notifications (municipality_id, org_unit_id, application_id, message, created_at)
			SELECT municipality_id, ?, MIN(application_id), 'Vedtak fattet (innvilget) av Gammel Melding.', created_at FROM notifications GROUP BY municipality_id, created_at LIMIT 1`, unit); err != nil {
			t.Fatal(err)
		}
		tenant := queryID(t, db, `SELECT MIN(t.person_id) FROM lease_tenants t WHERE t.person_id <> (SELECT person_id FROM users WHERE username = 'demo-beboer')`)
		open := queryID(t, db, `SELECT MIN(id) FROM applications WHERE eligible = FALSE`)
		refused := queryID(t, db, `SELECT person_id FROM applications WHERE id = `+itoa(open))
		c := english(t, s, "demo-saksbehandler")
		resp, err := c.PostForm(s.URL+"/tildeling/moter", url.Values{})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		meeting := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(meeting, "/tildeling/moter/") {
			t.Fatalf("opening a meeting: %d %q", resp.StatusCode, meeting)
		}
		for _, p := range []struct {
			path string
			want []string
		}{
			{"/saker", []string{"Decision made (", "Vedtak fattet (innvilget) av Gammel Melding."}},
			{"/saker/" + itoa(open), []string{"Does not meet the conditions: "}},
			{"/personer/" + itoa(refused), []string{"Does not meet the conditions", " Not met."}},
			{"/personer/" + itoa(tenant) + "/tidslinje", []string{"Lease for "}},
			{"/personer/" + itoa(refused) + "/tidslinje", []string{"Application registered by ", ", decision due "}},
			{"/tildeling", []string{"Priority "}},
			{meeting, []string{"Priority "}},
		} {
			resp, body := get(t, c, s.URL+p.path)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d", p.path, resp.StatusCode)
				continue
			}
			for _, w := range p.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: %q missing", p.path, w)
				}
			}
			body = strings.ReplaceAll(body, "Vedtak fattet (innvilget) av Gammel Melding.", "") // stored before phrases: shown as stored
			for _, f := range fragments {
				if strings.Contains(body, f) {
					t.Errorf("%s: bokmål %q on the English page", p.path, f)
				}
			}
		}
	})
}

// TestDecisionChangesInEveryLanguage: each change between two versions of
// a decision reads in bokmål on the page as the case flow stores it, and
// in English in English.
func TestDecisionChangesInEveryLanguage(t *testing.T) {
	d1 := deadline.Of(2026, 3, 2)
	before := caseflow.Decision{Outcome: caseflow.OutcomeGranted, HousingType: "ordinaer", Rooms: 2, Requirements: []string{"bakkeplan"},
		Coordinator: "Kari", CoordinatorAgreed: "ja", Conditions: "Ingen", Reasons: "Behov", LegalBasis: "§ 1", DecidedOn: d1,
		Services: []caseflow.Service{{Code: "bo", Service: "Boveiledning", HoursPerWeek: 7.5, ProviderUnitID: 1, ProviderName: "Boteamet", StartOn: d1},
			{Code: "x", Service: "Praktisk bistand", AsNeeded: true, AsNeededText: "ved flytting", ProviderUnitID: 2, StartOn: d1, EndOn: d1.AddDays(30)}}}
	after := caseflow.Decision{Outcome: caseflow.OutcomeRefused, HousingType: "housing_first", Rooms: 3, Requirements: []string{"bakkeplan", "rullestol"},
		Coordinator: "Ola", CoordinatorAgreed: "nei", CoordinatorNote: "Personen ville ikke", ParticipantAgreement: true, Reasons: "Nytt behov",
		LegalBasis: "§ 2", DecidedOn: d1.AddDays(1),
		Services: []caseflow.Service{{Code: "bo", Service: "Boveiledning", HoursPerWeek: 10, ProviderUnitID: 1, ProviderName: "Boteamet", StartOn: d1}}}
	changes := caseflow.Diff(before, after)
	if len(changes) != 13 {
		t.Fatalf("%d changes: %+v", len(changes), changes)
	}
	for _, c := range changes {
		nb := web.SpokenForTest("nb", c).(caseflow.Change)
		en := web.SpokenForTest("en", c).(caseflow.Change)
		if nb.Field != c.Field {
			t.Errorf("field: the page says %q, the case flow %q", nb.Field, c.Field)
		}
		if c.Field != "Vedtaksdato" && (nb.Before != c.Before || nb.After != c.After) {
			t.Errorf("%s: the page says %q → %q, the case flow %q → %q", c.Field, nb.Before, nb.After, c.Before, c.After)
		}
		if en.Field == c.Field || strings.Contains(en.Field+en.Before+en.After, "%!") || strings.Contains(en.Before+en.After, "texts.") {
			t.Errorf("%s in English: %q: %q → %q", c.Field, en.Field, en.Before, en.After)
		}
	}
	// A change stored before phrases is shown as stored.
	old := caseflow.Change{Field: "Utfall", Before: "Innvilget", After: "Avslag"}
	if got := web.SpokenForTest("en", old).(caseflow.Change); !reflect.DeepEqual(got, old) {
		t.Errorf("an old change: %+v", got)
	}
}

// TestRefusedPairsInEnglish: each hard constraint a home breaks has a
// phrase beside its bokmål reason, and a refused offer's problem built
// from it reads in English for an English reader and in bokmål on the
// command line's Error.
func TestRefusedPairsInEnglish(t *testing.T) {
	need := allocation.Need{HousingType: "ordinaer", Rooms: 3, Requirements: []string{"bakkeplan", "rullestol"}, Pets: true, Wheelchair: true,
		AvoidDistricts: []string{"Nordlandet"}, Age: 45, HighNeed: true}
	home := allocation.Home{Category: "omsorgsbolig", Rooms: 1, Floor: 3, District: "Nordlandet",
		SiteRules: allocation.SiteRules{MinAge: 18, MaxAge: 30, NoHighNeed: true}}
	for _, site := range []string{"Ungdomsboligene", ""} {
		home.Site = site
		e := allocation.Evaluate(need, home, allocation.Mix{}, allocation.DefaultPolicy())
		if e.Allowed || len(e.Refused) != len(e.Reasons) || len(e.Reasons) != 8 {
			t.Fatalf("%d reasons, %d phrases: %q", len(e.Reasons), len(e.Refused), e.Reasons)
		}
		for i, p := range e.Refused {
			m := invalid.Said(phrase.Fallback{Phrase: p, Text: e.Reasons[i]})
			en := m.In("en", nil)
			if en == "" || en == e.Reasons[i] || strings.Contains(en, "%!") || strings.Contains(en, "texts.") {
				t.Errorf("%s in English: %q", p.Code, en)
			}
			if nb := m.In("nb", nil); nb == "" || strings.Contains(nb, "%!") {
				t.Errorf("%s in bokmål: %q", p.Code, nb)
			}
		}
	}
	mix := allocation.Mix{Residents: 9, HighNeed: 5}
	e := allocation.Evaluate(allocation.Need{HighNeed: true}, allocation.Home{}, mix, allocation.DefaultPolicy())
	if len(e.Refused) != 1 || web.PhraseTextForTest("en", e.Refused[0]) != "the building would have 60% residents with high follow-up needs, over the limit of 30% (concentration)" {
		t.Errorf("the mix in English: %v", e.Refused)
	}
	if got := web.PhraseTextForTest("nb", e.Refused[0]); got != e.Reasons[0] {
		t.Errorf("the mix in bokmål: %q, the allocation says %q", got, e.Reasons[0])
	}
}

// TestHomelessnessReasonsInEveryLanguage: the reason a first contact is
// or is not homelessness reads in bokmål on the page as the case flow
// stores it, and in nynorsk and English in those languages.
func TestHomelessnessReasonsInEveryLanguage(t *testing.T) {
	today := deadline.Of(2026, 12, 6)
	var situations []caseflow.Situation
	for _, r := range []caseflow.Residence{caseflow.OwnHome, caseflow.Sublet, caseflow.FamilyLasting, caseflow.Temporary, caseflow.WithOthers,
		caseflow.NoPlaceTonight, caseflow.Institution, caseflow.Prison, ""} {
		situations = append(situations, caseflow.Situation{Residence: r})
	}
	for _, r := range []caseflow.Residence{caseflow.Institution, caseflow.Prison} {
		situations = append(situations, caseflow.Situation{Residence: r, HomeWaiting: true}, caseflow.Situation{Residence: r, Leaving: today.AddDays(20)},
			caseflow.Situation{Residence: r, Leaving: today.AddDays(200)})
	}
	for _, s := range situations {
		_, reason, said := caseflow.Homelessness(s, today)
		if got := web.PhraseTextForTest("nb", said); got != reason {
			t.Errorf("%+v: the page says %q, the case flow %q", s, got, reason)
		}
		for _, lang := range []string{"nn", "en"} {
			if got := web.PhraseTextForTest(lang, said); got == reason || strings.Contains(got, "%!") || strings.Contains(got, "texts.") {
				t.Errorf("%+v in %s: %q", s, lang, got)
			}
		}
	}
}

// TestAPITextsInEnglish: an API client that asks for English gets the
// case flow's sentences in English, with their codes beside them, and the
// answers still match the OpenAPI document.
func TestAPITextsInEnglish(t *testing.T) {
	fragments := bokmålFragments(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := loadContract(t, s)
		unit := queryID(t, db, `SELECT org_unit_id FROM users WHERE username = 'demo-saksbehandler'`)
		if _, err := db.ExecContext(t.Context(), `INSERT INTO notifications (municipality_id, org_unit_id, application_id, message, phrase, created_at)
			SELECT municipality_id, ?, application_id, message, phrase, created_at FROM notifications WHERE phrase <> '' AND org_unit_id <> ?`, unit, unit); err != nil {
			t.Fatal(err)
		}
		tenant := queryID(t, db, `SELECT MIN(t.person_id) FROM lease_tenants t WHERE t.person_id <> (SELECT person_id FROM users WHERE username = 'demo-beboer')`)
		en := english(t, s, "demo-saksbehandler")
		base := s.URL + "/api/v1"
		for _, p := range []struct {
			method, path, body string
			status             int
			want               []string
		}{
			{"POST", "/persons/1/applications", `{"kind":"begge","household_size":2,"years_resident":0.5,"household_income":900000,"registered_here":true}`, 201, nil},
			{"GET", "/persons/1/applications", "", 200,
				[]string{`"code":"texts.eligibility.residence"`, `{"number":0.5}`, "Years lived in the municipality: 0.5; the requirement is at least 1. Not met."}},
			{"GET", "/persons/" + itoa(tenant) + "/timeline", "", 200, []string{`"code":"texts.timeline.lease"`, `"title":"Lease for `}},
			{"GET", "/notifications", "", 200, []string{`"code":"texts.notification.`, `"message":"Decision made (`}},
			{"GET", "/tasks", "", 200, []string{`"text":"Decide by `}},
		} {
			code, b := c.call(t, en, p.method, base+p.path, p.body, "")
			if code != p.status {
				t.Errorf("%s %s: status %d: %s", p.method, p.path, code, b)
				continue
			}
			for _, w := range p.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("%s %s: %q missing", p.method, p.path, w)
				}
			}
			for _, f := range fragments {
				if strings.Contains(string(b), f) {
					t.Errorf("%s %s: bokmål %q in the English answer", p.method, p.path, f)
				}
			}
		}
		// The income check reveals finances, which the housing office's
		// case worker may not see: neither its code nor its reason is sent.
		if _, b := c.call(t, en, "GET", base+"/persons/1/applications", "", ""); strings.Contains(string(b), "texts.eligibility.income") || strings.Contains(string(b), "900,000") {
			t.Errorf("the income check was sent: %s", b)
		}
		// Bokmål is the default, with the same codes.
		code, b := c.call(t, s.client(t, "demo-saksbehandler"), "GET", base+"/persons/"+itoa(tenant)+"/timeline", "", "")
		if code != 200 || !strings.Contains(string(b), `"title":"Leiekontrakt for `) {
			t.Errorf("the timeline in bokmål: %d %s", code, b)
		}
	})
}
