package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"husly/internal/access"
	"husly/internal/demo"
	"husly/internal/housing"
)

// op is one kind of request in a workload.
type op struct {
	name   string
	write  bool
	weight int           // share of the workload, in percent
	roles  []access.Role // who sends it
	record bool          // needs a person the client may open
	open   bool          // sent without a token
	build  func(rng *rand.Rand, c *Client) (method, path, body string)
}

var (
	readers  = []access.Role{access.CaseWorker, access.FollowUp}
	workers  = []access.Role{access.CaseWorker}
	stockers = []access.Role{access.CaseWorker, access.Property}
)

func searchOp(w int) op {
	first, last := demo.Names()
	return op{name: "personsøk", weight: w, roles: readers, build: func(rng *rand.Rand, _ *Client) (string, string, string) {
		q := strings.ToLower(string([]rune(last[rng.IntN(len(last))])[:3]))
		if rng.IntN(3) == 0 { // a first name and the start of a last name
			q = first[rng.IntN(len(first))] + " " + string([]rune(q)[:2])
		}
		return "POST", "/api/v1/persons/search", fmt.Sprintf(`{"query":%q,"limit":20}`, q)
	}}
}

func listOp(w int) op {
	return op{name: "personliste", weight: w, roles: readers, build: func(*rand.Rand, *Client) (string, string, string) {
		return "GET", "/api/v1/persons?limit=50", ""
	}}
}

// Workloads are the documented mixes (docs/performance.md).
var Workloads = map[string]func() []op{
	"sok":   func() []op { return []op{searchOp(100)} },
	"liste": func() []op { return []op{listOp(100)} },
	"blandet": func() []op {
		return []op{
			searchOp(30), listOp(15),
			{name: "personside", weight: 25, roles: readers, record: true, build: func(rng *rand.Rand, c *Client) (string, string, string) {
				return "GET", fmt.Sprintf("/api/v1/persons/%d", c.Persons[rng.IntN(len(c.Persons))]), ""
			}},
			{name: "oppgaveliste", weight: 10, roles: workers, build: func(*rand.Rand, *Client) (string, string, string) {
				return "GET", "/api/v1/tasks", ""
			}},
			{name: "boligliste", weight: 10, roles: stockers, build: func(rng *rand.Rand, _ *Client) (string, string, string) {
				return "GET", "/api/v1/units?limit=50&category=" + url.QueryEscape(housing.Categories[rng.IntN(len(housing.Categories))].Code), ""
			}},
			{name: "notat (skriv)", write: true, weight: 5, roles: workers, record: true, build: func(rng *rand.Rand, c *Client) (string, string, string) {
				return "POST", fmt.Sprintf("/api/v1/persons/%d/notes", c.Persons[rng.IntN(len(c.Persons))]),
					`{"category":"boligbehov","body":"Lasttest: samtale om boligbehov og ønsker om bydel."}`
			}},
			{name: "henvendelse (skriv)", write: true, weight: 5, roles: workers, record: true, build: func(rng *rand.Rand, c *Client) (string, string, string) {
				return "POST", fmt.Sprintf("/api/v1/persons/%d/contacts", c.Persons[rng.IntN(len(c.Persons))]),
					`{"channel":"boligkontor","residence":"midlertidig_hos_andre","summary":"Lasttest: ny henvendelse om bolig."}`
			}},
		}
	},
}

var healthz = op{name: "/healthz", weight: 100, open: true, build: func(*rand.Rand, *Client) (string, string, string) { return "GET", "/healthz", "" }}

// Config is one measured run.
type Config struct {
	Targets     []string // base URLs of the servers, loopback only
	Clients     []Client
	Workload    string
	Concurrency int
	Duration    time.Duration // used when Requests is 0
	Requests    int
	Seed        uint64
	// CPU, if set, reports the CPU time (user and system) used so far by
	// the servers and by this process; Run takes it before and after each
	// phase and reports CPU per request, steadier than wall-clock figures
	// on a shared machine. (PostgreSQL's own processes are not counted.)
	CPU func() (servers, client, database time.Duration)
}

