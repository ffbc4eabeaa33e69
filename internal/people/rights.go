package people

import (
	"context"
	"io"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/invalid"
	"husly/internal/pdf"
	"husly/internal/personaldata"
	"husly/internal/store"
)

// Dossier is everything about a person the requester may see (GDPR art.
// 15), in the parts the capabilities declared in the registry of personal
// data: the record, the cases, who has read it, what has been changed.
type Dossier struct {
	Made     time.Time `json:"made_at"`
	PersonID int64     `json:"person_id"`
	Parts    []Part    `json:"parts"`
	Rights   string    `json:"your_rights"`
	name     string
	words    personaldata.Words
}

// Part is one headed part of the dossier.
type Part = personaldata.Part

// Change is one audit entry about the person.
type Change = personaldata.Change

// Collect assembles a person's dossier for the actor from every source in
// the registry, in the language ctx carries (i18n.WithLang); each source checks access and logs its read (the record
// as an export). The registry is first held against the schema, so a
// table no capability shows cannot go missing unnoticed.
func Collect(ctx context.Context, q store.Queryer, a access.Actor, id int64) (Dossier, error) {
	reg := personaldata.Default()
	if _, err := reg.Verify(ctx, q); err != nil {
		return Dossier{}, err
	}
	// The record goes first: it refuses an actor who may not open the person.
	if _, err := access.Authorize(ctx, q, a, id); err != nil {
		return Dossier{}, err
	}
	parts, err := reg.Dossier(ctx, q, a, id)
	if err != nil {
		return Dossier{}, err
	}
	w := personaldata.WordsOf(ctx)
	d := Dossier{Made: time.Now(), PersonID: id, Parts: parts, Rights: w.T("dossier.rights.text"), words: w}
	for _, p := range parts {
		if r, ok := p.Data.(DossierPerson); ok {
			d.name = r.FullName()
		}
	}
	return d, nil
}

// Part finds the first part with key, or nil.
func (d Dossier) Part(key string) *Part {
	for i := range d.Parts {
		if d.Parts[i].Key == key {
			return &d.Parts[i]
		}
	}
	return nil
}

// WritePDF writes the dossier as a readable PDF: each part under its
// heading, as facts, a table or lines.
func (d Dossier) WritePDF(w io.Writer) error {
	words := d.words
	if words.Lang == "" {
		words.Lang = "nb" // a dossier made without Collect
	}
	doc := pdf.NewIn(words.PDF(), words.T("dossier.title", d.name), words.T("dossier.subtitle"), d.Made)
	for _, p := range d.Parts {
		doc.Heading(p.Heading)
		for _, f := range p.Facts {
			doc.Fact(f[0], f[1])
		}
		if len(p.Columns) > 0 {
			doc.Table(p.Columns, p.Widths, p.Rows)
		}
		for _, l := range p.Lines {
			doc.Text(l)
		}
	}
	doc.Heading(words.T("dossier.rights"))
	doc.Text(d.Rights)
	return doc.Write(w)
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return dash(strings.Join(out, sep))
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

// Correction is what a person may have corrected: names and contact
// details. The identity number is corrected only by registering anew.
type Correction struct {
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Address     string `json:"address"`
	PostalCode  string `json:"postal_code"`
	PostalPlace string `json:"postal_place"`
}

// Correct changes a person's names and contact details (GDPR art. 16),
// recording the before and after in the audit chain.
func Correct(ctx context.Context, q store.Queryer, a access.Actor, id int64, c Correction) error {
	if !a.Writes() {
		return access.ErrForbidden
	}
	v, err := Load(ctx, q, a, id, access.ChannelPage)
	if err != nil {
		return err
	}
	in := Input{FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone, Email: c.Email,
		Address: c.Address, PostalCode: c.PostalCode, PostalPlace: c.PostalPlace}
	if problems := in.validateDetails(); len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	p := v.Person
	before := Correction{p.FirstName, p.LastName, p.Phone, p.Email, p.Address, p.PostalCode, p.PostalPlace}
	after := Correction{in.FirstName, in.LastName, in.Phone, in.Email, strings.TrimSpace(in.Address), in.PostalCode, strings.TrimSpace(in.PostalPlace)}
	if before == after {
		return invalid.Problem("ingenting er endret")
	}
	if _, err := q.ExecContext(ctx, `UPDATE persons SET first_name = ?, last_name = ?, first_name_key = ?, last_name_key = ?, phone = ?,
		email = ?, address = ?, postal_code = ?, postal_place = ?, updated_at = ? WHERE municipality_id = ? AND id = ?`,
		after.FirstName, after.LastName, NameKey(after.FirstName), NameKey(after.LastName), after.Phone, after.Email, after.Address,
		after.PostalCode, after.PostalPlace, store.TimeArg(time.Now()), a.MunicipalityID, id); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "rett", Entity: "person",
		EntityID: id, Before: before, After: after})
}

// ErrMustKeep is returned (wrapped in a *personaldata.MustKeep that says
// which rows and which rule keeps them) when a person may not be erased.
var ErrMustKeep = personaldata.ErrMustKeep

// Delete erases a person (GDPR art. 17) where the registry of personal
// data allows: refused while the person has rows in a table that blocks
// erasure (tenancies, journal notes, consents, first contacts, mappings,
// applications and what hangs on them: arkivloven § 6 and the
// municipality's retention plan; restriction is offered instead).
// Otherwise the rows the registry marks for deletion are deleted and the
// ones it marks for anonymising are unlinked; the audit chain keeps a
// masked record of what was erased, and the access log keeps its entries,
// which are about who looked.
func Delete(ctx context.Context, q store.Queryer, a access.Actor, id int64, reason string) error {
	if a.Role != access.UnitLeader {
		return access.ErrForbidden
	}
	if strings.TrimSpace(reason) == "" {
		return invalid.Problem("oppgi grunnen til slettingen")
	}
	v, err := Load(ctx, q, a, id, access.ChannelPage)
	if err != nil {
		return err
	}
	reg := personaldata.Default()
	schema, err := reg.Verify(ctx, q)
	if err != nil {
		return err
	}
	erased, err := reg.Erase(ctx, q, schema, id)
	if err != nil {
		return err
	}
	what := map[string]int{}
	for _, x := range erased {
		what[x.Table.Name] = x.Count
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "slett", Entity: "person",
		EntityID: id, Before: map[string]string{"name": v.Person.FullName(), "identity_number": v.Person.MaskedNumber},
		After: map[string]any{"reason": reason, "rows": what}})
}
