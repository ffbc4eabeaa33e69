package homecheck

import (
	"context"

	"husly/internal/access"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// The visits' tables: documentation of the tenancy kept by the archive
// rules, so they block erasure.
func init() {
	type T = personaldata.Table
	type E = personaldata.Event
	keep := func(one, many string) personaldata.Erasure {
		return personaldata.Erasure{Rule: personaldata.Blocks, One: one, Many: many, Why: personaldata.ArchiveRule}
	}
	personaldata.Register("homecheck",
		T{Name: "home_checks", Holds: "besøk etter innflytting og boligkontroller: hvilket leieforhold, når og hvem",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Tenancy, Columns: []string{"kind", "done_on", "done_by"},
			Dossier: "homecheck", Erasure: keep("boligbesøk", "boligbesøk"),
			Timeline: []E{{Kind: "boligbesøk", Title: "transition.timeline.check", Args: []personaldata.ArgKind{personaldata.Label("transition.check.kind")},
				Query: `SELECT created_at, '', 'leieforhold', kind FROM home_checks WHERE municipality_id = ? AND person_id = ?`}}},
		// An item's category is decided by the item (Item.Category) and
		// kept in its category column; the reads tag each row with it.
		T{Name: "home_check_items", Holds: "sjekklistens punkter: i orden eller funn med notat, og oppgaven funnet ble",
			Person: personaldata.Link{Column: "check_id", Via: "home_checks"}, Columns: []string{"item", "finding", "note", "done_on", "done_by"},
			Dossier: "homecheck", Erasure: keep("funn", "funn")},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "homecheck",
		Sections: []personaldata.Section{{Key: "homecheck", Title: "Besøk i boligen", Order: 76}}, Collect: dossierPart})
}

// dossierPart is the visits made with the person and their findings.
func dossierPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	rd := access.NewReader(q, a, access.ChannelExport)
	if _, err := rd.Authorize(ctx, personID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+taskColumns+` FROM home_check_items i JOIN home_checks c ON c.id = i.check_id
		JOIN leases l ON l.id = c.lease_id JOIN units u ON u.id = l.unit_id JOIN persons p ON p.id = c.person_id
		WHERE c.person_id = ? AND c.municipality_id = ? ORDER BY c.done_on DESC, i.id`, personID, a.MunicipalityID)
	list, err := store.Collect(rows, err, scanTask)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	data := make([]access.Personal[Task], len(list))
	for i, t := range list {
		_, cats := taskAbout(t)
		data[i] = access.Tag(personID, t, cats...)
	}
	if err := rd.Send(ctx, &data); err != nil {
		return nil, err
	}
	w := personaldata.WordsOf(ctx)
	p := personaldata.Part{Key: "homecheck", Data: data,
		Columns: []string{w.T("transition.col.date"), w.T("transition.col.item"), w.T("transition.col.note"), w.T("transition.col.done")},
		Widths:  []float64{30, 45, 65, 30}}
	for _, x := range data {
		if t := x.Value(); t.ID > 0 {
			p.Rows = append(p.Rows, []string{w.Date(t.Found), w.Code("transition.check.item", t.Item), t.Note, w.Date(t.DoneOn)})
		}
	}
	return []personaldata.Part{p}, nil
}