// Stats is one operation's outcome.
type Stats struct {
	Name       string        `json:"operation"`
	Write      bool          `json:"write"`
	Count      int           `json:"requests"`
	Errors     int           `json:"errors"`
	PerSecond  float64       `json:"per_second"`
	P50        time.Duration `json:"p50_ns"`
	P99        time.Duration `json:"p99_ns"`
	FirstError string        `json:"first_error,omitempty"`
	latencies  []time.Duration
}

// Result is a run: /healthz alone first, then the workload, with the same
// servers, concurrency and clients, so ratios cancel the machine's noise.
type Result struct {
	Healthz Stats   `json:"healthz"`
	Ops     []Stats `json:"operations"`
	Total   Stats   `json:"total"`
	// CPU per request in each phase, when Config.CPU is set.
	HealthzCPU CPU `json:"healthz_cpu"`
	TotalCPU   CPU `json:"total_cpu"`
}

// CPU is the CPU time spent per request: by the servers and by the
// harness's own process (the client side of every request).
type CPU struct {
	Server   time.Duration `json:"server_ns"`
	Client   time.Duration `json:"client_ns"`
	Database time.Duration `json:"database_ns"` // PostgreSQL's processes for this database; 0 on SQLite, which runs in the server
}

// measureCPU runs fn and gives the CPU it cost per request.
func measureCPU(cfg Config, fn func() (requests int, err error)) (CPU, error) {
	if cfg.CPU == nil {
		_, err := fn()
		return CPU{}, err
	}
	s0, c0, d0 := cfg.CPU()
	n, err := fn()
	s1, c1, d1 := cfg.CPU()
	if n == 0 {
		return CPU{}, err
	}
	return CPU{Server: (s1 - s0) / time.Duration(n), Client: (c1 - c0) / time.Duration(n), Database: (d1 - d0) / time.Duration(n)}, err
}

func count(ss []Stats) int {
	n := 0
	for _, s := range ss {
		n += s.Count
	}
	return n
}

// Run measures /healthz, then the workload.
func Run(ctx context.Context, cfg Config) (Result, error) {
	mix, ok := Workloads[cfg.Workload]
	if !ok {
		return Result{}, fmt.Errorf("ukjent last %q: bruk sok, liste eller blandet", cfg.Workload)
	}
	for _, t := range cfg.Targets {
		u, err := url.Parse(t)
		if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "::1" && u.Hostname() != "localhost") {
			return Result{}, fmt.Errorf("lasttesten sender bare til maskinen selv (127.0.0.1), ikke %q", t)
		}
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Concurrency, DisableCompression: true}}
	defer client.CloseIdleConnections()
	h := cfg
	h.Duration, h.Requests = max(2*time.Second, cfg.Duration/4), cfg.Requests/4
	var hs, ops []Stats
	hcpu, err := measureCPU(cfg, func() (n int, err error) {
		hs, err = phase(ctx, client, h, []op{healthz})
		return count(hs), err
	})
	if err != nil {
		return Result{}, err
	}
	tcpu, err := measureCPU(cfg, func() (n int, err error) {
		ops, err = phase(ctx, client, cfg, mix())
		return count(ops), err
	})
	if err != nil {
		return Result{}, err
	}
	total := Stats{Name: "alle"}
	for _, s := range ops {
		total.Count += s.Count
		total.Errors += s.Errors
		total.PerSecond += s.PerSecond
		total.latencies = append(total.latencies, s.latencies...)
	}
	total.summarise(0)
	return Result{Healthz: hs[0], Ops: ops, Total: total, HealthzCPU: hcpu, TotalCPU: tcpu}, nil
}

// pick chooses among weighted items by a cumulative table.
type pick []int

func (p pick) draw(rng *rand.Rand) int {
	return sort.SearchInts(p, rng.IntN(p[len(p)-1])+1)
}

func cumulative(weights []int) pick {
	p := make(pick, len(weights))
	sum := 0
	for i, w := range weights {
		sum += w
		p[i] = sum
	}
	return p
}

