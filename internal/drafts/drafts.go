// Package drafts keeps staff's unsent long forms (a mapping, an
// application, a decision) on the server, per user and form, so that an
// expired session or a closed tab never loses the work. A draft is
// personal data about the person the form is about: its values are
// sealed with the municipality's keys, tagged with the categories they
// reveal, read back only by the user who wrote it while their grant still
// covers those categories, and deleted when the form is sent.
package drafts

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// MaxAge is how long an untouched draft is kept: a draft is help for the
// work in hand, not a second record.
const MaxAge = 14 * 24 * time.Hour

// MaxSize is the most a draft's values may hold, sealed or not.
const MaxSize = 256 << 10

func init() {
	personaldata.Register("drafts", personaldata.Table{Name: "form_drafts",
		Holds:  "utkast til lange skjemaer (kartlegging, søknad, vedtak) som en ansatt ikke har sendt ennå, kryptert",
		Person: personaldata.Link{Column: "person_id"}, Columns: []string{"body_enc", "category"},
		NotInDossier: "an unsent draft is the staff member's work in hand: what is sent is in the dossier, and the draft is deleted then or after 14 days",
		Erasure:      personaldata.Erasure{Rule: personaldata.Deleted}})
}

// Draft is a saved draft as its writer gets it back.
type Draft struct {
	Person  int64
	Values  access.Personal[url.Values]
	Updated time.Time
}

// aad binds a sealed draft to its municipality, user and form.
func aad(a access.Actor, key string) string {
	return "utkast:" + strconv.FormatInt(a.MunicipalityID, 10) + ":" + strconv.FormatInt(a.UserID, 10) + ":" + key
}

// ErrTooLarge refuses a draft larger than MaxSize.
var ErrTooLarge = errors.New("utkastet er for stort")

// Save stores the actor's draft of the form key about person, replacing
// the one before. The caller has checked that the actor may write the
// form about the person and that cats are within their grant.
func Save(ctx context.Context, q store.Queryer, a access.Actor, key string, person int64, cats access.CategorySet, values url.Values) error {
	b, err := json.Marshal(values)
	if err != nil {
		return err
	}
	if len(b) > MaxSize {
		return ErrTooLarge
	}
	sealed, err := q.Keys().Seal(string(b), aad(a, key))
	if err != nil {
		return err
	}
	var codes []string
	for _, c := range cats.List() {
		codes = append(codes, string(c))
	}
	_, err = q.ExecContext(ctx, `INSERT INTO form_drafts (municipality_id, user_id, form_key, person_id, category, body_enc, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id, form_key) DO UPDATE SET person_id = excluded.person_id, category = excluded.category,
		body_enc = excluded.body_enc, updated_at = excluded.updated_at`,
		a.MunicipalityID, a.UserID, key, person, strings.Join(codes, ","), sealed, store.TimeArg(time.Now()))
	return err
}

// Load reads the actor's draft of the form key, tagged as personal data
// about its person with its categories, so the page's redaction step
// passes it only while the actor's grant covers them (and logs the read).
// A draft older than MaxAge is deleted instead; ok is false when there is
// none.
func Load(ctx context.Context, q store.Queryer, a access.Actor, key string) (d Draft, ok bool, err error) {
	ds, err := LoadAll(ctx, q, a, key)
	d, ok = ds[key]
	return d, ok, err
}

// LoadAll reads the actor's drafts of the forms keys in one query, as Load
// reads one; a form without a draft is not in the map.
func LoadAll(ctx context.Context, q store.Queryer, a access.Actor, keys ...string) (map[string]Draft, error) {
	out := map[string]Draft{}
	if len(keys) == 0 {
		return out, nil
	}
	args := []any{a.MunicipalityID, a.UserID}
	for _, k := range keys {
		args = append(args, k)
	}
	rows, err := q.QueryContext(ctx, `SELECT form_key, person_id, category, body_enc, updated_at FROM form_drafts
		WHERE municipality_id = ? AND user_id = ? AND form_key IN (?`+strings.Repeat(", ?", len(keys)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	type row struct {
		key, codes, sealed string
		person             int64
		updated            time.Time
	}
	var found []row
	for rows.Next() {
		var x row
		if err := rows.Scan(&x.key, &x.person, &x.codes, &x.sealed, store.ScanTime(&x.updated)); err != nil {
			rows.Close()
			return nil, err
		}
		found = append(found, x)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, x := range found {
		if time.Since(x.updated) > MaxAge {
			if err := Delete(ctx, q, a, x.key); err != nil {
				return nil, err
			}
			continue
		}
		plain, err := q.Keys().Open(x.sealed, aad(a, x.key))
		if err != nil {
			return nil, err
		}
		var values url.Values
		if err := json.Unmarshal([]byte(plain), &values); err != nil {
			return nil, err
		}
		var cats []access.Category
		for _, c := range strings.Split(x.codes, ",") {
			if c != "" {
				cats = append(cats, access.Category(c))
			}
		}
		out[x.key] = Draft{Person: x.person, Values: access.Tag(x.person, values, cats...), Updated: x.updated}
	}
	return out, nil
}

// Delete removes the actor's draft of the form key: it was sent, or is
// no longer wanted.
func Delete(ctx context.Context, q store.Queryer, a access.Actor, key string) error {
	_, err := q.ExecContext(ctx, "DELETE FROM form_drafts WHERE municipality_id = ? AND user_id = ? AND form_key = ?", a.MunicipalityID, a.UserID, key)
	return err
}
