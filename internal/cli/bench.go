package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"husly/internal/bench"
	"husly/internal/store"
)

// benchCmd is "husly bench http": build a case, start servers, measure.
func benchCmd(e *env, args []string) error {
	if len(args) == 0 || args[0] != "http" {
		return exitError{2, "Bruk: husly bench http [--persons N --units N | --national] [--servers N] [--concurrency N] [--duration 10s | --requests N] [--workload sok|liste|blandet] [--runs N]"}
	}
	if e.dsn == "" {
		e.dsn = "sqlite:./husly-data/bench.db" // never the default database
	}
	fs := e.flags("bench http")
	persons := fs.Int("persons", bench.DemoPersons, "persons in the municipality (the demo municipality plus imported persons)")
	units := fs.Int("units", bench.DemoUnits, "units in the municipality (the demo's plus imported units)")
	national := fs.Bool("national", false, "the national hosted case: all 357 municipalities, about 180,000 persons and 110,000 units")
	servers := fs.Int("servers", 1, "server processes to start (1–8), each on its own port")
	ports := fs.String("ports", "18600-18699", "loopback port range for the servers")
	concurrency := fs.Int("concurrency", 8, "requests in flight at once (1–256)")
	duration := fs.Duration("duration", 10*time.Second, "how long each run sends the workload (1s–10m); /healthz gets a quarter of it first")
	requests := fs.Int("requests", 0, "send this many requests per run instead of running for --duration")
	workload := fs.String("workload", "blandet", "sok (person search), liste (person list) or blandet (90 % reads, 10 % writes)")
	runs := fs.Int("runs", 1, "runs to measure (1–9); with more than one the medians are printed too")
	seed := fs.Uint64("seed", 1, "seed for the requests' choices")
	jsonOut := fs.String("json", "", "also write the results as JSON to this file")
	prepareOnly := fs.Bool("prepare-only", false, "build the case and stop")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	c := bench.Case{National: *national, Persons: *persons, Units: *units}
	first, last, err := portRange(*ports)
	switch {
	case err != nil:
		return err
	case c.Validate() != nil:
		return c.Validate()
	case *servers < 1 || *servers > 8 || *servers > last-first+1:
		return fmt.Errorf("antall servere må være fra 1 til 8 og få plass i portområdet %s, fikk %d", *ports, *servers)
	case *concurrency < 1 || *concurrency > 256:
		return fmt.Errorf("samtidighet må være fra 1 til 256, fikk %d", *concurrency)
	case *requests < 0 || *requests > 10000000:
		return fmt.Errorf("antall forespørsler må være fra 0 til 10 000 000, fikk %d", *requests)
	case *requests == 0 && (*duration < time.Second || *duration > 10*time.Minute):
		return fmt.Errorf("varigheten må være fra 1 s til 10 min, fikk %s", *duration)
	case *runs < 1 || *runs > 9:
		return fmt.Errorf("antall runder må være fra 1 til 9, fikk %d", *runs)
	case bench.Workloads[*workload] == nil:
		return fmt.Errorf("ukjent last %q: bruk sok, liste eller blandet", *workload)
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	if err := bench.Prepare(e.ctx, db, c, e.stdout); err != nil {
		return err
	}
	if *prepareOnly {
		return nil
	}
	clients, err := bench.Clients(e.ctx, db)
	if err != nil {
		return err
	}
	// On PostgreSQL one connection stays open to find the servers'
	// backends, whose CPU is part of each request's cost.
	var pg *sql.DB
	if db.Dialect() == store.Postgres {
		pg = db.Raw()
		pg.SetMaxOpenConns(1)
	} else {
		db.Close() // the servers have the database to themselves while measuring
	}
	targets, pids, stop, err := startServers(e, *servers, first, last)
	defer stop()
	if err != nil {
		return err
	}
	cfg := bench.Config{Targets: targets, Clients: clients, Workload: *workload, Concurrency: *concurrency, Duration: *duration, Requests: *requests,
		CPU: func() (servers, client, database time.Duration) {
			for _, p := range pids {
				servers += bench.ProcessCPU(p)
			}
			return servers, bench.OwnCPU(), bench.DatabaseCPU(e.ctx, pg)
		}}
	var results []bench.Result
	for r := 0; r < *runs; r++ {
		cfg.Seed = *seed + uint64(r)
		res, err := bench.Run(e.ctx, cfg)
		if err != nil {
			return err
		}
		results = append(results, res)
		fmt.Fprintf(e.stdout, "\nRunde %d av %d: %s · %s · %d server(e) · samtidighet %d · last %s · maskinens belastning %s\n", r+1, *runs, c, db.Dialect(), *servers, *concurrency, *workload, loadAverage())
		if err := printResult(e, res); err != nil {
			return err
		}
	}
	if *runs > 1 {
		fmt.Fprintf(e.stdout, "\nMedian av %d runder:\n", *runs)
		if err := printResult(e, median(results)); err != nil {
			return err
		}
	}
	if *jsonOut != "" {
		b, err := json.MarshalIndent(map[string]any{"case": c.String(), "engine": db.Dialect().String(), "servers": *servers,
			"concurrency": *concurrency, "workload": *workload, "runs": results, "median": median(results)}, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(*jsonOut, b, 0o600)
	}
	return nil
}

// loadAverage is the machine's load average over 1, 5 and 15 minutes, as
// /proc/loadavg gives it: other work on the machine moves every figure.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "ukjent"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "ukjent"
	}
	return strings.Join(f[:3], " ")
}