func phase(ctx context.Context, client *http.Client, cfg Config, ops []op) ([]Stats, error) {
	// Who may send each operation, weighted by the municipality's size.
	senders := make([][]*Client, len(ops))
	draws := make([]pick, len(ops))
	weights := make([]int, len(ops))
	for i, o := range ops {
		weights[i] = o.weight
		var w []int
		for j := range cfg.Clients {
			c := &cfg.Clients[j]
			if (o.roles == nil || slices.Contains(o.roles, c.Role)) && (!o.record || len(c.Persons) > 0) {
				senders[i] = append(senders[i], c)
				w = append(w, c.Weight)
			}
		}
		if len(senders[i]) == 0 {
			return nil, fmt.Errorf("ingen bruker kan sende %s", o.name)
		}
		draws[i] = cumulative(w)
	}
	choose := cumulative(weights)
	// Figures are kept per operation and role: a list costs differently for
	// a case worker who sees everyone and a follow-up worker who sees few.
	var roles []access.Role
	for _, c := range cfg.Clients {
		if !slices.Contains(roles, c.Role) {
			roles = append(roles, c.Role)
		}
	}
	slot := func(i int, r access.Role) int { return i*len(roles) + slices.Index(roles, r) }
	var sent atomic.Int64
	deadline := time.Now().Add(cfg.Duration)
	per := make([][]Stats, cfg.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < cfg.Concurrency; w++ {
		per[w] = make([]Stats, len(ops)*len(roles))
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(w))) //nolint:gosec // w counts workers from 0
			target := cfg.Targets[w%len(cfg.Targets)]
			for ctx.Err() == nil {
				if cfg.Requests > 0 {
					if sent.Add(1) > int64(cfg.Requests) {
						return
					}
				} else if time.Now().After(deadline) {
					return
				}
				i := choose.draw(rng)
				c := senders[i][draws[i].draw(rng)]
				method, path, body := ops[i].build(rng, c)
				token := c.Token
				if ops[i].open {
					token = ""
				}
				took, err := do(ctx, client, method, target+path, body, token)
				role := c.Role
				if ops[i].open {
					role = roles[0] // one figure, whoever's turn it was
				}
				s := &per[w][slot(i, role)]
				s.latencies = append(s.latencies, took)
				if err != nil {
					s.Errors++
					if s.FirstError == "" {
						s.FirstError = method + " " + path + ": " + err.Error()
					}
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var out []Stats
	for i, o := range ops {
		for _, role := range roles {
			st := Stats{Name: o.name, Write: o.write}
			if !o.open {
				st.Name += " (" + string(role) + ")"
			}
			for w := range per {
				s := per[w][slot(i, role)]
				st.latencies = append(st.latencies, s.latencies...)
				st.Errors += s.Errors
				if st.FirstError == "" {
					st.FirstError = s.FirstError
				}
			}
			if st.Count = len(st.latencies); st.Count > 0 {
				st.summarise(elapsed)
				out = append(out, st)
			}
		}
	}
	return out, ctx.Err()
}

func (s *Stats) summarise(elapsed time.Duration) {
	if elapsed > 0 {
		s.PerSecond = float64(len(s.latencies)) / elapsed.Seconds()
	}
	if len(s.latencies) == 0 {
		return
	}
	slices.Sort(s.latencies)
	s.P50 = s.latencies[len(s.latencies)/2]
	s.P99 = s.latencies[min(len(s.latencies)-1, len(s.latencies)*99/100)]
}

// do sends one request and reads the whole answer; any status from 400 up
// is an error.
func do(ctx context.Context, client *http.Client, method, url, body, token string) (time.Duration, error) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return time.Since(start), err
	}
	// The answer is read to its end and dropped: keeping it would make the
	// harness, which shares the machine with the servers, allocate and
	// collect a copy of every list it is sent. Only a refusal's start is
	// kept, for the message.
	var refusal []byte
	if resp.StatusCode >= 400 {
		refusal, err = io.ReadAll(io.LimitReader(resp.Body, 200))
	}
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
	}
	resp.Body.Close()
	took := time.Since(start)
	if err != nil {
		return took, err
	}
	if resp.StatusCode >= 400 {
		return took, fmt.Errorf("status %d: %s", resp.StatusCode, strings.ToValidUTF8(string(refusal), ""))
	}
	return took, nil
}
