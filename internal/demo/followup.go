package demo

import (
	"fmt"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/org"
	"husly/internal/store"
)

// Follow-up in the home: the demo's teams in the guide's models (seed
// 004), their members, residents followed from the combined decision or
// by their case role, a year of contacts, board flags, appointment tasks,
// an open door and an ending in the resident's own words, the Housing
// First pipeline and observations from the caretakers.

var contactNotes = map[access.Category][]string{
	access.FollowUpPlan: {"Handlet sammen og gikk gjennom regningene.", "Snakket om målene hans for våren. Vil begynne på kurs.", "Ryddet kjøkkenet sammen. Hun var i godt humør.",
		"Fulgte til NAV for å ordne husleien.", "Kort prat i døra, ville ikke ha besøk i dag.", "Gikk tur langs sjøen og snakket om familien.", "Satte opp ukeplan sammen."},
	access.Health:    {"Sover dårlig. Vil ta det opp med fastlegen.", "Har vondt i ryggen, avtalt time hos legen.", "Medisinene er hentet på apoteket."},
	access.Substance: {"Forteller om mindre bruk siste uke.", "Har hatt en tung helg med rus. Snakket om hva som hjelper."},
	access.Tenancy:   {"Lekkasje under vasken, meldt til vaktmester.", "Naboen har klaget på musikk. Snakket om det."},
}

// staffActor reads a user as an acting user.
func (g *generator) staffActor(userID int64) (access.Actor, error) {
	a := access.Actor{UserID: userID, MunicipalityID: g.mid}
	var role string
	err := g.tx.QueryRowContext(g.ctx, "SELECT u.org_unit_id, u.username, u.full_name, u.role, o.name FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = ?", userID).
		Scan(&a.OrgUnitID, &a.Username, &a.Name, &role, &a.OrgUnitName)
	a.Role = access.Role(role)
	return a, err
}

func (g *generator) usersIn(kind org.UnitKind) ([]int64, error) {
	rows, err := g.tx.QueryContext(g.ctx, "SELECT id FROM users WHERE org_unit_id = ? AND role IN ('oppfolging', 'enhetsleder', 'eiendom') ORDER BY id", g.units[kind])
	return store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
}

