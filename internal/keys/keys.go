// Package keys keeps the secrets that protect identity numbers at rest: a
// ring of AES-256-GCM keys (one active, older ones kept to read backups)
// and an HMAC key for the blind index that finds a number without
// decrypting every row. The ring also holds the keys that make the audit
// chain and the access log tamper-evident: HMAC keys for the chains and
// Ed25519 keys that sign checkpoints kept outside the database.
package keys

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Ring is the set of keys a database's identity numbers are protected by.
type Ring struct {
	Active string            `json:"active"`
	Keys   map[string][]byte `json:"keys"`  // key id → 32 bytes
	Index  []byte            `json:"index"` // HMAC key of the blind index
	// Chain keys: HMAC-SHA256 keys of the audit chain and the access log
	// (id → 32 bytes). Every entry names the key it was made with, so old
	// entries verify after a rotation.
	ChainActive string            `json:"chain_active,omitempty"`
	Chain       map[string][]byte `json:"chain,omitempty"`
	// Signing keys: Ed25519 seeds (id → 32 bytes) that sign checkpoints.
	SigningActive string            `json:"signing_active,omitempty"`
	Signing       map[string][]byte `json:"signing,omitempty"`
	path          string
}

// New makes a ring with one fresh key of each kind.
func New() (*Ring, error) {
	r := &Ring{Keys: map[string][]byte{}, Index: random(32)}
	r.completeChainKeys()
	return r, r.addKey()
}

// completeChainKeys adds the chain and signing keys a ring made before
// they existed lacks, and reports whether it added any.
func (r *Ring) completeChainKeys() bool {
	added := false
	if len(r.Chain[r.ChainActive]) != 32 {
		if r.Chain == nil {
			r.Chain = map[string][]byte{}
		}
		r.ChainActive = nextID(r.Chain, "m")
		r.Chain[r.ChainActive] = random(32)
		added = true
	}
	if len(r.Signing[r.SigningActive]) != ed25519.SeedSize {
		if r.Signing == nil {
			r.Signing = map[string][]byte{}
		}
		r.SigningActive = nextID(r.Signing, "s")
		r.Signing[r.SigningActive] = random(ed25519.SeedSize)
		added = true
	}
	return added
}

// nextID is the next free id of the form prefix+N in m.
func nextID(m map[string][]byte, prefix string) string {
	next := 1
	for id := range m {
		if n, err := strconv.Atoi(strings.TrimPrefix(id, prefix)); err == nil && n >= next {
			next = n + 1
		}
	}
	return prefix + strconv.Itoa(next)
}

// ChainKey is the active key of the audit chain and the access log.
func (r *Ring) ChainKey() (id string, key []byte) {
	return r.ChainActive, r.Chain[r.ChainActive]
}

// ChainKeyByID is the chain key with id, or nil when the ring lacks it.
func (r *Ring) ChainKeyByID(id string) []byte { return r.Chain[id] }

// Signer is the active checkpoint signing key.
func (r *Ring) Signer() (id string, key ed25519.PrivateKey) {
	return r.SigningActive, ed25519.NewKeyFromSeed(r.Signing[r.SigningActive])
}

// PublicKey is the public half of the signing key with id, or nil.
func (r *Ring) PublicKey(id string) ed25519.PublicKey {
	seed := r.Signing[id]
	if len(seed) != ed25519.SeedSize {
		return nil
	}
	return ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
}

func random(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("keys: no randomness: " + err.Error())
	}
	return b
}

func (r *Ring) addKey() error {
	ids := make([]int, 0, len(r.Keys))
	for id := range r.Keys {
		n, _ := strconv.Atoi(strings.TrimPrefix(id, "k"))
		ids = append(ids, n)
	}
	sort.Ints(ids)
	next := 1
	if len(ids) > 0 {
		next = ids[len(ids)-1] + 1
	}
	id := "k" + strconv.Itoa(next)
	r.Keys[id] = random(32)
	r.Active = id
	return nil
}

// Open reads the ring at path, creating it with a fresh key (mode 0600)
// when create is true and the file does not exist.
func Open(path string, create bool) (*Ring, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && create {
		r, err := New()
		if err != nil {
			return nil, err
		}
		r.path = path
		return r, r.Save()
	}
	if err != nil {
		return nil, fmt.Errorf("nøkkelfilen %s kan ikke leses: %w", path, err)
	}
	r := &Ring{path: path}
	if err := json.Unmarshal(b, r); err != nil || len(r.Keys[r.Active]) != 32 || len(r.Index) != 32 {
		return nil, fmt.Errorf("nøkkelfilen %s er skadet", path)
	}
	// A ring from before the keyed audit chain gets its chain and signing
	// keys now, saved before anything is written with them.
	if r.completeChainKeys() {
		if err := r.Save(); err != nil {
			return nil, fmt.Errorf("kan ikke legge nøklene for revisjonskjeden til i %s: %w", path, err)
		}
	}
	return r, nil
}

