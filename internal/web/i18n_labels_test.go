package web

import (
	"strings"
	"testing"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/transition"
)

// TestCodeLabelsInCatalogs: every code of the lists pages name has its
// name in all three catalogues, under the prefix its template function
// reads (statusLabel → case.status.<code> …), so no code is shown raw.
func TestCodeLabelsInCatalogs(t *testing.T) {
	keys := map[string]bool{}
	add := func(prefix string, codes ...string) {
		for _, c := range codes {
			keys[prefix+"."+c] = true
		}
	}
	codes := func(list []caseflow.Choice) []string {
		var out []string
		for _, x := range list {
			out = append(out, x.Code)
		}
		return out
	}
	choices := func(list []housing.Choice) []string {
		var out []string
		for _, x := range list {
			out = append(out, x.Code)
		}
		return out
	}
	add("case.status", codes(caseflow.Statuses)...)
	add("case.kind", codes(caseflow.Kinds)...)
	add("case.group", codes(caseflow.Groups)...)
	add("case.channel", codes(caseflow.Channels)...)
	for _, r := range caseflow.Residences {
		add("case.residence", string(r.Code))
	}
	add("case.alt_kind", codes(caseflow.AlternativeKinds)...)
	add("case.alt_outcome", codes(caseflow.AlternativeOutcomes)...)
	add("case.item_condition", codes(caseflow.ItemConditions)...)
	add("case.appeal_outcome", codes(caseflow.AppealOutcomes)...)
	add("case.appeal_status", "mottatt", "omgjort", "opprettholdt", "sendt_statsforvalter", "avgjort", "avvist")
	add("case.offer_status", "tilbudt", "akseptert", "avslatt", "trukket")
	add("case.letter", codes(caseflow.LetterKinds)...)
	add("case.requirement", codes(caseflow.Requirements)...)
	add("case.outcome", "innvilget", "avslag")
	add("housing.category", choices(housing.Categories)...)
	add("housing.category", codes(caseflow.HousingTypes)...) // a decision's housing type is a unit category
	add("housing.control", choices(housing.Controls)...)
	add("housing.staffing", choices(housing.Staffings)...)
	add("housing.status", choices(housing.Statuses)...)
	add("housing.condition", choices(housing.Conditions)...)
	for _, u := range org.UnitKinds {
		add("unitkind", string(u.Kind))
	}
	for _, r := range append(access.Roles, access.Operator) {
		add("role", string(r))
	}
	for _, b := range []access.Basis{access.ByRelationship, access.ByConsent, access.ByBreakGlass, access.ByBreakGlassSpecial, access.BySelf, access.BySupervision, access.ByOperations, access.ByInternalControl} {
		add("basis", string(b))
	}
	for _, c := range access.Categories {
		add("category", string(c))
	}
	for _, k := range transition.Kinds {
		add("transition.kind", string(k))
	}
	for _, k := range transition.Institutions {
		add("transition.institution", string(k))
	}
	add("lease.status", "aktiv", "avsluttet")
	add("relation", string(people.Applicant), string(people.Partner), string(people.Child), string(people.Other))
	add("allocation.decision", "none", "godkjent", "utsatt", "avvist")
	for _, l := range allocation.Levels {
		add("allocation.level", string(l.Code))
	}
	for _, lang := range Languages {
		for k := range keys {
			if _, ok := catalogs[lang][k]; !ok {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
	// Bokmål names each code as the domain does, so pages and letters agree.
	for _, c := range caseflow.Statuses {
		if got := label("nb", "case.status", c.Code); got != caseflow.StatusLabel(caseflow.Status(c.Code)) {
			t.Errorf("case.status.%s is %q in bokmål, the case flow says %q", c.Code, got, caseflow.StatusLabel(caseflow.Status(c.Code)))
		}
	}
	// The housing stock, the organisation, access and allocation keep only
	// codes: their names are the catalogues', and English has its own.
	for prefix, codes := range map[string][]string{"housing.category": choices(housing.Categories), "housing.status": choices(housing.Statuses),
		"role": {string(access.CaseWorker), string(access.Resident)}, "basis": {string(access.ByConsent), string(access.BySelf)},
		"category": {string(access.Health), string(access.Basic)}, "allocation.level": {"doegn", "ingen"}, "allocation.decision": {"none", "godkjent"}} {
		for _, c := range codes {
			if nb, en := label("nb", prefix, c), label("en", prefix, c); nb == en {
				t.Errorf("%s.%s is %q in English as in bokmål", prefix, c, en)
			}
		}
	}
	if got := label("en", "case.status", "innvilget"); got != "Granted, waiting for a home" {
		t.Errorf("English status: %q", got)
	}
	if got := label("en", "case.status", "egen_kode"); got != "egen_kode" {
		t.Errorf("an unknown code should show as itself, got %q", got)
	}
}

// TestNoticesInEveryLanguage: each kind of deadline notice is written in
// each language with its date and count, in the right plural form, and
// bokmål says what the case flow says.
func TestNoticesInEveryLanguage(t *testing.T) {
	on, err := deadline.Parse("2026-12-07")
	if err != nil {
		t.Fatal(err)
	}
	by := on.AddDays(7)
	for _, kind := range caseflow.NoticeKinds {
		for _, days := range []int{1, 3} {
			n := caseflow.Notice{Kind: kind, On: on, Days: days, By: by}
			for _, lang := range Languages {
				got := noticeText(lang, n)
				if got == "" || strings.Contains(got, "%!") || strings.HasPrefix(got, "notice.") {
					t.Errorf("%s %s: %q", lang, kind, got)
				}
				if (strings.Contains(kind, "deadline") || strings.Contains(kind, "renewal")) && !strings.Contains(got, on.In(lang)) {
					t.Errorf("%s %s: no date in %q", lang, kind, got)
				}
			}
			if days == 3 && noticeText("nb", n) != n.Bokmål() {
				t.Errorf("%s: the page says %q, the case flow %q", kind, noticeText("nb", n), n.Bokmål())
			}
		}
	}
	soon := caseflow.Notice{Kind: caseflow.NoticeDeadlineSoon, On: on, Days: 1}
	if got := noticeText("nb", soon); !strings.Contains(got, "(om 1 dag)") {
		t.Errorf("one day in bokmål: %q", got)
	}
	if got := noticeText("en", soon); !strings.Contains(got, "(in 1 day)") {
		t.Errorf("one day in English: %q", got)
	}
	if got := noticeText("nn", caseflow.Notice{Kind: caseflow.NoticeDeadlineSoon, On: on, Days: 2}); !strings.Contains(got, "(om 2 dagar)") {
		t.Errorf("two days in nynorsk: %q", got)
	}
}

// TestServicesInEveryLanguage: the case page writes a granted service and
// one given before the decision the same way, with both dates.
func TestServicesInEveryLanguage(t *testing.T) {
	start, end := deadline.Of(2026, 12, 7), deadline.Of(2026, 12, 14)
	granted := caseflow.Service{Service: "Praktisk bistand", HoursPerWeek: 2.5, ProviderName: "Hjemmetjenesten", StartOn: start, EndOn: end}
	interim := caseflow.Interim{Service: "Praktisk bistand", HoursPerWeek: 2.5, ProviderName: "Hjemmetjenesten", StartOn: start, EndOn: end}
	for _, lang := range Languages {
		service := funcsFor(lang)["service"].(func(any) (string, error))
		g, err := service(granted)
		if err != nil {
			t.Fatal(err)
		}
		i, err := service(interim)
		if err != nil {
			t.Fatal(err)
		}
		if g != i || !strings.Contains(g, start.In(lang)) || !strings.Contains(g, end.In(lang)) || !strings.Contains(g, "Hjemmetjenesten") {
			t.Errorf("%s: granted %q, interim %q", lang, g, i)
		}
		if want := map[string]string{"nb": "07.12.2026", "nn": "07.12.2026", "en": "7 December 2026"}[lang]; !strings.Contains(g, want) {
			t.Errorf("%s: the start is not written %q: %q", lang, want, g)
		}
		if _, err := service("Praktisk bistand"); err == nil {
			t.Errorf("%s: a string is not a service", lang)
		}
	}
}
