package caseflow

import (
	"context"
	"husly/internal/invalid"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/store"
)

// The legal provisions a decision cites and the services it grants come
// from catalogues, not free text: a letter then cites the provision by its
// proper name, and a service is the same service across cases. Each
// catalogue has built-in entries; a municipality adds its own, rewords or
// retires a built-in one with a row.

// Provision is one legal provision a decision can cite.
type Provision struct {
	Code    string `json:"code"`
	Law     string `json:"law"`
	Section string `json:"section"`
	Title   string `json:"title"`
	TextRef string `json:"text_ref"` // where the text is, e.g. a Lovdata reference
	Active  bool   `json:"active"`
	BuiltIn bool   `json:"built_in"`
}

// Citation is how a letter cites the provision: "sosialtjenesteloven § 15
// (Boliger til vanskeligstilte)".
func (p Provision) Citation() string {
	return p.Law + " " + p.Section + " (" + p.Title + ")"
}

// BuiltInProvisions are the provisions seed 004 names for bo-oppfølging
// and the sharing of information, and the act on the municipalities'
// social-housing responsibility (lov 20. desember 2022 nr. 121, in force
// 1 July 2023, Prop. 132 L (2021–2022)).
var BuiltInProvisions = []Provision{
	{Code: "hol-3-4", Law: "helse- og omsorgstjenesteloven", Section: "§ 3-4", Title: "Kommunens plikt til samhandling og samarbeid", TextRef: "LOV-2011-06-24-30 § 3-4"},
	{Code: "hol-4-1", Law: "helse- og omsorgstjenesteloven", Section: "§ 4-1", Title: "Forsvarlighet", TextRef: "LOV-2011-06-24-30 § 4-1"},
	{Code: "hol-12-1", Law: "helse- og omsorgstjenesteloven", Section: "§ 12-1", Title: "Taushetsplikt", TextRef: "LOV-2011-06-24-30 § 12-1"},
	{Code: "stl-15", Law: "sosialtjenesteloven", Section: "§ 15", Title: "Boliger til vanskeligstilte", TextRef: "LOV-2009-12-18-131 § 15"},
	{Code: "stl-17", Law: "sosialtjenesteloven", Section: "§ 17", Title: "Opplysning, råd og veiledning", TextRef: "LOV-2009-12-18-131 § 17"},
	{Code: "stl-27", Law: "sosialtjenesteloven", Section: "§ 27", Title: "Midlertidig botilbud", TextRef: "LOV-2009-12-18-131 § 27"},
	{Code: "pbrl-3-6", Law: "pasient- og brukerrettighetsloven", Section: "§ 3-6", Title: "Ivaretakelse av taushetsplikt", TextRef: "LOV-1999-07-02-63 § 3-6"},
	{Code: "bsl-5", Law: "lov om kommunenes ansvar på det boligsosiale feltet", Section: "§ 5", Title: "Samarbeid og samordning", TextRef: "LOV-2022-12-20-121 § 5"},
	{Code: "bsl-6", Law: "lov om kommunenes ansvar på det boligsosiale feltet", Section: "§ 6", Title: "Individuelt tilpasset bistand til vanskeligstilte på boligmarkedet", TextRef: "LOV-2022-12-20-121 § 6"},
}

// CatalogService is one kind of service a decision can grant, with the
// unit that gives it in this municipality (0 when not yet set).
type CatalogService struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	ProviderUnitID int64  `json:"provider_unit_id"`
	ProviderName   string `json:"provider_name,omitempty"`
	Active         bool   `json:"active"`
	BuiltIn        bool   `json:"built_in"`
}

// BuiltInServices are the follow-up services in and around the home that
// seeds 002 and 003 describe (Housing First, FACT, boteam and the
// environmental caretaker among them). The municipality names the unit
// that gives each.
var BuiltInServices = []CatalogService{
	{Code: "praktisk_bistand", Name: "Praktisk bistand og opplæring"},
	{Code: "stottekontakt", Name: "Støttekontakt"},
	{Code: "dagtilbud", Name: "Dagtilbud"},
	{Code: "housing_first", Name: "Oppfølging fra Housing First-teamet"},
	{Code: "fact", Name: "Oppfølging fra FACT-teamet"},
	{Code: "boteam", Name: "Oppfølging fra boteamet"},
	{Code: "miljovaktmester", Name: "Miljøvaktmester"},
}

