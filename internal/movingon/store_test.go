package movingon_test

import (
	"context"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/movingon"
	"husly/internal/movingon/movingontest"
	"husly/internal/risk"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// The two sources on both engines: leases ending within 90 days without
// a decision on their present end, one signal per tenant; follow-ups past
// their contact frequency; the building filter; a renewal takes a lease
// off and a viewer without the follow-up category sees no missed contact.
func TestSourcesOnBothEngines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := movingontest.Build(t, db, 400)
		today := deadline.On(time.Now())
		q := risk.Query{Municipality: f.Tenant.MunicipalityID, Today: today}
		signals, err := risk.Collect(ctx, db, q)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[risk.Kind]int{}
		var ending risk.Signal
		for _, s := range signals {
			kinds[s.Kind]++
			if s.Kind == risk.LeaseEnding && ending.LeaseID == 0 {
				ending = s
			}
			if s.Kind == risk.LeaseEnding && s.Category != access.Tenancy || s.Kind == risk.MissedContact && s.Category != access.FollowUpPlan {
				t.Errorf("a %s signal reveals %s", s.Kind, s.Category)
			}
		}
		var want int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM leases l WHERE l.municipality_id = ? AND l.status = 'aktiv' AND l.end_date <= ?
			AND NOT EXISTS (SELECT 1 FROM renewal_decisions r WHERE r.lease_id = l.id AND r.lease_end_on = l.end_date)`,
			f.Tenant.MunicipalityID, today.AddDays(movingon.EndingWithinDays)).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if kinds[risk.LeaseEnding] != want || want == 0 {
			t.Errorf("%d leases ending, want %d", kinds[risk.LeaseEnding], want)
		}
		if kinds[risk.MissedContact] == 0 {
			t.Error("no missed contact")
		}
		// The building filter keeps only that building's signals.
		q.BuildingID = f.Buildings[0]
		inOne, err := risk.Collect(ctx, db, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range inOne {
			if s.BuildingID != f.Buildings[0] {
				t.Errorf("a signal of building %d in building %d's list", s.BuildingID, f.Buildings[0])
			}
		}
		// A renewal by the property office takes the lease off.
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := movingon.RecordRenewal(ctx, tx, f.Property, movingon.RenewalInput{LeaseID: ending.LeaseID, PersonID: ending.PersonID, Outcome: movingon.Renew}, today)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		q.BuildingID, q.PersonID = 0, ending.PersonID
		after, err := risk.Collect(ctx, db, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range after {
			if s.Kind == risk.LeaseEnding {
				t.Errorf("the renewed lease is still ending: %+v", s)
			}
		}
		// The property office has no follow-up category: no missed contact.
		l, err := risk.Read(ctx, access.NewReader(db, f.Property, access.ChannelAPI), risk.Query{Today: today}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if l.Total == 0 {
			t.Fatal("the property office sees nothing")
		}
		for _, r := range l.Rows {
			for _, x := range r.Value().Reasons {
				if x.Value().Kind == risk.MissedContact {
					t.Errorf("the property office sees a missed contact of person %d", r.Value().PersonID)
				}
			}
		}
	})
}
