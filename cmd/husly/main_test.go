package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"husly/internal/demo"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

var binary string

// TestMain builds the real husly binary once; these tests run it as a user would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "husly-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "husly")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build husly: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir) // a temporary directory: the tests' result is what counts
	os.Exit(code)
}

// husly runs the binary with args and returns stdout, stderr and the exit code.
func husly(t *testing.T, dsn string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"--db", dsn}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// server is a running `husly serve`.
type server struct {
	cmd *exec.Cmd
	url string
}

func startServer(t *testing.T, dsn string) server {
	t.Helper()
	cmd := exec.Command(binary, "--db", dsn, "serve", "--addr", "127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }) // stopped on purpose: its exit status says nothing
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("server did not start: %v", err)
	}
	i := strings.Index(line, "http://")
	url := strings.Fields(line[i:])[0]
	go func() { _, _ = io.Copy(io.Discard, stdout) }() // ends when the server stops
	return server{cmd, url}
}

func seedDemo(t *testing.T, dsn string) {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Create(context.Background(), db, 1); err != nil {
		t.Fatal(err)
	}
}

// Acknowledged writes survive SIGKILL, and the database stays sound.
func TestDurabilityUnderSIGKILL(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			seedDemo(t, dsn)
			token, _, code := husly(t, dsn, "", "token", "create", "--user", "demo-saksbehandler", "--scope", "les,skriv")
			if code != 0 {
				t.Fatal("token create failed")
			}
			token = strings.TrimSpace(token)
			srv := startServer(t, dsn)

			var mu sync.Mutex
			var killed atomic.Bool
			acked := map[string]bool{}
			var wg sync.WaitGroup
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			client := &http.Client{Timeout: 5 * time.Second}
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; ctx.Err() == nil; i++ {
						number := identity.Synthetic(50000 + w*10000 + i)
						body := fmt.Sprintf(`{"identity_number":%q,"first_name":"Varig","last_name":"Skriving %d-%d"}`, number, w, i)
						req, _ := http.NewRequest("POST", srv.url+"/api/v1/persons", strings.NewReader(body))
						req.Header.Set("Content-Type", "application/json")
						req.Header.Set("Authorization", "Bearer "+token)
						resp, err := client.Do(req)
						if err != nil {
							if killed.Load() {
								return // the server is gone
							}
							continue // slow under load: an unacknowledged write proves nothing, try the next
						}
						_, _ = io.Copy(io.Discard, resp.Body) // the server may be killed mid-answer
						resp.Body.Close()
						if resp.StatusCode == http.StatusCreated {
							mu.Lock()
							acked[number] = true
							mu.Unlock()
						}
					}
				}(w)
			}
			// Kill the server in the middle of the stream.
			for {
				mu.Lock()
				n := len(acked)
				mu.Unlock()
				if n >= 200 {
					break
				}
				if ctx.Err() != nil {
					t.Fatalf("only %d writes acknowledged before timeout", n)
				}
				time.Sleep(5 * time.Millisecond)
			}
			killed.Store(true)
			if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = srv.cmd.Wait() // "signal: killed", as intended
			cancel()
			wg.Wait()

			// Restart on the same database and look for every acknowledged write.
			srv2 := startServer(t, dsn)
			resp, err := http.Get(srv2.url + "/readyz")
			if err != nil {
				t.Fatalf("server not ready after restart: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("server not ready after restart: %d", resp.StatusCode)
			}
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.CheckIntegrity(context.Background()); err != nil {
				t.Fatal(err)
			}
			missing := 0
			for number := range acked {
				var n int
				if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM persons WHERE identity_hash = ?", db.Keys().Blind(number)).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != 1 {
					missing++
				}
			}
			if missing > 0 {
				t.Fatalf("%d of %d acknowledged writes lost after SIGKILL", missing, len(acked))
			}
			t.Logf("%d acknowledged writes, all present after SIGKILL", len(acked))
		})
	}
}

