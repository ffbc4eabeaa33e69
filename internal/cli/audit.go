package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/mattn/go-isatty"

	"husly/internal/audit"
)

// auditCmd checks the audit chain: every entry's hash and its link to the
// one before. A broken chain exits with status 1 and names the entry.
func auditCmd(e *env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return exitError{2, "Bruk: husly audit verify"}
	}
	fs := e.flags("audit verify")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	var progress func(int)
	if f, ok := e.stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		progress = func(n int) { fmt.Fprintf(e.stderr, "\r%d oppføringer kontrollert …", n) }
	}
	r, err := audit.Verify(e.ctx, db, progress)
	if progress != nil {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	if r.Broken != nil {
		return exitError{1, r.Broken.Error() + fmt.Sprintf(" (%d oppføringer før den var hele)", r.Entries)}
	}
	fmt.Fprintf(e.stdout, "Revisjonskjeden er hel: %d oppføringer i %d kommuner kontrollert på %.1f s.\n", r.Entries, r.Chains, time.Since(start).Seconds())
	return nil
}
