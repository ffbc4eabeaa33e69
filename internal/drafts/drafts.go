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
	"database/sql"
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
	var person int64
	var codes, sealed string
	err = q.QueryRowContext(ctx, `SELECT person_id, category, body_enc, updated_at FROM form_drafts
		WHERE municipality_id = ? AND user_id = ? AND form_key = ?`, a.MunicipalityID, a.UserID, key).
		Scan(&person, &codes, &sealed, store.ScanTime(&d.Updated))
	if errors.Is(err, sql.ErrNoRows) {
		return Draft{}, false, nil
	}
	if err != nil {
		return Draft{}, false, err
	}
	if time.Since(d.Updated) > MaxAge {
		return Draft{}, false, Delete(ctx, q, a, key)
	}
	plain, err := q.Keys().Open(sealed, aad(a, key))
	if err != nil {
		return Draft{}, false, err
	}
	var values url.Values
	if err := json.Unmarshal([]byte(plain), &values); err != nil {
		return Draft{}, false, err
	}
	var cats []access.Category
	for _, c := range strings.Split(codes, ",") {
		if c != "" {
			cats = append(cats, access.Category(c))
		}
	}
	d.Person, d.Values = person, access.Tag(person, values, cats...)
	return d, true, nil
}

// Delete removes the actor's draft of the form key: it was sent, or is
// no longer wanted.
func Delete(ctx context.Context, q store.Queryer, a access.Actor, key string) error {
	_, err := q.ExecContext(ctx, "DELETE FROM form_drafts WHERE municipality_id = ? AND user_id = ? AND form_key = ?", a.MunicipalityID, a.UserID, key)
	return err
}
