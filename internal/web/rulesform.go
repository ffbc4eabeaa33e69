package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/invalid"
)

// Rules as forms: the eligibility and priority rules are edited as rows
// of labelled fields and choices in the reader's language, never as JSON
// or codes. A posted form becomes the same rule list the API takes as
// JSON, and the capability's own parser checks it (caseflow.ParseRules,
// allocation.ParseRules), so the two ways in follow one set of rules.

// extraRules is how many empty rows a rule form offers for new rules.
const extraRules = 2

// ruleRow is one rule as the form shows it: its kind chosen from a list
// and its numbers as typed. N numbers the row on the page.
type ruleRow struct {
	N                    int
	Kind, Group          string
	Points, PerDays, Max string
	Limit, PerMember     string
	Exempt               []string
}

// Exempts reports whether the row exempts group g (a checkbox).
func (r ruleRow) Exempts(g string) bool {
	for _, x := range r.Exempt {
		if x == g {
			return true
		}
	}
	return false
}

// numberText writes a stored number for a field, empty for 0.
func numberText(lang string, f float64) string {
	if f == 0 {
		return ""
	}
	return formatNumber(lang, f)
}

func withEmptyRows(rows []ruleRow) []ruleRow {
	for i := 0; i < extraRules; i++ {
		rows = append(rows, ruleRow{})
	}
	for i := range rows {
		rows[i].N = i + 1
	}
	return rows
}

// priorityRows lays the priority rules out as rows.
func priorityRows(lang string, rules []allocation.Rule) []ruleRow {
	var rows []ruleRow
	for _, r := range rules {
		rows = append(rows, ruleRow{Kind: string(r.Kind), Group: string(r.Group), Points: numberText(lang, r.Points),
			PerDays: numberText(lang, float64(r.PerDays)), Max: numberText(lang, r.Max)})
	}
	return withEmptyRows(rows)
}

// groupCodes is the groups as the form's checkboxes name them.
func groupCodes(gs []caseflow.Group) []string {
	if gs == nil {
		return nil
	}
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = string(g)
	}
	return out
}

// eligibilityRows lays the eligibility rules out as rows.
func eligibilityRows(lang string, rules []caseflow.Rule) []ruleRow {
	var rows []ruleRow
	for _, r := range rules {
		rows = append(rows, ruleRow{Kind: string(r.Kind), Limit: numberText(lang, r.Limit), PerMember: numberText(lang, r.PerMember), Exempt: groupCodes(r.Exempt)})
	}
	return withEmptyRows(rows)
}

// postedRows reads the rows of a rule form as typed; "rows" is how many
// the page had.
func postedRows(r *http.Request) []ruleRow {
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	n = min(max(n, 0), 100)
	rows := make([]ruleRow, n)
	for i := range rows {
		p := "r" + strconv.Itoa(i+1) + "_"
		v := func(name string) string { return strings.TrimSpace(r.PostFormValue(p + name)) }
		rows[i] = ruleRow{N: i + 1, Kind: v("kind"), Group: v("group"), Points: v("points"), PerDays: v("per_days"), Max: v("max"),
			Limit: v("limit"), PerMember: v("per_member"), Exempt: r.PostForm[p+"exempt"]}
	}
	return rows
}

// ruleFields tie "regel K" problems to the row the K-th kept rule came
// from: the specific field first, else the row's choice of kind.
func ruleFields(kept []int) []formField {
	var fs []formField
	// A number that does not parse is named by its row ("Regel 3, poeng").
	for _, n := range kept {
		row, nb := "r"+strconv.Itoa(n), "regel "+strconv.Itoa(n)+", "
		fs = append(fs, formField{row + "-points", row + "_points", nb + "poeng"}, formField{row + "-perdays", row + "_per_days", nb + "dager"},
			formField{row + "-max", row + "_max", nb + "høyeste"}, formField{row + "-limit", row + "_limit", nb + "grense"},
			formField{row + "-permember", row + "_per_member", nb + "tillegg"})
	}
	for k, n := range kept {
		rule, row := "regel "+strconv.Itoa(k+1), "r"+strconv.Itoa(n)
		fs = append(fs, formField{row + "-points", row + "_points", rule + ": poeng"}, formField{row + "-perdays", row + "_per_days", rule + ": ventetid"},
			formField{row + "-max", row + "_max", rule + ": høyeste"}, formField{row + "-group", row + "_group", rule + ": ukjent gruppe"},
			formField{row + "-limit", row + "_limit", rule + " ("}, formField{row + "-kind", row + "_kind", rule + ":"})
	}
	return fs
}

