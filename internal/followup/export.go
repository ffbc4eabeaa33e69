package followup

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
	"husly/internal/tabular"
)

// Exports are follow-up's tables for leaders and planners, as CSV or
// .xlsx with Norwegian column names. They hold counts per team, member,
// month or phase, never a resident, so they need no access log.
var Exports = []string{"saksmengde", "varsler", "kontakter", "housing-first"}

// Export writes one export for the municipality.
func Export(ctx context.Context, q store.Queryer, municipalityID int64, what string, w io.Writer, format tabular.Format, today deadline.Date) error {
	switch what {
	case "saksmengde":
		return exportCaseload(ctx, q, municipalityID, w, format)
	case "varsler":
		return exportAlerts(ctx, q, municipalityID, w, format, today)
	case "kontakter":
		return exportContacts(ctx, q, municipalityID, w, format, today)
	case "housing-first":
		return exportPipeline(ctx, q, municipalityID, w, format, today)
	}
	return invalid.Problem("ukjent eksport «%s» (saksmengde, varsler, kontakter eller housing-first)", what)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// exportCaseload: each team and member against the norm, with its source.
func exportCaseload(ctx context.Context, q store.Queryer, municipalityID int64, w io.Writer, format tabular.Format) error {
	ts, err := teams(ctx, q, municipalityID, 0)
	if err != nil {
		return err
	}
	tw, err := tabular.NewWriter(w, format, []string{"tjeneste", "modell", "ansatt", "rolle", "arbeidsgiver", "arsverk", "beboere", "norm_hoyst", "over_norm", "kilde"})
	if err != nil {
		return err
	}
	yes := func(b bool) string {
		if b {
			return "ja"
		}
		return "nei"
	}
	for _, t := range ts {
		if err := tw.Write([]string{t.Name, string(t.Model), "", "", "", num(t.PersonYears), strconv.Itoa(t.Load.Count), num(t.Load.Max), yes(t.Load.Over), t.Norm.Source}); err != nil {
			return err
		}
		for _, m := range t.Members {
			if err := tw.Write([]string{t.Name, string(t.Model), m.Name, string(m.Role), string(m.Employer), num(m.FTE), strconv.Itoa(m.Load.Count), num(m.Load.Max), yes(m.Load.Over), ""}); err != nil {
				return err
			}
		}
	}
	return tw.Close()
}

// exportAlerts: alerts per team and kind, with the longest overdue.
func exportAlerts(ctx context.Context, q store.Queryer, municipalityID int64, w io.Writer, format tabular.Format, today deadline.Date) error {
	ts, err := teams(ctx, q, municipalityID, 0)
	if err != nil {
		return err
	}
	alerts, err := AlertsOf(ctx, q, municipalityID, 0, 0, today)
	if err != nil {
		return err
	}
	type key struct {
		team int64
		kind AlertKind
	}
	count, worst := map[key]int{}, map[key]int{}
	for _, a := range alerts {
		k := key{a.TeamID, a.Kind}
		count[k]++
		worst[k] = max(worst[k], a.Days)
	}
	tw, err := tabular.NewWriter(w, format, []string{"tjeneste", "varsel", "antall", "lengst_over_frist_dager"})
	if err != nil {
		return err
	}
	for _, t := range ts {
		for _, kind := range []AlertKind{ContactOverdue, AskAgain, AppointmentDue, CTIEnding} {
			k := key{t.ID, kind}
			if err := tw.Write([]string{t.Name, string(kind), strconv.Itoa(count[k]), strconv.Itoa(worst[k])}); err != nil {
				return err
			}
		}
	}
	return tw.Close()
}

// exportContacts: contacts per team and month over the past year, by how
// they took place, with the minutes spent and the share not met.
func exportContacts(ctx context.Context, q store.Queryer, municipalityID int64, w io.Writer, format tabular.Format, today deadline.Date) error {
	rows, err := q.QueryContext(ctx, `SELECT t.name, c.contact_on, c.kind, c.minutes, c.met FROM followup_contacts c JOIN followups f ON f.id = c.followup_id
		JOIN followup_teams t ON t.id = f.team_id WHERE c.municipality_id = ? AND c.contact_on > ?`, municipalityID, today.AddDays(-366))
	if err != nil {
		return err
	}
	defer rows.Close()
	type key struct{ team, month, kind string }
	type sum struct{ n, minutes, missed int }
	sums := map[key]*sum{}
	for rows.Next() {
		var team string
		var on deadline.Date
		var kind ContactKind
		var minutes int
		var met bool
		if err := rows.Scan(&team, &on, &kind, &minutes, &met); err != nil {
			return err
		}
		k := key{team, fmt.Sprintf("%04d-%02d", on.Year, int(on.Month)), string(kind)}
		if sums[k] == nil {
			sums[k] = &sum{}
		}
		sums[k].n++
		sums[k].minutes += minutes
		if !met {
			sums[k].missed++
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	keys := make([]key, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.team != b.team {
			return a.team < b.team
		}
		if a.month != b.month {
			return a.month < b.month
		}
		return a.kind < b.kind
	})
	tw, err := tabular.NewWriter(w, format, []string{"tjeneste", "maned", "kontaktmate", "antall", "minutter", "ikke_truffet"})
	if err != nil {
		return err
	}
	for _, k := range keys {
		s := sums[k]
		if err := tw.Write([]string{k.team, k.month, k.kind, strconv.Itoa(s.n), strconv.Itoa(s.minutes), strconv.Itoa(s.missed)}); err != nil {
			return err
		}
	}
	return tw.Close()
}

// exportPipeline: the Housing First pipeline's counts and days per phase.
func exportPipeline(ctx context.Context, q store.Queryer, municipalityID int64, w io.Writer, format tabular.Format, today deadline.Date) error {
	rows, err := q.QueryContext(ctx, `SELECT h.team_id, t.name, `+prefixed("h.", entryColumns)+` FROM hf_pipeline h JOIN followup_teams t ON t.id = h.team_id
		WHERE h.municipality_id = ? ORDER BY t.name, h.id`, municipalityID)
	if err != nil {
		return err
	}
	defer rows.Close()
	names := map[int64]string{}
	var order []int64
	entries := map[int64][]Entry{}
	for rows.Next() {
		var team int64
		var name string
		var e Entry
		if err := rows.Scan(&team, &name, &e.ID, &e.PersonID, &e.TeamID, &e.ReferredOn, &e.ReferredBy, &e.MappedOn, &e.AgreementOn, &e.HousedOn, &e.FollowUpOn, &e.HomeChoice); err != nil {
			return err
		}
		if _, ok := names[team]; !ok {
			order = append(order, team)
		}
		names[team] = name
		entries[team] = append(entries[team], e)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	tw, err := tabular.NewWriter(w, format, []string{"tjeneste", "fase", "i_fasen_na", "gatt_videre", "median_dager", "snitt_dager", "lengst_ventetid_dager"})
	if err != nil {
		return err
	}
	for _, team := range order {
		for _, s := range Summarize(entries[team], today) {
			if err := tw.Write([]string{names[team], string(s.Phase), strconv.Itoa(s.Now), strconv.Itoa(s.Passed), num(s.MedianDays), strconv.FormatFloat(s.MeanDays, 'f', 1, 64), strconv.Itoa(s.Waiting)}); err != nil {
				return err
			}
		}
	}
	return tw.Close()
}

// prefixed puts an alias before each column of a list.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
