package followup

import (
	"math"
	"sort"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/invalid"
)

// Member is one person on a team.
type Member struct {
	ID       int64      `json:"id"`
	UserID   int64      `json:"user_id"`
	Name     string     `json:"name"`
	Role     MemberRole `json:"role"`
	FTE      float64    `json:"fte"`
	Employer Employer   `json:"employer"`
	Tasks    []Task     `json:"tasks"`
	// Load is the member's caseload as primary contact against the norm.
	Load Load `json:"load"`
}

// Team is a service giving follow-up, with its members and norm.
type Team struct {
	ID          int64    `json:"id"`
	OrgUnitID   int64    `json:"org_unit_id"`
	Name        string   `json:"name"`
	Model       Model    `json:"model"`
	Norm        Norm     `json:"norm"`
	Members     []Member `json:"members"`
	PersonYears float64  `json:"person_years"`
	// Load is the team's caseload (residents in active or open-door
	// follow-up) against the norm for its person-years.
	Load Load `json:"load"`
}

// Load is a caseload against a norm.
type Load struct {
	Count int `json:"count"`
	// Max is what the norm allows; zero when the model has no norm.
	Max  float64 `json:"max"`
	Over bool    `json:"over"`
}

// Caseload measures count residents against the norm for personYears:
// over when the count is above what the norm allows (seed 002's FACT
// example: about 60 residents for 13.65 person-years).
func Caseload(n Norm, personYears float64, count int) Load {
	l := Load{Count: count}
	if n.MaxPerPersonYear <= 0 {
		return l
	}
	l.Max = math.Round(n.MaxPerPersonYear*personYears*10) / 10
	l.Over = float64(count) > l.Max
	return l
}

// Measure fills a team's person-years and the loads of the team and each
// member, from the count of residents each member is primary contact for
// and the team's total.
func (t *Team) Measure(byPrimary map[int64]int, total int) {
	t.PersonYears = 0
	for i := range t.Members {
		m := &t.Members[i]
		t.PersonYears += m.FTE
		m.Tasks = TaskProfile(m.Role)
		if Does(m.Role, TaskPrimaryContact) {
			m.Load = Caseload(t.Norm, m.FTE, byPrimary[m.UserID])
		} else {
			m.Load = Load{Count: byPrimary[m.UserID]}
		}
	}
	t.PersonYears = math.Round(t.PersonYears*100) / 100
	t.Load = Caseload(t.Norm, t.PersonYears, total)
}

// MemberOf finds the member with user id, or nil.
func (t Team) MemberOf(userID int64) *Member {
	for i := range t.Members {
		if t.Members[i].UserID == userID {
			return &t.Members[i]
		}
	}
	return nil
}

// CheckNorm checks a municipality's own norm.
func CheckNorm(n Norm) []invalid.Message {
	var p []invalid.Message
	if !n.Model.Valid() {
		p = append(p, invalid.F("ukjent oppfølgingsmodell «%s»", string(n.Model)))
	}
	if n.MaxPerPersonYear < 0 || n.MaxPerPersonYear > 200 || math.IsNaN(n.MaxPerPersonYear) {
		p = append(p, invalid.F("normen for antall beboere per årsverk må være fra 0 til 200"))
	}
	if n.MinContactDays < 0 || n.MinContactDays > 365 {
		p = append(p, invalid.F("største antall dager mellom kontakter må være fra 0 til 365"))
	}
	if strings.TrimSpace(n.Source) == "" {
		p = append(p, invalid.F("skriv hvor normen kommer fra (kilde eller kommunens vedtak)"))
	}
	return p
}

// CheckMember checks a member before they join a team.
func CheckMember(m Member) []invalid.Message {
	var p []invalid.Message
	if m.UserID <= 0 {
		p = append(p, invalid.F("velg den ansatte som skal være med i teamet"))
	}
	if !m.Role.Valid() {
		p = append(p, invalid.F("velg rollen den ansatte har i teamet"))
	}
	if !(m.FTE > 0 && m.FTE <= 1) {
		p = append(p, invalid.F("stillingsandelen i teamet må være mer enn 0 og høyst 1 årsverk"))
	}
	if m.Employer != Municipality && m.Employer != SpecialistHealth {
		p = append(p, invalid.F("velg om den ansatte er ansatt i kommunen eller i spesialisthelsetjenesten"))
	}
	return p
}