// ErrNoChainKeys is returned for a ring from HUSLY_KEYS that lacks the
// chain and signing keys: they cannot be added where there is no file.
var ErrNoChainKeys = errors.New("HUSLY_KEYS mangler nøklene for revisjonskjeden og de signerte kontrollpunktene: " +
	"kjør 'husly keys complete', som skriver ringen med nye nøkler lagt til, og sett HUSLY_KEYS til den")

// Complete parses a ring from its JSON form and adds any chain and
// signing keys it lacks (for 'husly keys complete').
func Complete(b []byte) (*Ring, error) {
	r := &Ring{}
	if err := json.Unmarshal(b, r); err != nil || len(r.Keys[r.Active]) != 32 || len(r.Index) != 32 {
		return nil, errors.New("HUSLY_KEYS er ikke en gyldig nøkkelring")
	}
	r.completeChainKeys()
	return r, nil
}

// Parse reads a ring from its JSON form (the HUSLY_KEYS environment
// variable, for deployments that pass secrets by environment). Such a ring
// has no file, so it cannot be rotated in place.
func Parse(b []byte) (*Ring, error) {
	r := &Ring{}
	if err := json.Unmarshal(b, r); err != nil || len(r.Keys[r.Active]) != 32 || len(r.Index) != 32 {
		return nil, errors.New("HUSLY_KEYS er ikke en gyldig nøkkelring")
	}
	if len(r.Chain[r.ChainActive]) != 32 || len(r.Signing[r.SigningActive]) != ed25519.SeedSize {
		return nil, ErrNoChainKeys
	}
	return r, nil
}

// Save writes the ring to its file atomically, readable by its owner only.
func (r *Ring) Save() error {
	if r.path == "" {
		return errors.New("nøkkelringen har ingen fil")
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(r.path), 0o700); err != nil {
		return err
	}
	tmp := r.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, r.path)
}

// Path is where the ring is kept.
func (r *Ring) Path() string { return r.path }

// Rotate adds a new active key of each kind and saves the ring; old keys
// stay so that existing ciphertexts, backups, chain entries and checkpoints
// can still be read and verified.
func (r *Ring) Rotate() error {
	if r.path == "" {
		return errors.New("nøkkelringen har ingen fil")
	}
	if err := r.addKey(); err != nil {
		return err
	}
	r.ChainActive = nextID(r.Chain, "m")
	r.Chain[r.ChainActive] = random(32)
	r.SigningActive = nextID(r.Signing, "s")
	r.Signing[r.SigningActive] = random(ed25519.SeedSize)
	return r.Save()
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal encrypts plaintext with the active key. aad binds the ciphertext to
// its context (the municipality), so a value copied elsewhere fails to open.
func (r *Ring) Seal(plaintext, aad string) (string, error) {
	aead, err := gcm(r.Keys[r.Active])
	if err != nil {
		return "", err
	}
	nonce := random(aead.NonceSize())
	ct := aead.Seal(nonce, nonce, []byte(plaintext), []byte(aad))
	return r.Active + ":" + base64.RawStdEncoding.EncodeToString(ct), nil
}

// ErrCannotOpen is returned for a ciphertext no key in the ring opens.
var ErrCannotOpen = errors.New("kan ikke dekryptere: feil nøkkel eller skadet verdi")

// Open decrypts a value sealed by any key in the ring.
func (r *Ring) Open(sealed, aad string) (string, error) {
	id, b64, ok := strings.Cut(sealed, ":")
	key := r.Keys[id]
	if !ok || key == nil {
		return "", ErrCannotOpen
	}
	ct, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil {
		return "", ErrCannotOpen
	}
	aead, err := gcm(key)
	if err != nil {
		return "", err
	}
	if len(ct) < aead.NonceSize() {
		return "", ErrCannotOpen
	}
	pt, err := aead.Open(nil, ct[:aead.NonceSize()], ct[aead.NonceSize():], []byte(aad))
	if err != nil {
		return "", ErrCannotOpen
	}
	return string(pt), nil
}

// KeyID is the id of the key a sealed value was made with.
func KeyID(sealed string) string {
	id, _, _ := strings.Cut(sealed, ":")
	return id
}

// Blind is the blind index of a value: equal values give equal indexes,
// and the index reveals nothing without the ring's index key. 128 bits of
// the HMAC are ample to tell apart the numbers of one municipality and keep
// the index small.
func (r *Ring) Blind(value string) string {
	m := hmac.New(sha256.New, r.Index)
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}
