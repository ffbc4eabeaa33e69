package arrears

import (
	"context"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// Arrears' tables. Dues and conversations are the municipality's records
// as landlord and are kept by the archive rules (arkivlova § 6 and the
// bookkeeping act's five years, bokføringsloven § 13), so they block
// erasure.
func init() {
	keep := func(one, many string) personaldata.Erasure {
		return personaldata.Erasure{Rule: personaldata.Blocks, One: one, Many: many, Why: personaldata.ArchiveRule}
	}
	type T = personaldata.Table
	personaldata.Register("arrears",
		T{Name: "arrears_practice", Holds: "kommunens frist for samtale om restanse, med kilde"},
		T{Name: "arrears_batches", Holds: "bunker mottatt fra økonomisystemet: id, antall linjer og resultat"},
		T{Name: "arrears_dues", Holds: "forfall leietakeren ikke har betalt: leieforhold, type, forfallsdato, beløp og utestående",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Finances,
			Columns: []string{"due_ref", "kind", "due_on", "amount", "outstanding", "paid_on"},
			Dossier: "arrears", Erasure: keep("restanse", "restanser")},
		T{Name: "arrears_changes", Holds: "endringer i utestående beløp fra senere bunker",
			Person: personaldata.Link{Column: "due_id", Via: "arrears_dues"}, Category: access.Finances,
			Columns: []string{"before_ore", "after_ore"}, Dossier: "arrears", Erasure: keep("endring i restanse", "endringer i restanser")},
		T{Name: "arrears_conversations", Holds: "samtalen med leietakeren før inkasso: frist, hvem, utfall, notat, varsel til NAV og inkasso",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Finances,
			Columns: []string{"first_due_on", "due_on", "assignee_name", "status", "outcome", "note", "held_on", "nav_notified", "nav_basis",
				"nav_legal_basis", "collection_on", "collection_reason", "settled_on"},
			ColumnCategories: map[string]access.Category{"first_due_on": access.Tenancy, "due_on": access.Tenancy, "assignee_name": access.Tenancy, "status": access.Tenancy},
			Dossier:          "arrears", Erasure: keep("restansesamtale", "restansesamtaler"),
			Timeline: []personaldata.Event{{Kind: "restansesamtale", Title: "arrears.timeline.conversation", Args: []personaldata.ArgKind{personaldata.ArgDate},
				Query: `SELECT created_at, '', 'leieforhold', first_due_on FROM arrears_conversations WHERE municipality_id = ? AND person_id = ?`}}},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "arrears",
		Sections: []personaldata.Section{{Key: "arrears", Title: "Restanser og samtaler før inkasso", Order: 75}}, Collect: dossierPart})
}

// dossierPart is the person's dues and conversations, read through the
// access rules and logged like any read.
func dossierPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	rd := access.NewReader(q, a, access.ChannelExport)
	g, err := rd.Authorize(ctx, personID)
	if err != nil {
		return nil, err
	}
	if !g.Allows(access.Finances) {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, person_id, COALESCE(due_ref, ''), kind, due_on, amount, outstanding, paid_on, registered_by FROM arrears_dues
		WHERE person_id = ? AND municipality_id = ? ORDER BY due_on DESC, id DESC`, personID, a.MunicipalityID)
	dues, err := store.Collect(rows, err, func(s store.Scanner) (access.Personal[Due], error) {
		var d Due
		err := s.Scan(&d.ID, &d.PersonID, &d.Ref, &d.Kind, &d.DueOn, &d.Amount, &d.Outstanding, &d.PaidOn, &d.RegisteredBy)
		return access.Tag(personID, d, access.Finances), err
	})
	if err != nil {
		return nil, err
	}
	today := deadline.Date{}
	rows, err = q.QueryContext(ctx, `SELECT `+conversationColumns+` FROM arrears_conversations c JOIN persons p ON p.id = c.person_id
		JOIN leases l ON l.id = c.lease_id LEFT JOIN units u ON u.id = l.unit_id
		WHERE c.person_id = ? AND c.municipality_id = ? ORDER BY c.id DESC`, personID, a.MunicipalityID)
	convs, err := store.Collect(rows, err, func(s store.Scanner) (Row, error) {
		c, h, name, err := scanConversation(s, today)
		return Row{Name: access.Tag(personID, name, access.Basic), Conversation: access.Tag(personID, c, access.Tenancy),
			Held: access.Tag(personID, h, access.Finances)}, err
	})
	if err != nil {
		return nil, err
	}
	if len(dues)+len(convs) == 0 {
		return nil, nil
	}
	type part struct {
		Dues          []access.Personal[Due] `json:"dues"`
		Conversations []Row                  `json:"conversations"`
	}
	data := part{Dues: dues, Conversations: convs}
	if err := rd.Send(ctx, &data); err != nil {
		return nil, err
	}
	w := personaldata.WordsOf(ctx)
	p := personaldata.Part{Key: "arrears", Data: data, Columns: []string{w.T("arrears.col.due_on"), w.T("arrears.col.kind"), w.T("arrears.col.amount"), w.T("arrears.col.outstanding")}, Widths: []float64{40, 40, 45, 45}}
	for _, d := range data.Dues {
		v := d.Value()
		p.Rows = append(p.Rows, []string{w.Date(v.DueOn), w.Code("arrears.kind", string(v.Kind)), w.Number(float64(v.Amount) / 100), w.Number(float64(v.Outstanding) / 100)})
	}
	return []personaldata.Part{p}, nil
}
