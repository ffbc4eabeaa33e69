package access_test

import (
	"testing"

	"husly/internal/access"
)

// A unit leader's register of rights-restricting measures shows the
// categories a measure reveals only for measures their own unit
// registered, and only to a leader who may already see the person: under
// its own basis, with the grant they had otherwise unchanged.
func TestInternalControl(t *testing.T) {
	leader := access.Actor{Role: access.UnitLeader, OrgUnitID: 7}
	seen := access.Grant{PersonID: 1, Basis: access.ByRelationship, Categories: map[access.Category]bool{access.Basic: true, access.FollowUpPlan: true}}
	g := access.InternalControl(leader, seen, 7, access.Health)
	if !g.Allows(access.Health) || !g.Allows(access.Basic) || g.Basis != access.ByInternalControl {
		t.Errorf("own unit's measure: %+v", g)
	}
	if g.Allows(access.Substance) || g.Allows(access.Finances) {
		t.Errorf("the widening reaches beyond what the measure reveals: %+v", g)
	}
	if seen.Allows(access.Health) {
		t.Error("the widening changed the grant it was given")
	}
	if g := access.InternalControl(leader, seen, 7, access.FollowUpPlan); g.Basis != access.ByRelationship {
		t.Errorf("a measure revealing only what the grant has changes the basis: %s", g.Basis)
	}
	for what, c := range map[string]struct {
		a    access.Actor
		g    access.Grant
		unit int64
	}{
		"another unit's measure":    {leader, seen, 8},
		"a person they may not see": {leader, access.Grant{}, 7},
		"a case worker":             {access.Actor{Role: access.CaseWorker, OrgUnitID: 7}, seen, 7},
		"a follow-up worker":        {access.Actor{Role: access.FollowUp, OrgUnitID: 7}, seen, 7},
		"a leader without a unit":   {access.Actor{Role: access.UnitLeader}, seen, 0},
		"a person seen by emergency access": {leader, access.Grant{PersonID: 1, Basis: access.ByBreakGlass,
			Categories: map[access.Category]bool{access.Basic: true, access.FollowUpPlan: true}}, 7},
	} {
		if g := access.InternalControl(c.a, c.g, c.unit, access.Health); g.Allows(access.Health) {
			t.Errorf("%s: health is shown", what)
		}
	}
}
