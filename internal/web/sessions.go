package web

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"husly/internal/store"
)

// sessionStore keeps scs sessions in Husly's own database, so any number
// of stateless servers share them.
type sessionStore struct{ db *store.DB }

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	var expiry time.Time
	err := s.db.QueryRowContext(ctx, "SELECT data, expiry FROM sessions WHERE token = ?", token).Scan(&data, store.ScanTime(&expiry))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && time.Now().After(expiry)) {
		return nil, false, nil
	}
	return data, err == nil, err
}

func (s sessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, data, store.TimeArg(expiry))
	return err
}

func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE token = ?", token)
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
