package web

import (
	"testing"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

// A problem is written in the reader's language, nested messages and
// dates included; bokmål is the message itself.
func TestProblemsInTheReadersLanguage(t *testing.T) {
	ms := []invalid.Message{
		invalid.F("klagen kan ikke være mottatt før vedtaket ble fattet (%s)", deadline.Of(2026, 11, 9)),
		invalid.F("%s kan ha høyst %d tegn", invalid.F("klagen"), 8000),
	}
	for lang, want := range map[string][]string{
		"nb": {"klagen kan ikke være mottatt før vedtaket ble fattet (09.11.2026)", "klagen kan ha høyst 8000 tegn"},
		"nn": {"klaga kan ikkje vere motteken før vedtaket vart gjort (09.11.2026)", "klaga kan ha høgst 8000 teikn"},
		"en": {"the appeal cannot have been received before the decision was made (9 November 2026)", "the appeal can have at most 8000 characters"},
	} {
		got := problemTexts(lang, ms)
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: %q, want %q", lang, got[i], want[i])
			}
		}
	}
	if got := invalid.New(ms...).Error(); got != "klagen kan ikke være mottatt før vedtaket ble fattet (09.11.2026); klagen kan ha høyst 8000 tegn" {
		t.Errorf("Error() = %q", got)
	}
}
