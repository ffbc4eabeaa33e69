package plan

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/store"
)

// ErrNotFound is a follow-up or plan that is not in the actor's
// municipality (or, for a resident, not their own).
var ErrNotFound = errors.New("finnes ikke")

func bad(p []invalid.Message) error {
	if len(p) == 0 {
		return nil
	}
	return &invalid.Error{Problems: p}
}

// followUp is what a plan needs of its follow-up.
type followUp struct {
	ID, PersonID, TeamID, OrgUnitID int64
	Start                           deadline.Date
	Ended                           bool
}

func followUpOf(ctx context.Context, q store.Queryer, municipalityID, id int64) (followUp, error) {
	var f followUp
	var status string
	err := q.QueryRowContext(ctx, `SELECT f.id, f.person_id, f.team_id, t.org_unit_id, f.start_on, f.status FROM followups f
		JOIN followup_teams t ON t.id = f.team_id WHERE f.id = ? AND f.municipality_id = ?`, id, municipalityID).
		Scan(&f.ID, &f.PersonID, &f.TeamID, &f.OrgUnitID, &f.Start, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNotFound
	}
	f.Ended = status == "avsluttet"
	return f, err
}

// mayWrite checks that the actor may change a person's plans: staff who
// write (never property staff), with follow-up (and cats) open for the
// person.
func mayWrite(ctx context.Context, q store.Queryer, a access.Actor, personID int64, cats ...access.Category) error {
	if !a.Writes() || a.Role == access.Property {
		return access.ErrForbidden
	}
	g, err := access.Authorize(ctx, q, a, personID)
	if err != nil {
		return err
	}
	for _, c := range append([]access.Category{access.FollowUpPlan}, cats...) {
		if !g.Allows(c) {
			return access.ErrForbidden
		}
	}
	return nil
}

// planRow is a plan's own row, for the changes.
type planRow struct {
	ID, FollowUpID, PersonID int64
	Kind                     Kind
	Start                    deadline.Date
	ReviewMonths             int
	TeamID                   int64
}

// writable loads a plan of the follow-up for a change and checks the
// actor's access first, so a refused actor learns nothing of the plan.
// planID zero is a missing choice in a form: a problem, not a 404.
func writable(ctx context.Context, q store.Queryer, a access.Actor, followUpID, planID int64, cats ...access.Category) (planRow, error) {
	f, err := followUpOf(ctx, q, a.MunicipalityID, followUpID)
	if err != nil {
		return planRow{}, err
	}
	if err := mayWrite(ctx, q, a, f.PersonID, cats...); err != nil {
		return planRow{}, err
	}
	if planID <= 0 {
		return planRow{}, invalid.Problem("velg planen")
	}
	p := planRow{TeamID: f.TeamID}
	err = q.QueryRowContext(ctx, `SELECT id, followup_id, person_id, kind, start_on, review_months FROM plans WHERE id = ? AND followup_id = ? AND municipality_id = ?`,
		planID, followUpID, a.MunicipalityID).Scan(&p.ID, &p.FollowUpID, &p.PersonID, &p.Kind, &p.Start, &p.ReviewMonths)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, err
}

