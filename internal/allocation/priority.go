package allocation

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"husly/internal/invalid"
)

// Priority rules as data: each municipality keeps its own list, versioned,
// and every applicant's priority comes with its breakdown.

// Rule is one priority rule. Kind "gruppe" gives Points to applicants in
// Group; "bostedslos_na" to those homeless at their latest contact;
// "ventetid" gives Points for every PerDays days on the list, at most Max.
type Rule struct {
	Kind    PriorityKind `json:"kind"`
	Group   Group        `json:"group,omitempty"`
	Points  float64      `json:"points"`
	PerDays int          `json:"per_days,omitempty"`
	Max     float64      `json:"max,omitempty"`
}

// Groups an applicant can belong to, with their Norwegian names (the same
// priority groups as the application).
var groupLabels = map[Group]string{GroupHomeless: "bostedsløs", GroupFamily: "barnefamilie", GroupReleased: "løslatt fra fengsel",
	GroupDischarged: "utskrevet fra institusjon", GroupHousingFirst: "Housing First-deltaker"}

// DefaultRules are what a municipality starts with.
func DefaultRules() []Rule {
	return []Rule{
		{Kind: PriorityHomelessNow, Points: 30},
		{Kind: PriorityGroup, Group: GroupFamily, Points: 20},
		{Kind: PriorityGroup, Group: GroupReleased, Points: 15},
		{Kind: PriorityGroup, Group: GroupDischarged, Points: 15},
		{Kind: PriorityGroup, Group: GroupHousingFirst, Points: 10},
		{Kind: PriorityWaiting, Points: 1, PerDays: 30, Max: 12},
	}
}

// ParseRules reads and checks a rule list, naming each bad rule.
func ParseRules(raw []byte) ([]Rule, error) {
	var rules []Rule
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rules); err != nil {
		return nil, &InputError{[]invalid.Message{invalid.F("reglene er ikke gyldig JSON: %s", jsonProblem(err))}}
	}
	var problems []invalid.Message
	for i, r := range rules {
		if math.IsNaN(r.Points) || math.IsInf(r.Points, 0) || r.Points < 0 || r.Points > 1000 {
			problems = append(problems, invalid.F("regel %d: poengene må være mellom 0 og 1000", i+1))
		}
		switch r.Kind {
		case PriorityGroup:
			if groupLabels[r.Group] == "" {
				problems = append(problems, invalid.F("regel %d: ukjent gruppe %q", i+1, r.Group))
			}
		case PriorityHomelessNow:
		case PriorityWaiting:
			if r.PerDays < 1 || r.PerDays > 365 {
				problems = append(problems, invalid.F("regel %d: ventetid må gi poeng per 1 til 365 dager", i+1))
			}
			if r.Max < 0 || math.IsNaN(r.Max) || math.IsInf(r.Max, 0) {
				problems = append(problems, invalid.F("regel %d: høyeste poeng for ventetid må være 0 (ingen grense) eller mer", i+1))
			}
		default:
			problems = append(problems, invalid.F("regel %d: ukjent regeltype %q (bruk gruppe, bostedslos_na eller ventetid)", i+1, r.Kind))
		}
	}
	if len(problems) > 0 {
		return nil, &InputError{problems}
	}
	if rules == nil {
		rules = []Rule{}
	}
	return rules, nil
}

// Facts are what the priority rules look at.
type Facts struct {
	Groups      []Group
	HomelessNow bool
	DaysWaiting int
}

// Part is one rule's share of a priority, with why.
type Part struct {
	Points float64 `json:"points"`
	Reason string  `json:"reason"`
	// Said is the reason as data, for a page in another language.
	Said Said `json:"-"`
}

// Priority scores an applicant by the rules and says how.
func Priority(rules []Rule, f Facts) (float64, []Part) {
	var total float64
	parts := []Part{}
	for _, r := range rules {
		var p Part
		switch r.Kind {
		case PriorityGroup:
			if slices.Contains(f.Groups, r.Group) {
				p = Part{r.Points, fmt.Sprintf("%s: %s poeng", strings.ToUpper(groupLabels[r.Group][:1])+groupLabels[r.Group][1:], decimal(r.Points)),
					Said{Key: SaidGroup + string(r.Group), Args: []any{r.Points}, N: r.Points}}
			}
		case PriorityHomelessNow:
			if f.HomelessNow {
				p = Part{r.Points, fmt.Sprintf("Bostedsløs ved siste henvendelse: %s poeng", decimal(r.Points)), Said{Key: SaidHomelessNow, Args: []any{r.Points}, N: r.Points}}
			}
		case PriorityWaiting:
			periods := float64(f.DaysWaiting / r.PerDays)
			points := periods * r.Points
			if r.Max > 0 {
				points = math.Min(points, r.Max)
			}
			if points > 0 {
				said := Said{Key: SaidWaiting, Args: []any{f.DaysWaiting, r.Points, r.PerDays, points}, N: points}
				if r.Max > 0 {
					said = Said{Key: SaidWaitingMax, Args: []any{f.DaysWaiting, r.Points, r.PerDays, r.Max, points}, N: points}
				}
				p = Part{points, fmt.Sprintf("Ventet %d dager (%s poeng per %d dager%s): %s poeng", f.DaysWaiting, decimal(r.Points), r.PerDays,
					map[bool]string{true: ", høyst " + decimal(r.Max), false: ""}[r.Max > 0], decimal(points)), said}
			}
		}
		if p.Points > 0 {
			total += p.Points
			parts = append(parts, p)
		}
	}
	return total, parts
}

// Move is how one applicant's place on the list changes under new rules.
type Move struct {
	Index      int     `json:"-"` // the applicant, as listed
	Before     float64 `json:"priority_before"`
	After      float64 `json:"priority_after"`
	RankBefore int     `json:"place_before"` // 1 is first
	Rank       int     `json:"place_after"`
}

// Impact shows, before new rules are saved, who moves up and who down:
// every applicant whose place changes, the largest moves first.
func Impact(old, next []Rule, facts []Facts) []Move {
	rank := func(rules []Rule) ([]float64, []int) {
		prio := make([]float64, len(facts))
		for i, f := range facts {
			prio[i], _ = Priority(rules, f)
		}
		order := make([]int, len(facts))
		for i := range order {
			order[i] = i
		}
		sortStable(order, func(a, b int) bool { return prio[a] > prio[b] })
		ranks := make([]int, len(facts))
		for place, i := range order {
			ranks[i] = place + 1
		}
		return prio, ranks
	}
	pb, rb := rank(old)
	pa, ra := rank(next)
	var moves []Move
	for i := range facts {
		if rb[i] != ra[i] || pb[i] != pa[i] {
			moves = append(moves, Move{i, pb[i], pa[i], rb[i], ra[i]})
		}
	}
	sortStable(moves, func(a, b Move) bool { // the largest moves first, those moving up before those moving down
		if da, db := abs(a.RankBefore-a.Rank), abs(b.RankBefore-b.Rank); da != db {
			return da > db
		}
		return a.Rank < a.RankBefore && b.Rank >= b.RankBefore
	})
	return moves
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
