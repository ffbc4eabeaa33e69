package arrears

import (
	"errors"
	"strconv"
	"strings"

	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/phrase"
)

// ErrNotFound is a lease, due or conversation not in the actor's
// municipality.
var ErrNotFound = errors.New("finnes ikke")

// ValidationError lists what is wrong with an input.
type ValidationError = invalid.Error

func bad(p []invalid.Message) error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// NAV bases: the tenant's consent to a NAV unit covering finances, or a
// legal basis the staff member names.
const (
	BasisConsent = "samtykke"
	BasisLaw     = "hjemmel"
)

// Practice is the municipality's practice for the conversation.
type Practice struct {
	// ConversationDays: the conversation is due this many days after the
	// first missed due date.
	ConversationDays int    `json:"conversation_days"`
	Source           string `json:"source"`
	Custom           bool   `json:"custom"`
}

// DefaultConversationDays is 14: a landlord may ask for eviction for
// unpaid rent when 14 days have passed after a written demand
// (tvangsfullbyrdelsesloven § 13-2 third paragraph (a), with the notice of
// § 4-18), so the conversation must come within those first two weeks to
// come before any step toward collection or eviction.
const DefaultConversationDays = 14

// DefaultSource is the default's source, shown beside it.
const DefaultSource = "tvangsfullbyrdelsesloven § 13-2 tredje ledd bokstav a og § 4-18: 14 dager etter varsel kan utkastelse begjæres; samtalen må komme før det (Husbankens veileder om bo-oppfølging)"

// DefaultPractice is the lawful default.
func DefaultPractice() Practice {
	return Practice{ConversationDays: DefaultConversationDays, Source: DefaultSource}
}

// Check names what is wrong with a practice.
func (p Practice) Check() []invalid.Message {
	var ps []invalid.Message
	if p.ConversationDays < 1 || p.ConversationDays > DefaultConversationDays {
		ps = append(ps, invalid.F("fristen for samtalen må være mellom 1 og %d dager etter første forfall, fikk %d: etter 14 dager kan utleier begjære utkastelse (tvangsfullbyrdelsesloven § 13-2)", DefaultConversationDays, p.ConversationDays))
	}
	if strings.TrimSpace(p.Source) == "" {
		ps = append(ps, invalid.F("oppgi kilden for kommunens frist (vedtak, rutine eller avtale)"))
	}
	return ps
}

// ConversationDue is the day the conversation should be held by.
func (p Practice) ConversationDue(firstMissed deadline.Date) deadline.Date {
	return firstMissed.AddDays(p.ConversationDays)
}

// ParseKroner reads an amount in kroner as the economy system writes it
// ("7250", "7 250,50", "7250.5", "-") into whole øre. It refuses negative
// amounts, more than two decimals and anything that is not a number.
func ParseKroner(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "kr"), "kr")
	if s == "" || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		return 0, false
	}
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > 12 || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, false
	}
	k, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	var ore int64
	if hasFrac {
		if len(frac) == 1 {
			frac += "0"
		}
		o, err := strconv.ParseInt(frac, 10, 64)
		if err != nil || o < 0 {
			return 0, false
		}
		ore = o
	}
	return k*100 + ore, true
}

// Kroner writes øre as kroner for a message: "7250" or "7250,50".
func Kroner(ore int64) string {
	s := strconv.FormatInt(ore/100, 10)
	if r := ore % 100; r != 0 {
		s += "," + strconv.FormatInt(r/10, 10) + strconv.FormatInt(r%10, 10)
	}
	return s
}

