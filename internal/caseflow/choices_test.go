package caseflow

import (
	"testing"

	"husly/internal/i18n"
)

// TestEveryChoiceIsNamed: the case flow keeps codes only, so every code
// of every list has its name in each language's catalogue, and bokmål
// names it for letters and the command line.
func TestEveryChoiceIsNamed(t *testing.T) {
	lists := map[string][]Choice{"Statuses": Statuses, "Kinds": Kinds, "Groups": Groups, "Channels": Channels, "HomeForms": HomeForms,
		"AlternativeKinds": AlternativeKinds, "AlternativeOutcomes": AlternativeOutcomes, "HousingTypes": HousingTypes, "Requirements": Requirements,
		"AppealOutcomes": AppealOutcomes, "LateChoices": LateChoices, "DepositHolds": DepositHolds, "ItemConditions": ItemConditions,
		"LetterKinds": LetterKinds, "SendChannels": SendChannels}
	for name, list := range lists {
		if len(list) == 0 {
			t.Errorf("%s is empty", name)
		}
		for _, c := range list {
			for _, lang := range i18n.Languages {
				if _, ok := i18n.Catalogs[lang][c.key]; !ok {
					t.Errorf("%s: %s lacks %q", name, lang, c.key)
				}
			}
			if l := Label(list, c.Code); l == "" || l == c.key {
				t.Errorf("%s: %s has no bokmål name", name, c.Code)
			}
		}
		if Has(list, "ukjent_kode") || Label(list, "ukjent_kode") != "" {
			t.Errorf("%s takes an unknown code", name)
		}
	}
	for _, r := range Residences {
		if ResidenceLabel(r.Code) == string(r.Code) {
			t.Errorf("residence %s has no bokmål name", r.Code)
		}
	}
	if got := StatusLabel(StatusGranted); got != "Innvilget, venter på bolig" {
		t.Errorf("StatusLabel: %q", got)
	}
	if got := outcomeLabel(OutcomeRefused); got != "Avslag" {
		t.Errorf("outcomeLabel: %q", got)
	}
}