// StartInput is a new follow-up.
type StartInput struct {
	PersonID      int64         `json:"person_id"`
	TeamID        int64         `json:"team_id"`
	PrimaryID     int64         `json:"primary_contact_id"`
	CoordinatorID int64         `json:"coordinator_id"`
	StartOn       deadline.Date `json:"start_on,omitzero"`
	Intensity     Intensity     `json:"intensity"`
	// DecisionID and ServiceCode: from the combined decision. Without
	// them the follow-up is advice and guidance under § 17.
	DecisionID  int64  `json:"decision_id"`
	ServiceCode string `json:"service_code"`
}

// CheckStart checks who follows the resident: the primary contact and the
// coordinator must be members of the team whose profile carries the task.
func CheckStart(in StartInput, t Team, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if !in.Intensity.Valid() {
		p = append(p, invalid.F("velg hvor tett oppfølgingen skal være (lav, middels eller høy)"))
	}
	if today.Before(in.StartOn) && in.DecisionID == 0 {
		p = append(p, invalid.F("oppstarten av råd og veiledning kan ikke være fram i tid"))
	}
	m := t.MemberOf(in.PrimaryID)
	switch {
	case in.PrimaryID <= 0:
		p = append(p, invalid.F("velg primærkontakten"))
	case m == nil:
		p = append(p, invalid.F("primærkontakten må være medlem av %s", t.Name))
	case !Does(m.Role, TaskPrimaryContact):
		p = append(p, invalid.F("%s har rollen %s, som ikke er primærkontakt for beboere", m.Name, string(m.Role)))
	}
	if in.CoordinatorID > 0 {
		c := t.MemberOf(in.CoordinatorID)
		switch {
		case c == nil:
			p = append(p, invalid.F("koordinatoren må være medlem av %s", t.Name))
		case !Does(c.Role, TaskCoordinator):
			p = append(p, invalid.F("%s har rollen %s, som ikke koordinerer tjenester", c.Name, string(c.Role)))
		}
	}
	return p
}

// ContactInput is one contact recorded.
type ContactInput struct {
	Kind ContactKind   `json:"kind"`
	On   deadline.Date `json:"on,omitzero"`
	// Minutes is how long it lasted.
	Minutes int `json:"minutes"`
	// Met is false when the resident was not met: it is recorded, and it
	// never closes the follow-up.
	Met   *bool `json:"met,omitempty"`
	Risky bool  `json:"risky"`
	// StaffIDs are the staff who took part; the one recording is always
	// among them.
	StaffIDs     []int64         `json:"staff_ids"`
	Note         string          `json:"note"`
	NoteCategory access.Category `json:"note_category"`
}

// NoteCategories are the categories a contact's note may be filed under.
var NoteCategories = []access.Category{access.FollowUpPlan, access.Health, access.Substance, access.Tenancy, access.Finances}

// MaxNote is the length of a short note; the full record belongs in the
// journal system (seed 003: the teams write in their own journals).
const MaxNote = 1000

// CheckContact checks a contact against the follow-up it belongs to.
func CheckContact(in ContactInput, start deadline.Date, status Status, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if !in.Kind.Valid() {
		p = append(p, invalid.F("velg hvordan kontakten var (hjemmebesøk, telefon, ute, video, ledsaging eller møte med andre)"))
	}
	if today.Before(in.On) {
		p = append(p, invalid.F("kontakten kan ikke være fram i tid (%s)", in.On))
	}
	if in.On.Before(start) {
		p = append(p, invalid.F("kontakten kan ikke være før oppfølgingen startet (%s)", start))
	}
	if in.Minutes < 1 || in.Minutes > 1440 {
		p = append(p, invalid.F("varigheten må være fra 1 til 1440 minutter"))
	}
	if in.Risky && len(in.StaffIDs) < 2 {
		p = append(p, invalid.F("et besøk merket som risikofylt krever minst to ansatte"))
	}
	if len([]rune(in.Note)) > MaxNote {
		p = append(p, invalid.F("notatet kan ha høyst %d tegn; skriv resten i journalen", MaxNote))
	}
	known := false
	for _, c := range NoteCategories {
		known = known || c == in.NoteCategory
	}
	if !known {
		p = append(p, invalid.F("velg hvilken kategori notatet hører til, så tilgangsreglene gjelder"))
	}
	if status == Ended {
		p = append(p, invalid.F("oppfølgingen er avsluttet etter beboerens eget ønske; start en ny om beboeren vil ha den igjen"))
	}
	return p
}

