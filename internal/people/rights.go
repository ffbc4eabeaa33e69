package people

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/pdf"
	"husly/internal/store"
)

// Dossier is everything about a person the requester may see (GDPR art.
// 15): the record, who has read it, and what has been changed.
type Dossier struct {
	Made      time.Time         `json:"made_at"`
	Record    View              `json:"record"`
	AccessLog []access.LogEntry `json:"access_log"`
	Changes   []Change          `json:"changes"`
	// Parts are what other capabilities hold about the person (the case
	// flow's cases), added by the caller.
	Parts  []Part `json:"parts"`
	Rights string `json:"your_rights"`
}

// Part is one headed part of the dossier: lines for the PDF, and the
// structured data for the JSON.
type Part struct {
	Heading string   `json:"heading"`
	Lines   []string `json:"lines"`
	Data    any      `json:"data"`
}

// Change is one audit entry about the person.
type Change struct {
	At     string `json:"at"`
	Actor  string `json:"actor"`
	Action string `json:"action"`
	Entity string `json:"entity"`
	Before string `json:"before"`
	After  string `json:"after"`
}

const rightsText = "Du har rett til å se opplysningene kommunen har om deg, og hvem som har sett dem. " +
	"Du kan be om at feil rettes, at behandlingen begrenses, og at opplysninger slettes når arkivreglene tillater det. " +
	"Samtykker kan trekkes tilbake når som helst. Spør saksbehandleren din, eller klag til Datatilsynet."

// Collect assembles a person's dossier for the actor and logs the read as
// an export.
func Collect(ctx context.Context, q store.Queryer, a access.Actor, id int64) (Dossier, error) {
	v, err := Load(ctx, q, a, id, access.ChannelExport)
	if err != nil {
		return Dossier{}, err
	}
	d := Dossier{Made: time.Now(), Record: v, Rights: rightsText}
	if d.AccessLog, err = access.AccessLog(ctx, q, a.MunicipalityID, id, 10000); err != nil {
		return d, err
	}
	rows, err := q.QueryContext(ctx, `SELECT at, actor, action, entity, before_json, after_json FROM audit_log
		WHERE municipality_id = ? AND entity = 'person' AND entity_id = ? ORDER BY seq`, a.MunicipalityID, id)
	d.Changes, err = store.Collect(rows, err, func(r store.Scanner) (c Change, err error) {
		err = r.Scan(&c.At, &c.Actor, &c.Action, &c.Entity, &c.Before, &c.After)
		return c, err
	})
	return d, err
}

// WritePDF writes the dossier as a readable PDF.
func (d Dossier) WritePDF(w io.Writer) error {
	p := d.Record.Person
	doc := pdf.New("Innsyn: "+p.FullName(), "Alt kommunen har registrert om deg i Husly som den som laget utskriften har tilgang til.", d.Made)
	doc.Heading("Grunnopplysninger")
	doc.Fact("Navn", p.FullName())
	doc.Fact("Fødselsnummer", p.MaskedNumber)
	doc.Fact("Født", p.BirthDate.Format("02.01.2006"))
	doc.Fact("Adresse", joinNonEmpty(", ", p.Address, strings.TrimSpace(p.PostalCode+" "+p.PostalPlace)))
	doc.Fact("Telefon", dash(p.Phone))
	doc.Fact("E-post", dash(p.Email))
	if p.Restricted {
		doc.Fact("Behandling", "Begrenset etter ditt ønske")
	}
	if len(d.Record.Household) > 0 {
		doc.Heading("Husstand")
		var rows [][]string
		for _, m := range d.Record.Household {
			rows = append(rows, []string{m.FirstName + " " + m.LastName, m.Relation.Label(), date(m.BirthDate)})
		}
		doc.Table([]string{"Navn", "Relasjon", "Født"}, []float64{80, 50, 40}, rows)
	}
	if len(d.Record.Leases) > 0 {
		doc.Heading("Leieforhold")
		var rows [][]string
		for _, l := range d.Record.Leases {
			rows = append(rows, []string{l.UnitCode, l.Address, date(l.Start) + " – " + date(l.End), fmt.Sprintf("%d kr", l.RentMonthly)})
		}
		doc.Table([]string{"Bolig", "Adresse", "Periode", "Husleie"}, []float64{25, 70, 45, 30}, rows)
	}
	doc.Heading("Notater")
	var notes [][]string
	for _, x := range d.Record.Notes {
		n := x.Value()
		notes = append(notes, []string{date(n.Written), n.Category.Label(), n.Author + ", " + n.OrgUnit, n.Body})
	}
	doc.Table([]string{"Dato", "Kategori", "Skrevet av", "Notat"}, []float64{20, 25, 40, 85}, notes)
	for _, part := range d.Parts {
		doc.Heading(part.Heading)
		for _, l := range part.Lines {
			doc.Text(l)
		}
	}
	doc.Heading("Enheter som har en rolle i saken din")
	var units [][]string
	for _, x := range d.Record.CaseUnits {
		c := x.Value()
		units = append(units, []string{c.OrgUnitName, c.Responsibility, date(c.Started), dash(c.LegalBasis)})
	}
	doc.Table([]string{"Enhet", "Rolle", "Fra", "Hjemmel"}, []float64{50, 50, 25, 45}, units)
	doc.Heading("Samtykker")
	var consents [][]string
	for _, x := range d.Record.Consents {
		c := x.Value()
		status := "Gjelder"
		if !c.Withdrawn.IsZero() {
			status = "Trukket tilbake " + date(c.Withdrawn)
		}
		cats := make([]string, len(c.Categories))
		for i, x := range c.Categories {
			cats[i] = x.Label()
		}
		consents = append(consents, []string{c.RecipientName, c.Purpose + " (" + strings.Join(cats, ", ") + ")", date(c.Given), status})
	}
	doc.Table([]string{"Til", "Formål", "Gitt", "Status"}, []float64{40, 75, 20, 35}, consents)
	doc.Heading("Hvem har sett opplysningene")
	var log [][]string
	for _, e := range d.AccessLog {
		cats := make([]string, len(e.Categories))
		for i, x := range e.Categories {
			cats[i] = x.Label()
		}
		log = append(log, []string{e.At.Format("02.01.2006 15.04"), e.UserName + ", " + e.OrgUnit, strings.Join(cats, ", "), e.Basis.Label()})
	}
	doc.Table([]string{"Når", "Hvem", "Hva", "Grunnlag"}, []float64{30, 55, 50, 35}, log)
	doc.Heading("Endringer")
	var changes [][]string
	for _, c := range d.Changes {
		changes = append(changes, []string{c.At[:10], c.Actor, c.Action, readable(c.After)})
	}
	doc.Table([]string{"Dato", "Av", "Hva", "Etter endringen"}, []float64{22, 45, 25, 78}, changes)
	doc.Heading("Dine rettigheter")
	doc.Text(d.Rights)
	return doc.Write(w)
}

