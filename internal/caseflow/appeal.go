package caseflow

import (
	"context"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/phrase"
	"husly/internal/store"
)

// Appeals (klage, forvaltningsloven §§ 28–36): registered against the
// decision in force, checked against the three-week deadline, reconsidered
// by the deciding unit, and if upheld sent to Statsforvalteren.

// Appeal is an appeal and where it stands.
type Appeal struct {
	ID              int64         `json:"id"`
	DecisionID      int64         `json:"decision_id"`
	DecisionVersion int           `json:"decision_version"`
	ReceivedOn      deadline.Date `json:"received_on"`
	AppealDue       deadline.Date `json:"appeal_due"`
	Late            bool          `json:"late"`
	// LateDecision is the unit's choice on a late appeal (§ 31):
	// "behandles" (considered all the same) or "avvises", with LateReason.
	LateDecision    string        `json:"late_decision,omitempty"`
	LateReason      string        `json:"late_reason,omitempty"`
	Grounds         string        `json:"grounds"`
	Status          AppealStatus  `json:"status"`
	ReconsideredOn  deadline.Date `json:"reconsidered_on,omitzero"`
	Reconsideration string        `json:"reconsideration,omitempty"`
	ForwardedOn     deadline.Date `json:"forwarded_on,omitzero"`
	Outcome         AppealOutcome `json:"outcome,omitempty"`
	OutcomeOn       deadline.Date `json:"outcome_on,omitzero"`
	OutcomeNote     string        `json:"outcome_note,omitempty"`
	RegisteredBy    string        `json:"registered_by"`
}

// AppealOutcomes are Statsforvalteren's possible outcomes.
var AppealOutcomes = choices("case.appeal_outcome", string(AppealConfirmed), string(AppealChanged), string(AppealQuashed))

// Open reports whether the appeal is still being handled.
func (x Appeal) Open() bool {
	return x.Status != AppealReversed && x.Status != AppealDecided && x.Status != AppealDismissed
}

// LateChoices are the unit's choices on an appeal that came after the
// deadline (forvaltningsloven § 31).
var LateChoices = choices("lawa.late", "behandles", "avvises")

// AppealInput is a received appeal.
type AppealInput struct {
	ReceivedOn deadline.Date `json:"received_on,omitzero"` // empty: today
	Grounds    string        `json:"grounds"`
}

// RegisterAppeal registers an appeal against the decision in force. Only
// an individual decision can be appealed, and Statsforvalteren's decision
// on an appeal is final. A late appeal is registered and flagged: the unit
// decides whether to consider it anyway (§ 31).
func RegisterAppeal(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, in AppealInput, today deadline.Date) (Appeal, error) {
	if !a.Writes() {
		return Appeal{}, access.ErrForbidden
	}
	var problems []invalid.Message
	received := orDefault(in.ReceivedOn, today)
	if today.Before(received) {
		problems = append(problems, invalid.F("mottatt-datoen kan ikke være fram i tid"))
	}
	required(&problems, invalid.F("hva klagen gjelder"), in.Grounds)
	tooLong(&problems, invalid.F("klagen"), in.Grounds, 8000)
	if len(problems) > 0 {
		return Appeal{}, &ValidationError{Problems: problems}
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return Appeal{}, err
	}
	ds, err := decisions(ctx, q, a.MunicipalityID, ref.ID)
	if err != nil {
		return Appeal{}, err
	}
	if len(ds) == 0 {
		return Appeal{}, invalid.Problem("det er ikke fattet vedtak i saken: bare et enkeltvedtak kan påklages (forvaltningsloven § 28). Et foreløpig svar eller saksbehandlingen kan ikke påklages")
	}
	d := ds[0]
	if decided := d.DecidedOn; received.Before(decided) {
		return Appeal{}, invalid.Problem("klagen kan ikke være mottatt før vedtaket ble fattet (%s)", decided)
	}
	existing, err := appeals(ctx, q, a.MunicipalityID, ref.ID)
	if err != nil {
		return Appeal{}, err
	}
	for _, x := range existing {
		if x.DecisionID != d.ID {
			continue
		}
		if x.Open() {
			return Appeal{}, invalid.Problem("det er allerede en klage under behandling på dette vedtaket; legg nye opplysninger til den")
		}
		if x.Status == AppealDecided {
			return Appeal{}, invalid.Problem("Statsforvalterens vedtak i klagesaken er endelig og kan ikke påklages (forvaltningsloven § 28 tredje ledd)")
		}
	}
	// The deadline runs from notification (§ 29): an appeal before the
	// decision letter is recorded as sent is within time, and is stored
	// with the earliest deadline the decision could have had.
	due := d.earliestDue
	late := false
	if !d.NotifiedOn.IsZero() {
		due = d.AppealDue
		late = due.Before(received)
	}
	x := Appeal{DecisionID: d.ID, DecisionVersion: d.Version, ReceivedOn: received, AppealDue: due, Late: late,
		Grounds: strings.TrimSpace(in.Grounds), Status: AppealReceived, RegisteredBy: a.Name}
	x.ID, err = store.InsertID(ctx, q, `INSERT INTO appeals (municipality_id, application_id, decision_id, received_on, appeal_due, late, grounds, status,
		registered_by, registered_by_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'mottatt', ?, ?, ?)`, a.MunicipalityID, ref.ID, d.ID, x.ReceivedOn, x.AppealDue, x.Late,
		x.Grounds, x.RegisteredBy, a.UserRef(), store.TimeArg(time.Now()))
	if err != nil {
		return Appeal{}, err
	}
	if err := notifyCaseUnits(ctx, q, a, ref, phrase.New("texts.notification.appealed")); err != nil {
		return Appeal{}, err
	}
	return x, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer", Entity: "klage", EntityID: x.ID, After: x})
}

