package caseflow

import (
	"context"
	"errors"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// The case flow's tables: every row of a case belongs to the applicant, by
// the application it hangs on. Case documents are kept by the archive
// rules, so any of them blocks erasure.
func init() {
	type T = personaldata.Table
	type E = personaldata.Event
	app := personaldata.Link{Column: "application_id", Via: "applications"}
	keep := func(one, many string) personaldata.Erasure {
		return personaldata.Erasure{Rule: personaldata.Blocks, One: one, Many: many, Why: personaldata.ArchiveRule}
	}
	personaldata.Register("caseflow",
		T{Name: "contacts", Holds: "henvendelser med bosituasjonen da",
			Person: personaldata.Link{Column: "person_id"}, Category: access.HousingNeeds,
			Columns: []string{"residence", "leaving_on", "homeless", "homeless_reason", "homeless_phrase", "summary", "transition_kind", "institution_kind"},
			// The transition ahead is read per row by what it reveals
			// (transition.Expected.Category); filed here by the strictest:
			// a treatment institution and prison are health.
			ColumnCategories: map[string]access.Category{"transition_kind": access.Health, "institution_kind": access.Health},
			Dossier:          "contacts", Erasure: keep("henvendelse", "henvendelser"),
			Timeline: []E{{Kind: "henvendelse", Title: "texts.timeline.contact", Args: []personaldata.ArgKind{personaldata.Label("case.channel")}, DetailPhrase: true,
				Query: `SELECT created_at, homeless_reason, 'boligbehov', homeless_phrase, channel FROM contacts WHERE municipality_id = ? AND person_id = ?`}}},
		T{Name: "mappings", Holds: "kartlegginger av behov, økonomi, fungering, nettverk og egne ønsker, hver versjon",
			Person: personaldata.Link{Column: "person_id"}, Category: access.HousingNeeds,
			Columns: []string{"housing_need", "service_need", "finances", "functioning", "network", "goals", "network_districts",
				"activity_wishes", "somatic_health", "children_school", "moving_needs", "home_form", "transition_kind", "institution_kind", "transition_on"},
			ColumnCategories: map[string]access.Category{"finances": access.Finances, "service_need": access.FollowUpPlan,
				"functioning": access.FollowUpPlan, "network": access.Household, "share_network": access.Household, "network_districts": access.Household,
				"activity_wishes": access.FollowUpPlan, "somatic_health": access.Health, "children_school": access.Household,
				// Read per row by what the transition reveals; filed by the strictest.
				"transition_kind": access.Health, "institution_kind": access.Health, "transition_on": access.Health},
			Dossier: "mapping", Erasure: keep("kartlegging", "kartlegginger"),
			Timeline: []E{{Kind: "kartlegging", Title: "texts.timeline.mapping", Args: []personaldata.ArgKind{personaldata.ArgText},
				Query: `SELECT created_at, goals, 'boligbehov', written_by FROM mappings WHERE municipality_id = ? AND person_id = ?`}}},
		T{Name: "eligibility_rules", Holds: "kommunens vilkår for kommunal bolig"},
		T{Name: "applications", Holds: "søknader (saken), med husstand, inntekt og formue",
			Person: personaldata.Link{Column: "person_id"}, Category: access.HousingNeeds, Columns: []string{"kind", "eligible", "eligibility", "groups"},
			// The eligibility explanation states the household's income and assets.
			ColumnCategories: map[string]access.Category{"eligibility": access.Finances},
			Dossier:          "cases", Erasure: keep("søknad", "søknader"),
			Timeline: []E{{Kind: "søknad", Title: "texts.timeline.application", Args: []personaldata.ArgKind{personaldata.ArgText, personaldata.ArgDate},
				Query: `SELECT created_at, '', 'boligbehov', case_worker, decision_due FROM applications WHERE municipality_id = ? AND person_id = ?`}}},
		T{Name: "case_requests", Holds: "opplysninger saken mangler", Person: app, Category: access.HousingNeeds,
			Columns: []string{"what"}, Dossier: "cases", Erasure: keep("etterspurt opplysning", "etterspurte opplysninger")},
		T{Name: "case_meetings", Holds: "møter i saken", Person: app, Category: access.HousingNeeds,
			Columns: []string{"participants", "summary"}, Dossier: "cases", Erasure: keep("møtereferat", "møtereferater"),
			Timeline: []E{{Kind: "møte", Title: "texts.timeline.meeting", Args: []personaldata.ArgKind{personaldata.ArgText},
				Query: `SELECT m.created_at, m.summary, 'boligbehov', m.participants FROM case_meetings m JOIN applications a ON a.id = m.application_id WHERE m.municipality_id = ? AND a.person_id = ?`}}},
		T{Name: "case_alternatives", Holds: "alternativer vurdert (startlån, bostøtte …)", Person: app, Category: access.HousingNeeds,
			Columns: []string{"kind", "outcome", "assessment"}, Dossier: "cases", Erasure: keep("vurdert alternativ", "vurderte alternativer")},
		T{Name: "interim_services", Holds: "tjenester gitt før vedtak", Person: app, Category: access.HousingNeeds,
			Columns: []string{"service", "hours_per_week"}, Dossier: "cases", Erasure: keep("midlertidig tjeneste", "midlertidige tjenester")},
		T{Name: "guidance", Holds: "råd og veiledning uten vedtak (sosialtjenesteloven § 17)", Person: app, Category: access.HousingNeeds,
			Columns: []string{"summary"}, Dossier: "cases", Erasure: keep("veiledning", "veiledninger")},
		T{Name: "decisions", Holds: "vedtak, hver versjon", Person: personaldata.Link{Column: "person_id"}, Category: access.HousingNeeds,
			Columns: []string{"outcome", "requirements", "conditions", "reasons", "amendment_reason", "coordinator_note"}, Dossier: "cases", Erasure: keep("vedtak", "vedtak"),
			Timeline: []E{{Kind: "vedtak", Title: "texts.timeline.decision",
				Args:  []personaldata.ArgKind{personaldata.ArgNumber, personaldata.Label("texts.outcome"), personaldata.ArgText},
				Query: `SELECT created_at, amendment_reason, 'boligbehov', version, outcome, decided_by FROM decisions WHERE municipality_id = ? AND person_id = ?`}}},
		T{Name: "decision_services", Holds: "tjenestene et vedtak gir", Person: personaldata.Link{Column: "decision_id", Via: "decisions"},
			Category: access.HousingNeeds, Columns: []string{"service", "hours_per_week", "as_needed_text"}, Dossier: "cases", Erasure: keep("vedtatt tjeneste", "vedtatte tjenester")},
		T{Name: "notifications", Holds: "meldinger til enhetene om saken", Person: app, Category: access.HousingNeeds,
			Columns: []string{"message", "phrase"}, Erasure: keep("melding om saken", "meldinger om saken"),
			NotInDossier: "the messages repeat to the units what the decisions say, and the decisions are in the cases part"},
		T{Name: "texts", Holds: "kommunens brevmaler og husordensregler"},
		T{Name: "lease_terms", Holds: "kommunens leieperiode per boligkategori"},
		T{Name: "house_rules", Holds: "husordensregler per bygg, i versjoner"},
		T{Name: "house_rule_comments", Holds: "beboernes merknader til utkast til husordensregler", Person: personaldata.Link{Column: "person_id"},
			Category: access.Tenancy, Columns: []string{"body"}, Dossier: "houserules", Erasure: personaldata.Erasure{Rule: personaldata.Deleted}},
		T{Name: "letters", Holds: "brev sendt i saken", Person: app, Category: access.HousingNeeds,
			Columns: []string{"kind"}, Dossier: "cases", Erasure: keep("brev", "brev"),
			Timeline: []E{{Kind: "brev", Title: "texts.timeline.letter", Args: []personaldata.ArgKind{personaldata.Label("case.letter"), personaldata.ArgText},
				Query: `SELECT b.created_at, '', 'boligbehov', b.kind, b.made_by FROM letters b JOIN applications a ON a.id = b.application_id WHERE b.municipality_id = ? AND a.person_id = ?`}}},
		T{Name: "offers", Holds: "tilbud om bolig og svaret", Person: app, Category: access.HousingNeeds,
			Columns: []string{"status", "decline_reason", "passed_over_reason"}, Dossier: "cases", Erasure: keep("tilbud", "tilbud"),
			Timeline: []E{{Kind: "tilbud", Title: "texts.timeline.offer", Args: []personaldata.ArgKind{personaldata.ArgText, personaldata.ArgText, personaldata.ArgDate},
				Query: `SELECT o.created_at, '', 'boligbehov', u.code, u.address, o.respond_by FROM offers o JOIN units u ON u.id = o.unit_id JOIN applications a ON a.id = o.application_id WHERE o.municipality_id = ? AND a.person_id = ?`}}},
		T{Name: "offer_passed_over", Holds: "søkere med høyere prioritet som ble forbigått ved et tilbud", Person: app, Category: access.HousingNeeds,
			Columns: []string{"priority"}, Dossier: "cases", Erasure: keep("forbigåelse", "forbigåelser")},
		T{Name: "legal_provisions", Holds: "kommunens hjemmelskatalog"},
		T{Name: "service_catalogue", Holds: "kommunens tjenestekatalog med enhetene som gir tjenestene"},
		T{Name: "appeals", Holds: "klager på vedtak", Person: app, Category: access.HousingNeeds,
			Columns: []string{"grounds", "reconsideration", "outcome_note", "late_reason"}, Dossier: "cases", Erasure: keep("klage", "klager"),
			Timeline: []E{
				{Kind: "klage", Title: "texts.timeline.appeal",
					Query: `SELECT x.created_at, x.grounds, 'boligbehov' FROM appeals x JOIN applications a ON a.id = x.application_id WHERE x.municipality_id = ? AND a.person_id = ? AND NOT x.late`},
				{Kind: "klage", Title: "texts.timeline.appeal_late",
					Query: `SELECT x.created_at, x.grounds, 'boligbehov' FROM appeals x JOIN applications a ON a.id = x.application_id WHERE x.municipality_id = ? AND a.person_id = ? AND x.late`},
			}},
		T{Name: "lease_inspections", Holds: "befaring ved inn- og utflytting", Person: personaldata.Link{Column: "lease_id", Via: "leases"},
			Category: access.Tenancy, Columns: []string{"items"}, Dossier: "cases", Erasure: keep("befaring", "befaringer")},
		T{Name: "application_drafts", Holds: "beboerens eget søknadsutkast", Person: personaldata.Link{Column: "person_id"}, Category: access.HousingNeeds,
			Columns: []string{"body"}, Erasure: keep("søknadsutkast", "søknadsutkast"),
			NotInDossier: "the draft is the resident's own, shown on Min side until sent; once sent it is an application in the cases part"},
		T{Name: "attachments", Holds: "vedlegg til søknaden", Person: personaldata.Link{Column: "draft_id", Via: "application_drafts"},
			Category: access.HousingNeeds, Columns: []string{"filename", "data"}, Dossier: "cases", Erasure: keep("vedlegg", "vedlegg")},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "caseflow", Sections: []personaldata.Section{
		{Key: "contacts", Title: "Henvendelser", Order: 44},
		{Key: "mapping", Title: "Kartlegging", Order: 46},
		{Key: "cases", Title: "Saker", Order: 50},
		{Key: "houserules", Title: "Merknader til husordensregler", Order: 52},
	}, Collect: dossierParts})
}

