// Package audit keeps Husly's two tamper-evident logs: the audit chain
// (every change to Husly's data, with what it was before and after, who
// made it and when) and the access log (every read of a person's data).
// Each is one chain per municipality: every entry carries an HMAC-SHA256
// over its fields and the previous entry's MAC, under a chain key from the
// key ring, which is kept outside the database. Someone who can write to
// the database but lacks the key cannot change, insert or remove an entry
// in the middle without Verify naming it; signed checkpoints written
// outside the database (checkpoint.go) add truncation and removed chains.
package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"time"

	"husly/internal/keys"
	"husly/internal/store"
)

// genesis is the previous MAC of each chain's first entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Advisory-lock namespaces on PostgreSQL: one lock per municipality and
// chain serialises the writers that extend that chain's tail.
const (
	lockAudit  = 4711
	lockAccess = 4712
	// lockUpgrade: one process seals old chains, the others wait.
	lockUpgrade = 4713
)

// Entry is one change.
type Entry struct {
	MunicipalityID int64
	Actor          string // "navn (brukernavn)" or "husly-cli"
	Action         string // e.g. "opprett", "endre", "slett", "trekk tilbake"
	Entity         string // e.g. "person", "bolig", "samtykke"
	EntityID       int64
	Before, After  any // nil for none; stored as JSON
}

// Record appends e to its municipality's chain inside the caller's
// transaction, so the change and its record commit together or not at all.
func Record(ctx context.Context, q store.Queryer, e Entry) error {
	c, err := Chain(ctx, q, e.MunicipalityID)
	if err != nil {
		return err
	}
	return c.Append(ctx, e)
}

// Recorder appends many entries to one chain in one transaction (imports),
// keeping the chain's tail in memory instead of reading it for each entry.
type Recorder struct {
	q      store.Queryer
	muni   int64
	seq    int64
	prev   string
	keyID  string
	mac    *macer
	insert *sql.Stmt // prepared once when the recorder is in a transaction
}

