package web

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"time"

	"github.com/alexedwards/scs/v2"

	"husly/internal/store"
)

// sessionStore keeps scs sessions in Husly's own database, so any number
// of stateless servers share them. A row is keyed by the SHA-256 of the
// session token, never the token itself: whoever reads the table (a backup,
// a database administrator) cannot take over a session with it.
type sessionStore struct{ db *store.DB }

// touchEvery is how often an unchanged session's idle deadline is moved
// forward. scs would rewrite the row on every request; a read then costs a
// write. The idle timeout still holds to within this much.
const touchEvery = time.Minute

// loadedKey carries what FindCtx read to CommitCtx in the same request.
type loadedKey struct{}

// loadedSession is the row as it was read, so an unchanged session is not
// written back until its deadline needs moving.
type loadedSession struct {
	hash   string
	data   []byte
	expiry time.Time
}

// trackSessions gives each request a place where the session row it reads
// is remembered; it wraps scs's LoadAndSave.
func trackSessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), loadedKey{}, &loadedSession{})))
	})
}

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	hash := HashToken(token)
	var data []byte
	var expiry time.Time
	err := s.db.QueryRowContext(ctx, "SELECT data, expiry FROM sessions WHERE token = ?", hash).Scan(&data, store.ScanTime(&expiry))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && time.Now().After(expiry)) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if l, ok := ctx.Value(loadedKey{}).(*loadedSession); ok {
		*l = loadedSession{hash: hash, data: data, expiry: expiry}
	}
	return data, true, nil
}

func (s sessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	hash := HashToken(token)
	if l, ok := ctx.Value(loadedKey{}).(*loadedSession); ok && unchanged(l, hash, data, expiry) {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, hash, data, store.TimeArg(expiry))
	return err
}

// unchanged reports whether a commit would only move the idle deadline by
// less than touchEvery: then the stored row is still good enough.
func unchanged(l *loadedSession, hash string, data []byte, expiry time.Time) bool {
	if l.hash != hash || expiry.Before(l.expiry) || expiry.Sub(l.expiry) >= touchEvery {
		return false
	}
	if bytes.Equal(l.data, data) {
		return true
	}
	// gob writes a map in iteration order, so equal values can differ in bytes.
	d1, v1, err1 := scs.GobCodec{}.Decode(l.data)
	d2, v2, err2 := scs.GobCodec{}.Decode(data)
	return err1 == nil && err2 == nil && d1.Equal(d2) && reflect.DeepEqual(v1, v2)
}

func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE token = ?", HashToken(token))
	return err
}

// The context-free methods satisfy scs.Store; scs calls the Ctx variants.
func (s sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}
func (s sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}
func (s sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// purgeExpired removes dead sessions now and then.
func (s sessionStore) purgeExpired(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE expiry < ?", store.TimeArg(time.Now())); err != nil && ctx.Err() == nil {
				slog.Warn("removing expired sessions failed", "error", err)
			}
		}
	}
}
