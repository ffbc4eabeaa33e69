package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"husly/internal/audit"
	"husly/internal/demo"
	"husly/internal/store"
	"husly/internal/web"
)

func serve(e *env, args []string) error {
	fs := e.flags("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	secure := fs.Bool("secure-cookies", true, "mark cookies Secure (set false only for plain HTTP on your own machine)")
	public := fs.String("public-url", os.Getenv("HUSLY_PUBLIC_URL"), "the address users reach Husly at, for login redirects (env HUSLY_PUBLIC_URL)")
	metricsAddr := fs.String("metrics-addr", os.Getenv("HUSLY_METRICS_ADDR"), "a separate address serving /metrics without a token, for monitoring only (env HUSLY_METRICS_ADDR)")
	e.checkpointFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := e.checkCheckpointFlags(); err != nil {
		return err
	}
	// The token is read from the environment only, so it never shows in a process list.
	metricsToken := os.Getenv("HUSLY_METRICS_TOKEN")
	if metricsToken != "" && len(metricsToken) < 32 {
		return exitError{2, "HUSLY_METRICS_TOKEN må ha minst 32 tegn; lag en med for eksempel «openssl rand -hex 32»."}
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	opts := web.Options{SecureCookies: *secure, PublicURL: *public, OIDC: oidcFromEnv(), MetricsToken: metricsToken, MetricsAddr: *metricsAddr}
	return listenAndServe(e, db, *addr, opts, func(url string) {
		fmt.Fprintf(e.stdout, "Husly kjører på %s (database %s)\n", url, db.Location)
	})
}

// oidcFromEnv reads the identity providers: HUSLY_OIDC_STAFF_* for staff
// (Entra ID or any OIDC provider) and HUSLY_OIDC_IDPORTEN_* for residents,
// each with _ISSUER, _CLIENT_ID and _CLIENT_SECRET, and _MUNICIPALITY (the
// kommunenummer new identities are linked in; needed when the database
// holds more than one municipality).
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
				ClientSecret: os.Getenv(p.prefix + "CLIENT_SECRET"), Residents: p.residents, Municipality: os.Getenv(p.prefix + "MUNICIPALITY")})
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
	stopCheckpoints := e.checkpoints(ctx, db, opts.Logger)
	defer stopCheckpoints()
	errc := make(chan error, 2)
	go func() { errc <- hs.Serve(ln) }()
	if opts.MetricsAddr != "" {
		mln, err := (&net.ListenConfig{}).Listen(e.ctx, "tcp", opts.MetricsAddr)
		if err != nil {
			return fmt.Errorf("kan ikke lytte på %s for måledata: %w", opts.MetricsAddr, err)
		}
		ms := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- ms.Serve(mln) }()
		defer func() { _ = ms.Close() }()
	}
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

// checkpointFlags adds where and how often a serving Husly writes signed
// checkpoints of the audit chain and the access log.
func (e *env) checkpointFlags(fs *flag.FlagSet) {
	e.checkpointFile = e.checkpointsFlag(fs)
	every := 10 * time.Minute
	if v := os.Getenv("HUSLY_CHECKPOINT_INTERVAL"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			every = d
		} else {
			e.badInterval = v
		}
	}
	e.checkpointEvery = fs.Duration("checkpoint-interval", every, "how often to write a signed checkpoint while serving, e.g. 10m (env HUSLY_CHECKPOINT_INTERVAL)")
}

func (e *env) checkCheckpointFlags() error {
	if e.badInterval != "" {
		return exitError{2, fmt.Sprintf("HUSLY_CHECKPOINT_INTERVAL=%q er ikke en varighet: skriv f.eks. 10m eller 1h", e.badInterval)}
	}
	if *e.checkpointEvery < 0 {
		return exitError{2, "--checkpoint-interval kan ikke være negativ: skriv f.eks. 10m, eller 0 for å slå av de periodiske kontrollpunktene"}
	}
	return nil
}

// checkpoints writes a checkpoint at start, every interval and at stop,
// and returns the function that stops it. A checkpoint that cannot be
// written is logged as an error but does not stop the service: the next
// one covers the same entries and more.
func (e *env) checkpoints(ctx context.Context, db *store.DB, log *slog.Logger) (stop func()) {
	if e.checkpointEvery == nil {
		return func() {}
	}
	file := e.checkpointsPath(*e.checkpointFile)
	var last audit.Checkpoint
	write := func(reason string) {
		c, err := audit.Take(context.WithoutCancel(ctx), db, reason)
		if err == nil && reason == audit.ReasonPeriodic && c.SameHeads(last) {
			return // nothing new since the last one: the file grows only with the logs
		}
		if err == nil {
			err = c.Sign(db.Keys())
		}
		if err == nil {
			err = audit.Append(file, c)
		}
		if err != nil {
			log.Error("kontrollpunkt kunne ikke skrives", "fil", file, "feil", err)
			return
		}
		last = c
		log.Info("kontrollpunkt skrevet", "fil", file, "grunn", reason, "kommuner", len(c.Audit))
	}
	write(audit.ReasonStart)
	every := *e.checkpointEvery
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		if every <= 0 {
			log.Warn("periodiske kontrollpunkter er slått av (--checkpoint-interval 0)")
			<-done
			return
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				write(audit.ReasonPeriodic)
			case <-done:
				return
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		write(audit.ReasonStop)
	}
}

func demoCmd(e *env, args []string) error {
	if e.dsn == "" {
		// The demo keeps to its own file so it never mixes with real data.
		e.dsn = "sqlite:./husly-data/demo.db"
	}
	fs := e.flags("demo")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	seed := fs.Uint64("seed", 1, "seed for the generated municipality (same seed, same municipality)")
	e.checkpointFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := e.checkCheckpointFlags(); err != nil {
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
