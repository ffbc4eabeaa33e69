package caseflow

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEvaluate(t *testing.T) {
	rules := DefaultRules()
	base := Applicant{Age: 34, YearsResident: 3, HouseholdSize: 1, HouseholdIncome: 220000, HouseholdAssets: 10000, RegisteredHere: true}
	tests := []struct {
		name   string
		change func(*Applicant)
		want   bool
		reason string
	}{
		{"eligible", func(*Applicant) {}, true, "Fyller vilkårene"},
		{"too young", func(a *Applicant) { a.Age = 17 }, false, "Søkeren er 17 år; kravet er minst 18 år. Ikke oppfylt."},
		{"new in town", func(a *Applicant) { a.YearsResident = 0.5 }, false, "bodd i kommunen i 0,5 år"},
		{"new in town but homeless", func(a *Applicant) { a.YearsResident = 0.5; a.Groups = []Group{GroupHomeless} }, true, "Fyller vilkårene"},
		{"income over the single limit", func(a *Applicant) { a.HouseholdIncome = 500000 }, false, "grensen for 1 person er 450\u00a0000 kr"},
		{"same income, family of four", func(a *Applicant) { a.HouseholdIncome = 500000; a.HouseholdSize = 4 }, true, "Fyller vilkårene"},
		{"owns a home", func(a *Applicant) { a.OwnsHome = true }, false, "Søkeren eier bolig. Ikke oppfylt."},
		{"family of four over the limit", func(a *Applicant) { a.HouseholdIncome = 900000; a.HouseholdSize = 4 }, false, "grensen for 4 personer"},
		// A blank is unknown: the rule stays open and never reads as failed.
		{"years left blank", func(a *Applicant) { a.YearsResident = 0; a.Unstated = []Fact{FactYearsResident} }, false,
			"Vilkårene er ikke vurdert ferdig: Søkeren har ikke oppgitt hvor lenge hen har bodd i kommunen"},
		{"blank beside a failed rule", func(a *Applicant) { a.OwnsHome = true; a.Unstated = []Fact{FactHouseholdIncome} }, false,
			"Fyller ikke vilkårene: Søkeren eier bolig. Ikke oppfylt. Ikke vurdert ennå: Søkeren har ikke oppgitt husstandens inntekt"},
	}
	for _, tc := range tests {
		a := base
		tc.change(&a)
		e := Evaluate(rules, a)
		if e.Eligible != tc.want || !strings.Contains(e.Summary(), tc.reason) {
			t.Errorf("%s: eligible=%v, %q", tc.name, e.Eligible, e.Summary())
		}
		if len(e.Checks) != len(rules) {
			t.Errorf("%s: %d checks for %d rules", tc.name, len(e.Checks), len(rules))
		}
	}
	// An exemption is shown as such.
	a := base
	a.YearsResident, a.Groups = 0, []Group{GroupReleased}
	if c := Evaluate(rules, a).Checks[1]; !c.Exempt || !strings.Contains(c.Reason, "gjelder ikke for løslatte fra fengsel") {
		t.Fatalf("exemption: %+v", c)
	}
}

func TestParseRules(t *testing.T) {
	b, _ := json.Marshal(DefaultRules())
	if rules, err := ParseRules(b); err != nil || len(rules) != 5 {
		t.Fatalf("default rules: %v", err)
	}
	for in, want := range map[string]string{
		`[{"kind":"hoyde","limit":180}]`:                          "ukjent regeltype",
		`[{"kind":"alder","limit":-1}]`:                           "negativ",
		`[{"kind":"botid","limit":2},{"kind":"botid","limit":3}]`: "to ganger",
		`[{"kind":"alder","limit":300}]`:                          "urimelig høy",
		`[{"kind":"alder","grense":18}]`:                          "ikke gyldig JSON",
		`{`:                                                       "ikke gyldig JSON",
	} {
		if _, err := ParseRules([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRules(%s) = %v, want %q", in, err, want)
		}
	}
}

func FuzzParseRules(f *testing.F) {
	f.Add(`[{"kind":"alder","limit":18}]`)
	f.Add(`[{"kind":"inntekt","limit":1e9,"per_member":-5,"exempt":["x"]}]`)
	f.Fuzz(func(t *testing.T, s string) {
		rules, err := ParseRules([]byte(s))
		if err != nil {
			return
		}
		// Whatever parses evaluates, with one check per rule.
		if e := Evaluate(rules, Applicant{}); len(e.Checks) != len(rules) {
			t.Fatalf("%d checks for %d rules", len(e.Checks), len(rules))
		}
	})
}

// A rule open for want of a stated fact is neither passed nor failed, and
// an exemption still wins over a blank.
func TestOpenRules(t *testing.T) {
	rules := DefaultRules()
	a := Applicant{Age: 30, HouseholdSize: 1, RegisteredHere: true, Unstated: []Fact{FactYearsResident, FactHouseholdIncome, FactHouseholdAssets}}
	e := Evaluate(rules, a)
	if e.Eligible || !e.Open() {
		t.Fatalf("eligible=%v open=%v", e.Eligible, e.Open())
	}
	for _, c := range e.Checks {
		if c.Open && c.Passed {
			t.Errorf("%s: open and passed", c.Rule.Kind)
		}
		if !c.Open && !c.Passed {
			t.Errorf("%s failed: %s", c.Rule.Kind, c.Reason)
		}
		if strings.Contains(c.Reason, " 0 år") || strings.Contains(c.Reason, "Ikke oppfylt") {
			t.Errorf("%s reads as failed: %s", c.Rule.Kind, c.Reason)
		}
	}
	a.Groups = []Group{GroupHomeless}
	for _, c := range Evaluate(rules, a).Checks {
		if c.Rule.Kind == MinResidence && (!c.Exempt || c.Open) {
			t.Errorf("the homeless are exempt from the residence rule even when it is left blank: %+v", c)
		}
	}
}

func TestDayCounts(t *testing.T) {
	for n, want := range map[int]string{0: "i dag", 1: "om 1 dag", 2: "om 2 dager", 14: "om 14 dager"} {
		if got := inDays(n); got != want {
			t.Errorf("inDays(%d) = %q, want %q", n, got, want)
		}
	}
	if got := persons(1) + ", " + persons(3); got != "1 person, 3 personer" {
		t.Errorf("persons: %q", got)
	}
}
