// Package homecheck keeps the visits after moving in and the periodic
// home checks: a checklist of the neighbours, the home's technical state
// (damp, damage, fire safety) and furniture and practical needs, each item
// ok or a finding with a note. A finding is a task for property staff
// (technical) or the follow-up team (the rest) until it is done. Seed 002
// (Bergen): "Oppfølgingsbesøk etter innflytting gir oss tidlig innsikt i
// hvordan boligforløpet utarter seg, og hvordan naboforholdet fungerer …
// Vi fokuserer også på boligens tekniske stand og kan for eksempel avdekke
// fuktproblemer eller skadeverk."
package homecheck

import (
	"errors"
	"strings"
	"time"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

// ErrNotFound is returned for an id that is not in the actor's municipality.
var ErrNotFound = errors.New("homecheck: not found")

// Answer is one item's result.
type Answer struct {
	Item    Item   `json:"item"`
	Finding bool   `json:"finding"`
	Note    string `json:"note,omitempty"`
}

// Input is a visit or check as recorded.
type Input struct {
	LeaseID  int64         `json:"lease_id"`
	PersonID int64         `json:"person_id"`
	Kind     Kind          `json:"kind"`
	On       deadline.Date `json:"done_on"`
	Answers  []Answer      `json:"items"`
}

// Check lists what is wrong, naming the field or item.
func (in *Input) Check(today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if in.LeaseID <= 0 {
		p = append(p, invalid.F("Leieforhold: velg leieforholdet besøket gjelder"))
	}
	if in.PersonID <= 0 {
		p = append(p, invalid.F("Leietaker: velg leietakeren besøket ble gjort hos"))
	}
	if !in.Kind.Valid() {
		p = append(p, invalid.F("Type: velg besøk etter innflytting eller periodisk boligkontroll"))
	}
	if in.On.IsZero() {
		p = append(p, invalid.F("Dato: skriv datoen for besøket"))
	} else if today.Before(in.On) {
		p = append(p, invalid.F("Dato: besøket kan ikke være fram i tid"))
	}
	seen := map[Item]bool{}
	for i := range in.Answers {
		a := &in.Answers[i]
		a.Note = strings.TrimSpace(a.Note)
		switch {
		case !a.Item.Valid():
			p = append(p, invalid.F("Sjekkliste: ukjent punkt «%s»", string(a.Item)))
		case seen[a.Item]:
			p = append(p, invalid.F("Sjekkliste: punktet «%s» er med to ganger", string(a.Item)))
		case a.Finding && a.Note == "":
			p = append(p, invalid.F("Sjekkliste, «%s»: skriv kort hva som ble funnet", string(a.Item)))
		case len([]rune(a.Note)) > 500:
			p = append(p, invalid.F("Sjekkliste, «%s»: notatet kan ha høyst 500 tegn", string(a.Item)))
		}
		seen[a.Item] = true
	}
	if len(in.Answers) == 0 {
		p = append(p, invalid.F("Sjekkliste: merk minst ett punkt som i orden eller funn"))
	}
	return p
}

// Due is when a lease's next visit is due: the visit after moving in
// VisitWeeks after the start while no visit is recorded, then a periodic
// check CheckMonths after the last one.
func Due(moveIn, last deadline.Date, visitWeeks, checkMonths int) (Kind, deadline.Date) {
	if last.IsZero() {
		return AfterMoveIn, moveIn.AddDays(7 * visitWeeks)
	}
	t := time.Date(last.Year, last.Month+time.Month(checkMonths), last.Day, 12, 0, 0, 0, time.UTC)
	return Periodic, deadline.Of(t.Year(), t.Month(), t.Day())
}
