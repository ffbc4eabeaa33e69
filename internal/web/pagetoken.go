package web

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sync"

	"husly/internal/store"
)

// Long lists page by key, not by OFFSET: the next page starts after the
// last row shown, so page 1,000 costs what page 1 does. The position
// travels in the URL as a page token: the last row's sort key sealed with
// AES-256-GCM under a key kept in the database (so every server process
// accepts the others' tokens), with the list's name (and filter) as
// associated data. Sealing, not just a MAC, because a sort key holds a
// person's name and URLs end up in logs and browser history. A token that
// was changed, or that belongs to another list or filter, fails to open
// and is refused with 400; nothing is read or logged.

var errBadPageToken = errors.New("sidemerket i adressen er ugyldig eller hører til en annen liste; gå tilbake til første side")

const pageKeySetting = "page_token_key"

type pageKeys struct {
	mu  sync.Mutex
	key []byte
}

// load reads the MAC key, creating it once for the whole database.
func (k *pageKeys) load(ctx context.Context, db *store.DB) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, nil
	}
	fresh := make([]byte, 32)
	rand.Read(fresh)
	// Several servers may start at once: the first insert wins, all read it.
	if _, err := db.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
		pageKeySetting, hex.EncodeToString(fresh)); err != nil {
		return nil, err
	}
	v, err := store.Setting(ctx, db, pageKeySetting)
	if err != nil {
		return nil, err
	}
	if k.key, err = hex.DecodeString(v); err != nil || len(k.key) != 32 {
		k.key = nil
		return nil, errors.New("sidenøkkelen i databasen er skadet")
	}
	return k.key, nil
}

func pageCipher(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// encodePage makes the token for the page after the row with sort key key.
func (s *Server) encodePage(ctx context.Context, list string, key ...string) (string, error) {
	k, err := s.pageKeys.load(ctx, s.db)
	if err != nil {
		return "", err
	}
	aead, err := pageCipher(k)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(key)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, payload, []byte(list))), nil
}

// decodePage opens a token for list and returns the sort key, which must
// have want parts; an empty token is the first page (nil key).
func (s *Server) decodePage(ctx context.Context, list, token string, want int) ([]string, error) {
	if token == "" {
		return nil, nil
	}
	k, err := s.pageKeys.load(ctx, s.db)
	if err != nil {
		return nil, err
	}
	aead, err := pageCipher(k)
	if err != nil {
		return nil, err
	}
	sealed, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, errBadPageToken
	}
	payload, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(list))
	if err != nil {
		return nil, errBadPageToken
	}
	var key []string
	if err := json.Unmarshal(payload, &key); err != nil || len(key) != want {
		return nil, errBadPageToken
	}
	return key, nil
}