// AppealStep moves an appeal on: the unit's reconsideration ("omgjort" or
// "opprettholdt"), forwarding to Statsforvalteren ("send"), or
// Statsforvalteren's outcome (one of AppealOutcomes).
type AppealStep struct {
	Step    string        `json:"step"` // frist (late appeals only), vurder, send, utfall
	Outcome string        `json:"outcome"`
	Note    string        `json:"note"`
	On      deadline.Date `json:"on,omitzero"` // empty: today
}

// AdvanceAppeal takes an appeal one step further, in order.
func AdvanceAppeal(ctx context.Context, q store.Queryer, a access.Actor, applicationID, appealID int64, in AppealStep, today deadline.Date) (Appeal, error) {
	if !a.Writes() {
		return Appeal{}, access.ErrForbidden
	}
	var problems []invalid.Message
	on := orDefault(in.On, today)
	if today.Before(on) {
		problems = append(problems, invalid.F("datoen kan ikke være fram i tid"))
	}
	tooLong(&problems, invalid.F("merknaden"), in.Note, 8000)
	if len(problems) > 0 {
		return Appeal{}, &ValidationError{Problems: problems}
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return Appeal{}, err
	}
	all, err := appeals(ctx, q, a.MunicipalityID, ref.ID)
	if err != nil {
		return Appeal{}, err
	}
	var x *Appeal
	for i := range all {
		if all[i].ID == appealID {
			x = &all[i]
		}
	}
	if x == nil {
		return Appeal{}, invalid.Problem("klagen finnes ikke i saken")
	}
	before := *x
	wrongOrder := func(what invalid.Message) (Appeal, error) {
		return Appeal{}, invalid.Problem("%s (klagen er nå: %s)", what, i18n.Lower("case.appeal_status", x.Status))
	}
	if received := x.ReceivedOn; on.Before(received) {
		return Appeal{}, invalid.Problem("datoen kan ikke være før klagen ble mottatt (%s)", received)
	}
	switch in.Step {
	case "frist":
		// § 31: a late appeal may be considered when the party cannot be
		// blamed for the delay, or there are special reasons; the unit
		// decides and records why.
		if !x.Late {
			return Appeal{}, invalid.Problem("klagen kom innen fristen: det er ingenting å vurdere etter forvaltningsloven § 31")
		}
		if x.LateDecision != "" {
			return wrongOrder(invalid.F("det er allerede bestemt om klagen skal behandles selv om den kom for sent"))
		}
		if !Has(LateChoices, in.Outcome) {
			return Appeal{}, invalid.Problem("velg om klagen behandles likevel eller avvises (forvaltningsloven § 31)")
		}
		if strings.TrimSpace(in.Note) == "" {
			return Appeal{}, invalid.Problem("skriv hvorfor klagen behandles eller avvises selv om den kom for sent (forvaltningsloven § 31)")
		}
		x.LateDecision, x.LateReason = in.Outcome, strings.TrimSpace(in.Note)
		if in.Outcome == "avvises" {
			x.Status = AppealDismissed
		}
		_, err = q.ExecContext(ctx, "UPDATE appeals SET late_decision = ?, late_reason = ?, status = ? WHERE id = ?", x.LateDecision, x.LateReason, x.Status, x.ID)
	case "vurder":
		if x.Status != AppealReceived {
			return wrongOrder(invalid.F("klagen er allerede vurdert av enheten"))
		}
		if x.Late && x.LateDecision != "behandles" {
			return Appeal{}, invalid.Problem("klagen kom etter fristen: bestem først om den skal behandles likevel, og skriv hvorfor (forvaltningsloven § 31)")
		}
		if s := AppealStatus(in.Outcome); s != AppealReversed && s != AppealUpheld {
			return Appeal{}, invalid.Problem("velg om vedtaket omgjøres eller opprettholdes")
		}
		if strings.TrimSpace(in.Note) == "" {
			return Appeal{}, invalid.Problem("skriv enhetens vurdering av klagen")
		}
		x.Status, x.ReconsideredOn, x.Reconsideration = AppealStatus(in.Outcome), on, strings.TrimSpace(in.Note)
		_, err = q.ExecContext(ctx, "UPDATE appeals SET status = ?, reconsidered_on = ?, reconsideration = ? WHERE id = ?", x.Status, x.ReconsideredOn, x.Reconsideration, x.ID)
	case "send":
		if x.Status != AppealUpheld {
			return wrongOrder(invalid.F("bare en klage enheten har opprettholdt vedtaket i, sendes Statsforvalteren"))
		}
		x.Status, x.ForwardedOn = AppealForwarded, on
		_, err = q.ExecContext(ctx, "UPDATE appeals SET status = ?, forwarded_on = ? WHERE id = ?", x.Status, x.ForwardedOn, x.ID)
	case "utfall":
		if x.Status != AppealForwarded {
			return wrongOrder(invalid.F("utfallet registreres når klagen er sendt Statsforvalteren"))
		}
		if !AppealOutcome(in.Outcome).Valid() {
			return Appeal{}, invalid.Problem("velg Statsforvalterens utfall")
		}
		if forwarded := x.ForwardedOn; on.Before(forwarded) {
			return Appeal{}, invalid.Problem("utfallet kan ikke være før klagen ble sendt (%s)", forwarded)
		}
		x.Status, x.Outcome, x.OutcomeOn, x.OutcomeNote = AppealDecided, AppealOutcome(in.Outcome), on, strings.TrimSpace(in.Note)
		_, err = q.ExecContext(ctx, "UPDATE appeals SET status = ?, outcome = ?, outcome_on = ?, outcome_note = ? WHERE id = ?", x.Status, x.Outcome, x.OutcomeOn, x.OutcomeNote, x.ID)
	default:
		return Appeal{}, invalid.Problem("ukjent steg i klagesaken")
	}
	if err != nil {
		return Appeal{}, err
	}
	return *x, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "klage: " + in.Step, Entity: "klage",
		EntityID: x.ID, Before: before, After: x})
}

