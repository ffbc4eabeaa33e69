package demo

import (
	"time"

	"husly/internal/access"
	"husly/internal/arrears"
	"husly/internal/deadline"
	"husly/internal/org"
	"husly/internal/store"
)

// arrears gives some leases unpaid rent and electricity, as the economy
// system would have reported them: the tenants have let the housing office
// see their finances to follow the arrears up, one conversation is held
// with a payment plan, one waits for the Housing First worker, one lease
// is paid again and one went to collection with a reason.
func (g *generator) arrears() error {
	today := deadline.On(time.Now())
	var olav int64
	if err := g.tx.QueryRowContext(g.ctx, "SELECT id FROM users WHERE username = 'demo-oppfolging' AND municipality_id = ?", g.mid).Scan(&olav); err != nil {
		return err
	}
	type tenancy struct {
		lease, person, rent int64
		followed            bool
	}
	rows, err := g.tx.QueryContext(g.ctx, `SELECT l.id, MIN(lt.person_id), l.rent_monthly,
		MAX(CASE WHEN f.primary_id = ? THEN 1 ELSE 0 END)
		FROM leases l JOIN lease_tenants lt ON lt.lease_id = l.id
		LEFT JOIN followups f ON f.person_id = lt.person_id AND f.status <> 'avsluttet'
		WHERE l.municipality_id = ? AND l.status = 'aktiv' GROUP BY l.id, l.rent_monthly ORDER BY l.id`, olav, g.mid)
	all, err := store.Collect(rows, err, func(s store.Scanner) (t tenancy, err error) {
		var followed int
		err = s.Scan(&t.lease, &t.person, &t.rent, &followed)
		t.followed = followed == 1
		return t, err
	})
	if err != nil {
		return err
	}
	// The Housing First worker's two residents first: one conversation
	// waits for him, one is held with a payment plan.
	var followed, others []tenancy
	for _, t := range all {
		switch {
		case t.followed && len(followed) < 2:
			followed = append(followed, t)
		case !t.followed && len(others) < 6 && t.lease%5 == 0:
			others = append(others, t)
		}
	}
	picked := append(followed, others...)
	office := g.actor
	first := func(monthsBack int) deadline.Date {
		d := time.Date(today.Year, today.Month, 1, 12, 0, 0, 0, time.UTC).AddDate(0, -monthsBack, 0)
		return deadline.Of(d.Year(), d.Month(), d.Day())
	}
	for i, t := range picked {
		// The tenant's consent lets the housing office see the arrears
		// (finances are shared only with consent or a legal basis).
		if _, err := access.RecordConsent(g.ctx, g.tx, office, access.Consent{PersonID: t.person, RecipientUnitID: g.units[org.KindHousingOffice],
			Purpose: "Oppfølging av husleierestanse", Categories: []access.Category{access.Finances}, Expires: deadline.Of(reference.AddDate(2, 0, 0).Date())}); err != nil {
			return err
		}
		months := 1 + i%3
		for m := months; m >= 1; m-- {
			if _, err := arrears.Register(g.ctx, g.tx, office, arrears.HandInput{LeaseID: t.lease, PersonID: t.person, Kind: arrears.Rent,
				DueOn: first(m), Amount: t.rent * 100}, today); err != nil {
				return err
			}
		}
		if i%2 == 1 {
			if _, err := arrears.Register(g.ctx, g.tx, office, arrears.HandInput{LeaseID: t.lease, PersonID: t.person, Kind: arrears.Electricity,
				DueOn: first(1).AddDays(14), Amount: 84250}, today); err != nil {
				return err
			}
		}
		var conv, assignee int64
		var assigneeID *int64
		if err := g.tx.QueryRowContext(g.ctx, "SELECT id, assignee_id FROM arrears_conversations WHERE lease_id = ? AND settled_on IS NULL", t.lease).
			Scan(&conv, &assigneeID); err != nil {
			return err
		}
		if assigneeID != nil {
			assignee = *assigneeID
		}
		holder := office
		if assignee != 0 {
			if holder, err = g.staffActor(assignee); err != nil {
				return err
			}
		}
		switch {
		case i == 1 && t.followed:
			// Held with a payment plan: 500 kr a month on top of the rent.
			if err := arrears.RecordOutcome(g.ctx, g.tx, holder, conv, arrears.OutcomeInput{Kind: arrears.PaymentPlan, HeldOn: today.AddDays(-3),
				Note: "Avtalt nedbetaling med 500 kr i måneden i tillegg til husleien. Bostøtte søkes samtidig."}, today); err != nil {
				return err
			}
		case i == 2:
			if err := arrears.RecordOutcome(g.ctx, g.tx, holder, conv, arrears.OutcomeInput{Kind: arrears.HousingAllow, HeldOn: today.AddDays(-10),
				Note: "Har ikke søkt bostøtte før; søknad sendt sammen med leietakeren."}, today); err != nil {
				return err
			}
		case i == 3:
			// Paid again: the conversation is settled.
			rows, err := g.tx.QueryContext(g.ctx, "SELECT id FROM arrears_dues WHERE lease_id = ?", t.lease)
			dues, err := store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
			if err != nil {
				return err
			}
			for _, d := range dues {
				if err := arrears.SetOutstanding(g.ctx, g.tx, office, d, 0, today); err != nil {
					return err
				}
			}
		case i == 4:
			if err := arrears.StartCollection(g.ctx, g.tx, office, conv, today.AddDays(-1),
				"Leietakeren har flyttet ut uten å oppgi ny adresse og svarer ikke på brev eller telefon.", today); err != nil {
				return err
			}
		}
	}
	return nil
}