// priorityRulesFromForm turns the posted rows into priority rules. Rows
// without a kind are left out (that is how a rule is removed). It returns
// the rows as typed, which kept row each rule came from, and the problems
// with the numbers.
func priorityRulesFromForm(r *http.Request) ([]allocation.Rule, []ruleRow, []int, []invalid.Message) {
	nums := numbersIn(r)
	rows := postedRows(r)
	var rules []allocation.Rule
	var kept []int
	for _, row := range rows {
		if row.Kind == "" {
			continue
		}
		label := func(key string) string { return tr(r, key, row.N) }
		rule := allocation.Rule{Kind: allocation.PriorityKind(row.Kind), Points: nums.decimalText(row.Points, label("forms.rules.points_of"))}
		switch rule.Kind {
		case allocation.PriorityGroup:
			rule.Group = allocation.Group(row.Group)
		case allocation.PriorityWaiting:
			rule.PerDays = nums.intText(row.PerDays, label("forms.rules.per_days_of"))
			rule.Max = nums.decimalText(row.Max, label("forms.rules.max_of"))
		}
		rules = append(rules, rule)
		kept = append(kept, row.N)
	}
	if rules == nil {
		rules = []allocation.Rule{}
	}
	return rules, rows, kept, nums.problems
}

// eligibilityRulesFromForm turns the posted rows into eligibility rules
// as priorityRulesFromForm does, encoded as the API's JSON for
// caseflow.SetRules.
func eligibilityRulesFromForm(r *http.Request) ([]byte, []ruleRow, []int, []invalid.Message) {
	nums := numbersIn(r)
	rows := postedRows(r)
	rules := []caseflow.Rule{}
	var kept []int
	for _, row := range rows {
		if row.Kind == "" {
			continue
		}
		rule := caseflow.Rule{Kind: caseflow.RuleKind(row.Kind), Limit: nums.decimalText(row.Limit, tr(r, "forms.rules.limit_of", row.N)), Exempt: caseflow.GroupsOf(row.Exempt)}
		if rule.Kind == caseflow.MaxIncome {
			rule.PerMember = nums.decimalText(row.PerMember, tr(r, "forms.rules.per_member_of", row.N))
		}
		rules = append(rules, rule)
		kept = append(kept, row.N)
	}
	b, err := json.Marshal(rules)
	if err != nil {
		return nil, rows, kept, []invalid.Message{invalid.F("reglene kunne ikke leses")}
	}
	return b, rows, kept, nums.problems
}

// ruleForm is a rule form's rows with what went wrong, for the pages.
type ruleForm struct {
	Rows  []ruleRow
	Form  formState
	Kinds []string
	// Groups are the priority groups a rule can name or exempt.
	Groups []caseflow.Choice
}

// PriorityKinds and EligibilityKinds are the kinds a row can choose.
var (
	priorityKinds    = codeStrings(allocation.AllPriorityKinds)
	eligibilityKinds = []string{string(caseflow.MinAge), string(caseflow.MinResidence), string(caseflow.MaxIncome),
		string(caseflow.MaxAssets), string(caseflow.NoOwnedHome), string(caseflow.RegisteredHere)}
)

// withView hands a shared template part its data and the page (for the
// page's language): {{template "priority-rules" ($.With .Rules)}}.
type withView struct {
	V view
	D any
}

// With pairs data with the page for a shared template part.
func (v view) With(d any) withView { return withView{V: v, D: d} }

// codeStrings are typed codes as the forms' choices name them.
func codeStrings[T ~string](codes []T) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = string(c)
	}
	return out
}