// ParseDay reads a due date as "2026-11-01" or "01.11.2026".
func ParseDay(s string) (deadline.Date, bool) {
	s = strings.TrimSpace(s)
	if d, err := deadline.Parse(s); err == nil {
		return d, true
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 || len(parts[2]) != 4 {
		return deadline.Date{}, false
	}
	d, err := deadline.Parse(parts[2] + "-" + pad2(parts[1]) + "-" + pad2(parts[0]))
	return d, err == nil
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// Line is one due as the economy system or a form gives it. Line is its
// number in the file (the header is line 1) or its place in a posted
// batch, so a problem can name it.
type Line struct {
	Line           int           `json:"-"`
	LeaseID        int64         `json:"lease_id"`
	IdentityNumber string        `json:"identity_number"`
	DueRef         string        `json:"due_ref"`
	Kind           Kind          `json:"kind"`
	DueOn          deadline.Date `json:"due_on"`
	Amount         int64         `json:"amount_ore"`
	// Outstanding is what is unpaid; nil means the whole amount.
	Outstanding *int64 `json:"outstanding_ore"`
	person      int64
}

// CheckLine names what is wrong with one line on its own: the kind, the
// reference, the amounts and the due date (never after today: the economy
// system reports dues that have fallen due).
func CheckLine(l Line, today deadline.Date) []invalid.Message {
	var ps []invalid.Message
	if l.LeaseID <= 0 {
		ps = append(ps, invalid.F("oppgi leieforholdet (leieforhold) som forfallet gjelder"))
	}
	if !l.Kind.Valid() {
		ps = append(ps, invalid.F("ukjent type «%s»: bruk husleie, strom eller annet", string(l.Kind)))
	}
	if len([]rune(l.DueRef)) > 100 {
		ps = append(ps, invalid.F("forfallets referanse kan ha høyst 100 tegn"))
	}
	switch {
	case l.DueOn.IsZero():
		ps = append(ps, invalid.F("oppgi forfallsdatoen"))
	case today.Before(l.DueOn):
		ps = append(ps, invalid.F("forfallsdatoen %s er fram i tid: bare forfall som har passert, kan være restanser", l.DueOn))
	}
	if l.Amount <= 0 {
		ps = append(ps, invalid.F("beløpet må være større enn 0 kr"))
	}
	if l.Outstanding != nil && (*l.Outstanding < 0 || *l.Outstanding > l.Amount) {
		ps = append(ps, invalid.F("utestående (%s kr) må være mellom 0 og beløpet (%s kr)", Kroner(*l.Outstanding), Kroner(l.Amount)))
	}
	return ps
}

// checkUnread is CheckLine for a line whose text had fields that could
// not be read: only the checks that do not depend on the amounts and the
// date, which are named already.
func checkUnread(l Line, today deadline.Date) []invalid.Message {
	var ps []invalid.Message
	if !l.Kind.Valid() {
		ps = append(ps, invalid.F("ukjent type «%s»: bruk husleie, strom eller annet", string(l.Kind)))
	}
	if !l.DueOn.IsZero() && today.Before(l.DueOn) {
		ps = append(ps, invalid.F("forfallsdatoen %s er fram i tid: bare forfall som har passert, kan være restanser", l.DueOn))
	}
	return ps
}

func (l Line) outstanding() int64 {
	if l.Outstanding == nil {
		return l.Amount
	}
	return *l.Outstanding
}

// Urgency of a lease's arrears, 0–100: rising with the amount (up to 50
// points at 25,000 kr, about three months' rent in municipal housing) and
// with the days since the oldest unpaid due (up to 50 points at 90 days,
// when an eviction can be well under way).
func Urgency(outstanding int64, daysOverdue int) int {
	kr := outstanding / 100
	a := min(50, int(kr/500))
	d := min(50, max(0, daysOverdue)*50/90)
	return max(1, min(100, a+d))
}

// Reason says why a lease is at risk: "3 forfall ubetalt, 14 250 kr siden
// 5. oktober".
func Reason(dues int, outstanding int64, since deadline.Date) phrase.Phrase {
	return phrase.New("arrears.risk.reason", phrase.Count(dues), phrase.Number(float64(outstanding)/100), phrase.Date(since))
}
