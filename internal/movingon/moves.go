package movingon

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// A move decision during the lease (vedtak om flytting i leieperioden),
// the notification of a tenancy decision's letter, and the resident's
// appeal (forvaltningsloven §§ 28–34; issue "Keeping the home" point 9:
// "a move to a more supported setting when needed — with a decision and
// letter where the law wants one").

// Appeal is an appeal of a tenancy decision and where it stands.
type Appeal struct {
	ID              int64         `json:"id"`
	DecisionID      int64         `json:"decision_id"`
	PersonID        int64         `json:"person_id"`
	ReceivedOn      deadline.Date `json:"received_on"`
	AppealDue       deadline.Date `json:"appeal_due,omitzero"`
	Late            bool          `json:"late"`
	Grounds         string        `json:"grounds"`
	Status          AppealStatus  `json:"status"`
	ReconsideredOn  deadline.Date `json:"reconsidered_on,omitzero"`
	Reconsideration string        `json:"reconsideration,omitempty"`
	ForwardedOn     deadline.Date `json:"forwarded_on,omitzero"`
	Outcome         AppealOutcome `json:"outcome,omitempty"`
	OutcomeOn       deadline.Date `json:"outcome_on,omitzero"`
	OutcomeNote     string        `json:"outcome_note,omitempty"`
	ByResident      bool          `json:"by_resident"`
	RegisteredBy    string        `json:"registered_by"`
}

// Open reports whether the appeal is still being handled.
func (x Appeal) Open() bool { return x.Status == AppealReceived || x.Status == AppealForwarded }

// standingCond is the SQL condition that the decision alias still stands:
// no appeal reversed, changed or quashed it (Stands).
func standingCond(alias string) (string, []any) {
	return " AND NOT EXISTS (SELECT 1 FROM renewal_appeals x WHERE x.decision_id = " + alias + ".id AND (x.status = ? OR x.outcome IN (?, ?)))",
		[]any{string(AppealReversed), string(AppealChanged), string(AppealQuashed)}
}

