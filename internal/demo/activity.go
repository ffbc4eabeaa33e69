package demo

import (
	"fmt"
	"time"

	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/store"
	"husly/internal/workenv"
)

// Meaningful activity and the staff's work environment: a calendar of
// activities and housing-school courses over the coming weeks with
// sign-ups and past attendance, and for the Housing First and FACT teams
// a competence register, a training plan with something overdue, a
// supervision log, an HMS round and risk assessments for visits.

type demoActivity struct {
	title, kind, place, start string
	weekday                   time.Weekday
	minutes, capacity         int
}

var demoActivities = []demoActivity{
	{"Boligskolen: budsjett og regninger", "kurs_okonomi", "Kaffekroken, Langveien 9", "12:00", time.Tuesday, 90, 8},
	{"Boligskolen: vask og renhold", "kurs_renhold", "Treningsleiligheten, Skolegata 4", "12:00", time.Wednesday, 90, 6},
	{"Boligskolen: lag middag for en uke", "kurs_matlaging", "Kjøkkenet på Frivilligsentralen", "16:00", time.Thursday, 120, 8},
	{"Boligskolen: å være en god nabo", "kurs_naboskap", "Kaffekroken, Langveien 9", "13:00", time.Monday, 60, 10},
	{"Tur rundt Vågen", "tur", "Oppmøte ved Piren", "11:00", time.Friday, 120, 12},
	{"Fellesmiddag", "fellesskap", "Frivilligsentralen", "17:00", time.Thursday, 120, 20},
	{"Arbeidstrening på verkstedet", "arbeidstrening", "Gjenbruksverkstedet, Industriveien 2", "09:00", time.Wednesday, 240, 4},
}

