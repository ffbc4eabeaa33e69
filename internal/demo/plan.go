package demo

import (
	"fmt"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/org"
	"husly/internal/plan"
	"husly/internal/store"
)

// Plans in follow-up: every Housing First and FACT resident has an action
// plan with goals in their own words (work and activity among them:
// "Arbeid først", IPS), most with reviews on record and some due; crisis
// plans; individual plans with and without a coordinator; and one
// responsibility group with the GP and NAV by the person's consent,
// meetings and tasks. The demo resident has plans of their own on Min
// side, with a comment they sent.

var demoGoals = []plan.GoalInput{
	{Words: "Jeg vil ha en jobb. Helst noe med hendene, kanskje på et verksted.", Area: plan.AreaWork, Dimensions: []plan.Dimension{plan.Meaning, plan.Identity}},
	{Words: "Klare å betale husleia selv hver måned, så jeg får bo her.", Area: plan.AreaMoney, Dimensions: []plan.Dimension{plan.Empowerment}},
	{Words: "Få kontakt med datteren min igjen.", Area: plan.AreaNetwork, Dimensions: []plan.Dimension{plan.Connectedness, plan.Hope}},
	{Words: "Komme meg ut av leiligheten minst tre ganger i uka. Gå på trening eller på kafeen.", Area: plan.AreaActivity, Dimensions: []plan.Dimension{plan.Meaning, plan.Connectedness}},
	{Words: "Sove bedre, og slutte å være redd om natta.", Area: plan.AreaHealth, Dimensions: []plan.Dimension{plan.Hope}},
	{Words: "Ta opp igjen fagbrevet som tømrer.", Area: plan.AreaEducation, Dimensions: []plan.Dimension{plan.Identity, plan.Meaning}},
	{Words: "Ha det fint hjemme, så jeg kan be folk på middag.", Area: plan.AreaHome, Dimensions: []plan.Dimension{plan.Connectedness, plan.Identity}},
}

var demoMeasures = []struct{ what, who string }{
	{"Møte jobbspesialisten (IPS) og lage en liste over arbeidsplasser å spørre", "Jobbspesialisten"},
	{"Sette opp fast trekk av husleia fra kontoen", "Primærkontakten og beboeren"},
	{"Ringe sammen til familievernkontoret", "Primærkontakten"},
	{"Prøve treningssenteret sammen med erfaringskonsulenten", "Erfaringskonsulenten"},
	{"Bestille time hos fastlegen om søvn", "Beboeren, med følge"},
	{"Snakke med karrieresenteret om fagbrev", "NAV-veilederen"},
	{"Handle inn til kjøkkenet og sette opp hyller", "Primærkontakten og beboeren"},
}

