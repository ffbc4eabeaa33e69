package arrears

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/notice"
	"husly/internal/phrase"
	"husly/internal/store"
)

// LoadPractice reads the municipality's practice, or the default.
func LoadPractice(ctx context.Context, q store.Queryer, municipalityID int64) (Practice, error) {
	p := DefaultPractice()
	err := q.QueryRowContext(ctx, "SELECT conversation_days, source FROM arrears_practice WHERE municipality_id = ?", municipalityID).
		Scan(&p.ConversationDays, &p.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	p.Custom = err == nil
	return p, err
}

// SetPractice stores the municipality's own practice: leaders and
// administrators, within the law, in the audit chain.
func SetPractice(ctx context.Context, q store.Queryer, a access.Actor, p Practice) error {
	if a.Role != access.UnitLeader && a.Role != access.Admin {
		return access.ErrForbidden
	}
	p.Source = strings.TrimSpace(p.Source)
	if err := bad(p.Check()); err != nil {
		return err
	}
	before, err := LoadPractice(ctx, q, a.MunicipalityID)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO arrears_practice (municipality_id, conversation_days, source, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (municipality_id) DO UPDATE SET conversation_days = excluded.conversation_days, source = excluded.source,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		a.MunicipalityID, p.ConversationDays, p.Source, a.Label(), store.TimeArg(time.Now())); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre praksis", Entity: entityConversation,
		EntityID: a.MunicipalityID, Before: before, After: p})
}

// financeGrant authorizes the actor for a person and requires that the
// grant includes finances: amounts and outcomes are finances.
func financeGrant(ctx context.Context, q store.Queryer, a access.Actor, personID int64) error {
	g, err := access.Authorize(ctx, q, a, personID)
	if err != nil {
		return err
	}
	if !g.Allows(access.Finances) {
		return access.ErrForbidden
	}
	return nil
}

// leaseFinance requires that the actor sees the finances of at least one
// tenant on the lease: who may not see amounts may not register them.
func leaseFinance(ctx context.Context, q store.Queryer, a access.Actor, leaseID int64) error {
	rows, err := q.QueryContext(ctx, "SELECT person_id FROM lease_tenants WHERE lease_id = ? AND municipality_id = ? ORDER BY person_id", leaseID, a.MunicipalityID)
	persons, err := store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
	if err != nil {
		return err
	}
	if len(persons) == 0 {
		return ErrNotFound
	}
	for _, p := range persons {
		if financeGrant(ctx, q, a, p) == nil {
			return nil
		}
	}
	return access.ErrForbidden
}

// HandInput is a due registered by hand on a lease.
type HandInput struct {
	LeaseID     int64         `json:"lease_id"`
	PersonID    int64         `json:"person_id"`
	Kind        Kind          `json:"kind"`
	DueOn       deadline.Date `json:"due_on"`
	Amount      int64         `json:"amount_ore"`
	Outstanding *int64        `json:"outstanding_ore"`
}

