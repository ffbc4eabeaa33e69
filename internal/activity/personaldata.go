package activity

import (
	"context"

	"husly/internal/access"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// The calendar's tables. An activity names no one; a sign-up tells that a
// person takes part in a team's activity, and so that they are in a
// service: it is follow-up data (access.FollowUpPlan), which property
// staff and case workers do not see. Sign-ups to voluntary activities are
// no case documents the archive rules keep, so erasing the person deletes
// them.
func init() {
	personaldata.Register("activity",
		personaldata.Table{Name: "activities", Holds: "aktiviteter og boligskolekurs et team tilbyr: tittel, type, dag, sted og plasser",
			NotAboutPerson: "viser bare til den ansatte som la aktiviteten i kalenderen, ikke til dem som deltar"},
		personaldata.Table{Name: "activity_signups", Holds: "hvem som er påmeldt en aktivitet eller et kurs, om de trakk seg, og om de kom",
			Person: personaldata.Link{Column: "person_id"}, Category: access.FollowUpPlan,
			Columns: []string{"status", "by_resident", "signed_up_on", "signed_by", "withdrawn_on", "attended", "attendance_by"},
			Dossier: "activity", Erasure: personaldata.Erasure{Rule: personaldata.Deleted}},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "activity",
		Sections: []personaldata.Section{{Key: "activity", Title: "Aktiviteter og kurs", Order: 72}}, Collect: dossierPart})
}

// dossierPart is the person's sign-ups: which activity, when, and whether
// they came. It is read through the access rules and logged.
func dossierPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	rd := access.NewReader(q, a, access.ChannelExport)
	g, err := rd.Authorize(ctx, personID)
	if err != nil {
		return nil, err
	}
	if !g.Allows(access.FollowUpPlan) {
		return nil, nil
	}
	list, err := signups(ctx, q, a.MunicipalityID, "s.person_id = ?", personID)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, s := range list {
		ids[i] = s.ActivityID
	}
	in, args := store.In(ids)
	found, err := activities(ctx, q, a.MunicipalityID, "a.id IN "+in, args...)
	if err != nil {
		return nil, err
	}
	acts := map[int64]Activity{}
	for _, act := range found {
		acts[act.ID] = act
	}
	type row struct {
		Activity Activity                `json:"activity"`
		Signup   access.Personal[Signup] `json:"signup"`
	}
	data := struct {
		Signups []row `json:"signups"`
	}{}
	for _, s := range list {
		data.Signups = append(data.Signups, row{acts[s.ActivityID], tag(s)})
	}
	if err := rd.Send(ctx, &data); err != nil {
		return nil, err
	}
	w := personaldata.WordsOf(ctx)
	p := personaldata.Part{Key: "activity", Data: data, Columns: []string{w.T("activity.col.title"), w.T("activity.col.day"), w.T("activity.col.status"), w.T("activity.col.attended")},
		Widths: []float64{70, 30, 40, 30}}
	for _, r := range data.Signups {
		s := r.Signup.Value()
		came := "–"
		if s.Attended != nil && *s.Attended {
			came = w.T("activity.attended.yes")
		} else if s.Attended != nil {
			came = w.T("activity.attended.no")
		}
		p.Rows = append(p.Rows, []string{r.Activity.Title, w.Date(r.Activity.On), w.Code("activity.status", s.Status), came})
	}
	return []personaldata.Part{p}, nil
}
