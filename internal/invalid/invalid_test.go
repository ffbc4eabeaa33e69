package invalid_test

import (
	"errors"
	"fmt"
	"testing"

	"husly/internal/invalid"
)

// day is a Localized argument.
type day string

func (d day) In(lang string) string {
	if lang == "en" {
		return "9 November 2026"
	}
	return string(d)
}

func TestMessages(t *testing.T) {
	en := map[string]string{
		"%s kan ha høyst %d tegn":               "%s can have at most %d characters",
		"klagen":                                "the appeal",
		"mottatt %s":                            "received %s",
		"%[1]s: %[2]s er feil":                  "%[2]s is wrong in %[1]s",
		"vedtaket er endret av noen andre":      "the decision was amended by someone else",
		"vedtaket finnes allerede i versjon %d": "the decision already exists in version %d",
	}
	lookup := func(id string) (string, bool) { s, ok := en[id]; return s, ok }
	for _, c := range []struct {
		m      invalid.Message
		nb, en string
	}{
		{invalid.F("%s kan ha høyst %d tegn", invalid.F("klagen"), 8000), "klagen kan ha høyst 8000 tegn", "the appeal can have at most 8000 characters"},
		{invalid.F("mottatt %s", day("09.11.2026")), "mottatt 09.11.2026", "received 9 November 2026"},
		{invalid.F("%[1]s: %[2]s er feil", "a", "b"), "a: b er feil", "b is wrong in a"},
		{invalid.F("ukjent i katalogen"), "ukjent i katalogen", "ukjent i katalogen"},
		{invalid.Message{}, "", ""},
	} {
		if got := c.m.String(); got != c.nb {
			t.Errorf("bokmål %q, want %q", got, c.nb)
		}
		if got := c.m.In("en", lookup); got != c.en {
			t.Errorf("English %q, want %q", got, c.en)
		}
	}

	err := fmt.Errorf("lagre: %w", invalid.New(invalid.F("klagen"), invalid.F("mottatt %s", day("09.11.2026"))))
	if err.Error() != "lagre: klagen; mottatt 09.11.2026" {
		t.Errorf("Error() = %q", err.Error())
	}
	if ps := invalid.Problems(err); len(ps) != 2 || ps[0].ID != "klagen" {
		t.Errorf("Problems = %v", ps)
	}
	if invalid.Problems(errors.New("annet")) != nil {
		t.Error("a plain error has problems")
	}

	stale := invalid.Refuse(invalid.F("vedtaket er endret av noen andre"))
	wrapped := fmt.Errorf("svar: %w", invalid.RefuseAs(stale, invalid.F("vedtaket finnes allerede i versjon %d", 3)))
	if !errors.Is(wrapped, stale) {
		t.Error("a refusal is not a case of its kind")
	}
	var bad *invalid.Error
	if errors.As(wrapped, &bad) {
		t.Error("a refusal is taken for bad input")
	}
	if got := wrapped.Error(); got != "svar: vedtaket er endret av noen andre: vedtaket finnes allerede i versjon 3" {
		t.Errorf("Error() = %q", got)
	}
	rs := invalid.Texts(invalid.Refusals(wrapped), "en", lookup)
	if len(rs) != 2 || rs[0] != "the decision was amended by someone else" || rs[1] != "the decision already exists in version 3" {
		t.Errorf("Refusals = %q", rs)
	}
	if v := invalid.Verbatim("100 % ferdig"); v.In("en", lookup) != "100 % ferdig" {
		t.Errorf("Verbatim = %q", v.In("en", lookup))
	}
}
