package demo

import (
	"fmt"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/homecheck"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/transition"
)

// Safe transitions and keeping the home: transitions at various distances
// (one from an institution in three weeks with no home yet), some past
// ones with their outcome for the report, a first contact from prison that
// the register offers to turn into a transition, one from a treatment
// institution that fed the register itself, stays in temporary
// housing (one long, one family with children), and visits after moving
// in, done and due, with findings that became tasks.
func (g *generator) transitions() error {
	today := deadline.On(time.Now())
	var olav, erik int64
	if err := g.tx.QueryRowContext(g.ctx, "SELECT id FROM users WHERE username = 'demo-oppfolging' AND municipality_id = ?", g.mid).Scan(&olav); err != nil {
		return err
	}
	if err := g.tx.QueryRowContext(g.ctx, "SELECT id FROM users WHERE username = 'demo-eiendom' AND municipality_id = ?", g.mid).Scan(&erik); err != nil {
		return err
	}
	worker, err := g.staffActor(olav)
	if err != nil {
		return err
	}
	// Persons the Housing First team knows with health data open to it
	// (a legal basis or a consent in force), and who are not tenants yet:
	// the ones whose transitions the team plans.
	rows, err := g.tx.QueryContext(g.ctx, `SELECT c.person_id FROM case_units c WHERE c.municipality_id = ? AND c.org_unit_id = ? AND c.ended_at IS NULL
		AND (c.legal_basis <> '' OR EXISTS (SELECT 1 FROM consents k WHERE k.person_id = c.person_id AND k.recipient_unit_id = c.org_unit_id
			AND k.withdrawn_at IS NULL AND k.categories LIKE '%helse%'))
		AND EXISTS (SELECT 1 FROM case_units h WHERE h.person_id = c.person_id AND h.org_unit_id = ? AND h.ended_at IS NULL)
		ORDER BY c.person_id LIMIT 12`, g.mid, g.units[org.KindHousingFirst], g.units[org.KindHousingOffice])
	known, err := store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
	if err != nil {
		return err
	}
	if len(known) < 4 {
		return fmt.Errorf("demo: only %d persons for the transitions", len(known))
	}
	// Young persons the team knows, for child welfare's aftercare (up
	// to 25, barnevernsloven § 8-1).
	rows, err = g.tx.QueryContext(g.ctx, `SELECT p.id FROM persons p JOIN case_units c ON c.person_id = p.id AND c.org_unit_id = ? AND c.ended_at IS NULL
		WHERE p.municipality_id = ? AND p.birth_date > ? ORDER BY p.birth_date DESC, p.id LIMIT 2`,
		g.units[org.KindHousingFirst], g.mid, today.AddDays(-365*24))
	young, err := store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
	if err != nil {
		return err
	}
	type spec struct {
		kind    transition.Kind
		days    int
		meeting string
		outcome transition.Outcome
	}
	specs := []spec{
		{transition.Institution, 21, "", ""},
		{transition.Prison, 45, "Kriminalomsorgen, NAV, Housing First-teamet", ""},
		{transition.ChildWelfare, 10, "Barneverntjenesten, boteamet", ""},
		{transition.Temporary, 84, "", ""},
		{transition.Institution, -60, "DPS, NAV", transition.NoHome},
		{transition.Prison, -30, "Kriminalomsorgen, NAV", transition.SafeHome},
		{transition.ChildWelfare, -90, "Barneverntjenesten", transition.TempHome},
		{transition.Institution, -14, "DPS", transition.SafeHome},
	}
	for i, s := range specs {
		in := transition.Input{PersonID: known[i%len(known)], Kind: s.kind, Leaving: today.AddDays(s.days), ResponsibleID: olav}
		if s.kind == transition.ChildWelfare {
			if len(young) == 0 {
				continue
			}
			in.PersonID = young[i%len(young)]
		}
		if s.meeting != "" {
			in.MeetingOn, in.MeetingWith = today.AddDays(s.days-28), s.meeting
		}
		id, err := transition.Register(g.ctx, g.tx, worker, in)
		if err != nil {
			return fmt.Errorf("demo transition %d: %w", i, err)
		}
		if s.outcome != transition.Open {
			if err := transition.RecordOutcome(g.ctx, g.tx, worker, id, s.outcome, in.Leaving, today); err != nil {
				return err
			}
		}
	}
	// A first contact from the prison service with a release date: the
	// register offers to make a transition of it.
	if _, err := caseflow.RegisterContact(g.ctx, g.tx, g.actor, known[len(known)-1], caseflow.ContactInput{Channel: caseflow.FromCorrections,
		Residence: caseflow.Prison, Leaving: today.AddDays(35), Summary: "Kriminalomsorgen melder løslatelse om fem uker. Har ikke bolig."}, today); err != nil {
		return err
	}
	// A first contact from the specialist health service saying the
	// person will be ready for discharge from a treatment institution in
	// six weeks: the register is fed from it, with the housing office
	// (which received it) or the case worker responsible.
	if _, err := caseflow.RegisterContact(g.ctx, g.tx, g.actor, known[len(known)-2], caseflow.ContactInput{Channel: caseflow.FromSpecialistCare,
		Residence: caseflow.Institution, Leaving: today.AddDays(42), Transition: transition.Institution, Institution: transition.Treatment,
		Summary: "DPS melder at pasienten er utskrivningsklar om seks uker. Har ikke bolig å gå til."}, today); err != nil {
		return err
	}
	stays := []transition.StayInput{
		{Place: "Nordlandet hospits", Owner: "Privat utleier", Start: today.AddDays(-124), PricePerNight: 650},
		{Place: "Kristiansund gjestehus", Owner: "Gjestehuset AS", QualityAssured: true, Start: today.AddDays(-12), PricePerNight: 950, Children: 2},
		{Place: "Kommunens akuttbolig, Dalabrekka", Owner: "Kristiansund Eiendom KF", QualityAssured: true, Start: today.AddDays(-48), End: today.AddDays(-20),
			PricePerNight: 400, RouteOut: "Kommunal bolig med oppfølging fra boteamet"},
		{Place: "Nordlandet hospits", Owner: "Privat utleier", Start: today.AddDays(-30), PricePerNight: 650},
	}
	for i, s := range stays {
		s.PersonID = known[(i+4)%len(known)]
		if _, err := transition.RegisterStay(g.ctx, g.tx, g.actor, s); err != nil {
			return fmt.Errorf("demo stay %d: %w", i, err)
		}
	}
	return g.homeChecks(worker, erik, today)
}