// RecordMove records a move decision during an active lease, time-limited
// or open-ended, in the caller's transaction: the resident moves to a more
// supported setting or on to ordinary housing. One open move decision per
// lease and person: a second is refused while the first stands and the
// lease is active. Only a tenant of the lease is named.
func RecordMove(ctx context.Context, q store.Queryer, a access.Actor, in MoveInput, today deadline.Date) (Renewal, error) {
	if !Decides(a) {
		return Renewal{}, access.ErrForbidden
	}
	if in.PersonID <= 0 || in.LeaseID <= 0 {
		return Renewal{}, invalid.Problem("velg leiekontrakten og beboeren vedtaket gjelder")
	}
	if err := authorizeFor(ctx, q, a, in.PersonID, access.Tenancy); err != nil {
		return Renewal{}, err
	}
	var status, address string
	err := q.QueryRowContext(ctx, `SELECT l.status, u.address FROM leases l JOIN lease_tenants lt ON lt.lease_id = l.id JOIN units u ON u.id = l.unit_id
		WHERE l.id = ? AND l.municipality_id = ? AND lt.person_id = ?`, in.LeaseID, a.MunicipalityID, in.PersonID).Scan(&status, &address)
	if errors.Is(err, sql.ErrNoRows) {
		return Renewal{}, ErrNotFound
	}
	if err != nil {
		return Renewal{}, err
	}
	problems := CheckMove(in, today)
	if status != "aktiv" {
		problems = append(problems, invalid.F("leiekontrakten er ikke aktiv"))
	}
	if len(problems) > 0 {
		return Renewal{}, invalid.New(problems...)
	}
	var open int
	standing, sargs := standingCond("r")
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM renewal_decisions r WHERE r.lease_id = ? AND r.municipality_id = ? AND r.person_id = ? AND r.kind = ?"+standing,
		append([]any{in.LeaseID, a.MunicipalityID, in.PersonID, string(DuringLease)}, sargs...)...).Scan(&open); err != nil {
		return Renewal{}, err
	}
	if open > 0 {
		return Renewal{}, invalid.Problem("beboeren har allerede et vedtak om flytting på denne leiekontrakten som står ved lag: endre det ved klage eller omgjøring, ikke med et nytt vedtak")
	}
	r := Renewal{LeaseID: in.LeaseID, PersonID: in.PersonID, Outcome: in.Outcome, Reason: strings.TrimSpace(in.Reason), Offered: strings.TrimSpace(in.Offered),
		MoveOn: in.MoveOn, Decided: in.Decided, DecidedBy: a.Name, Address: address, Kind: DuringLease, Stands: true, Appeals: []Appeal{}}
	if r.Decided.IsZero() {
		r.Decided = today
	}
	r.ID, err = store.InsertID(ctx, q, `INSERT INTO renewal_decisions (municipality_id, lease_id, person_id, outcome, reason, kind, offered, move_on,
		decided_on, decided_by, decided_by_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, in.LeaseID, in.PersonID, string(in.Outcome), r.Reason, string(DuringLease), r.Offered, r.MoveOn, r.Decided, a.UserID, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return Renewal{}, err
	}
	return r, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer flytting", Entity: entityDecision, EntityID: r.ID, After: r})
}

// decision reads one decision of the municipality with its appeals.
func decision(ctx context.Context, q store.Queryer, municipalityID, id int64) (Renewal, error) {
	row := q.QueryRowContext(ctx, `SELECT `+renewalColumns+` FROM renewal_decisions r JOIN leases l ON l.id = r.lease_id JOIN units u ON u.id = l.unit_id
		WHERE r.id = ? AND r.municipality_id = ?`, id, municipalityID)
	r, err := scanRenewal(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Renewal{}, ErrNotFound
	}
	if err != nil {
		return Renewal{}, err
	}
	rs, err := withAppeals(ctx, q, municipalityID, []Renewal{r})
	if err != nil {
		return Renewal{}, err
	}
	return rs[0], nil
}

// withAppeals reads the appeals of the decisions in one statement and
// says whether each still stands.
func withAppeals(ctx context.Context, q store.Queryer, municipalityID int64, rs []Renewal) ([]Renewal, error) {
	if len(rs) == 0 {
		return rs, nil
	}
	var ids []int64
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, `SELECT decision_id, id, person_id, received_on, appeal_due, late, grounds, status, reconsidered_on, reconsideration,
		forwarded_on, outcome, outcome_on, outcome_note, by_resident, registered_by FROM renewal_appeals WHERE municipality_id = ? AND decision_id IN `+in+` ORDER BY id`,
		append([]any{municipalityID}, args...)...)
	by, err := store.CollectBy(rows, err, func(s store.Scanner) (x Appeal, err error) {
		err = s.Scan(&x.ID, &x.PersonID, &x.ReceivedOn, &x.AppealDue, &x.Late, &x.Grounds, &x.Status, &x.ReconsideredOn, &x.Reconsideration,
			&x.ForwardedOn, &x.Outcome, &x.OutcomeOn, &x.OutcomeNote, &x.ByResident, &x.RegisteredBy)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]Renewal, 0, len(rs))
	for _, r := range rs {
		list := store.Of(by, r.ID)
		if list == nil {
			list = []Appeal{}
		}
		for j := range list {
			list[j].DecisionID = r.ID
		}
		r.Appeals, r.Stands = list, Stands(list)
		out = append(out, r)
	}
	return out, nil
}

// writableDecision reads a decision the actor may write about: staff with
// the tenancy category for the person.
func writableDecision(ctx context.Context, q store.Queryer, a access.Actor, id int64) (Renewal, error) {
	r, err := decision(ctx, q, a.MunicipalityID, id)
	if err != nil {
		return Renewal{}, err
	}
	if err := authorizeFor(ctx, q, a, r.PersonID, access.Tenancy); err != nil {
		return Renewal{}, err
	}
	return r, nil
}

// NotifyInput says how and when the decision letter was sent.
type NotifyInput = caseflow.SendInput

// RecordNotified records that a decision's letter was sent, how and when,
// in the caller's transaction. The appeal deadline runs from the day the
// letter is taken to have reached the resident (forvaltningsloven § 29),
// by the case flow's rules for each channel (caseflow.NotifiedOn, the
// municipality's paper post days) and its appeal weeks; sent again, the
// earliest arrival counts, as for the case flow's decisions.
func RecordNotified(ctx context.Context, q store.Queryer, a access.Actor, id int64, in NotifyInput, today deadline.Date) (Renewal, error) {
	if !Decides(a) {
		return Renewal{}, access.ErrForbidden
	}
	r, err := writableDecision(ctx, q, a, id)
	if err != nil {
		return Renewal{}, err
	}
	var problems []invalid.Message
	sent := in.SentOn
	if sent.IsZero() {
		sent = today
	}
	if today.Before(sent) {
		problems = append(problems, invalid.F("sendt dato kan ikke være fram i tid"))
	}
	if sent.Before(r.Decided) {
		problems = append(problems, invalid.F("vedtaksbrevet kan ikke være sendt før vedtaket ble fattet (%s)", r.Decided))
	}
	if !r.Outcome.IsDecision() {
		problems = append(problems, invalid.F("en fornyelse gir leiekontrakt, ikke vedtaksbrev: brevet lages når leiekontrakten ikke fornyes eller beboeren skal flytte"))
	}
	if strings.TrimSpace(in.Channel) == "" {
		problems = append(problems, invalid.F("velg hvordan brevet ble sendt: digital post, e-post, papirpost eller overlevert (klagefristen regnes fra når brevet kom fram, forvaltningsloven § 29)"))
	}
	if len(problems) > 0 {
		return Renewal{}, invalid.New(problems...)
	}
	practice, err := caseflow.LoadPractice(ctx, q, a.MunicipalityID)
	if err != nil {
		return Renewal{}, err
	}
	notified, err := caseflow.NotifiedOn(sent, in.Channel, practice.PaperPostDays)
	if err != nil {
		return Renewal{}, err
	}
	before := r
	if r.NotifiedOn.IsZero() || notified.Before(r.NotifiedOn) {
		r.NotifiedOn, r.NotifiedVia, r.AppealDue = notified, in.Channel, caseflow.AppealDueFrom(notified, practice.AppealWeeks)
		if _, err := q.ExecContext(ctx, "UPDATE renewal_decisions SET notified_on = ?, notified_via = ?, appeal_due = ? WHERE id = ? AND municipality_id = ?",
			r.NotifiedOn, r.NotifiedVia, r.AppealDue, r.ID, a.MunicipalityID); err != nil {
			return Renewal{}, err
		}
	}
	return r, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "send vedtaksbrev", Entity: entityDecision, EntityID: r.ID,
		Before: before, After: map[string]any{"channel": in.Channel, "sent_on": sent.String(), "notified_on": r.NotifiedOn.String(), "appeal_due": r.AppealDue.String()}})
}

// RegisterAppeal receives an appeal of a tenancy decision, in the
// caller's transaction: from the resident themself on Min side (received
// today), or registered by those who make the decisions, with the tenancy
// category (received on the day given: by post, at the counter). Only an individual decision that still stands can be
// appealed, one open appeal at a time, and Statsforvalteren's decision is
// final (§ 28 third paragraph). An appeal after the deadline is received
// all the same and marked late (§ 31): never refused for its lateness.
func RegisterAppeal(ctx context.Context, q store.Queryer, a access.Actor, id int64, in AppealInput, today deadline.Date) (Appeal, error) {
	byResident := a.Role == access.Resident
	var r Renewal
	var err error
	if byResident {
		if a.PersonID == 0 {
			return Appeal{}, access.ErrForbidden
		}
		r, err = decision(ctx, q, a.MunicipalityID, id)
		if err == nil && r.PersonID != a.PersonID {
			err = ErrNotFound
		}
		in.ReceivedOn = today
	} else {
		if !Decides(a) {
			return Appeal{}, access.ErrForbidden
		}
		r, err = writableDecision(ctx, q, a, id)
	}
	if err != nil {
		return Appeal{}, err
	}
	problems := CheckAppeal(in, r.Decided, today)
	if !r.Outcome.IsDecision() {
		problems = append(problems, invalid.F("en fornyelse av leiekontrakten er ikke et vedtak som kan påklages"))
	}
	if !r.Stands {
		problems = append(problems, invalid.F("vedtaket står ikke lenger ved lag: det er omgjort eller opphevet"))
	}
	for _, x := range r.Appeals {
		if x.Open() {
			problems = append(problems, invalid.F("det er allerede en klage under behandling på dette vedtaket; legg nye opplysninger til den"))
		}
		if x.Status == AppealDecided {
			problems = append(problems, invalid.F("Statsforvalterens vedtak i klagesaken er endelig og kan ikke påklages (forvaltningsloven § 28 tredje ledd)"))
		}
	}
	if len(problems) > 0 {
		return Appeal{}, invalid.New(problems...)
	}
	received := in.ReceivedOn
	if received.IsZero() {
		received = today
	}
	x := Appeal{DecisionID: r.ID, PersonID: r.PersonID, ReceivedOn: received, AppealDue: r.AppealDue, Late: AppealLate(received, r.AppealDue),
		Grounds: strings.TrimSpace(in.Grounds), Status: AppealReceived, ByResident: byResident, RegisteredBy: a.Name}
	var due any
	if !x.AppealDue.IsZero() {
		due = x.AppealDue
	}
	x.ID, err = store.InsertID(ctx, q, `INSERT INTO renewal_appeals (municipality_id, decision_id, person_id, received_on, appeal_due, late, grounds, status,
		by_resident, registered_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, r.ID, r.PersonID, x.ReceivedOn, due, x.Late, x.Grounds,
		string(x.Status), x.ByResident, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return Appeal{}, err
	}
	return x, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer", Entity: entityAppeal, EntityID: x.ID, After: x})
}

