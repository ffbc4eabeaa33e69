package allocation

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// Allocation's tables: rules, schedules and meetings are the
// municipality's; a meeting's agenda item is about one applicant.
// staffOnly is why a table that names the staff member who made a row, by
// user id, holds no personal data about the persons the services know.
const staffOnly = "viser bare til den ansatte som gjorde endringen, ikke til personene tjenestene kjenner"

func init() {
	personaldata.Register("allocation",
		personaldata.Table{Name: "priority_rules", Holds: "prioriteringsregler, hver versjon", NotAboutPerson: staffOnly},
		personaldata.Table{Name: "meeting_schedules", Holds: "når tildelingsmøtet holdes og hvem som må være der"},
		personaldata.Table{Name: "meetings", Holds: "tildelingsmøter", NotAboutPerson: staffOnly},
		personaldata.Table{Name: "meeting_attendance", Holds: "hvilke enheter og ansatte som var til stede"},
		personaldata.Table{Name: "meeting_items", Holds: "sakene i tildelingsmøtet: forslag, poeng, begrunnelser og møtets beslutning",
			Person: personaldata.Link{Column: "application_id", Via: "applications"}, Category: access.HousingNeeds,
			Columns: []string{"score", "reasons", "reason_phrases", "alternatives", "decision", "decision_reason"}, Dossier: "allocation",
			Erasure: personaldata.Erasure{Rule: personaldata.Blocks, One: "behandling i tildelingsmøte", Many: "behandlinger i tildelingsmøter", Why: personaldata.ArchiveRule}},
		personaldata.Table{Name: "unit_agreements", Holds: "avtaler om boliger mellom kommuner", NotAboutPerson: staffOnly},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "allocation",
		Sections: []personaldata.Section{{Key: "allocation", Title: "Behandling i tildelingsmøter", Order: 55}}, Collect: dossierPart})
}

// PersonItem is one time the person's case was on an allocation
// meeting's agenda.
type PersonItem struct {
	HeldOn         deadline.Date `json:"held_on"`
	ApplicationID  int64         `json:"application_id"`
	UnitCode       string        `json:"unit_code,omitempty"`
	UnitAddress    string        `json:"unit_address,omitempty"`
	Score          float64       `json:"score"`
	Reasons        []string      `json:"reasons"`
	Decision       Verdict       `json:"decision"`
	DecisionReason string        `json:"decision_reason"`
}

// dossierPart is how allocation meetings treated the person's cases: the
// proposal, the points and why, and the meeting's decision. It needs the
// housing-needs category, like the cases themselves, and is logged.
func dossierPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]personaldata.Part, error) {
	rd := access.NewReader(q, a, access.ChannelExport)
	g, err := rd.Authorize(ctx, personID)
	if err != nil {
		return nil, err
	}
	if !g.Allows(access.HousingNeeds) {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT m.held_on, i.application_id, COALESCE(u.code, ''), COALESCE(u.address, ''), i.score, i.reasons,
		i.decision, i.decision_reason FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id JOIN applications ap ON ap.id = i.application_id
		LEFT JOIN units u ON u.id = i.unit_id WHERE i.municipality_id = ? AND ap.person_id = ? ORDER BY m.held_on DESC, i.id DESC`, a.MunicipalityID, personID)
	items, err := store.Collect(rows, err, func(s store.Scanner) (x access.Personal[PersonItem], err error) {
		var it PersonItem
		var reasons string
		if err := s.Scan(&it.HeldOn, &it.ApplicationID, &it.UnitCode, &it.UnitAddress, &it.Score, &reasons, &it.Decision, &it.DecisionReason); err != nil {
			return x, err
		}
		err = json.Unmarshal([]byte(reasons), &it.Reasons)
		return access.Tag(personID, it, access.HousingNeeds), err
	})
	if err != nil || len(items) == 0 {
		return nil, err
	}
	if err := rd.Send(ctx, &items); err != nil {
		return nil, err
	}
	w := personaldata.WordsOf(ctx)
	p := personaldata.Part{Key: "allocation", Data: items, Columns: w.Col("meeting", "case", "proposed", "score", "decision"), Widths: []float64{22, 15, 55, 18, 60}}
	for _, item := range items {
		x := item.Value()
		decision := w.Code("allocation.decision", cmp.Or(string(x.Decision), "none"))
		if x.DecisionReason != "" {
			decision += ": " + x.DecisionReason
		}
		p.Rows = append(p.Rows, []string{w.Date(x.HeldOn), fmt.Sprint(x.ApplicationID), x.UnitCode + " " + x.UnitAddress, w.Number(x.Score), decision})
	}
	return []personaldata.Part{p}, nil
}
