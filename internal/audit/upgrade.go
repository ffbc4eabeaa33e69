package audit

import (
	"context"
	"database/sql"
	"fmt"

	"husly/internal/store"
)

func init() { store.AfterOpen(Upgrade) }

// Upgrade runs each time Husly opens a database. It gives the database an
// id for its checkpoints and seals entries written before the keyed chain:
// audit entries chained with plain SHA-256 are re-chained with the MAC
// (after checking their old hashes), and access-log rows, which were not
// chained at all, are numbered and chained. It is done by Go with the key
// ring at hand rather than in SQL, as the MAC needs the key; once done it
// costs two indexed lookups.
//
// Why re-MAC instead of keeping the old entries under SHA-256 up to a
// switch-over point: a chain with two schemes lets whoever can write the
// database claim that newer entries are old-scheme ones and recompute them
// without the key. After re-MACing there is one scheme, and what the old
// chain looked like is kept in a new entry in each chain: the old head
// hash, the number of entries, and whether the old chain verified.
func Upgrade(ctx context.Context, db *store.DB) error {
	if err := ensureDatabaseID(ctx, db); err != nil {
		return err
	}
	if db.Keys() == nil {
		return nil
	}
	if pending, err := legacyPending(ctx, db); err != nil || !pending {
		return err
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		if tx.Dialect() == store.Postgres {
			// Several servers starting at once: one upgrades, the others wait.
			if err := lockChain(ctx, tx, lockUpgrade, 0); err != nil {
				return err
			}
		}
		if pending, err := legacyPending(ctx, tx); err != nil || !pending {
			return err
		}
		if err := setAppendOnly(ctx, tx, false); err != nil {
			return err
		}
		if err := sealAudit(ctx, tx); err != nil {
			return fmt.Errorf("revisjonskjeden kunne ikke forsegles med nøkkelen: %w", err)
		}
		if err := sealAccess(ctx, tx); err != nil {
			return fmt.Errorf("innsynsloggen kunne ikke forsegles med nøkkelen: %w", err)
		}
		return setAppendOnly(ctx, tx, true)
	})
}

// legacyPending reports whether the database holds entries from before the
// keyed chain and has never been sealed. Once any entry is sealed, old-form
// entries are never sealed again: someone who rewrote entries in the old
// form, without the key, would otherwise have Husly seal the rewrite at
// its next start. Verify reports such entries instead.
func legacyPending(ctx context.Context, q store.Queryer) (bool, error) {
	var legacy, sealed int
	err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE key_id = '' LIMIT 1) a)
		+ (SELECT COUNT(*) FROM (SELECT 1 FROM access_log WHERE seq IS NULL LIMIT 1) b),
		(SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE key_id <> '' LIMIT 1) c)
		+ (SELECT COUNT(*) FROM (SELECT 1 FROM access_log WHERE seq IS NOT NULL LIMIT 1) d)`).Scan(&legacy, &sealed)
	return legacy > 0 && sealed == 0, err
}

// setAppendOnly drops or restores the triggers that keep both logs
// append-only (as created by the schema), inside the upgrade's transaction.
func setAppendOnly(ctx context.Context, tx *store.Tx, on bool) error {
	var stmts []string
	switch {
	case tx.Dialect() == store.Postgres && !on:
		stmts = []string{"DROP TRIGGER IF EXISTS access_log_append_only ON access_log", "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"}
	case tx.Dialect() == store.Postgres:
		stmts = []string{
			"CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION husly_append_only()",
			"CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION husly_append_only()"}
	case !on:
		stmts = []string{"DROP TRIGGER IF EXISTS access_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_update"}
	default:
		stmts = []string{
			"CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'innsynsloggen kan ikke endres'); END",
			"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'revisjonsloggen kan ikke endres'); END"}
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// page is how many entries the upgrade reads at a time: a page is held in
// memory while its rows are rewritten (PostgreSQL cannot update on a
// connection that is still reading).
const page = 10000

type legacyEntry struct {
	id, muni, seq, entityID                           int64
	at, actor, action, entity, before, after, prev, h string
}

// sealAudit re-chains every municipality's old entries with the MAC and
// records the switch in the chain.
func sealAudit(ctx context.Context, tx *store.Tx) error {
	keyID, _ := tx.Keys().ChainKey()
	m := newMacer(tx.Keys())
	type old struct {
		entries  int64
		head     string
		broken   string
		lastHash string
		lastSeq  int64
		newPrev  string
	}
	chains := map[int64]*old{}
	var order []int64
	var afterMuni, afterSeq int64 = -1, 0
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, municipality_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash
			FROM audit_log WHERE key_id = '' AND (municipality_id > ? OR municipality_id = ? AND seq > ?) ORDER BY municipality_id, seq LIMIT ?`,
			afterMuni, afterMuni, afterSeq, page)
		batch, err := store.Collect(rows, err, func(r store.Scanner) (e legacyEntry, err error) {
			err = r.Scan(&e.id, &e.muni, &e.seq, &e.at, &e.actor, &e.action, &e.entity, &e.entityID, &e.before, &e.after, &e.prev, &e.h)
			return e, err
		})
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		for _, e := range batch {
			c := chains[e.muni]
			if c == nil {
				c = &old{lastHash: genesis, newPrev: genesis}
				chains[e.muni] = c
				order = append(order, e.muni)
			}
			if c.broken == "" {
				switch {
				case e.seq != c.lastSeq+1:
					c.broken = fmt.Sprintf("oppføring %d manglet", c.lastSeq+1)
				case e.prev != c.lastHash:
					c.broken = fmt.Sprintf("oppføring %d pekte ikke til forrige oppførings hash", e.seq)
				case legacyHash(e.prev, e.muni, e.seq, e.at, e.actor, e.action, e.entity, e.entityID, e.before, e.after) != e.h:
					c.broken = fmt.Sprintf("oppføring %d var endret etter at den ble skrevet", e.seq)
				}
			}
			c.entries++
			c.lastSeq, c.lastHash, c.head = e.seq, e.h, e.h
			mac, err := m.entry(keyID, c.newPrev, e.muni, e.seq, e.at, e.actor, e.action, e.entity, e.entityID, e.before, e.after)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE audit_log SET prev_hash = ?, hash = ?, key_id = ? WHERE id = ?", c.newPrev, mac, keyID, e.id); err != nil {
				return err
			}
			c.newPrev = mac
		}
		last := batch[len(batch)-1]
		afterMuni, afterSeq = last.muni, last.seq
	}
	for _, muni := range order {
		c := chains[muni]
		before := map[string]any{"skjema": "sha256", "oppforinger": c.entries, "siste_hash": c.head, "kontrollert": c.broken == ""}
		if c.broken != "" {
			before["brudd"] = c.broken
		}
		if err := Record(ctx, tx, Entry{MunicipalityID: muni, Actor: "Husly", Action: "forsegl med nøkkel", Entity: "revisjonskjede",
			Before: before, After: map[string]any{"skjema": "hmac-sha256", "nokkel": keyID}}); err != nil {
			return err
		}
	}
	return nil
}

