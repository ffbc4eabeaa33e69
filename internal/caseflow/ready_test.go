package caseflow_test

import (
	"slices"
	"testing"

	"husly/internal/caseflow"
	"husly/internal/deadline"
)

// A case is offered only the letters that can be made for it now: before
// the decision only the provisional answer; after it the decision letter
// and no longer the provisional answer; allocation, lease and appeal-file
// letters only once there is an offer, a lease or an upheld appeal.
func TestReadyLetters(t *testing.T) {
	codes := func(c caseflow.Case) []string {
		var out []string
		for _, k := range caseflow.ReadyLetters(c) {
			out = append(out, k.Code)
		}
		return out
	}
	received := deadline.Date{Year: 2026, Month: 11, Day: 2}
	c := caseflow.Case{Application: caseflow.Application{ID: 1, Status: caseflow.StatusReceived, Received: received, DecisionDue: received.AddDays(30)}}
	if got := codes(c); !slices.Equal(got, []string{caseflow.LetterProvisional}) {
		t.Errorf("before the decision: %v", got)
	}
	c.Application.Status = caseflow.StatusRefused
	c.Decisions = []caseflow.Decision{{Outcome: caseflow.OutcomeRefused, DecidedOn: received.AddDays(10)}}
	if got := codes(c); !slices.Equal(got, []string{caseflow.LetterDecision}) {
		t.Errorf("after a refusal: %v", got)
	}
}
