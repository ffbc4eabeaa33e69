package workenv

import (
	"context"

	"husly/internal/access"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// staffOnly is why the staff register's tables hold no personal data
// about the persons the services know: they name staff by user id.
const staffOnly = "gjelder de ansatte (kompetanse, opplæring, veiledning og HMS), ikke personene tjenestene følger"

// The register's tables. Only a risk assessment for visits can name a
// resident; it is follow-up data (Category): it tells that the team
// follows the resident and judges visits to the home risky, which
// property staff, who see tenancy data, must not learn. It is part of
// the team's documentation of the service and kept by the archive rules.
func init() {
	personaldata.Register("workenv",
		personaldata.Table{Name: "staff_competences", Holds: "de ansattes kompetanse: hva, når tatt og når den utløper", NotAboutPerson: staffOnly},
		personaldata.Table{Name: "staff_training", Holds: "teamets opplæringsplan: hvilken kompetanse, for hvem og hvor ofte"},
		personaldata.Table{Name: "staff_supervisions", Holds: "veiledningslogg: dag, individuell eller gruppe, og hvem som veiledet"},
		personaldata.Table{Name: "staff_supervision_members", Holds: "hvilke ansatte som fikk veiledning", NotAboutPerson: staffOnly},
		personaldata.Table{Name: "hms_rounds", Holds: "årlig HMS-runde med funn"},
		personaldata.Table{Name: "hms_measures", Holds: "tiltak fra HMS-runden med ansvarlig og frist", NotAboutPerson: staffOnly},
		personaldata.Table{Name: "visit_risks", Holds: "risikovurdering før hjemmebesøk: vurderingen, om det kreves to ansatte, andre tiltak og ny vurdering",
			Person: personaldata.Link{Column: "person_id"}, Category: Category,
			Columns: []string{"address", "assessment", "two_staff", "measures", "assessed_on", "review_on"},
			Dossier: "visit_risk",
			Erasure: personaldata.Erasure{Rule: personaldata.Blocks, One: "risikovurdering", Many: "risikovurderinger", Why: personaldata.ArchiveRule}},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "workenv",
		Sections: []personaldata.Section{{Key: "visit_risk", Title: "Risikovurdering før besøk", Order: 74}}, Collect: dossierPart})
}

// dossierPart is the assessments of the person's home made about them:
// they have the right to see what is recorded (personvernforordningen
// art. 15). Read through the access rules and logged.
func dossierPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	rd := access.NewReader(q, a, access.ChannelExport)
	g, err := rd.Authorize(ctx, personID)
	if err != nil {
		return nil, err
	}
	if !g.Allows(Category) {
		return nil, nil
	}
	list, err := risks(ctx, q, a.MunicipalityID, "v.person_id = ?", personID)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	data := struct {
		Risks []access.Personal[Risk] `json:"risk_assessments"`
	}{}
	for _, r := range list {
		data.Risks = append(data.Risks, access.Tag(personID, r, access.Basic, Category))
	}
	if err := rd.Send(ctx, &data); err != nil {
		return nil, err
	}
	w := personaldata.WordsOf(ctx)
	p := personaldata.Part{Key: "visit_risk", Data: data, Columns: []string{w.T("workenv.risk.assessed"), w.T("workenv.risk.assessment"), w.T("workenv.risk.two_staff"), w.T("workenv.risk.review")},
		Widths: []float64{25, 90, 25, 25}}
	for _, x := range data.Risks {
		r := x.Value()
		two := w.T("workenv.no")
		if r.TwoStaff {
			two = w.T("workenv.yes")
		}
		p.Rows = append(p.Rows, []string{w.Date(r.AssessedOn), r.Assessment, two, w.Date(r.ReviewOn)})
	}
	return []personaldata.Part{p}, nil
}