// AdvanceAppeal takes an appeal one step on, in the caller's transaction:
// the deciding unit's reconsideration (§ 33), then Statsforvalteren's
// outcome (§ 34). Only those who make the decisions do it.
func AdvanceAppeal(ctx context.Context, q store.Queryer, a access.Actor, appealID int64, in AppealStepInput, today deadline.Date) (Appeal, error) {
	if !Decides(a) {
		return Appeal{}, access.ErrForbidden
	}
	var decisionID int64
	err := q.QueryRowContext(ctx, "SELECT decision_id FROM renewal_appeals WHERE id = ? AND municipality_id = ?", appealID, a.MunicipalityID).Scan(&decisionID)
	if errors.Is(err, sql.ErrNoRows) {
		return Appeal{}, ErrNotFound
	}
	if err != nil {
		return Appeal{}, err
	}
	r, err := writableDecision(ctx, q, a, decisionID)
	if err != nil {
		return Appeal{}, err
	}
	var before Appeal
	for _, x := range r.Appeals {
		if x.ID == appealID {
			before = x
		}
	}
	x, problems := NextAppeal(before, in, today)
	if len(problems) > 0 {
		return Appeal{}, invalid.New(problems...)
	}
	var outcome any = string(x.Outcome)
	_, err = q.ExecContext(ctx, `UPDATE renewal_appeals SET status = ?, reconsidered_on = ?, reconsideration = ?, forwarded_on = ?, outcome = ?, outcome_on = ?,
		outcome_note = ? WHERE id = ? AND municipality_id = ?`, string(x.Status), nullDate(x.ReconsideredOn), x.Reconsideration, nullDate(x.ForwardedOn), outcome,
		nullDate(x.OutcomeOn), x.OutcomeNote, x.ID, a.MunicipalityID)
	if err != nil {
		return Appeal{}, err
	}
	return x, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "klage: " + string(x.Status), Entity: entityAppeal,
		EntityID: x.ID, Before: before, After: x})
}

