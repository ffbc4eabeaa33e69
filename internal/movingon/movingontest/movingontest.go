// Package movingontest builds a municipality at Oslo's size for the risk
// list's benchmark: buildings, homes and time-limited leases with their
// ends spread over three years, the property office with a role for every
// tenant, a follow-up team with a tenth of them, follow-ups with their
// last contact, and renewal decisions on some leases, written through the
// bulk path (store.Batch: COPY on PostgreSQL) in one transaction.
package movingontest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// Fixture is what Build made.
type Fixture struct {
	Tenant storetest.Tenant
	// Property is the property office's user, with a role for every tenant;
	// FollowUp a member of the follow-up team.
	Property, FollowUp access.Actor
	Buildings          []int64
}

// Build makes leases homes in buildings of 100, one tenant each.
func Build(tb testing.TB, db *store.DB, leases int) Fixture {
	tb.Helper()
	ctx := context.Background()
	f := Fixture{Tenant: storetest.NewTenant(tb, db, "0301")}
	mid := f.Tenant.MunicipalityID
	now := store.TimeArg(time.Now())
	today := deadline.On(time.Now())
	err := db.InConnTx(ctx, func(tx *store.Tx) error {
		unit := func(name, kind string) (int64, error) {
			return store.InsertID(ctx, tx, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, ?, ?, ?)", mid, name, kind, now)
		}
		user := func(org int64, username, name, role string) (int64, error) {
			return store.InsertID(ctx, tx, "INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)",
				mid, org, username, name, role, now)
		}
		propUnit, err := unit("Boligforvaltningen", "eiendom")
		if err != nil {
			return err
		}
		propUser, err := user(propUnit, "bench-eiendom", "Eiendom Benk", "eiendom")
		if err != nil {
			return err
		}
		f.Property = access.Actor{UserID: propUser, MunicipalityID: mid, OrgUnitID: propUnit, Username: "bench-eiendom", Name: "Eiendom Benk", Role: access.Property}
		teamUnit, err := unit("Bo-oppfølgingen", "housing_first")
		if err != nil {
			return err
		}
		teamUser, err := user(teamUnit, "bench-oppfolging", "Oppfølging Benk", "oppfolging")
		if err != nil {
			return err
		}
		f.FollowUp = access.Actor{UserID: teamUser, MunicipalityID: mid, OrgUnitID: teamUnit, Username: "bench-oppfolging", Name: "Oppfølging Benk", Role: access.FollowUp}
		team, err := store.InsertID(ctx, tx, "INSERT INTO followup_teams (municipality_id, org_unit_id, name, model, created_at) VALUES (?, ?, 'Bo-oppfølgingen', 'housing_first', ?)", mid, teamUnit, now)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO followup_members (municipality_id, team_id, user_id, name, role, fte, employer) VALUES (?, ?, ?, 'Oppfølging Benk', 'miljoarbeider', 1.0, 'kommune')",
			mid, team, teamUser); err != nil {
			return err
		}
		nb := (leases + 99) / 100
		buildings, err := tx.NewIDs(ctx, "buildings", nb)
		if err != nil {
			return err
		}
		var rows [][]any
		for i, id := range buildings {
			rows = append(rows, []any{id, mid, fmt.Sprintf("Blokk %d", i+1)})
		}
		if err := tx.Batch("buildings", "id", "municipality_id", "name").Write(ctx, rows); err != nil {
			return fmt.Errorf("buildings: %w", err)
		}
		f.Buildings = buildings
		persons, err := tx.NewIDs(ctx, "persons", leases)
		if err != nil {
			return err
		}
		units, err := tx.NewIDs(ctx, "units", leases)
		if err != nil {
			return err
		}
		leaseIDs, err := tx.NewIDs(ctx, "leases", leases)
		if err != nil {
			return err
		}
		var ps, us, ls, ts, cs [][]any
		for i := range leases {
			ps = append(ps, []any{persons[i], mid, fmt.Sprintf("enc%d", i), fmt.Sprintf("hash%d", i), "010180", "Leietaker", fmt.Sprintf("Nummer%06d", i),
				"leietaker", fmt.Sprintf("nummer%06d", i), "1980-01-01", now, now})
			us = append(us, []any{units[i], mid, buildings[i/100], fmt.Sprintf("B%05d", i), fmt.Sprintf("Benkveien %d", i+1), "ordinar", "kommunal", 2, 50.0, 9000, now, now})
			// Three-year leases started evenly over the last three years:
			// about one in twelve ends within three months.
			end := today.AddDays(1 + (i*1096)/leases)
			if i%97 == 0 {
				end = today.AddDays(-(i % 20)) // passed, still active
			}
			start := end.AddDays(-1096)
			ls = append(ls, []any{leaseIDs[i], mid, units[i], start, end, 9000, 0, "aktiv", now})
			ts = append(ts, []any{leaseIDs[i], persons[i], mid})
			cs = append(cs, []any{mid, persons[i], propUnit, "utleier", now})
			if i%10 == 0 {
				cs = append(cs, []any{mid, persons[i], teamUnit, "bo-oppfølging", now})
			}
		}
		for _, w := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"persons", []string{"id", "municipality_id", "identity_enc", "identity_hash", "identity_prefix", "first_name", "last_name", "first_name_key", "last_name_key",
				"birth_date", "created_at", "updated_at"}, ps},
			{"units", []string{"id", "municipality_id", "building_id", "code", "address", "category", "control", "rooms", "area_m2", "rent_monthly", "created_at", "updated_at"}, us},
			{"leases", []string{"id", "municipality_id", "unit_id", "start_date", "end_date", "rent_monthly", "deposit", "status", "created_at"}, ls},
			{"lease_tenants", []string{"lease_id", "person_id", "municipality_id"}, ts},
			{"case_units", []string{"municipality_id", "person_id", "org_unit_id", "responsibility", "started_at"}, cs},
		} {
			if err := tx.Batch(w.table, w.cols...).Write(ctx, w.rows); err != nil {
				return fmt.Errorf("%s: %w", w.table, err)
			}
		}
		// A tenth are followed; a third of those not met within the week.
		var fs, rs [][]any
		for i := 0; i < leases; i += 10 {
			last := today.AddDays(-(i / 10 % 21))
			fs = append(fs, []any{mid, persons[i], team, "veiledning", teamUser, "Oppfølging Benk", today.AddDays(-400), "hoy", "aktiv", last, "Benk", now})
		}
		// One in five leases near their end already has its decision.
		for i := range leases {
			if end := today.AddDays(1 + (i*1096)/leases); i%5 == 0 && end.Before(today.AddDays(90)) && i%97 != 0 {
				rs = append(rs, []any{mid, leaseIDs[i], persons[i], "fornyes", "", end, end.AddDays(1096), today, f.Tenant.UserID, "Saksbehandler", now})
			}
		}
		if err := tx.Batch("followups", "municipality_id", "person_id", "team_id", "basis", "primary_id", "primary_name", "start_on", "intensity", "status",
			"last_met_on", "created_by", "created_at").Write(ctx, fs); err != nil {
			return fmt.Errorf("followups: %w", err)
		}
		return tx.Batch("renewal_decisions", "municipality_id", "lease_id", "person_id", "outcome", "reason", "lease_end_on", "new_end_on", "decided_on",
			"decided_by", "decided_by_name", "created_at").Write(ctx, rs)
	})
	if err != nil {
		tb.Fatal(err)
	}
	db.Analyze(ctx, "persons", "units", "leases", "lease_tenants", "case_units", "followups", "followup_teams", "renewal_decisions", "buildings")
	return f
}
