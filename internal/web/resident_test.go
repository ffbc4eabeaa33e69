package web

import (
	"testing"

	"husly/internal/access"
	"husly/internal/caseflow"
)

func TestApplicationSteps(t *testing.T) {
	tests := []struct {
		status  caseflow.Status
		current string // "" when every step is done
		done    int
	}{
		{caseflow.StatusReceived, "handling", 1},
		{caseflow.StatusInProgress, "handling", 1},
		{caseflow.StatusReview, "handling", 1},
		{caseflow.StatusRefused, "decision", 2},
		{caseflow.StatusGranted, "offer", 3},
		{caseflow.StatusOffered, "offer", 3},
		{caseflow.StatusAllocated, "lease", 4},
		{caseflow.StatusLease, "", 5},
	}
	for _, tc := range tests {
		steps := applicationSteps(tc.status)
		current, done := "", 0
		for _, s := range steps {
			if s.Current {
				if current != "" {
					t.Errorf("%s: two current steps", tc.status)
				}
				current = s.Key
			}
			if s.Done {
				done++
			}
		}
		if current != tc.current || done != tc.done {
			t.Errorf("%s: current %q with %d done, want %q with %d", tc.status, current, done, tc.current, tc.done)
		}
	}
}

func TestSplitLog(t *testing.T) {
	log := []access.LogEntry{{UserName: "a", Basis: access.BySelf}, {UserName: "b", Basis: access.ByRelationship},
		{UserName: "c", Basis: access.BySelf}, {UserName: "d", Basis: access.ByBreakGlass}}
	others, own := splitLog(log)
	if len(others) != 2 || others[0].UserName != "b" || others[1].UserName != "d" || len(own) != 2 || own[0].UserName != "a" {
		t.Errorf("others %+v, own %+v", others, own)
	}
}