// The import and export contract, through the real binary.
func TestImportExportContract(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			// A fresh production database: synthetic numbers are refused there,
			// so this test marks its database as a test database first.
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			if err := store.SetSetting(context.Background(), db, "environment", "test"); err != nil {
				t.Fatal(err)
			}
			db.Close()
			dir := t.TempDir()
			if _, stderr, code := husly(t, dsn, "", "import", "persons", "--in", filepath.Join(dir, "x.csv")); code == 0 || !strings.Contains(stderr, "ingen kommune") && !strings.Contains(stderr, "kan ikke åpne") {
				t.Fatalf("import without file: %d %s", code, stderr)
			}
			if _, _, code := husly(t, dsn, "", "municipality", "add", "--number", "1505", "--name", "Kristiansund"); code != 0 {
				t.Fatal("municipality add failed")
			}
			good := filepath.Join(dir, "good.csv")
			if err := os.WriteFile(good, []byte("fodselsnummer,fornavn,etternavn\n"+identity.Synthetic(1)+",Kari,Nordmann\n"+identity.Synthetic(2)+",Ola,Nordmann\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			out, stderr, code := husly(t, dsn, "", "import", "persons", "--in", good)
			if code != 0 || !strings.Contains(out, "Importerte 2 personer") {
				t.Fatalf("good import: %d %q %q", code, out, stderr)
			}
			bad := filepath.Join(dir, "bad.csv")
			if err := os.WriteFile(bad, []byte("fodselsnummer,fornavn,etternavn\n"+identity.Synthetic(3)+",Per,Hansen\n12345678901,Feil,Nummer\n"+identity.Synthetic(1)+",Kari,Igjen\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			_, stderr, code = husly(t, dsn, "", "import", "persons", "--in", bad)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code == 0 || !strings.HasPrefix(lines[0], "line 3: ") || !strings.HasPrefix(lines[1], "line 4: ") {
				t.Fatalf("bad import: exit %d, stderr %q", code, stderr)
			}
			out, _, code = husly(t, dsn, "", "export", "persons", "--format", "csv")
			rows := strings.Split(strings.TrimSpace(out), "\n")
			if code != 0 || !strings.HasPrefix(rows[0], "fodselsnummer,fornavn,etternavn") || len(rows) != 3 {
				t.Fatalf("export after a rejected import: %q", out)
			}
			units := filepath.Join(dir, "units.csv")
			if err := os.WriteFile(units, []byte("boligkode,adresse,kategori,rom,areal,husleie\nA-1,Gata 1,ordinaer,2,50,8000\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, stderr, code := husly(t, dsn, "", "import", "units", "--in", units); code != 0 {
				t.Fatalf("units import: %s %s", out, stderr)
			}
			out, _, _ = husly(t, dsn, "", "export", "units", "--format", "csv")
			if !strings.HasPrefix(out, "boligkode,adresse,kategori,rom,areal,husleie,") || !strings.Contains(out, "A-1,Gata 1,ordinaer,2,50,8000") {
				t.Fatalf("units export: %q", out)
			}
			if _, stderr, code := husly(t, dsn, "", "import", "persons", "--in", good, "--kommune", "9999"); code == 0 || !strings.Contains(stderr, "ukjent kommune") {
				t.Fatalf("unknown municipality: %d %q", code, stderr)
			}
		})
	}
}

// A backup taken while the server runs restores into an empty database.
func TestBackupWhileServing(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			seedDemo(t, dsn)
			startServer(t, dsn)
			file := filepath.Join(t.TempDir(), "husly.backup")
			if out, stderr, code := husly(t, dsn, "", "backup", "--out", file); code != 0 {
				t.Fatalf("backup: %s %s", out, stderr)
			}
			target := storetest.DSN(t, engine)
			out, stderr, code := husly(t, target, "", "restore", "--in", file)
			if code != 0 || !strings.Contains(out, "Gjenopprettet") {
				t.Fatalf("restore: %s %s", out, stderr)
			}
			if _, stderr, code := husly(t, target, "", "restore", "--in", file); code == 0 || !strings.Contains(stderr, "allerede data") {
				t.Fatalf("second restore: %d %s", code, stderr)
			}
		})
	}
}

// husly audit verify finds an entry changed behind Husly's back.
func TestAuditVerifyCatchesTampering(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			seedDemo(t, dsn)
			out, stderr, code := husly(t, dsn, "", "audit", "verify")
			if code != 0 || !strings.Contains(out, "Revisjonskjeden er hel") {
				t.Fatalf("clean chain: %d %s %s", code, out, stderr)
			}
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			if engine == "sqlite" {
				if _, err := db.ExecContext(ctx, "DROP TRIGGER audit_log_no_update"); err != nil {
					t.Fatal(err)
				}
			} else {
				if _, err := db.ExecContext(ctx, "DROP TRIGGER audit_log_append_only ON audit_log"); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.ExecContext(ctx, "UPDATE audit_log SET after_json = REPLACE(after_json, 'Kristiansund', 'Molde') WHERE seq = 1"); err != nil {
				t.Fatal(err)
			}
			_, stderr, code = husly(t, dsn, "", "audit", "verify")
			if code != 1 || !strings.Contains(stderr, "ved oppføring 1 ") {
				t.Fatalf("tampered chain: exit %d, %q", code, stderr)
			}
		})
	}
}

// husly keys rotate re-encrypts every identity number with a new key, and
// the numbers still read back.
func TestKeysRotate(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			// Its own key file: rotation must not touch the other tests' ring.
			keyFile := filepath.Join(t.TempDir(), "keys.json")
			t.Setenv("HUSLY_KEYS_FILE", keyFile)
			seedDemo(t, dsn)
			before, _, _ := husly(t, dsn, "", "export", "persons")
			out, stderr, code := husly(t, dsn, "", "keys", "rotate")
			if code != 0 || !strings.Contains(out, "Ny aktiv nøkkel k2") {
				t.Fatalf("rotate: %d %s %s", code, out, stderr)
			}
			after, _, _ := husly(t, dsn, "", "export", "persons")
			if before != after || !strings.Contains(after, "fodselsnummer") {
				t.Fatal("the numbers read differently after rotation")
			}
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var old int
			if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM persons WHERE identity_enc NOT LIKE 'k2:%'").Scan(&old); err != nil {
				t.Fatal(err)
			}
			if old != 0 {
				t.Fatalf("%d numbers still under the old key", old)
			}
			if _, _, code := husly(t, dsn, "", "audit", "verify"); code != 0 {
				t.Fatal("audit chain broken after rotation")
			}
		})
	}
}
