package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"husly/internal/deadline"
	"husly/internal/identity"
)

// TestImportRefusesUnbornPersons runs `husly import persons` with a
// number whose birth date is after today: the line is named with the
// rule, the exit status is 1 and nobody is stored.
func TestImportRefusesUnbornPersons(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "husly.db")
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Run(append([]string{"--db", db}, args...), strings.NewReader(stdin), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, _, e := run("", "municipality", "add", "--number", "1505", "--name", "Kristiansund"); code != 0 {
		t.Fatalf("municipality add: %d %s", code, e)
	}
	b := deadline.On(time.Now()).AddDays(2)
	var unborn string
	for ind := 500; unborn == "" && ind < 750; ind++ {
		unborn, _ = identity.Make(b, ind, identity.Fodselsnummer, false)
	}
	born, _ := identity.Make(deadline.Of(1980, 5, 17), 123, identity.Fodselsnummer, false)
	for ind := 124; born == ""; ind++ {
		born, _ = identity.Make(deadline.Of(1980, 5, 17), ind, identity.Fodselsnummer, false)
	}
	file := filepath.Join(dir, "persons.csv")
	if err := os.WriteFile(file, []byte("fodselsnummer,fornavn,etternavn\n"+born+",Kari,Nordmann\n"+unborn+",Ikke,Født\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, e := run("", "--lang", "nb", "import", "persons", "--in", file)
	if code != 1 || !strings.Contains(e, "linje 3: fødselsdatoen i fødselsnummeret er etter dagens dato") || !strings.Contains(e, "Ingenting ble importert: 1 linje har feil") {
		t.Fatalf("import: exit %d, %s", code, e)
	}
	// The same refusal in English: the line, the rule and the outcome.
	code, _, e = run("", "import", "persons", "--in", file, "--lang", "en")
	if code != 1 || !strings.Contains(e, "line 3: the birth date in the national identity number is after today") || !strings.Contains(e, "Nothing was imported: 1 line has errors") {
		t.Fatalf("import in English: exit %d, %s", code, e)
	}
	if code, out, e := run("", "export", "persons", "--format", "csv"); code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("persons stored after a refused import: exit %d %q %s", code, out, e)
	}
}