// EndInput is the resident's own wish to end follow-up.
type EndInput struct {
	On deadline.Date `json:"on,omitzero"`
	// Statement is the resident's own words, recorded as said.
	Statement string    `json:"statement"`
	Reason    EndReason `json:"reason"`
}

// CheckEnd refuses every ending that is not the resident's own: without
// their statement, or for a move, the loss of the home or missed
// appointments (seed 002: "Vi har ikke lov til å gi oss … helt til
// brukeren sier at han ikke vil ha oss der lenger").
func CheckEnd(in EndInput, start deadline.Date, status Status, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if len([]rune(strings.TrimSpace(in.Statement))) < 5 {
		p = append(p, invalid.F("oppfølgingen avsluttes bare når beboeren selv sier det: skriv beboerens egne ord"))
	}
	if m, ok := notReasons[string(in.Reason)]; ok {
		p = append(p, m)
	} else if !in.Reason.Valid() {
		p = append(p, invalid.F("velg beboerens grunn til å avslutte"))
	}
	if today.Before(in.On) {
		p = append(p, invalid.F("avslutningen kan ikke være fram i tid"))
	}
	if in.On.Before(start) {
		p = append(p, invalid.F("avslutningen kan ikke være før oppfølgingen startet (%s)", start))
	}
	if status == Ended {
		p = append(p, invalid.F("oppfølgingen er allerede avsluttet"))
	}
	if len([]rune(in.Statement)) > 2000 {
		p = append(p, invalid.F("beboerens utsagn kan ha høyst 2000 tegn"))
	}
	return p
}

// DoorInput keeps the door open for a resident who declines for now.
type DoorInput struct {
	// Statement is the resident's words declining.
	Statement string `json:"statement"`
	// Channel is the low-key contact kept, e.g. through the caretaker.
	Channel  string        `json:"channel"`
	AskAgain deadline.Date `json:"ask_again_on"`
}

// CheckDoor checks the open-door mode: the resident's words and a day to
// ask again, within a year.
func CheckDoor(in DoorInput, status Status, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if len([]rune(strings.TrimSpace(in.Statement))) < 5 {
		p = append(p, invalid.F("skriv hva beboeren selv sa da hen takket nei"))
	}
	if strings.TrimSpace(in.Channel) == "" {
		p = append(p, invalid.F("skriv hvordan dere holder lav kontakt, for eksempel gjennom miljøvaktmesteren"))
	}
	if in.AskAgain.IsZero() || !today.Before(in.AskAgain) {
		p = append(p, invalid.F("datoen for å spørre igjen må være etter i dag"))
	} else if today.AddDays(366).Before(in.AskAgain) {
		p = append(p, invalid.F("spør igjen innen et år"))
	}
	if status == Ended {
		p = append(p, invalid.F("oppfølgingen er allerede avsluttet"))
	}
	if len([]rune(in.Statement)) > 2000 || len([]rune(in.Channel)) > 500 {
		p = append(p, invalid.F("utsagnet kan ha høyst 2000 tegn og kontaktmåten høyst 500"))
	}
	return p
}

// BoardInput flags a resident on the board.
type BoardInput struct {
	Reason string        `json:"reason"`
	From   deadline.Date `json:"from_on,omitzero"`
	Until  deadline.Date `json:"until_on"`
}

// CheckBoard checks a board flag: a reason and an end date, since a flag
// nobody lifts turns the board into a list of everyone.
func CheckBoard(in BoardInput, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if strings.TrimSpace(in.Reason) == "" {
		p = append(p, invalid.F("skriv hvorfor beboeren skal på tavla"))
	}
	if len([]rune(in.Reason)) > 500 {
		p = append(p, invalid.F("grunnen kan ha høyst 500 tegn"))
	}
	if in.Until.IsZero() {
		p = append(p, invalid.F("velg datoen merkingen på tavla slutter"))
	} else if in.Until.Before(in.From) || in.Until.Before(today) {
		p = append(p, invalid.F("sluttdatoen for tavla kan ikke være før startdatoen eller i dag"))
	} else if in.From.AddDays(92).Before(in.Until) {
		p = append(p, invalid.F("en merking på tavla varer høyst tre måneder; merk på nytt om det trengs"))
	}
	return p
}