// dossierParts are the person's first contacts, the mapping in force and
// every case, as far as the actor may see them; each read is logged as an
// export.
func dossierParts(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	var parts []personaldata.Part
	w := personaldata.WordsOf(ctx)
	contacts, err := Contacts(ctx, q, a, personID, access.ChannelExport)
	switch {
	case errors.Is(err, access.ErrForbidden):
	case err != nil:
		return nil, err
	case len(contacts) > 0:
		p := personaldata.Part{Key: "contacts", Data: contacts, Columns: w.Col("date", "channel", "residence", "homeless"), Widths: []float64{22, 38, 62, 48}}
		for _, c := range contacts {
			homeless := w.T("dossier.value.no")
			if c.Homeless {
				homeless = w.T("dossier.value.yes_because", c.HomelessReason)
			}
			p.Rows = append(p.Rows, []string{w.Date(c.Received), w.Code("case.channel", c.Channel), w.Code("case.residence", c.Residence), homeless})
		}
		parts = append(parts, p)
	}
	m, err := LatestMapping(ctx, q, a, personID, access.ChannelExport)
	if err != nil {
		return nil, err
	}
	if m.ID != 0 {
		p := personaldata.Part{Key: "mapping", Data: m}
		homeForm := ""
		if m.HomeForm != "" {
			homeForm = w.Code("lawb.map.homeform", m.HomeForm)
		}
		for _, f := range [][2]string{{"housing_need", m.HousingNeed}, {"service_need", m.ServiceNeed}, {"finances", m.Finances},
			{"functioning", m.Functioning}, {"network", m.Network}, {"goals", m.Goals}, {"want_districts", m.WantDistricts}, {"avoid_districts", m.AvoidDistricts},
			{"activity", m.ActivityWishes}, {"somatic_health", m.SomaticHealth}, {"children_school", m.ChildrenSchool},
			{"moving_needs", m.MovingNeeds}, {"home_form", homeForm}} {
			if f[1] != "" {
				p.Facts = append(p.Facts, w.Fact(f[0], f[1]))
			}
		}
		p.Lines = []string{w.T("dossier.line.mapping_by", m.WrittenBy, m.OrgUnit)}
		parts = append(parts, p)
	}
	cases, err := PersonCases(ctx, q, a, personID, deadline.On(time.Now()), access.ChannelExport)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		heading, lines := c.SummaryIn(w)
		parts = append(parts, personaldata.Part{Key: "cases", Heading: heading, Lines: lines, Data: c})
	}
	comments, err := personComments(ctx, q, a, personID)
	if err != nil {
		return nil, err
	}
	if len(comments) > 0 {
		p := personaldata.Part{Key: "houserules", Data: comments, Columns: w.Col("date", "building", "comment"), Widths: []float64{30, 50, 90}}
		for _, c := range comments {
			p.Rows = append(p.Rows, []string{w.Day(c.At), c.Building, c.Body})
		}
		parts = append(parts, p)
	}
	return parts, nil
}

