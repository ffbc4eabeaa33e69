// Package audit keeps the audit chain: every change to Husly's data is
// recorded with what it was before and after, who made it and when, and
// each entry's hash covers the previous entry's hash. One chain per
// municipality. Verify recomputes every hash and names the first broken
// entry, so a change made behind Husly's back is found.
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"husly/internal/store"
)

// genesis is the previous hash of each chain's first entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

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
	insert *sql.Stmt // prepared once when the recorder is in a transaction
}

const insertEntry = `INSERT INTO audit_log (municipality_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

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

// Chain locks a municipality's chain for the rest of the transaction and
// returns a recorder positioned at its tail.
func Chain(ctx context.Context, q store.Queryer, municipalityID int64) (*Recorder, error) {
	if q.Dialect() == store.Postgres {
		// Serialise each chain: two transactions must not extend the same tail.
		// (SQLite writers are serialised by BEGIN IMMEDIATE already.)
		if _, err := q.ExecContext(ctx, "SELECT pg_advisory_xact_lock(4711, ?)", municipalityID); err != nil {
			return nil, err
		}
	}
	r := &Recorder{q: q, muni: municipalityID, prev: genesis}
	err := q.QueryRowContext(ctx, "SELECT seq, hash FROM audit_log WHERE municipality_id = ? ORDER BY seq DESC LIMIT 1", municipalityID).Scan(&r.seq, &r.prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	return r, nil
}

// Append adds e (whose MunicipalityID is the chain's) to the chain.
func (r *Recorder) Append(ctx context.Context, e Entry) error {
	before, err := canonical(e.Before)
	if err != nil {
		return err
	}
	after, err := canonical(e.After)
	if err != nil {
		return err
	}
	seq := r.seq + 1
	at := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	h := Hash(r.prev, r.muni, seq, at, e.Actor, e.Action, e.Entity, e.EntityID, before, after)
	args := []any{r.muni, seq, at, e.Actor, e.Action, e.Entity, e.EntityID, before, after, r.prev, h}
	if r.insert != nil {
		_, err = r.insert.ExecContext(ctx, args...)
	} else {
		_, err = r.q.ExecContext(ctx, insertEntry, args...)
	}
	if err != nil {
		return err
	}
	r.seq, r.prev = seq, h
	return nil
}

func canonical(v any) (string, error) {
	if v == nil {
		return "null", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// Hash is an entry's hash: SHA-256 over the previous hash and every field,
// each length-prefixed so no two different entries hash alike.
func Hash(prev string, municipality, seq int64, at, actor, action, entity string, entityID int64, before, after string) string {
	h := sha256.New()
	for _, f := range []string{prev, strconv.FormatInt(municipality, 10), strconv.FormatInt(seq, 10), at, actor, action, entity,
		strconv.FormatInt(entityID, 10), before, after} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Broken names the first entry whose chain does not hold.
type Broken struct {
	MunicipalityID int64
	Seq            int64
	ID             int64
	Problem        string
}

func (b Broken) Error() string {
	return fmt.Sprintf("revisjonskjeden er brutt i kommune %d ved oppføring %d (id %d): %s", b.MunicipalityID, b.Seq, b.ID, b.Problem)
}

// Report is the outcome of Verify.
type Report struct {
	Entries int
	Chains  int
	Broken  *Broken
}

// Verify walks every chain in order and recomputes each hash. progress, if
// set, is called every 100,000 entries.
func Verify(ctx context.Context, q store.Queryer, progress func(int)) (Report, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, municipality_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash
		FROM audit_log ORDER BY municipality_id, seq`)
	if err != nil {
		return Report{}, err
	}
	defer rows.Close()
	var r Report
	var (
		id, muni, seq, entityID       int64
		at, actor, action, entity     string
		before, after, prevHash, hash string
		lastMuni, lastSeq             int64 = -1, 0
		lastHash                      string
	)
	for rows.Next() {
		if err := rows.Scan(&id, &muni, &seq, &at, &actor, &action, &entity, &entityID, &before, &after, &prevHash, &hash); err != nil {
			return r, err
		}
		if muni != lastMuni {
			r.Chains++
			lastMuni, lastSeq, lastHash = muni, 0, genesis
		}
		broken := func(problem string) (Report, error) {
			r.Broken = &Broken{muni, seq, id, problem}
			return r, nil
		}
		switch {
		case seq != lastSeq+1:
			return broken(fmt.Sprintf("oppføring %d mangler", lastSeq+1))
		case prevHash != lastHash:
			return broken("peker ikke til forrige oppførings hash")
		case Hash(prevHash, muni, seq, at, actor, action, entity, entityID, before, after) != hash:
			return broken("innholdet er endret etter at det ble skrevet")
		}
		lastSeq, lastHash = seq, hash
		r.Entries++
		if progress != nil && r.Entries%100000 == 0 {
			progress(r.Entries)
		}
	}
	return r, rows.Err()
}
