package web

import (
	"husly/internal/caseflow"
	"husly/internal/phrase"
)

// PhraseTextForTest writes a phrase as the pages and the API do.
func PhraseTextForTest(lang string, p phrase.Phrase) string { return phraseText(lang, p) }

// CheckReasonForTest writes an eligibility check's explanation as a page does.
func CheckReasonForTest(lang string, c caseflow.Check) string { return view{Lang: lang}.CheckReason(c) }

// SpokenForTest is v with its texts written in lang, as the API sends it.
func SpokenForTest(lang string, v any) any { return spoken(lang, v) }