// ReviewMonths is the municipality's review cycle for action plans.
func ReviewMonths(ctx context.Context, q store.Queryer, municipalityID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT review_months FROM plan_settings WHERE municipality_id = ?`, municipalityID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultReviewMonths, nil
	}
	return n, err
}

// SetReviewMonths sets the municipality's review cycle (unit leaders).
func SetReviewMonths(ctx context.Context, q store.Queryer, a access.Actor, months int) error {
	if a.Role != access.UnitLeader && a.Role != access.Admin {
		return access.ErrForbidden
	}
	if months < 1 || months > 12 {
		return invalid.Problem("gjennomgang må skje mellom hver måned og hvert år (1–12 måneder)")
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM plan_settings WHERE municipality_id = ?`, a.MunicipalityID); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO plan_settings (municipality_id, review_months, updated_by, updated_at) VALUES (?, ?, ?, ?)`,
		a.MunicipalityID, months, a.Label(), store.TimeArg(time.Now())); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "plan_gjennomgangssyklus",
		After: map[string]any{"review_months": months}})
}

// OutOfHours is the municipality's out-of-hours routing, or the national
// defaults where it has entered none.
func OutOfHours(ctx context.Context, q store.Queryer, municipalityID int64) ([]Route, error) {
	rows, err := q.QueryContext(ctx, `SELECT service, phone, from_hour, until_hour, note FROM plan_out_of_hours WHERE municipality_id = ? ORDER BY from_hour, id`, municipalityID)
	out, err := store.Collect(rows, err, func(s store.Scanner) (r Route, err error) {
		r.Custom = true
		return r, s.Scan(&r.Service, &r.Phone, &r.From, &r.Until, &r.Note)
	})
	if err != nil || len(out) > 0 {
		return out, err
	}
	return DefaultOutOfHours(), nil
}

// SetOutOfHours replaces the municipality's out-of-hours routing.
func SetOutOfHours(ctx context.Context, q store.Queryer, a access.Actor, routes []Route) error {
	if a.Role != access.UnitLeader && a.Role != access.Admin {
		return access.ErrForbidden
	}
	var p []invalid.Message
	for i, r := range routes {
		if strings.TrimSpace(r.Service) == "" || strings.TrimSpace(r.Phone) == "" {
			p = append(p, invalid.F("linje %d: skriv tjenesten og telefonnummeret", i+1))
		}
		if r.From < 0 || r.From > 23 || r.Until < 0 || r.Until > 24 {
			p = append(p, invalid.F("linje %d: timene må være mellom 0 og 24", i+1))
		}
	}
	if err := bad(p); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM plan_out_of_hours WHERE municipality_id = ?`, a.MunicipalityID); err != nil {
		return err
	}
	for _, r := range routes {
		if _, err := q.ExecContext(ctx, `INSERT INTO plan_out_of_hours (municipality_id, service, phone, from_hour, until_hour, note) VALUES (?, ?, ?, ?, ?, ?)`,
			a.MunicipalityID, strings.TrimSpace(r.Service), strings.TrimSpace(r.Phone), r.From, r.Until, strings.TrimSpace(r.Note)); err != nil {
			return err
		}
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "plan_vakttelefoner", After: routes})
}

// Create makes a plan on a follow-up. An action plan or individual plan
// needs a first goal in the resident's own words; an individual plan needs
// the person's consent, recorded as a consent to the team's unit (or one
// already given to it); a crisis plan's warning signs are health data, so
// the writer needs health open.
func Create(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in Input, today deadline.Date) (int64, error) {
	f, err := followUpOf(ctx, q, a.MunicipalityID, followUpID)
	if err != nil {
		return 0, err
	}
	var cats []access.Category
	if in.Kind == Crisis {
		cats = append(cats, access.Health)
	}
	if err := mayWrite(ctx, q, a, f.PersonID, cats...); err != nil {
		return 0, err
	}
	p := Check(in, f.Start, today)
	if f.Ended {
		p = append(p, invalid.F("oppfølgingen er avsluttet"))
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	months := in.ReviewMonths
	if months == 0 {
		if months, err = ReviewMonths(ctx, q, a.MunicipalityID); err != nil {
			return 0, err
		}
	}
	var next deadline.Date
	if in.Kind.Reviewed() {
		next = in.FirstReview
		if next.IsZero() {
			next = AddMonths(in.Start, months)
		}
	} else {
		months = 0
	}
	var consent any
	if in.Kind == Individual {
		id, err := ipConsent(ctx, q, a, f, in.ConsentID)
		if err != nil {
			return 0, err
		}
		consent = id
	}
	title := strings.TrimSpace(in.Title)
	id, err := store.InsertID(ctx, q, `INSERT INTO plans (municipality_id, followup_id, person_id, kind, title, start_on, review_months, next_review_on, consent_id,
		warning_signs, what_helps, who_to_call, created_by, created_by_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, f.ID, f.PersonID, string(in.Kind), title, in.Start, months, next, consent,
		strings.TrimSpace(in.WarningSigns), strings.TrimSpace(in.WhatHelps), strings.TrimSpace(in.WhoToCall), a.Name, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	if in.Kind.HasGoals() {
		if err := insertGoal(ctx, q, a, id, in.Goal); err != nil {
			return 0, err
		}
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "plan", EntityID: id,
		After: map[string]any{"followup_id": f.ID, "kind": in.Kind, "start_on": in.Start, "next_review_on": next}})
}

// ipConsent is the consent an individual plan rests on: one the person
// gave to the team's unit and has not withdrawn, or, when none is named, a
// new one recorded now through the consent model (access.RecordConsent).
func ipConsent(ctx context.Context, q store.Queryer, a access.Actor, f followUp, consentID int64) (int64, error) {
	if consentID > 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM consents WHERE id = ? AND municipality_id = ? AND person_id = ? AND withdrawn_at IS NULL
			AND (expires_at IS NULL OR expires_at > ?)`, consentID, a.MunicipalityID, f.PersonID, store.TimeArg(time.Now())).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, invalid.Problem("samtykket til individuell plan finnes ikke, er trukket eller utløpt: individuell plan lages bare med personens samtykke")
		}
		return consentID, nil
	}
	return access.RecordConsent(ctx, q, a, access.Consent{PersonID: f.PersonID, RecipientUnitID: f.OrgUnitID,
		Purpose: "Individuell plan (helse- og omsorgstjenesteloven § 7-1, pasient- og brukerrettighetsloven § 2-5)", Categories: []access.Category{access.FollowUpPlan}})
}