// sealAccess numbers and chains the access-log rows written before the
// log was chained, in the order they were written.
func sealAccess(ctx context.Context, tx *store.Tx) error {
	keyID, _ := tx.Keys().ChainKey()
	m := newMacer(tx.Keys())
	type tail struct {
		seq  int64
		prev string
	}
	tails := map[int64]*tail{}
	var afterID int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, municipality_id, at, user_id, user_name, org_unit_name, person_id, categories, basis, channel, reason
			FROM access_log WHERE seq IS NULL AND id > ? ORDER BY id LIMIT ?`, afterID, page)
		type row struct {
			id int64
			AccessRow
		}
		batch, err := store.Collect(rows, err, func(r store.Scanner) (x row, err error) {
			var user sql.NullInt64
			err = r.Scan(&x.id, &x.MunicipalityID, store.ScanTime(&x.At), &user, &x.UserName, &x.OrgUnitName, &x.PersonID, &x.Categories, &x.Basis, &x.Channel, &x.Reason)
			x.UserID = user.Int64
			return x, err
		})
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, x := range batch {
			t := tails[x.MunicipalityID]
			if t == nil {
				t = &tail{prev: genesis}
				err := tx.QueryRowContext(ctx, "SELECT seq, mac FROM access_log WHERE municipality_id = ? AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
					x.MunicipalityID).Scan(&t.seq, &t.prev)
				if err != nil && err != sql.ErrNoRows {
					return err
				}
				tails[x.MunicipalityID] = t
			}
			t.seq++
			mac, err := m.access(keyID, t.prev, t.seq, x.AccessRow)
			if err != nil {
				return err
			}
			// The time is rewritten in the form the MAC covers (to the microsecond).
			if _, err := tx.ExecContext(ctx, "UPDATE access_log SET at = ?, seq = ?, prev_mac = ?, mac = ?, key_id = ? WHERE id = ?",
				x.at(), t.seq, t.prev, mac, keyID, x.id); err != nil {
				return err
			}
			// The row's person, where every reader looks (the migration
			// that made entries copied the rows there were then).
			if _, err := tx.ExecContext(ctx, `INSERT INTO access_log_persons (entry_id, position, municipality_id, person_id, categories, basis)
				VALUES (?, 0, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, x.id, x.MunicipalityID, x.PersonID, x.Categories, x.Basis); err != nil {
				return err
			}
			t.prev = mac
		}
		afterID = batch[len(batch)-1].id
	}
}
