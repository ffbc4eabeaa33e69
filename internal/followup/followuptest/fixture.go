// Package followuptest builds follow-up at scale for benchmarks: teams
// with members, residents the teams' units have a role for, follow-ups
// and a year of contacts, written in bulk in one transaction.
package followuptest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Fixture is what Build made.
type Fixture struct {
	Tenant    storetest.Tenant
	Teams     []int64
	TeamUnits []int64
	// Members are the first team's members as acting users.
	Members   []access.Actor
	FollowUps []int64 // of the first team
}

// Build makes teams × perTeam residents in follow-up, each team with
// members staff (Housing First, weekly contact), and contacts per resident
// spread over the past year.
func Build(tb testing.TB, db *store.DB, teams, members, perTeam, contacts int) Fixture {
	tb.Helper()
	ctx := context.Background()
	f := Fixture{Tenant: storetest.NewTenant(tb, db, "1505")}
	mid := f.Tenant.MunicipalityID
	now := store.TimeArg(time.Now())
	today := deadline.On(time.Now())
	err := db.InTx(ctx, func(tx *store.Tx) error {
		ins := func(table string, cols []string, rows [][]any) error {
			per := 30000 / len(cols)
			for len(rows) > 0 {
				n := min(per, len(rows))
				one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
				var args []any
				for _, r := range rows[:n] {
					args = append(args, r...)
				}
				if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES "+strings.TrimSuffix(strings.Repeat(one+", ", n), ", "), args...); err != nil {
					return fmt.Errorf("%s: %w", table, err)
				}
				rows = rows[n:]
			}
			return nil
		}
		ids := func(q string, args ...any) ([]int64, error) {
			rows, err := tx.QueryContext(ctx, q, args...)
			return store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
		}
		for t := 0; t < teams; t++ {
			unit, err := store.InsertID(ctx, tx, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, ?, 'housing_first', ?)", mid, fmt.Sprintf("Team %d", t+1), now)
			if err != nil {
				return err
			}
			team, err := store.InsertID(ctx, tx, "INSERT INTO followup_teams (municipality_id, org_unit_id, name, model, created_at) VALUES (?, ?, ?, 'housing_first', ?)", mid, unit, fmt.Sprintf("Team %d", t+1), now)
			if err != nil {
				return err
			}
			f.Teams, f.TeamUnits = append(f.Teams, team), append(f.TeamUnits, unit)
			var rows [][]any
			for m := 0; m < members; m++ {
				rows = append(rows, []any{mid, unit, fmt.Sprintf("t%d-m%d", t, m), fmt.Sprintf("Ansatt %d-%d", t, m), "oppfolging", now})
			}
			if err := ins("users", []string{"municipality_id", "org_unit_id", "username", "full_name", "role", "created_at"}, rows); err != nil {
				return err
			}
			users, err := ids("SELECT id FROM users WHERE org_unit_id = ? ORDER BY id", unit)
			if err != nil {
				return err
			}
			rows = rows[:0]
			for i, u := range users {
				rows = append(rows, []any{mid, team, u, fmt.Sprintf("Ansatt %d-%d", t, i), "miljoarbeider", 1.0, "kommune"})
				if t == 0 {
					f.Members = append(f.Members, access.Actor{UserID: u, MunicipalityID: mid, OrgUnitID: unit, Username: fmt.Sprintf("t0-m%d", i), Name: fmt.Sprintf("Ansatt 0-%d", i), Role: access.FollowUp})
				}
			}
			if err := ins("followup_members", []string{"municipality_id", "team_id", "user_id", "name", "role", "fte", "employer"}, rows); err != nil {
				return err
			}
			rows = rows[:0]
			for p := 0; p < perTeam; p++ {
				k := t*perTeam + p
				rows = append(rows, []any{mid, fmt.Sprintf("enc%d", k), fmt.Sprintf("hash%d", k), "010180", "Beboer", fmt.Sprintf("Nummer%06d", k),
					"beboer", fmt.Sprintf("nummer%06d", k), "1980-01-01", now, now})
			}
			if err := ins("persons", []string{"municipality_id", "identity_enc", "identity_hash", "identity_prefix", "first_name", "last_name", "first_name_key",
				"last_name_key", "birth_date", "created_at", "updated_at"}, rows); err != nil {
				return err
			}
			persons, err := ids("SELECT id FROM persons WHERE municipality_id = ? AND identity_hash LIKE 'hash%' ORDER BY id DESC LIMIT ?", mid, perTeam)
			if err != nil {
				return err
			}
			rows = rows[:0]
			var fus [][]any
			for i, p := range persons {
				rows = append(rows, []any{mid, p, unit, "oppfølging", now})
				u := users[i%len(users)]
				fus = append(fus, []any{mid, p, team, "veiledning", u, fmt.Sprintf("Ansatt %d-%d", t, i%len(users)), today.AddDays(-400), "hoy", "aktiv", "Bench", now})
			}
			if err := ins("case_units", []string{"municipality_id", "person_id", "org_unit_id", "responsibility", "started_at"}, rows); err != nil {
				return err
			}
			if err := ins("followups", []string{"municipality_id", "person_id", "team_id", "basis", "primary_id", "primary_name", "start_on", "intensity", "status",
				"created_by", "created_at"}, fus); err != nil {
				return err
			}
			fids, err := ids("SELECT id FROM followups WHERE team_id = ? ORDER BY id", team)
			if err != nil {
				return err
			}
			if t == 0 {
				f.FollowUps = fids
			}
			var cs [][]any
			for i, fu := range fids {
				for c := 0; c < contacts; c++ {
					day := today.AddDays(-365 + c*365/max(contacts, 1) + i%5)
					if today.Before(day) {
						day = today
					}
					cs = append(cs, []any{mid, fu, persons[i], "hjemmebesok", day, 30, c%13 != 0, "Kort notat", "oppfolging", "Bench", now})
				}
			}
			if err := ins("followup_contacts", []string{"municipality_id", "followup_id", "person_id", "kind", "contact_on", "minutes", "met", "note", "note_category",
				"recorded_by", "created_at"}, cs); err != nil {
				return err
			}
			// Every resident has an action plan, its review day spread over
			// the month around today; every twentieth an individual plan
			// (with the person's consent), every other of those without a
			// coordinator.
			var cons, pls [][]any
			for i := 0; i < len(fids); i += 20 {
				cons = append(cons, []any{mid, persons[i], unit, "Individuell plan", "oppfolging", now})
			}
			if err := ins("consents", []string{"municipality_id", "person_id", "recipient_unit_id", "purpose", "categories", "given_at"}, cons); err != nil {
				return err
			}
			consents, err := ids("SELECT id FROM consents WHERE recipient_unit_id = ? ORDER BY id", unit)
			if err != nil {
				return err
			}
			for i, fu := range fids {
				pls = append(pls, []any{mid, fu, persons[i], "handlingsplan", today.AddDays(-60), 1, today.AddDays(i%30 - 15), nil, nil, "Bench", now})
				if i%20 == 0 && i/20 < len(consents) {
					var coordinator any
					if i%40 == 0 {
						coordinator = users[0]
					}
					pls = append(pls, []any{mid, fu, persons[i], "individuell_plan", today.AddDays(-60), 1, today.AddDays(i%30 - 15), consents[i/20], coordinator, "Bench", now})
				}
			}
			if err := ins("plans", []string{"municipality_id", "followup_id", "person_id", "kind", "start_on", "review_months", "next_review_on", "consent_id",
				"coordinator_id", "created_by", "created_at"}, pls); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE followups SET last_met_on = (SELECT MAX(c.contact_on) FROM followup_contacts c WHERE c.followup_id = followups.id AND c.met) WHERE municipality_id = ?`, mid)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	db.Analyze(ctx, "persons", "case_units", "followups", "followup_contacts", "followup_members", "followup_teams", "users", "plans")
	return f
}
