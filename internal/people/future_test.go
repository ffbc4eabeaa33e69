package people_test

import (
	"testing"
	"time"

	"husly/internal/deadline"
	"husly/internal/identity"
)

// FutureNumber is a valid fødselsnummer (check digits right, a real
// date) of someone born the day after tomorrow in Norway: registration
// must refuse it. Individual numbers 500–749 give the 2000s.
func FutureNumber(t testing.TB) string {
	t.Helper()
	birth := deadline.On(time.Now()).AddDays(2)
	for ind := 500; ind < 750; ind++ {
		if s, ok := identity.Make(birth, ind, identity.Fodselsnummer, false); ok {
			return s
		}
	}
	t.Fatal("no number for the day after tomorrow")
	return ""
}
