package audit

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"husly/internal/keys"
	"husly/internal/store"
)

// Why a checkpoint was written.
const (
	ReasonPeriodic = "periodisk"
	ReasonBackup   = "sikkerhetskopi"
	ReasonRestore  = "gjenoppretting"
	ReasonStart    = "oppstart"
	ReasonStop     = "stopp"
	ReasonManual   = "manuelt"
)

// Checkpoint is a signed statement of both logs' chain heads at one time,
// kept outside the database: a chain the database later shows shorter,
// missing or different from its checkpoint was tampered with, even by
// someone who holds the chain key.
type Checkpoint struct {
	Database string `json:"database"` // the database's id (setting database_id)
	At       string `json:"at"`
	Reason   string `json:"reason"`
	Audit    []Head `json:"audit"`  // one per municipality with a chain
	Access   []Head `json:"access"` // likewise for the access log
	// KeyID names the ring's Ed25519 key; Signature signs the checkpoint's
	// JSON as Husly writes it, with Signature empty.
	KeyID     string `json:"key_id"`
	Signature string `json:"signature,omitempty"`
}

// DatabaseID is the id checkpoints know a database by. Upgrade gives every
// database one; a restore carries it over with the settings.
func DatabaseID(ctx context.Context, q store.Queryer) (string, error) {
	return store.Setting(ctx, q, "database_id")
}

// ensureDatabaseID gives the database an id if it has none.
func ensureDatabaseID(ctx context.Context, q store.Queryer) error {
	id, err := DatabaseID(ctx, q)
	if err != nil || id != "" {
		return err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	// Two processes opening a new database at once keep the first id.
	_, err = q.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('database_id', ?) ON CONFLICT (key) DO NOTHING", hex.EncodeToString(b))
	return err
}

// Take reads both logs' chain heads, without verifying them (that is
// Verify's work), in one read: a checkpoint costs two indexed queries.
func Take(ctx context.Context, q store.Queryer, reason string) (Checkpoint, error) {
	id, err := DatabaseID(ctx, q)
	if err != nil {
		return Checkpoint{}, err
	}
	if id == "" {
		return Checkpoint{}, errors.New("databasen har ingen id for kontrollpunkter ennå: åpne den med Husly først")
	}
	c := Checkpoint{Database: id, At: time.Now().UTC().Format(time.RFC3339), Reason: reason}
	if c.Audit, err = heads(ctx, q, `SELECT l.municipality_id, l.seq, l.hash FROM audit_log l
		JOIN (SELECT municipality_id, MAX(seq) AS seq FROM audit_log GROUP BY municipality_id) t
		ON t.municipality_id = l.municipality_id AND t.seq = l.seq ORDER BY l.municipality_id`); err != nil {
		return c, err
	}
	if c.Access, err = heads(ctx, q, `SELECT l.municipality_id, l.seq, COALESCE(l.mac, '') FROM access_log l
		JOIN (SELECT municipality_id, MAX(seq) AS seq FROM access_log GROUP BY municipality_id) t
		ON t.municipality_id = l.municipality_id AND t.seq = l.seq ORDER BY l.municipality_id`); err != nil {
		return c, err
	}
	return c, nil
}

// SameHeads reports whether c and o sign the same heads of the same
// database (a periodic checkpoint with nothing new is not written).
func (c Checkpoint) SameHeads(o Checkpoint) bool {
	return c.Database == o.Database && slices.Equal(c.Audit, o.Audit) && slices.Equal(c.Access, o.Access)
}

func heads(ctx context.Context, q store.Queryer, query string) ([]Head, error) {
	rows, err := q.QueryContext(ctx, query)
	out, err := store.Collect(rows, err, func(r store.Scanner) (h Head, err error) {
		err = r.Scan(&h.MunicipalityID, &h.Count, &h.MAC)
		return h, err
	})
	if out == nil {
		out = []Head{}
	}
	return out, err
}

func (c Checkpoint) signed() []byte {
	c.Signature = ""
	b, _ := json.Marshal(c) // plain strings and numbers: cannot fail
	return b
}

// Sign signs c with the ring's active signing key.
func (c *Checkpoint) Sign(ring *keys.Ring) error {
	id, key := ring.Signer()
	if len(ring.Signing[id]) == 0 {
		return errors.New("nøkkelringen har ingen signeringsnøkkel for kontrollpunkter")
	}
	c.KeyID = id
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, c.signed()))
	return nil
}

