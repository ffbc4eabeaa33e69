package allocation

import (
	"husly/internal/invalid"
)

// The attribute mode of `husly match`: applicants with their needs and
// wishes, units with their attributes, and a policy; Husly evaluates every
// pair and solves. The output is the pair mode's.

// AttributeInput is the attribute mode's input.
type AttributeInput struct {
	Policy     *Policy        `json:"policy"`
	Applicants []Need         `json:"applicants"`
	Units      []Home         `json:"units"`
	Buildings  map[string]Mix `json:"buildings"`
}

// Problem checks the input and evaluates every pair.
func (in AttributeInput) Problem() (Problem, error) {
	pol := DefaultPolicy()
	if in.Policy != nil {
		pol = *in.Policy
	}
	var problems []invalid.Message
	add := func(format string, args ...any) {
		if len(problems) < maxProblems {
			problems = append(problems, invalid.F(format, args...))
		}
	}
	for _, problem := range checkPolicy(pol) {
		add("policy: %s", problem)
	}
	p := Problem{}
	ids := map[string]bool{}
	for i, a := range in.Applicants {
		if problem := checkID("søker", i, a.ID, ids); problem != "" {
			add("%s", problem)
		}
		if !finiteNonNegative(a.Priority) {
			add("søker «%s»: prioriteten må være et tall fra 0 og oppover", a.ID)
		}
		if a.Rooms < 0 || a.Rooms > 20 {
			add("søker «%s»: rooms må være mellom 0 og 20", a.ID)
		}
		for _, r := range a.Requirements {
			if RequirementLabel(r) == "" {
				add("søker «%s»: ukjent krav %q", a.ID, r)
			}
		}
		p.Applicants, p.Priorities = append(p.Applicants, a.ID), append(p.Priorities, a.Priority)
	}
	units := map[string]bool{}
	for i, u := range in.Units {
		if problem := checkID("bolig", i, u.ID, units); problem != "" {
			add("%s", problem)
		}
		for _, problem := range checkSiteRules(u.SiteRules) {
			add("bolig «%s»: %s", u.ID, problem)
		}
		if u.Rooms < 1 {
			add("bolig «%s»: rooms må være minst 1", u.ID)
		}
		if _, ok := in.Buildings[u.Building]; u.Building != "" && in.Buildings != nil && !ok {
			add("bolig «%s»: bygget «%s» finnes ikke under buildings", u.ID, u.Building)
		}
		p.Units = append(p.Units, u.ID)
	}
	for name, m := range in.Buildings {
		if m.Residents < 0 || m.HighNeed < 0 || m.HighNeed > m.Residents || m.ROP < 0 || m.ROP > m.Residents {
			add("bygg «%s»: high_need og rop må være mellom 0 og residents", name)
		}
	}
	if len(problems) > 0 {
		return Problem{}, &InputError{problems}
	}
	for ui, u := range in.Units {
		mix := in.Buildings[u.Building]
		for ai, a := range in.Applicants {
			if score, ok := Score(a, u, mix, pol); ok {
				p.Pairs = append(p.Pairs, Pair{ai, ui, score})
			}
		}
	}
	return p, nil
}

func finiteNonNegative(f float64) bool { return f >= 0 && f <= 1e12 }
