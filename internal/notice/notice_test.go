package notice_test

import (
	"errors"
	"testing"

	"husly/internal/access"
	"husly/internal/notice"
	"husly/internal/phrase"
)

// TestCheckCarriesNoHealth: a notice between units carries the tenancy or
// finances only; health and substance use (GDPR art. 9) never travel in
// one, whatever the sender asks.
func TestCheckCarriesNoHealth(t *testing.T) {
	ok := notice.Input{MunicipalityID: 1, OrgUnitID: 2, Recipient: notice.ToNAV, PersonID: 3, LeaseID: 4, Source: notice.Ladder, SourceID: 5,
		Category: access.Tenancy, Basis: notice.BasisLadderNAV, Message: phrase.New("tenancy.notice.nav")}
	if err := notice.Check(ok); err != nil {
		t.Fatalf("a ladder notice to NAV: %v", err)
	}
	for _, c := range []access.Category{access.Health, access.Substance, access.FollowUpPlan, access.HousingNeeds, access.IDNumber, ""} {
		in := ok
		in.Category = c
		if err := notice.Check(in); !errors.Is(err, notice.ErrCategory) {
			t.Errorf("a notice carrying %q: %v", c, err)
		}
	}
	for name, in := range map[string]notice.Input{
		"no basis":     func() notice.Input { x := ok; x.Basis = ""; return x }(),
		"no message":   func() notice.Input { x := ok; x.Message = phrase.Phrase{}; return x }(),
		"no person":    func() notice.Input { x := ok; x.PersonID = 0; return x }(),
		"to anyone":    func() notice.Input { x := ok; x.Recipient = "alle"; return x }(),
		"from nowhere": func() notice.Input { x := ok; x.Source = "annet"; return x }(),
	} {
		if notice.Check(in) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
