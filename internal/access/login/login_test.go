package login_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/access/login"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

const password = "et langt og godt passord"

// newUser gives a tenant a case worker with a local password.
func newUser(t *testing.T, db *store.DB) (storetest.Tenant, org.User) {
	t.Helper()
	tn := storetest.NewTenant(t, db, "4601")
	hash, err := access.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(context.Background(), "UPDATE users SET password_hash = ? WHERE id = ?", hash, tn.UserID); err != nil {
		t.Fatal(err)
	}
	u, err := org.UserByID(context.Background(), db, tn.UserID)
	if err != nil {
		t.Fatal(err)
	}
	return tn, u
}

func failures(t *testing.T, db *store.DB, id int64) (int, time.Time) {
	t.Helper()
	var n int
	var until time.Time
	if err := db.QueryRowContext(context.Background(), "SELECT failed_logins, locked_until FROM users WHERE id = ?", id).Scan(&n, store.ScanTime(&until)); err != nil {
		t.Fatal(err)
	}
	return n, until
}

func TestLockFor(t *testing.T) {
	for _, c := range []struct {
		failed int
		want   time.Duration
	}{{0, 0}, {4, 0}, {5, 30 * time.Second}, {6, time.Minute}, {7, 2 * time.Minute}, {15, 512 * time.Minute}, {40, 512 * time.Minute}} {
		if got := login.LockFor(c.failed); got != c.want {
			t.Errorf("LockFor(%d) = %v, want %v", c.failed, got, c.want)
		}
	}
}

// Wrong guesses sent in parallel are each counted, and the account locks:
// the count is added in the database, not written back from a stale read.
func TestParallelGuessesLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, u := newUser(t, db)
		const guesses = 24
		var wg sync.WaitGroup
		errs := make(chan error, guesses)
		for i := 0; i < guesses; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := login.Password(context.Background(), db, u.Username, "feil passord", time.Now())
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if !errors.Is(err, login.ErrFailed) && !errors.Is(err, login.ErrLocked) {
				t.Fatalf("a wrong guess gave %v", err)
			}
		}
		n, until := failures(t, db, u.ID)
		// Guesses that arrived after the lock are refused without being counted.
		if n < login.FreeAttempts || !until.After(time.Now()) {
			t.Fatalf("after %d parallel wrong guesses: failed_logins=%d locked_until=%v, want locked", guesses, n, until)
		}
		if _, err := login.Password(context.Background(), db, u.Username, password, time.Now()); !errors.Is(err, login.ErrLocked) {
			t.Fatalf("the right password on a locked account: %v, want ErrLocked", err)
		}
	})
}

// Confirming a password for emergency access counts like a login, and a
// locked account can neither confirm nor sign in.
func TestConfirmSharesTheLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, u := newUser(t, db)
		if err := login.Confirm(ctx, db, u, password, time.Now()); err != nil {
			t.Fatalf("right password: %v", err)
		}
		for i := 1; i <= login.FreeAttempts; i++ {
			err := login.Confirm(ctx, db, u, "feil", time.Now())
			want := login.ErrFailed
			if i == login.FreeAttempts {
				want = login.ErrLocked
			}
			if !errors.Is(err, want) {
				t.Fatalf("wrong password %d: %v, want %v", i, err, want)
			}
		}
		if err := login.Confirm(ctx, db, u, password, time.Now()); !errors.Is(err, login.ErrLocked) {
			t.Fatalf("confirm while locked: %v", err)
		}
		if _, err := login.Password(ctx, db, u.Username, password, time.Now()); !errors.Is(err, login.ErrLocked) {
			t.Fatalf("login while locked by break-glass guesses: %v", err)
		}
		n, _ := failures(t, db, u.ID)
		if n != login.FreeAttempts {
			t.Fatalf("failed_logins = %d, want %d (attempts while locked are not counted)", n, login.FreeAttempts)
		}
		// Once the lock has run out, the right password clears the count.
		if _, err := login.Password(ctx, db, u.Username, password, time.Now().Add(time.Hour)); err != nil {
			t.Fatalf("login after the lock ran out: %v", err)
		}
		if n, until := failures(t, db, u.ID); n != 0 || !until.IsZero() {
			t.Fatalf("after a good login: failed=%d locked_until=%v", n, until)
		}
	})
}

// A user who signs in only through an identity provider has no password to
// confirm with: a plain refusal, not counted.
func TestConfirmWithoutPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, u := newUser(t, db)
		u.PasswordHash = ""
		if _, err := db.ExecContext(ctx, "UPDATE users SET password_hash = '' WHERE id = ?", u.ID); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < login.FreeAttempts+1; i++ {
			if err := login.Confirm(ctx, db, u, "", time.Now()); !errors.Is(err, login.ErrNoPassword) {
				t.Fatalf("confirm without a password: %v", err)
			}
		}
		if n, until := failures(t, db, u.ID); n != 0 || !until.IsZero() {
			t.Fatalf("counted %d failures, locked until %v", n, until)
		}
		if _, err := login.Password(ctx, db, u.Username, "", time.Now()); !errors.Is(err, login.ErrFailed) {
			t.Fatalf("login by name without a password: %v", err)
		}
	})
}

func TestUnknownUserAndInactive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, u := newUser(t, db)
		if _, err := login.Password(ctx, db, "finnes-ikke", password, time.Now()); !errors.Is(err, login.ErrFailed) {
			t.Fatalf("unknown user: %v", err)
		}
		if _, err := db.ExecContext(ctx, "UPDATE users SET active = ? WHERE id = ?", false, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := login.Password(ctx, db, u.Username, password, time.Now()); !errors.Is(err, login.ErrFailed) {
			t.Fatalf("inactive user: %v", err)
		}
	})
}
