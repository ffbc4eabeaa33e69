package caseflow

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"husly/internal/access"
	"husly/internal/invalid"
	"husly/internal/phrase"
)

// RuleKind is what an eligibility rule checks.
type RuleKind string

const (
	MinAge         RuleKind = "alder"         // at least Limit years old
	MinResidence   RuleKind = "botid"         // resident at least Limit years
	MaxIncome      RuleKind = "inntekt"       // household income at most Limit + PerMember per member beyond the first
	MaxAssets      RuleKind = "formue"        // household assets at most Limit
	NoOwnedHome    RuleKind = "eier_ikke"     // owns no home
	RegisteredHere RuleKind = "folkeregister" // registered as living in the municipality
)

// Rule is one eligibility rule of a municipality: data, so a municipality
// changes its rules without new code.
type Rule struct {
	Kind      RuleKind `json:"kind"`
	Limit     float64  `json:"limit,omitempty"`
	PerMember float64  `json:"per_member,omitempty"`
	// Exempt lists priority groups the rule does not apply to (for example
	// GroupHomeless exempt from the residence rule).
	Exempt []Group `json:"exempt,omitempty"`
}

// Applicant is what the rules are checked against, from the mapping.
type Applicant struct {
	Age             int
	YearsResident   float64
	HouseholdSize   int
	HouseholdIncome float64 // NOK per year, before tax
	HouseholdAssets float64
	OwnsHome        bool
	RegisteredHere  bool
	Groups          []Group // priority groups the applicant belongs to
	// Unstated are the facts the applicant left blank: their rules are
	// open until a case worker finds out, never failed.
	Unstated []Fact
}

// fact is the stated fact a rule reads, if it reads one an applicant may
// leave blank.
func (k RuleKind) fact() Fact {
	switch k {
	case MinResidence:
		return FactYearsResident
	case MaxIncome:
		return FactHouseholdIncome
	case MaxAssets:
		return FactHouseholdAssets
	}
	return ""
}

// Check is the outcome of one rule. Its explanation is a phrase (the
// facts, as code and arguments), written in the reader's language with
// the verdict after it; Reason is the same in bokmål for the command line.
// A check stored before phrases has only its Reason, shown as it is.
type Check struct {
	Rule   Rule `json:"rule"`
	Passed bool `json:"passed"`
	Exempt bool `json:"exempt"`
	// Open means the rule could not be checked: the applicant did not
	// state the fact it reads.
	Open   bool   `json:"open,omitempty"`
	Reason string `json:"reason"`
	phrase.Phrase
}

// The catalogue keys of the eligibility's sentences (texts.json).
const (
	eligibleText        = "texts.eligibility.met"
	notEligibleText     = "texts.eligibility.not_met"
	notEligibleWhyText  = "texts.eligibility.not_met_because"
	notEligibleOpenText = "texts.eligibility.not_met_and_open"
	openText            = "texts.eligibility.open"
	ruleMetText         = "texts.eligibility.passed"
	ruleNotMetText      = "texts.eligibility.failed"
	eligibilityJoinText = "texts.eligibility.join"
)

// Explain writes the check's explanation with write (a writer of the
// reader's language): the facts, then whether the rule is met.
func (c Check) Explain(write func(phrase.Phrase) string) string {
	if c.Code == "" { // stored before phrases
		return c.Reason
	}
	if c.Exempt || c.Open {
		return write(c.Phrase)
	}
	verdict := ruleNotMetText
	if c.Passed {
		verdict = ruleMetText
	}
	return write(c.Phrase) + " " + write(phrase.New(verdict))
}

// Speak writes Reason in the reader's language (phrase.Speaker).
func (c *Check) Speak(write func(phrase.Phrase) string) { c.Reason = c.Explain(write) }

// Eligibility is the outcome of all rules.
type Eligibility struct {
	Eligible bool    `json:"eligible"`
	Checks   []Check `json:"checks"`
}