// activities fills the calendar: each activity weekly or every other week
// from four weeks back to six weeks ahead, the residents the team follows
// signed up (the demo resident among them for one course), and who came
// to those that have been.
func (g *generator) activities() error {
	today := deadline.On(time.Now())
	now := store.TimeArg(time.Now())
	var team int64
	if err := g.tx.QueryRowContext(g.ctx, "SELECT MIN(id) FROM followup_teams WHERE municipality_id = ? AND model = 'housing_first'", g.mid).Scan(&team); err != nil {
		return err
	}
	var boteam int64
	if err := g.tx.QueryRowContext(g.ctx, "SELECT COALESCE(MIN(id), 0) FROM followup_teams WHERE municipality_id = ? AND model = 'boteam'", g.mid).Scan(&boteam); err != nil {
		return err
	}
	if boteam == 0 {
		boteam = team
	}
	// Each team signs up residents it follows.
	rows, err := g.tx.QueryContext(g.ctx, "SELECT team_id, person_id FROM followups WHERE municipality_id = ? AND status <> 'avsluttet' ORDER BY team_id, person_id", g.mid)
	followed, err := store.CollectBy(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
	if err != nil {
		return err
	}
	var me int64
	if err := g.tx.QueryRowContext(g.ctx, "SELECT person_id FROM users WHERE username = 'demo-beboer' AND municipality_id = ?", g.mid).Scan(&me); err != nil {
		return err
	}
	// Monday four weeks back.
	start := today.AddDays(-28)
	for start.Weekday() != time.Monday {
		start = start.AddDays(-1)
	}
	first := true
	for week := 0; week < 10; week++ {
		for i, a := range demoActivities {
			if i%2 == 1 && week%2 == 1 {
				continue // every other week
			}
			on := start.AddDays(7*week + (int(a.weekday)+6)%7)
			owner := team
			if i%3 == 2 {
				owner = boteam
			}
			id, err := store.InsertID(g.ctx, g.tx, `INSERT INTO activities (municipality_id, team_id, title, kind, description, on_day, start_time, minutes, place, capacity,
				created_by, created_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, 'Eva Enhetsleder', ?)`, g.mid, owner, a.title, a.kind, on, a.start, a.minutes, a.place, a.capacity, now)
			if err != nil {
				return err
			}
			// Some of the residents sign up; the first course ahead is
			// full, so the calendar shows that too.
			want := 1 + g.rng.IntN(a.capacity/2)
			if first && !on.Before(today.AddDays(1)) && a.capacity <= 8 {
				want, first = a.capacity, false
			}
			residents := store.Of(followed, owner)
			n := 0
			for _, j := range g.rng.Perm(len(residents)) {
				if n >= want {
					break
				}
				p := residents[j]
				if p == me {
					continue
				}
				signed := on.AddDays(-g.rng.IntN(10) - 1)
				var attended any
				if on.Before(today) {
					attended = g.chance(0.75)
				}
				if _, err := g.tx.ExecContext(g.ctx, `INSERT INTO activity_signups (municipality_id, activity_id, person_id, status, by_resident, signed_up_on, signed_by,
					attended, attendance_by, created_at) VALUES (?, ?, ?, 'pameldt', ?, ?, ?, ?, ?, ?)`, g.mid, id, p, g.chance(0.5), signed, "Olav Oppfølger",
					attended, map[bool]string{true: "Olav Oppfølger", false: ""}[attended != nil], now); err != nil {
					return err
				}
				n++
			}
			// The demo resident is signed up for the cooking course next week.
			if me > 0 && a.kind == "kurs_matlaging" && !on.Before(today.AddDays(1)) && on.Before(today.AddDays(8)) {
				if _, err := g.tx.ExecContext(g.ctx, `INSERT INTO activity_signups (municipality_id, activity_id, person_id, status, by_resident, signed_up_on, signed_by, created_at)
					VALUES (?, ?, ?, 'pameldt', ?, ?, 'demo-beboer', ?)`, g.mid, id, me, true, today.AddDays(-2), now); err != nil {
					return err
				}
			}
		}
	}
	return g.workEnvironment(today)
}

// workEnvironment fills the staff register of the Housing First and FACT
// teams.
func (g *generator) workEnvironment(today deadline.Date) error {
	now := store.TimeArg(time.Now())
	rows, err := g.tx.QueryContext(g.ctx, "SELECT id FROM followup_teams WHERE municipality_id = ? AND model IN ('housing_first', 'fact') ORDER BY id", g.mid)
	teams, err := store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
	if err != nil {
		return err
	}
	exec := func(q string, args ...any) error {
		_, err := g.tx.ExecContext(g.ctx, q, args...)
		return err
	}
	for _, team := range teams {
		type member struct {
			id         int64
			name, role string
		}
		rows, err := g.tx.QueryContext(g.ctx, "SELECT user_id, name, role FROM followup_members WHERE team_id = ? ORDER BY id", team)
		members, err := store.Collect(rows, err, func(s store.Scanner) (m member, err error) { return m, s.Scan(&m.id, &m.name, &m.role) })
		if err != nil {
			return err
		}
		if len(members) == 0 {
			continue
		}
		// The training plan (seed 002 names MI, Housing First and the ROP
		// guideline for the teams; first aid and violence and threats are
		// renewed).
		plan := []struct {
			comp  workenv.Competence
			role  followup.MemberRole
			every int
			due   deadline.Date
		}{
			{workenv.HousingFirst, "", 0, today.AddDays(-200)},
			{workenv.MI, "", 0, today.AddDays(-100)},
			{workenv.ROPGuideline, "", 0, today.AddDays(60)},
			{workenv.FirstAid, "", 24, today.AddDays(-30)},
			{workenv.Violence, "", 12, today.AddDays(-60)},
			{workenv.PeerWork, followup.PeerWorker, 0, today.AddDays(-30)},
		}
		for _, p := range plan {
			if err := exec(`INSERT INTO staff_training (municipality_id, team_id, competence, member_role, every_months, first_due_on, recorded_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, 'Eva Enhetsleder', ?)`, g.mid, team, p.comp, p.role, p.every, p.due, now); err != nil {
				return err
			}
		}
		for i, m := range members {
			taken := func(comp workenv.Competence, daysAgo int, expires any) error {
				return exec(`INSERT INTO staff_competences (municipality_id, team_id, user_id, name, competence, taken_on, expires_on, recorded_by, created_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, 'Eva Enhetsleder', ?)`, g.mid, team, m.id, m.name, comp, today.AddDays(-daysAgo), expires, now)
			}
			if err := taken(workenv.HousingFirst, 300+40*i, nil); err != nil {
				return err
			}
			if i%4 != 3 {
				if err := taken(workenv.MI, 500+30*i, nil); err != nil {
					return err
				}
			}
			// First aid: most renewed, one taken 30 months ago and so overdue.
			ago := 200 + 50*i
			if i == 1 {
				ago = 900
			}
			if err := taken(workenv.FirstAid, ago, nil); err != nil {
				return err
			}
			if i%3 != 2 {
				if err := taken(workenv.Violence, 100+20*i, today.AddDays(265-20*i)); err != nil {
					return err
				}
			}
			if m.role == string(followup.PeerWorker) {
				if err := taken(workenv.PeerWork, 700, nil); err != nil {
					return err
				}
			}
		}
		// Group supervision monthly, individual now and then.
		for k := 1; k <= 6; k++ {
			sid, err := store.InsertID(g.ctx, g.tx, `INSERT INTO staff_supervisions (municipality_id, team_id, held_on, kind, supervisor, topic, recorded_by, created_at)
				VALUES (?, ?, ?, 'gruppe', 'Psykologspesialist Anne Berg, DPS Nordmøre', ?, 'Eva Enhetsleder', ?)`, g.mid, team, today.AddDays(-30*k+3),
				[]string{"Når brukeren ikke åpner døren", "Egen reaksjon på trusler", "Å tåle tilbakefall", "Nabokonflikter", "Grenser i relasjonen", "Arbeid først"}[k-1], now)
			if err != nil {
				return err
			}
			for _, m := range members {
				if err := exec("INSERT INTO staff_supervision_members (municipality_id, supervision_id, user_id, name) VALUES (?, ?, ?, ?)", g.mid, sid, m.id, m.name); err != nil {
					return err
				}
			}
			if k%2 == 0 {
				m := members[k%len(members)]
				sid, err := store.InsertID(g.ctx, g.tx, `INSERT INTO staff_supervisions (municipality_id, team_id, held_on, kind, supervisor, topic, recorded_by, created_at)
					VALUES (?, ?, ?, 'individuell', 'Teamleder', 'Oppfølging etter vanskelig hjemmebesøk', 'Eva Enhetsleder', ?)`, g.mid, team, today.AddDays(-30*k+10), now)
				if err != nil {
					return err
				}
				if err := exec("INSERT INTO staff_supervision_members (municipality_id, supervision_id, user_id, name) VALUES (?, ?, ?, ?)", g.mid, sid, m.id, m.name); err != nil {
					return err
				}
			}
		}
		// The yearly HMS round, ten months ago: one measure done, one late,
		// one ahead.
		rid, err := store.InsertID(g.ctx, g.tx, `INSERT INTO hms_rounds (municipality_id, team_id, held_on, findings, recorded_by, created_at) VALUES (?, ?, ?, ?, 'Eva Enhetsleder', ?)`,
			g.mid, team, today.AddDays(-300), "Alarmknappene på telefonene er ikke testet. Bilen mangler førstehjelpsskrin. Flere opplever høyt arbeidspress etter nye brukere i høst.", now)
		if err != nil {
			return err
		}
		lead := members[len(members)-1]
		for _, m := range []struct {
			what  string
			owner member
			due   deadline.Date
			done  any
		}{
			{"Teste alarmknappene hver måned", lead, today.AddDays(-270), today.AddDays(-275)},
			{"Førstehjelpsskrin i tjenestebilen", members[0], today.AddDays(-30), nil},
			{"Gjennomgå saksmengden mot normen", lead, today.AddDays(45), nil},
		} {
			if err := exec("INSERT INTO hms_measures (municipality_id, round_id, what, owner_id, owner_name, due_on, done_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
				g.mid, rid, m.what, m.owner.id, m.owner.name, m.due, m.done); err != nil {
				return err
			}
		}
		// Risk assessments for visits: a resident whose visits need two
		// staff (never one of the demo follow-up worker's own), and an
		// address.
		var risky int64
		if err := g.tx.QueryRowContext(g.ctx, `SELECT COALESCE(MAX(f.person_id), 0) FROM followups f WHERE f.team_id = ? AND f.status = 'aktiv'
			AND f.primary_id <> (SELECT id FROM users WHERE username = 'demo-oppfolging')`, team).Scan(&risky); err != nil {
			return err
		}
		if risky > 0 {
			if err := exec(`INSERT INTO visit_risks (municipality_id, team_id, person_id, address, assessment, two_staff, measures, assessed_on, review_on, recorded_by, created_at)
				VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, 'Eva Enhetsleder', ?)`, g.mid, team, risky,
				"Har truet ansatte ved to besøk i høst. Hund i leiligheten.", true, "Møt ute først; ha telefonen klar; ikke gå inn om hunden er løs.",
				today.AddDays(-40), today.AddDays(50), now); err != nil {
				return err
			}
		}
		if err := exec(`INSERT INTO visit_risks (municipality_id, team_id, person_id, address, assessment, two_staff, measures, assessed_on, review_on, recorded_by, created_at)
			VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, 'Eva Enhetsleder', ?)`, g.mid, team, fmt.Sprintf("Storgata %d", 10+team%20),
			"Trappeoppgangen er mørk og brukes til salg av rusmidler om kvelden.", false, "Besøk på dagtid.", today.AddDays(-400), today.AddDays(-35), now); err != nil {
			return err
		}
	}
	return nil
}
