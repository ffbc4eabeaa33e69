package movingon

import (
	"context"
	"strings"

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
		T{Name: "renewal_decisions", Holds: "vedtak om fornyelse av leiekontrakten ved utløp og vedtak om flytting i leieperioden, med begrunnelse, tilbud, flyttedato og når brevet kom fram",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Tenancy,
			Columns: []string{"outcome", "reason", "lease_end_on", "new_end_on", "decided_on", "decided_by_name", "kind", "offered", "move_on", "notified_on", "appeal_due"},
			Dossier: "movingon", Erasure: personaldata.Erasure{Rule: personaldata.Blocks, One: "fornyelsesvedtak", Many: "fornyelsesvedtak", Why: personaldata.ArchiveRule}},
		T{Name: "renewal_appeals", Holds: "klager på vedtak om leiekontrakten eller flytting, med begrunnelsen, fristen og behandlingen",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Tenancy,
			Columns: []string{"received_on", "appeal_due", "late", "grounds", "status", "reconsideration", "outcome", "outcome_note"},
			Dossier: "movingon", Erasure: personaldata.Erasure{Rule: personaldata.Blocks, One: "klage på boligvedtak", Many: "klager på boligvedtak", Why: personaldata.ArchiveRule}},
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

// DossierItem is one row of the person's moving on in their dossier.
type DossierItem struct {
	Kind ItemKind `json:"kind"`
	ID   int64    `json:"id"`
	// Code is the outcome, the plan's goal, the check's result or the
	// appeal's status.
	Code string `json:"code"`
	// On is the day decided, checked or received; for a plan, its
	// Startlån state.
	On string `json:"on"`
	// Text is the home's address, the plan's next step, the check's note
	// or the appeal's grounds.
	Text string `json:"text"`
	// Detail is a decision's kind (at the lease's end or during it) with
	// what a move offers, or an appeal's outcome.
	Detail string `json:"detail,omitempty"`
}

// dossierPart is the person's renewal decisions, plan and credit checks,
// as far as the reader may see them, read in one statement (a person
// with none costs nothing more), then authorized and logged like any read.
func dossierPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	m := a.MunicipalityID
	rows, err := q.QueryContext(ctx, `SELECT 'vedtak', r.id, r.outcome, CAST(r.decided_on AS TEXT), u.address, r.kind || ' ' || r.offered
		FROM renewal_decisions r JOIN leases l ON l.id = r.lease_id JOIN units u ON u.id = l.unit_id WHERE r.municipality_id = ? AND r.person_id = ?
		UNION ALL SELECT 'plan', p.id, p.goal, p.startlan, p.next_step, '' FROM moving_on_plans p WHERE p.municipality_id = ? AND p.person_id = ?
		UNION ALL SELECT 'kredittsjekk', c.id, c.result, CAST(c.checked_on AS TEXT), c.note, '' FROM credit_checks c WHERE c.municipality_id = ? AND c.person_id = ?
		UNION ALL SELECT 'klage', x.id, x.status, CAST(x.received_on AS TEXT), x.grounds, x.outcome FROM renewal_appeals x WHERE x.municipality_id = ? AND x.person_id = ?
		ORDER BY 1, 2`, m, personID, m, personID, m, personID, m, personID)
	items, err := store.Collect(rows, err, func(s store.Scanner) (x DossierItem, err error) {
		err = s.Scan(&x.Kind, &x.ID, &x.Code, &x.On, &x.Text, &x.Detail)
		x.Detail = strings.TrimSpace(x.Detail)
		return x, err
	})
	if err != nil || len(items) == 0 {
		return nil, err
	}
	rd := access.NewReader(q, a, access.ChannelExport)
	if _, err := rd.Authorize(ctx, personID); err != nil {
		return nil, err
	}
	var data struct {
		Items []access.Personal[DossierItem] `json:"items"`
	}
	for _, x := range items {
		if len(x.On) > 10 {
			x.On = x.On[:10] // a date read as text: YYYY-MM-DD
		}
		cat := access.Finances
		if x.Kind == ItemDecision || x.Kind == ItemAppeal {
			cat = access.Tenancy
		}
		data.Items = append(data.Items, access.Tag(personID, x, cat))
	}
	if err := rd.Send(ctx, &data); err != nil {
		return nil, err
	}
	w := personaldata.WordsOf(ctx)
	p := personaldata.Part{Key: "movingon", Data: data}
	for _, it := range data.Items {
		v := it.Value()
		switch v.Kind {
		case ItemDecision:
			line := dossierDate(w, v.On) + ": " + w.Code("keeping.outcome", v.Code) + " – " + v.Text
			if kind, offered, _ := strings.Cut(v.Detail, " "); Kind(kind) == DuringLease {
				line = dossierDate(w, v.On) + ": " + w.Code("keeping.decision_kind", kind) + ", " + w.Code("keeping.outcome", v.Code) + " – " + v.Text
				if offered != "" {
					line += " (" + offered + ")"
				}
			}
			p.Lines = append(p.Lines, line)
		case ItemAppeal:
			line := dossierDate(w, v.On) + ": " + w.Code("keeping.appeal_status", v.Code)
			if v.Detail != "" {
				line += " – " + w.Code("keeping.appeal_outcome", v.Detail)
			}
			p.Lines = append(p.Lines, line+" – "+v.Text)
		case ItemPlan:
			p.Lines = append(p.Lines, w.Code("keeping.goal", v.Code)+" – "+w.Code("keeping.startlan", v.On))
		case ItemCheck:
			p.Lines = append(p.Lines, dossierDate(w, v.On)+": "+w.Code("keeping.credit_result", v.Code))
		}
	}
	if len(p.Lines) == 0 {
		return nil, nil
	}
	return []personaldata.Part{p}, nil
}

func dossierDate(w personaldata.Words, s string) string {
	d, err := deadline.Parse(s)
	if err != nil {
		return s
	}
	return w.Date(d)
}
