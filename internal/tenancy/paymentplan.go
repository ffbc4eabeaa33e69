package tenancy

import (
	"context"
	"errors"

	"husly/internal/arrears"
	"husly/internal/store"
)

// paymentPlanReason is what the ladder records when a payment plan stops it.
const paymentPlanReason = "Betalingsplan avtalt i samtalen om restansen"

// A payment plan agreed in the conversation before collection stops an
// open ladder that rests on unpaid rent: the tenancy is kept by the plan,
// not by the next step (seed 004: help before the eviction; the
// escalation is a means, never the goal). A ladder that also rests on
// another ground (nuisance, damage) is not answered by a plan and goes on;
// the team sees the plan and decides.
func init() {
	arrears.OnOutcome(func(ctx context.Context, q store.Queryer, o arrears.Outcome) error {
		if o.Kind != arrears.PaymentPlan || o.RecordedByID == 0 {
			return nil
		}
		steps, err := stepsOf(ctx, q, o.MunicipalityID, []int64{o.LeaseID})
		if err != nil {
			return err
		}
		for _, s := range steps[o.LeaseID] {
			if s.Status == InForce && s.Ground != "" && s.Ground != GroundRent {
				return nil
			}
		}
		err = StopLadder(ctx, q, o.MunicipalityID, o.LeaseID, paymentPlanReason, o.RecordedByID)
		if errors.Is(err, ErrNoLadder) {
			return nil
		}
		return err
	})
}