// Open reports whether a rule is still open for want of a stated fact.
func (e Eligibility) Open() bool {
	return slices.ContainsFunc(e.Checks, func(c Check) bool { return c.Open })
}

// Reveals is the category of the facts a check's explanation states:
// income, assets and home ownership are finances (the household's income
// is "Husstandens inntekt er 379 106 kr"), the others the housing need.
func (k RuleKind) Reveals() access.Category {
	switch k {
	case MaxIncome, MaxAssets, NoOwnedHome:
		return access.Finances
	}
	return access.HousingNeeds
}

// Assessed is an application's eligibility as a response shows it: each
// check carries the category its explanation and outcome reveal, so a
// viewer without finances sees neither the income check's reason nor
// that it failed.
type Assessed struct {
	Eligible bool                     `json:"eligible"`
	Checks   []access.Personal[Check] `json:"checks"`
}

// Assess tags the checks of a person's eligibility with their categories.
func (e Eligibility) Assess(personID int64) Assessed {
	out := Assessed{Eligible: e.Eligible, Checks: make([]access.Personal[Check], len(e.Checks))}
	for i, c := range e.Checks {
		out.Checks[i] = access.Tag(personID, c, c.Rule.Kind.Reveals(), access.HousingNeeds)
	}
	return out
}

// Summary is one sentence for the case from the checks the viewer may
// see; failed checks they may not see are mentioned without their reason.
func (e Assessed) Summary() string {
	if e.Eligible {
		return "Fyller vilkårene for kommunal bolig."
	}
	var failed, open []string
	for _, x := range e.Checks {
		c := x.Value()
		switch {
		case !x.Shown(): // a failed check the viewer may not see is counted without its reason
		case c.Open:
			open = append(open, c.Reason)
		case !c.Passed:
			failed = append(failed, c.Reason)
		}
	}
	return summary(failed, open)
}

// summary writes the verdict: failed rules first; rules open for want of
// a fact say so, and never count as failed.
func summary(failed, open []string) string {
	switch {
	case len(failed) > 0 && len(open) > 0:
		return "Fyller ikke vilkårene: " + strings.Join(failed, " ") + " Ikke vurdert ennå: " + strings.Join(open, " ")
	case len(failed) > 0:
		return "Fyller ikke vilkårene: " + strings.Join(failed, " ")
	case len(open) > 0:
		return "Vilkårene er ikke vurdert ferdig: " + strings.Join(open, " ")
	}
	return "Fyller ikke vilkårene."
}

// Explain is Summary written with write, in the reader's language.
func (e Assessed) Explain(write func(phrase.Phrase) string) string {
	if e.Eligible {
		return write(phrase.New(eligibleText))
	}
	var failed, open []string
	for _, x := range e.Checks {
		c := x.Value()
		switch {
		case !x.Shown():
		case c.Open:
			open = append(open, c.Explain(write))
		case !c.Passed:
			failed = append(failed, c.Explain(write))
		}
	}
	join := write(phrase.New(eligibilityJoinText))
	switch {
	case len(failed) > 0 && len(open) > 0:
		return write(phrase.New(notEligibleOpenText, phrase.Text(strings.Join(failed, join)), phrase.Text(strings.Join(open, join))))
	case len(failed) > 0:
		return write(phrase.New(notEligibleWhyText, phrase.Text(strings.Join(failed, join))))
	case len(open) > 0:
		return write(phrase.New(openText, phrase.Text(strings.Join(open, join))))
	}
	return write(phrase.New(notEligibleText))
}

// Summary is one sentence for the case: eligible, or which rules failed.
func (e Eligibility) Summary() string {
	if e.Eligible {
		return "Fyller vilkårene for kommunal bolig."
	}
	var failed, open []string
	for _, c := range e.Checks {
		switch {
		case c.Open:
			open = append(open, c.Reason)
		case !c.Passed:
			failed = append(failed, c.Reason)
		}
	}
	return summary(failed, open)
}

