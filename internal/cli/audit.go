package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"husly/internal/audit"
)

// auditCmd checks both tamper-evident logs (husly audit verify) or writes
// a signed checkpoint of their heads (husly audit checkpoint).
func auditCmd(e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "verify":
			return auditVerify(e, args[1:])
		case "checkpoint":
			return auditCheckpoint(e, args[1:])
		}
	}
	return exitError{2, "Bruk: husly audit verify [--checkpoints FIL] [--no-checkpoint] | husly audit checkpoint [--checkpoints FIL]"}
}

// checkpointsFlag adds --checkpoints: where signed checkpoints are kept.
func (e *env) checkpointsFlag(fs *flag.FlagSet) *string {
	return fs.String("checkpoints", "", "file of signed checkpoints of the audit chain and access log, appended to (env HUSLY_CHECKPOINTS; default husly-checkpoints.jsonl beside the key file)")
}

func (e *env) checkpointsPath(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return audit.DefaultCheckpoints(e.dsn)
}

// auditVerify recomputes every MAC of the audit chain and the access log
// and holds both against the signed checkpoints. Anything broken, or no
// checkpoint to hold them against, exits with status 1 and says what.
func auditVerify(e *env, args []string) error {
	fs := e.flags("audit verify")
	path := e.checkpointsFlag(fs)
	without := fs.Bool("no-checkpoint", false, "verify the chains without a checkpoint (truncation and removed municipalities then go unnoticed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	file := e.checkpointsPath(*path)
	id, err := audit.DatabaseID(e.ctx, db)
	if err != nil {
		return err
	}
	// The checkpoints are read before the chains: the chains may only have
	// grown since.
	var cps []audit.Checkpoint
	var noCheckpoint error
	if !*without {
		cps, err = audit.Load(file, id, db.Keys())
		var none audit.ErrNoCheckpoints
		if errors.As(err, &none) {
			noCheckpoint, err = none, nil
		}
		if err != nil {
			return exitError{1, "Kontrollpunktene kan ikke brukes: " + err.Error()}
		}
	}
	var progress func(int)
	if f, ok := e.stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		progress = func(n int) { fmt.Fprintf(e.stderr, "\r%d oppføringer kontrollert …", n) }
	}
	r, err := audit.Verify(e.ctx, db, cps, progress)
	if progress != nil {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	summary := fmt.Sprintf("Revisjonskjeden: %d oppføringer i %d kommuner. Innsynsloggen: %d rader i %d kommuner.",
		r.Audit.Entries, r.Audit.Chains, r.Access.Entries, r.Access.Chains)
	if !r.Whole() {
		var b strings.Builder
		for _, br := range r.Broken {
			b.WriteString(br.Error() + "\n")
		}
		fmt.Fprintf(&b, "Kjedene er IKKE hele (%d feil). Kontrollert til bruddene: %s", len(r.Broken), summary)
		if r.Checkpoint != nil {
			fmt.Fprintf(&b, " Holdt mot kontrollpunktet fra %s i %s.", r.Checkpoint.At, file)
		}
		return exitError{1, b.String()}
	}
	if noCheckpoint != nil {
		return exitError{1, fmt.Sprintf("Kjedene er hele så langt de kan kontrolleres (%s), men %v. Skriv et kontrollpunkt med 'husly audit checkpoint', "+
			"eller kjør med --no-checkpoint for å kontrollere uten.", summary, noCheckpoint)}
	}
	fmt.Fprintf(e.stdout, "Revisjonskjeden er hel: %d oppføringer i %d kommuner. Innsynsloggen er hel: %d rader i %d kommuner.\n",
		r.Audit.Entries, r.Audit.Chains, r.Access.Entries, r.Access.Chains)
	if r.Checkpoint != nil {
		fmt.Fprintf(e.stdout, "Holdt mot %d kontrollpunkter i %s, det siste fra %s (%s).\n", len(cps), file, r.Checkpoint.At, r.Checkpoint.Reason)
	} else {
		fmt.Fprintln(e.stdout, "Uten kontrollpunkt (--no-checkpoint): at de nyeste oppføringene eller en hel kommunes kjede er fjernet, er ikke kontrollert.")
	}
	fmt.Fprintf(e.stdout, "Kontrollert på %.1f s.\n", time.Since(start).Seconds())
	return nil
}

// auditCheckpoint writes a signed checkpoint now (for cron, or before
// handing the database to someone).
func auditCheckpoint(e *env, args []string) error {
	fs := e.flags("audit checkpoint")
	path := e.checkpointsFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	file := e.checkpointsPath(*path)
	c, err := audit.Write(e.ctx, db, file, audit.ReasonManual)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Kontrollpunkt skrevet til %s: revisjonskjeden i %d kommuner, innsynsloggen i %d kommuner, signert med %s.\n",
		file, len(c.Audit), len(c.Access), c.KeyID)
	return nil
}