// readable turns a recorded JSON object into "field: value" lines,
// leaving out empty fields.
func readable(js string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		return js
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		if v := fmt.Sprint(m[k]); v != "" && v != "<nil>" {
			lines = append(lines, strings.ReplaceAll(k, "_", " ")+": "+v)
		}
	}
	return strings.Join(lines, "\n")
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

func date(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.Format("02.01.2006")
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
		return &ValidationError{Problems: []string{"ingenting er endret"}}
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

// ErrMustKeep is returned when archive rules forbid deleting a person.
var ErrMustKeep = errors.New("personen har saksdokumenter som etter arkivloven skal bevares")

// Delete erases a person (GDPR art. 17) where the archive rules allow:
// only a person with no tenancy, no journal note and no consent — someone
// registered by mistake, or a first contact that led to no case. Anyone
// with case documents is kept (arkivloven § 6 and the municipality's
// retention plan); restriction is offered instead. The audit chain keeps a
// masked record of the deletion; the access log keeps its entries, which
// are about who looked, not about the person.
func Delete(ctx context.Context, q store.Queryer, a access.Actor, id int64, reason string) error {
	if a.Role != access.UnitLeader {
		return access.ErrForbidden
	}
	if strings.TrimSpace(reason) == "" {
		return &ValidationError{Problems: []string{"oppgi grunnen til slettingen"}}
	}
	v, err := Load(ctx, q, a, id, access.ChannelPage)
	if err != nil {
		return err
	}
	var documents int
	// Case documents (first contacts, mappings, applications and what
	// hangs on them) are kept by the archive rule too.
	if err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM lease_tenants WHERE person_id = ?) + (SELECT COUNT(*) FROM notes WHERE person_id = ?)
		+ (SELECT COUNT(*) FROM consents WHERE person_id = ?) + (SELECT COUNT(*) FROM contacts WHERE person_id = ?)
		+ (SELECT COUNT(*) FROM mappings WHERE person_id = ?) + (SELECT COUNT(*) FROM applications WHERE person_id = ?)
		+ (SELECT COUNT(*) FROM application_drafts WHERE person_id = ?)`, id, id, id, id, id, id, id).Scan(&documents); err != nil {
		return err
	}
	if documents > 0 {
		return ErrMustKeep
	}
	for _, stmt := range []string{
		"DELETE FROM household_members WHERE person_id = ?",
		"DELETE FROM case_units WHERE person_id = ?",
		"DELETE FROM break_glass WHERE person_id = ?",
		"UPDATE users SET person_id = NULL, active = ? WHERE person_id = ?",
		"DELETE FROM persons WHERE id = ?",
	} {
		args := []any{id}
		if strings.HasPrefix(stmt, "UPDATE users") {
			args = []any{false, id}
		}
		if _, err := q.ExecContext(ctx, stmt, args...); err != nil {
			return err
		}
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "slett", Entity: "person",
		EntityID: id, Before: map[string]string{"name": v.Person.FullName(), "identity_number": v.Person.MaskedNumber}, After: map[string]string{"reason": reason}})
}
