package audit_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"husly/internal/audit"
	"husly/internal/keys"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func TestCheckpointSignature(t *testing.T) {
	ring, err := keys.New()
	if err != nil {
		t.Fatal(err)
	}
	c := audit.Checkpoint{Database: "abc", At: "2026-01-01T00:00:00Z", Reason: audit.ReasonManual,
		Audit: []audit.Head{{MunicipalityID: 1, Count: 10, MAC: "ff"}}, Access: []audit.Head{}}
	if err := c.Sign(ring); err != nil {
		t.Fatal(err)
	}
	if err := c.Check(ring); err != nil {
		t.Fatalf("a fresh signature: %v", err)
	}
	for name, change := range map[string]func(c *audit.Checkpoint){
		"count":    func(c *audit.Checkpoint) { c.Audit[0].Count = 9 },
		"head":     func(c *audit.Checkpoint) { c.Audit[0].MAC = "ee" },
		"database": func(c *audit.Checkpoint) { c.Database = "abd" },
		"dropped":  func(c *audit.Checkpoint) { c.Audit = nil },
	} {
		forged := c
		forged.Audit = append([]audit.Head(nil), c.Audit...)
		change(&forged)
		if err := forged.Check(ring); err == nil || !strings.Contains(err.Error(), "ugyldig signatur") {
			t.Errorf("%s changed: %v", name, err)
		}
	}
	other, err := keys.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(other); err == nil {
		t.Fatal("another ring's key verified the checkpoint")
	}
	c.KeyID = "s9"
	if err := c.Check(ring); err == nil || !strings.Contains(err.Error(), "ikke finnes i nøkkelringen") {
		t.Fatalf("unknown key: %v", err)
	}
}

func TestCheckpointStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "cp", "husly.jsonl")
		id, _ := audit.DatabaseID(ctx, db)
		var none audit.ErrNoCheckpoints
		if _, err := audit.Load(path, id, db.Keys()); !errors.As(err, &none) || !none.Missing {
			t.Fatalf("missing file: %v", err)
		}
		a, b := twoTenants(t, db)
		c1, err := audit.Write(ctx, db, path, audit.ReasonManual)
		if err != nil {
			t.Fatal(err)
		}
		if len(c1.Audit) != 2 || c1.Audit[0].Count != 10 || len(c1.Access) != 2 || c1.Access[1].Count != 10 {
			t.Fatalf("checkpoint: %+v", c1)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Fatalf("checkpoint file mode %v", fi.Mode().Perm())
		}
		record(t, db, a.MunicipalityID, 50)
		if _, err := audit.Write(ctx, db, path, audit.ReasonPeriodic); err != nil {
			t.Fatal(err)
		}
		cps, err := audit.Load(path, id, db.Keys())
		if err != nil || len(cps) != 2 {
			t.Fatalf("load: %d %v", len(cps), err)
		}
		if _, err := audit.Load(path, "another", db.Keys()); !errors.As(err, &none) || none.Others != 2 {
			t.Fatalf("another database: %v", err)
		}
		if r := verify(t, db, cps...); !r.Whole() || r.Checkpoint.Reason != audit.ReasonPeriodic {
			t.Fatalf("held against its checkpoints: %+v", r.Broken)
		}
		// Truncated, then a checkpoint of the truncated state: the older
		// checkpoint still finds it.
		tamper(t, db, fmt.Sprintf("DELETE FROM audit_log WHERE municipality_id = %d AND seq > 9", a.MunicipalityID))
		if _, err := audit.Write(ctx, db, path, audit.ReasonPeriodic); err != nil {
			t.Fatal(err)
		}
		cps, _ = audit.Load(path, id, db.Keys())
		r := verify(t, db, cps...)
		if len(r.Broken) != 1 || r.Broken[0].MunicipalityID != a.MunicipalityID || !strings.Contains(r.Broken[0].Problem, "kjeden slutter ved oppføring 9, men kontrollpunktet fra") {
			t.Fatalf("truncated before the newest checkpoint: %+v", r.Broken)
		}
		// A restore starts afresh: the restored chains are the baseline.
		if _, err := audit.Write(ctx, db, path, audit.ReasonRestore); err != nil {
			t.Fatal(err)
		}
		cps, _ = audit.Load(path, id, db.Keys())
		if r := verify(t, db, cps...); !r.Whole() {
			t.Fatalf("after a restore checkpoint: %+v", r.Broken)
		}
		_ = b
	})
}

// A line still being appended (no newline yet) is not a checkpoint and not
// damage; a damaged line in the middle is.
func TestCheckpointFileLines(t *testing.T) {
	ring, err := keys.New()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "husly.jsonl")
	c := audit.Checkpoint{Database: "db", At: "2026-01-01T00:00:00Z", Reason: audit.ReasonManual, Audit: []audit.Head{}, Access: []audit.Head{}}
	if err := c.Sign(ring); err != nil {
		t.Fatal(err)
	}
	if err := audit.Append(path, c); err != nil {
		t.Fatal(err)
	}
	appendRaw := func(s string) {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(s); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	appendRaw(`{"database":"db","at":"2026-01-`)
	if cps, err := audit.Load(path, "db", ring); err != nil || len(cps) != 1 {
		t.Fatalf("torn last line: %d %v", len(cps), err)
	}
	appendRaw("\n")
	if err := audit.Append(path, c); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.Load(path, "db", ring); err == nil || !strings.Contains(err.Error(), "skadet på linje 2") {
		t.Fatalf("damaged middle line: %v", err)
	}
}