func dims(ds []Dimension) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = string(d)
	}
	return strings.Join(s, ",")
}

// insertGoal stores a goal; the words are kept exactly as given but for
// blanks around them.
func insertGoal(ctx context.Context, q store.Queryer, a access.Actor, planID int64, g GoalInput) error {
	_, err := q.ExecContext(ctx, `INSERT INTO plan_goals (municipality_id, plan_id, words, dimensions, area, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, planID, strings.TrimSpace(g.Words), dims(g.Dimensions), string(g.Area), a.Name, store.TimeArg(time.Now()))
	return err
}

// AddGoal adds a goal in the resident's own words to an action plan or
// individual plan.
func AddGoal(ctx context.Context, q store.Queryer, a access.Actor, followUpID, planID int64, g GoalInput) error {
	p, err := writable(ctx, q, a, followUpID, planID)
	if err != nil {
		return err
	}
	probs := CheckGoal(g)
	if !p.Kind.HasGoals() {
		probs = append(probs, invalid.F("bare handlingsplan og individuell plan har mål"))
	}
	if err := bad(probs); err != nil {
		return err
	}
	if err := insertGoal(ctx, q, a, p.ID, g); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "plan_mål", EntityID: p.ID,
		After: map[string]any{"area": g.Area, "dimensions": g.Dimensions}})
}

// AddMeasure adds a measure with who is responsible and a due date.
func AddMeasure(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in MeasureInput) error {
	p, err := writable(ctx, q, a, followUpID, in.PlanID)
	if err != nil {
		return err
	}
	probs := CheckMeasure(in, p.Start, false)
	var goal any
	if in.GoalID > 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM plan_goals WHERE id = ? AND plan_id = ?`, in.GoalID, p.ID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			probs = append(probs, invalid.F("målet tiltaket gjelder, hører ikke til denne planen"))
		}
		goal = in.GoalID
	}
	if err := bad(probs); err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO plan_measures (municipality_id, plan_id, goal_id, what, responsible, due_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, p.ID, goal, strings.TrimSpace(in.What), strings.TrimSpace(in.Responsible), in.Due, store.TimeArg(time.Now()))
	if err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "plan_tiltak", EntityID: p.ID,
		After: map[string]any{"responsible": in.Responsible, "due_on": in.Due}})
}

// Review records a review of a plan and moves its next review on: one
// cycle from this review unless the next day is given.
func Review(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in ReviewInput, today deadline.Date) error {
	p, err := writable(ctx, q, a, followUpID, in.PlanID)
	if err != nil {
		return err
	}
	probs := CheckReview(in, p.Start, today)
	if !p.Kind.Reviewed() {
		probs = append(probs, invalid.F("bare handlingsplan og individuell plan har gjennomganger"))
	}
	if err := bad(probs); err != nil {
		return err
	}
	next := in.Next
	if next.IsZero() {
		next = AddMonths(in.On, max(p.ReviewMonths, 1))
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO plan_reviews (municipality_id, plan_id, reviewed_on, summary, next_review_on, reviewed_by, reviewed_by_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, p.ID, in.On, strings.TrimSpace(in.Summary), next, a.Name, a.UserRef(), store.TimeArg(time.Now())); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `UPDATE plans SET next_review_on = ? WHERE id = ?`, next, p.ID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "gjennomgå", Entity: "plan", EntityID: p.ID,
		After: map[string]any{"reviewed_on": in.On, "next_review_on": next}})
}