// plans builds the plan part of the demo.
func (g *generator) plans() error {
	today := deadline.On(time.Now())
	type row struct {
		id, person, primary, unit int64
		start                     deadline.Date
		kind                      org.UnitKind
	}
	var resident int64
	if err := g.tx.QueryRowContext(g.ctx, "SELECT person_id FROM users WHERE username = 'demo-beboer' AND municipality_id = ?", g.mid).Scan(&resident); err != nil {
		return err
	}
	if err := g.residentInFollowUp(resident, today); err != nil {
		return err
	}
	rows, err := g.tx.QueryContext(g.ctx, `SELECT f.id, f.person_id, f.primary_id, t.org_unit_id, f.start_on, o.kind FROM followups f JOIN followup_teams t ON t.id = f.team_id
		JOIN org_units o ON o.id = t.org_unit_id WHERE f.municipality_id = ? AND f.status <> 'avsluttet' AND o.kind IN ('housing_first', 'fact') ORDER BY f.id`, g.mid)
	list, err := store.Collect(rows, err, func(s store.Scanner) (r row, err error) {
		return r, s.Scan(&r.id, &r.person, &r.primary, &r.unit, &r.start, &r.kind)
	})
	if err != nil {
		return err
	}
	ips, groups := 0, 0
	for i, r := range list {
		a, err := g.staffActor(r.primary)
		if err != nil {
			return err
		}
		start := today.AddDays(-75 + i%20)
		if start.Before(r.start) {
			start = r.start
		}
		goal := demoGoals[i%len(demoGoals)]
		if r.person == resident {
			goal = plan.GoalInput{Words: "Jeg vil bo her lenge og få meg en jobb i nærheten. Og ha en katt.", Area: plan.AreaWork,
				Dimensions: []plan.Dimension{plan.Hope, plan.Meaning}}
		}
		ap, err := plan.Create(g.ctx, g.tx, a, r.id, plan.Input{Kind: plan.ActionPlan, Start: start, Goal: goal}, today)
		if err != nil {
			return fmt.Errorf("action plan of follow-up %d: %w", r.id, err)
		}
		m := demoMeasures[i%len(demoMeasures)]
		if err := plan.AddMeasure(g.ctx, g.tx, a, r.id, plan.MeasureInput{PlanID: ap, What: m.what, Responsible: m.who, Due: today.AddDays(7 + i%21)}); err != nil {
			return err
		}
		if i%2 == 0 {
			second := demoGoals[(i+3)%len(demoGoals)]
			if err := plan.AddGoal(g.ctx, g.tx, a, r.id, ap, second); err != nil {
				return err
			}
		}
		// Reviews on record: most are up to date, every third is due.
		for n, on := 0, plan.AddMonths(start, 1); n < 2 && !today.Before(on) && (i%3 != 0 || n == 0); n, on = n+1, plan.AddMonths(on, 1) {
			if err := plan.Review(g.ctx, g.tx, a, r.id, plan.ReviewInput{PlanID: ap, On: on,
				Summary: []string{"Gikk gjennom målene sammen. Tiltaket står; ny avtale om en måned.", "Beboeren vil prøve noe nytt; vi justerte tiltaket.",
					"Godt i gang. Beboeren sier planen stemmer."}[(i+n)%3]}, today); err != nil {
				return err
			}
		}
		if i%3 == 0 || r.person == resident {
			if err := g.crisisPlan(a, r.id, r.person, r.unit, start); err != nil {
				return err
			}
		}
		if r.kind == org.KindHousingFirst && ips < 2 && r.person != resident {
			ips++
			if err := g.individualPlan(a, r.id, start, ips == 1, today); err != nil {
				return err
			}
		}
		if r.kind == org.KindHousingFirst && groups < 1 && r.person != resident {
			groups++
			if err := g.responsibilityGroup(a, r.id, r.person, start, today); err != nil {
				return err
			}
		}
		if r.person == resident {
			me := access.Actor{MunicipalityID: g.mid, PersonID: resident, Name: "Beboeren", Role: access.Resident}
			if err := plan.AddComment(g.ctx, g.tx, me, 0, plan.CommentInput{PlanID: ap, Kind: plan.Proposal,
				Body: "Kan vi ha møtene på kafeen i stedet for hjemme hos meg?"}); err != nil {
				return err
			}
			if err := plan.AddComment(g.ctx, g.tx, a, r.id, plan.CommentInput{PlanID: ap, Kind: plan.Comment,
				Body: "Ja, det gjør vi. Neste gang på Kaffebrenneriet."}); err != nil {
				return err
			}
		}
	}
	return nil
}

// residentInFollowUp lets the demo resident be followed by the Housing
// First team (advice and guidance, sosialtjenesteloven § 17) when the
// rest of the demo did not already, so Min side shows plans.
func (g *generator) residentInFollowUp(person int64, today deadline.Date) error {
	var n int
	if err := g.tx.QueryRowContext(g.ctx, "SELECT COUNT(*) FROM followups WHERE person_id = ? AND status <> 'avsluttet'", person).Scan(&n); err != nil || n > 0 {
		return err
	}
	var team, olav int64
	if err := g.tx.QueryRowContext(g.ctx, "SELECT id FROM followup_teams WHERE org_unit_id = ?", g.units[org.KindHousingFirst]).Scan(&team); err != nil {
		return err
	}
	if err := g.tx.QueryRowContext(g.ctx, "SELECT id FROM users WHERE username = 'demo-oppfolging' AND municipality_id = ?", g.mid).Scan(&olav); err != nil {
		return err
	}
	_, err := followup.Start(g.ctx, g.tx, g.actor, followup.StartInput{PersonID: person, TeamID: team, PrimaryID: olav, CoordinatorID: olav,
		Intensity: followup.Medium, StartOn: today.AddDays(-120)}, today)
	return err
}

// crisisPlan writes a crisis plan; its warning signs are health data, so
// the person's consent to share health with the team comes first.
func (g *generator) crisisPlan(a access.Actor, followUpID, person, unit int64, start deadline.Date) error {
	if _, err := access.RecordConsent(g.ctx, g.tx, a, access.Consent{PersonID: person, RecipientUnitID: unit, Purpose: "Kriseplan og oppfølging i bolig",
		Categories: []access.Category{access.Health}}); err != nil {
		return err
	}
	_, err := plan.Create(g.ctx, g.tx, a, followUpID, plan.Input{Kind: plan.Crisis, Start: start,
		WarningSigns: "Slutter å svare på telefonen, sover nesten ikke, blir redd for lyder i oppgangen.",
		WhatHelps:    "At noen jeg kjenner kommer innom. Gå en tur ute. Ikke mange folk samtidig.",
		WhoToCall:    "Primærkontakten på dagtid; søsteren min Anne (avtalt med henne); legevakten om natta."}, deadline.On(time.Now()))
	return err
}

