package arrears

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strconv"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
	"husly/internal/tabular"
)

// The file's columns (docs/arrears.md): Norwegian names, as municipal
// users write them.
var (
	requiredColumns = []string{"leieforhold", "fodselsnummer", "forfall_id", "type", "forfallsdato", "belop"}
	columns         = append(append([]string{}, requiredColumns...), "utestaende")
)

// Hash is a batch's content hash: the SHA-256 of its bytes.
func Hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// ImportFile reads a file of dues from the economy system (CSV or .xlsx)
// in one transaction. ref names the batch; without it the file's SHA-256
// does, so the same file imported twice changes nothing and gives the
// first result. Any bad line rejects the whole file: the error is a
// tabular.Errors naming every bad line.
func ImportFile(ctx context.Context, db *store.DB, a access.Actor, r io.ReadSeeker, format tabular.Format, ref string, today deadline.Date) (Result, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return Result{}, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return Result{}, err
	}
	hash := hex.EncodeToString(h.Sum(nil))
	var res Result
	err := db.InConnTx(ctx, func(tx *store.Tx) error {
		rc, err := Begin(ctx, tx, a, ref, hash, FromFile, today)
		if errors.Is(err, ErrRepeated) {
			res = rc.Result()
			return nil
		}
		if err != nil {
			return err
		}
		tr, err := tabular.NewReader(r, format, requiredColumns, columns)
		if err != nil {
			return err
		}
		defer tr.Close() //nolint:errcheck // reading: closing loses nothing
		unreadable, err := tr.Rows(func(bool) ([]invalid.Message, error) {
			l, ps := parseRow(tr)
			if len(ps) > 0 {
				rc.result.Lines++
				rc.bad = append(rc.bad, tabular.LineError{Line: tr.Line(), Problems: ps})
				return nil, nil
			}
			return nil, rc.Add(l)
		})
		if err != nil {
			return err
		}
		rc.bad = append(rc.bad, unreadable...)
		res, err = rc.Finish()
		return err
	})
	if err != nil {
		return Result{}, err
	}
	if !res.Repeated {
		db.Analyze(ctx, "arrears_dues", "arrears_conversations")
	}
	return res, nil
}

// parseRow reads one row's fields; problems name the column.
func parseRow(tr *tabular.Reader) (Line, []invalid.Message) {
	l := Line{Line: tr.Line(), IdentityNumber: tr.Get("fodselsnummer"), DueRef: tr.Get("forfall_id"), Kind: Kind(tr.Get("type"))}
	var ps []invalid.Message
	if v := tr.Get("leieforhold"); v == "" {
		ps = append(ps, invalid.F("kolonnen leieforhold er tom: oppgi leieforholdets nummer i Husly"))
	} else if n, err := strconv.ParseInt(v, 10, 64); err != nil || n <= 0 {
		ps = append(ps, invalid.F("leieforhold «%s» er ikke et nummer", v))
	} else {
		l.LeaseID = n
	}
	if v := tr.Get("forfallsdato"); v != "" {
		d, ok := ParseDay(v)
		if !ok {
			ps = append(ps, invalid.F("forfallsdato «%s» er ikke en dato: skriv den som 01.11.2026 eller 2026-11-01", v))
		}
		l.DueOn = d
	}
	if v := tr.Get("belop"); v != "" {
		n, ok := ParseKroner(v)
		if !ok {
			ps = append(ps, invalid.F("belop «%s» er ikke et beløp i kroner: skriv for eksempel 7250 eller 7250,50", v))
		}
		l.Amount = n
	}
	if v := tr.Get("utestaende"); v != "" {
		n, ok := ParseKroner(v)
		if !ok {
			ps = append(ps, invalid.F("utestaende «%s» er ikke et beløp i kroner: skriv for eksempel 7250 eller 0 når forfallet er betalt", v))
		}
		l.Outstanding = &n
	}
	return l, ps
}
