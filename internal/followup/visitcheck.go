package followup

import (
	"context"

	"husly/internal/invalid"
	"husly/internal/store"
)

// VisitCheck is asked before a contact is stored, with the staff who took
// part already known; what it finds wrong refuses the contact with the
// rest. Other capabilities add theirs (the risk assessment for visits in
// internal/workenv), so follow-up needs no knowledge of them.
type VisitCheck func(ctx context.Context, q store.Queryer, municipalityID, personID int64, in ContactInput) ([]invalid.Message, error)

var visitChecks []VisitCheck

// CheckVisitsWith adds a check on every contact; call it from init.
func CheckVisitsWith(c VisitCheck) { visitChecks = append(visitChecks, c) }

func runVisitChecks(ctx context.Context, q store.Queryer, municipalityID, personID int64, in ContactInput) ([]invalid.Message, error) {
	var p []invalid.Message
	for _, c := range visitChecks {
		more, err := c(ctx, q, municipalityID, personID, in)
		if err != nil {
			return nil, err
		}
		p = append(p, more...)
	}
	return p, nil
}
