package caseflow

import (
	"fmt"

	"husly/internal/deadline"
	"husly/internal/phrase"
)

// A Notice is a warning about a deadline as data: what it is, the date it
// is about and a count of days. Pages write it in the reader's language
// from it (the web catalogues' notice.<kind>); Warning, RenewalWarning and
// InterimWarning write it in bokmål for the API, the CLI and letters.
type Notice struct {
	Kind string        // "" when there is nothing to say
	On   deadline.Date // the date the notice is about
	Days int           // days until On, or days a service has lasted
	By   deadline.Date // interim services: the last day allowed without a decision
	// Detail is what the notice is about, as recorded: the information
	// requested, the service, the address.
	Detail string
}

// Kinds of notice.
const (
	NoticeDeadlinePassed            = "deadline.passed"             // the decision deadline passed, no provisional answer
	NoticeDeadlinePassedProvisional = "deadline.passed_provisional" // passed after a provisional answer
	NoticeDeadlineSoon              = "deadline.soon"               // within a week, no provisional answer (fvl. § 11 a)
	NoticePromisedPassed            = "promised.passed"             // the date a provisional answer promised has passed (fvl. § 11 a)
	NoticePromisedSoon              = "promised.soon"               // the promised date is within a week
	NoticeRenewalPassed             = "renewal.passed"              // the lease ended without renewal or ending
	NoticeRenewalSoon               = "renewal.soon"                // the lease ends within three months
	NoticeInterimLasted             = "interim.lasted"              // a service has run 14 days or more without a decision
	NoticeInterimPlanned            = "interim.planned"             // a service is planned for 14 days or more
	// The task list's other tasks.
	NoticeTaskDecide        = "task.decide"         // decide by the deadline
	NoticeTaskRequest       = "task.request"        // waiting for requested information
	NoticeTaskInterim       = "task.interim"        // a service is given without a decision
	NoticeTaskOffer         = "task.offer"          // waiting for the answer to an offer
	NoticeTaskLease         = "task.lease"          // an accepted offer needs its lease
	NoticeTaskMoveOut       = "task.move_out"       // a terminated tenancy needs its move-out inspection
	NoticeTaskAppeal        = "task.appeal"         // an appeal to reconsider
	NoticeTaskAppealForward = "task.appeal_forward" // an upheld appeal to send to Statsforvalteren
)

// NoticeKinds lists every kind, so the catalogues can be held against it.
var NoticeKinds = []string{NoticeDeadlinePassed, NoticeDeadlinePassedProvisional, NoticeDeadlineSoon, NoticePromisedPassed, NoticePromisedSoon,
	NoticeRenewalPassed, NoticeRenewalSoon, NoticeInterimLasted, NoticeInterimPlanned,
	NoticeTaskDecide, NoticeTaskRequest, NoticeTaskInterim, NoticeTaskOffer, NoticeTaskLease, NoticeTaskMoveOut, NoticeTaskAppeal, NoticeTaskAppealForward}

// DeadlineNotice says what an open application's deadline needs: a
// provisional answer before the month is out (forvaltningsloven § 11 a), or
// that the deadline has passed; after a provisional answer with a date,
// that the decision date it promised is near or has passed (§ 11 a: "når
// svar kan ventes").
func DeadlineNotice(x Application, today deadline.Date) Notice {
	if !undecided(x.Status) || x.DecisionDue.IsZero() {
		return Notice{}
	}
	due := x.DecisionDue
	days := today.DaysUntil(due)
	if promised := x.ProvisionalExpected; !promised.IsZero() && !x.Provisional.IsZero() {
		switch left := today.DaysUntil(promised); {
		case left < 0:
			return Notice{Kind: NoticePromisedPassed, On: promised, Days: left}
		case left <= 7:
			return Notice{Kind: NoticePromisedSoon, On: promised, Days: left}
		}
		return Notice{}
	}
	switch {
	case days < 0 && x.Provisional.IsZero():
		return Notice{Kind: NoticeDeadlinePassed, On: due, Days: days}
	case days < 0:
		return Notice{Kind: NoticeDeadlinePassedProvisional, On: due, Days: days}
	case days <= 7 && x.Provisional.IsZero():
		return Notice{Kind: NoticeDeadlineSoon, On: due, Days: days}
	}
	return Notice{}
}

// RenewalNotice says, from three months before the end, that the lease's
// renewal must be reviewed with the tenant.
func RenewalNotice(end deadline.Date, today deadline.Date) Notice {
	if end == (deadline.Date{}) || today.Before(ReviewFrom(end)) {
		return Notice{}
	}
	if end.Before(today) {
		return Notice{Kind: NoticeRenewalPassed, On: end, Days: today.DaysUntil(end)}
	}
	return Notice{Kind: NoticeRenewalSoon, On: end, Days: today.DaysUntil(end)}
}

// InterimNotice says when an interim service has run, or is planned to
// run, 14 days or more without a decision in force.
func InterimNotice(start, end deadline.Date, decided bool, today deadline.Date) Notice {
	if decided {
		return Notice{}
	}
	last := today
	if end != (deadline.Date{}) && end.Before(today) {
		last = end
	}
	days := start.DaysUntil(last) + 1
	limit := deadline.InterimServices.N
	switch {
	case days >= limit:
		return Notice{Kind: NoticeInterimLasted, On: start, Days: days}
	case end != (deadline.Date{}) && start.DaysUntil(end)+1 >= limit:
		return Notice{Kind: NoticeInterimPlanned, On: end, Days: start.DaysUntil(end) + 1, By: start.AddDays(limit - 1)}
	}
	return Notice{}
}

