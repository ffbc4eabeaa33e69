package audit_test

import (
	"context"
	"strings"
	"testing"

	"husly/internal/audit"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// legacyChain writes n entries the way Husly did before the keyed chain:
// SHA-256 links, no key. If broken > 0, that entry's content is changed
// afterwards, as an old tampering would have left it.
func legacyChain(t *testing.T, db *store.DB, muni int64, n, broken int) {
	t.Helper()
	ctx := context.Background()
	prev := strings.Repeat("0", 64)
	for seq := int64(1); seq <= int64(n); seq++ {
		at := "2025-01-02T03:04:05.000000Z"
		after := `{"telefon":"1"}`
		h := audit.LegacyHash(prev, muni, seq, at, "Gammel (gammel)", "endre", "person", seq, "null", after)
		if int(seq) == broken {
			after = `{"telefon":"2"}`
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO audit_log (municipality_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash)
			VALUES (?, ?, ?, 'Gammel (gammel)', 'endre', 'person', ?, 'null', ?, ?, ?)`, muni, seq, at, seq, after, prev, h); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
}

// A database from before the keyed chain is sealed with the key when
// opened: the old chains are checked, re-chained with the MAC, and the
// switch is recorded in each chain with what the old chain looked like;
// old access-log rows are numbered and chained.
func TestUpgradeSealsOldChains(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := storetest.NewTenant(t, db, "1505")
		b := storetest.NewTenant(t, db, "1506")
		legacyChain(t, db, a.MunicipalityID, 5, 0)
		legacyChain(t, db, b.MunicipalityID, 4, 3)
		for i := 0; i < 3; i++ {
			for _, m := range []int64{a.MunicipalityID, b.MunicipalityID} {
				if _, err := db.ExecContext(ctx, `INSERT INTO access_log (municipality_id, at, user_id, user_name, person_id, categories, basis, channel)
					VALUES (?, '2025-01-02T03:04:05.123456Z', ?, 'Gammel', 1, 'helse', 'relasjon', 'side')`, m, a.UserID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := audit.Upgrade(ctx, db); err != nil {
			t.Fatal(err)
		}
		r := verify(t, db)
		if !r.Whole() || r.Audit.Entries != 5+1+4+1 || r.Access.Entries != 6 || r.Access.Chains != 2 {
			t.Fatalf("after the upgrade: %+v", r)
		}
		var note string
		if err := db.QueryRowContext(ctx, "SELECT before_json FROM audit_log WHERE municipality_id = ? AND seq = 6", a.MunicipalityID).Scan(&note); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(note, `"kontrollert":true`) || !strings.Contains(note, `"oppforinger":5`) {
			t.Fatalf("switch entry of a whole chain: %s", note)
		}
		if err := db.QueryRowContext(ctx, "SELECT before_json FROM audit_log WHERE municipality_id = ? AND seq = 5", b.MunicipalityID).Scan(&note); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(note, `"kontrollert":false`) || !strings.Contains(note, "oppføring 3 var endret") {
			t.Fatalf("switch entry of a broken chain: %s", note)
		}
		// The triggers stand again, and a second run changes nothing.
		if _, err := db.ExecContext(ctx, "UPDATE audit_log SET actor = 'x'"); err == nil {
			t.Fatal("the audit log accepted an UPDATE after the upgrade")
		}
		if _, err := db.ExecContext(ctx, "UPDATE access_log SET user_name = 'x'"); err == nil {
			t.Fatal("the access log accepted an UPDATE after the upgrade")
		}
		if err := audit.Upgrade(ctx, db); err != nil {
			t.Fatal(err)
		}
		if r := verify(t, db); !r.Whole() || r.Audit.Entries != 11 {
			t.Fatalf("second upgrade: %+v", r)
		}
		// Entries put back in the old form, links recomputed with SHA-256
		// and no key, are not sealed at the next start: verify names them.
		tamper(t, db, "UPDATE audit_log SET key_id = '' WHERE seq = 1")
		if err := audit.Upgrade(ctx, db); err != nil {
			t.Fatal(err)
		}
		if r := verify(t, db); len(r.Broken) != 2 || !strings.Contains(r.Broken[0].Problem, "ingen nøkkel") {
			t.Fatalf("old-form entries in a sealed database: %+v", r.Broken)
		}
	})
}
