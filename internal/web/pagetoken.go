package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"sync"

	"husly/internal/store"
)

// Long lists page by key, not by OFFSET: the next page starts after the
// last row shown, so page 1,000 costs what page 1 does. The position
// travels in the URL as a page token: the list's name and the last row's
// sort key, MACed with a key kept in the database (so every server process
// accepts the tokens of the others). A token that was changed, or that
// belongs to another list or filter, is refused with 400 and changes
// nothing.

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
	if k.key, err = hex.DecodeString(v); err != nil || len(k.key) < 16 {
		k.key = nil
		return nil, errors.New("sidenøkkelen i databasen er skadet")
	}
	return k.key, nil
}

type pagePosition struct {
	List string   `json:"l"`
	Key  []string `json:"k"`
}

func pageMAC(key, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(payload)
	return m.Sum(nil)[:16]
}

// encodePage makes the token for the page after the row with sort key key.
func (s *Server) encodePage(ctx context.Context, list string, key ...string) (string, error) {
	k, err := s.pageKeys.load(ctx, s.db)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(pagePosition{List: list, Key: key})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(pageMAC(k, payload)), nil
}

// decodePage checks a token against list and returns the sort key with
// want parts; an empty token is the first page (nil key).
func (s *Server) decodePage(ctx context.Context, list, token string, want int) ([]string, error) {
	if token == "" {
		return nil, nil
	}
	k, err := s.pageKeys.load(ctx, s.db)
	if err != nil {
		return nil, err
	}
	p64, m64, ok := strings.Cut(token, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(p64)
	mac, err2 := base64.RawURLEncoding.DecodeString(m64)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, pageMAC(k, payload)) {
		return nil, errBadPageToken
	}
	var pos pagePosition
	if err := json.Unmarshal(payload, &pos); err != nil || pos.List != list || len(pos.Key) != want {
		return nil, errBadPageToken
	}
	return pos.Key, nil
}
