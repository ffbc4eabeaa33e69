// Package activity is meaningful activity in follow-up: a calendar of
// activities and housing-school courses (boligskole: economy, cleaning,
// cooking, being a neighbour) that a team offers, with voluntary sign-up
// by the resident on Min side or by staff with the resident's agreement,
// withdrawal, and attendance recorded afterwards (seed 002, "Et sted å
// bo, med rom for å leve": meaningful activity; seed 004 on the housing
// school).
//
// Taking part is voluntary: not coming never counts against anyone, and
// nothing here feeds a rule, an alert or a score. Attendance is recorded
// only so the team and the resident can see what was used.
//
// The rules (this file) are pure functions; storage is in store.go.
package activity

import (
	"regexp"
	"strings"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

// Activity is one activity or course in the calendar.
type Activity struct {
	ID          int64         `json:"id"`
	TeamID      int64         `json:"team_id"`
	TeamName    string        `json:"team_name"`
	Title       string        `json:"title"`
	Kind        Kind          `json:"kind"`
	Description string        `json:"description,omitempty"`
	On          deadline.Date `json:"on"`
	Start       string        `json:"start_time"`
	Minutes     int           `json:"minutes"`
	Place       string        `json:"place"`
	Capacity    int           `json:"capacity"`
	// SignedUp counts those signed up now, Attended those recorded as
	// having come; no person is named.
	SignedUp int `json:"signed_up"`
	Attended int `json:"attended"`
}

// Left is how many places are free.
func (a Activity) Left() int { return max(a.Capacity-a.SignedUp, 0) }

// Over reports whether the activity's day has passed.
func (a Activity) Over(today deadline.Date) bool { return a.On.Before(today) }

// Input is a new activity.
type Input struct {
	TeamID      int64         `json:"team_id"`
	Title       string        `json:"title"`
	Kind        Kind          `json:"kind"`
	Description string        `json:"description"`
	On          deadline.Date `json:"on"`
	Start       string        `json:"start_time"`
	Minutes     int           `json:"minutes"`
	Place       string        `json:"place"`
	Capacity    int           `json:"capacity"`
}

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// MaxCapacity is the most places an activity may have.
const MaxCapacity = 500

// CheckActivity checks a new activity: a title, a kind, a day that has not
// passed, a start time, a length, a place and the number of places.
func CheckActivity(in Input, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if t := strings.TrimSpace(in.Title); t == "" || len([]rune(t)) > 200 {
		p = append(p, invalid.F("tittel: gi aktiviteten en tittel (høyst 200 tegn)"))
	}
	if !in.Kind.Valid() {
		p = append(p, invalid.F("type: velg hva slags aktivitet eller kurs det er"))
	}
	switch {
	case in.On.IsZero():
		p = append(p, invalid.F("dato: velg dagen aktiviteten er"))
	case in.On.Before(today):
		p = append(p, invalid.F("dato: %s har vært; en ny aktivitet må være i dag eller senere", in.On))
	}
	if !clock.MatchString(in.Start) {
		p = append(p, invalid.F("klokkeslett: skriv når aktiviteten starter som TT:MM, for eksempel 18:00"))
	}
	if in.Minutes < 1 || in.Minutes > 1440 {
		p = append(p, invalid.F("varighet: oppgi fra 1 til 1440 minutter"))
	}
	if t := strings.TrimSpace(in.Place); t == "" || len([]rune(t)) > 200 {
		p = append(p, invalid.F("sted: skriv hvor aktiviteten er (høyst 200 tegn)"))
	}
	if in.Capacity < 1 || in.Capacity > MaxCapacity {
		p = append(p, invalid.F("plasser: oppgi fra 1 til %d plasser", MaxCapacity))
	}
	if len([]rune(in.Description)) > 2000 {
		p = append(p, invalid.F("beskrivelse: høyst 2000 tegn"))
	}
	return p
}

// Signup is a resident's place on an activity.
type Signup struct {
	ID          int64         `json:"id"`
	ActivityID  int64         `json:"activity_id"`
	PersonID    int64         `json:"person_id"`
	PersonName  string        `json:"person_name,omitempty"`
	Status      Status        `json:"status"`
	ByResident  bool          `json:"by_resident"`
	SignedUpOn  deadline.Date `json:"signed_up_on"`
	SignedBy    string        `json:"signed_by"`
	WithdrawnOn deadline.Date `json:"withdrawn_on,omitzero"`
	// Attended is nil until attendance is recorded.
	Attended *bool `json:"attended,omitempty"`
}

// Active reports whether the sign-up holds a place.
func (s Signup) Active() bool { return s.ID != 0 && s.Status == SignedUp }

// CheckSignup checks a sign-up: the activity has not passed, the person
// is not already signed up, a place is free, and staff signing a resident
// up have the resident's own yes (participation is voluntary, seed 002).
func CheckSignup(a Activity, existing Signup, byResident, agreed bool, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if a.Over(today) {
		p = append(p, invalid.F("påmelding: aktiviteten var %s og er over; påmeldingen er stengt", a.On))
	}
	if existing.Active() {
		p = append(p, invalid.F("påmelding: personen er allerede påmeldt"))
	} else if a.SignedUp >= a.Capacity {
		p = append(p, invalid.F("plasser: aktiviteten er full (%d av %d plasser er tatt)", a.SignedUp, a.Capacity))
	}
	if !byResident && !agreed {
		p = append(p, invalid.F("samtykke: kryss av for at beboeren selv har sagt ja til påmeldingen; deltakelse er frivillig"))
	}
	return p
}

// CheckWithdraw checks a withdrawal: the person is signed up and the
// activity has not passed.
func CheckWithdraw(a Activity, existing Signup, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if !existing.Active() {
		p = append(p, invalid.F("påmelding: personen er ikke påmeldt aktiviteten"))
	}
	if a.Over(today) {
		p = append(p, invalid.F("påmelding: aktiviteten var %s og er over", a.On))
	}
	return p
}

// Mark is whether one signed-up person came.
type Mark struct {
	PersonID int64 `json:"person_id"`
	Attended bool  `json:"attended"`
}

// CheckAttendance checks attendance: it is recorded on or after the day,
// and only for persons signed up.
func CheckAttendance(a Activity, signups map[int64]Signup, marks []Mark, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if today.Before(a.On) {
		p = append(p, invalid.F("oppmøte: føres etter aktiviteten, fra %s", a.On))
	}
	if len(marks) == 0 {
		p = append(p, invalid.F("oppmøte: ingen påmeldte er ført"))
	}
	seen := map[int64]bool{}
	for _, m := range marks {
		if s, ok := signups[m.PersonID]; !ok || !s.Active() {
			p = append(p, invalid.F("oppmøte: person %d er ikke påmeldt aktiviteten; oppmøte føres bare for påmeldte", m.PersonID))
		}
		if seen[m.PersonID] {
			p = append(p, invalid.F("oppmøte: person %d er ført to ganger", m.PersonID))
		}
		seen[m.PersonID] = true
	}
	return p
}

// Recorded reports whether attendance has been recorded.
func (s Signup) Recorded() bool { return s.Attended != nil }

// Came reports whether the person was recorded as having come.
func (s Signup) Came() bool { return s.Attended != nil && *s.Attended }
