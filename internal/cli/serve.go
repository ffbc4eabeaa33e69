package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"husly/internal/demo"
	"husly/internal/store"
	"husly/internal/web"
)

func serve(e *env, args []string) error {
	fs := e.flags("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	secure := fs.Bool("secure-cookies", true, "mark cookies Secure (set false only for plain HTTP on your own machine)")
	public := fs.String("public-url", os.Getenv("HUSLY_PUBLIC_URL"), "the address users reach Husly at, for login redirects (env HUSLY_PUBLIC_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	return listenAndServe(e, db, *addr, web.Options{SecureCookies: *secure, PublicURL: *public, OIDC: oidcFromEnv()}, func(url string) {
		fmt.Fprintf(e.stdout, "Husly kjører på %s (database %s)\n", url, db.Location)
	})
}

// oidcFromEnv reads the identity providers: HUSLY_OIDC_STAFF_* for staff
// (Entra ID or any OIDC provider) and HUSLY_OIDC_IDPORTEN_* for residents,
// each with _ISSUER, _CLIENT_ID and _CLIENT_SECRET.
func oidcFromEnv() []*web.OIDCProvider {
	var out []*web.OIDCProvider
	for _, p := range []struct {
		prefix, name, label string
		residents           bool
	}{{"HUSLY_OIDC_STAFF_", "ansatt", "Logg inn som ansatt (Entra ID)", false}, {"HUSLY_OIDC_IDPORTEN_", "idporten", "Logg inn med ID-porten", true}} {
		if issuer := os.Getenv(p.prefix + "ISSUER"); issuer != "" {
			label := os.Getenv(p.prefix + "LABEL")
			if label == "" {
				label = p.label
			}
			out = append(out, &web.OIDCProvider{Name: p.name, Label: label, Issuer: issuer, ClientID: os.Getenv(p.prefix + "CLIENT_ID"),
				ClientSecret: os.Getenv(p.prefix + "CLIENT_SECRET"), Residents: p.residents})
		}
	}
	return out
}

// listenAndServe serves until the context ends, then shuts down gracefully.
func listenAndServe(e *env, db *store.DB, addr string, opts web.Options, started func(url string)) error {
	opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	opts.Version = Version
	srv := web.New(db, opts)
	ln, err := (&net.ListenConfig{}).Listen(e.ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("kan ikke lytte på %s: %w", addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second}
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	go srv.Run(ctx)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	started("http://" + ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-e.ctx.Done():
	}
	shutdown, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func demoCmd(e *env, args []string) error {
	if e.dsn == "" {
		// The demo keeps to its own file so it never mixes with real data.
		e.dsn = "sqlite:./husly-data/demo.db"
	}
	fs := e.flags("demo")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	seed := fs.Uint64("seed", 1, "seed for the generated municipality (same seed, same municipality)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	empty, err := db.IsEmpty(e.ctx)
	if err != nil {
		return err
	}
	if empty {
		res, err := demo.Create(e.ctx, db, *seed)
		if err != nil {
			return fmt.Errorf("kunne ikke lage demokommunen: %w", err)
		}
		fmt.Fprintf(e.stdout, "Laget demokommunen Kristiansund (seed %d): %d personer, %d boliger.\n", *seed, res.Persons, res.Units)
	} else if env, _ := store.EnvironmentOf(e.ctx, db); env != store.DemoEnv {
		return fmt.Errorf("databasen %s har allerede data som ikke er demodata; bruk --db for en tom database", db.Location)
	}
	return listenAndServe(e, db, *addr, web.Options{SecureCookies: false}, func(url string) {
		fmt.Fprintf(e.stdout, "Husly-demoen kjører på %s (klar etter %.1f s, database %s)\n\n", url, time.Since(start).Seconds(), db.Location)
		fmt.Fprintf(e.stdout, "Logg inn med passordet %q og en av disse brukerne:\n", demo.Password)
		if err := printDemoUsers(e, db); err != nil {
			fmt.Fprintf(e.stderr, "Fant ikke demobrukerne: %v\n", err)
		}
		fmt.Fprintln(e.stdout, "\nStopp med Ctrl+C.")
	})
}

// printDemoUsers lists the demo's users, one line each.
func printDemoUsers(e *env, db *store.DB) error {
	rows, err := db.QueryContext(e.ctx, "SELECT role, username, full_name FROM users WHERE username LIKE 'demo-%' ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var role, username, name string
		if err := rows.Scan(&role, &username, &name); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "  %-20s %-22s %s\n", role, username, name)
	}
	return rows.Err()
}