// ChooseCoordinator names an individual plan's coordinator, a member of
// the follow-up's team whose role coordinates services (followup.Does), with
// the day and how the person took part.
func ChooseCoordinator(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in CoordinatorInput, today deadline.Date) error {
	p, err := writable(ctx, q, a, followUpID, in.PlanID)
	if err != nil {
		return err
	}
	probs := CheckCoordinator(in, p.Start, today)
	if p.Kind != Individual {
		probs = append(probs, invalid.F("bare individuell plan har koordinator"))
	}
	var name, role string
	if in.UserID > 0 {
		err := q.QueryRowContext(ctx, `SELECT name, role FROM followup_members WHERE team_id = ? AND user_id = ?`, p.TeamID, in.UserID).Scan(&name, &role)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			probs = append(probs, invalid.F("koordinatoren må være medlem av teamet som følger opp"))
		case err != nil:
			return err
		case !followup.Does(followup.MemberRole(role), followup.TaskCoordinator):
			// The role's task profile decides: a peer worker
			// (erfaringskonsulent) coordinates no plans.
			probs = append(probs, invalid.F("%s har rollen %s i teamet, som ikke koordinerer tjenester: velg en annen koordinator for den individuelle planen",
				name, i18n.Lower("followup.role", role)))
		}
	}
	if err := bad(probs); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `UPDATE plans SET coordinator_id = ?, coordinator_name = ?, coordinator_chosen_on = ?, coordinator_agreed = ? WHERE id = ?`,
		in.UserID, name, in.ChosenOn, strings.TrimSpace(in.Agreed), p.ID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "velg", Entity: "plan_koordinator", EntityID: p.ID,
		After: map[string]any{"coordinator": name, "chosen_on": in.ChosenOn}})
}

// AttachPart attaches a part plan to an individual plan as a reference.
func AttachPart(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in PartInput) error {
	p, err := writable(ctx, q, a, followUpID, in.PlanID)
	if err != nil {
		return err
	}
	probs := CheckPart(in)
	if p.Kind != Individual {
		probs = append(probs, invalid.F("delplaner festes til en individuell plan"))
	}
	if err := bad(probs); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO plan_parts (municipality_id, plan_id, kind, reference, held_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, p.ID, string(in.Kind), strings.TrimSpace(in.Reference), strings.TrimSpace(in.HeldBy), store.TimeArg(time.Now())); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "plan_delplan", EntityID: p.ID,
		After: map[string]any{"kind": in.Kind}})
}

// AddMember adds a member to a responsibility group. A member from an
// outside agency needs the person's consent to that recipient, active
// today (access/outside.go: consents per recipient and purpose); without
// one the member is refused and nothing is stored.
func AddMember(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in MemberInput) error {
	p, err := writable(ctx, q, a, followUpID, in.PlanID)
	if err != nil {
		return err
	}
	probs := CheckMember(in)
	if p.Kind != Group {
		probs = append(probs, invalid.F("medlemmer legges til en ansvarsgruppe"))
	}
	var consent any
	if len(probs) == 0 && in.Agency.Outside() {
		id, err := outsideConsent(ctx, q, a.MunicipalityID, p.PersonID, in)
		if err != nil {
			return err
		}
		if id == 0 {
			probs = append(probs, invalid.F("%s kan bare være med i ansvarsgruppen når personen har samtykket til det: registrer samtykket til å snakke med %s først",
				strings.TrimSpace(in.Name), i18n.Lower("plan.agency", in.Agency)))
		}
		consent = id
	}
	if err := bad(probs); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO plan_members (municipality_id, plan_id, name, agency, role, outside_consent_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, p.ID, strings.TrimSpace(in.Name), string(in.Agency), strings.TrimSpace(in.Role), consent, store.TimeArg(time.Now())); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "ansvarsgruppe_medlem", EntityID: p.ID,
		After: map[string]any{"agency": in.Agency, "outside_consent_id": consent}})
}

// outsideConsent finds the person's active consent for the member's
// agency: the one named, or else any active one to that kind of
// recipient. Zero when there is none.
func outsideConsent(ctx context.Context, q store.Queryer, municipalityID, personID int64, in MemberInput) (int64, error) {
	cond, args := "", []any{municipalityID, personID, in.Agency.consentKind(), store.TimeArg(time.Now()), store.TimeArg(time.Now())}
	if in.OutsideConsentID > 0 {
		cond, args = " AND id = ?", append(args, in.OutsideConsentID)
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM outside_consents WHERE municipality_id = ? AND person_id = ? AND recipient_kind = ?
		AND withdrawn_at IS NULL AND expires_at > ? AND given_at <= ?`+cond, args...).Scan(&id)
	return id, err
}

// HoldMeeting records a responsibility group's meeting. When no task was
// done since the meeting before, the meeting is stored with a warning
// (seed 004: "det skal skje noe mellom hvert ansvarsgruppemøte"); the
// warning is returned so the page can say it.
func HoldMeeting(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in MeetingInput, today deadline.Date) (bool, error) {
	p, err := writable(ctx, q, a, followUpID, in.PlanID)
	if err != nil {
		return false, err
	}
	probs := CheckMeeting(in, p.Start, today)
	if p.Kind != Group {
		probs = append(probs, invalid.F("møter holdes i en ansvarsgruppe"))
	}
	if err := bad(probs); err != nil {
		return false, err
	}
	var prev deadline.Date
	if err := q.QueryRowContext(ctx, `SELECT MAX(held_on) FROM plan_meetings WHERE plan_id = ? AND held_on < ?`, p.ID, in.On).Scan(&prev); err != nil {
		return false, err
	}
	rows, err := q.QueryContext(ctx, `SELECT done_on FROM plan_tasks WHERE plan_id = ? AND done_on IS NOT NULL`, p.ID)
	done, err := store.Collect(rows, err, func(s store.Scanner) (d deadline.Date, err error) { return d, s.Scan(&d) })
	if err != nil {
		return false, err
	}
	warn := NoProgress(prev, in.On, done)
	if _, err := q.ExecContext(ctx, `INSERT INTO plan_meetings (municipality_id, plan_id, held_on, agenda, minutes, no_progress, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, p.ID, in.On, strings.TrimSpace(in.Agenda), strings.TrimSpace(in.Minutes), warn, a.Name, store.TimeArg(time.Now())); err != nil {
		return false, err
	}
	return warn, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "ansvarsgruppe_møte", EntityID: p.ID,
		After: map[string]any{"held_on": in.On, "no_progress": warn}})
}