// homeChecks records visits with tenants whom both the property manager
// and the Housing First team know: one after moving in with a damp
// bathroom (property's task) and a missing bed (the team's), a periodic
// check with nothing found, and an older finding already put right.
func (g *generator) homeChecks(worker access.Actor, erik int64, today deadline.Date) error {
	rows, err := g.tx.QueryContext(g.ctx, `SELECT l.id, t.person_id, l.start_date FROM leases l JOIN lease_tenants t ON t.lease_id = l.id
		WHERE l.municipality_id = ? AND l.status = 'aktiv'
		AND EXISTS (SELECT 1 FROM case_units c WHERE c.person_id = t.person_id AND c.org_unit_id = ? AND c.ended_at IS NULL)
		AND EXISTS (SELECT 1 FROM case_units c WHERE c.person_id = t.person_id AND c.org_unit_id = ? AND c.ended_at IS NULL)
		ORDER BY l.start_date DESC, l.id LIMIT 3`, g.mid, g.units[org.KindProperty], g.units[org.KindHousingFirst])
	type tenancy struct {
		lease, person int64
		start         deadline.Date
	}
	ts, err := store.Collect(rows, err, func(s store.Scanner) (t tenancy, err error) { return t, s.Scan(&t.lease, &t.person, &t.start) })
	if err != nil || len(ts) == 0 {
		return err
	}
	on := func(t tenancy, days int) deadline.Date {
		d := today.AddDays(-days)
		if d.Before(t.start) {
			d = t.start
		}
		return d
	}
	checks := []homecheck.Input{
		{LeaseID: ts[0].lease, PersonID: ts[0].person, Kind: homecheck.AfterMoveIn, On: on(ts[0], 5), Answers: []homecheck.Answer{
			{Item: homecheck.Damp, Finding: true, Note: "Fuktmerker i taket på badet, viften virker ikke."},
			{Item: homecheck.Neighbours, Note: "Har hilst på naboene, godt mottatt."},
			{Item: homecheck.Damage}, {Item: homecheck.SmokeAlarm}, {Item: homecheck.Extinguisher},
			{Item: homecheck.Furniture, Finding: true, Note: "Mangler seng og spisebord."},
			{Item: homecheck.Practical, Note: "Strøm og internett er ordnet."},
		}},
	}
	if len(ts) > 1 {
		checks = append(checks, homecheck.Input{LeaseID: ts[1].lease, PersonID: ts[1].person, Kind: homecheck.AfterMoveIn, On: on(ts[1], 340), Answers: []homecheck.Answer{
			{Item: homecheck.Neighbours}, {Item: homecheck.Damp}, {Item: homecheck.Damage}, {Item: homecheck.SmokeAlarm, Finding: true, Note: "Røykvarsleren mangler batteri."},
			{Item: homecheck.Extinguisher}, {Item: homecheck.Furniture}, {Item: homecheck.Practical},
		}})
	}
	for i, c := range checks {
		if _, err := homecheck.Record(g.ctx, g.tx, worker, c, today); err != nil {
			return fmt.Errorf("demo home check %d: %w", i, err)
		}
	}
	if len(ts) > 1 {
		// The smoke alarm was put right the same week.
		property, err := g.staffActor(erik)
		if err != nil {
			return err
		}
		var item int64
		if err := g.tx.QueryRowContext(g.ctx, "SELECT id FROM home_check_items WHERE municipality_id = ? AND item = ? AND finding = ?", g.mid, string(homecheck.SmokeAlarm), true).Scan(&item); err != nil {
			return err
		}
		if err := homecheck.CompleteTask(g.ctx, g.tx, property, item, on(ts[1], 335)); err != nil {
			return err
		}
	}
	return nil
}