// AppointmentInput is help with an appointment, kept as a task.
type AppointmentInput struct {
	With     AppointmentWith `json:"with"`
	What     string          `json:"what"`
	On       deadline.Date   `json:"on"`
	RemindOn deadline.Date   `json:"remind_on,omitzero"`
	OwnerID  int64           `json:"owner_id"`
}

// CheckAppointment checks an appointment task; the reminder defaults to
// two days before.
func CheckAppointment(in *AppointmentInput, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if !in.With.Valid() {
		p = append(p, invalid.F("velg hvem avtalen er med (fastlege, behandler, NAV, tannlege eller annet)"))
	}
	if strings.TrimSpace(in.What) == "" || len([]rune(in.What)) > 300 {
		p = append(p, invalid.F("skriv kort hva avtalen gjelder (høyst 300 tegn)"))
	}
	if in.On.IsZero() || in.On.Before(today) {
		p = append(p, invalid.F("avtalen må være i dag eller senere"))
	}
	if in.RemindOn.IsZero() && !in.On.IsZero() {
		in.RemindOn = in.On.AddDays(-2)
		if in.RemindOn.Before(today) {
			in.RemindOn = today
		}
	}
	if in.On.Before(in.RemindOn) {
		p = append(p, invalid.F("påminnelsen kan ikke være etter avtalen"))
	}
	return p
}

// AlertKind is what an alert is about.
type AlertKind string

const (
	// ContactOverdue: no contact within the service's minimum frequency.
	ContactOverdue AlertKind = "kontakt_forfalt"
	// AskAgain: the day to ask again a resident who declined has come.
	AskAgain AlertKind = "spor_igjen"
	// AppointmentDue: an appointment task's reminder day has come.
	AppointmentDue AlertKind = "avtale"
	// CTIEnding: a time-limited CTI follow-up has reached its planned end;
	// the resident decides what comes next.
	CTIEnding AlertKind = "cti_slutt"
	// PlanReviewDue: an action plan's or individual plan's review day has
	// come (the review cycle, monthly by default; internal/plan).
	PlanReviewDue AlertKind = "plan_gjennomgang"
	// IPWithoutCoordinator: an individual plan has no coordinator (helse-
	// og omsorgstjenesteloven § 7-2: a person with an individual plan is
	// to have a coordinator).
	IPWithoutCoordinator AlertKind = "ip_uten_koordinator" //nolint:gosec // an alert kind, not a credential
)

// PlanState is what the alerts need to know of one plan.
type PlanState struct {
	PlanID         int64
	FollowUpID     int64
	Individual     bool
	NextReview     deadline.Date
	HasCoordinator bool
}

// State is what the alerts need to know of one follow-up.
type State struct {
	FollowUpID  int64
	PersonID    int64
	TeamID      int64
	PrimaryID   int64
	Model       Model
	Status      Status
	Start       deadline.Date
	LastContact deadline.Date // the last contact where the resident was met
	AskAgain    deadline.Date
	MinDays     int
}

// Appointment is an open appointment task, for the alerts.
type Appointment struct {
	ID         int64           `json:"id"`
	FollowUpID int64           `json:"followup_id"`
	With       AppointmentWith `json:"with"`
	What       string          `json:"what"`
	On         deadline.Date   `json:"on"`
	RemindOn   deadline.Date   `json:"remind_on"`
	OwnerID    int64           `json:"owner_id"`
	OwnerName  string          `json:"owner_name"`
	DoneOn     deadline.Date   `json:"done_on,omitzero"`
}

// Alert is one thing the primary contact and the team must act on.
type Alert struct {
	Kind       AlertKind     `json:"kind"`
	FollowUpID int64         `json:"followup_id"`
	PersonID   int64         `json:"person_id"`
	TeamID     int64         `json:"team_id"`
	PrimaryID  int64         `json:"primary_contact_id"`
	Due        deadline.Date `json:"due"`
	// Days is how many days past due (0 on the day).
	Days int `json:"days_overdue"`
	// AppointmentID names the task of an appointment alert.
	AppointmentID int64 `json:"appointment_id,omitempty"`
	// PlanID names the plan of a plan alert.
	PlanID int64 `json:"plan_id,omitempty"`
}

