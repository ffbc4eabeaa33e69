package allocation

import (
	"husly/internal/access"
	"husly/internal/personaldata"
)

// Allocation's tables: rules, schedules and meetings are the
// municipality's; a meeting's agenda item is about one applicant.
func init() {
	personaldata.Register("allocation",
		personaldata.Table{Name: "priority_rules", Holds: "prioriteringsregler, hver versjon"},
		personaldata.Table{Name: "meeting_schedules", Holds: "når tildelingsmøtet holdes og hvem som må være der"},
		personaldata.Table{Name: "meetings", Holds: "tildelingsmøter"},
		personaldata.Table{Name: "meeting_attendance", Holds: "hvilke enheter og ansatte som var til stede"},
		personaldata.Table{Name: "meeting_items", Holds: "sakene i tildelingsmøtet: forslag, poeng, begrunnelser og møtets beslutning",
			Person: personaldata.Link{Column: "application_id", Via: "applications"}, Category: access.HousingNeeds,
			Columns:      []string{"score", "reasons", "alternatives", "decision", "decision_reason"},
			NotInDossier: "ikke med ennå: tildelingsmøtets behandling vises i saken som tilbudet den førte til, men ikke poeng og begrunnelser",
			Erasure:      personaldata.Erasure{Rule: personaldata.Blocks, One: "behandling i tildelingsmøte", Many: "behandlinger i tildelingsmøter", Why: personaldata.ArchiveRule}},
		personaldata.Table{Name: "unit_agreements", Holds: "avtaler om boliger mellom kommuner"},
	)
}
