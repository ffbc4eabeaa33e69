package audit

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"husly/internal/store"
)

// The two chains, by the name a message gives them.
const (
	AuditLog  = "revisjonskjeden"
	AccessLog = "innsynsloggen"
)

// Broken names what does not hold in one municipality's chain: the first
// entry whose MAC or link fails, or what a checkpoint finds missing.
type Broken struct {
	Log            string // AuditLog or AccessLog
	MunicipalityID int64
	Seq            int64 // 0 when the problem is not one entry
	ID             int64
	Problem        string
}

func (b Broken) Error() string {
	if b.ID == 0 {
		return fmt.Sprintf("%s er brutt i kommune %d: %s", b.Log, b.MunicipalityID, b.Problem)
	}
	return fmt.Sprintf("%s er brutt i kommune %d ved oppføring %d (id %d): %s", b.Log, b.MunicipalityID, b.Seq, b.ID, b.Problem)
}

// Head is a chain's newest entry: its count (the entries are numbered 1…n
// without gaps) and its MAC.
type Head struct {
	MunicipalityID int64  `json:"municipality_id"`
	Count          int64  `json:"count"`
	MAC            string `json:"head"`
}

// ChainReport is what Verify found in one of the two logs.
type ChainReport struct {
	Entries int
	Chains  int
	Heads   []Head // of the chains that verified, by municipality
}

// Report is the outcome of Verify.
type Report struct {
	Audit, Access ChainReport
	// Checkpoint is the newest checkpoint the chains were held against, or
	// nil when none was given.
	Checkpoint *Checkpoint
	Broken     []Broken // the first problem in each broken chain
}

// Whole reports whether every chain held.
func (r Report) Whole() bool { return len(r.Broken) == 0 }

// Verify walks every chain of both logs in order, recomputes each entry's
// MAC with the ring's chain keys and checks its link to the entry before.
// Each checkpoint given (oldest first, signatures already checked) is held
// against the chains: every head it signed must still be there, unchanged,
// so that removing the newest entries, removing a municipality's whole
// chain or rewriting entries with the key is found. progress, if set, is
// called every 100,000 entries.
func Verify(ctx context.Context, q store.Queryer, checkpoints []Checkpoint, progress func(int)) (Report, error) {
	var r Report
	if len(checkpoints) > 0 {
		r.Checkpoint = &checkpoints[len(checkpoints)-1]
	}
	wantAudit, wantAccess := wanted(checkpoints)
	seen := 0
	tick := func() {
		seen++
		if progress != nil && seen%100000 == 0 {
			progress(seen)
		}
	}
	m := newMacer(q.Keys())

	w := &walker{log: AuditLog, wanted: wantAudit, report: &r.Audit, broken: &r.Broken}
	if err := walkAudit(ctx, q, m, w, tick); err != nil {
		return r, err
	}
	if err := outsideChain(ctx, q, &r); err != nil {
		return r, err
	}
	w = &walker{log: AccessLog, wanted: wantAccess, report: &r.Access, broken: &r.Broken}
	if err := walkAccess(ctx, q, m, w, tick); err != nil {
		return r, err
	}
	return r, strayPersons(ctx, q, &r)
}

// strayPersons reports persons read that belong to no entry: they were put
// there around Husly. A chain already broken has its first problem
// reported (an entry deleted leaves its persons behind).
func strayPersons(ctx context.Context, q store.Queryer, r *Report) error {
	broken := map[int64]bool{}
	for _, b := range r.Broken {
		if b.Log == AccessLog {
			broken[b.MunicipalityID] = true
		}
	}
	orphans, err := q.QueryContext(ctx, `SELECT p.municipality_id, COUNT(*) FROM access_log_persons p
		WHERE NOT EXISTS (SELECT 1 FROM access_log l WHERE l.id = p.entry_id) GROUP BY p.municipality_id ORDER BY p.municipality_id`)
	if err != nil {
		return err
	}
	defer orphans.Close()
	for orphans.Next() {
		var muni, n int64
		if err := orphans.Scan(&muni, &n); err != nil {
			return err
		}
		if !broken[muni] {
			r.Broken = append(r.Broken, Broken{Log: AccessLog, MunicipalityID: muni,
				Problem: fmt.Sprintf("%d personer står i innsynsloggen uten å høre til noen oppføring: de er lagt inn utenom Husly", n)})
		}
	}
	return orphans.Err()
}

