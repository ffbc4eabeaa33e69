// Package clock holds the one time zone Husly keeps dates in: Europe/Oslo.
// Statutory deadlines, "today" and every date shown to a user are Norwegian
// calendar days, so an instant must be read in Oslo time, summer time
// included, to get the right date.
package clock

import (
	"time"
	// The time-zone database is compiled into the binary, so a server
	// without /usr/share/zoneinfo (a scratch container, Windows) still
	// knows Norway's summer time instead of silently falling back to a
	// fixed offset and getting dates wrong between 22:00 and 23:00 UTC.
	_ "time/tzdata"
)

// Oslo is Norway's time zone, with its summer time.
var Oslo = mustLoad("Europe/Oslo")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Cannot happen with time/tzdata embedded; a fixed offset would
		// give wrong dates half the year, so refuse to run instead.
		panic("clock: " + err.Error())
	}
	return loc
}

// InOslo gives t as a wall-clock time in Oslo.
func InOslo(t time.Time) time.Time { return t.In(Oslo) }