// followUp builds the follow-up part of the demo.
func (g *generator) followUp() error {
	today := deadline.On(time.Now())
	setup := demoOperator(g.mid)
	type spec struct {
		kind  org.UnitKind
		model followup.Model
		roles []followup.MemberRole
	}
	specs := []spec{
		{org.KindHousingFirst, followup.HousingFirst, []followup.MemberRole{followup.CaseManager, followup.CaseManager, followup.Nurse, followup.PeerWorker, followup.CaseManager, followup.Leader}},
		{org.KindFACT, followup.FACT, []followup.MemberRole{followup.Psychiatrist, followup.Psychologist, followup.Nurse, followup.CaseManager, followup.PeerWorker, followup.NAVAdviser}},
		{org.KindHousingTeam, followup.HousingTeam, []followup.MemberRole{followup.CaseManager}},
		{org.KindMentalHealthRus, followup.EarmarkedPost, []followup.MemberRole{followup.CaseManager}},
		{org.KindCaretakers, followup.Caretaker, []followup.MemberRole{followup.CaretakerMember}},
	}
	teams := map[org.UnitKind]int64{}
	carriers := map[org.UnitKind][]int64{} // members who carry residents as primary contact
	for _, s := range specs {
		id, err := followup.CreateTeam(g.ctx, g.tx, setup, g.units[s.kind], s.model)
		if err != nil {
			return err
		}
		teams[s.kind] = id
		users, err := g.usersIn(s.kind)
		if err != nil {
			return err
		}
		for i, u := range users {
			role := s.roles[min(i, len(s.roles)-1)]
			fte, employer := 1.0, followup.Municipality
			if s.model == followup.FACT && (role == followup.Psychiatrist || role == followup.Psychologist || role == followup.Nurse) {
				// FACT is shared: the specialist posts are the health trust's (seed 002, FACT Sandnes).
				employer = followup.SpecialistHealth
				if role == followup.Psychiatrist {
					fte = 0.4
				}
			}
			if role == followup.Leader {
				fte = 0.5
			}
			if s.model == followup.EarmarkedPost && i > 3 {
				break // four of the unit's posts are earmarked for follow-up in the home
			}
			if _, err := followup.AddMember(g.ctx, g.tx, setup, id, followup.Member{UserID: u, Role: role, FTE: fte, Employer: employer}); err != nil {
				return fmt.Errorf("member of %s: %w", s.kind, err)
			}
			if followup.Does(role, followup.TaskPrimaryContact) && role != followup.Leader {
				carriers[s.kind] = append(carriers[s.kind], u)
			}
		}
	}
	// The demo's follow-up worker carries the most Housing First residents.
	var olav int64
	if err := g.tx.QueryRowContext(g.ctx, "SELECT id FROM users WHERE username = 'demo-oppfolging' AND municipality_id = ?", g.mid).Scan(&olav); err != nil {
		return err
	}
	carriers[org.KindHousingFirst] = append([]int64{olav, olav}, carriers[org.KindHousingFirst]...)

	// Residents: those the Housing First team and the boteam have a role
	// for, from the decision where there is one; and FACT patients from the
	// mental-health and substance services, shared with the health trust.
	rows, err := g.tx.QueryContext(g.ctx, `SELECT c.person_id, o.kind, COALESCE((SELECT MAX(d.id) FROM decisions d JOIN decision_services s ON s.decision_id = d.id
		WHERE d.person_id = c.person_id AND s.provider_unit_id = c.org_unit_id AND d.outcome = 'innvilget'), 0)
		FROM case_units c JOIN org_units o ON o.id = c.org_unit_id WHERE c.municipality_id = ? AND o.kind IN ('housing_first', 'boteam', 'psykisk_helse_rus')
		ORDER BY c.person_id, o.kind`, g.mid)
	type who struct {
		person, decision int64
		kind             org.UnitKind
	}
	list, err := store.Collect(rows, err, func(s store.Scanner) (w who, err error) { return w, s.Scan(&w.person, &w.kind, &w.decision) })
	if err != nil {
		return err
	}
	fact, earmarked := 0, 0
	var started []int64
	for i, w := range list {
		kind := w.kind
		if kind == org.KindMentalHealthRus && i%3 == 1 && earmarked < 14 {
			earmarked++
		} else if kind == org.KindMentalHealthRus {
			if fact >= 20 || i%3 != 0 {
				continue
			}
			fact++
			kind = org.KindFACT
			if _, err := access.AddCaseUnit(g.ctx, g.tx, g.actor, access.CaseUnit{PersonID: w.person, OrgUnitID: g.units[org.KindFACT], Responsibility: "FACT: behandling og oppfølging",
				LegalBasis: "helse- og omsorgstjenesteloven § 3-2", Started: reference.AddDate(-1, 0, 0)}); err != nil {
				return err
			}
		}
		carry := carriers[kind]
		primary := carry[len(started)%len(carry)]
		actor, err := g.staffActor(primary)
		if err != nil {
			return err
		}
		in := followup.StartInput{PersonID: w.person, TeamID: teams[kind], PrimaryID: primary, Intensity: []followup.Intensity{followup.High, followup.Medium, followup.High, followup.Low}[len(started)%4],
			StartOn: today.AddDays(-60 - g.rng.IntN(420))}
		if kind != org.KindHousingTeam {
			in.CoordinatorID = primary
		}
		if w.decision > 0 {
			in.DecisionID, in.StartOn = w.decision, deadline.Date{}
		}
		id, err := followup.Start(g.ctx, g.tx, actor, in, today)
		if err != nil {
			return fmt.Errorf("follow-up of %d by %s: %w", w.person, kind, err)
		}
		started = append(started, id)
	}
	if err := g.contacts(today); err != nil {
		return err
	}
	return g.followUpEvents(started, teams, today)
}

