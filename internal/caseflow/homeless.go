// Package caseflow carries one person's case from first contact to a
// signed lease. This file holds the homelessness definition, a pure core:
// the case records the situation now, and whether that is homelessness is
// decided here, the way the national count decides it.
package caseflow

import (
	"fmt"

	"husly/internal/deadline"
	"husly/internal/phrase"
)

// Residences lists the situations in the order a form offers them; their
// names are the catalogues' (case.residence.<code>).
var Residences = []struct{ Code Residence }{
	{OwnHome},
	{Sublet},
	{FamilyLasting},
	{Temporary},
	{WithOthers},
	{Institution},
	{Prison},
	{NoPlaceTonight},
}

// Situation is what first contact and mapping record about where a person
// is now.
type Situation struct {
	Residence Residence
	// For institutions and prison: the expected discharge or release, and
	// whether a home is waiting.
	Leaving     deadline.Date
	HomeWaiting bool
}

// releaseWindow is how close a release or discharge must be for someone
// without a home to count as homeless.
var releaseWindow = deadline.Period{N: 2, Unit: deadline.Months}

// Homeless decides whether the situation is homelessness as the national
// count defines it (NIBR/OsloMet, Dyb and Zeiner 2021): without an owned
// or rented home, and in temporary accommodation, staying temporarily with
// relatives, friends or acquaintances, in prison or an institution with
// release or discharge within two months and no home, or without a place
// to stay the coming night. Living permanently with close family, or in a
// sublet home, is not homelessness. The reason is written for the case.
func Homeless(s Situation, today deadline.Date) (bool, string) {
	homeless, reason, _ := Homelessness(s, today)
	return homeless, reason
}

// Homelessness is Homeless with the reason also as a phrase, for the
// reader's language.
func Homelessness(s Situation, today deadline.Date) (bool, string, phrase.Phrase) {
	switch s.Residence {
	case OwnHome:
		return false, "Har egen eid eller leid bolig.", phrase.New("texts.homeless.own_home")
	case Sublet:
		return false, "Bor i fremleid bolig, som ikke regnes som bostedsløshet.", phrase.New("texts.homeless.sublet")
	case FamilyLasting:
		return false, "Bor fast hos nær familie, som ikke regnes som bostedsløshet.", phrase.New("texts.homeless.family_lasting")
	case Temporary:
		return true, "Er henvist til et midlertidig botilbud.", phrase.New("texts.homeless.temporary")
	case WithOthers:
		return true, "Bor midlertidig hos slekt, venner eller kjente.", phrase.New("texts.homeless.with_others")
	case NoPlaceTonight:
		return true, "Har ikke noe sted å oppholde seg kommende natt.", phrase.New("texts.homeless.no_place_tonight")
	case Institution, Prison:
		where := map[Residence]string{Institution: "utskrives fra institusjon", Prison: "løslates"}[s.Residence]
		said := phrase.Label("texts.homeless.where." + string(s.Residence))
		if s.HomeWaiting {
			return false, fmt.Sprintf("Skal %s, men har bolig å gå til.", where), phrase.New("texts.homeless.home_waiting", said)
		}
		if s.Leaving == (deadline.Date{}) {
			return false, fmt.Sprintf("Har ikke bolig, men datoen personen %s er ikke registrert: registrer den for å vurdere bostedsløshet.", where),
				phrase.New("texts.homeless.no_date", said)
		}
		limit := releaseWindow.End(today)
		if s.Leaving.Before(today) || limit.Before(s.Leaving) {
			return false, fmt.Sprintf("Skal %s %s, mer enn to måneder fram i tid.", where, s.Leaving.Norwegian()),
				phrase.New("texts.homeless.leaving_later", said, phrase.Date(s.Leaving))
		}
		return true, fmt.Sprintf("Skal %s %s, innen to måneder, og har ikke bolig.", where, s.Leaving.Norwegian()),
			phrase.New("texts.homeless.leaving_soon", said, phrase.Date(s.Leaving))
	}
	return false, "Bosituasjonen er ikke registrert.", phrase.New("texts.homeless.unknown")
}
