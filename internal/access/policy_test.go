package access

import (
	"errors"
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	hour := time.Hour
	active := []CaseUnit{{Started: now.Add(-48 * hour)}}
	ended := []CaseUnit{{Started: now.Add(-48 * hour), Ended: now.Add(-hour)}}
	consent := func(withdrawn time.Time, cats ...Category) []Consent {
		return []Consent{{Given: now.Add(-24 * hour), Categories: cats, Withdrawn: withdrawn}}
	}
	m := DefaultMatrix()
	tests := []struct {
		name  string
		role  Role
		facts Facts
		err   error
		basis Basis
		want  []Category // must be granted
		deny  []Category // must not be granted
	}{
		{"no relationship", CaseWorker, Facts{}, ErrNoRelationship, "", nil, nil},
		{"ended relationship", CaseWorker, Facts{CaseUnits: ended}, ErrNoRelationship, "", nil, nil},
		{"property sees tenancy, never health", Property, Facts{CaseUnits: active, Consents: consent(time.Time{}, Health)}, nil, ByRelationship,
			[]Category{Basic, Tenancy, HousingNeeds}, []Category{Health, Substance, Finances, IDNumber}},
		{"follow-up without consent", FollowUp, Facts{CaseUnits: active}, nil, ByRelationship, []Category{FollowUpPlan}, []Category{Health, Substance}},
		{"follow-up with consent to health", FollowUp, Facts{CaseUnits: active, Consents: consent(time.Time{}, Health)}, nil, ByConsent,
			[]Category{Health, FollowUpPlan}, []Category{Substance}},
		{"consent withdrawn an hour ago", FollowUp, Facts{CaseUnits: active, Consents: consent(now.Add(-hour), Health)}, nil, ByRelationship, nil, []Category{Health}},
		{"legal basis instead of consent", FollowUp, Facts{CaseUnits: []CaseUnit{{Started: now.Add(-hour), LegalBasis: "hol. § 12-1"}}}, nil, ByRelationship,
			[]Category{Health, Substance}, nil},
		{"NAV case worker sees finances with consent", CaseWorker, Facts{CaseUnits: active, Consents: consent(time.Time{}, Finances)}, nil, ByConsent, []Category{Finances}, []Category{Health}},
		// Emergency access follows the consent rule: no special category without consent…
		{"break the glass", CaseWorker, Facts{BreakGlass: now.Add(hour)}, nil, ByBreakGlass, []Category{Basic, IDNumber, HousingNeeds}, []Category{Finances, Health}},
		{"break the glass, follow-up, no consent", FollowUp, Facts{BreakGlass: now.Add(hour)}, nil, ByBreakGlass, []Category{Basic, FollowUpPlan}, []Category{Health, Substance}},
		{"break the glass with consent to health", FollowUp, Facts{BreakGlass: now.Add(hour), Consents: consent(time.Time{}, Health)}, nil, ByBreakGlass,
			[]Category{Health}, []Category{Substance}},
		// …unless the municipality made the exception, which shows in the basis.
		{"break the glass under the exception", FollowUp, Facts{BreakGlass: now.Add(hour), BreakGlassSpecial: true}, nil, ByBreakGlassSpecial,
			[]Category{Health, Substance, FollowUpPlan}, nil},
		{"the exception opens nothing the role lacks", Property, Facts{BreakGlass: now.Add(hour), BreakGlassSpecial: true}, nil, ByBreakGlass,
			[]Category{Tenancy}, []Category{Health, Finances}},
		{"expired break-glass", CaseWorker, Facts{BreakGlass: now.Add(-time.Minute)}, ErrNoRelationship, "", nil, nil},
		{"restricted", CaseWorker, Facts{CaseUnits: active, Restricted: true}, ErrRestricted, "", nil, nil},
		{"planner never", Planner, Facts{CaseUnits: active, IsSelf: true}, ErrForbidden, "", nil, nil},
		{"admin never", Admin, Facts{CaseUnits: active}, ErrForbidden, "", nil, nil},
		{"resident sees self", Resident, Facts{IsSelf: true}, nil, BySelf, []Category{Health, IDNumber}, nil},
		{"resident not others", Resident, Facts{CaseUnits: active}, ErrForbidden, "", nil, nil},
		{"auditor needs a reason", Auditor, Facts{}, ErrReasonRequired, "", nil, nil},
		{"auditor with a reason", Auditor, Facts{Supervision: "Tilsyn med tildeling 2026"}, nil, BySupervision, []Category{Health, Tenancy}, nil},
	}
	for _, tc := range tests {
		g, err := Decide(Actor{Role: tc.role}, tc.facts, m, now)
		if !errors.Is(err, tc.err) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.err)
			continue
		}
		if err != nil {
			continue
		}
		if g.Basis != tc.basis {
			t.Errorf("%s: basis %s, want %s", tc.name, g.Basis, tc.basis)
		}
		for _, c := range tc.want {
			if !g.Allows(c) {
				t.Errorf("%s: %s not granted", tc.name, c)
			}
		}
		for _, c := range tc.deny {
			if g.Allows(c) {
				t.Errorf("%s: %s granted", tc.name, c)
			}
		}
	}
}

