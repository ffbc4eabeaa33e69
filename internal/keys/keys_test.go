package keys

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSealOpenRotate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	r, err := Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v", fi.Mode().Perm())
	}
	sealed, err := r.Seal("01010710029", "1")
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := r.Open(sealed, "1"); err != nil || pt != "01010710029" {
		t.Fatalf("open = %q, %v", pt, err)
	}
	if _, err := r.Open(sealed, "2"); !errors.Is(err, ErrCannotOpen) {
		t.Fatal("opened under another municipality")
	}
	if err := r.Rotate(); err != nil {
		t.Fatal(err)
	}
	again, _ := Open(path, false)
	if again.Active != "k2" || KeyID(sealed) != "k1" {
		t.Fatalf("after rotate: active %s", again.Active)
	}
	if pt, err := again.Open(sealed, "1"); err != nil || pt != "01010710029" {
		t.Fatal("an old value no longer opens after rotation")
	}
	if r.Blind("x") != again.Blind("x") || r.Blind("x") == r.Blind("y") {
		t.Fatal("blind index unstable")
	}
}

func FuzzOpen(f *testing.F) {
	r, _ := New()
	s, _ := r.Seal("12345678901", "1")
	f.Add(s)
	f.Add("k1:")
	f.Add("k9:AAAA")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = r.Open(s, "1") // must never panic; most inputs are rightly refused
	})
}

func TestParseFromEnvironment(t *testing.T) {
	r, _ := New()
	b, _ := json.Marshal(r)
	again, err := Parse(b)
	if err != nil || again.Active != r.Active {
		t.Fatalf("parse: %v", err)
	}
	if _, err := Parse([]byte(`{"active":"k1"}`)); err == nil {
		t.Fatal("a ring without keys was accepted")
	}
	if err := again.Rotate(); err == nil {
		t.Fatal("a ring from the environment was rotated without a file")
	}
}

// A ring file from before the keyed audit chain gets chain and signing
// keys when opened (saved at once); a ring in HUSLY_KEYS cannot be
// changed, so it is refused with what to do, and Complete adds them.
func TestChainKeysAddedToOldRings(t *testing.T) {
	old := map[string]any{"active": "k1", "keys": map[string][]byte{"k1": random(32)}, "index": random(32)}
	b, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	id, key := r.ChainKey()
	if id != "m1" || len(key) != 32 || r.SigningActive != "s1" || r.PublicKey("s1") == nil {
		t.Fatalf("chain keys: %q %d %q", id, len(key), r.SigningActive)
	}
	again, err := Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if string(again.ChainKeyByID("m1")) != string(key) {
		t.Fatal("the added chain key was not saved")
	}
	if _, err := Parse(b); !errors.Is(err, ErrNoChainKeys) {
		t.Fatalf("HUSLY_KEYS without chain keys: %v", err)
	}
	done, err := Complete(b)
	if err != nil || len(done.Chain[done.ChainActive]) != 32 {
		t.Fatalf("complete: %v", err)
	}
	full, _ := json.Marshal(done)
	if _, err := Parse(full); err != nil {
		t.Fatalf("a completed ring: %v", err)
	}
	// Rotation adds a key of each kind and keeps the old ones.
	if err := r.Rotate(); err != nil {
		t.Fatal(err)
	}
	if r.ChainActive != "m2" || r.SigningActive != "s2" || r.ChainKeyByID("m1") == nil || r.PublicKey("s1") == nil {
		t.Fatalf("after rotation: %s %s", r.ChainActive, r.SigningActive)
	}
}
