package tenancy

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/notice"
	"husly/internal/phrase"
	"husly/internal/store"
	"husly/internal/writtenform"
)

// lease is what the rules need to know of a lease.
type lease struct {
	ID, PersonID, UnitID, BuildingID int64
	Address                          string
	Status                           string
}

// leaseOf reads a lease and its first tenant (the resident the complaints
// and the ladder are about).
func leaseOf(ctx context.Context, q store.Queryer, municipalityID, leaseID int64) (lease, error) {
	var l lease
	var building sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT l.id, l.unit_id, u.building_id,
		u.address, l.status FROM leases l JOIN units u ON u.id = l.unit_id WHERE l.id = ? AND l.municipality_id = ?`, leaseID, municipalityID).
		Scan(&l.ID, &l.UnitID, &building, &l.Address, &l.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return l, ErrNotFound
	}
	if err != nil {
		return l, err
	}
	l.BuildingID = building.Int64
	var person sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT MIN(person_id) FROM lease_tenants WHERE lease_id = ? AND municipality_id = ?", leaseID, municipalityID).Scan(&person); err != nil {
		return l, err
	}
	if !person.Valid {
		return l, ErrNotFound
	}
	l.PersonID = person.Int64
	return l, nil
}

// writers are the roles that register complaints: the housing office,
// property staff (the landlord), the follow-up teams and their leaders.
func writesComplaints(a access.Actor) bool { return a.Writes() }

// runsLadder reports whether the actor may take or undo ladder steps: the
// landlord's side (the housing office and property staff) and leaders.
func runsLadder(a access.Actor) bool {
	return a.Role == access.CaseWorker || a.Role == access.Property || a.Role == access.UnitLeader
}

// mayWrite checks that the actor may change a resident's tenancy record:
// the tenancy category must be open to them for the person.
func mayWrite(ctx context.Context, q store.Queryer, a access.Actor, personID int64, allowed bool) error {
	if !allowed {
		return access.ErrForbidden
	}
	g, err := access.Authorize(ctx, q, a, personID)
	if err != nil {
		return err
	}
	if !g.Allows(Category) {
		return access.ErrForbidden
	}
	return nil
}

// staffName reads a user's name for the snapshot kept with a row; a user
// outside the municipality is an error naming the field.
func staffName(ctx context.Context, q store.Queryer, municipalityID, userID int64, field invalid.Message) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, "SELECT full_name FROM users WHERE id = ? AND municipality_id = ? AND role NOT IN ('beboer')", userID, municipalityID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", invalid.New(field)
	}
	return name, err
}

// RegisterComplaint records a complaint or incident about a lease.
func RegisterComplaint(ctx context.Context, q store.Queryer, a access.Actor, in ComplaintInput, today deadline.Date) (int64, error) {
	if !writesComplaints(a) {
		return 0, access.ErrForbidden
	}
	in.What, in.Complainant = strings.TrimSpace(in.What), strings.TrimSpace(in.Complainant)
	if in.ReceivedOn.IsZero() {
		in.ReceivedOn = today
	}
	if err := bad(CheckComplaint(in, today)); err != nil {
		return 0, err
	}
	l, err := leaseOf(ctx, q, a.MunicipalityID, in.LeaseID)
	if errors.Is(err, ErrNotFound) {
		return 0, invalid.Problem("leieforhold: finner ikke leieforholdet")
	}
	if err != nil {
		return 0, err
	}
	if err := mayWrite(ctx, q, a, l.PersonID, true); err != nil {
		return 0, err
	}
	if in.HandlerID == 0 {
		in.HandlerID = a.UserID
	}
	handler, err := staffName(ctx, q, a.MunicipalityID, in.HandlerID, invalid.F("saksbehandler: velg en ansatt i kommunen"))
	if err != nil {
		return 0, err
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO tenancy_complaints (municipality_id, lease_id, person_id, kind, source, complainant, received_on, what,
		handler_id, handler_name, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, l.ID, l.PersonID, string(in.Kind), string(in.Source), in.Complainant, in.ReceivedOn, in.What, in.HandlerID, handler, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: entityComplaint, EntityID: id,
		After: map[string]any{"lease_id": l.ID, "kind": in.Kind, "source": in.Source, "received_on": in.ReceivedOn}})
}

// complaintRow reads what a change to a complaint needs.
func complaintRow(ctx context.Context, q store.Queryer, municipalityID, id int64) (person int64, received, informed, closed deadline.Date, err error) {
	err = q.QueryRowContext(ctx, "SELECT person_id, received_on, informed_on, closed_on FROM tenancy_complaints WHERE id = ? AND municipality_id = ?", id, municipalityID).
		Scan(&person, &received, &informed, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	return
}

// InformComplaint records when and how the resident was told of a
// complaint: the resident is told and heard before anything follows.
func InformComplaint(ctx context.Context, q store.Queryer, a access.Actor, id int64, in InformInput, today deadline.Date) error {
	person, received, _, _, err := complaintRow(ctx, q, a.MunicipalityID, id)
	if err != nil {
		return err
	}
	if err := mayWrite(ctx, q, a, person, writesComplaints(a)); err != nil {
		return err
	}
	if in.On.IsZero() {
		in.On = today
	}
	if err := bad(CheckInform(in, received, today)); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE tenancy_complaints SET informed_on = ?, informed_how = ? WHERE id = ? AND municipality_id = ?",
		in.On, string(in.How), id, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "informert", Entity: entityComplaint, EntityID: id,
		After: map[string]any{"informed_on": in.On, "informed_how": in.How}})
}

// CloseComplaint records the outcome of a complaint.
func CloseComplaint(ctx context.Context, q store.Queryer, a access.Actor, id int64, in CloseInput, today deadline.Date) error {
	person, received, _, closed, err := complaintRow(ctx, q, a.MunicipalityID, id)
	if err != nil {
		return err
	}
	if err := mayWrite(ctx, q, a, person, writesComplaints(a)); err != nil {
		return err
	}
	if in.On.IsZero() {
		in.On = today
	}
	in.Outcome = strings.TrimSpace(in.Outcome)
	p := CheckClose(in, received, today)
	if !closed.IsZero() {
		p = append(p, invalid.F("klagen er allerede avsluttet"))
	}
	if err := bad(p); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE tenancy_complaints SET outcome = ?, closed_on = ? WHERE id = ? AND municipality_id = ?",
		in.Outcome, in.On, id, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "avslutt", Entity: entityComplaint, EntityID: id,
		After: map[string]any{"closed_on": in.On}})
}

// ReplyToComplaint records the resident's own side of a complaint about
// them, written on Min side.
func ReplyToComplaint(ctx context.Context, q store.Queryer, a access.Actor, id int64, body string) (int64, error) {
	if a.Role != access.Resident || a.PersonID == 0 {
		return 0, access.ErrForbidden
	}
	person, _, _, _, err := complaintRow(ctx, q, a.MunicipalityID, id)
	if err != nil {
		return 0, err
	}
	if person != a.PersonID {
		return 0, ErrNotFound
	}
	body = strings.TrimSpace(body)
	if err := bad(CheckReply(body)); err != nil {
		return 0, err
	}
	rid, err := store.InsertID(ctx, q, "INSERT INTO tenancy_complaint_replies (municipality_id, complaint_id, person_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
		a.MunicipalityID, id, person, body, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return rid, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "beboerens side", Entity: entityComplaint, EntityID: id})
}

// stepsOf reads a lease's steps, newest first.
func stepsOf(ctx context.Context, q store.Queryer, municipalityID int64, leaseIDs []int64) (map[int64][]LadderStep, error) {
	if len(leaseIDs) == 0 {
		return map[int64][]LadderStep{}, nil
	}
	in, args := store.In(leaseIDs)
	rows, err := q.QueryContext(ctx, `SELECT lease_id, id, lease_id, person_id, step, issued_on, grounds, ground_code, notice_months, notice_agreed, ends_on, eviction_on,
		preventive_action, preventive_by_id, preventive_by_name, override_reason, written_form, status, end_reason, ended_by, created_by
		FROM tenancy_steps WHERE municipality_id = ? AND lease_id IN `+in+` ORDER BY issued_on DESC, id DESC`, append([]any{municipalityID}, args...)...)
	return store.CollectBy(rows, err, func(s store.Scanner) (st LadderStep, err error) {
		err = s.Scan(&st.ID, &st.LeaseID, &st.PersonID, &st.Step, &st.IssuedOn, &st.Grounds, &st.Ground, &st.NoticeMonths, &st.NoticeAgreed, &st.EndsOn,
			&st.EvictionOn, &st.PreventiveAction, &st.PreventiveByID, &st.PreventiveBy, &st.OverrideReason, &st.WrittenForm, &st.Status, &st.EndReason,
			&st.EndedBy, &st.CreatedBy)
		return st, err
	})
}

// formOf is the written form of letters to a person: their own wish, else
// the municipality's (internal/writtenform).
func formOf(ctx context.Context, q store.Queryer, municipalityID, personID int64) (writtenform.Form, error) {
	policy, err := writtenform.OfMunicipality(ctx, q, municipalityID)
	if err != nil {
		return "", err
	}
	var own string
	if err := q.QueryRowContext(ctx, "SELECT written_form FROM persons WHERE id = ? AND municipality_id = ?", personID, municipalityID).Scan(&own); err != nil {
		return "", err
	}
	return writtenform.Choose(policy, writtenform.Form(own)), nil
}

// TakeStep records the next step on a lease's ladder, with its preventive
// action by a named person, and tells the resident's follow-up team and
// NAV. Bad input changes nothing.
func TakeStep(ctx context.Context, q store.Queryer, a access.Actor, leaseID int64, in StepInput, today deadline.Date) (int64, error) {
	if !runsLadder(a) {
		return 0, access.ErrForbidden
	}
	l, err := leaseOf(ctx, q, a.MunicipalityID, leaseID)
	if err != nil {
		return 0, err
	}
	if err := mayWrite(ctx, q, a, l.PersonID, true); err != nil {
		return 0, err
	}
	steps, err := stepsOf(ctx, q, a.MunicipalityID, []int64{l.ID})
	if err != nil {
		return 0, err
	}
	in.Grounds, in.PreventiveAction, in.OverrideReason = strings.TrimSpace(in.Grounds), strings.TrimSpace(in.PreventiveAction), strings.TrimSpace(in.OverrideReason)
	if in.IssuedOn.IsZero() {
		in.IssuedOn = today
	}
	if in.Step == Notice && in.NoticeMonths == 0 {
		in.NoticeMonths = DefaultNoticeMonths
	}
	current := Current(steps[l.ID])
	if next, _ := NextSteps(current); in.Step == next {
		in.OverrideReason = ""
	}
	p := CheckStep(in, current, today)
	if in.PreventiveByID == 0 {
		in.PreventiveByID = a.UserID
	}
	by, err := staffName(ctx, q, a.MunicipalityID, in.PreventiveByID, invalid.F("ansvarlig for tiltaket: velg en navngitt ansatt i kommunen"))
	var named *invalid.Error
	if errors.As(err, &named) {
		p, err = append(p, named.Problems...), nil
	}
	if err != nil {
		return 0, err
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	form, err := formOf(ctx, q, a.MunicipalityID, l.PersonID)
	if err != nil {
		return 0, err
	}
	var ends, eviction any
	if in.Step == Notice {
		ends = NoticeEnds(in.IssuedOn, in.NoticeMonths)
	} else {
		in.NoticeMonths, in.NoticeAgreed = 0, false
	}
	if in.Step == Eviction {
		eviction = in.EvictionOn
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO tenancy_steps (municipality_id, lease_id, person_id, step, issued_on, grounds, ground_code, notice_months,
		notice_agreed, ends_on, eviction_on, preventive_action, preventive_by_id, preventive_by_name, override_reason, written_form, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, l.ID, l.PersonID, string(in.Step), in.IssuedOn, in.Grounds, string(in.Ground), in.NoticeMonths, in.NoticeAgreed, ends, eviction,
		in.PreventiveAction, in.PreventiveByID, by, in.OverrideReason, string(form), a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	if err := notify(ctx, q, a.MunicipalityID, l, id, phrase.New("tenancy.notice.step", phrase.Label("tenancy.step."+string(in.Step)), phrase.Text(l.Address),
		phrase.Date(in.IssuedOn)), in.Step); err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: entityStep, EntityID: id,
		After: map[string]any{"lease_id": l.ID, "step": in.Step, "issued_on": in.IssuedOn, "override": in.OverrideReason != ""}})
}

// notify tells the resident's follow-up teams (every team following them,
// internal/followup) and the municipality's NAV office(s) of a step on the
// ladder, whatever the lease's origin: a lease registered directly or
// imported has no housing case, and its resident needs the help as much.
// NAV's notice says that NAV is asked to help prevent the eviction
// (sosialtjenesteloven § 15) and must offer temporary housing if it goes
// ahead (§ 27). Each notice is kept with the step (tenancy_notices) and
// reaches the unit's start page (package notice); it carries the step,
// the address and the date only, never the grounds.
func notify(ctx context.Context, q store.Queryer, municipalityID int64, l lease, stepID int64, msg phrase.Phrase, step Step) error {
	teams, err := notice.FollowUpUnits(ctx, q, municipalityID, l.PersonID)
	if err != nil {
		return err
	}
	navs, err := notice.NAVUnits(ctx, q, municipalityID)
	if err != nil {
		return err
	}
	type target struct {
		unit      int64
		recipient Recipient
		msg       phrase.Phrase
		basis     string
	}
	var targets []target
	for _, t := range teams {
		targets = append(targets, target{t, ToFollowUp, msg, notice.BasisFollowUp})
	}
	navMsg := msg
	if step != "" {
		navMsg = phrase.New("tenancy.notice.nav", msg.Args...)
	}
	for _, n := range navs {
		targets = append(targets, target{n, ToNAV, navMsg, notice.BasisLadderNAV})
	}
	now := store.TimeArg(time.Now())
	sends := make([]notice.Input, 0, len(targets))
	for _, t := range targets {
		stored, err := phrase.Encode([]phrase.Phrase{t.msg})
		if err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, "INSERT INTO tenancy_notices (municipality_id, step_id, org_unit_id, recipient, phrase, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			municipalityID, stepID, t.unit, t.recipient, stored, now); err != nil {
			return err
		}
		sends = append(sends, notice.Input{MunicipalityID: municipalityID, OrgUnitID: t.unit, Recipient: notice.Recipient(t.recipient), PersonID: l.PersonID,
			LeaseID: l.ID, Source: notice.Ladder, SourceID: stepID, Category: Category, Basis: t.basis, Message: t.msg})
	}
	return notice.Send(ctx, q, sends...)
}

// RollBack undoes the highest step in force on its lease, with a reason:
// the ladder stands again where it stood before the step.
func RollBack(ctx context.Context, q store.Queryer, a access.Actor, stepID int64, reason string) error {
	var leaseID int64
	err := q.QueryRowContext(ctx, "SELECT lease_id FROM tenancy_steps WHERE id = ? AND municipality_id = ?", stepID, a.MunicipalityID).Scan(&leaseID)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	l, err := leaseOf(ctx, q, a.MunicipalityID, leaseID)
	if err != nil {
		return err
	}
	if err := mayWrite(ctx, q, a, l.PersonID, runsLadder(a)); err != nil {
		return err
	}
	steps, err := stepsOf(ctx, q, a.MunicipalityID, []int64{leaseID})
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	p := CheckEndReason(reason)
	var target LadderStep
	for _, s := range steps[leaseID] {
		if s.ID == stepID {
			target = s
		}
	}
	switch {
	case target.Status != InForce:
		p = append(p, invalid.F("trinnet er ikke i kraft lenger"))
	case target.Step != Current(steps[leaseID]):
		p = append(p, invalid.F("trinn: bare det høyeste trinnet i kraft kan rulles tilbake"))
	}
	if err := bad(p); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE tenancy_steps SET status = 'tilbakekalt', end_reason = ?, ended_by = ?, ended_at = ? WHERE id = ? AND municipality_id = ?",
		reason, a.Name, store.TimeArg(time.Now()), stepID, a.MunicipalityID); err != nil {
		return err
	}
	if err := notify(ctx, q, a.MunicipalityID, l, stepID, phrase.New("tenancy.notice.rolled_back", phrase.Label("tenancy.step."+string(target.Step)),
		phrase.Text(l.Address)), ""); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "rull tilbake", Entity: entityStep, EntityID: stepID,
		Before: map[string]any{"status": InForce}, After: map[string]any{"status": RolledBack}})
}

// Stop stops a lease's open ladder on an actor's word, with a reason.
func Stop(ctx context.Context, q store.Queryer, a access.Actor, leaseID int64, reason string) error {
	l, err := leaseOf(ctx, q, a.MunicipalityID, leaseID)
	if err != nil {
		return err
	}
	if err := mayWrite(ctx, q, a, l.PersonID, runsLadder(a)); err != nil {
		return err
	}
	return StopLadder(ctx, q, a.MunicipalityID, leaseID, reason, a.UserID)
}

// ErrNoLadder is returned by StopLadder when the lease has no step in
// force: nothing was stopped. A caller that stops the ladder as a side
// effect (a payment plan) may ignore it with errors.Is.
var ErrNoLadder = invalid.Problem("leieforholdet har ingen åpen eskalering å stoppe")

// StopLadder stops the open escalation ladder on a lease: every step in
// force is marked stopped with the reason and who stopped it (by user id,
// with a name snapshot), the follow-up team and NAV are told, and the
// audit chain records it — all in the caller's transaction. It is the
// door for other capabilities: a payment plan recorded for the arrears
// stops the ladder with it. The caller has checked that byUserID may do
// so. A reason shorter than five characters or an unknown user is a
// validation error; a lease with no step in force is ErrNoLadder.
func StopLadder(ctx context.Context, q store.Queryer, municipalityID, leaseID int64, reason string, byUserID int64) error {
	reason = strings.TrimSpace(reason)
	if err := bad(CheckEndReason(reason)); err != nil {
		return err
	}
	l, err := leaseOf(ctx, q, municipalityID, leaseID)
	if err != nil {
		return err
	}
	by, err := staffName(ctx, q, municipalityID, byUserID, invalid.F("stoppet av: velg en ansatt i kommunen"))
	if err != nil {
		return err
	}
	steps, err := stepsOf(ctx, q, municipalityID, []int64{leaseID})
	if err != nil {
		return err
	}
	var open []int64
	var top LadderStep
	for _, s := range steps[leaseID] {
		if s.Status == InForce {
			open = append(open, s.ID)
			if s.Step.Rank() > top.Step.Rank() {
				top = s
			}
		}
	}
	if len(open) == 0 {
		return ErrNoLadder
	}
	in, args := store.In(open)
	if _, err := q.ExecContext(ctx, "UPDATE tenancy_steps SET status = 'stoppet', end_reason = ?, ended_by = ?, ended_at = ? WHERE municipality_id = ? AND id IN "+in,
		append([]any{reason, by, store.TimeArg(time.Now()), municipalityID}, args...)...); err != nil {
		return err
	}
	if err := notify(ctx, q, municipalityID, l, top.ID, phrase.New("tenancy.notice.stopped", phrase.Text(l.Address)), ""); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: municipalityID, Actor: by, Action: "stopp", Entity: entityLadder, EntityID: leaseID,
		Before: map[string]any{"step": top.Step}, After: map[string]any{"status": Stopped, "steps": len(open)}})
}

// RecordTenantNotice accepts the tenant's own notice and gives the
// resident's primary contact (or the actor, when no one follows them) a
// task to talk with the tenant about what moving out means — where they
// will live, the deposit, debts — within TalkWithinDays. It never blocks
// the notice: the tenant's right to give notice is theirs.
func RecordTenantNotice(ctx context.Context, q store.Queryer, a access.Actor, leaseID int64, in TenantNoticeInput, today deadline.Date) (int64, error) {
	l, err := leaseOf(ctx, q, a.MunicipalityID, leaseID)
	if err != nil {
		return 0, err
	}
	if err := mayWrite(ctx, q, a, l.PersonID, writesComplaints(a)); err != nil {
		return 0, err
	}
	if in.ReceivedOn.IsZero() {
		in.ReceivedOn = today
	}
	if err := bad(CheckTenantNotice(in, today)); err != nil {
		return 0, err
	}
	owner, ownerName := a.UserID, a.Name
	var primary sql.NullInt64
	var primaryName sql.NullString
	err = q.QueryRowContext(ctx, `SELECT primary_id, primary_name FROM followups WHERE municipality_id = ? AND person_id = ? AND status <> 'avsluttet'
		ORDER BY start_on DESC, id DESC LIMIT 1`, a.MunicipalityID, l.PersonID).Scan(&primary, &primaryName)
	switch {
	case err == nil && primary.Valid:
		owner, ownerName = primary.Int64, primaryName.String
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return 0, err
	}
	talkBy := in.ReceivedOn.AddDays(TalkWithinDays)
	id, err := store.InsertID(ctx, q, `INSERT INTO tenancy_tenant_notices (municipality_id, lease_id, person_id, received_on, moves_out_on, owner_id, owner_name,
		talk_by, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, l.ID, l.PersonID, in.ReceivedOn, in.MovesOutOn, owner, ownerName,
		talkBy, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "opprett", Entity: entityTenantNotice, EntityID: id,
		After: map[string]any{"lease_id": l.ID, "moves_out_on": in.MovesOutOn, "talk_by": talkBy, "owner": ownerName}})
}

