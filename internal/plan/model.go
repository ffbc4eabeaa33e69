// Package plan holds the plans of follow-up in the home: the action plan
// (handlingsplan) with goals in the resident's own words, the individual
// plan (IP), the crisis plan and the responsibility group (ansvarsgruppe).
// Each belongs to a follow-up and is the resident's to read, comment on
// and propose to on Min side (seed 004; seed 002: "brukerens egne mål").
package plan

import (
	"slices"
	"strings"
	"time"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

// DefaultReviewMonths is the review cycle of an action plan where the
// municipality has set none: monthly (issue text; seed 004 asks that the
// plan be "evaluert jevnlig").
const DefaultReviewMonths = 1

// MaxText is the longest free text in a plan's fields.
const MaxText = 2000

// Route is one line of out-of-hours routing in a crisis plan: a service,
// its number and the hours it is the one to call.
type Route struct {
	Service string `json:"service"`
	Phone   string `json:"phone"`
	From    int    `json:"from_hour"`
	Until   int    `json:"until_hour"`
	Note    string `json:"note,omitempty"`
	Custom  bool   `json:"custom"`
}

// DefaultOutOfHours are the national numbers a crisis plan routes to
// where the municipality has entered none: emergency (113), the
// legevakt through 116 117 outside the GP's hours, and the child welfare
// emergency line through Alarmtelefonen for barn og unge (116 111) after
// 20:00 (the barnevernsvakt's hours vary; the municipality sets its own).
func DefaultOutOfHours() []Route {
	return []Route{
		{Service: "Medisinsk nødtelefon", Phone: "113", From: 0, Until: 24},
		{Service: "Legevakt", Phone: "116 117", From: 16, Until: 8},
		{Service: "Barnevernsvakt (Alarmtelefonen for barn og unge)", Phone: "116 111", From: 20, Until: 8},
	}
}

// Open reports whether the route applies at hour h (0–23); a route whose
// hours pass midnight runs from From to Until the next morning.
func (r Route) Open(h int) bool {
	if r.From == 0 && r.Until == 24 {
		return true
	}
	if r.From < r.Until {
		return h >= r.From && h < r.Until
	}
	return h >= r.From || h < r.Until
}

// RoutesAt lists the routes that apply at t.
func RoutesAt(routes []Route, t time.Time) []Route {
	var out []Route
	for _, r := range routes {
		if r.Open(t.Hour()) {
			out = append(out, r)
		}
	}
	return out
}

// AddMonths adds months to a date, keeping the day where the month has it.
func AddMonths(d deadline.Date, months int) deadline.Date {
	t := time.Date(d.Year, d.Month, 1, 12, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	day := d.Day
	last := time.Date(t.Year(), t.Month()+1, 0, 12, 0, 0, 0, time.UTC).Day()
	if day > last {
		day = last
	}
	return deadline.Of(t.Year(), t.Month(), day)
}

// Input is a new plan.
type Input struct {
	Kind  Kind          `json:"kind"`
	Title string        `json:"title"`
	Start deadline.Date `json:"start_on"`
	// FirstReview is the day of the first review; zero means one cycle
	// after the start.
	FirstReview deadline.Date `json:"first_review_on,omitzero"`
	// ReviewMonths is the cycle; zero means the municipality's.
	ReviewMonths int `json:"review_months,omitempty"`
	// Goal is the first goal, in the resident's own words: an action plan
	// or an individual plan is not made without one.
	Goal GoalInput `json:"goal"`
	// Consent is the person's consent to an individual plan, recorded as
	// a consent to the team's unit; ConsentID names one already given.
	Consent   bool  `json:"consent"`
	ConsentID int64 `json:"consent_id,omitempty"`
	// The crisis plan's parts.
	WarningSigns string `json:"warning_signs,omitempty"`
	WhatHelps    string `json:"what_helps,omitempty"`
	WhoToCall    string `json:"who_to_call,omitempty"`
}

// GoalInput is a goal in the resident's own words.
type GoalInput struct {
	Words      string      `json:"words"`
	Dimensions []Dimension `json:"dimensions"`
	Area       Area        `json:"area"`
}

func tooLong(s string) bool { return len([]rune(s)) > MaxText }

// CheckGoal checks a goal. The words are the resident's own and are kept
// as given (only surrounding blanks are trimmed); nothing is rewritten.
func CheckGoal(g GoalInput) []invalid.Message {
	var p []invalid.Message
	if strings.TrimSpace(g.Words) == "" {
		p = append(p, invalid.F("skriv målet med beboerens egne ord: en plan må ha minst ett mål"))
	} else if tooLong(g.Words) {
		p = append(p, invalid.F("målet kan ha høyst %d tegn", MaxText))
	}
	for _, d := range g.Dimensions {
		if !slices.Contains(Dimensions, d) {
			p = append(p, invalid.F("ukjent dimensjon i bedring (tilhørighet, håp, identitet, mening eller mestring): %q", string(d)))
		}
	}
	if !slices.Contains(Areas, g.Area) {
		p = append(p, invalid.F("velg hvilket område målet gjelder (bolig, arbeid, aktivitet, helse, økonomi, nettverk, utdanning eller annet)"))
	}
	return p
}

// Check checks a new plan against the follow-up's start and today.
func Check(in Input, followUpStart, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if !in.Kind.Valid() {
		p = append(p, invalid.F("velg hva slags plan (handlingsplan, individuell plan, kriseplan eller ansvarsgruppe)"))
		return p
	}
	if tooLong(in.Title) {
		p = append(p, invalid.F("tittelen kan ha høyst %d tegn", MaxText))
	}
	switch {
	case in.Start.IsZero():
		p = append(p, invalid.F("velg datoen planen starter"))
	case in.Start.Before(followUpStart):
		p = append(p, invalid.F("planen kan ikke starte før oppfølgingen startet (%s)", followUpStart))
	}
	if in.Kind.Reviewed() {
		if in.ReviewMonths < 0 || in.ReviewMonths > 12 {
			p = append(p, invalid.F("gjennomgang må skje mellom hver måned og hvert år (1–12 måneder)"))
		}
		if !in.FirstReview.IsZero() && !in.Start.IsZero() && in.FirstReview.Before(in.Start) {
			p = append(p, invalid.F("datoen for gjennomgang kan ikke være før planen starter (%s)", in.Start))
		}
	}
	if in.Kind.HasGoals() {
		p = append(p, CheckGoal(in.Goal)...)
	}
	if in.Kind == Individual && !in.Consent && in.ConsentID == 0 {
		// pasient- og brukerrettighetsloven § 2-5: the person has the right
		// to an individual plan; it is made only with their consent.
		p = append(p, invalid.F("individuell plan lages bare med personens samtykke: kryss av for at personen har samtykket"))
	}
	if in.Kind == Crisis {
		if strings.TrimSpace(in.WarningSigns) == "" {
			p = append(p, invalid.F("skriv varseltegnene i kriseplanen"))
		}
		if strings.TrimSpace(in.WhatHelps) == "" {
			p = append(p, invalid.F("skriv hva som hjelper i kriseplanen"))
		}
		if strings.TrimSpace(in.WhoToCall) == "" {
			p = append(p, invalid.F("skriv hvem som skal ringes i kriseplanen"))
		}
		for _, s := range []string{in.WarningSigns, in.WhatHelps, in.WhoToCall} {
			if tooLong(s) {
				p = append(p, invalid.F("hver del av kriseplanen kan ha høyst %d tegn", MaxText))
				break
			}
		}
	}
	return p
}

// ReviewInput is one review of a plan.
type ReviewInput struct {
	PlanID  int64         `json:"plan_id"`
	On      deadline.Date `json:"reviewed_on"`
	Summary string        `json:"summary"`
	// Next is the next review; zero means one cycle on.
	Next deadline.Date `json:"next_review_on,omitzero"`
}

// CheckReview checks a review against the plan's start and today.
func CheckReview(in ReviewInput, start, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	switch {
	case in.On.IsZero():
		p = append(p, invalid.F("velg datoen for gjennomgangen"))
	case in.On.Before(start):
		p = append(p, invalid.F("gjennomgangen kan ikke være før planen starter (%s)", start))
	case today.Before(in.On):
		p = append(p, invalid.F("en gjennomgang kan ikke registreres fram i tid"))
	}
	if strings.TrimSpace(in.Summary) == "" {
		p = append(p, invalid.F("skriv kort hva gjennomgangen kom fram til"))
	} else if tooLong(in.Summary) {
		p = append(p, invalid.F("oppsummeringen kan ha høyst %d tegn", MaxText))
	}
	if !in.Next.IsZero() && !in.On.IsZero() && !in.On.Before(in.Next) {
		p = append(p, invalid.F("neste gjennomgang må være etter denne"))
	}
	return p
}

// MeasureInput is a measure towards a goal, or a responsibility group's task.
type MeasureInput struct {
	PlanID      int64         `json:"plan_id"`
	GoalID      int64         `json:"goal_id,omitempty"`
	What        string        `json:"what"`
	Responsible string        `json:"responsible"`
	Due         deadline.Date `json:"due_on,omitzero"`
}

// CheckMeasure checks a measure or task: what, who, and a due date not
// before the plan starts.
func CheckMeasure(in MeasureInput, start deadline.Date, needsDue bool) []invalid.Message {
	var p []invalid.Message
	if strings.TrimSpace(in.What) == "" || tooLong(in.What) {
		p = append(p, invalid.F("skriv hva som skal gjøres (høyst %d tegn)", MaxText))
	}
	if strings.TrimSpace(in.Responsible) == "" || len([]rune(in.Responsible)) > 200 {
		p = append(p, invalid.F("skriv hvem som er ansvarlig (høyst 200 tegn)"))
	}
	switch {
	case in.Due.IsZero() && needsDue:
		p = append(p, invalid.F("velg fristen"))
	case !in.Due.IsZero() && in.Due.Before(start):
		p = append(p, invalid.F("fristen kan ikke være før planen starter (%s)", start))
	}
	return p
}

// MemberInput is a member of a responsibility group.
type MemberInput struct {
	PlanID           int64  `json:"plan_id"`
	Name             string `json:"name"`
	Agency           Agency `json:"agency"`
	Role             string `json:"role"`
	OutsideConsentID int64  `json:"outside_consent_id,omitempty"`
}

// CheckMember checks a member's name and agency; the consent is checked
// against the person's consents in the store.
func CheckMember(in MemberInput) []invalid.Message {
	var p []invalid.Message
	if strings.TrimSpace(in.Name) == "" || len([]rune(in.Name)) > 200 {
		p = append(p, invalid.F("skriv medlemmets navn (høyst 200 tegn)"))
	}
	if !slices.Contains(Agencies, in.Agency) {
		p = append(p, invalid.F("velg hvor medlemmet kommer fra (kommunen, fastlege, DPS, spesialisthelsetjenesten, NAV, politiet, pårørende eller annen)"))
	}
	if len([]rune(in.Role)) > 200 {
		p = append(p, invalid.F("rollen kan ha høyst 200 tegn"))
	}
	return p
}

// MeetingInput is a responsibility group's meeting.
type MeetingInput struct {
	PlanID  int64         `json:"plan_id"`
	On      deadline.Date `json:"held_on"`
	Agenda  string        `json:"agenda"`
	Minutes string        `json:"minutes"`
}

// CheckMeeting checks a meeting: a day not before the group started, an
// agenda, minutes only for a meeting held.
func CheckMeeting(in MeetingInput, start, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	switch {
	case in.On.IsZero():
		p = append(p, invalid.F("velg datoen for møtet"))
	case in.On.Before(start):
		p = append(p, invalid.F("møtet kan ikke være før ansvarsgruppen ble opprettet (%s)", start))
	}
	if strings.TrimSpace(in.Agenda) == "" || tooLong(in.Agenda) {
		p = append(p, invalid.F("skriv sakslisten for møtet (høyst %d tegn)", MaxText))
	}
	if tooLong(in.Minutes) {
		p = append(p, invalid.F("referatet kan ha høyst %d tegn", MaxText))
	}
	if strings.TrimSpace(in.Minutes) != "" && !in.On.IsZero() && today.Before(in.On) {
		p = append(p, invalid.F("referat kan bare skrives for et møte som er holdt"))
	}
	return p
}

// NoProgress reports whether a meeting on day on comes with no task done
// since the meeting before (prev, zero for the first): "det skal skje noe
// mellom hvert ansvarsgruppemøte" (seed 004). The first meeting is never
// flagged.
func NoProgress(prev, on deadline.Date, doneOn []deadline.Date) bool {
	if prev.IsZero() {
		return false
	}
	for _, d := range doneOn {
		if !d.IsZero() && prev.Before(d) && !on.Before(d) {
			return false
		}
	}
	return true
}

// CommentInput is the resident's comment or proposal.
type CommentInput struct {
	PlanID int64       `json:"plan_id"`
	Kind   CommentKind `json:"kind"`
	Body   string      `json:"body"`
}

// CheckComment checks a comment or proposal.
func CheckComment(in CommentInput) []invalid.Message {
	var p []invalid.Message
	if in.PlanID <= 0 {
		p = append(p, invalid.F("velg planen kommentaren gjelder"))
	}
	if in.Kind != Comment && in.Kind != Proposal {
		p = append(p, invalid.F("velg om det er en kommentar eller et forslag"))
	}
	if strings.TrimSpace(in.Body) == "" || tooLong(in.Body) {
		p = append(p, invalid.F("skriv kommentaren eller forslaget (høyst %d tegn)", MaxText))
	}
	return p
}

// PartInput is a part plan attached to an individual plan.
type PartInput struct {
	PlanID    int64    `json:"plan_id"`
	Kind      PartKind `json:"kind"`
	Reference string   `json:"reference"`
	HeldBy    string   `json:"held_by"`
}

// CheckPart checks a part plan reference.
func CheckPart(in PartInput) []invalid.Message {
	var p []invalid.Message
	if !slices.Contains(PartKinds, in.Kind) {
		p = append(p, invalid.F("velg hva slags delplan (behandlingsplan, individuell opplæringsplan eller annen)"))
	}
	if strings.TrimSpace(in.Reference) == "" || len([]rune(in.Reference)) > 500 {
		p = append(p, invalid.F("skriv hvor delplanen finnes (referanse, høyst 500 tegn)"))
	}
	if strings.TrimSpace(in.HeldBy) == "" || len([]rune(in.HeldBy)) > 200 {
		p = append(p, invalid.F("skriv hvem som har delplanen (høyst 200 tegn)"))
	}
	return p
}

// CoordinatorInput names an individual plan's coordinator, chosen
// together with the person (forskrift om habilitering og rehabilitering,
// individuell plan og koordinator § 21: the coordinator is chosen in
// cooperation with the patient or user).
type CoordinatorInput struct {
	PlanID   int64         `json:"plan_id"`
	UserID   int64         `json:"coordinator_id"`
	ChosenOn deadline.Date `json:"chosen_on"`
	// Agreed is how the person took part in the choice, in a sentence.
	Agreed string `json:"agreed_with_person"`
}

// CheckCoordinator checks the choice of coordinator.
func CheckCoordinator(in CoordinatorInput, start, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	if in.UserID <= 0 {
		p = append(p, invalid.F("velg koordinatoren"))
	}
	switch {
	case in.ChosenOn.IsZero():
		p = append(p, invalid.F("velg datoen koordinatoren ble valgt"))
	case today.Before(in.ChosenOn):
		p = append(p, invalid.F("datoen koordinatoren ble valgt, kan ikke være fram i tid"))
	}
	if strings.TrimSpace(in.Agreed) == "" || len([]rune(in.Agreed)) > 500 {
		p = append(p, invalid.F("skriv hvordan koordinatoren ble valgt sammen med personen (høyst 500 tegn)"))
	}
	return p
}
