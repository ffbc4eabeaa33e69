package transition

import (
	"context"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// The register's tables. Transitions and stays are case documents kept by
// the archive rules, so they block erasure.
func init() {
	type T = personaldata.Table
	type E = personaldata.Event
	keep := func(one, many string) personaldata.Erasure {
		return personaldata.Erasure{Rule: personaldata.Blocks, One: one, Many: many, Why: personaldata.ArchiveRule}
	}
	personaldata.Register("transition",
		T{Name: "transition_settings", Holds: "kommunens grenser for midlertidig botilbud og besøk etter innflytting, med kilde"},
		// A transition's category is decided per row by its kind
		// (Kind.Category: institution and prison health, child welfare
		// household, temporary housing the housing need), kept in its
		// category column; the reads tag each row with it.
		T{Name: "transitions", Holds: "hvem som skal ut av institusjon, fengsel, barnevern eller midlertidig botilbud, når, hvem som har ansvaret, og utfallet",
			Person: personaldata.Link{Column: "person_id"}, Category: "",
			Columns: []string{"kind", "institution_kind", "leaving_on", "responsible_name", "meeting_on", "meeting_with", "outcome", "outcome_on"},
			Dossier: "transition", Erasure: keep("overgang", "overganger"),
			Timeline: []E{{Kind: "overgang", Title: "transition.timeline.transition", Args: []personaldata.ArgKind{personaldata.Label("transition.kind"), personaldata.ArgDate},
				Query: `SELECT created_at, '', category, kind, leaving_on FROM transitions WHERE municipality_id = ? AND person_id = ?`}}},
		T{Name: "temporary_stays", Holds: "opphold i midlertidig botilbud (sosialtjenesteloven § 27): sted, eier, periode, pris, barn og vei ut",
			Person: personaldata.Link{Column: "person_id"}, Category: access.HousingNeeds,
			Columns:          []string{"place", "owner", "quality_assured", "start_on", "end_on", "price_per_night", "children", "route_out", "route_kind"},
			ColumnCategories: map[string]access.Category{"children": access.Household},
			Dossier:          "transition", Erasure: keep("midlertidig opphold", "midlertidige opphold"),
			Timeline: []E{{Kind: "midlertidig", Title: "transition.timeline.stay", Args: []personaldata.ArgKind{personaldata.ArgText},
				Query: `SELECT created_at, '', 'boligbehov', place FROM temporary_stays WHERE municipality_id = ? AND person_id = ?`}}},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "transition",
		Sections: []personaldata.Section{{Key: "transition", Title: "Overganger og midlertidig botilbud", Order: 75}}, Collect: dossierPart})
}

// dossierPart is the person's transitions and stays, read through the
// access rules and logged like any read.
func dossierPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	rd := access.NewReader(q, a, access.ChannelExport)
	if _, err := rd.Authorize(ctx, personID); err != nil {
		return nil, err
	}
	today := deadline.On(time.Now())
	rows, err := q.QueryContext(ctx, `SELECT `+transitionColumns+` FROM transitions t JOIN persons p ON p.id = t.person_id
		WHERE t.person_id = ? AND t.municipality_id = ? ORDER BY t.leaving_on DESC, t.id DESC`, personID, a.MunicipalityID)
	ts, err := store.Collect(rows, err, func(s store.Scanner) (Transition, error) { return scanTransition(s, today) })
	if err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT `+stayColumns+` FROM temporary_stays s JOIN persons p ON p.id = s.person_id
		WHERE s.person_id = ? AND s.municipality_id = ? ORDER BY s.start_on DESC, s.id DESC`, personID, a.MunicipalityID)
	ss, err := store.Collect(rows, err, scanStay)
	if err != nil {
		return nil, err
	}
	if len(ts)+len(ss) == 0 {
		return nil, nil
	}
	set, err := LoadSettings(ctx, q, a.MunicipalityID)
	if err != nil {
		return nil, err
	}
	type part struct {
		Transitions []access.Personal[Transition] `json:"transitions"`
		Stays       []access.Personal[Stay]       `json:"temporary_stays"`
	}
	var data part
	for _, t := range ts {
		data.Transitions = append(data.Transitions, access.Tag(personID, t, access.Basic, t.Kind.Category()))
	}
	for _, s := range ss {
		data.Stays = append(data.Stays, access.Tag(personID, set.Judge(s, today), stayCategories(s)...))
	}
	if err := rd.Send(ctx, &data); err != nil {
		return nil, err
	}
	w := personaldata.WordsOf(ctx)
	p := personaldata.Part{Key: "transition", Data: data,
		Columns: []string{w.T("transition.col.what"), w.T("transition.col.date"), w.T("transition.col.responsible"), w.T("transition.col.outcome")},
		Widths:  []float64{50, 30, 50, 40}}
	for _, x := range data.Transitions {
		if t := x.Value(); t.ID > 0 {
			p.Rows = append(p.Rows, []string{w.Code("transition.kind", t.Kind), w.Date(t.Leaving), t.ResponsibleName, w.Code("transition.outcome", outcomeCode(t.Outcome))})
		}
	}
	for _, x := range data.Stays {
		if s := x.Value(); s.ID > 0 {
			p.Rows = append(p.Rows, []string{s.Place, w.Date(s.Start), s.Owner, w.Date(s.End)})
		}
	}
	return []personaldata.Part{p}, nil
}

// outcomeCode names an outcome for the catalogue: "apen" while open.
func outcomeCode(o Outcome) string {
	if o == Open {
		return "apen"
	}
	return string(o)
}
