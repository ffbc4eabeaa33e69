// Package workenv is the staff and their work environment in follow-up
// (seed 002, "Et sted å bo, med rom for å leve", chapter 4 on the work
// environment): a competence register per team, a training plan with
// what is overdue, a supervision log, the yearly HMS round with measures
// that have owners and due days, and risk assessments for visits, tied to
// follow-up's contacts so a home assessed as needing two staff is not
// visited by one.
//
// The register is about staff, not about the persons the team follows;
// only a risk assessment of a resident's home names a resident.
//
// The rules (this file) are pure functions; storage is in store.go.
package workenv

import (
	"cmp"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/invalid"
)

// Held is one competence a member has taken.
type Held struct {
	ID         int64         `json:"id"`
	UserID     int64         `json:"user_id"`
	Name       string        `json:"name"`
	Competence Competence    `json:"competence"`
	TakenOn    deadline.Date `json:"taken_on"`
	ExpiresOn  deadline.Date `json:"expires_on,omitzero"`
}

// HeldInput is a competence to register.
type HeldInput struct {
	UserID     int64         `json:"user_id"`
	Competence Competence    `json:"competence"`
	TakenOn    deadline.Date `json:"taken_on"`
	ExpiresOn  deadline.Date `json:"expires_on,omitzero"`
}

// CheckHeld checks a competence: a member, a known competence, the day it
// was taken (not in the future) and an expiry no earlier than that.
func CheckHeld(in HeldInput, member bool, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if !member {
		p = append(p, invalid.F("ansatt: velg en som er medlem av teamet"))
	}
	if !in.Competence.Valid() {
		p = append(p, invalid.F("kompetanse: velg hvilken kompetanse det gjelder"))
	}
	switch {
	case in.TakenOn.IsZero():
		p = append(p, invalid.F("tatt: oppgi datoen kurset eller opplæringen ble tatt"))
	case today.Before(in.TakenOn):
		p = append(p, invalid.F("tatt: datoen (%s) kan ikke være fram i tid", in.TakenOn))
	}
	if !in.ExpiresOn.IsZero() && !in.TakenOn.IsZero() && in.ExpiresOn.Before(in.TakenOn) {
		p = append(p, invalid.F("utløper: utløpsdatoen (%s) kan ikke være før datoen den ble tatt (%s)", in.ExpiresOn, in.TakenOn))
	}
	return p
}

// Requirement is a line of the training plan: which competence the team's
// members (or those in one role) need, by which day a member must first
// have it, and how often it is renewed (0: once).
type Requirement struct {
	ID          int64               `json:"id"`
	Competence  Competence          `json:"competence"`
	Role        followup.MemberRole `json:"member_role,omitempty"`
	EveryMonths int                 `json:"every_months"`
	FirstDue    deadline.Date       `json:"first_due_on"`
}

// Applies reports whether the requirement applies to a member in role r.
func (q Requirement) Applies(r followup.MemberRole) bool { return q.Role == "" || q.Role == r }

// CheckRequirement checks a line of the training plan.
func CheckRequirement(in Requirement) []invalid.Message {
	var p []invalid.Message
	if !in.Competence.Valid() {
		p = append(p, invalid.F("kompetanse: velg hvilken kompetanse planen gjelder"))
	}
	if in.Role != "" && !in.Role.Valid() {
		p = append(p, invalid.F("rolle: velg en rolle på teamet, eller alle"))
	}
	if in.EveryMonths < 0 || in.EveryMonths > 120 {
		p = append(p, invalid.F("hyppighet: oppgi fra 0 (én gang) til 120 måneder"))
	}
	if in.FirstDue.IsZero() {
		p = append(p, invalid.F("frist: velg datoen medlemmene må ha kompetansen innen"))
	}
	return p
}

// SoonDays is how near the due day a training is shown as due soon.
const SoonDays = 30

// Status is one member against one requirement.
type Status struct {
	RequirementID int64         `json:"requirement_id"`
	UserID        int64         `json:"user_id"`
	Name          string        `json:"name"`
	Competence    Competence    `json:"competence"`
	LastTaken     deadline.Date `json:"last_taken,omitzero"`
	Due           deadline.Date `json:"due_on,omitzero"`
	State         State         `json:"state"`
}

// Member is a team member as the register knows them.
type Member struct {
	UserID int64               `json:"user_id"`
	Name   string              `json:"name"`
	Role   followup.MemberRole `json:"role"`
}

