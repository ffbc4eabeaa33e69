package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"husly/internal/audit"
	"husly/internal/keys"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
)

// keysCmd rotates the key that encrypts identity numbers: a new active key
// is added to the ring (the old ones stay, for backups), and every number
// is re-encrypted with it in one transaction.
func keysCmd(e *env, args []string) error {
	if len(args) > 0 && args[0] == "complete" {
		return keysComplete(e)
	}
	if len(args) == 0 || args[0] != "rotate" {
		return exitError{2, "Bruk: husly keys rotate | husly keys complete"}
	}
	fs := e.flags("keys rotate")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	ring := db.Keys()
	old := ring.Active
	// The ring is saved with the new key before any value uses it, so a
	// crash between the two leaves every value readable.
	if err := ring.Rotate(); err != nil {
		return fmt.Errorf("kunne ikke lagre ny nøkkel i %s: %w", ring.Path(), err)
	}
	var n int
	err = db.InTx(e.ctx, func(tx *store.Tx) error {
		var err error
		if n, err = people.Reseal(e.ctx, tx); err != nil {
			return err
		}
		ms, err := org.ListMunicipalities(e.ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := audit.Record(e.ctx, tx, audit.Entry{MunicipalityID: m.ID, Actor: operator(m.ID).Label(), Action: "roter nøkkel",
				Entity: "nøkkelring", EntityID: 0, Before: map[string]string{"active": old}, After: map[string]string{"active": ring.Active}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("nøkkelen er lagt til, men omkrypteringen feilet og ble rullet tilbake (kjør kommandoen igjen): %w", err)
	}
	fmt.Fprintf(e.stdout, "Ny aktiv nøkkel %s i %s. %d fødselsnumre er kryptert på nytt. Eldre nøkler beholdes for å lese sikkerhetskopier.\n", ring.Active, ring.Path(), n)
	return nil
}

// keysComplete prints the ring from HUSLY_KEYS with the chain and signing
// keys it lacks added, for deployments that pass the ring by environment
// (a file ring gets them by itself when Husly opens it).
func keysComplete(e *env) error {
	env := os.Getenv("HUSLY_KEYS")
	if env == "" {
		return exitError{2, "HUSLY_KEYS er ikke satt: en nøkkelfil får de nye nøklene av seg selv når Husly åpner den"}
	}
	ring, err := keys.Complete([]byte(env))
	if err != nil {
		return err
	}
	b, err := json.Marshal(ring)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, string(b))
	return nil
}