// Evaluate checks an applicant against the rules. Every rule is reported,
// passed or not, so a case worker can show the applicant why.
func Evaluate(rules []Rule, a Applicant) Eligibility {
	e := Eligibility{Eligible: true}
	for _, r := range rules {
		c := check(r, a)
		e.Checks = append(e.Checks, c)
		e.Eligible = e.Eligible && c.Passed
	}
	return e
}

var groupLabels = map[Group]string{
	GroupHomeless: "bostedsløse", GroupFamily: "barnefamilier", GroupReleased: "løslatte fra fengsel",
	GroupHousingFirst: "Housing First-deltakere", GroupDischarged: "utskrevne fra institusjon",
}

// groupArg names a priority group in the reader's language; a
// municipality's own group is shown by its code.
func groupArg(g Group) phrase.Arg {
	if _, ok := groupLabels[g]; ok {
		return phrase.Label("texts.eligibility.group." + string(g))
	}
	return phrase.Text(string(g))
}

// check judges one rule. The explanation is a phrase (written per
// language by the web layer) and, for the command line, the same in
// bokmål.
func check(r Rule, a Applicant) Check {
	for _, g := range r.Exempt {
		for _, mine := range a.Groups {
			if g == mine {
				label := groupLabels[g]
				if label == "" {
					label = string(g)
				}
				return Check{Rule: r, Passed: true, Exempt: true, Reason: fmt.Sprintf("Regelen om %s gjelder ikke for %s.", kindLabel(r.Kind), label),
					Phrase: phrase.New("texts.eligibility.exempt", phrase.Label("texts.eligibility.rule."+string(r.Kind)), groupArg(g))}
			}
		}
	}
	if f := r.Kind.fact(); f != "" && slices.Contains(a.Unstated, f) {
		return Check{Rule: r, Open: true, Reason: fmt.Sprintf("Søkeren har ikke oppgitt %s; saksbehandleren finner det ut.", unstatedLabel[f]),
			Phrase: phrase.New("texts.eligibility.unstated", phrase.Label("texts.eligibility.fact."+string(f)))}
	}
	kr := func(f float64) string { return groupThousands(int(f)) + " kr" }
	switch r.Kind {
	case MinAge:
		ok := float64(a.Age) >= r.Limit
		return Check{Rule: r, Passed: ok, Reason: verdict(ok, fmt.Sprintf("Søkeren er %d år; kravet er minst %g år.", a.Age, r.Limit)),
			Phrase: phrase.New("texts.eligibility.age", phrase.Number(float64(a.Age)), phrase.Number(r.Limit))}
	case MinResidence:
		ok := a.YearsResident >= r.Limit
		return Check{Rule: r, Passed: ok, Reason: verdict(ok, fmt.Sprintf("Søkeren har bodd i kommunen i %s år; kravet er minst %g år.", trimFloat(a.YearsResident), r.Limit)),
			Phrase: phrase.New("texts.eligibility.residence", phrase.Number(a.YearsResident), phrase.Number(r.Limit))}
	case MaxIncome:
		members := max(a.HouseholdSize, 1)
		limit := r.Limit + r.PerMember*float64(members-1)
		ok := a.HouseholdIncome <= limit
		return Check{Rule: r, Passed: ok, Reason: verdict(ok, fmt.Sprintf("Husstandens inntekt er %s; grensen for %s er %s.", kr(a.HouseholdIncome), persons(members), kr(limit))),
			Phrase: phrase.New("texts.eligibility.income", phrase.Count(members), phrase.Number(float64(int(a.HouseholdIncome))), phrase.Number(float64(int(limit))))}
	case MaxAssets:
		ok := a.HouseholdAssets <= r.Limit
		return Check{Rule: r, Passed: ok, Reason: verdict(ok, fmt.Sprintf("Husstandens formue er %s; grensen er %s.", kr(a.HouseholdAssets), kr(r.Limit))),
			Phrase: phrase.New("texts.eligibility.assets", phrase.Number(float64(int(a.HouseholdAssets))), phrase.Number(float64(int(r.Limit))))}
	case NoOwnedHome:
		if a.OwnsHome {
			return Check{Rule: r, Passed: false, Reason: verdict(false, "Søkeren eier bolig."), Phrase: phrase.New("texts.eligibility.owns_home")}
		}
		return Check{Rule: r, Passed: true, Reason: verdict(true, "Søkeren eier ikke bolig."), Phrase: phrase.New("texts.eligibility.owns_no_home")}
	case RegisteredHere:
		if a.RegisteredHere {
			return Check{Rule: r, Passed: true, Reason: verdict(true, "Søkeren er folkeregistrert i kommunen."), Phrase: phrase.New("texts.eligibility.registered")}
		}
		return Check{Rule: r, Passed: false, Reason: verdict(false, "Søkeren er ikke folkeregistrert i kommunen."), Phrase: phrase.New("texts.eligibility.not_registered")}
	}
	return Check{Rule: r, Passed: false, Reason: verdict(false, fmt.Sprintf("Ukjent regel «%s».", r.Kind)), Phrase: phrase.New("texts.eligibility.unknown_rule", phrase.Text(string(r.Kind)))}
}