// Check verifies c's signature with the ring's key it names.
func (c Checkpoint) Check(ring *keys.Ring) error {
	pub := ring.PublicKey(c.KeyID)
	if pub == nil {
		return fmt.Errorf("kontrollpunktet fra %s er signert med nøkkelen %q, som ikke finnes i nøkkelringen", c.At, c.KeyID)
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(pub, c.signed(), sig) {
		return fmt.Errorf("kontrollpunktet fra %s har ugyldig signatur: det er endret eller ikke laget av Husly", c.At)
	}
	return nil
}

// DefaultCheckpoints is where checkpoints go unless HUSLY_CHECKPOINTS or a
// flag says otherwise: beside the key file, outside the database.
func DefaultCheckpoints(dsn string) string {
	if p := os.Getenv("HUSLY_CHECKPOINTS"); p != "" {
		return p
	}
	return filepath.Join(filepath.Dir(store.KeysPath(dsn)), "husly-checkpoints.jsonl")
}

// Append adds c as one JSON line at the end of the file at path (created
// readable by its owner only) and syncs it to disk. Lines are only ever
// appended; point path at append-only storage to keep them from an
// attacker who can write the server's disk.
func Append(path string, c Checkpoint) error {
	if c.Signature == "" {
		return errors.New("kontrollpunktet er ikke signert")
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("kan ikke opprette mappen for kontrollpunkter: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("kan ikke skrive kontrollpunkt til %s: %w", path, err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("kan ikke skrive kontrollpunkt til %s: %w", path, err)
	}
	return nil
}

// Write takes, signs and appends a checkpoint of db to path.
func Write(ctx context.Context, db *store.DB, path, reason string) (Checkpoint, error) {
	c, err := Take(ctx, db, reason)
	if err != nil {
		return c, err
	}
	if err := c.Sign(db.Keys()); err != nil {
		return c, err
	}
	return c, Append(path, c)
}

// ErrNoCheckpoints says there is no checkpoint to hold the chains against.
type ErrNoCheckpoints struct {
	Path, Database string
	Missing        bool // the file itself is missing
	Others         int  // checkpoints of other databases in the file
}

func (e ErrNoCheckpoints) Error() string {
	if e.Missing {
		return fmt.Sprintf("finner ingen kontrollpunkter i %s (filen finnes ikke): at de nyeste oppføringene eller en hel kommunes kjede er fjernet, kan ikke oppdages", e.Path)
	}
	s := fmt.Sprintf("%s har ingen kontrollpunkter for denne databasen (id %s): at de nyeste oppføringene eller en hel kommunes kjede er fjernet, kan ikke oppdages", e.Path, e.Database)
	if e.Others > 0 {
		s += fmt.Sprintf(" (filen har %d kontrollpunkter for andre databaser; er databasens id endret?)", e.Others)
	}
	return s
}

// Load reads the checkpoints of database id from path, oldest first, and
// checks each one's signature: a line that does not parse or verify is an
// error naming the line, as it means the file was tampered with.
func Load(path, database string, ring *keys.Ring) ([]Checkpoint, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoCheckpoints{Path: path, Database: database, Missing: true}
	}
	if err != nil {
		return nil, fmt.Errorf("kan ikke lese kontrollpunktene i %s: %w", path, err)
	}
	defer f.Close() //nolint:errcheck // opened for reading: closing loses nothing
	var out []Checkpoint
	others := 0
	rd := bufio.NewReaderSize(f, 256*1024)
	for line := 1; ; line++ {
		b, err := rd.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("kan ikke lese kontrollpunktene i %s: %w", path, err)
		}
		torn := errors.Is(err, io.EOF) // no newline: being written, or cut by a crash
		if len(bytes.TrimSpace(b)) > 0 {
			var c Checkpoint
			if jerr := json.Unmarshal(b, &c); jerr != nil {
				if torn {
					break // a line still being appended is not a checkpoint yet
				}
				return nil, fmt.Errorf("kontrollpunktene i %s er skadet på linje %d", path, line)
			}
			if c.Database != database {
				others++
			} else if cerr := c.Check(ring); cerr != nil {
				return nil, fmt.Errorf("%s, linje %d: %w", path, line, cerr)
			} else {
				out = append(out, c)
			}
		}
		if torn {
			break
		}
	}
	if len(out) == 0 {
		return nil, ErrNoCheckpoints{Path: path, Database: database, Others: others}
	}
	return out, nil
}
