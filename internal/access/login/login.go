// Package login signs users in: local passwords with a throttle and lockout
// counted in the database, the password confirmation emergency access
// needs, and OpenID Connect (staff through Entra ID or another provider,
// residents through ID-porten) with identities keyed by issuer and subject.
// The web package only parses forms and renders; the rules are here.
package login

import (
	"context"
	"errors"
	"sync"
	"time"

	"husly/internal/access"
	"husly/internal/org"
	"husly/internal/store"
)

// Refusals, in Norwegian for the user. They never say whether a user name
// exists.
var (
	ErrFailed = errors.New("feil brukernavn eller passord")
	ErrLocked = errors.New("kontoen er midlertidig sperret etter for mange feil passord")
	// ErrNoPassword: the user signs in only through an identity provider
	// and has no Husly password to confirm with.
	ErrNoPassword = errors.New("brukeren har ikke noe passord i Husly")
)

// FreeAttempts is how many wrong passwords in a row are allowed before the
// account locks; from then on each failure doubles the lock, starting at
// 30 seconds (NSM's basic principles, 2.6.2: limit password guessing).
const FreeAttempts = 5

// LockFor is how long an account stays locked after failed wrong passwords
// in a row: nothing below FreeAttempts, then 30 s, 1 min, 2 min … up to
// about 8.5 hours.
func LockFor(failed int) time.Duration {
	if failed < FreeAttempts {
		return 0
	}
	return time.Duration(1<<min(failed-FreeAttempts, 10)) * 30 * time.Second
}

// dummyHash lets a login for an unknown user spend the time a real check
// takes, so timing does not reveal which user names exist. It is made on
// first use, at the cost the process hashes with.
var dummyHash = sync.OnceValue(func() string {
	h, _ := access.HashPassword("ingen bruker har dette passordet")
	return h
})

// Password signs a user in with their user name and local password. Every
// wrong password is counted in the database, atomically, and the lock is
// decided from the count the database returns; a locked account is refused
// even with the right password.
func Password(ctx context.Context, db store.Queryer, username, password string, now time.Time) (org.User, error) {
	u, err := org.UserByUsername(ctx, db, username)
	if errors.Is(err, org.ErrNotFound) {
		access.CheckPassword(dummyHash(), password)
		return org.User{}, ErrFailed
	}
	if err != nil {
		return org.User{}, err
	}
	if err := Confirm(ctx, db, u, password, now); errors.Is(err, ErrNoPassword) {
		return org.User{}, ErrFailed
	} else if err != nil {
		return org.User{}, err
	}
	if !u.Active {
		return org.User{}, ErrFailed
	}
	return u, nil
}

// Confirm checks a signed-in user's password again, for an action that
// must be confirmed (emergency access). It goes through the same count and
// lock as the login: a wrong password here is a failed login, and a locked
// account cannot confirm.
func Confirm(ctx context.Context, db store.Queryer, u org.User, password string, now time.Time) error {
	locked, err := lockedAt(ctx, db, u.ID, now)
	if err != nil {
		return err
	}
	if locked {
		// The password is still hashed, so a locked account answers in the same time.
		access.CheckPassword(dummyHash(), password)
		return ErrLocked
	}
	if u.PasswordHash == "" {
		// Nothing to guess: no count, a plain answer. (A login by user name
		// fails the same way as a wrong password, through Password.)
		access.CheckPassword(dummyHash(), password)
		return ErrNoPassword
	}
	if !access.CheckPassword(u.PasswordHash, password) {
		failed, err := countFailure(ctx, db, u.ID, now)
		if err != nil {
			return err
		}
		if LockFor(failed) > 0 {
			return ErrLocked
		}
		return ErrFailed
	}
	return clearFailures(ctx, db, u.ID, now)
}

// lockedAt reads the lock fresh from the database, not from the user
// loaded earlier in the request.
func lockedAt(ctx context.Context, q store.Queryer, userID int64, now time.Time) (bool, error) {
	var until time.Time
	if err := q.QueryRowContext(ctx, "SELECT locked_until FROM users WHERE id = ?", userID).Scan(store.ScanTime(&until)); err != nil {
		return false, err
	}
	return now.Before(until), nil
}

// countFailure adds one failed attempt in a single statement and returns
// the new count, so parallel guesses cannot each read a stale count and
// write the same number back. The lock is set from that count; a later,
// longer lock is never shortened by a slower request.
func countFailure(ctx context.Context, q store.Queryer, userID int64, now time.Time) (int, error) {
	var failed int
	if err := q.QueryRowContext(ctx, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins", userID).Scan(&failed); err != nil {
		return 0, err
	}
	if d := LockFor(failed); d > 0 {
		until := store.TimeArg(now.Add(d))
		if _, err := q.ExecContext(ctx, "UPDATE users SET locked_until = ? WHERE id = ? AND (locked_until IS NULL OR locked_until < ?)",
			until, userID, until); err != nil {
			return 0, err
		}
	}
	return failed, nil
}

// clearFailures resets the count after a right password, unless a parallel
// wrong guess locked the account meanwhile: then the right password is
// refused too, and the lock stands.
func clearFailures(ctx context.Context, q store.Queryer, userID int64, now time.Time) error {
	res, err := q.ExecContext(ctx, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ? AND (locked_until IS NULL OR locked_until <= ?)",
		userID, store.TimeArg(now))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrLocked
	}
	return nil
}
