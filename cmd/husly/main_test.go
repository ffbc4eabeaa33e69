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

	"husly/internal/audit"
	"husly/internal/demo"
	"husly/internal/demo/demotest"
	"husly/internal/identity"
	"husly/internal/keys"
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
	cmd := exec.Command(binary, append([]string{"--db", dsn, "--lang", "nb"}, args...)...) // the tests read bokmål whatever LANG says
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

// Acknowledged writes survive SIGKILL, and the database stays sound.
func TestDurabilityUnderSIGKILL(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			demotest.SeedDSN(t, dsn)
			token, _, code := husly(t, dsn, "", "token", "create", "--user", "demo-saksbehandler", "--scope", "les,skriv")
			if code != 0 {
				t.Fatal("token create failed")
			}
			token = strings.TrimSpace(token)
			// A person the case worker's unit follows, to read while writing.
			seed, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			var reader string
			var readPerson int64
			err = seed.QueryRowContext(context.Background(), `SELECT c.person_id, u.full_name FROM case_units c JOIN users u ON u.org_unit_id = c.org_unit_id
				JOIN persons p ON p.id = c.person_id WHERE u.username = 'demo-saksbehandler' AND c.ended_at IS NULL AND p.restricted = ? ORDER BY c.person_id LIMIT 1`,
				false).Scan(&readPerson, &reader)
			seed.Close()
			if err != nil {
				t.Fatal(err)
			}
			srv := startServer(t, dsn)

			var mu sync.Mutex
			var killed atomic.Bool
			acked := map[string]bool{}
			ackedReads := 0
			var wg sync.WaitGroup
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			client := &http.Client{Timeout: 5 * time.Second}
			// Readers: a read answered with the person's data must have its
			// access-log row committed before the answer, so every one
			// acknowledged here is in the log after the kill.
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for ctx.Err() == nil {
						req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/persons/%d", srv.url, readPerson), nil)
						req.Header.Set("Authorization", "Bearer "+token)
						resp, err := client.Do(req)
						if err != nil {
							return
						}
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte(`"id"`)) {
							mu.Lock()
							ackedReads++
							mu.Unlock()
						}
					}
				}()
			}
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
			var logged int
			if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM access_reads WHERE person_id = ? AND channel = 'api' AND user_name LIKE ?",
				readPerson, reader+"%").Scan(&logged); err != nil {
				t.Fatal(err)
			}
			if ackedReads == 0 || logged < ackedReads {
				t.Fatalf("%d reads acknowledged, %d in the access log after SIGKILL", ackedReads, logged)
			}
			if r, err := audit.Verify(context.Background(), db, nil, nil); err != nil || !r.Whole() {
				t.Fatalf("chains after SIGKILL: %+v %v", r.Broken, err)
			}
			t.Logf("%d acknowledged writes and %d acknowledged reads (%d access-log rows), all present after SIGKILL", len(acked), ackedReads, logged)
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
			if code == 0 || !strings.HasPrefix(lines[0], "linje 3: ") || !strings.HasPrefix(lines[1], "linje 4: ") {
				t.Fatalf("bad import: exit %d, stderr %q", code, stderr)
			}
			out, _, code = husly(t, dsn, "", "export", "persons", "--format", "csv")
			rows := strings.Split(strings.TrimSpace(out), "\n")
			if code != 0 || !strings.HasPrefix(rows[0], "fodselsnummer,fornavn,etternavn") || len(rows) != 3 {
				t.Fatalf("export after a rejected import: %q", out)
			}
			// The export is in the access log as one, for each person
			// written, with the identity number among what was read.
			db, err = store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			var persons int
			err = db.QueryRowContext(context.Background(), `SELECT COUNT(DISTINCT person_id) FROM access_reads
				WHERE channel = 'eksport' AND basis = 'drift' AND categories LIKE '%fodselsnummer%'`).Scan(&persons)
			db.Close()
			if err != nil || persons != 2 {
				t.Fatalf("the export logged %d persons (%v), want 2", persons, err)
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

// A serving Husly writes a signed checkpoint at start, every interval and
// at stop; a bad interval is refused.
func TestServeWritesCheckpoints(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			checkpoints := filepath.Join(t.TempDir(), "husly.jsonl")
			t.Setenv("HUSLY_CHECKPOINTS", checkpoints)
			husly(t, dsn, "", "municipality", "add", "--number", "1505", "--name", "Kristiansund")
			t.Setenv("HUSLY_CHECKPOINT_INTERVAL", "tre minutter")
			if _, stderr, code := husly(t, dsn, "", "serve", "--addr", "127.0.0.1:0"); code != 2 || !strings.Contains(stderr, "er ikke en varighet") {
				t.Fatalf("bad interval: %d %q", code, stderr)
			}
			t.Setenv("HUSLY_CHECKPOINT_INTERVAL", "200ms")
			srv := startServer(t, dsn)
			time.Sleep(700 * time.Millisecond)
			// One change while serving: one periodic checkpoint, as the
			// unchanged intervals before and after it write none.
			husly(t, dsn, "", "municipality", "add", "--number", "1506", "--name", "Molde")
			time.Sleep(700 * time.Millisecond)
			if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			// SIGTERM is a graceful stop: the stop checkpoint is written and
			// husly exits 0.
			if err := srv.cmd.Wait(); err != nil {
				t.Fatalf("husly serve after SIGTERM: %v", err)
			}
			b, err := os.ReadFile(checkpoints)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			if len(lines) != 3 || !strings.Contains(lines[0], `"reason":"oppstart"`) || !strings.Contains(lines[1], `"reason":"periodisk"`) ||
				!strings.Contains(lines[2], `"reason":"stopp"`) || strings.Count(lines[1], "municipality_id") != 2 {
				t.Fatalf("%d checkpoints: %s", len(lines), b)
			}
			if out, stderr, code := husly(t, dsn, "", "audit", "verify"); code != 0 || !strings.Contains(out, "det siste fra") {
				t.Fatalf("verify: %d %s %s", code, out, stderr)
			}
		})
	}
}

