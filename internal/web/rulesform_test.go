package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// visibleText is a page's text without its tags and attribute values.
func visibleText(page string) string {
	return regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(page, " ")
}

// The rules are edited as labelled rows in Norwegian: no code such as
// bostedslos_na is shown, a saved form is the same rule list the API
// takes, and a form with problems comes back with the rows as typed.
func TestRulesAsForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		ctx := context.Background()
		admin := s.client(t, "demo-admin")
		_, page := get(t, admin, s.URL+"/tildeling/regler")
		text := visibleText(page)
		for _, code := range []string{"bostedslos_na", "per_days", "housing_first", "barnefamilie", `"kind"`} {
			if strings.Contains(text, code) {
				t.Errorf("the rules page shows the code %s", code)
			}
		}
		if !strings.Contains(text, "Bostedsløs ved siste henvendelse") {
			t.Error("the rules page does not name the homeless rule")
		}
		set, err := allocation.SettingsOf(ctx, db, 1)
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"rows": {"3"}, "base_version": {itoa(int64(set.Version))},
			"r1_kind": {"bostedslos_na"}, "r1_points": {"25"},
			"r2_kind": {"gruppe"}, "r2_group": {"barnefamilie"}, "r2_points": {"12,5"},
			"r3_kind": {"ventetid"}, "r3_points": {"1"}, "r3_per_days": {"0"}, "r3_max": {"10"},
			"priority_weight": {"1"}, "mix_limit_percent": {"40"}}
		resp, page := postForm(t, admin, s.URL+"/tildeling/regler", form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("waiting time per 0 days: %d", resp.StatusCode)
		}
		for _, want := range []string{`href="#r3-perdays"`, `id="r3-perdays-error"`, `value="12,5"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the rules form shown again lacks %s", want)
			}
		}
		form.Set("r3_per_days", "30")
		if resp, _ := postForm(t, admin, s.URL+"/tildeling/regler", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving the rules: %d", resp.StatusCode)
		}
		set, err = allocation.SettingsOf(ctx, db, 1)
		if err != nil {
			t.Fatal(err)
		}
		want := []allocation.Rule{{Kind: "bostedslos_na", Points: 25}, {Kind: "gruppe", Group: "barnefamilie", Points: 12.5}, {Kind: "ventetid", Points: 1, PerDays: 30, Max: 10}}
		if len(set.Rules) != len(want) {
			t.Fatalf("stored %+v", set.Rules)
		}
		for i := range want {
			if set.Rules[i] != want[i] {
				t.Errorf("rule %d: %+v, want %+v", i+1, set.Rules[i], want[i])
			}
		}

		// Eligibility: a row left without a kind removes the rule.
		elig := url.Values{"rows": {"3"}, "r1_kind": {"alder"}, "r1_limit": {"18"},
			"r2_kind": {"botid"}, "r2_limit": {"2"}, "r2_exempt": {"bostedslos", "loslatt"}, "r3_kind": {""}}
		if resp, _ := postForm(t, admin, s.URL+"/tilgang/vilkar", elig); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving the eligibility rules: %d", resp.StatusCode)
		}
		rules, err := caseflow.RulesOf(ctx, db, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(rules) != 2 || rules[1].Kind != caseflow.MinResidence || rules[1].Limit != 2 || !slices.Equal(rules[1].Exempt, []caseflow.Group{caseflow.GroupHomeless, caseflow.GroupReleased}) {
			t.Errorf("stored eligibility rules %+v", rules)
		}
		elig.Set("r1_limit", "atten")
		resp, page = postForm(t, admin, s.URL+"/tilgang/vilkar", elig)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `value="atten"`) || !strings.Contains(page, `href="#r1-limit"`) {
			t.Errorf("an age limit «atten»: %d", resp.StatusCode)
		}
		_, page = get(t, admin, s.URL+"/tilgang")
		if text := visibleText(page); strings.Contains(text, "folkeregister") || strings.Contains(text, "eier_ikke") || strings.Contains(text, `"kind"`) {
			t.Error("the access page shows rule codes")
		}
	})
}

// Every choice the forms offer by code has its label in every language.
func TestFormChoicesInEveryLanguage(t *testing.T) {
	keys := []string{"forms.rules.priority.bostedslos_na", "forms.rules.priority.gruppe", "forms.rules.priority.ventetid",
		"forms.relation.partner", "forms.relation.barn", "forms.relation.annen"}
	for _, k := range []caseflow.RuleKind{caseflow.MinAge, caseflow.MinResidence, caseflow.MaxIncome, caseflow.MaxAssets, caseflow.NoOwnedHome, caseflow.RegisteredHere} {
		keys = append(keys, "forms.rules.eligibility."+string(k))
	}
	for _, f := range []string{"co_located", "staff_base", "lifetime_standard", "robust", "lift", "wheelchair", "own_entrance",
		"pets_allowed", "smoking_allowed", "near_transport", "near_shops", "near_services", "drug_scene_nearby"} {
		keys = append(keys, "forms.unit.flag."+f)
	}
	for _, lang := range web.Languages {
		cat, err := web.WebLocaleForTest(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if cat[k] == "" {
				t.Errorf("%s lacks %s", lang, k)
			}
		}
	}
}