const insertEntry = `INSERT INTO audit_log (municipality_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash, key_id)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// Batch is Chain for many entries in one transaction: the insert is
// prepared once. The statement closes with the transaction.
func Batch(ctx context.Context, tx *store.Tx, municipalityID int64) (*Recorder, error) {
	r, err := Chain(ctx, tx, municipalityID)
	if err != nil {
		return nil, err
	}
	r.insert, err = tx.Prepare(ctx, insertEntry)
	return r, err
}

// ErrNoChainKey is returned when the key ring has no chain key.
var ErrNoChainKey = errors.New("nøkkelringen har ingen nøkkel for revisjonskjeden: kan ikke skrive i revisjonsloggen eller innsynsloggen")

// Chain locks a municipality's chain for the rest of the transaction and
// returns a recorder positioned at its tail.
func Chain(ctx context.Context, q store.Queryer, municipalityID int64) (*Recorder, error) {
	ring := q.Keys()
	if ring == nil {
		return nil, ErrNoChainKey
	}
	keyID, key := ring.ChainKey()
	if len(key) == 0 {
		return nil, ErrNoChainKey
	}
	if err := lockChain(ctx, q, lockAudit, municipalityID); err != nil {
		return nil, err
	}
	r := &Recorder{q: q, muni: municipalityID, prev: genesis, keyID: keyID, mac: newMacer(ring)}
	err := q.QueryRowContext(ctx, "SELECT seq, hash FROM audit_log WHERE municipality_id = ? ORDER BY seq DESC LIMIT 1", municipalityID).Scan(&r.seq, &r.prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	return r, nil
}

// lockChain serialises the writers of one chain on PostgreSQL: two
// transactions must not extend the same tail. (SQLite writers are
// serialised by BEGIN IMMEDIATE already.) Advisory locks are shared by the
// whole database, so the key includes the schema: Husly databases kept as
// schemas of one PostgreSQL database do not wait for each other.
func lockChain(ctx context.Context, q store.Queryer, namespace int, municipalityID int64) error {
	if q.Dialect() != store.Postgres {
		return nil
	}
	_, err := q.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ?, 0))",
		fmt.Sprintf("/husly/%d/%d", namespace, municipalityID))
	return err
}

// Append adds e (whose MunicipalityID is the chain's) to the chain.
func (r *Recorder) Append(ctx context.Context, e Entry) error {
	seq, prev := r.seq, r.prev
	args, err := r.Row(e)
	if err != nil {
		return err
	}
	if r.insert != nil {
		_, err = r.insert.ExecContext(ctx, args...)
	} else {
		_, err = r.q.ExecContext(ctx, insertEntry, args...)
	}
	if err != nil {
		r.seq, r.prev = seq, prev // the entry is not in the chain
	}
	return err
}

// Columns are audit_log's columns in the order Row gives their values.
var Columns = []string{"municipality_id", "seq", "at", "actor", "action", "entity", "entity_id", "before_json", "after_json", "prev_hash", "hash", "key_id"}

// Row extends the chain in memory by e and returns the new entry's values
// in the order of Columns, for bulk paths (COPY) that insert many entries
// at once. The rows must be inserted, in order, in the recorder's
// transaction: the chain's lock is held until it ends.
func (r *Recorder) Row(e Entry) ([]any, error) {
	before, err := canonical(e.Before)
	if err != nil {
		return nil, err
	}
	after, err := canonical(e.After)
	if err != nil {
		return nil, err
	}
	seq := r.seq + 1
	at := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	m, err := r.mac.entry(r.keyID, r.prev, r.muni, seq, at, e.Actor, e.Action, e.Entity, e.EntityID, before, after)
	if err != nil {
		return nil, err
	}
	row := []any{r.muni, seq, at, e.Actor, e.Action, e.Entity, e.EntityID, before, after, r.prev, m, r.keyID}
	r.seq, r.prev = seq, m
	return row, nil
}

func canonical(v any) (string, error) {
	if v == nil {
		return "null", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// macer computes chain MACs, keeping one HMAC state per key so that
// verifying a million entries allocates almost nothing.
type macer struct {
	ring  *keys.Ring
	state map[string]hash.Hash
	buf   []byte
	sum   []byte
}

func newMacer(ring *keys.Ring) *macer {
	return &macer{ring: ring, state: map[string]hash.Hash{}}
}

// errUnknownKey says an entry names a chain key the ring lacks.
type errUnknownKey string

func (e errUnknownKey) Error() string {
	if e == "" {
		return "oppføringen har ingen nøkkel"
	}
	return fmt.Sprintf("oppføringen er laget med nøkkelen %q, som ikke finnes i nøkkelringen", string(e))
}

// fields is the MAC of a chain entry: HMAC-SHA256 under the chain key
// keyID over the fields, each length-prefixed ("len:value;") so that no two
// different entries give the same input.
func (m *macer) fields(keyID string, fields ...string) (string, error) {
	h := m.state[keyID]
	if h == nil {
		key := m.ring.ChainKeyByID(keyID)
		if len(key) == 0 {
			return "", errUnknownKey(keyID)
		}
		h = hmac.New(sha256.New, key)
		m.state[keyID] = h
	}
	h.Reset()
	b := m.buf[:0]
	for _, f := range fields {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, ';')
	}
	m.buf = b
	h.Write(b)
	m.sum = h.Sum(m.sum[:0])
	return hex.EncodeToString(m.sum), nil
}

// entry is the MAC of an audit entry.
func (m *macer) entry(keyID, prev string, municipality, seq int64, at, actor, action, entity string, entityID int64, before, after string) (string, error) {
	return m.fields(keyID, prev, strconv.FormatInt(municipality, 10), strconv.FormatInt(seq, 10), at, actor, action, entity,
		strconv.FormatInt(entityID, 10), before, after)
}

// MAC is an audit entry's MAC under the ring's chain key keyID (for tools
// and tests that build chains in bulk).
func MAC(ring *keys.Ring, keyID, prev string, municipality, seq int64, at, actor, action, entity string, entityID int64, before, after string) (string, error) {
	return newMacer(ring).entry(keyID, prev, municipality, seq, at, actor, action, entity, entityID, before, after)
}

// legacyHash is an entry's hash under the unkeyed SHA-256 chain Husly kept
// before the keyed MAC; Upgrade checks old chains with it once.
func legacyHash(prev string, municipality, seq int64, at, actor, action, entity string, entityID int64, before, after string) string {
	h := sha256.New()
	for _, f := range []string{prev, strconv.FormatInt(municipality, 10), strconv.FormatInt(seq, 10), at, actor, action, entity,
		strconv.FormatInt(entityID, 10), before, after} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}
