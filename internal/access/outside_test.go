package access_test

import (
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/invalid"
)

// TestCheckOutsideConsent holds the rules for a consent to speak with
// someone outside the municipality: a known recipient with a name, one
// purpose, an expiry ahead, and relatives only when the person wants it.
func TestCheckOutsideConsent(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	good := access.OutsideConsent{RecipientKind: "fastlege", RecipientName: "Dr. Berg", Purpose: "Avklare medisiner før innflytting",
		Categories: []access.Category{access.Health}, Expires: now.AddDate(0, 6, 0)}
	for _, c := range []struct {
		name   string
		change func(*access.OutsideConsent)
		want   string
	}{
		{"complete", func(*access.OutsideConsent) {}, ""},
		{"no purpose", func(c *access.OutsideConsent) { c.Purpose = "  " }, "oppgi formålet"},
		{"no expiry", func(c *access.OutsideConsent) { c.Expires = time.Time{} }, "oppgi når samtykket utløper"},
		{"expired", func(c *access.OutsideConsent) { c.Expires = now.Add(-time.Hour) }, "fram i tid"},
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
