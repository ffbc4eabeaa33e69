package access_test

import (
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/invalid"
)

// TestCheckOutsideConsent holds the rules for a consent to speak with
// someone outside the municipality: a known recipient with a name, one
// purpose, an expiry ahead, and relatives only when the person wants it.
func TestCheckOutsideConsent(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	good := access.OutsideConsent{RecipientKind: "fastlege", RecipientName: "Dr. Berg", Purpose: "Avklare medisiner før innflytting",
		Categories: []access.Category{access.Health}, Expires: deadline.On(now.AddDate(0, 6, 0))}
	for _, c := range []struct {
		name   string
		change func(*access.OutsideConsent)
		want   string
	}{
		{"complete", func(*access.OutsideConsent) {}, ""},
		{"no purpose", func(c *access.OutsideConsent) { c.Purpose = "  " }, "oppgi formålet"},
		{"no expiry", func(c *access.OutsideConsent) { c.Expires = deadline.Date{} }, "oppgi når samtykket utløper"},
		{"expired", func(c *access.OutsideConsent) { c.Expires = deadline.On(now) }, "fram i tid"}, // today has begun
		{"unknown recipient", func(c *access.OutsideConsent) { c.RecipientKind = "naboen" }, "velg hvem utenfor kommunen"},
		{"no recipient name", func(c *access.OutsideConsent) { c.RecipientName = "" }, "navnet på mottakeren"},
		{"no categories", func(c *access.OutsideConsent) { c.Categories = nil }, "minst én datakategori"},
		{"relatives without the person's wish", func(c *access.OutsideConsent) { c.RecipientKind = "parorende" }, "pårørende kontaktes bare når personen selv ønsker det"},
		{"relatives the person wants", func(c *access.OutsideConsent) { c.RecipientKind, c.PersonWants = "parorende", true }, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := good
			c.change(&x)
			got := strings.Join(invalid.Texts(access.CheckOutsideConsent(x, now), "nb", nil), "; ")
			if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
				t.Fatalf("want %q, got %q", c.want, got)
			}
		})
	}
}

// A consent holds until the Norwegian calendar day it expires on begins:
// on a summer evening that is 22:00 UTC the day before.
func TestConsentExpiresWhenTheDayBeginsInOslo(t *testing.T) {
	given := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	inside := access.Consent{Given: given, Expires: deadline.Of(2026, 7, 2)}
	outside := access.OutsideConsent{Given: given, Expires: deadline.Of(2026, 7, 2)}
	for _, tc := range []struct {
		at     time.Time
		active bool
	}{
		{time.Date(2026, 7, 1, 21, 59, 0, 0, time.UTC), true}, // 23:59 on 1 July in Oslo
		{time.Date(2026, 7, 1, 22, 0, 0, 0, time.UTC), false}, // 00:00 on 2 July
		{time.Date(2026, 7, 2, 12, 0, 0, 0, time.UTC), false},
	} {
		if got := inside.ActiveAt(tc.at); got != tc.active {
			t.Errorf("consent expiring 2026-07-02 active at %s = %v, want %v", tc.at.Format(time.RFC3339), got, tc.active)
		}
		if got := outside.ActiveAt(tc.at); got != tc.active {
			t.Errorf("outside consent expiring 2026-07-02 active at %s = %v, want %v", tc.at.Format(time.RFC3339), got, tc.active)
		}
	}
	if open := (access.Consent{Given: given}); !open.ActiveAt(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("a consent without an expiry date stopped holding")
	}
}
