package people

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Validation never panics and never accepts what it should refuse.
func FuzzValidateInput(f *testing.F) {
	f.Add("01010710029", "Kari", "Nordmann", "91234567", "kari@example.no", "6509")
	f.Add("", "", "", "+47", "@", "12345")
	f.Add("41010710012", strings.Repeat("å", 101), "'; DROP TABLE persons; --", "9 9 9 9 9 9 9 9", "a@b.c", "0000")
	f.Fuzz(func(t *testing.T, number, first, last, phone, email, postal string) {
		in := Input{IdentityNumber: number, FirstName: first, LastName: last, Phone: phone, Email: email, PostalCode: postal}
		n, problems := in.Validate(true, time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC))
		if len(problems) > 0 {
			return
		}
		if n.Digits == "" || in.FirstName == "" || in.LastName == "" || utf8.RuneCountInString(in.FirstName) > 100 {
			t.Fatalf("accepted %+v", in)
		}
		if in.PostalCode != "" && len(in.PostalCode) != 4 {
			t.Fatalf("accepted postal code %q", in.PostalCode)
		}
	})
}