// days counts days in the right number: "1 dag", "3 dager".
func days(n int) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d dag", n)
	}
	return fmt.Sprintf("%d dager", n)
}

// inDays says when: "i dag", "om 1 dag", "om 3 dager".
func inDays(n int) string {
	if n == 0 {
		return "i dag"
	}
	return "om " + days(n)
}

// Bokmål writes a notice in bokmål.
func (n Notice) Bokmål() string {
	switch n.Kind {
	case NoticeDeadlinePassed:
		return fmt.Sprintf("Fristen gikk ut %s uten vedtak eller foreløpig svar.", n.On.Norwegian())
	case NoticeDeadlinePassedProvisional:
		return fmt.Sprintf("Fristen gikk ut %s; foreløpig svar er sendt, og vedtak må komme uten ugrunnet opphold.", n.On.Norwegian())
	case NoticeDeadlineSoon:
		return fmt.Sprintf("Frist for vedtak %s (%s): send foreløpig svar om saken ikke kan avgjøres innen da.", n.On.Norwegian(), inDays(n.Days))
	case NoticePromisedPassed:
		return fmt.Sprintf("Det foreløpige svaret lovet vedtak innen %s, og den datoen er passert: fatt vedtak, eller send nytt foreløpig svar med ny dato (forvaltningsloven § 11 a).", n.On.Norwegian())
	case NoticePromisedSoon:
		return fmt.Sprintf("Det foreløpige svaret lovet vedtak innen %s (%s).", n.On.Norwegian(), inDays(n.Days))
	case NoticeRenewalPassed:
		return "Leiekontrakten gikk ut " + n.On.Norwegian() + " uten at den er fornyet eller avsluttet."
	case NoticeRenewalSoon:
		return fmt.Sprintf("Leiekontrakten går ut %s: vurder fornyelse sammen med leietakeren nå (%s).", n.On.Norwegian(), inDays(n.Days))
	case NoticeInterimLasted:
		return fmt.Sprintf("Tjenesten har vart i %s uten vedtak. Tjenester i 14 dager eller mer krever vedtak: fatt vedtak nå.", days(n.Days))
	case NoticeInterimPlanned:
		return fmt.Sprintf("Tjenesten er planlagt til %s, 14 dager eller mer: den krever vedtak før dag 14 (%s).", n.On.Norwegian(), n.By.Norwegian())
	case NoticeTaskDecide:
		return "Fatt vedtak innen " + n.On.Norwegian() + "."
	case NoticeTaskRequest:
		return fmt.Sprintf("Venter på opplysninger: %s (frist %s).", n.Detail, n.On.Norwegian())
	case NoticeTaskInterim:
		return fmt.Sprintf("%s er gitt uten vedtak siden %s: fatt vedtak før %s.", n.Detail, n.On.Norwegian(), n.By.Norwegian())
	case NoticeTaskOffer:
		return fmt.Sprintf("Venter på svar på tilbudet om %s (svarfrist %s).", n.Detail, n.On.Norwegian())
	case NoticeTaskLease:
		return "Tilbudet om " + n.Detail + " er akseptert: lag leiekontrakten."
	case NoticeTaskMoveOut:
		return fmt.Sprintf("Leieforholdet i %s er sagt opp til %s: hold utflyttingsbefaring og registrer avslutningen den dagen.", n.Detail, n.On.Norwegian())
	case NoticeTaskAppeal:
		return "Klage mottatt " + n.On.Norwegian() + ": vurder vedtaket på nytt uten ugrunnet opphold."
	case NoticeTaskAppealForward:
		return "Vedtaket er opprettholdt etter klage: send saken til Statsforvalteren."
	}
	return ""
}

// Phrase is the notice as a phrase for the web catalogues' notice.<kind>
// (plural by the day count): the days, the date, the second date and what
// it is about, in that order.
func (n Notice) Phrase() phrase.Phrase {
	if n.Kind == "" {
		return phrase.Phrase{}
	}
	return phrase.New("notice."+n.Kind, phrase.Count(n.Days), phrase.Date(n.On), phrase.Date(n.By), phrase.Text(n.Detail))
}

// speakNotice rewrites a warning written in bokmål in the reader's language.
func speakNotice(text *string, n Notice, write func(phrase.Phrase) string) {
	if n.Kind != "" {
		*text = write(n.Phrase())
	}
}

// Speak writes the deadline warning in the reader's language (phrase.Speaker).
func (x *Application) Speak(write func(phrase.Phrase) string) {
	speakNotice(&x.Warning, x.Notice, write)
}

// Speak writes the renewal warning in the reader's language.
func (l *CaseLease) Speak(write func(phrase.Phrase) string) { speakNotice(&l.Warning, l.Notice, write) }

// Speak writes the interim service's warning in the reader's language.
func (x *Interim) Speak(write func(phrase.Phrase) string) { speakNotice(&x.Warning, x.Notice, write) }

// Speak writes the task in the reader's language.
func (t *Task) Speak(write func(phrase.Phrase) string) { speakNotice(&t.Text, t.Notice, write) }
