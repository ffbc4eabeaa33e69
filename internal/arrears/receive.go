package arrears

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
	"husly/internal/tabular"
)

// Result is what receiving a batch did. The same batch sent again gets
// the first result back, with Repeated set.
type Result struct {
	BatchID       int64     `json:"batch_id"`
	Ref           string    `json:"batch_ref"`
	Lines         int       `json:"lines"`
	Created       int       `json:"created_dues"`
	Updated       int       `json:"updated_dues"`
	Conversations int       `json:"conversations"`
	ReceivedAt    time.Time `json:"received_at"`
	Repeated      bool      `json:"repeated"`
}

// chunk is how many lines are resolved and written together: one query
// for the references already known (5,000 parameters stay inside both
// engines' limits), one bulk write per table.
const chunk = 5000

// receivesBatches reports whether the actor may receive a batch: the
// operator's command line, or staff whose role sees finances in the
// municipality's matrix (the economy system posts with such a token).
func receivesBatches(ctx context.Context, q store.Queryer, a access.Actor) error {
	if a.Role == access.Operator {
		return nil
	}
	if !a.Writes() {
		return access.ErrForbidden
	}
	ok, err := access.NewReader(q, a, access.ChannelAPI).RoleAllows(ctx, access.Finances)
	if err != nil {
		return err
	}
	if !ok {
		return access.ErrForbidden
	}
	return nil
}

// Receiver takes one batch's lines, one at a time, inside a transaction
// from InConnTx; Finish writes what is left and makes the conversations.
type Receiver struct {
	ctx      context.Context
	tx       *store.Tx
	actor    access.Actor
	today    deadline.Date
	now      string
	batchID  int64
	result   Result
	leases   map[int64][]tenant
	seen     map[string]int32
	pending  []Line
	bad      tabular.Errors
	dues     *store.Batch
	changes  *store.Batch
	practice Practice
	touched  map[int64]bool // leases whose dues were written or changed
}

type tenant struct {
	person int64
	blind  string
}

// ErrRepeated is returned by Begin when the batch was received before;
// the Receiver's Result then holds the first answer.
var ErrRepeated = errors.New("bunken er mottatt før")

