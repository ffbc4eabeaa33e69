package people

import (
	"context"
	"strings"

	"husly/internal/access"
	"husly/internal/personaldata"
	"husly/internal/store"
	"husly/internal/writtenform"
)

// The people capability's tables and its part of the dossier: the record
// as the requester may see it.
func init() {
	personaldata.Register("people",
		personaldata.Table{Name: "persons", Holds: "personene tjenestene kjenner: navn, fødselsnummer (kryptert), fødselsdato, kontaktopplysninger og skriftspråket personen vil ha brev på",
			Person: personaldata.Link{Column: "id"}, Category: access.Basic,
			Columns: []string{"identity_enc", "identity_hash", "identity_prefix", "first_name", "last_name", "first_name_key", "last_name_key",
				"birth_date", "phone", "email", "address", "postal_code", "postal_place", "written_form"},
			// The full number is its own category; the masked form (the birth-date part) is basic.
			ColumnCategories: map[string]access.Category{"identity_enc": access.IDNumber, "identity_hash": access.IDNumber},
			Dossier:          "person", Erasure: personaldata.Erasure{Rule: personaldata.Deleted}},
		personaldata.Table{Name: "households", Holds: "husstander (bare en id; medlemmene står i household_members)"},
		personaldata.Table{Name: "household_members", Holds: "husstandens medlemmer, også barn som ikke er personer i Husly",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Household,
			Columns: []string{"first_name", "last_name", "birth_date", "relation"},
			Dossier: "household", Erasure: personaldata.Erasure{Rule: personaldata.Deleted}},
		personaldata.Table{Name: "registration_checks", Holds: "forsøk på å registrere personen av ansatte uten tilgang, sendt til kontroll",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Basic, Columns: []string{"requested_by", "requested_unit", "created_at"},
			// Each attempt also writes an audit entry about the person, shown under changes.
			Dossier: "changes", Erasure: personaldata.Erasure{Rule: personaldata.Deleted}},
		personaldata.Table{Name: "registration_limits", Holds: "hvor mange registreringer hver ansatt har fått sendt til kontroll per dag; ingen opplysninger om personene eller numrene"},
		personaldata.Table{Name: "notes", Holds: "journalnotater, hvert i én datakategori",
			Person: personaldata.Link{Column: "person_id"}, Columns: []string{"body", "category"},
			Dossier: "notes", Erasure: personaldata.Erasure{Rule: personaldata.Blocks, One: "journalnotat", Many: "journalnotater", Why: personaldata.ArchiveRule},
			Timeline: []personaldata.Event{{Kind: "notat", Title: "texts.timeline.note", Args: []personaldata.ArgKind{personaldata.Label("category"), personaldata.ArgText},
				Query: `SELECT written_at, body, category, category, author_name FROM notes WHERE municipality_id = ? AND person_id = ?`}}},
	)
	personaldata.RegisterDossier(personaldata.Source{Owner: "people", Sections: []personaldata.Section{
		{Key: "person", Title: "Grunnopplysninger", Order: 10},
		{Key: "household", Title: "Husstand", Order: 20},
		{Key: "leases", Title: "Leieforhold", Order: 30},
		{Key: "notes", Title: "Notater", Order: 40},
		{Key: "case_units", Title: "Enheter som har en rolle i saken din", Order: 60},
		{Key: "consents", Title: "Samtykker", Order: 70},
		{Key: "outside_consents", Title: "Samtykker til å snakke med noen utenfor kommunen", Order: 75},
	}, Collect: recordParts})
}