// AddTask gives a responsibility group a task with owner and due date.
func AddTask(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in MeasureInput) error {
	p, err := writable(ctx, q, a, followUpID, in.PlanID)
	if err != nil {
		return err
	}
	probs := CheckMeasure(in, p.Start, true)
	if p.Kind != Group {
		probs = append(probs, invalid.F("oppgaver gis i en ansvarsgruppe"))
	}
	if err := bad(probs); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO plan_tasks (municipality_id, plan_id, what, owner, due_on, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, p.ID, strings.TrimSpace(in.What), strings.TrimSpace(in.Responsible), in.Due, store.TimeArg(time.Now())); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "ansvarsgruppe_oppgave", EntityID: p.ID,
		After: map[string]any{"owner": in.Responsible, "due_on": in.Due}})
}

// CompleteTask marks a responsibility group's task, or a measure, done.
func CompleteTask(ctx context.Context, q store.Queryer, a access.Actor, followUpID, planID, taskID int64, measure bool, on, today deadline.Date) error {
	p, err := writable(ctx, q, a, followUpID, planID)
	if err != nil {
		return err
	}
	var probs []invalid.Message
	switch {
	case on.IsZero():
		probs = append(probs, invalid.F("velg datoen oppgaven ble gjort"))
	case today.Before(on):
		probs = append(probs, invalid.F("en oppgave kan ikke være gjort fram i tid"))
	case on.Before(p.Start):
		probs = append(probs, invalid.F("datoen kan ikke være før planen starter (%s)", p.Start))
	}
	if err := bad(probs); err != nil {
		return err
	}
	table := "plan_tasks"
	if measure {
		table = "plan_measures"
	}
	res, err := q.ExecContext(ctx, `UPDATE `+table+` SET done_on = ? WHERE id = ? AND plan_id = ? AND done_on IS NULL`, on, taskID, p.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return invalid.Problem("oppgaven finnes ikke i planen, eller er allerede gjort")
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "utført", Entity: table, EntityID: taskID,
		After: map[string]any{"done_on": on}})
}

// AddComment stores a comment or proposal on a plan: from the resident on
// their own plan (Min side, followUpID zero), or an answer from staff who
// may write on the follow-up's plans.
func AddComment(ctx context.Context, q store.Queryer, a access.Actor, followUpID int64, in CommentInput) error {
	var personID int64
	byResident := a.Role == access.Resident && followUpID == 0
	if followUpID == 0 && !byResident {
		return access.ErrForbidden
	}
	if byResident {
		if a.PersonID == 0 {
			return access.ErrForbidden
		}
		if probs := CheckComment(in); len(probs) > 0 {
			return bad(probs)
		}
		err := q.QueryRowContext(ctx, `SELECT person_id FROM plans WHERE id = ? AND municipality_id = ? AND person_id = ?`, in.PlanID, a.MunicipalityID, a.PersonID).Scan(&personID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
	} else {
		p, err := writable(ctx, q, a, followUpID, in.PlanID)
		if err != nil {
			return err
		}
		if err := bad(CheckComment(in)); err != nil {
			return err
		}
		personID = p.PersonID
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO plan_comments (municipality_id, plan_id, kind, body, by_resident, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, in.PlanID, string(in.Kind), strings.TrimSpace(in.Body), byResident, a.Name, store.TimeArg(time.Now())); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: "plan_kommentar", EntityID: in.PlanID,
		After: map[string]any{"kind": in.Kind, "by_resident": byResident, "person_id": personID}})
}