func nullDate(d deadline.Date) any {
	if d.IsZero() {
		return nil
	}
	return d
}

// ReadDecision reads one tenancy decision with its appeals, for staff
// with the tenancy category or the resident it concerns; the read is
// authorized and logged.
func ReadDecision(ctx context.Context, rd *access.Reader, id int64) (access.Personal[Renewal], error) {
	a := rd.Actor()
	var out access.Personal[Renewal]
	r, err := decision(ctx, rd.Q(), a.MunicipalityID, id)
	if err != nil {
		return out, err
	}
	if a.Role == access.Resident && (a.PersonID != r.PersonID || !r.Outcome.IsDecision()) {
		return out, ErrNotFound
	}
	g, err := rd.Authorize(ctx, r.PersonID)
	if err != nil {
		return out, err
	}
	if !g.Allows(access.Tenancy) {
		return out, access.ErrForbidden
	}
	out = access.Tag(r.PersonID, r, access.Tenancy)
	return out, rd.Send(ctx, &out)
}

// Mine is the resident's own tenancy decisions that are individual
// decisions (a renewal refused, a move at the lease's end or during it),
// newest first, with their appeals: what Min side shows. Only for the
// resident; read and logged as any read.
func Mine(ctx context.Context, rd *access.Reader) ([]access.Personal[Renewal], error) {
	a := rd.Actor()
	if a.Role != access.Resident || a.PersonID == 0 {
		return nil, access.ErrForbidden
	}
	if _, err := rd.Authorize(ctx, a.PersonID); err != nil {
		return nil, err
	}
	q := rd.Q()
	rows, err := q.QueryContext(ctx, `SELECT `+renewalColumns+` FROM renewal_decisions r JOIN leases l ON l.id = r.lease_id JOIN units u ON u.id = l.unit_id
		WHERE r.municipality_id = ? AND r.person_id = ? AND r.outcome <> ? ORDER BY r.decided_on DESC, r.id DESC`, a.MunicipalityID, a.PersonID, string(Renew))
	rs, err := store.Collect(rows, err, scanRenewal)
	if err != nil {
		return nil, err
	}
	if rs, err = withAppeals(ctx, q, a.MunicipalityID, rs); err != nil {
		return nil, err
	}
	out := make([]access.Personal[Renewal], 0, len(rs))
	for _, r := range rs {
		out = append(out, access.Tag(r.PersonID, r, access.Tenancy))
	}
	return out, rd.Send(ctx, &out)
}

