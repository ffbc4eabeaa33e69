package tenancy

import (
	"strings"
	"time"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

// The rules of complaints and the ladder: pure functions over plain
// values, each message naming the field it is about.

const (
	maxText  = 2000
	maxShort = 200
	// minReason is the shortest reason a stop, a roll-back or a skipped
	// step is accepted with: it must say why, not just "ok".
	minReason = 5
	// TalkWithinDays is how soon the conversation about a tenant's own
	// notice should take place: well before the tenant moves.
	TalkWithinDays = 14
)

func tooLong(s string, n int) bool { return len([]rune(s)) > n }

// CheckComplaint checks a new complaint.
func CheckComplaint(in ComplaintInput, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if in.LeaseID <= 0 {
		p = append(p, invalid.F("leieforhold: velg leieforholdet klagen gjelder"))
	}
	if !in.Kind.Valid() {
		p = append(p, invalid.F("hva gjelder det: velg nabo, støy, forsøpling, skade, trusler eller annet"))
	}
	if !in.Source.Valid() {
		p = append(p, invalid.F("kilde: velg hvem klagen kom fra (nabo, borettslag, vaktmester, politi eller annet)"))
	}
	switch {
	case in.ReceivedOn.IsZero():
		p = append(p, invalid.F("mottatt: skriv datoen klagen kom"))
	case today.Before(in.ReceivedOn):
		p = append(p, invalid.F("mottatt: datoen kan ikke være fram i tid"))
	}
	if w := strings.TrimSpace(in.What); w == "" || tooLong(w, maxText) {
		p = append(p, invalid.F("hva skjedde: skriv kort hva som skjedde (høyst 2000 tegn)"))
	}
	if tooLong(in.Complainant, maxShort) {
		p = append(p, invalid.F("klager: navnet kan ha høyst 200 tegn"))
	}
	return p
}

// CheckInform checks that the resident was told of a complaint: when, and
// how; never before the complaint came, never in the future.
func CheckInform(in InformInput, received, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if !in.How.Valid() {
		p = append(p, invalid.F("hvordan: velg hvordan beboeren fikk vite om klagen"))
	}
	switch {
	case in.On.IsZero():
		p = append(p, invalid.F("informert: skriv datoen beboeren fikk vite om klagen"))
	case today.Before(in.On):
		p = append(p, invalid.F("informert: datoen kan ikke være fram i tid"))
	case in.On.Before(received):
		p = append(p, invalid.F("informert: datoen kan ikke være før klagen kom (%s)", received))
	}
	return p
}

// CheckClose checks the outcome of a complaint.
func CheckClose(in CloseInput, received, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if o := strings.TrimSpace(in.Outcome); o == "" || tooLong(o, maxText) {
		p = append(p, invalid.F("utfall: skriv hva klagen endte med (høyst 2000 tegn)"))
	}
	if today.Before(in.On) {
		p = append(p, invalid.F("avsluttet: datoen kan ikke være fram i tid"))
	} else if !in.On.IsZero() && in.On.Before(received) {
		p = append(p, invalid.F("avsluttet: datoen kan ikke være før klagen kom (%s)", received))
	}
	return p
}

// CheckReply checks the resident's side of a complaint.
func CheckReply(body string) []invalid.Message {
	if b := strings.TrimSpace(body); b == "" || tooLong(b, maxText) {
		return []invalid.Message{invalid.F("din side av saken: skriv det du vil si (høyst 2000 tegn)")}
	}
	return nil
}

// Current is the highest step in force, "" when the ladder is not open.
func Current(steps []LadderStep) Step {
	var cur Step
	for _, s := range steps {
		if s.Status == InForce && s.Step.Rank() > cur.Rank() {
			cur = s.Step
		}
	}
	return cur
}

// NextSteps are the steps that may follow the current one: the next step
// in order, and the ones above it when an override reason is given.
func NextSteps(current Step) (next Step, skips []Step) {
	r := current.Rank()
	if r >= len(Steps) {
		return "", nil
	}
	return Steps[r], Steps[r+1:]
}

// DefaultNoticeMonths is the notice period for a dwelling unless another
// was agreed (husleieloven § 9-6 first paragraph).
const DefaultNoticeMonths = 3

// NoticeEnds is the day the tenancy ends on a notice given on issued with
// a period of months: the period runs from the end of the calendar month
// the notice was given in (husleieloven § 9-6 first paragraph).
func NoticeEnds(issued deadline.Date, months int) deadline.Date {
	first := time.Date(issued.Year, issued.Month, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 1+months, -1)
	return deadline.Of(first.Year(), first.Month(), first.Day())
}

// CheckStep checks a new step on a lease's ladder standing at current.
// A step needs a preventive action by a named person; a skipped step an
// override reason; a notice its grounds, a lawful ground and a notice
// period (husleieloven §§ 9-5 to 9-7); a cancellation a ground in § 9-9;
// the eviction its day. Only the eviction day may lie ahead.
func CheckStep(in StepInput, current Step, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if !in.Step.Valid() {
		return []invalid.Message{invalid.F("trinn: velg advarsel, oppsigelse, heving, begjæring om utkastelse eller utkastelse")}
	}
	next, _ := NextSteps(current)
	switch {
	case in.Step.Rank() <= current.Rank():
		p = append(p, invalid.F("trinn: leieforholdet står allerede på dette trinnet eller et høyere; rull tilbake det siste trinnet først"))
	case in.Step != next && strings.TrimSpace(in.OverrideReason) == "":
		p = append(p, invalid.F("begrunnelse for å hoppe over trinn: neste trinn er %s; skriv hvorfor trinn hoppes over", stepName[next]))
	case in.Step != next && len([]rune(strings.TrimSpace(in.OverrideReason))) < minReason:
		p = append(p, invalid.F("begrunnelse for å hoppe over trinn: skriv en begrunnelse på minst fem tegn"))
	}
	if a := strings.TrimSpace(in.PreventiveAction); a == "" || tooLong(a, maxText) {
		p = append(p, invalid.F("forebyggende tiltak: skriv hvilket tiltak som er gjort for å hindre at beboeren mister boligen (høyst 2000 tegn)"))
	}
	switch {
	case in.IssuedOn.IsZero():
		p = append(p, invalid.F("dato: skriv datoen trinnet ble tatt"))
	case today.Before(in.IssuedOn):
		p = append(p, invalid.F("dato: datoen trinnet ble tatt kan ikke være fram i tid"))
	}
	if tooLong(in.Grounds, maxText) || tooLong(in.OverrideReason, maxText) {
		p = append(p, invalid.F("begrunnelse: høyst 2000 tegn"))
	}
	switch in.Step {
	case Notice:
		p = append(p, checkNotice(in)...)
	case Cancellation:
		// husleieloven § 9-9: cancellation needs a material breach.
		if strings.TrimSpace(in.Grounds) == "" {
			p = append(p, invalid.F("begrunnelse: hevingen må begrunnes med et vesentlig mislighold (husleieloven § 9-9)"))
		}
		switch in.Ground {
		case GroundBreach, GroundRent, GroundNuisance, GroundDamage:
		default:
			p = append(p, invalid.F("hevingsgrunn: velg misligholdet hevingen bygger på (husleieloven § 9-9)"))
		}
	case Eviction:
		if in.EvictionOn.IsZero() {
			p = append(p, invalid.F("utkastelsesdato: skriv dagen namsmannen har satt for utkastelsen"))
		} else if in.EvictionOn.Before(in.IssuedOn) {
			p = append(p, invalid.F("utkastelsesdato: kan ikke være før datoen trinnet ble tatt"))
		}
	}
	return p
}

// checkNotice holds a notice to what the tenancy act requires of it: its
// grounds (§ 9-7 first paragraph: a notice that is not reasoned is void),
// a reasonable ground (§ 9-5), and the notice period of § 9-6: three
// months for a dwelling unless another was agreed, and, as we read the
// third paragraph, never less than one month on the landlord's notice.
// The protest right and what follows it (§§ 9-7 second paragraph, 9-8)
// are written into the letter by Husly itself.
func checkNotice(in StepInput) []invalid.Message {
	var p []invalid.Message
	if strings.TrimSpace(in.Grounds) == "" {
		p = append(p, invalid.F("begrunnelse: oppsigelsen må begrunnes, ellers er den ugyldig (husleieloven § 9-7)"))
	}
	if !in.Ground.Valid() {
		p = append(p, invalid.F("oppsigelsesgrunn: velg den saklige grunnen oppsigelsen bygger på (husleieloven § 9-5)"))
	}
	months := in.NoticeMonths
	if months == 0 {
		months = DefaultNoticeMonths
	}
	switch {
	case months < 1 || months > 12:
		p = append(p, invalid.F("oppsigelsestid: skriv et antall måneder fra 1 til 12"))
	case months != DefaultNoticeMonths && !in.NoticeAgreed:
		p = append(p, invalid.F("oppsigelsestid: loven gir tre måneder for bolig; en annen frist må være avtalt i leiekontrakten (husleieloven § 9-6)"))
	}
	return p
}

// CheckEndReason checks the reason a ladder is stopped or a step rolled back.
func CheckEndReason(reason string) []invalid.Message {
	if r := strings.TrimSpace(reason); len([]rune(r)) < minReason || tooLong(r, maxText) {
		return []invalid.Message{invalid.F("begrunnelse: skriv hvorfor (minst fem tegn)")}
	}
	return nil
}

// CheckTenantNotice checks the tenant's own notice: it is accepted as the
// tenant gives it (a tenant's notice needs no grounds, husleieloven
// § 9-4 only asks the landlord's to be written), so only the dates are
// held to sense.
func CheckTenantNotice(in TenantNoticeInput, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	switch {
	case in.ReceivedOn.IsZero():
		p = append(p, invalid.F("mottatt: skriv datoen oppsigelsen kom"))
	case today.Before(in.ReceivedOn):
		p = append(p, invalid.F("mottatt: datoen kan ikke være fram i tid"))
	}
	if in.MovesOutOn.IsZero() {
		p = append(p, invalid.F("flytter ut: skriv datoen leietakeren flytter ut"))
	} else if !in.ReceivedOn.IsZero() && in.MovesOutOn.Before(in.ReceivedOn) {
		p = append(p, invalid.F("flytter ut: kan ikke være før oppsigelsen kom"))
	}
	return p
}

// stepName is each step's name as a message, for messages that name a step.
var stepName = map[Step]invalid.Message{
	Warning:      invalid.F("advarsel"),
	Notice:       invalid.F("oppsigelse"),
	Cancellation: invalid.F("heving"),
	Petition:     invalid.F("begjæring om utkastelse"),
	Eviction:     invalid.F("utkastelse"),
}

// Urgency is how urgent a step makes a tenancy on the risk list: rising
// steeply toward the eviction, when help comes too late (seed 002).
func Urgency(s Step) int {
	return map[Step]int{Warning: 15, Notice: 35, Cancellation: 60, Petition: 80, Eviction: 100}[s]
}