// Standing measures each member against each requirement that applies to
// them. The due day is the first due day when the member has never taken
// the competence; else the day it was last taken plus the renewal interval,
// or its expiry if that comes first; a competence taken once and without
// expiry is never due again.
func Standing(members []Member, plan []Requirement, held []Held, today deadline.Date) []Status {
	var out []Status
	for _, r := range plan {
		for _, m := range members {
			if !r.Applies(m.Role) {
				continue
			}
			s := Status{RequirementID: r.ID, UserID: m.UserID, Name: m.Name, Competence: r.Competence}
			var last Held
			for _, h := range held {
				if h.UserID == m.UserID && h.Competence == r.Competence && (last.TakenOn.IsZero() || last.TakenOn.Before(h.TakenOn)) {
					last = h
				}
			}
			switch {
			case last.TakenOn.IsZero():
				s.Due = r.FirstDue
			default:
				s.LastTaken = last.TakenOn
				if r.EveryMonths > 0 {
					s.Due = addMonths(last.TakenOn, r.EveryMonths)
				}
				if !last.ExpiresOn.IsZero() && (s.Due.IsZero() || last.ExpiresOn.Before(s.Due)) {
					s.Due = last.ExpiresOn
				}
			}
			switch {
			case !s.Due.IsZero() && s.Due.Before(today):
				s.State = Overdue
			case !s.Due.IsZero() && s.Due.Before(today.AddDays(SoonDays+1)):
				s.State = DueSoon
			default:
				s.State = Current
			}
			out = append(out, s)
		}
	}
	return out
}

// addMonths adds months to a day, keeping the day of the month where the
// month has it and else its last day.
func addMonths(d deadline.Date, months int) deadline.Date {
	t := time.Date(d.Year, d.Month+time.Month(months), 1, 12, 0, 0, 0, time.UTC)
	last := time.Date(t.Year(), t.Month()+1, 0, 12, 0, 0, 0, time.UTC).Day()
	return deadline.Of(t.Year(), t.Month(), min(d.Day, last))
}

// Supervision is one entry in the supervision log.
type Supervision struct {
	ID         int64           `json:"id"`
	HeldOn     deadline.Date   `json:"held_on"`
	Kind       SupervisionKind `json:"kind"`
	Supervisor string          `json:"supervisor"`
	Topic      string          `json:"topic,omitempty"`
	UserIDs    []int64         `json:"user_ids"`
	Names      []string        `json:"names,omitempty"`
}

// CheckSupervision checks a log entry: the day (not in the future), the
// kind, who led it, and who took part (one for individual supervision).
func CheckSupervision(in Supervision, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	switch {
	case in.HeldOn.IsZero():
		p = append(p, invalid.F("dato: oppgi dagen veiledningen var"))
	case today.Before(in.HeldOn):
		p = append(p, invalid.F("dato: veiledningen (%s) kan ikke være fram i tid", in.HeldOn))
	}
	if in.Kind != Individual && in.Kind != Group {
		p = append(p, invalid.F("type: velg individuell veiledning eller gruppeveiledning"))
	}
	if strings.TrimSpace(in.Supervisor) == "" {
		p = append(p, invalid.F("veileder: skriv hvem som ga veiledningen"))
	}
	switch {
	case len(in.UserIDs) == 0:
		p = append(p, invalid.F("deltakere: velg hvem på teamet som fikk veiledning"))
	case in.Kind == Individual && len(in.UserIDs) > 1:
		p = append(p, invalid.F("deltakere: individuell veiledning gjelder én ansatt; velg gruppeveiledning for flere"))
	}
	return p
}

// Measure is one measure from an HMS round.
type Measure struct {
	ID        int64         `json:"id"`
	What      string        `json:"what"`
	OwnerID   int64         `json:"owner_id"`
	OwnerName string        `json:"owner_name,omitempty"`
	DueOn     deadline.Date `json:"due_on"`
	DoneOn    deadline.Date `json:"done_on,omitzero"`
	Late      bool          `json:"late"`
	// Row is the form's row the measure was written in, so a problem
	// names the row the user sees when an empty row before it was left
	// out; 0 is its place in the list.
	Row int `json:"-"`
}

// Round is an HMS round with its findings and measures.
type Round struct {
	ID       int64         `json:"id"`
	HeldOn   deadline.Date `json:"held_on"`
	Findings string        `json:"findings"`
	Measures []Measure     `json:"measures"`
}

// RoundEveryDays is how often the round is held: yearly (the systematic
// HMS work of arbeidsmiljøloven § 3-1 and the internal control
// regulation, internkontrollforskriften § 5, are reviewed at least once a
// year; seed 002 asks for a yearly round).
const RoundEveryDays = 365

