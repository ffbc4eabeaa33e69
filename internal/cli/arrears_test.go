package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestImportArrears runs `husly import arrears` on a lease: the file is
// stored with a conversation task, the same file again changes nothing,
// and a bad file names its lines and stores nothing, on each engine.
func TestImportArrears(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dir := t.TempDir()
			dsn := storetest.DSN(t, engine)
			run := func(args ...string) (int, string, string) {
				var out, errOut bytes.Buffer
				code := Run(append([]string{"--db", dsn, "--lang", "nb"}, args...), strings.NewReader(""), &out, &errOut)
				return code, out.String(), errOut.String()
			}
			if code, _, e := run("municipality", "add", "--number", "1505", "--name", "Kristiansund"); code != 0 {
				t.Fatalf("municipality add: %d %s", code, e)
			}
			number, _ := identity.Make(deadline.Of(1980, 5, 17), 123, identity.Fodselsnummer, false)
			for ind := 124; number == ""; ind++ {
				number, _ = identity.Make(deadline.Of(1980, 5, 17), ind, identity.Fodselsnummer, false)
			}
			persons := filepath.Join(dir, "persons.csv")
			if err := os.WriteFile(persons, []byte("fodselsnummer,fornavn,etternavn\n"+number+",Kari,Nordmann\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if code, _, e := run("import", "persons", "--in", persons); code != 0 {
				t.Fatalf("import persons: %d %s", code, e)
			}
			ctx := context.Background()
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			now := store.TimeArg(time.Now())
			var lease int64
			err = db.QueryRowContext(ctx, `INSERT INTO units (municipality_id, code, address, category, control, rooms, area_m2, rent_monthly, created_at, updated_at)
				SELECT id, 'A-1', 'Storgata 1', 'ordinaer', 'kf', 1, 30, 7250, ?, ? FROM municipalities RETURNING id`, now, now).Scan(&lease)
			if err == nil {
				err = db.QueryRowContext(ctx, `INSERT INTO leases (municipality_id, unit_id, start_date, rent_monthly, deposit, status, created_at)
					SELECT municipality_id, id, '2026-01-01', 7250, 0, 'aktiv', ? FROM units RETURNING id`, now).Scan(&lease)
			}
			if err == nil {
				_, err = db.ExecContext(ctx, "INSERT INTO lease_tenants (lease_id, person_id, municipality_id) SELECT ?, id, municipality_id FROM persons", lease)
			}
			if err != nil {
				t.Fatal(err)
			}
			count := func(q string) (n int) {
				if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			db.Close()
			l := strconv.FormatInt(lease, 10)
			file := filepath.Join(dir, "restanser.csv")
			if err := os.WriteFile(file, []byte("leieforhold;fodselsnummer;forfall_id;type;forfallsdato;belop;utestaende\n"+
				l+";"+number+";F-1;husleie;01.11.2026;7250;\n"+l+";"+number+";F-2;strom;15.11.2026;812,50;400\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, e := run("import", "arrears", "--in", file)
			if code != 0 || !strings.Contains(out, "2 nye forfall") || !strings.Contains(out, "1 nye samtaler") {
				t.Fatalf("import arrears: %d %s %s", code, out, e)
			}
			code, out, e = run("import", "arrears", "--in", file)
			if code != 0 || !strings.Contains(out, "er mottatt før; ingenting er endret") {
				t.Fatalf("the same file again: %d %s %s", code, out, e)
			}
			bad := filepath.Join(dir, "feil.csv")
			if err := os.WriteFile(bad, []byte("leieforhold;fodselsnummer;forfall_id;type;forfallsdato;belop\n"+
				l+";"+number+";F-3;husleie;01.11.2026;72x0\n999;"+number+";F-4;husleie;01.11.2026;100\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			code, _, e = run("import", "arrears", "--in", bad)
			if code != 1 || !strings.Contains(e, "linje 2: belop «72x0»") || !strings.Contains(e, "linje 3: leieforholdet 999 finnes ikke") {
				t.Fatalf("bad file: %d %s", code, e)
			}
			if db, err = store.Open(ctx, dsn); err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if n := count("SELECT COUNT(*) FROM arrears_dues"); n != 2 {
				t.Errorf("%d dues, want 2", n)
			}
			if n := count("SELECT COUNT(*) FROM arrears_conversations"); n != 1 {
				t.Errorf("%d conversations, want 1", n)
			}
		})
	}
}