// codePattern is what a municipality's own code may look like: short,
// lower case, stable in URLs and JSON.
var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,39}$`)

// Provisions lists the municipality's catalogue: the built-in provisions
// with its overrides, then its own, in code order within each.
func Provisions(ctx context.Context, q store.Queryer, municipalityID int64) ([]Provision, error) {
	rows, err := q.QueryContext(ctx, "SELECT code, law, section, title, text_ref, active FROM legal_provisions WHERE municipality_id = ? ORDER BY code", municipalityID)
	own, err := store.Collect(rows, err, func(s store.Scanner) (p Provision, err error) {
		err = s.Scan(&p.Code, &p.Law, &p.Section, &p.Title, &p.TextRef, &p.Active)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	return overlay(BuiltInProvisions, own, func(p Provision) string { return p.Code }, func(p Provision, builtIn bool) Provision {
		p.BuiltIn, p.Active = true, p.Active || builtIn
		return p
	}), nil
}

// Services lists the municipality's service catalogue, built-in first.
func Services(ctx context.Context, q store.Queryer, municipalityID int64) ([]CatalogService, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.code, c.name, COALESCE(c.provider_unit_id, 0), COALESCE(o.name, ''), c.active FROM service_catalogue c
		LEFT JOIN org_units o ON o.id = c.provider_unit_id WHERE c.municipality_id = ? ORDER BY c.code`, municipalityID)
	own, err := store.Collect(rows, err, func(s store.Scanner) (c CatalogService, err error) {
		err = s.Scan(&c.Code, &c.Name, &c.ProviderUnitID, &c.ProviderName, &c.Active)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	return overlay(BuiltInServices, own, func(c CatalogService) string { return c.Code }, func(c CatalogService, builtIn bool) CatalogService {
		c.BuiltIn, c.Active = true, c.Active || builtIn
		return c
	}), nil
}

// overlay lays a municipality's own catalogue entries over the built-in
// ones: an own entry with a built-in code takes its place (and stays marked
// built-in, active as the municipality set it), a built-in entry without
// one is active, and the municipality's new entries follow.
func overlay[T any](builtIn, own []T, code func(T) string, mark func(x T, builtIn bool) T) []T {
	out := make([]T, 0, len(builtIn)+len(own))
	for _, b := range builtIn {
		if i := slices.IndexFunc(own, func(o T) bool { return code(o) == code(b) }); i >= 0 {
			b = mark(own[i], false)
			own = slices.Delete(own, i, i+1)
		} else {
			b = mark(b, true)
		}
		out = append(out, b)
	}
	return append(out, own...)
}

// CheckProvision checks a provision a municipality saves: a pure function.
func CheckProvision(p Provision) []invalid.Message {
	var problems []invalid.Message
	if !codePattern.MatchString(p.Code) {
		problems = append(problems, invalid.F("koden må være 2–40 små bokstaver, tall, bindestrek eller understrek"))
	}
	required(&problems, invalid.F("loven"), p.Law)
	required(&problems, invalid.F("paragrafen"), p.Section)
	required(&problems, invalid.F("overskriften"), p.Title)
	required(&problems, invalid.F("tekstreferansen (for eksempel LOV-2009-12-18-131 § 15)"), p.TextRef)
	tooLong(&problems, invalid.F("loven"), p.Law, 300)
	tooLong(&problems, invalid.F("paragrafen"), p.Section, 300)
	tooLong(&problems, invalid.F("overskriften"), p.Title, 300)
	tooLong(&problems, invalid.F("tekstreferansen"), p.TextRef, 300)
	return problems
}

// SaveProvision adds or changes a provision in the municipality's
// catalogue (administrators). A decision citing it keeps the code, so a
// retired provision still reads in old decisions.
func SaveProvision(ctx context.Context, q store.Queryer, a access.Actor, p Provision) (Provision, error) {
	if a.Role != access.Admin {
		return Provision{}, access.ErrForbidden
	}
	p.Code, p.Law, p.Section, p.Title, p.TextRef = strings.TrimSpace(p.Code), strings.TrimSpace(p.Law), strings.TrimSpace(p.Section), strings.TrimSpace(p.Title), strings.TrimSpace(p.TextRef)
	if problems := CheckProvision(p); len(problems) > 0 {
		return Provision{}, &ValidationError{Problems: problems}
	}
	now := store.TimeArg(time.Now())
	res, err := q.ExecContext(ctx, "UPDATE legal_provisions SET law = ?, section = ?, title = ?, text_ref = ?, active = ?, updated_by = ?, updated_at = ? WHERE municipality_id = ? AND code = ?",
		p.Law, p.Section, p.Title, p.TextRef, p.Active, a.Name, now, a.MunicipalityID, p.Code)
	if err != nil {
		return Provision{}, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := q.ExecContext(ctx, `INSERT INTO legal_provisions (municipality_id, code, law, section, title, text_ref, active, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, p.Code, p.Law, p.Section, p.Title, p.TextRef, p.Active, a.Name, now); err != nil {
			return Provision{}, err
		}
	}
	p.BuiltIn = slices.ContainsFunc(BuiltInProvisions, func(b Provision) bool { return b.Code == p.Code })
	return p, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "hjemmel", After: p})
}

// SaveService adds or changes a service in the catalogue, with its
// provider unit (administrators).
func SaveService(ctx context.Context, q store.Queryer, a access.Actor, c CatalogService) (CatalogService, error) {
	if a.Role != access.Admin {
		return CatalogService{}, access.ErrForbidden
	}
	c.Code, c.Name = strings.TrimSpace(c.Code), strings.TrimSpace(c.Name)
	var problems []invalid.Message
	if !codePattern.MatchString(c.Code) {
		problems = append(problems, invalid.F("koden må være 2–40 små bokstaver, tall, bindestrek eller understrek"))
	}
	required(&problems, invalid.F("navnet på tjenesten"), c.Name)
	tooLong(&problems, invalid.F("navnet på tjenesten"), c.Name, 200)
	if c.ProviderUnitID <= 0 {
		problems = append(problems, invalid.F("velg enheten som gir tjenesten"))
	} else if checkOrgUnit(ctx, q, a.MunicipalityID, c.ProviderUnitID, &c.ProviderName) != nil {
		problems = append(problems, invalid.F("enheten som gir tjenesten finnes ikke i kommunen"))
	}
	if len(problems) > 0 {
		return CatalogService{}, &ValidationError{Problems: problems}
	}
	now := store.TimeArg(time.Now())
	res, err := q.ExecContext(ctx, "UPDATE service_catalogue SET name = ?, provider_unit_id = ?, active = ?, updated_by = ?, updated_at = ? WHERE municipality_id = ? AND code = ?",
		c.Name, c.ProviderUnitID, c.Active, a.Name, now, a.MunicipalityID, c.Code)
	if err != nil {
		return CatalogService{}, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := q.ExecContext(ctx, `INSERT INTO service_catalogue (municipality_id, code, name, provider_unit_id, active, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, c.Code, c.Name, c.ProviderUnitID, c.Active, a.Name, now); err != nil {
			return CatalogService{}, err
		}
	}
	c.BuiltIn = slices.ContainsFunc(BuiltInServices, func(b CatalogService) bool { return b.Code == c.Code })
	return c, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "tjenestekatalog", After: c})
}

// citations names the provisions a decision cites, in the order given;
// a code the catalogue no longer has is shown as the code itself, so an
// old decision always reads.
func citations(codes []string, catalogue []Provision) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if i := slices.IndexFunc(catalogue, func(p Provision) bool { return p.Code == c }); i >= 0 {
			out = append(out, catalogue[i].Citation())
		} else {
			out = append(out, c)
		}
	}
	return out
}

// unknownCodes lists codes not active in a catalogue, for the message.
func unknownCodes[T any](codes []string, catalogue []T, code func(T) string, active func(T) bool) []string {
	var out []string
	for _, c := range codes {
		if !slices.ContainsFunc(catalogue, func(x T) bool { return code(x) == c && active(x) }) {
			out = append(out, strconv.Quote(c))
		}
	}
	return out
}