// personComment is one of a person's comments on house rules.
type personComment struct {
	Building string    `json:"building"`
	Version  int       `json:"version"`
	Body     string    `json:"body"`
	At       time.Time `json:"created_at"`
}

// personComments are a person's comments on house rules, for the dossier,
// read through the access reader with the tenancy category.
func personComments(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personComment, error) {
	rd := access.NewReader(q, a, access.ChannelExport)
	if err := readerAllows(ctx, rd, personID, access.Tenancy); errors.Is(err, access.ErrForbidden) || errors.Is(err, access.ErrNoRelationship) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT b.name, r.version, c.body, c.created_at FROM house_rule_comments c JOIN house_rules r ON r.id = c.house_rules_id
		JOIN buildings b ON b.id = r.building_id WHERE c.municipality_id = ? AND c.person_id = ? ORDER BY c.id`, a.MunicipalityID, personID)
	cs, err := store.Collect(rows, err, func(s store.Scanner) (c personComment, err error) {
		err = s.Scan(&c.Building, &c.Version, &c.Body, store.ScanTime(&c.At))
		return c, err
	})
	if err != nil || len(cs) == 0 {
		return cs, err
	}
	if err := rd.Plain(personID, access.Tenancy); err != nil {
		return nil, err
	}
	return cs, rd.Send(ctx, &cs)
}
