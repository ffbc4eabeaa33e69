package cli

import (
	"fmt"
	"os"
	"time"

	"husly/internal/audit"
	"husly/internal/backup"
)

func backupCmd(e *env, args []string) error {
	fs := e.flags("backup")
	out := fs.String("out", "", "file to write the backup to")
	checkpoints := e.checkpointsFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return exitError{2, "Oppgi filen med --out FIL"}
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	// A signed checkpoint before the copy: the chains only grow, so the
	// backup holds at least what the checkpoint signed.
	file := e.checkpointsPath(*checkpoints)
	if _, err := audit.Write(e.ctx, db, file, audit.ReasonBackup); err != nil {
		return fmt.Errorf("kontrollpunktet for sikkerhetskopien kunne ikke skrives (ingen kopi er tatt): %w", err)
	}
	// Write to a temporary name and rename, so a half-written file never
	// looks like a backup.
	tmp := *out + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	start := time.Now()
	st, err := backup.Write(e.ctx, db, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp) // best effort: the error that matters is err
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Sikkerhetskopi skrevet til %s: %d tabeller, %d rader, %.1f s.\n", *out, st.Tables, st.Rows, time.Since(start).Seconds())
	return nil
}

func restoreCmd(e *env, args []string) error {
	fs := e.flags("restore")
	in := fs.String("in", "", "backup file to restore")
	checkpoints := e.checkpointsFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		return exitError{2, "Oppgi filen med --in FIL"}
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close() //nolint:errcheck // opened for reading: closing loses nothing
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := backup.Restore(e.ctx, db, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Gjenopprettet %d tabeller, %d rader til %s.\n", st.Tables, st.Rows, db.Location)
	// The restored chains are the new baseline: what was written after the
	// backup is gone, and checkpoints from before the restore would say so.
	file := e.checkpointsPath(*checkpoints)
	if _, err := audit.Write(e.ctx, db, file, audit.ReasonRestore); err != nil {
		return fmt.Errorf("databasen er gjenopprettet, men kontrollpunktet kunne ikke skrives (skriv det med 'husly audit checkpoint'): %w", err)
	}
	fmt.Fprintf(e.stdout, "Kontrollpunkt for den gjenopprettede databasen skrevet til %s.\n", file)
	return nil
}