// ActiveLease is one of a resident's active leases, for the move form.
type ActiveLease struct {
	LeaseID int64         `json:"lease_id"`
	Address string        `json:"address"`
	End     deadline.Date `json:"end_on,omitzero"` // zero: open-ended
}

// activeLeases reads the person's active leases, time-limited or
// open-ended.
func activeLeases(ctx context.Context, q store.Queryer, municipalityID, personID int64) ([]ActiveLease, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.id, u.address, l.end_date FROM leases l JOIN lease_tenants lt ON lt.lease_id = l.id JOIN units u ON u.id = l.unit_id
		WHERE l.municipality_id = ? AND lt.person_id = ? AND l.status = 'aktiv' ORDER BY l.id`, municipalityID, personID)
	return store.Collect(rows, err, func(s store.Scanner) (x ActiveLease, err error) { return x, s.Scan(&x.LeaseID, &x.Address, &x.End) })
}

// CanAppeal reports whether the decision can be appealed now: an
// individual decision that still stands, with no appeal being handled and
// no final one (forvaltningsloven § 28).
func (r Renewal) CanAppeal() bool {
	if !r.Outcome.IsDecision() || !r.Stands {
		return false
	}
	for _, x := range r.Appeals {
		if x.Open() || x.Status == AppealDecided {
			return false
		}
	}
	return true
}