// individualPlan writes an individual plan with the person's consent and a
// part plan from DPS; the first has its coordinator chosen together with
// the person, the second is still waiting (an alert).
func (g *generator) individualPlan(a access.Actor, followUpID int64, start deadline.Date, coordinator bool, today deadline.Date) error {
	ip, err := plan.Create(g.ctx, g.tx, a, followUpID, plan.Input{Kind: plan.Individual, Title: "Individuell plan", Start: start, Consent: true,
		Goal: plan.GoalInput{Words: "Jeg vil klare meg uten at så mange må inn i livet mitt. Men nå trenger jeg dem.", Area: plan.AreaHealth,
			Dimensions: []plan.Dimension{plan.Empowerment, plan.Hope}}}, today)
	if err != nil {
		return err
	}
	if err := plan.AttachPart(g.ctx, g.tx, a, followUpID, plan.PartInput{PlanID: ip, Kind: plan.TreatmentPlan, Reference: "Behandlingsplan i DIPS, DPS Kristiansund",
		HeldBy: "DPS Kristiansund, poliklinikken"}); err != nil {
		return err
	}
	if !coordinator {
		return nil
	}
	return plan.ChooseCoordinator(g.ctx, g.tx, a, followUpID, plan.CoordinatorInput{PlanID: ip, UserID: a.UserID, ChosenOn: start.AddDays(3),
		Agreed: "Beboeren ønsket selv primærkontakten som koordinator, avtalt på hjemmebesøk."}, today)
}

// responsibilityGroup writes a responsibility group with the GP and NAV by
// the person's consent, two meetings (the second with nothing done since
// the first: the warning) and tasks.
func (g *generator) responsibilityGroup(a access.Actor, followUpID, person int64, start, today deadline.Date) error {
	grp, err := plan.Create(g.ctx, g.tx, a, followUpID, plan.Input{Kind: plan.Group, Title: "Ansvarsgruppe", Start: start}, today)
	if err != nil {
		return err
	}
	for _, c := range []access.OutsideConsent{
		{PersonID: person, RecipientKind: "fastlege", RecipientName: "Dr. Kari Holm, Nordlandet legesenter", Purpose: "Ansvarsgruppe", Categories: []access.Category{access.Health}},
		{PersonID: person, RecipientKind: "annen", RecipientName: "NAV Kristiansund", Purpose: "Ansvarsgruppe: arbeid og økonomi", Categories: []access.Category{access.Finances}},
	} {
		c.Expires = today.AddDays(365)
		if _, err := access.RecordOutsideConsent(g.ctx, g.tx, a, c); err != nil {
			return err
		}
	}
	for _, m := range []plan.MemberInput{{Name: a.Name, Agency: plan.Municipality, Role: "primærkontakt"}, {Name: "Dr. Kari Holm", Agency: plan.GP, Role: "fastlege"},
		{Name: "Nina Veileder", Agency: plan.NAV, Role: "NAV-veileder"}} {
		m.PlanID = grp
		if err := plan.AddMember(g.ctx, g.tx, a, followUpID, m); err != nil {
			return err
		}
	}
	for _, t := range []plan.MeasureInput{{What: "Søke om arbeidsavklaringspenger", Responsible: "NAV-veilederen", Due: start.AddDays(20)},
		{What: "Gjennomgå medisinlista", Responsible: "Fastlegen", Due: start.AddDays(40)}} {
		t.PlanID = grp
		if err := plan.AddTask(g.ctx, g.tx, a, followUpID, t); err != nil {
			return err
		}
	}
	if _, err := plan.HoldMeeting(g.ctx, g.tx, a, followUpID, plan.MeetingInput{PlanID: grp, On: start.AddDays(7), Agenda: "Oppstart: mål og hvem gjør hva",
		Minutes: "Beboeren la fram målene sine. Oppgaver fordelt."}, today); err != nil {
		return err
	}
	_, err = plan.HoldMeeting(g.ctx, g.tx, a, followUpID, plan.MeetingInput{PlanID: grp, On: start.AddDays(35), Agenda: "Status på oppgavene",
		Minutes: "Søknaden er ikke sendt ennå. Ny frist satt."}, today)
	return err
}