// Register stores a due by hand (staff who see the tenant's finances) and
// makes the conversation if it is the lease's first missed due. It returns
// the due's id.
func Register(ctx context.Context, q store.Queryer, a access.Actor, in HandInput, today deadline.Date) (int64, error) {
	if !a.Writes() {
		return 0, access.ErrForbidden
	}
	if err := leaseFinance(ctx, q, a, in.LeaseID); err != nil {
		return 0, err
	}
	ps := CheckLine(Line{LeaseID: in.LeaseID, Kind: in.Kind, DueOn: in.DueOn, Amount: in.Amount, Outstanding: in.Outstanding}, today)
	if in.PersonID <= 0 {
		ps = append(ps, invalid.F("velg leietakeren forfallet gjelder"))
	}
	if err := bad(ps); err != nil {
		return 0, err
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM lease_tenants WHERE lease_id = ? AND person_id = ? AND municipality_id = ?",
		in.LeaseID, in.PersonID, a.MunicipalityID).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, invalid.Problem("personen er ikke leietaker i leieforhold %d", in.LeaseID)
	}
	if err := financeGrant(ctx, q, a, in.PersonID); err != nil {
		return 0, err
	}
	l := Line{Amount: in.Amount, Outstanding: in.Outstanding}
	out := l.outstanding()
	var paid any
	if out == 0 {
		paid = today
	}
	now := store.TimeArg(time.Now())
	id, err := store.InsertID(ctx, q, `INSERT INTO arrears_dues (municipality_id, lease_id, person_id, kind, due_on, amount, outstanding, paid_on,
		registered_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, in.LeaseID, in.PersonID, string(in.Kind), in.DueOn,
		in.Amount, out, paid, a.Label(), now, now)
	if err != nil {
		return 0, err
	}
	p, err := LoadPractice(ctx, q, a.MunicipalityID)
	if err != nil {
		return 0, err
	}
	if _, err := converse(ctx, q, a, []int64{in.LeaseID}, p, today, false); err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer", Entity: entityDue, EntityID: id, After: in})
}

// SetOutstanding records by hand what is still unpaid of a due (0: paid),
// and settles the lease's conversation when nothing is left.
func SetOutstanding(ctx context.Context, q store.Queryer, a access.Actor, dueID, outstanding int64, today deadline.Date) error {
	if !a.Writes() {
		return access.ErrForbidden
	}
	var lease, person, amount, before int64
	err := q.QueryRowContext(ctx, "SELECT lease_id, person_id, amount, outstanding FROM arrears_dues WHERE id = ? AND municipality_id = ?", dueID, a.MunicipalityID).
		Scan(&lease, &person, &amount, &before)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if err := financeGrant(ctx, q, a, person); err != nil {
		return err
	}
	if outstanding < 0 || outstanding > amount {
		return invalid.Problem("utestående (%s kr) må være mellom 0 og beløpet (%s kr)", Kroner(outstanding), Kroner(amount))
	}
	var paid any
	if outstanding == 0 {
		paid = today
	}
	if _, err := q.ExecContext(ctx, "UPDATE arrears_dues SET outstanding = ?, paid_on = ?, updated_at = ? WHERE id = ?",
		outstanding, paid, store.TimeArg(time.Now()), dueID); err != nil {
		return err
	}
	if err := settle(ctx, q, a.MunicipalityID, []int64{lease}, today); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre utestående", Entity: entityDue, EntityID: dueID,
		Before: map[string]int64{"outstanding_ore": before}, After: map[string]int64{"outstanding_ore": outstanding}})
}

// Outcome is a recorded conversation, as the hooks receive it.
type Outcome struct {
	MunicipalityID int64         `json:"municipality_id"`
	ConversationID int64         `json:"conversation_id"`
	LeaseID        int64         `json:"lease_id"`
	PersonID       int64         `json:"person_id"`
	Kind           OutcomeKind   `json:"outcome"`
	HeldOn         deadline.Date `json:"held_on"`
	Note           string        `json:"note"`
	NAVNotified    bool          `json:"nav_notified"`
	NAVBasis       string        `json:"nav_basis,omitempty"`
	RecordedBy     string        `json:"recorded_by"`
	RecordedByID   int64         `json:"recorded_by_id,omitempty"`
}

var (
	hooksMu sync.RWMutex
	hooks   []func(ctx context.Context, q store.Queryer, o Outcome) error
)

// OnOutcome registers fn to run inside the transaction that records a
// conversation's outcome, after it is written; an error from fn takes the
// recording back. Register at init.
func OnOutcome(fn func(ctx context.Context, q store.Queryer, o Outcome) error) {
	hooksMu.Lock()
	defer hooksMu.Unlock()
	hooks = append(hooks, fn)
}

// OutcomeInput is what the conversation form holds.
type OutcomeInput struct {
	Kind   OutcomeKind   `json:"outcome"`
	HeldOn deadline.Date `json:"held_on"`
	Note   string        `json:"note"`
	// NotifyNAV asks that NAV be told; NAVBasis says on what ground:
	// "samtykke" (the tenant's consent to a NAV unit covering finances)
	// or "hjemmel" with NAVLegalBasis naming the provision.
	NotifyNAV     bool   `json:"notify_nav"`
	NAVBasis      string `json:"nav_basis"`
	NAVLegalBasis string `json:"nav_legal_basis"`
}

// CheckOutcome names what is wrong with an outcome on its own.
func CheckOutcome(in OutcomeInput, today deadline.Date) []invalid.Message {
	var ps []invalid.Message
	if !in.Kind.Valid() {
		ps = append(ps, invalid.F("velg utfallet av samtalen (betalingsplan, trekk i ytelse, søknad til NAV, bostøtte eller annet)"))
	}
	switch {
	case in.HeldOn.IsZero():
		ps = append(ps, invalid.F("oppgi dagen samtalen ble holdt"))
	case today.Before(in.HeldOn):
		ps = append(ps, invalid.F("samtalen kan ikke være holdt fram i tid"))
	}
	note := strings.TrimSpace(in.Note)
	if in.Kind == OtherOutcome && note == "" {
		ps = append(ps, invalid.F("skriv i notatet hva samtalen førte til når utfallet er «annet»"))
	}
	if len([]rune(note)) > 2000 {
		ps = append(ps, invalid.F("notatet kan ha høyst 2000 tegn"))
	}
	if in.NotifyNAV {
		switch in.NAVBasis {
		case BasisConsent:
		case BasisLaw:
			if len([]rune(strings.TrimSpace(in.NAVLegalBasis))) < 10 {
				ps = append(ps, invalid.F("oppgi hjemmelen for å varsle NAV uten samtykke (for eksempel lovbestemmelsen), med minst 10 tegn"))
			}
		default:
			ps = append(ps, invalid.F("NAV kan bare varsles med leietakerens samtykke eller en hjemmel: velg grunnlaget"))
		}
	}
	return ps
}

type conversation struct {
	id, lease, person, assignee, unit int64
	status                            string
	collection                        deadline.Date
}

func loadConversation(ctx context.Context, q store.Queryer, mid, id int64) (conversation, error) {
	var c conversation
	var assignee, unit sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT id, lease_id, person_id, assignee_id, org_unit_id, status, collection_on FROM arrears_conversations
		WHERE id = ? AND municipality_id = ?`, id, mid).Scan(&c.id, &c.lease, &c.person, &assignee, &unit, &c.status, &c.collection)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	c.assignee, c.unit = assignee.Int64, unit.Int64
	return c, err
}