func appeals(ctx context.Context, q store.Queryer, municipalityID, applicationID int64) ([]Appeal, error) {
	m, err := appealsOf(ctx, q, municipalityID, []int64{applicationID})
	return store.Of(m, applicationID), err
}

// appealsOf reads the appeals of many cases in one query, newest first.
func appealsOf(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64) (map[int64][]Appeal, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, `SELECT x.application_id, x.id, x.decision_id, d.version, x.received_on, x.appeal_due, x.late, x.grounds, x.status, x.reconsidered_on,
		x.reconsideration, x.forwarded_on, x.outcome, x.outcome_on, x.outcome_note, x.registered_by, x.late_decision, x.late_reason
		FROM appeals x JOIN decisions d ON d.id = x.decision_id WHERE x.municipality_id = ? AND x.application_id IN `+in+` ORDER BY x.id DESC`, append([]any{municipalityID}, args...)...)
	return store.CollectBy(rows, err, func(s store.Scanner) (x Appeal, err error) {
		err = s.Scan(&x.ID, &x.DecisionID, &x.DecisionVersion, &x.ReceivedOn, &x.AppealDue, &x.Late, &x.Grounds, &x.Status,
			&x.ReconsideredOn, &x.Reconsideration, &x.ForwardedOn, &x.Outcome, &x.OutcomeOn, &x.OutcomeNote, &x.RegisteredBy,
			&x.LateDecision, &x.LateReason)
		return x, err
	})
}
