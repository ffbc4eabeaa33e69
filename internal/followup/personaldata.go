package followup

import (
	"context"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// staffOnly is why a table that names staff by user id holds no personal
// data about the persons the services know.
const staffOnly = "viser bare til ansatte (teammedlemmer og hvem som endret), ikke til personene tjenestene følger"

// Follow-up's tables. Follow-up records are health and care documentation
// kept by the archive rules, so any of them blocks erasure.
func init() {
	type T = personaldata.Table
	type E = personaldata.Event
	keep := func(one, many string) personaldata.Erasure {
		return personaldata.Erasure{Rule: personaldata.Blocks, One: one, Many: many, Why: personaldata.ArchiveRule}
	}
	fu := personaldata.Link{Column: "followup_id", Via: "followups"}
	personaldata.Register("followup",
		T{Name: "followup_norms", Holds: "kommunens normer for saksmengde og kontakthyppighet per modell"},
		T{Name: "followup_teams", Holds: "tjenester og team som gir oppfølging i bolig"},
		T{Name: "followup_members", Holds: "teamenes medlemmer med rolle og stillingsandel", NotAboutPerson: staffOnly},
		T{Name: "followups", Holds: "hvem som følger opp beboeren, hvor tett, og beboerens eget utsagn ved avslutning",
			Person: personaldata.Link{Column: "person_id"}, Category: access.FollowUpPlan,
			Columns: []string{"basis", "service_code", "primary_name", "coordinator_name", "start_on", "intensity", "status", "door_channel",
				"ask_again_on", "declined_statement", "ended_on", "end_statement", "end_reason", "last_met_on"},
			Dossier: "followup", Erasure: keep("oppfølging", "oppfølginger"),
			Timeline: []E{{Kind: "oppfølging", Query: `SELECT f.created_at, 'Oppfølging startet: ' || t.name, 'Primærkontakt ' || f.primary_name, 'oppfolging'
				FROM followups f JOIN followup_teams t ON t.id = f.team_id WHERE f.municipality_id = ? AND f.person_id = ?`}}},
		T{Name: "followup_board", Holds: "merking på teamets tavle med grunn og sluttdato", Person: fu, Category: access.FollowUpPlan,
			Columns: []string{"reason", "from_on", "until_on"}, Dossier: "followup", Erasure: keep("tavlemerking", "tavlemerkinger")},
		// A contact's note is filed under its own category (helse, rus,
		// leieforhold …) in note_category, decided per row; the reads tag
		// it with that category.
		T{Name: "followup_contacts", Holds: "kontakter med beboeren: måte, dag, varighet og et kort notat i sin kategori",
			Person: personaldata.Link{Column: "person_id"}, Category: access.FollowUpPlan,
			Columns: []string{"kind", "contact_on", "minutes", "met", "risky", "note"},
			Dossier: "followup", Erasure: keep("kontakt", "kontakter"),
			Timeline: []E{{Kind: "kontakt", Query: `SELECT created_at, 'Kontakt i oppfølgingen (' || kind || ')', recorded_by, 'oppfolging'
				FROM followup_contacts WHERE municipality_id = ? AND person_id = ?`}}},
		T{Name: "followup_contact_staff", Holds: "hvilke ansatte som var med på en kontakt",
			Person: personaldata.Link{Column: "contact_id", Via: "followup_contacts"}, Category: access.FollowUpPlan, Columns: []string{"name"},
			Dossier: "followup", Erasure: keep("deltaker i kontakt", "deltakere i kontakter")},
		T{Name: "followup_appointments", Holds: "hjelp med avtaler hos fastlege, behandler, NAV og andre", Person: fu, Category: access.FollowUpPlan,
			Columns: []string{"with_kind", "what", "on_day"}, ColumnCategories: map[string]access.Category{"with_kind": access.Health, "what": access.Health},
			Dossier: "followup", Erasure: keep("avtalehjelp", "avtalehjelp")},
		T{Name: "hf_pipeline", Holds: "Housing First-løpet: henvisning, kartlegging, deltakeravtale, i bolig, oppfølging, og deltakerens valg av bolig",
			Person: personaldata.Link{Column: "person_id"}, Category: access.FollowUpPlan,
			Columns:          []string{"referred_on", "referred_by", "mapped_on", "agreement_on", "housed_on", "followup_on", "home_choice"},
			ColumnCategories: map[string]access.Category{"home_choice": access.HousingNeeds},
			Dossier:          "followup", Erasure: keep("Housing First-løp", "Housing First-løp")},
		T{Name: "followup_observations", Holds: "observasjoner fra eiendom og vaktmestere til oppfølgingsteamet, med svaret",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Tenancy, Columns: []string{"kind", "body", "reply"},
			Dossier: "followup", Erasure: keep("observasjon", "observasjoner")},
		// A measure on medication or observation is health data; the reads
		// tag each row by its kind.
		T{Name: "followup_restrictions", Holds: "rettighetsbegrensende tiltak med hjemmel, periode, når beboeren ble informert og ny vurdering",
			Person: personaldata.Link{Column: "person_id"}, Category: access.FollowUpPlan,
			Columns:          []string{"kind", "description", "legal_basis", "from_on", "until_on", "review_on", "informed_on"},
			ColumnCategories: map[string]access.Category{"description": access.Health},
			Dossier:          "followup", Erasure: keep("rettighetsbegrensende tiltak", "rettighetsbegrensende tiltak")},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "followup",
		Sections: []personaldata.Section{{Key: "followup", Title: "Oppfølging i bolig", Order: 70}}, Collect: dossierPart})
}