// recordParts reads the person's record once (checked and logged as an
// export) and lays it out as the dossier's first parts.
func recordParts(ctx context.Context, q store.Queryer, a access.Actor, id int64) ([]personaldata.Part, error) {
	v, err := Load(ctx, q, a, id, access.ChannelExport)
	if err != nil {
		return nil, err
	}
	p := v.Person
	var login string
	if err := q.QueryRowContext(ctx, "SELECT COALESCE(MIN(username), '') FROM users WHERE municipality_id = ? AND person_id = ?", a.MunicipalityID, id).Scan(&login); err != nil {
		return nil, err
	}
	w := personaldata.WordsOf(ctx)
	person := personaldata.Part{Key: "person", Data: DossierPerson{p, v.WrittenForm.Value(), login}, Facts: [][2]string{
		w.Fact("name", p.FullName()),
		w.Fact("number", p.MaskedNumber),
		w.Fact("born", w.Date(p.BirthDate)),
		w.Fact("address", joinNonEmpty(", ", p.Address, strings.TrimSpace(p.PostalCode+" "+p.PostalPlace))),
		w.Fact("phone", dash(p.Phone)),
		w.Fact("email", dash(p.Email)),
	}}
	if f := v.WrittenForm.Value(); f != "" {
		person.Facts = append(person.Facts, w.Fact("written_form", w.Code("writtenform", f)))
	}
	if login != "" {
		person.Facts = append(person.Facts, w.Fact("login", login))
	}
	if p.Restricted {
		person.Facts = append(person.Facts, w.Fact("processing", w.T("dossier.value.restricted")))
	}
	parts := []personaldata.Part{person}
	if len(v.Household) > 0 {
		h := personaldata.Part{Key: "household", Data: v.Household, Columns: w.Col("name", "relation", "born"), Widths: []float64{80, 50, 40}}
		for _, m := range v.Household {
			h.Rows = append(h.Rows, []string{m.FirstName + " " + m.LastName, w.Code("relation", m.Relation), w.Date(m.BirthDate)})
		}
		parts = append(parts, h)
	}
	if len(v.Leases) > 0 {
		l := personaldata.Part{Key: "leases", Data: v.Leases, Columns: w.Col("unit", "address", "period", "rent"), Widths: []float64{25, 70, 45, 30}}
		for _, x := range v.Leases {
			l.Rows = append(l.Rows, []string{x.UnitCode, x.Address, w.T("dossier.value.period", w.Date(x.Start), w.Date(x.End)), w.Kr(x.RentMonthly)})
		}
		parts = append(parts, l)
	}
	notes := personaldata.Part{Key: "notes", Data: nonNil(v.Notes), Columns: w.Col("date", "category", "written_by", "note"), Widths: []float64{20, 25, 40, 85}}
	for _, x := range v.Notes {
		n := x.Value()
		notes.Rows = append(notes.Rows, []string{w.Day(n.Written), w.Code("category", n.Category), n.Author + ", " + n.OrgUnit, n.Body})
	}
	units := personaldata.Part{Key: "case_units", Data: v.CaseUnits, Columns: w.Col("org_unit", "role", "from", "legal_basis"), Widths: []float64{50, 50, 25, 45}}
	for _, x := range v.CaseUnits {
		c := x.Value()
		units.Rows = append(units.Rows, []string{c.OrgUnitName, c.Responsibility, w.Day(c.Started), dash(c.LegalBasis)})
	}
	consents := personaldata.Part{Key: "consents", Data: v.Consents, Columns: w.Col("to", "purpose", "given", "status"), Widths: []float64{40, 75, 20, 35}}
	for _, x := range v.Consents {
		c := x.Value()
		status := w.T("dossier.value.in_force")
		if !c.Withdrawn.IsZero() {
			status = w.T("dossier.value.withdrawn", w.Day(c.Withdrawn))
		}
		cats := make([]string, len(c.Categories))
		for i, x := range c.Categories {
			cats[i] = w.Code("category", x)
		}
		consents.Rows = append(consents.Rows, []string{c.RecipientName, c.Purpose + " (" + strings.Join(cats, ", ") + ")", w.Day(c.Given), status})
	}
	outside := personaldata.Part{Key: "outside_consents", Data: v.OutsideConsents, Columns: w.Col("to", "purpose", "given", "status"), Widths: []float64{40, 75, 20, 35}}
	for _, x := range v.OutsideConsents {
		c := x.Value()
		status := w.T("dossier.value.in_force_until", w.Date(c.Expires))
		if !c.Withdrawn.IsZero() {
			status = w.T("dossier.value.withdrawn", w.Day(c.Withdrawn))
		}
		cats := make([]string, len(c.Categories))
		for i, x := range c.Categories {
			cats[i] = w.Code("category", x)
		}
		outside.Rows = append(outside.Rows, []string{w.Code("lawb.outside.kind", c.RecipientKind) + ": " + c.RecipientName, c.Purpose + " (" + strings.Join(cats, ", ") + ")", w.Day(c.Given), status})
	}
	return append(parts, notes, units, consents, outside), nil
}

// DossierPerson is the record's first part: the person and the login
// they use on Min side, if any.
type DossierPerson struct {
	Person
	WrittenForm writtenform.Form `json:"written_form,omitempty"`
	Login       string           `json:"login,omitempty"`
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