// walkAudit walks the audit log's chains in order. The rows are read as
// they come, not collected: the log may hold millions of entries.
func walkAudit(ctx context.Context, q store.Queryer, m *macer, w *walker, tick func()) error {
	rows, err := q.QueryContext(ctx, `SELECT id, municipality_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash, key_id
		FROM audit_log ORDER BY municipality_id, seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		id, muni, seq, entityID       int64
		at, actor, action, entity     string
		before, after, prev, mac, kid string
	)
	for rows.Next() {
		if err := rows.Scan(&id, &muni, &seq, &at, &actor, &action, &entity, &entityID, &before, &after, &prev, &mac, &kid); err != nil {
			return err
		}
		if w.next(muni) {
			sum, err := m.entry(kid, prev, muni, seq, at, actor, action, entity, entityID, before, after)
			w.step(id, seq, prev, mac, sum, err)
		}
		tick()
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.done()
	return nil
}

// walkAccess walks the access log's chains in order, as walkAudit does,
// with each entry's persons. An entry lists its persons in
// access_log_persons, under its MAC; a row of the older one-person form
// (persons NULL) has its person in its own columns, under its MAC, and the
// copy in access_log_persons must say the same.
func walkAccess(ctx context.Context, q store.Queryer, m *macer, w *walker, tick func()) error {
	rows, err := q.QueryContext(ctx, `SELECT l.id, l.municipality_id, l.seq, l.at, l.user_id, l.user_name, l.org_unit_name, l.person_id, l.categories, l.basis,
		l.channel, l.reason, COALESCE(l.prev_mac, ''), COALESCE(l.mac, ''), l.key_id, l.persons,
		p.position, p.municipality_id, p.person_id, p.categories, p.basis
		FROM access_log l LEFT JOIN access_log_persons p ON p.entry_id = l.id
		WHERE l.seq IS NOT NULL ORDER BY l.municipality_id, l.seq, p.position`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		cur     entryRow
		started bool
	)
	flush := func() {
		if !started {
			return
		}
		if w.next(cur.row.MunicipalityID) {
			sum, err := cur.mac(m)
			w.step(cur.id, cur.seq, cur.prev, cur.macStored, sum, err)
		}
		tick()
	}
	for rows.Next() {
		var (
			r               entryRow
			user, persons   *int64
			pos, pMuni, pID *int64
			pCats, pBasis   *string
		)
		if err := rows.Scan(&r.id, &r.row.MunicipalityID, &r.seq, store.ScanTime(&r.row.At), &user, &r.row.UserName, &r.row.OrgUnitName,
			&r.row.PersonID, &r.row.Categories, &r.row.Basis, &r.row.Channel, &r.row.Reason, &r.prev, &r.macStored, &r.kid, &persons,
			&pos, &pMuni, &pID, &pCats, &pBasis); err != nil {
			return err
		}
		if !started || r.id != cur.id {
			flush()
			if user != nil {
				r.row.UserID = *user
			}
			r.persons = -1
			if persons != nil {
				r.persons = *persons
			}
			cur, started = r, true
		}
		if pos != nil {
			cur.reads = append(cur.reads, childRow{pos: *pos, muni: *pMuni, read: PersonRead{PersonID: *pID, Categories: *pCats, Basis: *pBasis}})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	flush()
	w.done()
	return nil
}

// entryRow is an access-log entry as Verify reads it.
type entryRow struct {
	id, seq              int64
	prev, macStored, kid string
	row                  AccessRow // the entry's own columns
	persons              int64     // -1: the one-person form
	reads                []childRow
}

type childRow struct {
	pos, muni int64
	read      PersonRead
}

// mac recomputes the entry's MAC, or says why its persons do not belong
// to it.
func (e entryRow) mac(m *macer) (string, error) {
	for i, c := range e.reads {
		if c.pos != int64(i) || c.muni != e.row.MunicipalityID {
			return "", errors.New("personene i oppføringen er endret etter at den ble skrevet")
		}
	}
	if e.persons < 0 {
		r := e.row
		if len(e.reads) != 1 || e.reads[0].read != (PersonRead{PersonID: r.PersonID, Categories: r.Categories, Basis: r.Basis}) {
			return "", errors.New("personen i oppføringen er endret etter at den ble skrevet")
		}
		return m.access(e.kid, e.prev, e.seq, r)
	}
	if int64(len(e.reads)) != e.persons {
		return "", fmt.Errorf("oppføringen skal gjelde %d personer, men har %d", e.persons, len(e.reads))
	}
	entry := AccessEntry{MunicipalityID: e.row.MunicipalityID, At: e.row.At, UserID: e.row.UserID, UserName: e.row.UserName,
		OrgUnitName: e.row.OrgUnitName, Channel: e.row.Channel, Reason: e.row.Reason, Persons: make([]PersonRead, len(e.reads))}
	for i, c := range e.reads {
		entry.Persons[i] = c.read
	}
	return m.accessEntry(e.kid, e.prev, e.seq, entry)
}

// outsideChain reports access-log rows that are not in any chain: rows
// without a sequence number were put there behind Husly's back.
func outsideChain(ctx context.Context, q store.Queryer, r *Report) error {
	rows, err := q.QueryContext(ctx, "SELECT municipality_id, COUNT(*) FROM access_log WHERE seq IS NULL GROUP BY municipality_id ORDER BY municipality_id")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var muni, n int64
		if err := rows.Scan(&muni, &n); err != nil {
			return err
		}
		r.Broken = append(r.Broken, Broken{Log: AccessLog, MunicipalityID: muni,
			Problem: fmt.Sprintf("%d rader står utenfor kjeden (uten løpenummer): de er lagt inn utenom Husly", n)})
	}
	return rows.Err()
}

// want is what the checkpoints say about one entry.
type want struct {
	mac, at string
}

// wanted collects, per log, municipality and entry number, the heads the
// checkpoints signed. A checkpoint written at a restore starts afresh: the
// restored database legitimately lacks what was written after the backup.
func wanted(cps []Checkpoint) (audit, access map[int64]map[int64]want) {
	audit, access = map[int64]map[int64]want{}, map[int64]map[int64]want{}
	start := 0
	for i, c := range cps {
		if c.Reason == ReasonRestore {
			start = i
		}
	}
	add := func(m map[int64]map[int64]want, heads []Head, at string) {
		for _, h := range heads {
			if m[h.MunicipalityID] == nil {
				m[h.MunicipalityID] = map[int64]want{}
			}
			if _, ok := m[h.MunicipalityID][h.Count]; !ok {
				m[h.MunicipalityID][h.Count] = want{h.MAC, at}
			}
		}
	}
	for _, c := range cps[start:] {
		add(audit, c.Audit, c.At)
		add(access, c.Access, c.At)
	}
	return audit, access
}

// walker checks one log's chains row by row, ordered by municipality and
// entry number.
type walker struct {
	log     string
	wanted  map[int64]map[int64]want
	report  *ChainReport
	broken  *[]Broken
	started bool
	muni    int64
	lastSeq int64
	lastMAC string
	failed  bool
}

// next moves to muni's chain if the row starts it, and reports whether the
// row needs checking (not after the chain's first break).
func (w *walker) next(muni int64) bool {
	if !w.started || muni != w.muni {
		w.finish()
		w.started, w.muni, w.lastSeq, w.lastMAC, w.failed = true, muni, 0, genesis, false
		w.report.Chains++
	}
	return !w.failed
}

func (w *walker) fail(seq, id int64, problem string) {
	w.failed = true
	*w.broken = append(*w.broken, Broken{Log: w.log, MunicipalityID: w.muni, Seq: seq, ID: id, Problem: problem})
}

func (w *walker) step(id, seq int64, prev, mac, sum string, macErr error) {
	switch {
	case seq != w.lastSeq+1:
		w.fail(seq, id, fmt.Sprintf("oppføring %d mangler", w.lastSeq+1))
	case prev != w.lastMAC:
		w.fail(seq, id, "peker ikke til forrige oppførings MAC")
	case macErr != nil:
		w.fail(seq, id, macErr.Error())
	case sum != mac:
		w.fail(seq, id, "innholdet er endret etter at det ble skrevet (MAC-en stemmer ikke)")
	default:
		if x, ok := w.wanted[w.muni][seq]; ok && x.mac != mac {
			w.fail(seq, id, fmt.Sprintf("oppføringen er ikke den kontrollpunktet fra %s signerte: kjeden er skrevet om av noen med nøkkelen", x.at))
			return
		}
		w.lastSeq, w.lastMAC = seq, mac
		w.report.Entries++
	}
}

// finish closes the current chain: it records its head and checks that no
// checkpoint signed entries beyond its end.
func (w *walker) finish() {
	if w.started && !w.failed {
		w.report.Heads = append(w.report.Heads, Head{w.muni, w.lastSeq, w.lastMAC})
		var newest want
		var most int64
		for seq, x := range w.wanted[w.muni] {
			if seq > most {
				most, newest = seq, x
			}
		}
		if most > w.lastSeq {
			*w.broken = append(*w.broken, Broken{Log: w.log, MunicipalityID: w.muni, Problem: fmt.Sprintf(
				"de nyeste oppføringene er fjernet: kjeden slutter ved oppføring %d, men kontrollpunktet fra %s har %d", w.lastSeq, newest.at, most)})
		}
	}
	if w.started {
		delete(w.wanted, w.muni)
	}
	w.started = false
}

// done ends the walk and reports the chains the checkpoints signed and the
// database no longer has.
func (w *walker) done() {
	w.finish()
	munis := make([]int64, 0, len(w.wanted))
	for muni := range w.wanted {
		munis = append(munis, muni)
	}
	sort.Slice(munis, func(i, j int) bool { return munis[i] < munis[j] })
	for _, muni := range munis {
		var newest want
		var most int64
		for seq, x := range w.wanted[muni] {
			if seq > most {
				most, newest = seq, x
			}
		}
		*w.broken = append(*w.broken, Broken{Log: w.log, MunicipalityID: muni, Problem: fmt.Sprintf(
			"kommunens hele kjede er fjernet: kontrollpunktet fra %s har %d oppføringer", newest.at, most)})
	}
}
