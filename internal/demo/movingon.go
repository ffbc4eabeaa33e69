package demo

import (
	"fmt"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/movingon"
	"husly/internal/org"
	"husly/internal/store"
)

// Keeping the home and moving on: residents whose follow-up has not met
// them within the service's contact frequency, leases ending within three
// months without a renewal decision, decisions already made (a renewal, a
// refusal with its reasons, a move on to ordinary housing), plans toward
// ordinary rental or ownership, and a credit check made with the
// resident's consent.

// movingOn builds the moving-on part of the demo.
func (g *generator) movingOn() error {
	today := deadline.On(time.Now())
	exec := func(q string, args ...any) error {
		_, err := g.tx.ExecContext(g.ctx, q, args...)
		return err
	}
	// Followed residents with an active lease: the first three have not
	// been met for seven weeks, and the first two of them have a lease
	// that ends within the month without a decision.
	rows, err := g.tx.QueryContext(g.ctx, `SELECT f.id, f.person_id, l.id FROM followups f JOIN lease_tenants lt ON lt.person_id = f.person_id
		JOIN leases l ON l.id = lt.lease_id WHERE f.municipality_id = ? AND f.status = 'aktiv' AND l.status = 'aktiv' AND l.end_date IS NOT NULL ORDER BY f.id`, g.mid)
	type followed struct{ followup, person, lease int64 }
	list, err := store.Collect(rows, err, func(s store.Scanner) (x followed, err error) { return x, s.Scan(&x.followup, &x.person, &x.lease) })
	if err != nil {
		return err
	}
	missed := today.AddDays(-49)
	for i, f := range list {
		if i >= 3 {
			break
		}
		if err := exec(`DELETE FROM followup_contact_staff WHERE contact_id IN (SELECT id FROM followup_contacts WHERE followup_id = ? AND contact_on > ?)`, f.followup, missed); err != nil {
			return err
		}
		if err := exec(`DELETE FROM followup_contacts WHERE followup_id = ? AND contact_on > ?`, f.followup, missed); err != nil {
			return err
		}
		if err := exec(`UPDATE followups SET last_met_on = (SELECT MAX(contact_on) FROM followup_contacts WHERE followup_id = ? AND met = ?) WHERE id = ?`, f.followup, true, f.followup); err != nil {
			return err
		}
		if i < 2 {
			if err := exec("UPDATE leases SET end_date = ? WHERE id = ?", today.AddDays(12+i*9), f.lease); err != nil {
				return err
			}
		}
	}
	// Leases of other residents end within three months.
	rows, err = g.tx.QueryContext(g.ctx, `SELECT l.id, MIN(lt.person_id) FROM leases l JOIN lease_tenants lt ON lt.lease_id = l.id
		WHERE l.municipality_id = ? AND l.status = 'aktiv' AND l.end_date IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.person_id = lt.person_id) GROUP BY l.id ORDER BY l.id`, g.mid)
	type leased struct{ lease, person int64 }
	others, err := store.Collect(rows, err, func(s store.Scanner) (x leased, err error) { return x, s.Scan(&x.lease, &x.person) })
	if err != nil {
		return err
	}
	for i, l := range others {
		if i >= 8 {
			break
		}
		if err := exec("UPDATE leases SET end_date = ? WHERE id = ?", today.AddDays(20+i*8), l.lease); err != nil {
			return err
		}
	}
	// Three of them are decided: a renewal, a refusal with its reasons, a
	// move on to ordinary housing.
	decisions := []movingon.RenewalInput{
		{Outcome: movingon.NotRenew, Reason: "Beboeren har fått fast jobb og inntekt over grensen for kommunal bolig, og har selv sagt at hun vil leie privat. Vi har sammen funnet en bolig på det private markedet."},
		{Outcome: movingon.Renew},
		{Outcome: movingon.ToOrdinary, Reason: "Beboeren har spart til egenkapital og fått startlån innvilget. Han flytter til egen leilighet når kontrakten går ut."},
	}
	for i, in := range decisions {
		if i+5 >= len(others) {
			break
		}
		l := others[i+5]
		in.LeaseID, in.PersonID = l.lease, l.person
		if _, err := movingon.RecordRenewal(g.ctx, g.tx, g.actor, in, today); err != nil {
			return fmt.Errorf("renewal decision of lease %d: %w", l.lease, err)
		}
	}
	// A move during the lease: a resident with an open-ended lease needs a
	// setting with staff around the clock; the letter went out by digital
	// post, and the resident's appeal came by post within the deadline.
	if len(others) > 12 {
		if err := g.moveDecision(others[8].lease, others[8].person, today); err != nil {
			return fmt.Errorf("move decision: %w", err)
		}
	}
	// Plans toward ordinary rental or ownership, and a credit check under
	// a consent covering finances.
	type plan struct {
		goal     movingon.Goal
		startlan movingon.Startlan
		bostotte movingon.Bostotte
		monthly  int
		saved    int
		next     string
	}
	plans := []plan{
		{movingon.GoalOwn, movingon.StartlanReady, movingon.BostotteGranted, 2500, 48000, "Søke startlån hos kommunen før sommeren."},
		{movingon.GoalRent, movingon.StartlanNA, movingon.BostotteApplied, 1000, 9000, "Finne bolig på det private markedet; depositum med NAV-garanti."},
		{movingon.GoalRent, movingon.StartlanNotReady, movingon.BostotteGranted, 500, 3000, "Fast spareavtale og oversikt over gjelden først."},
		{movingon.GoalSupport, movingon.StartlanNA, movingon.BostotteGranted, 0, 0, "Vurdere bofellesskap med personale sammen med beboeren og teamet."},
	}
	now := store.TimeArg(time.Now())
	// The plans are for residents at the end of the list, apart from the
	// leases ending above.
	planned := func(i int) int64 { return others[len(others)-1-i].person }
	for i, p := range plans {
		if i >= len(others)-8 {
			break
		}
		// Startlån and saving are finances: the resident lets the housing
		// office see them for the plan (personvernforordningen art. 9 does
		// not apply, but finances open only with consent or a legal basis).
		if _, err := access.RecordConsent(g.ctx, g.tx, g.actor, access.Consent{PersonID: planned(i), RecipientUnitID: g.units[org.KindHousingOffice],
			Purpose: "Plan for boligkarriere: startlån, bostøtte og sparing", Categories: []access.Category{access.Finances}, Expires: today.AddDays(365)}); err != nil {
			return fmt.Errorf("consent to the plan: %w", err)
		}
		if err := exec(`INSERT INTO moving_on_plans (municipality_id, person_id, goal, startlan, bostotte, saving_monthly, saved, target_on, next_step, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, g.mid, planned(i), string(p.goal), string(p.startlan), string(p.bostotte), p.monthly, p.saved,
			today.AddDays(180+60*i), p.next, g.actor.Name, now); err != nil {
			return err
		}
	}
	if len(others) > 8 {
		person := planned(0)
		id, err := access.RecordOutsideConsent(g.ctx, g.tx, g.actor, access.OutsideConsent{PersonID: person, RecipientKind: "annen", RecipientName: "Kredittopplysningsbyrå",
			Purpose: "Kredittsjekk før søknad om startlån", Categories: []access.Category{access.Finances}, Expires: today.AddDays(90)})
		if err != nil {
			return fmt.Errorf("consent to a credit check: %w", err)
		}
		if err := exec(`INSERT INTO credit_checks (municipality_id, person_id, consent_id, checked_on, result, note, checked_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			g.mid, person, id, today.AddDays(-3), string(movingon.NoRemarks), "Ingen betalingsanmerkninger. Klar for søknad om startlån.", g.actor.Name, now); err != nil {
			return err
		}
	}
	return nil
}

// moveDecision makes a move decision during an open-ended lease, with its
// letter sent and an appeal received: the demo's first appeal of a
// tenancy decision. The lease, one of the residents' apart from those
// ending soon and those with plans, is made open-ended first (husleieloven
// § 9-2: a lease without an end runs until it is terminated).
func (g *generator) moveDecision(lease, person int64, today deadline.Date) error {
	if _, err := g.tx.ExecContext(g.ctx, "UPDATE leases SET end_date = NULL WHERE id = ?", lease); err != nil {
		return err
	}
	r, err := movingon.RecordMove(g.ctx, g.tx, g.actor, movingon.MoveInput{LeaseID: lease, PersonID: person, Outcome: movingon.MoreSupport,
		Reason:  "Beboeren har de siste månedene vært innlagt tre ganger, og bo-oppfølgingen to ganger i uken er ikke nok til at hun er trygg hjemme. Fastlegen og teamet anbefaler et tilbud med personale hele døgnet. Vi har snakket med beboeren om dette to ganger.",
		Offered: "Leilighet i bofellesskap med personale hele døgnet, Furulia 4", MoveOn: today.AddDays(40), Decided: today.AddDays(-20)}, today)
	if err != nil {
		return err
	}
	if _, err := movingon.RecordNotified(g.ctx, g.tx, g.actor, r.ID, movingon.NotifyInput{Channel: caseflow.ChannelDigital, SentOn: today.AddDays(-19)}, today); err != nil {
		return err
	}
	_, err = movingon.RegisterAppeal(g.ctx, g.tx, g.actor, r.ID, movingon.AppealInput{ReceivedOn: today.AddDays(-6),
		Grounds: "Jeg vil ikke flytte fra leiligheten min. Jeg har det bedre nå og vil prøve med mer hjelp hjemme først, for eksempel besøk hver dag."}, today)
	return err
}
