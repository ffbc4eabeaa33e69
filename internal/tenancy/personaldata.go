package tenancy

import (
	"context"

	"husly/internal/access"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// Tenancy's tables. Complaints, the ladder and the notices sent are
// tenancy data (access.Tenancy) and case documentation kept by the
// archive rules, so any of them blocks erasure. The complainant's name is
// a third person's data: it is kept for the staff handling the complaint
// and left out of the resident's dossier (forvaltningsloven § 13).
func init() {
	type T = personaldata.Table
	type E = personaldata.Event
	keep := func(one, many string) personaldata.Erasure {
		return personaldata.Erasure{Rule: personaldata.Blocks, One: one, Many: many, Why: personaldata.ArchiveRule}
	}
	person := personaldata.Link{Column: "person_id"}
	personaldata.Register("tenancy",
		T{Name: "tenancy_complaints", Holds: "klager og hendelser i leieforholdet: hva, kilde, når, hvem som behandler, når beboeren ble informert, og utfallet",
			Person: person, Category: access.Tenancy,
			Columns: []string{"kind", "source", "received_on", "what", "handler_name", "informed_on", "informed_how", "outcome", "closed_on"},
			Dossier: "tenancy", Erasure: keep("klage", "klager"),
			// One timeline query for complaints and ladder steps alike: the
			// person page reads every event kind, so each costs a query.
			Timeline: []E{{Kind: "bosikring", Title: "tenancy.timeline.event", Args: []personaldata.ArgKind{personaldata.Label("tenancy.timeline_item")},
				Query: `SELECT e.created_at, '', 'leieforhold', e.code FROM (SELECT created_at, kind AS code, municipality_id, person_id FROM tenancy_complaints
				UNION ALL SELECT created_at, step, municipality_id, person_id FROM tenancy_steps) e WHERE e.municipality_id = ? AND e.person_id = ?`}}},
		T{Name: "tenancy_complaint_replies", Holds: "beboerens egen side av en klage, skrevet på Min side",
			Person: person, Category: access.Tenancy, Columns: []string{"body"}, Dossier: "tenancy", Erasure: keep("svar på klage", "svar på klager")},
		T{Name: "tenancy_steps", Holds: "trinn i eskaleringen: advarsel, oppsigelse, heving, begjæring om utkastelse og utkastelse, med forebyggende tiltak",
			Person: person, Category: access.Tenancy,
			Columns: []string{"step", "issued_on", "grounds", "ground_code", "notice_months", "ends_on", "eviction_on", "preventive_action", "preventive_by_name",
				"override_reason", "status", "end_reason"},
			Dossier: "tenancy", Erasure: keep("eskaleringstrinn", "eskaleringstrinn")},
		T{Name: "tenancy_notices", Holds: "varsler om eskaleringstrinn sendt til oppfølgingsteamet og NAV",
			Person: personaldata.Link{Column: "step_id", Via: "tenancy_steps"}, Category: access.Tenancy, Columns: []string{"recipient", "phrase"},
			Dossier: "tenancy", Erasure: keep("varsel om eskalering", "varsler om eskalering")},
		T{Name: "tenancy_tenant_notices", Holds: "leietakerens egen oppsigelse og samtalen om hva flyttingen betyr",
			Person: person, Category: access.Tenancy, Columns: []string{"received_on", "moves_out_on", "owner_name", "talk_by", "talked_on", "note"},
			Dossier: "tenancy", Erasure: keep("oppsigelse fra leietaker", "oppsigelser fra leietaker")},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "tenancy",
		Sections: []personaldata.Section{{Key: "tenancy", Title: "Klager og eskalering i leieforholdet", Order: 75}}, Collect: dossierPart})
}

// dossierPart is the person's complaints (without who complained), their
// own replies, and the ladder's steps, read through the access rules and
// logged.
func dossierPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	// Most persons have no tenancy record: one statement says so.
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 AS x FROM tenancy_complaints WHERE municipality_id = ? AND person_id = ?
		UNION ALL SELECT 1 FROM tenancy_steps WHERE municipality_id = ? AND person_id = ?) t`, a.MunicipalityID, personID, a.MunicipalityID, personID).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	rd := access.NewReader(q, a, access.ChannelExport)
	g, err := rd.Authorize(ctx, personID)
	if err != nil {
		return nil, err
	}
	if !g.Allows(Category) {
		return nil, nil
	}
	cs, err := complaintsWhere(ctx, q, a.MunicipalityID, "c.person_id = ?", []any{personID}, 1000)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT DISTINCT lease_id FROM tenancy_steps WHERE municipality_id = ? AND person_id = ?", a.MunicipalityID, personID)
	leases, err := store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
	if err != nil {
		return nil, err
	}
	byLease, err := stepsOf(ctx, q, a.MunicipalityID, leases)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 && len(byLease) == 0 {
		return nil, nil
	}
	type part struct {
		Complaints []access.Personal[MyComplaint] `json:"complaints"`
		Steps      []access.Personal[LadderStep]  `json:"steps"`
	}
	var data part
	for _, c := range cs {
		data.Complaints = append(data.Complaints, access.Tag(personID, mine_(c), Category))
	}
	for _, l := range leases {
		for _, s := range byLease[l] {
			data.Steps = append(data.Steps, access.Tag(personID, s, Category))
		}
	}
	if err := rd.Send(ctx, &data); err != nil {
		return nil, err
	}
	w := personaldata.WordsOf(ctx)
	p := personaldata.Part{Key: "tenancy", Data: data, Columns: w.Col("date", "what", "status"), Widths: []float64{30, 110, 30}}
	for _, c := range data.Complaints {
		v := c.Value()
		p.Rows = append(p.Rows, []string{w.Date(v.ReceivedOn), v.What, w.Code("tenancy.kind", string(v.Kind))})
	}
	for _, s := range data.Steps {
		v := s.Value()
		p.Rows = append(p.Rows, []string{w.Date(v.IssuedOn), w.Code("tenancy.step", string(v.Step)), w.Code("tenancy.status", string(v.Status))})
	}
	return []personaldata.Part{p}, nil
}