// contacts writes a year of contacts for every follow-up, at the pace its
// service keeps, a few visits where no one opened among them, in one
// statement per few hundred rows; the primary contact took part in each.
func (g *generator) contacts(today deadline.Date) error {
	norms := followup.DefaultNorms()
	rows, err := g.tx.QueryContext(g.ctx, `SELECT f.id, f.person_id, f.start_on, t.model, f.primary_name FROM followups f JOIN followup_teams t ON t.id = f.team_id
		WHERE f.municipality_id = ? ORDER BY f.id`, g.mid)
	type fu struct {
		id, person int64
		start      deadline.Date
		model      followup.Model
		by         string
	}
	list, err := store.Collect(rows, err, func(s store.Scanner) (f fu, err error) { return f, s.Scan(&f.id, &f.person, &f.start, &f.model, &f.by) })
	if err != nil {
		return err
	}
	kinds := []followup.ContactKind{followup.HomeVisit, followup.HomeVisit, followup.HomeVisit, followup.Phone, followup.Outdoors, followup.Accompanied, followup.Video, followup.WithOthers}
	cats := []access.Category{access.FollowUpPlan, access.FollowUpPlan, access.FollowUpPlan, access.FollowUpPlan, access.Health, access.Substance, access.Tenancy}
	created := store.TimeArg(time.Now())
	var batch [][]any
	olav := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		cols := []string{"municipality_id", "followup_id", "person_id", "kind", "contact_on", "minutes", "met", "note", "note_category", "recorded_by", "created_at"}
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
		var args []any
		for _, r := range batch {
			args = append(args, r...)
		}
		_, err := g.tx.ExecContext(g.ctx, "INSERT INTO followup_contacts ("+strings.Join(cols, ", ")+") VALUES "+strings.TrimSuffix(strings.Repeat(one+", ", len(batch)), ", "), args...)
		batch = batch[:0]
		return err
	}
	for i, f := range list {
		pace := norms[f.model].MinContactDays
		if pace == 0 {
			pace = 14
		}
		from := today.AddDays(-365)
		if from.Before(f.start) {
			from = f.start
		}
		// Most keep their pace; every seventh resident's last contact lags,
		// so the alerts and the overdue column show something real.
		end := today
		switch {
		case f.by == "Olav Oppfølger":
			// The demo worker's day has visits in it: every other resident
			// is due today or a few days overdue.
			olav++
			if olav%2 == 1 {
				end = today.AddDays(-pace - olav/2)
			}
		case i%7 == 3:
			end = today.AddDays(-pace - 3 - g.rng.IntN(10))
		}
		for d := from.AddDays(g.rng.IntN(pace)); !end.Before(d); d = d.AddDays(max(1, pace-2-g.rng.IntN(max(1, pace/2)))) {
			cat := cats[g.rng.IntN(len(cats))]
			met := !g.chance(0.08)
			note := g.pick(contactNotes[cat])
			if !met {
				note, cat = "Ikke hjemme. La igjen en lapp.", access.FollowUpPlan
			}
			batch = append(batch, []any{g.mid, f.id, f.person, string(kinds[g.rng.IntN(len(kinds))]), d, 15 + 15*g.rng.IntN(6), met, note, string(cat), f.by, created})
			if len(batch) == 300 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if _, err := g.tx.ExecContext(g.ctx, `INSERT INTO followup_contact_staff (municipality_id, contact_id, user_id, name)
		SELECT c.municipality_id, c.id, f.primary_id, f.primary_name FROM followup_contacts c JOIN followups f ON f.id = c.followup_id WHERE c.municipality_id = ?`, g.mid); err != nil {
		return err
	}
	// Written in bulk, the contacts set each follow-up's last meeting here.
	_, err = g.tx.ExecContext(g.ctx, `UPDATE followups SET last_met_on = (SELECT MAX(c.contact_on) FROM followup_contacts c WHERE c.followup_id = followups.id AND c.met) WHERE municipality_id = ?`, g.mid)
	return err
}

// followUpEvents gives the screens their less common states: board
// flags, appointment tasks, a risky visit by two, an open door, an
// ending in the resident's words, the pipeline and observations.
func (g *generator) followUpEvents(started []int64, teams map[org.UnitKind]int64, today deadline.Date) error {
	type row struct {
		id, person, team, primary int64
		kind                      org.UnitKind
	}
	rows, err := g.tx.QueryContext(g.ctx, `SELECT f.id, f.person_id, f.team_id, f.primary_id, o.kind FROM followups f JOIN followup_teams t ON t.id = f.team_id
		JOIN org_units o ON o.id = t.org_unit_id WHERE f.municipality_id = ? ORDER BY f.id`, g.mid)
	list, err := store.Collect(rows, err, func(s store.Scanner) (r row, err error) {
		return r, s.Scan(&r.id, &r.person, &r.team, &r.primary, &r.kind)
	})
	if err != nil {
		return err
	}
	reasons := []string{"Varsel om oppsigelse etter husleierestanse", "Utskrevet fra DPS i går", "Ikke truffet på ti dager", "Løslatt fra fengsel denne uka", "Naboklager siste uke"}
	hf, factN := 0, 0
	for i, r := range list {
		a, err := g.staffActor(r.primary)
		if err != nil {
			return err
		}
		switch {
		case r.kind == org.KindFACT && factN < 5:
			factN++
			if _, err := followup.Flag(g.ctx, g.tx, a, r.id, followup.BoardInput{Reason: reasons[factN%len(reasons)], From: today.AddDays(-2), Until: today.AddDays(5 + factN)}, today); err != nil {
				return err
			}
			if factN <= 2 {
				// Medication kept by staff at the resident's request, and
				// one measure whose review is overdue, for the register.
				from := today.AddDays(-20 - 60*(factN-1))
				if _, err := followup.Restrict(g.ctx, g.tx, a, r.id, followup.Restriction{Kind: followup.MedicationHeld,
					Description: "Teamet oppbevarer medisinene og deler ut ukedosett hver mandag, etter avtale med beboeren.",
					LegalBasis:  "helse- og omsorgstjenesteloven § 3-2 og pasient- og brukerrettighetsloven § 4-1 (samtykke)",
					From:        from, Review: from.AddDays(45), Informed: from}, today); err != nil {
					return err
				}
			}
		case r.kind == org.KindHousingFirst:
			hf++
			switch hf {
			case 1:
				if _, err := followup.AddAppointment(g.ctx, g.tx, a, r.id, followup.AppointmentInput{With: followup.WithGP, What: "Time hos fastlegen, følge dit", On: today.AddDays(1)}, today); err != nil {
					return err
				}
				if _, err := followup.AddAppointment(g.ctx, g.tx, a, r.id, followup.AppointmentInput{With: followup.WithNAV, What: "Møte om bostøtte på NAV", On: today.AddDays(6)}, today); err != nil {
					return err
				}
			case 2:
				if err := followup.KeepDoorOpen(g.ctx, g.tx, a, r.id, followup.DoorInput{Statement: "Jeg vil være i fred en stund, men dere kan spørre igjen til jul.",
					Channel: "Miljøvaktmesteren stikker innom annenhver uke og sier fra.", AskAgain: today.AddDays(21)}, today); err != nil {
					return err
				}
			case 3:
				if err := followup.End(g.ctx, g.tx, a, r.id, followup.EndInput{Statement: "Jeg klarer meg fint selv nå. Takk for alt, jeg ringer om jeg trenger dere.",
					Reason: followup.GoalsReached}, today); err != nil {
					return err
				}
			case 4:
				peer, err := g.peerOf(r.team)
				if err != nil {
					return err
				}
				if _, err := followup.RecordContact(g.ctx, g.tx, a, r.id, followup.ContactInput{Kind: followup.HomeVisit, On: today.AddDays(-1), Minutes: 40, Risky: true,
					StaffIDs: []int64{peer}, Note: "Besøk to sammen etter uro i oppgangen. Rolig i dag.", NoteCategory: access.FollowUpPlan}, today); err != nil {
					return err
				}
			}
		case r.kind == org.KindHousingTeam && i%5 == 0:
			if _, err := followup.AddAppointment(g.ctx, g.tx, a, r.id, followup.AppointmentInput{With: followup.WithTherapist, What: "Samtale på DPS, minne om timen", On: today.AddDays(2)}, today); err != nil {
				return err
			}
		}
	}
	if err := g.pipeline(teams[org.KindHousingFirst], today); err != nil {
		return err
	}
	return g.observations(list[0].person, today)
}

func (g *generator) peerOf(team int64) (int64, error) {
	var id int64
	err := g.tx.QueryRowContext(g.ctx, "SELECT user_id FROM followup_members WHERE team_id = ? AND role = 'erfaringskonsulent' ORDER BY id", team).Scan(&id)
	return id, err
}

// pipeline takes the Housing First residents through the phases, with
// waiting times that vary, and refers a few new ones.
func (g *generator) pipeline(team int64, today deadline.Date) error {
	var lead int64
	if err := g.tx.QueryRowContext(g.ctx, "SELECT id FROM users WHERE username = 'demo-enhetsleder' AND municipality_id = ?", g.mid).Scan(&lead); err != nil {
		return err
	}
	a, err := g.staffActor(lead)
	if err != nil {
		return err
	}
	// Everyone with a Housing First decision whose participant agreement
	// is a condition, followed or not yet; and applicants referred to the
	// team and in mapping (Kristiansund: about 40 in mapping, 8 with
	// agreements after ten months, seed 003).
	rows, err := g.tx.QueryContext(g.ctx, `SELECT d.person_id, MIN(d.decided_on), COALESCE(MIN(f.start_on), MIN(d.decided_on)), COUNT(f.id) FROM decisions d
		LEFT JOIN followups f ON f.person_id = d.person_id AND f.team_id = ? WHERE d.municipality_id = ? AND d.participant_agreement AND d.outcome = 'innvilget'
		GROUP BY d.person_id ORDER BY d.person_id`, team, g.mid)
	type agreed struct {
		person        int64
		decided, from deadline.Date
		followed      int
	}
	list, err := store.Collect(rows, err, func(s store.Scanner) (x agreed, err error) {
		return x, s.Scan(&x.person, &x.decided, &x.from, &x.followed)
	})
	if err != nil {
		return err
	}
	choices := []string{"Vil bo for seg selv, nær sjøen på Nordlandet", "Ønsker en liten leilighet på Innlandet, langt fra sentrum", "Vil bo nær søsteren sin på Kirkelandet"}
	referrers := []string{"NAV Kristiansund", "Kriminalomsorgen", "DPS Kristiansund", "Oppsøkende team"}
	for i, x := range list {
		mapped := x.decided.AddDays(-5 - g.rng.IntN(20))
		id, err := followup.Refer(g.ctx, g.tx, g.actor, team, x.person, referrers[i%4], mapped.AddDays(-5-g.rng.IntN(25)), today)
		if err != nil {
			return err
		}
		steps := []followup.AdvanceInput{{Phase: followup.Mapped, On: mapped}, {Phase: followup.Agreement, On: x.decided}}
		if x.followed == 0 && !today.Before(x.decided.AddDays(25)) {
			// Housed a few weeks after the agreement, in the home they chose,
			// and followed from the decision by a case manager on the team.
			x.from = x.decided.AddDays(12 + g.rng.IntN(12))
			var worker int64
			if err := g.tx.QueryRowContext(g.ctx, `SELECT user_id FROM followup_members WHERE team_id = ? AND role = 'miljoarbeider'
				AND user_id <> (SELECT id FROM users WHERE username = 'demo-oppfolging') ORDER BY id`, team).Scan(&worker); err != nil {
				return err
			}
			var decision int64
			if err := g.tx.QueryRowContext(g.ctx, "SELECT MAX(id) FROM decisions WHERE person_id = ? AND participant_agreement", x.person).Scan(&decision); err != nil {
				return err
			}
			if _, err := followup.Start(g.ctx, g.tx, a, followup.StartInput{PersonID: x.person, TeamID: team, PrimaryID: worker, CoordinatorID: worker,
				Intensity: followup.High, DecisionID: decision, StartOn: x.from}, today); err != nil {
				return fmt.Errorf("Housing First follow-up of %d: %w", x.person, err)
			}
			x.followed = 1
		}
		if x.followed > 0 && !today.Before(x.from) {
			steps = append(steps, followup.AdvanceInput{Phase: followup.Housed, On: x.from, HomeChoice: choices[i%len(choices)]}, followup.AdvanceInput{Phase: followup.Following, On: x.from})
		}
		for _, s := range steps {
			if err := followup.Advance(g.ctx, g.tx, a, id, s, today); err != nil {
				return fmt.Errorf("pipeline %d %s: %w", x.person, s.Phase, err)
			}
		}
	}
	rows, err = g.tx.QueryContext(g.ctx, `SELECT a.person_id, MIN(a.received_on) FROM applications a WHERE a.municipality_id = ? AND a.status NOT IN ('avslatt')
		AND NOT EXISTS (SELECT 1 FROM hf_pipeline h WHERE h.person_id = a.person_id) GROUP BY a.person_id ORDER BY a.person_id`, g.mid)
	type applicant struct {
		person   int64
		received deadline.Date
	}
	apps, err := store.Collect(rows, err, func(s store.Scanner) (x applicant, err error) { return x, s.Scan(&x.person, &x.received) })
	if err != nil {
		return err
	}
	for i, x := range apps {
		if i%3 != 0 {
			continue
		}
		id, err := followup.Refer(g.ctx, g.tx, g.actor, team, x.person, referrers[i%4], x.received, today)
		if err != nil {
			return err
		}
		if i%2 == 0 {
			if err := followup.Advance(g.ctx, g.tx, a, id, followup.AdvanceInput{Phase: followup.Mapped, On: x.received.AddDays(min(x.received.DaysUntil(today), 3+g.rng.IntN(10)))}, today); err != nil {
				return err
			}
		}
	}
	return nil
}

// observations: the property manager passes on what the caretakers saw.
func (g *generator) observations(person int64, today deadline.Date) error {
	var erik, olav int64
	if err := g.tx.QueryRowContext(g.ctx, "SELECT id FROM users WHERE username = 'demo-eiendom' AND municipality_id = ?", g.mid).Scan(&erik); err != nil {
		return err
	}
	if err := g.tx.QueryRowContext(g.ctx, "SELECT id FROM users WHERE username = 'demo-oppfolging' AND municipality_id = ?", g.mid).Scan(&olav); err != nil {
		return err
	}
	reporter, err := g.staffActor(erik)
	if err != nil {
		return err
	}
	worker, err := g.staffActor(olav)
	if err != nil {
		return err
	}
	rows, err := g.tx.QueryContext(g.ctx, `SELECT DISTINCT f.person_id FROM followups f JOIN case_units c ON c.person_id = f.person_id AND c.org_unit_id = ?
		WHERE f.primary_id = ? AND f.status <> 'avsluttet' ORDER BY f.person_id`, g.units[org.KindProperty], olav)
	persons, err := store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
	if err != nil {
		return err
	}
	if len(persons) == 0 {
		persons = []int64{person}
	}
	obs := []followup.ObservationInput{
		{Kind: followup.Worry, Body: "Postkassa er full og gardinene har vært trukket for i en uke."},
		{Kind: followup.Damage, Body: "Knust rute i inngangsdøra. Vi har satt inn plate midlertidig."},
		{Kind: followup.Neighbour, Body: "Naboen under klager på høy musikk om natta."},
	}
	for i, o := range obs {
		o.PersonID = persons[i%len(persons)]
		id, err := followup.Observe(g.ctx, g.tx, reporter, o, today.AddDays(-i*3))
		if err != nil {
			return err
		}
		if i == 1 {
			if err := followup.Handle(g.ctx, g.tx, worker, id, "Takk! Vi har vært på besøk, og glassmester kommer torsdag.", today); err != nil {
				return err
			}
		}
	}
	return nil
}
