package demo

import (
	"time"

	"husly/internal/deadline"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/tenancy"
)

// Keeping the home: complaints about a handful of tenancies (one about
// the demo resident, so Min side has one to answer), a ladder at the
// warning, one at the notice, one stopped after a payment plan, and a
// tenant's own notice with its conversation task.
func (g *generator) tenancy() error {
	today := deadline.On(time.Now())
	var erik, olav, resident int64
	for name, dst := range map[string]*int64{"demo-eiendom": &erik, "demo-oppfolging": &olav} {
		if err := g.tx.QueryRowContext(g.ctx, "SELECT id FROM users WHERE username = ? AND municipality_id = ?", name, g.mid).Scan(dst); err != nil {
			return err
		}
	}
	if err := g.tx.QueryRowContext(g.ctx, "SELECT person_id FROM users WHERE username = 'demo-beboer' AND municipality_id = ?", g.mid).Scan(&resident); err != nil {
		return err
	}
	property, err := g.staffActor(erik)
	if err != nil {
		return err
	}
	office := g.actor
	// Tenancies the property unit is landlord for, those the follow-up
	// worker follows first, the demo resident's apart.
	rows, err := g.tx.QueryContext(g.ctx, `SELECT t.lease_id, t.person_id FROM lease_tenants t JOIN leases l ON l.id = t.lease_id
		JOIN case_units c ON c.person_id = t.person_id AND c.org_unit_id = ?
		WHERE l.municipality_id = ? AND l.status = 'aktiv' AND t.person_id <> ?
		ORDER BY (SELECT COUNT(*) FROM followups f WHERE f.person_id = t.person_id AND f.primary_id = ?) DESC, t.lease_id LIMIT 5`,
		g.units[org.KindProperty], g.mid, resident, olav)
	type pair struct{ lease, person int64 }
	leases, err := store.Collect(rows, err, func(s store.Scanner) (p pair, err error) { return p, s.Scan(&p.lease, &p.person) })
	if err != nil {
		return err
	}
	var own int64
	if err := g.tx.QueryRowContext(g.ctx, "SELECT MIN(lease_id) FROM lease_tenants WHERE person_id = ?", resident).Scan(&own); err != nil {
		return err
	}
	complain := func(lease int64, kind tenancy.ComplaintKind, source tenancy.Source, who, what string, daysAgo int) (int64, error) {
		return tenancy.RegisterComplaint(g.ctx, g.tx, property, tenancy.ComplaintInput{LeaseID: lease, Kind: kind, Source: source, Complainant: who,
			ReceivedOn: today.AddDays(-daysAgo), What: what}, today)
	}
	inform := func(id int64, daysAgo int, how tenancy.Channel) error {
		return tenancy.InformComplaint(g.ctx, g.tx, property, id, tenancy.InformInput{On: today.AddDays(-daysAgo), How: how}, today)
	}
	step := func(lease int64, in tenancy.StepInput, daysAgo int) error {
		in.IssuedOn, in.PreventiveByID = today.AddDays(-daysAgo), olav
		_, err := tenancy.TakeStep(g.ctx, g.tx, office, lease, in, today)
		return err
	}
	id, err := complain(own, tenancy.Noise, tenancy.FromNeighbour, "Beboer i 2. etasje", "Høy musikk og banking i veggen etter midnatt, natt til lørdag.", 10)
	if err != nil {
		return err
	}
	if err := inform(id, 8, tenancy.ByPhone); err != nil {
		return err
	}
	if len(leases) < 4 {
		return nil
	}
	// At the warning, with two complaints.
	a := leases[0]
	if id, err = complain(a.lease, tenancy.Noise, tenancy.FromNeighbour, "Nabo i samme oppgang", "Gjentatt høy musikk om natten, tre helger på rad.", 30); err != nil {
		return err
	}
	if err := inform(id, 28, tenancy.ByTalk); err != nil {
		return err
	}
	if id, err = complain(a.lease, tenancy.Damage, tenancy.FromCaretaker, "", "Knust rute i inngangsdøra til oppgangen.", 45); err != nil {
		return err
	}
	if err := tenancy.CloseComplaint(g.ctx, g.tx, property, id, tenancy.CloseInput{Outcome: "Glassmester har byttet ruta; beboeren betaler egenandel etter avtale.",
		On: today.AddDays(-40)}, today); err != nil {
		return err
	}
	if err := step(a.lease, tenancy.StepInput{Step: tenancy.Warning, Grounds: "Vi har fått flere klager på høy musikk om natten i oktober og november.",
		PreventiveAction: "Samtale hjemme med beboer og bo-oppfølger; avtalt stille etter kl. 23 og ny samtale om to uker."}, 14); err != nil {
		return err
	}
	// At the notice, after a threat.
	c := leases[1]
	if id, err = complain(c.lease, tenancy.Threats, tenancy.FromPolice, "", "Politiet meldte at beboeren truet en nabo i trappeoppgangen.", 50); err != nil {
		return err
	}
	if err := inform(id, 48, tenancy.ByTalk); err != nil {
		return err
	}
	if err := step(c.lease, tenancy.StepInput{Step: tenancy.Warning, Grounds: "Trusler mot nabo i trappeoppgangen.",
		PreventiveAction: "Samtale med beboer, bo-oppfølger og NAV om situasjonen; tilbud om tettere oppfølging."}, 45); err != nil {
		return err
	}
	if err := step(c.lease, tenancy.StepInput{Step: tenancy.Notice, Grounds: "Nye trusler mot naboer etter advarselen.", Ground: tenancy.GroundNuisance,
		PreventiveAction: "Ansvarsgruppemøte med NAV og psykisk helse og rus; vurdert annen bolig med mer bemanning."}, 20); err != nil {
		return err
	}
	// Stopped after a payment plan.
	b := leases[2]
	if _, err = complain(b.lease, tenancy.Litter, tenancy.FromBoard, "Styret i borettslaget", "Søppelsekker satt fra seg i kjellergangen over flere uker.", 90); err != nil {
		return err
	}
	if err := step(b.lease, tenancy.StepInput{Step: tenancy.Warning, Grounds: "Søppel i fellesarealer og husleie ubetalt i to måneder.",
		PreventiveAction: "Samtale om husleie og rydding; hjelp fra vaktmester med bortkjøring."}, 80); err != nil {
		return err
	}
	if err := tenancy.StopLadder(g.ctx, g.tx, g.mid, b.lease, "Betalingsplan avtalt med NAV og trekk i ytelse; fellesarealene er ryddet.", office.UserID); err != nil {
		return err
	}
	// The tenant's own notice.
	d := leases[3]
	_, err = tenancy.RecordTenantNotice(g.ctx, g.tx, office, d.lease, tenancy.TenantNoticeInput{ReceivedOn: today.AddDays(-3), MovesOutOn: today.AddDays(60)}, today)
	return err
}