var unstatedLabel = map[Fact]string{FactYearsResident: "hvor lenge hen har bodd i kommunen", FactHouseholdIncome: "husstandens inntekt",
	FactHouseholdAssets: "husstandens formue"}

func verdict(ok bool, facts string) string {
	if ok {
		return facts + " Oppfylt."
	}
	return facts + " Ikke oppfylt."
}

func kindLabel(k RuleKind) string {
	return map[RuleKind]string{MinAge: "alder", MinResidence: "botid", MaxIncome: "inntekt", MaxAssets: "formue",
		NoOwnedHome: "eid bolig", RegisteredHere: "folkeregistrering"}[k]
}

// persons counts people in the right number: "1 person", "4 personer".
func persons(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d personer", n)
}

func trimFloat(f float64) string { return strings.Replace(fmt.Sprintf("%g", f), ".", ",", 1) }

func groupThousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[0] != '-' {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// DefaultRules are a starting point modelled on common municipal practice:
// adult, resident at least a year (not required of the homeless or of
// people released from prison), income and assets within limits, no
// owned home. A municipality edits them.
func DefaultRules() []Rule {
	return []Rule{
		{Kind: MinAge, Limit: 18},
		{Kind: MinResidence, Limit: 1, Exempt: []Group{GroupHomeless, GroupReleased, GroupDischarged}},
		{Kind: MaxIncome, Limit: 450000, PerMember: 90000},
		{Kind: MaxAssets, Limit: 200000},
		{Kind: NoOwnedHome},
	}
}

// ParseRules reads a municipality's rules from JSON and checks them, with
// every problem in Norwegian.
func ParseRules(b []byte) ([]Rule, error) {
	var rules []Rule
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rules); err != nil {
		return nil, invalid.Problem("reglene er ikke gyldig JSON: %s", err.Error())
	}
	var problems []invalid.Message
	seen := map[RuleKind]bool{}
	for i, r := range rules {
		n := i + 1
		switch r.Kind {
		case MinAge, MinResidence, MaxIncome, MaxAssets:
			if r.Limit < 0 || r.PerMember < 0 {
				problems = append(problems, invalid.F("regel %d (%s): grensen kan ikke være negativ", n, r.Kind))
			}
		case NoOwnedHome, RegisteredHere:
		default:
			problems = append(problems, invalid.F("regel %d: ukjent regeltype %q", n, r.Kind))
		}
		if r.Kind == MinAge && r.Limit > 120 || r.Kind == MinResidence && r.Limit > 50 {
			problems = append(problems, invalid.F("regel %d (%s): grensen %g er urimelig høy", n, r.Kind, r.Limit))
		}
		if seen[r.Kind] {
			problems = append(problems, invalid.F("regel %d: regeltypen %s står to ganger", n, r.Kind))
		}
		seen[r.Kind] = true
	}
	if len(problems) > 0 {
		return nil, invalid.New(problems...)
	}
	return rules, nil
}
