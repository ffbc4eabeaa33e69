package plan

import (
	"context"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// The plans' tables. Plans are follow-up (access.FollowUpPlan); a crisis
// plan's warning signs tell of health (access.Health). Plans are health
// and care documentation kept by the archive rules, so any of them blocks
// erasure.
func init() {
	type T = personaldata.Table
	type E = personaldata.Event
	keep := func(one, many string) personaldata.Erasure {
		return personaldata.Erasure{Rule: personaldata.Blocks, One: one, Many: many, Why: personaldata.ArchiveRule}
	}
	pl := personaldata.Link{Column: "plan_id", Via: "plans"}
	personaldata.Register("plan",
		T{Name: "plan_settings", Holds: "kommunens syklus for gjennomgang av handlingsplaner"},
		T{Name: "plan_out_of_hours", Holds: "kommunens vakttelefoner utenom kontortid for kriseplaner"},
		T{Name: "plans", Holds: "beboerens planer: handlingsplan, individuell plan med samtykke og koordinator, kriseplan og ansvarsgruppe",
			Person: personaldata.Link{Column: "person_id"}, Category: access.FollowUpPlan,
			Columns: []string{"kind", "title", "start_on", "review_months", "next_review_on", "consent_id", "coordinator_name", "coordinator_chosen_on",
				"coordinator_agreed", "warning_signs", "what_helps", "who_to_call"},
			ColumnCategories: map[string]access.Category{"warning_signs": access.Health},
			Dossier:          "plan", Erasure: keep("plan", "planer"),
			Timeline: []E{{Kind: "plan", Title: "plan.timeline", Args: []personaldata.ArgKind{personaldata.Label("plan.kind"), personaldata.ArgText},
				Query: `SELECT created_at, '', 'oppfolging', kind, created_by FROM plans WHERE municipality_id = ? AND person_id = ?`}}},
		T{Name: "plan_goals", Holds: "mål med beboerens egne ord, dimensjoner i bedring og område", Person: pl, Category: access.FollowUpPlan,
			Columns: []string{"words", "dimensions", "area"}, Dossier: "plan", Erasure: keep("mål", "mål")},
		T{Name: "plan_measures", Holds: "tiltak i planen med ansvarlig og frist", Person: pl, Category: access.FollowUpPlan,
			Columns: []string{"what", "responsible", "due_on", "done_on"}, Dossier: "plan", Erasure: keep("tiltak", "tiltak")},
		T{Name: "plan_reviews", Holds: "gjennomganger av planen med oppsummering og neste dato", Person: pl, Category: access.FollowUpPlan,
			Columns: []string{"reviewed_on", "summary", "next_review_on"}, Dossier: "plan", Erasure: keep("gjennomgang", "gjennomganger")},
		T{Name: "plan_comments", Holds: "beboerens kommentarer og forslag til planen, og svar fra de ansatte", Person: pl, Category: access.FollowUpPlan,
			Columns: []string{"kind", "body", "author"}, Dossier: "plan", Erasure: keep("kommentar", "kommentarer")},
		T{Name: "plan_parts", Holds: "delplaner (behandlingsplan, individuell opplæringsplan) som referanser", Person: pl, Category: access.FollowUpPlan,
			Columns: []string{"kind", "reference", "held_by"}, Dossier: "plan", Erasure: keep("delplan", "delplaner")},
		T{Name: "plan_members", Holds: "ansvarsgruppens medlemmer, også fra instanser utenfor kommunen med samtykke", Person: pl, Category: access.FollowUpPlan,
			Columns: []string{"name", "agency", "role", "outside_consent_id"}, Dossier: "plan", Erasure: keep("medlem", "medlemmer")},
		T{Name: "plan_meetings", Holds: "ansvarsgruppens møter med saksliste og referat", Person: pl, Category: access.FollowUpPlan,
			Columns: []string{"held_on", "agenda", "minutes", "no_progress"}, Dossier: "plan", Erasure: keep("møte", "møter")},
		T{Name: "plan_tasks", Holds: "ansvarsgruppens oppgaver med eier og frist", Person: pl, Category: access.FollowUpPlan,
			Columns: []string{"what", "owner", "due_on", "done_on"}, Dossier: "plan", Erasure: keep("oppgave", "oppgaver")},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "plan",
		Sections: []personaldata.Section{{Key: "plan", Title: "Planer", Order: 71}}, Collect: dossierPart})
}

// dossierPart is the person's plans, read through the access rules and
// logged like any read.
func dossierPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	rd := access.NewReader(q, a, access.ChannelExport)
	g, err := rd.Authorize(ctx, personID)
	if err != nil {
		return nil, err
	}
	if !g.Allows(access.FollowUpPlan) {
		return nil, nil
	}
	plans, err := load(ctx, q, a.MunicipalityID, deadline.On(time.Now()), "p.person_id = ?", personID)
	if err != nil || len(plans) == 0 {
		return nil, err
	}
	data := struct {
		Plans []access.Personal[Plan] `json:"plans"`
	}{tag(plans)}
	if err := rd.Send(ctx, &data); err != nil {
		return nil, err
	}
	w := personaldata.WordsOf(ctx)
	p := personaldata.Part{Key: "plan", Data: data, Columns: w.Col("what", "from", "by"), Widths: []float64{60, 30, 60}}
	for _, x := range data.Plans {
		v := x.Value()
		p.Rows = append(p.Rows, []string{w.Code("plan.kind", v.Kind), w.Date(v.Start), v.CreatedBy})
	}
	return []personaldata.Part{p}, nil
}