// mayHold reports whether the actor may record the conversation: the
// assignee, staff of the unit it is given to when nobody is named, or
// staff who see the tenant's finances.
func mayHold(ctx context.Context, q store.Queryer, a access.Actor, c conversation) error {
	if !a.Writes() {
		return access.ErrForbidden
	}
	g, err := access.Authorize(ctx, q, a, c.person)
	if err != nil {
		return err
	}
	if (c.assignee != 0 && c.assignee == a.UserID) || (c.assignee == 0 && c.unit != 0 && c.unit == a.OrgUnitID) || g.Allows(access.Finances) {
		return nil
	}
	return access.ErrForbidden
}

// NAVConsent gives the person's active consent to a NAV unit that covers
// finances (the access model's consents to units) and the unit it is
// given to, 0 and 0 when there is none.
func NAVConsent(ctx context.Context, q store.Queryer, mid, personID int64, now time.Time) (id, unit int64, err error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.recipient_unit_id, c.categories, c.given_at, c.expires_at, c.withdrawn_at FROM consents c
		JOIN org_units o ON o.id = c.recipient_unit_id WHERE c.municipality_id = ? AND c.person_id = ? AND o.kind = 'nav' ORDER BY c.given_at DESC, c.id DESC`,
		mid, personID)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var cats string
		var given, expires, withdrawn time.Time
		if err := rows.Scan(&id, &unit, &cats, store.ScanTime(&given), store.ScanTime(&expires), store.ScanTime(&withdrawn)); err != nil {
			return 0, 0, err
		}
		active := !given.After(now) && (expires.IsZero() || now.Before(expires)) && (withdrawn.IsZero() || now.Before(withdrawn))
		if active && strings.Contains(","+cats+",", ","+string(access.Finances)+",") {
			return id, unit, nil
		}
	}
	return 0, 0, rows.Err()
}

// RecordOutcome records the conversation's outcome, tells NAV only on a
// consent or a stated legal basis, and runs the OnOutcome hooks in the
// same transaction.
func RecordOutcome(ctx context.Context, q store.Queryer, a access.Actor, id int64, in OutcomeInput, today deadline.Date) error {
	c, err := loadConversation(ctx, q, a.MunicipalityID, id)
	if err != nil {
		return err
	}
	if err := mayHold(ctx, q, a, c); err != nil {
		return err
	}
	if c.status == statusHeld {
		return invalid.Problem("samtalen er allerede registrert")
	}
	in.Note = strings.TrimSpace(in.Note)
	in.NAVLegalBasis = strings.TrimSpace(in.NAVLegalBasis)
	if err := bad(CheckOutcome(in, today)); err != nil {
		return err
	}
	var consent int64
	var navUnits []int64
	basis, legal := "", ""
	if in.NotifyNAV {
		basis = in.NAVBasis
		if basis == BasisConsent {
			// Finances are under NAV's and the municipality's duty of
			// confidentiality (forvaltningsloven § 13, NAV-loven § 7): shared
			// only with the tenant's consent or a legal basis, and on a
			// consent only with the unit the consent is given to.
			var unit int64
			if consent, unit, err = NAVConsent(ctx, q, a.MunicipalityID, c.person, time.Now()); err != nil {
				return err
			}
			if consent == 0 {
				return invalid.Problem("leietakeren har ikke gitt samtykke til at NAV får opplysninger om økonomi: registrer samtykket først, eller oppgi hjemmelen for å varsle NAV")
			}
			navUnits = []int64{unit}
		} else {
			legal = in.NAVLegalBasis
			if navUnits, err = notice.NAVUnits(ctx, q, a.MunicipalityID); err != nil {
				return err
			}
			if len(navUnits) == 0 {
				return invalid.Problem("kommunen har ingen NAV-enhet i organisasjonen, så NAV kan ikke varsles: legg inn NAV-kontoret som enhet først")
			}
		}
	}
	if _, err := q.ExecContext(ctx, `UPDATE arrears_conversations SET status = ?, outcome = ?, note = ?, held_on = ?, recorded_by = ?, recorded_by_id = ?,
		nav_notified = ?, nav_basis = ?, nav_consent_id = ?, nav_legal_basis = ? WHERE id = ?`,
		statusHeld, string(in.Kind), in.Note, in.HeldOn, a.Label(), nullID(a.UserID), in.NotifyNAV, basis, nullID(consent), legal, id); err != nil {
		return err
	}
	o := Outcome{MunicipalityID: a.MunicipalityID, ConversationID: id, LeaseID: c.lease, PersonID: c.person, Kind: in.Kind, HeldOn: in.HeldOn, Note: in.Note,
		NAVNotified: in.NotifyNAV, NAVBasis: basis, RecordedBy: a.Label(), RecordedByID: a.UserID}
	if err := audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "registrer samtale", Entity: entityConversation,
		EntityID: id, After: o}); err != nil {
		return err
	}
	if err := tellNAV(ctx, q, o, navUnits, legal); err != nil {
		return err
	}
	hooksMu.RLock()
	fns := append([]func(context.Context, store.Queryer, Outcome) error{}, hooks...)
	hooksMu.RUnlock()
	for _, fn := range fns {
		if err := fn(ctx, q, o); err != nil {
			return err
		}
	}
	return nil
}

// tellNAV sends the notice of a held conversation to the NAV units it may
// go to (none when NAV is not to be told): the outcome and the day, which
// reveal the tenant's finances, and the basis it is sent on.
func tellNAV(ctx context.Context, q store.Queryer, o Outcome, units []int64, legal string) error {
	basis := notice.BasisConsent
	if o.NAVBasis == BasisLaw {
		basis = legal
	}
	msg := phrase.New("arrears.notice.nav", phrase.Label("arrears.outcome."+string(o.Kind)), phrase.Date(o.HeldOn))
	sends := make([]notice.Input, 0, len(units))
	for _, u := range units {
		sends = append(sends, notice.Input{MunicipalityID: o.MunicipalityID, OrgUnitID: u, Recipient: notice.ToNAV, PersonID: o.PersonID, LeaseID: o.LeaseID,
			Source: notice.Arrears, SourceID: o.ConversationID, Category: access.Finances, Basis: basis, Message: msg})
	}
	return notice.Send(ctx, q, sends...)
}

// StartCollection marks collection (inkasso) as started on the lease's
// arrears: only after the conversation is recorded, or with a reason why
// it must start without one (the municipality's own rule from seed 004:
// a conversation before collection).
func StartCollection(ctx context.Context, q store.Queryer, a access.Actor, id int64, on deadline.Date, reason string, today deadline.Date) error {
	c, err := loadConversation(ctx, q, a.MunicipalityID, id)
	if err != nil {
		return err
	}
	if err := mayHold(ctx, q, a, c); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	var ps []invalid.Message
	if !c.collection.IsZero() {
		ps = append(ps, invalid.F("inkasso er allerede registrert som startet %s", c.collection))
	}
	if c.status != statusHeld && len([]rune(reason)) < 10 {
		ps = append(ps, invalid.F("inkasso kan ikke startes før samtalen med leietakeren er registrert: registrer samtalen, eller skriv en begrunnelse (minst 10 tegn) for hvorfor inkasso må startes uten samtale"))
	}
	switch {
	case on.IsZero():
		ps = append(ps, invalid.F("oppgi dagen inkasso ble startet"))
	case today.Before(on):
		ps = append(ps, invalid.F("inkasso kan ikke registreres som startet fram i tid"))
	}
	if len([]rune(reason)) > 2000 {
		ps = append(ps, invalid.F("begrunnelsen kan ha høyst 2000 tegn"))
	}
	if err := bad(ps); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE arrears_conversations SET collection_on = ?, collection_reason = ?, collection_by = ? WHERE id = ?",
		on, reason, a.Label(), id); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "start inkasso", Entity: entityConversation, EntityID: id,
		After: map[string]any{"collection_on": on, "reason": reason}})
}