// A backup taken while the server runs restores into an empty database.
func TestBackupWhileServing(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			demotest.SeedDSN(t, dsn)
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

// tamper runs statements on the database behind Husly's back, with the
// append-only triggers dropped first, as a database administrator could.
func tamper(t *testing.T, db *store.DB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	if db.Dialect() == store.SQLite {
		for _, tr := range []string{"audit_log_no_update", "audit_log_no_delete", "access_log_no_update", "access_log_no_delete"} {
			if _, err := db.ExecContext(ctx, "DROP TRIGGER IF EXISTS "+tr); err != nil {
				t.Fatal(err)
			}
		}
	} else {
		for _, table := range []string{"audit_log", "access_log"} {
			if _, err := db.ExecContext(ctx, "DROP TRIGGER IF EXISTS "+table+"_append_only ON "+table); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rewriteAudit changes the actor of one audit entry and recomputes every
// later link, with ring's active chain key: the real ring for an attacker
// who has the key, another ring for one who does not.
func rewriteAudit(t *testing.T, db *store.DB, ring *keys.Ring, muni, seq int64) {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash
		FROM audit_log WHERE municipality_id = ? AND seq >= ? ORDER BY seq`, muni, seq)
	type entry struct {
		id, seq, entityID                              int64
		at, actor, action, entity, before, after, prev string
	}
	es, err := store.Collect(rows, err, func(r store.Scanner) (e entry, err error) {
		err = r.Scan(&e.id, &e.seq, &e.at, &e.actor, &e.action, &e.entity, &e.entityID, &e.before, &e.after, &e.prev)
		return e, err
	})
	if err != nil || len(es) == 0 {
		t.Fatalf("no entries to rewrite: %v", err)
	}
	tamper(t, db)
	prev := es[0].prev
	for i, e := range es {
		if i == 0 {
			e.actor = "Noen andre (angriper)"
		}
		mac, err := audit.MAC(ring, ring.ChainActive, prev, muni, e.seq, e.at, e.actor, e.action, e.entity, e.entityID, e.before, e.after)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ?, key_id = ? WHERE id = ?",
			e.actor, prev, mac, ring.ChainActive, e.id); err != nil {
			t.Fatal(err)
		}
		prev = mac
	}
}

// Each attack on the audit chain and the access log is caught by husly
// audit verify, which names what broke and exits 1: an entry rewritten
// with recomputed links (without the key, and with it), the newest entries
// removed, a municipality's whole chain removed, an access-log row edited.
func TestAuditAttacksAreCaught(t *testing.T) {
	attacks := []struct {
		name   string
		attack func(t *testing.T, db *store.DB, muni int64)
		want   string
	}{
		{"rewrite with links recomputed without the key", func(t *testing.T, db *store.DB, muni int64) {
			other := &keys.Ring{ChainActive: "m1", Chain: map[string][]byte{"m1": []byte(strings.Repeat("k", 32))}}
			rewriteAudit(t, db, other, muni, 2)
		}, "revisjonskjeden er brutt i kommune 2 ved oppføring 2 (id"},
		{"rewrite with links recomputed with the key", func(t *testing.T, db *store.DB, muni int64) {
			rewriteAudit(t, db, db.Keys(), muni, 2)
		}, "ikke den kontrollpunktet fra"},
		{"newest entries removed", func(t *testing.T, db *store.DB, muni int64) {
			tamper(t, db, fmt.Sprintf("DELETE FROM audit_log WHERE municipality_id = %d AND seq > 1", muni),
				fmt.Sprintf("DELETE FROM access_log WHERE municipality_id = %d AND seq > 1", muni))
		}, "de nyeste oppføringene er fjernet"},
		{"whole municipality removed", func(t *testing.T, db *store.DB, muni int64) {
			tamper(t, db, fmt.Sprintf("DELETE FROM audit_log WHERE municipality_id = %d", muni),
				fmt.Sprintf("DELETE FROM access_log WHERE municipality_id = %d", muni))
		}, "kommunens hele kjede er fjernet"},
		{"access-log row edited", func(t *testing.T, db *store.DB, muni int64) {
			tamper(t, db, fmt.Sprintf("UPDATE access_log SET user_name = 'Ingen' WHERE municipality_id = %d AND seq = 2", muni))
		}, "innsynsloggen er brutt i kommune 2 ved oppføring 2 (id"},
	}
	for _, engine := range storetest.Engines(t) {
		for _, a := range attacks {
			t.Run(engine+"/"+a.name, func(t *testing.T) {
				dsn := storetest.DSN(t, engine)
				checkpoints := filepath.Join(t.TempDir(), "kontrollpunkter", "husly.jsonl")
				t.Setenv("HUSLY_CHECKPOINTS", checkpoints)
				dir := t.TempDir()
				for i, m := range []string{"1505", "1506"} {
					if _, stderr, code := husly(t, dsn, "", "municipality", "add", "--number", m, "--name", "Kommune "+m); code != 0 {
						t.Fatal(stderr)
					}
					db, err := store.Open(context.Background(), dsn)
					if err != nil {
						t.Fatal(err)
					}
					if err := store.SetSetting(context.Background(), db, "environment", "test"); err != nil {
						t.Fatal(err)
					}
					db.Close()
					file := filepath.Join(dir, m+".csv")
					if err := os.WriteFile(file, []byte("fodselsnummer,fornavn,etternavn\n"+identity.Synthetic(10*i+1)+",Kari,Nordmann\n"+identity.Synthetic(10*i+2)+",Ola,Nordmann\n"), 0o600); err != nil {
						t.Fatal(err)
					}
					if _, stderr, code := husly(t, dsn, "", "import", "persons", "--in", file, "--kommune", m); code != 0 {
						t.Fatal(stderr)
					}
					// Each export logs its reads.
					for j := 0; j < 3; j++ {
						if _, stderr, code := husly(t, dsn, "", "export", "persons", "--kommune", m); code != 0 {
							t.Fatal(stderr)
						}
					}
				}
				// No checkpoint yet: that is said, and is not a pass.
				_, stderr, code := husly(t, dsn, "", "audit", "verify")
				if code != 1 || !strings.Contains(stderr, "filen finnes ikke") {
					t.Fatalf("verify without checkpoints: exit %d, %q", code, stderr)
				}
				if out, stderr, code := husly(t, dsn, "", "audit", "checkpoint"); code != 0 || !strings.Contains(out, "Kontrollpunkt skrevet") {
					t.Fatalf("checkpoint: %d %s %s", code, out, stderr)
				}
				// The chains may grow after a checkpoint.
				husly(t, dsn, "", "export", "persons", "--kommune", "1505")
				out, stderr, code := husly(t, dsn, "", "audit", "verify")
				if code != 0 || !strings.Contains(out, "Revisjonskjeden er hel") || !strings.Contains(out, "Innsynsloggen er hel") {
					t.Fatalf("clean chains: %d %s %s", code, out, stderr)
				}
				db, err := store.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				var muni int64
				if err := db.QueryRowContext(context.Background(), "SELECT id FROM municipalities WHERE number = '1506'").Scan(&muni); err != nil || muni != 2 {
					t.Fatalf("municipality 1506: %d %v", muni, err)
				}
				a.attack(t, db, muni)
				_, stderr, code = husly(t, dsn, "", "audit", "verify")
				if code != 1 || !strings.Contains(stderr, a.want) || !strings.Contains(stderr, "IKKE hele") {
					t.Fatalf("after the attack: exit %d, %q", code, stderr)
				}
				t.Logf("%s", strings.Split(stderr, "\n")[0])
			})
		}
	}
}

// A checkpoint file edited by hand fails its signature, and verify says so.
func TestCheckpointTamperingIsCaught(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			checkpoints := filepath.Join(t.TempDir(), "husly.jsonl")
			husly(t, dsn, "", "municipality", "add", "--number", "1505", "--name", "Kristiansund")
			if _, stderr, code := husly(t, dsn, "", "audit", "checkpoint", "--checkpoints", checkpoints); code != 0 {
				t.Fatal(stderr)
			}
			b, err := os.ReadFile(checkpoints)
			if err != nil {
				t.Fatal(err)
			}
			forged := strings.Replace(string(b), `"count":`, `"count":1`, 1)
			if forged == string(b) {
				t.Fatalf("no count in %s", b)
			}
			if err := os.WriteFile(checkpoints, []byte(forged), 0o600); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := husly(t, dsn, "", "audit", "verify", "--checkpoints", checkpoints)
			if code != 1 || !strings.Contains(stderr, "ugyldig signatur") || !strings.Contains(stderr, "linje 1") {
				t.Fatalf("forged checkpoint: exit %d, %q", code, stderr)
			}
			if out, _, code := husly(t, dsn, "", "audit", "verify", "--no-checkpoint"); code != 0 || !strings.Contains(out, "Uten kontrollpunkt") {
				t.Fatalf("--no-checkpoint: %d %s", code, out)
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
			// The demo is made here, not copied from the process's
			// template: its numbers must be sealed under this test's ring.
			seedDB, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			_, err = demo.Create(context.Background(), seedDB, 1)
			seedDB.Close()
			if err != nil {
				t.Fatal(err)
			}
			// A checkpoint signed before the rotation still verifies after it.
			checkpoints := filepath.Join(t.TempDir(), "husly.jsonl")
			if _, stderr, code := husly(t, dsn, "", "audit", "checkpoint", "--checkpoints", checkpoints); code != 0 {
				t.Fatal(stderr)
			}
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
			if out, stderr, code := husly(t, dsn, "", "audit", "verify", "--checkpoints", checkpoints); code != 0 || !strings.Contains(out, "Revisjonskjeden er hel") {
				t.Fatalf("chains after rotation: %d %s %s", code, out, stderr)
			}
		})
	}
}