// dossierPart is the person's follow-ups and contacts: what they were
// given, by whom, and the notes their own access reveals. It is read
// through the access rules and logged like any read.
func dossierPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	rd := access.NewReader(q, a, access.ChannelExport)
	g, err := rd.Authorize(ctx, personID)
	if err != nil {
		return nil, err
	}
	if !g.Allows(access.FollowUpPlan) {
		return nil, nil
	}
	norms, err := Norms(ctx, q, a.MunicipalityID)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+followUpColumns+` FROM followups f JOIN followup_teams t ON t.id = f.team_id
		WHERE f.person_id = ? AND f.municipality_id = ? ORDER BY f.start_on DESC, f.id DESC`, personID, a.MunicipalityID)
	fs, err := store.Collect(rows, err, func(s store.Scanner) (FollowUp, error) { return scanFollowUp(s, norms) })
	if err != nil {
		return nil, err
	}
	type item struct {
		FollowUp access.Personal[FollowUp]  `json:"followup"`
		Contacts []access.Personal[Contact] `json:"contacts"`
	}
	type part struct {
		FollowUps    []item                         `json:"followups"`
		Restrictions []access.Personal[Restriction] `json:"restrictions"`
		Pipeline     []access.Personal[Entry]       `json:"housing_first"`
		Observations []access.Personal[Observation] `json:"observations"`
	}
	items := make([]item, len(fs))
	for i, f := range fs {
		cs, err := contactsOf(ctx, q, a.MunicipalityID, f, 500)
		if err != nil {
			return nil, err
		}
		items[i] = item{access.Tag(personID, f, access.FollowUpPlan), cs}
	}
	rs, err := restrictionsOf(ctx, q, a.MunicipalityID, "r.person_id = ?", personID)
	if err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT `+entryColumns+` FROM hf_pipeline WHERE person_id = ? AND municipality_id = ? ORDER BY id`, personID, a.MunicipalityID)
	pipeline, err := store.Collect(rows, err, func(s store.Scanner) (access.Personal[Entry], error) {
		e, err := scanEntry(s)
		return access.Tag(personID, e, access.FollowUpPlan, access.HousingNeeds), err
	})
	if err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, kind, body, reported_on, reported_by, handled_on, handled_by, reply FROM followup_observations
		WHERE person_id = ? AND municipality_id = ? ORDER BY reported_on DESC, id DESC`, personID, a.MunicipalityID)
	observations, err := store.Collect(rows, err, func(s store.Scanner) (access.Personal[Observation], error) {
		o := Observation{PersonID: personID}
		err := s.Scan(&o.ID, &o.Kind, &o.Body, &o.ReportedOn, &o.ReportedBy, &o.HandledOn, &o.HandledBy, &o.Reply)
		return access.Tag(personID, o, access.Tenancy), err
	})
	if err != nil {
		return nil, err
	}
	if len(fs)+len(rs)+len(pipeline)+len(observations) == 0 {
		return nil, nil
	}
	data := part{FollowUps: items, Restrictions: tagRestrictions(rs, deadline.On(time.Now())), Pipeline: pipeline, Observations: observations}
	if err := rd.Send(ctx, &data); err != nil {
		return nil, err
	}
	items = data.FollowUps
	w := personaldata.WordsOf(ctx)
	p := personaldata.Part{Key: "followup", Data: data, Columns: w.Col("service", "primary", "from", "status", "contacts"), Widths: []float64{50, 40, 22, 25, 33}}
	for _, it := range items {
		f := it.FollowUp.Value()
		p.Rows = append(p.Rows, []string{f.TeamName, f.PrimaryName, w.Date(f.StartOn), w.Code("followup.status", f.Status), w.Number(float64(len(it.Contacts)))})
	}
	return []personaldata.Part{p}, nil
}