// CheckRound checks an HMS round: the day, what was found, and each
// measure with what, an owner on the team and a due day no earlier than
// the round.
func CheckRound(in Round, members map[int64]bool, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	switch {
	case in.HeldOn.IsZero():
		p = append(p, invalid.F("dato: oppgi dagen HMS-runden var"))
	case today.Before(in.HeldOn):
		p = append(p, invalid.F("dato: HMS-runden (%s) kan ikke være fram i tid", in.HeldOn))
	}
	if t := strings.TrimSpace(in.Findings); t == "" || len([]rune(t)) > 4000 {
		p = append(p, invalid.F("funn: skriv hva runden fant (høyst 4000 tegn)"))
	}
	for i, m := range in.Measures {
		n := cmp.Or(m.Row, i+1)
		if strings.TrimSpace(m.What) == "" {
			p = append(p, invalid.F("tiltak %d: skriv hva som skal gjøres", n))
		}
		switch {
		case m.OwnerID <= 0:
			p = append(p, invalid.F("tiltak %d: ansvarlig mangler; hvert tiltak må ha en eier", n))
		case !members[m.OwnerID]:
			p = append(p, invalid.F("tiltak %d: ansvarlig må være medlem av teamet", n))
		}
		switch {
		case m.DueOn.IsZero():
			p = append(p, invalid.F("tiltak %d: velg fristen for tiltaket", n))
		case !in.HeldOn.IsZero() && m.DueOn.Before(in.HeldOn):
			p = append(p, invalid.F("tiltak %d: fristen kan ikke være før runden", n))
		}
	}
	return p
}

// Risk is a risk assessment for visits: to a resident's home or to an
// address.
type Risk struct {
	ID         int64         `json:"id"`
	PersonID   int64         `json:"person_id,omitempty"`
	PersonName string        `json:"person_name,omitempty"`
	Address    string        `json:"address,omitempty"`
	Assessment string        `json:"assessment"`
	TwoStaff   bool          `json:"two_staff"`
	Measures   string        `json:"measures,omitempty"`
	AssessedOn deadline.Date `json:"assessed_on"`
	ReviewOn   deadline.Date `json:"review_on"`
	// ReviewDue is set when the review day has passed: the assessment
	// still governs visits until a new one is made.
	ReviewDue bool `json:"review_due"`
}

// MaxReviewDays is the longest an assessment runs before review.
const MaxReviewDays = 366

// CheckRisk checks an assessment: a resident or an address, the
// assessment itself, the day it was made and a review day within a year.
func CheckRisk(in Risk, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if in.PersonID <= 0 && strings.TrimSpace(in.Address) == "" {
		p = append(p, invalid.F("beboer eller adresse: velg beboeren eller skriv adressen vurderingen gjelder"))
	}
	if t := strings.TrimSpace(in.Assessment); t == "" || len([]rune(t)) > 2000 {
		p = append(p, invalid.F("vurdering: beskriv risikoen kort (høyst 2000 tegn)"))
	}
	switch {
	case in.AssessedOn.IsZero():
		p = append(p, invalid.F("vurdert: oppgi datoen risikoen ble vurdert"))
	case today.Before(in.AssessedOn):
		p = append(p, invalid.F("vurdert: datoen (%s) kan ikke være fram i tid", in.AssessedOn))
	}
	switch {
	case in.ReviewOn.IsZero():
		p = append(p, invalid.F("ny vurdering: velg datoen risikovurderingen skal gjennomgås på nytt"))
	case !in.AssessedOn.IsZero() && in.ReviewOn.Before(in.AssessedOn):
		p = append(p, invalid.F("ny vurdering: kan ikke være før vurderingen ble gjort"))
	case !in.AssessedOn.IsZero() && in.AssessedOn.AddDays(MaxReviewDays).Before(in.ReviewOn):
		p = append(p, invalid.F("ny vurdering: risikovurderingen må gjennomgås på nytt innen ett år"))
	}
	return p
}

// Category is what a risk assessment reveals: that the team follows a
// resident and has judged visits to their home risky. It is follow-up
// data (access.FollowUpPlan), not tenancy data: property staff, who see
// tenancy, must not learn from it that a tenant is in a service or
// considered dangerous; the team, who visit, must.
const Category = access.FollowUpPlan

// Governs picks, of the assessments of one home, the newest of those
// made about the resident and the newest of those made about the
// address: a newer assessment replaces an older one of its kind.
func Governs(list []Risk, on deadline.Date) (byPerson, byAddress Risk) {
	for _, r := range list {
		if on.Before(r.AssessedOn) {
			continue
		}
		newer := func(old Risk) bool {
			return old.ID == 0 || old.AssessedOn.Before(r.AssessedOn) || (old.AssessedOn == r.AssessedOn && old.ID < r.ID)
		}
		if r.PersonID > 0 && newer(byPerson) {
			byPerson = r
		}
		if r.PersonID == 0 && r.Address != "" && newer(byAddress) {
			byAddress = r
		}
	}
	return byPerson, byAddress
}

// NeedsTwo reports whether a home visit on day on needs two staff, and
// the assessment that says so.
func NeedsTwo(list []Risk, on deadline.Date) (Risk, bool) {
	p, a := Governs(list, on)
	if p.TwoStaff {
		return p, true
	}
	if a.TwoStaff {
		return a, true
	}
	return Risk{}, false
}