// A configurable matrix narrows what a relationship opens.
func TestDecideFollowsMatrix(t *testing.T) {
	now := time.Now()
	m := Matrix{Property: {Basic: true}}
	g, err := Decide(Actor{Role: Property}, Facts{CaseUnits: []CaseUnit{{Started: now.Add(-time.Hour)}}}, m, now)
	if err != nil || g.Allows(Tenancy) || !g.Allows(Basic) {
		t.Fatalf("grant %v, %v", g.List(), err)
	}
}

func FuzzCategories(f *testing.F) {
	f.Add("helse,rus")
	f.Add(",,okonomi,")
	f.Fuzz(func(t *testing.T, s string) {
		cs := splitCategories(s)
		again := splitCategories(joinCategories(cs))
		if len(again) != len(cs) {
			t.Fatalf("%q: %d then %d categories", s, len(cs), len(again))
		}
	})
}

// A municipality's own role builds on a built-in one for what it may do and
// has its own row for what it may see.
func TestCustomRoleUsesItsOwnRow(t *testing.T) {
	now := time.Now()
	m := DefaultMatrix()
	m["nav-veileder"] = map[Category]bool{Basic: true, Finances: true}
	m[CaseWorker] = map[Category]bool{Basic: true, Tenancy: true}
	facts := Facts{CaseUnits: []CaseUnit{{Started: now.Add(-time.Hour), LegalBasis: "nav-loven § 4"}}}
	nav, err := Decide(Actor{Role: CaseWorker, RoleCode: "nav-veileder"}, facts, m, now)
	if err != nil || !nav.Allows(Finances) || nav.Allows(Tenancy) {
		t.Fatalf("NAV role: %v %v", nav.List(), err)
	}
	office, _ := Decide(Actor{Role: CaseWorker, RoleCode: "saksbehandler"}, facts, m, now)
	if office.Allows(Finances) || !office.Allows(Tenancy) {
		t.Fatalf("housing office: %v", office.List())
	}
}

func TestReviewRoute(t *testing.T) {
	// 1 management ← 2 housing office ← 3 team; 4 on its own.
	parent := map[int64]int64{2: 1, 3: 2}
	for _, c := range []struct {
		name  string
		start int64
		led   map[int64]bool
		want  int64
	}{
		{"own unit has a leader", 3, map[int64]bool{3: true, 1: true}, 3},
		{"no leader in the unit: the next one up", 3, map[int64]bool{1: true}, 1},
		{"no leader anywhere: the auditor", 3, map[int64]bool{}, 0},
		{"a unit on its own without a leader", 4, map[int64]bool{1: true}, 0},
		{"no unit at all", 0, map[int64]bool{1: true}, 0},
	} {
		if got := ReviewRoute(c.start, parent, c.led); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	// A loop in the organisation ends in the auditor, not forever.
	if got := ReviewRoute(5, map[int64]int64{5: 6, 6: 5}, nil); got != 0 {
		t.Fatalf("loop: %d", got)
	}
}
