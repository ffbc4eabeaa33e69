package movingon

import (
	"context"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// Moving on's tables. A renewal decision is an individual decision kept by
// the archive rules, so it blocks erasure; a plan and a credit check are
// working notes deleted with the person.
func init() {
	type T = personaldata.Table
	personaldata.Register("movingon",
		T{Name: "renewal_decisions", Holds: "vedtak om fornyelse av leiekontrakten ved utløp, med begrunnelse",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Tenancy,
			Columns: []string{"outcome", "reason", "lease_end_on", "new_end_on", "decided_on", "decided_by_name"},
			Dossier: "movingon", Erasure: personaldata.Erasure{Rule: personaldata.Blocks, One: "fornyelsesvedtak", Many: "fornyelsesvedtak", Why: personaldata.ArchiveRule}},
		T{Name: "moving_on_plans", Holds: "planen for å komme videre til ordinær leie eller eie: startlån, bostøtte og sparing",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Finances,
			Columns: []string{"goal", "startlan", "bostotte", "saving_monthly", "saved", "target_on", "next_step"},
			Dossier: "movingon", Erasure: personaldata.Erasure{Rule: personaldata.Deleted}},
		T{Name: "credit_checks", Holds: "kredittsjekker gjort med beboerens samtykke, med resultat",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Finances,
			Columns: []string{"checked_on", "result", "note"},
			Dossier: "movingon", Erasure: personaldata.Erasure{Rule: personaldata.Deleted}},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "movingon",
		Sections: []personaldata.Section{{Key: "movingon", Title: "Videre fra kommunal bolig", Order: 75}}, Collect: dossierPart})
}

// dossierPart is the person's renewal decisions, plan and credit checks,
// as far as the reader may see them; read and logged like any read.
func dossierPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	rd := access.NewReader(q, a, access.ChannelExport)
	r, err := ReadResident(ctx, rd, personID, deadline.On(time.Now()))
	if err != nil {
		return nil, err
	}
	if len(r.Decisions)+len(r.Plans)+len(r.Credit) == 0 {
		return nil, nil
	}
	w := personaldata.WordsOf(ctx)
	p := personaldata.Part{Key: "movingon", Data: r}
	for _, d := range r.Decisions {
		if v := d.Value(); v.ID != 0 {
			p.Lines = append(p.Lines, w.Date(v.Decided)+": "+w.Code("keeping.outcome", v.Outcome)+" – "+v.Address)
		}
	}
	for _, pl := range r.Plans {
		if v := pl.Value(); v.ID != 0 {
			p.Lines = append(p.Lines, w.Code("keeping.goal", v.Goal)+" – "+w.Code("keeping.startlan", v.Startlan))
		}
	}
	for _, c := range r.Credit {
		if v := c.Value(); v.ID != 0 {
			p.Lines = append(p.Lines, w.Date(v.Checked)+": "+w.Code("keeping.credit_result", v.Result))
		}
	}
	return []personaldata.Part{p}, nil
}