// Begin starts receiving a batch known by ref (the sender's batch id, or
// the content's hash) with the content's hash. A batch received before
// with the same content gives ErrRepeated and its first result; one with
// the same id and other content is refused.
func Begin(ctx context.Context, tx *store.Tx, a access.Actor, ref, hash string, source Source, today deadline.Date) (*Receiver, error) {
	if err := receivesBatches(ctx, tx, a); err != nil {
		return nil, err
	}
	ref = strings.TrimSpace(ref)
	if ref == "" {
		ref = hash
	}
	if len(ref) > 200 {
		return nil, invalid.Problem("bunkens id kan ha høyst 200 tegn")
	}
	r := &Receiver{ctx: ctx, tx: tx, actor: a, today: today, now: store.TimeArg(time.Now()).(string), leases: map[int64][]tenant{}, seen: map[string]int32{}, touched: map[int64]bool{}}
	var oldHash string
	err := tx.QueryRowContext(ctx, `SELECT id, batch_ref, content_hash, lines, created_dues, updated_dues, conversations, received_at FROM arrears_batches
		WHERE municipality_id = ? AND batch_ref = ?`, a.MunicipalityID, ref).Scan(&r.result.BatchID, &r.result.Ref, &oldHash, &r.result.Lines,
		&r.result.Created, &r.result.Updated, &r.result.Conversations, store.ScanTime(&r.result.ReceivedAt))
	switch {
	case err == nil && oldHash == hash:
		r.result.Repeated = true
		return r, ErrRepeated
	case err == nil:
		return nil, invalid.Problem("bunken «%s» er allerede mottatt med et annet innhold: gi den nye bunken en ny id", ref)
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	if tx.Dialect() == store.Postgres {
		// Each chunk looks its references up with a list of 1,000
		// parameters in a table the import is filling: a plan made once
		// for the empty table (a generic plan, after five runs) scans it
		// for every reference, so each lookup is planned for its own list.
		if _, err := tx.ExecContext(ctx, "SET LOCAL plan_cache_mode = force_custom_plan"); err != nil {
			return nil, err
		}
	}
	if r.practice, err = LoadPractice(ctx, tx, a.MunicipalityID); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT lt.lease_id, lt.person_id, p.identity_hash FROM lease_tenants lt JOIN persons p ON p.id = lt.person_id
		WHERE lt.municipality_id = ?`, a.MunicipalityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var lease int64
		var t tenant
		var blind sql.NullString
		if err := rows.Scan(&lease, &t.person, &blind); err != nil {
			return nil, err
		}
		t.blind = blind.String
		r.leases[lease] = append(r.leases[lease], t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	r.result.Ref = ref
	r.result.BatchID, err = store.InsertID(ctx, tx, `INSERT INTO arrears_batches (municipality_id, batch_ref, content_hash, source, lines, created_dues,
		updated_dues, conversations, received_by, received_at) VALUES (?, ?, ?, ?, 0, 0, 0, 0, ?, ?)`, a.MunicipalityID, ref, hash, string(source), a.Label(), r.now)
	if err != nil {
		return nil, err
	}
	r.batchID = r.result.BatchID
	r.dues = tx.Batch("arrears_dues", "municipality_id", "lease_id", "person_id", "due_ref", "kind", "due_on", "amount", "outstanding", "batch_id",
		"paid_on", "registered_by", "created_at", "updated_at")
	r.changes = tx.Batch("arrears_changes", "municipality_id", "due_id", "batch_id", "before_ore", "after_ore")
	return r, nil
}

// Result is the first answer of a repeated batch, or this one's after Finish.
func (r *Receiver) Result() Result { return r.result }

// Add checks one line and queues it; a bad line is kept with its problems
// and nothing more is written, so every bad line of the batch is named.
func (r *Receiver) Add(l Line) error { return r.add(l, nil) }

// add is Add with problems already found in the line's text (a broken
// amount), so the line's other problems are named with them.
func (r *Receiver) add(l Line, found []invalid.Message) error {
	r.result.Lines++
	l.IdentityNumber = strings.Join(strings.Fields(l.IdentityNumber), "")
	l.DueRef = strings.TrimSpace(l.DueRef)
	ps := append(found, CheckLine(l, r.today)...)
	if len(found) > 0 {
		// A field that could not be read is named once, not also as missing.
		ps = append(found, checkUnread(l, r.today)...)
	}
	if l.DueRef == "" {
		ps = append(ps, invalid.F("oppgi forfallets referanse i økonomisystemet (forfall_id)"))
	} else if first, dup := r.seen[l.DueRef]; dup {
		ps = append(ps, invalid.F("forfallet «%s» står også på linje %d", l.DueRef, first))
	}
	var person int64
	if l.LeaseID > 0 {
		ts, ok := r.leases[l.LeaseID]
		switch {
		case !ok:
			ps = append(ps, invalid.F("leieforholdet %d finnes ikke i kommunen", l.LeaseID))
		case l.IdentityNumber == "":
			ps = append(ps, invalid.F("oppgi fødselsnummeret til leietakeren forfallet gjelder"))
		default:
			blind := r.tx.Keys().Blind(l.IdentityNumber)
			for _, t := range ts {
				if t.blind == blind {
					person = t.person
				}
			}
			if person == 0 {
				ps = append(ps, invalid.F("fødselsnummeret på linjen er ikke leietaker i leieforhold %d", l.LeaseID))
			}
		}
	}
	if len(ps) > 0 {
		r.bad = append(r.bad, tabular.LineError{Line: l.Line, Problems: ps})
		return nil
	}
	r.seen[l.DueRef] = int32(l.Line) //nolint:gosec // a batch is far below 2³¹ lines
	l.person = person
	r.pending = append(r.pending, l)
	if len(r.pending) >= chunk {
		return r.flush()
	}
	return nil
}

// flush resolves the queued lines against the dues already known (one
// query) and writes the new dues and the changed balances in bulk.
func (r *Receiver) flush() error {
	if len(r.pending) == 0 {
		return nil
	}
	lines := r.pending
	r.pending = r.pending[:0]
	refs := make([]any, 0, len(lines)+1)
	refs = append(refs, r.actor.MunicipalityID)
	for _, l := range lines {
		refs = append(refs, l.DueRef)
	}
	type known struct {
		ref                            string
		id, lease, amount, outstanding int64
	}
	rows, err := r.tx.QueryContext(r.ctx, "SELECT due_ref, id, lease_id, amount, outstanding FROM arrears_dues WHERE municipality_id = ? AND due_ref IN ("+
		strings.TrimSuffix(strings.Repeat("?, ", len(lines)), ", ")+")", refs...)
	found, err := store.Collect(rows, err, func(s store.Scanner) (k known, err error) {
		return k, s.Scan(&k.ref, &k.id, &k.lease, &k.amount, &k.outstanding)
	})
	if err != nil {
		return err
	}
	have := make(map[string]known, len(found))
	for _, k := range found {
		have[k.ref] = k
	}
	var dues, changes [][]any
	for _, l := range lines {
		k, ok := have[l.DueRef]
		if !ok {
			out := l.outstanding()
			var paid any
			if out == 0 {
				paid = r.today
			}
			dues = append(dues, []any{r.actor.MunicipalityID, l.LeaseID, l.person, l.DueRef, string(l.Kind), l.DueOn, l.Amount, out, r.batchID,
				paid, r.actor.Label(), r.now, r.now})
			r.touched[l.LeaseID] = true
			continue
		}
		var ps []invalid.Message
		if k.lease != l.LeaseID {
			ps = append(ps, invalid.F("forfallet «%s» er registrert på leieforhold %d, ikke %d", l.DueRef, k.lease, l.LeaseID))
		}
		if k.amount != l.Amount {
			ps = append(ps, invalid.F("forfallet «%s» ble registrert med %s kr, ikke %s kr: et forfall endrer ikke beløp, send det som er utestående", l.DueRef, Kroner(k.amount), Kroner(l.Amount)))
		}
		if len(ps) > 0 {
			r.bad = append(r.bad, tabular.LineError{Line: l.Line, Problems: ps})
			continue
		}
		if out := l.outstanding(); out != k.outstanding {
			changes = append(changes, []any{r.actor.MunicipalityID, k.id, r.batchID, k.outstanding, out})
			r.touched[l.LeaseID] = true
		}
	}
	if len(r.bad) > 0 {
		return nil // rejected: keep checking, write nothing more
	}
	if err := r.dues.Write(r.ctx, dues); err != nil {
		return err
	}
	if err := r.changes.Write(r.ctx, changes); err != nil {
		return err
	}
	r.result.Created += len(dues)
	r.result.Updated += len(changes)
	return nil
}

// Finish writes the rest, applies the new balances, makes the
// conversations for leases whose first due is missed, settles those whose
// arrears are paid, and records the batch in the audit chain. A batch with
// any bad line gives tabular.Errors, in line order, and the caller's
// transaction is to be rolled back.
func (r *Receiver) Finish() (Result, error) {
	if len(r.bad) == 0 {
		if err := r.flush(); err != nil {
			return Result{}, err
		}
	}
	if len(r.bad) > 0 {
		sort.SliceStable(r.bad, func(i, j int) bool { return r.bad[i].Line < r.bad[j].Line })
		return Result{}, r.bad
	}
	if r.result.Lines == 0 {
		return Result{}, invalid.Problem("bunken har ingen linjer")
	}
	ctx, mid := r.ctx, r.actor.MunicipalityID
	if r.result.Updated > 0 {
		if _, err := r.tx.ExecContext(ctx, `UPDATE arrears_dues SET
			outstanding = (SELECT c.after_ore FROM arrears_changes c WHERE c.due_id = arrears_dues.id AND c.batch_id = ?), updated_at = ?
			WHERE municipality_id = ? AND id IN (SELECT due_id FROM arrears_changes WHERE batch_id = ?)`, r.batchID, r.now, mid, r.batchID); err != nil {
			return Result{}, err
		}
		if _, err := r.tx.ExecContext(ctx, `UPDATE arrears_dues SET paid_on = ? WHERE outstanding = 0 AND paid_on IS NULL
			AND id IN (SELECT due_id FROM arrears_changes WHERE batch_id = ?)`, r.today, r.batchID); err != nil {
			return Result{}, err
		}
		if _, err := r.tx.ExecContext(ctx, `UPDATE arrears_dues SET paid_on = NULL WHERE outstanding > 0
			AND id IN (SELECT due_id FROM arrears_changes WHERE batch_id = ?)`, r.batchID); err != nil {
			return Result{}, err
		}
	}
	leases := make([]int64, 0, len(r.touched))
	for id := range r.touched {
		leases = append(leases, id)
	}
	slices.Sort(leases)
	n, err := converse(ctx, r.tx, r.actor, leases, r.practice, r.today, true)
	if err != nil {
		return Result{}, err
	}
	if err := settle(ctx, r.tx, mid, leases, r.today); err != nil {
		return Result{}, err
	}
	r.result.Conversations = n
	if _, err := r.tx.ExecContext(ctx, "UPDATE arrears_batches SET lines = ?, created_dues = ?, updated_dues = ?, conversations = ? WHERE id = ?",
		r.result.Lines, r.result.Created, r.result.Updated, r.result.Conversations, r.batchID); err != nil {
		return Result{}, err
	}
	r.result.ReceivedAt, _ = time.Parse(time.RFC3339Nano, r.now)
	if err := audit.Record(ctx, r.tx, audit.Entry{MunicipalityID: mid, Actor: r.actor.Label(), Action: "motta", Entity: entityBatch,
		EntityID: r.batchID, After: r.result}); err != nil {
		return Result{}, err
	}
	return r.result, nil
}

// Receive takes a whole batch of lines (the API) in the caller's
// transaction (from InConnTx).
func Receive(ctx context.Context, tx *store.Tx, a access.Actor, ref, hash string, source Source, lines []Line, today deadline.Date) (Result, error) {
	r, err := Begin(ctx, tx, a, ref, hash, source, today)
	if errors.Is(err, ErrRepeated) {
		return r.Result(), nil
	}
	if err != nil {
		return Result{}, err
	}
	for i, l := range lines {
		l.Line = i + 1
		if err := r.Add(l); err != nil {
			return Result{}, err
		}
	}
	return r.Finish()
}

// converse makes a conversation for each of the leases that has an unpaid
// due and no conversation in progress, for the tenant's primary contact in
// follow-up or, without one, the housing office on the lease's case (the
// case worker who made the lease, else the municipality's housing office).
// The leases are read a thousand at a time, three queries each. It returns
// how many it made.
func converse(ctx context.Context, q store.Queryer, a access.Actor, leases []int64, p Practice, today deadline.Date, bulk bool) (int, error) {
	made := 0
	for len(leases) > 0 {
		part := leases[:min(chunk, len(leases))]
		leases = leases[len(part):]
		n, err := conversePart(ctx, q, a, part, p, today, bulk)
		if err != nil {
			return 0, err
		}
		made += n
	}
	return made, nil
}

func conversePart(ctx context.Context, q store.Queryer, a access.Actor, leases []int64, p Practice, today deadline.Date, bulk bool) (int, error) {
	mid := a.MunicipalityID
	in, args := store.In(leases)
	type first struct {
		lease, person int64
		on            deadline.Date
	}
	rows, err := q.QueryContext(ctx, `SELECT d.lease_id, d.person_id, d.due_on FROM arrears_dues d
		WHERE d.municipality_id = ? AND d.outstanding > 0 AND d.lease_id IN `+in+`
		AND NOT EXISTS (SELECT 1 FROM arrears_conversations c WHERE c.lease_id = d.lease_id AND c.settled_on IS NULL)
		ORDER BY d.lease_id, d.due_on, d.id`, append([]any{mid}, args...)...)
	unpaid, err := store.Collect(rows, err, func(s store.Scanner) (f first, err error) { return f, s.Scan(&f.lease, &f.person, &f.on) })
	if err != nil {
		return 0, err
	}
	var firsts []first
	for _, f := range unpaid {
		if len(firsts) == 0 || firsts[len(firsts)-1].lease != f.lease {
			firsts = append(firsts, f)
		}
	}
	if len(firsts) == 0 {
		return 0, nil
	}
	persons := make([]int64, 0, len(firsts))
	for _, f := range firsts {
		if !slices.Contains(persons, f.person) {
			persons = append(persons, f.person)
		}
	}
	type staff struct {
		id   int64
		name string
		unit int64
	}
	pin, pargs := store.In(persons)
	rows, err = q.QueryContext(ctx, `SELECT f.person_id, f.primary_id, f.primary_name, 0 FROM followups f
		WHERE f.municipality_id = ? AND f.status <> 'avsluttet' AND f.person_id IN `+pin+` ORDER BY f.start_on DESC, f.id DESC`, append([]any{mid}, pargs...)...)
	primaries, err := store.CollectBy(rows, err, func(s store.Scanner) (st staff, err error) { return st, s.Scan(&st.id, &st.name, &st.unit) })
	if err != nil {
		return 0, err
	}
	rows, err = q.QueryContext(ctx, `SELECT l.id, COALESCE(ap.case_worker_id, 0), COALESCE(u.full_name, ap.case_worker, ''), COALESCE(ap.org_unit_id, 0)
		FROM leases l LEFT JOIN applications ap ON ap.id = l.application_id LEFT JOIN users u ON u.id = ap.case_worker_id
		WHERE l.municipality_id = ? AND l.id IN `+in, append([]any{mid}, args...)...)
	offices, err := store.CollectBy(rows, err, func(s store.Scanner) (st staff, err error) { return st, s.Scan(&st.id, &st.name, &st.unit) })
	if err != nil {
		return 0, err
	}
	// The newest active follow-up's primary contact; the lease's case
	// worker and unit.
	primary, office := map[int64]staff{}, map[int64]staff{}
	for person, list := range primaries {
		primary[person] = list[0]
	}
	for lease, list := range offices {
		office[lease] = list[0]
	}
	var fallback int64
	if err := q.QueryRowContext(ctx, "SELECT COALESCE(MIN(id), 0) FROM org_units WHERE municipality_id = ? AND kind = 'boligkontor'", mid).Scan(&fallback); err != nil {
		return 0, err
	}
	now := store.TimeArg(time.Now())
	out := make([][]any, 0, len(firsts))
	for _, f := range firsts {
		as, s := assignedPrimary, primary[f.person]
		if s.id == 0 {
			as, s = assignedOffice, office[f.lease]
			if s.unit == 0 {
				s.unit = fallback
			}
		}
		out = append(out, []any{mid, f.lease, f.person, f.on, p.ConversationDue(f.on), as, nullID(s.id), s.name, nullID(s.unit), statusOpen, now})
	}
	cols := []string{"municipality_id", "lease_id", "person_id", "first_due_on", "due_on", "assigned_as", "assignee_id", "assignee_name", "org_unit_id", "status", "created_at"}
	if tx, ok := q.(*store.Tx); ok && bulk && len(out) > 20 {
		return len(out), tx.Batch("arrears_conversations", cols...).Write(ctx, out)
	}
	stmt := "INSERT INTO arrears_conversations (" + strings.Join(cols, ", ") + ") VALUES (?" + strings.Repeat(", ?", len(cols)-1) + ")"
	for _, row := range out {
		if _, err := q.ExecContext(ctx, stmt, row...); err != nil {
			return 0, err
		}
	}
	return len(out), nil
}

// settle closes the conversations of the leases whose dues are all paid:
// the next missed due starts a new one.
func settle(ctx context.Context, q store.Queryer, mid int64, leases []int64, today deadline.Date) error {
	for len(leases) > 0 {
		part := leases[:min(chunk, len(leases))]
		leases = leases[len(part):]
		in, args := store.In(part)
		if _, err := q.ExecContext(ctx, `UPDATE arrears_conversations SET settled_on = ? WHERE municipality_id = ? AND settled_on IS NULL AND lease_id IN `+in+`
			AND NOT EXISTS (SELECT 1 FROM arrears_dues d WHERE d.lease_id = arrears_conversations.lease_id AND d.outstanding > 0)`,
			append([]any{today, mid}, args...)...); err != nil {
			return err
		}
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