func portRange(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "-")
	first, err1 := strconv.Atoi(a)
	last, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || first < 1024 || last > 65535 || first > last {
		return 0, 0, fmt.Errorf("portområdet må skrives FRA-TIL med porter fra 1024 til 65535, fikk %q", s)
	}
	return first, last, nil
}

// startServers starts n "husly serve" processes on free loopback ports of
// the range and waits until each answers /healthz. stop ends them all.
func startServers(e *env, n, first, last int) (targets []string, pids []int, stop func(), err error) {
	self, err := os.Executable()
	if err != nil {
		return nil, nil, func() {}, err
	}
	var servers []*server
	stop = func() {
		for _, s := range servers {
			if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
				fmt.Fprintf(e.stderr, "kan ikke stoppe serveren med pid %d: %v\n", s.cmd.Process.Pid, err)
			}
		}
		for _, s := range servers {
			select {
			case <-s.exited:
			case <-time.After(15 * time.Second):
				if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
					fmt.Fprintf(e.stderr, "kan ikke drepe serveren med pid %d: %v\n", s.cmd.Process.Pid, err)
				}
				<-s.exited
			}
			// A graceful stop exits 0; anything else is worth a look in the
			// log. (Interrupted, Wait reports the interruption instead.)
			if s.err != nil && e.ctx.Err() == nil {
				fmt.Fprintf(e.stderr, "serveren med pid %d avsluttet med feil: %v (se %s)\n", s.cmd.Process.Pid, s.err, s.log)
			}
		}
	}
	for port := first; port <= last && len(servers) < n; port++ {
		addr := "127.0.0.1:" + strconv.Itoa(port)
		ln, err := (&net.ListenConfig{}).Listen(e.ctx, "tcp", addr)
		if err != nil {
			continue // taken: try the next port
		}
		if err := ln.Close(); err != nil {
			return targets, pids, stop, err
		}
		logPath := filepath.Join(os.TempDir(), fmt.Sprintf("husly-bench-%d.log", port))
		logFile, err := os.Create(logPath)
		if err != nil {
			return targets, pids, stop, err
		}
		cmd := exec.CommandContext(e.ctx, self, "--db", e.dsn, "serve", "--addr", addr, "--secure-cookies=false") //nolint:gosec // husly's own binary, given the operator's own --db
		// Interrupted, the servers stop as stop stops them: gracefully.
		cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
		cmd.Stdout, cmd.Stderr = logFile, logFile
		err = cmd.Start()
		if cerr := logFile.Close(); err == nil {
			err = cerr // the child has its own copy of the file
		}
		if err != nil {
			return targets, pids, stop, err
		}
		s := &server{cmd: cmd, log: logPath, exited: make(chan struct{})}
		go func() { s.err = cmd.Wait(); close(s.exited) }()
		servers = append(servers, s)
		pids = append(pids, cmd.Process.Pid)
		url := "http://" + addr
		if err := waitHealthy(e.ctx, url, s); err != nil {
			return targets, pids, stop, fmt.Errorf("serveren på %s startet ikke (se %s): %w", addr, logPath, err)
		}
		targets = append(targets, url)
		fmt.Fprintf(e.stdout, "Server %d kjører på %s (pid %d, logg %s)\n", len(servers), url, cmd.Process.Pid, logPath)
	}
	if len(targets) < n {
		return targets, pids, stop, fmt.Errorf("fant bare %d ledige porter av %d i området %d-%d", len(targets), n, first, last)
	}
	return targets, pids, stop, nil
}