// TalkInput records that the conversation about a tenant's own notice
// took place.
type TalkInput struct {
	On   deadline.Date `json:"talked_on"`
	Note string        `json:"note"`
}

// RecordTalk closes the conversation task of a tenant's own notice: the
// day it took place (not in the future) and a short note.
func RecordTalk(ctx context.Context, q store.Queryer, a access.Actor, noticeID int64, in TalkInput, today deadline.Date) error {
	var person int64
	var received, talked deadline.Date
	err := q.QueryRowContext(ctx, "SELECT person_id, received_on, talked_on FROM tenancy_tenant_notices WHERE id = ? AND municipality_id = ?", noticeID, a.MunicipalityID).
		Scan(&person, &received, &talked)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if err := mayWrite(ctx, q, a, person, writesComplaints(a)); err != nil {
		return err
	}
	if in.On.IsZero() {
		in.On = today
	}
	in.Note = strings.TrimSpace(in.Note)
	var p []invalid.Message
	switch {
	case today.Before(in.On):
		p = append(p, invalid.F("samtale holdt: datoen kan ikke være fram i tid"))
	case in.On.Before(received):
		p = append(p, invalid.F("samtale holdt: datoen kan ikke være før oppsigelsen kom (%s)", received))
	}
	if in.Note == "" || tooLong(in.Note, maxText) {
		p = append(p, invalid.F("notat: skriv kort hva dere snakket om (høyst 2000 tegn)"))
	}
	if !talked.IsZero() {
		p = append(p, invalid.F("samtalen om oppsigelsen er allerede registrert"))
	}
	if err := bad(p); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE tenancy_tenant_notices SET talked_on = ?, note = ? WHERE id = ? AND municipality_id = ?", in.On, in.Note, noticeID, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "samtale holdt", Entity: entityTenantNotice, EntityID: noticeID,
		After: map[string]any{"talked_on": in.On}})
}