// ContactDue is the last day the next contact is due under the service's
// minimum frequency, counted from the last contact where the resident was
// met (a visit where no one opened does not count), or from the start.
// ok is false when the service has no frequency or the follow-up is not
// active (the open door keeps only low-key contact).
func ContactDue(s State) (due deadline.Date, ok bool) {
	if s.MinDays <= 0 || s.Status != Active {
		return deadline.Date{}, false
	}
	base := s.Start
	if !s.LastContact.IsZero() && base.Before(s.LastContact) {
		base = s.LastContact
	}
	return base.AddDays(s.MinDays), true
}

// Alerts lists what is overdue or due today for the follow-ups and open
// appointment tasks given, most overdue first: missed contact frequency,
// days to ask again, appointment reminders, CTI periods at their end, plan
// reviews due and individual plans without a coordinator.
func Alerts(states []State, appointments []Appointment, today deadline.Date, plans ...PlanState) []Alert {
	out := []Alert{}
	byID := make(map[int64]*State, len(states))
	for i := range states {
		s := &states[i]
		byID[s.FollowUpID] = s
		a := Alert{FollowUpID: s.FollowUpID, PersonID: s.PersonID, TeamID: s.TeamID, PrimaryID: s.PrimaryID}
		if due, ok := ContactDue(*s); ok && due.Before(today) {
			a.Kind, a.Due, a.Days = ContactOverdue, due, due.DaysUntil(today)
			out = append(out, a)
		}
		if s.Status == DoorOpen && !s.AskAgain.IsZero() && !today.Before(s.AskAgain) {
			a.Kind, a.Due, a.Days = AskAgain, s.AskAgain, s.AskAgain.DaysUntil(today)
			out = append(out, a)
		}
		if s.Model == CTI && s.Status != Ended {
			end := addMonths(s.Start, CTIMonths)
			if !today.Before(end) {
				a.Kind, a.Due, a.Days = CTIEnding, end, end.DaysUntil(today)
				out = append(out, a)
			}
		}
	}
	for _, ap := range appointments {
		s, ok := byID[ap.FollowUpID]
		if !ok || !ap.DoneOn.IsZero() || s.Status == Ended || today.Before(ap.RemindOn) {
			continue
		}
		out = append(out, Alert{Kind: AppointmentDue, FollowUpID: s.FollowUpID, PersonID: s.PersonID, TeamID: s.TeamID,
			PrimaryID: ap.OwnerID, Due: ap.On, Days: ap.On.DaysUntil(today), AppointmentID: ap.ID})
	}
	for _, p := range plans {
		s, ok := byID[p.FollowUpID]
		if !ok || s.Status == Ended {
			continue
		}
		a := Alert{FollowUpID: s.FollowUpID, PersonID: s.PersonID, TeamID: s.TeamID, PrimaryID: s.PrimaryID, PlanID: p.PlanID}
		if !p.NextReview.IsZero() && !today.Before(p.NextReview) {
			a.Kind, a.Due, a.Days = PlanReviewDue, p.NextReview, p.NextReview.DaysUntil(today)
			out = append(out, a)
		}
		if p.Individual && !p.HasCoordinator {
			a.Kind, a.Due, a.Days = IPWithoutCoordinator, today, 0
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Days != out[j].Days {
			return out[i].Days > out[j].Days
		}
		return out[i].FollowUpID < out[j].FollowUpID
	})
	return out
}

// addMonths adds months to a date, keeping the day where the month has it.
func addMonths(d deadline.Date, months int) deadline.Date {
	m := int(d.Month) - 1 + months
	y := d.Year + m/12
	m %= 12
	day := d.Day
	for day > 28 && !validDay(y, m+1, day) {
		day--
	}
	return deadline.Of(y, time.Month(m+1), day)
}

func validDay(y, m, d int) bool {
	t := deadline.Of(y, time.Month(m), d).AddDays(0)
	return t.Day == d
}