// server is one "husly serve" started by startServers.
type server struct {
	cmd    *exec.Cmd
	log    string        // the file its output goes to
	exited chan struct{} // closed when it has exited
	err    error         // how it exited; read after exited is closed
}

func waitHealthy(ctx context.Context, url string, s *server) error {
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		select {
		case <-s.exited:
			if s.err != nil {
				return fmt.Errorf("prosessen avsluttet: %w", s.err)
			}
			return errors.New("prosessen avsluttet")
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/healthz", nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("svarte ikke på /healthz innen 60 s")
}

func printResult(e *env, r bench.Result) error {
	w := tabwriter.NewWriter(e.stdout, 2, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "operasjon\tantall\tfeil\tper s\tp50 ms\tp99 ms\tp50 × healthz\tp99 × healthz\t")
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64) }
	ratio := func(a, b time.Duration) string {
		if b == 0 {
			return "–"
		}
		return strconv.FormatFloat(float64(a)/float64(b), 'f', 1, 64)
	}
	row := func(s bench.Stats) {
		fmt.Fprintf(w, "%s\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t\n", s.Name, s.Count, s.Errors, s.PerSecond, ms(s.P50), ms(s.P99), ratio(s.P50, r.Healthz.P50), ratio(s.P99, r.Healthz.P99))
	}
	row(r.Healthz)
	for _, s := range r.Ops {
		row(s)
	}
	row(r.Total)
	if err := w.Flush(); err != nil {
		return err
	}
	if r.Healthz.PerSecond > 0 {
		fmt.Fprintf(e.stdout, "Gjennomstrømning: %.0f per s, %.2f av /healthz alene.\n", r.Total.PerSecond, r.Total.PerSecond/r.Healthz.PerSecond)
	}
	if r.TotalCPU != (bench.CPU{}) {
		fmt.Fprintf(e.stdout, "CPU per forespørsel: server %s ms, PostgreSQL %s ms, lasttesten %s ms (/healthz: %s, %s og %s ms).\n",
			ms(r.TotalCPU.Server), ms(r.TotalCPU.Database), ms(r.TotalCPU.Client), ms(r.HealthzCPU.Server), ms(r.HealthzCPU.Database), ms(r.HealthzCPU.Client))
	}
	for _, s := range append([]bench.Stats{r.Healthz}, r.Ops...) {
		if s.FirstError != "" {
			fmt.Fprintf(e.stdout, "Første feil i %s: %s\n", s.Name, s.FirstError)
		}
	}
	return nil
}

// median takes each figure's median over the runs, operation by operation.
func median(rs []bench.Result) bench.Result {
	mid := func(get func(bench.Result) bench.Stats) bench.Stats {
		var p50, p99 []time.Duration
		var rate []float64
		var count, errs []int
		for _, r := range rs {
			s := get(r)
			p50, p99, rate, count, errs = append(p50, s.P50), append(p99, s.P99), append(rate, s.PerSecond), append(count, s.Count), append(errs, s.Errors)
		}
		slices.Sort(p50)
		slices.Sort(p99)
		slices.Sort(rate)
		slices.Sort(count)
		slices.Sort(errs)
		s := get(rs[0])
		s.P50, s.P99, s.PerSecond, s.Count, s.Errors, s.FirstError = p50[len(p50)/2], p99[len(p99)/2], rate[len(rate)/2], count[len(count)/2], errs[len(errs)/2], ""
		return s
	}
	out := bench.Result{Healthz: mid(func(r bench.Result) bench.Stats { return r.Healthz }), Total: mid(func(r bench.Result) bench.Stats { return r.Total })}
	midCPU := func(get func(bench.Result) time.Duration) time.Duration {
		var v []time.Duration
		for _, r := range rs {
			v = append(v, get(r))
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	cpu := func(get func(bench.Result) bench.CPU) bench.CPU {
		return bench.CPU{Server: midCPU(func(r bench.Result) time.Duration { return get(r).Server }),
			Client:   midCPU(func(r bench.Result) time.Duration { return get(r).Client }),
			Database: midCPU(func(r bench.Result) time.Duration { return get(r).Database })}
	}
	out.TotalCPU = cpu(func(r bench.Result) bench.CPU { return r.TotalCPU })
	out.HealthzCPU = cpu(func(r bench.Result) bench.CPU { return r.HealthzCPU })
	for _, o := range rs[0].Ops {
		out.Ops = append(out.Ops, mid(func(r bench.Result) bench.Stats {
			for _, s := range r.Ops {
				if s.Name == o.Name {
					return s
				}
			}
			return bench.Stats{Name: o.Name} // not sent in this run
		}))
	}
	return out
}
