package caseflow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/phrase"
	"husly/internal/store"
)

// The combined decision (samlet vedtak): housing and services in one
// document, every version kept, every unit on the case told of a change.

// Requirements a decision can set for the home, without naming a unit.
var Requirements = choices("case.requirement", allocation.Requirements...)

// HousingTypes are the kinds of home a decision grants (the unit
// categories of the housing stock).
var HousingTypes = choices("housing.category", string(housing.CategoryOrdinary), string(housing.CategoryCare), string(housing.CategoryHousingFirst),
	string(housing.CategoryShared), string(housing.CategoryRehabilitation), string(housing.CategorySpecialised), string(housing.CategoryEmergency))

// Service is one service granted, with its extent and provider.
type Service struct {
	// Code is the service's code in the catalogue; Service its name.
	Code         string  `json:"service_code"`
	Service      string  `json:"service"`
	HoursPerWeek float64 `json:"hours_per_week"`
	// AsNeeded states the extent as "etter behov" with a description
	// instead of hours: Housing First is given by need, "uavhengig av om
	// det tar ti minutter eller ti timer i uka" (seed 003).
	AsNeeded       bool          `json:"as_needed"`
	AsNeededText   string        `json:"as_needed_text,omitempty"`
	ProviderUnitID int64         `json:"provider_unit_id"`
	ProviderName   string        `json:"provider_name,omitempty"`
	StartOn        deadline.Date `json:"start_on"`
	EndOn          deadline.Date `json:"end_on,omitzero"`
}

// Change is one field that differs between two versions of a decision.
// Field, Before and After are bokmål, for the command line; Name, Was and
// Now are the same as phrases, written in the reader's language (a value's
// phrases joined by spaces). A change stored before phrases has only its
// bokmål, shown as it is.
type Change struct {
	Field  string          `json:"field"`
	Before string          `json:"before"`
	After  string          `json:"after"`
	Name   phrase.Phrase   `json:"field_phrase,omitzero"`
	Was    []phrase.Phrase `json:"before_phrases,omitempty"`
	Now    []phrase.Phrase `json:"after_phrases,omitempty"`
}

// Speak writes the change in the reader's language (phrase.Speaker).
func (c *Change) Speak(write func(phrase.Phrase) string) {
	if c.Name.IsZero() {
		return
	}
	c.Field, c.Before, c.After = write(c.Name), JoinPhrases(c.Was, write), JoinPhrases(c.Now, write)
}

// JoinPhrases writes a value's phrases with write, separated by spaces.
func JoinPhrases(ps []phrase.Phrase, write func(phrase.Phrase) string) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = write(p)
	}
	return strings.Join(out, " ")
}

// value is one side of a change: the bokmål text and the same as phrases.
type value struct {
	text string
	said []phrase.Phrase
}

// The catalogue keys of a change's values (texts.json).
const (
	valueText     = "texts.value.text"      // "%s": a value shown as it is, or a label
	valueListItem = "texts.value.list_item" // "%s,": an item before the last of a list
)

func textValue(s string) value {
	if s == "" {
		return value{}
	}
	return value{s, []phrase.Phrase{phrase.New(valueText, phrase.Text(s))}}
}

// labelValue is a code named by a label table in bokmål and by the
// catalogue's prefix+code in the reader's language.
func labelValue(text, key string) value {
	if text == "" {
		return value{}
	}
	return value{text, []phrase.Phrase{phrase.New(valueText, phrase.Label(key))}}
}

func roomsValue(n int) value {
	if n == 0 {
		return value{}
	}
	return value{roomsText(n), []phrase.Phrase{phrase.New(valueText, phrase.Number(float64(n)))}}
}

func requirementsValue(rs []string) value {
	v := value{text: requirementsText(rs)}
	for i, r := range rs {
		key := valueListItem
		if i == len(rs)-1 {
			key = valueText
		}
		v.said = append(v.said, phrase.New(key, phrase.Label("case.requirement."+r)))
	}
	return v
}

func agreedValue(d Decision) value {
	switch d.CoordinatorAgreed {
	case "ja":
		return value{agreedText(d), []phrase.Phrase{phrase.New("texts.value.yes")}}
	case "nei":
		return value{agreedText(d), []phrase.Phrase{phrase.New("texts.value.no_because", phrase.Text(d.CoordinatorNote))}}
	}
	return value{}
}

func yesNoValue(b bool) value {
	if b {
		return value{yesNo(b), []phrase.Phrase{phrase.New("texts.value.yes")}}
	}
	return value{yesNo(b), []phrase.Phrase{phrase.New("texts.value.no")}}
}

func dateValue(d deadline.Date) value {
	if d.IsZero() {
		return value{}
	}
	return value{d.String(), []phrase.Phrase{phrase.New(valueText, phrase.Date(d))}}
}

// serviceValue is ServiceText as phrases.
func serviceValue(s Service) value {
	v := value{text: ServiceText(s)}
	if s.AsNeeded {
		v.said = append(v.said, phrase.New("texts.value.service_as_needed", phrase.Text(s.Service), phrase.Text(s.AsNeededText), phrase.Date(s.StartOn)))
	} else {
		v.said = append(v.said, phrase.New("texts.value.service", phrase.Text(s.Service), phrase.Number(s.HoursPerWeek), phrase.Date(s.StartOn)))
	}
	if !s.EndOn.IsZero() {
		v.said = append(v.said, phrase.New("texts.value.until", phrase.Date(s.EndOn)))
	}
	if s.ProviderName != "" {
		v.said = append(v.said, phrase.New("texts.value.provider", phrase.Text(s.ProviderName)))
	}
	return v
}

// Decision is one version of a case's combined decision.
type Decision struct {
	ID            int64            `json:"id"`
	ApplicationID int64            `json:"application_id"`
	Version       int              `json:"version"`
	Outcome       Outcome          `json:"outcome"`
	HousingType   housing.Category `json:"housing_type"`
	Rooms         int              `json:"rooms"`
	Requirements  []string         `json:"requirements"`
	Services      []Service        `json:"services"`
	Coordinator   string           `json:"coordinator"`
	Conditions    string           `json:"conditions"`
	// CoordinatorAgreed is "ja" when the coordinator was chosen with the
	// person, "nei" with the reason in CoordinatorNote, "" on decisions
	// made before this was asked.
	CoordinatorAgreed    string `json:"coordinator_agreed"`
	CoordinatorNote      string `json:"coordinator_note,omitempty"`
	ParticipantAgreement bool   `json:"participant_agreement"`
	Reasons              string `json:"reasons"`
	// LegalBasis is the citations in words; LegalBasisCodes the catalogue
	// codes (empty on decisions made with free text, which still read).
	LegalBasis      string        `json:"legal_basis"`
	LegalBasisCodes []string      `json:"legal_basis_codes"`
	DecidedOn       deadline.Date `json:"decided_on"`
	// NotifiedOn is the day the decision letter is taken to have reached
	// the party, by how it was sent (NotifiedVia); the appeal deadline
	// (AppealDue) runs from then and is empty until the letter is recorded
	// as sent (forvaltningsloven § 29).
	NotifiedOn  deadline.Date `json:"notified_on,omitzero"`
	NotifiedVia string        `json:"notified_via,omitempty"`
	AppealDue   deadline.Date `json:"appeal_due,omitzero"`
	// earliestDue is the deadline were the decision notified the day it
	// was made: the stored lower bound until it is notified.
	earliestDue     deadline.Date
	DecidedBy       string   `json:"decided_by"`
	OrgUnit         string   `json:"org_unit_name"`
	AmendmentReason string   `json:"amendment_reason,omitempty"`
	Changes         []Change `json:"changes"`
}

// DecisionInput is what the case worker decides. BaseVersion is the
// version the form was opened on (0 for the first decision): an amendment
// built on an older version is refused, never silently stored over another.
type DecisionInput struct {
	BaseVersion  int              `json:"base_version"`
	Outcome      Outcome          `json:"outcome"`
	HousingType  housing.Category `json:"housing_type"`
	Rooms        int              `json:"rooms"`
	Requirements []string         `json:"requirements"`
	Services     []Service        `json:"services"`
	Coordinator  string           `json:"coordinator"`
	// CoordinatorAgreed: "ja" (chosen with the person) or "nei" with the
	// reason in CoordinatorNote.
	CoordinatorAgreed    string `json:"coordinator_agreed"`
	CoordinatorNote      string `json:"coordinator_note"`
	ParticipantAgreement bool   `json:"participant_agreement"`
	Conditions           string `json:"conditions"`
	Reasons              string `json:"reasons"`
	// LegalBasisCodes are provisions from the municipality's catalogue.
	LegalBasisCodes []string      `json:"legal_basis_codes"`
	DecidedOn       deadline.Date `json:"decided_on,omitzero"` // empty: today
	AmendmentReason string        `json:"amendment_reason"`
}

// ErrStale is returned when the decision was amended by someone else after
// the form was opened.
var ErrStale = invalid.Refuse(invalid.F("vedtaket er endret av noen andre etter at du åpnet skjemaet. Last siden på nytt, se endringene og gjør din endring på nytt"))

// Catalogues are the municipality's provisions and services a decision
// draws on.
type Catalogues struct {
	Provisions []Provision
	Services   []CatalogService
}

// CheckDecision checks a decision for the parts the law and the case
// need: a pure function over the input, the application's kind and the
// municipality's catalogues.
func CheckDecision(in DecisionInput, kind ApplicationKind, received, today deadline.Date, cat Catalogues) (decided deadline.Date, problems []invalid.Message) {
	decided = orDefault(in.DecidedOn, today)
	if today.Before(decided) {
		problems = append(problems, invalid.F("vedtaksdatoen kan ikke være fram i tid"))
	}
	if decided.Before(received) {
		problems = append(problems, invalid.F("vedtaksdatoen kan ikke være før søknaden ble mottatt (%s)", received))
	}
	if !in.Outcome.Valid() {
		problems = append(problems, invalid.F("velg om søknaden innvilges eller avslås"))
	}
	required(&problems, invalid.F("begrunnelsen (forvaltningsloven §§ 24–25)"), in.Reasons)
	// The legal basis is cited from the catalogue (forvaltningsloven § 25
	// asks for the rules the decision builds on, by name).
	if len(in.LegalBasisCodes) == 0 {
		problems = append(problems, invalid.F("hjemmel: velg minst én lovbestemmelse fra kommunens hjemmelskatalog (forvaltningsloven § 25)"))
	}
	if bad := unknownCodes(in.LegalBasisCodes, cat.Provisions, func(p Provision) string { return p.Code }, func(p Provision) bool { return p.Active }); len(bad) > 0 {
		problems = append(problems, invalid.F("hjemmel: ukjent eller utgått lovbestemmelse %s (velg fra kommunens hjemmelskatalog)", strings.Join(bad, ", ")))
	}
	tooLong(&problems, invalid.F("begrunnelsen"), in.Reasons, 8000)
	tooLong(&problems, invalid.F("vilkårene"), in.Conditions, 4000)
	if in.BaseVersion > 0 {
		required(&problems, invalid.F("grunnen til endringen"), in.AmendmentReason)
	}
	if in.Outcome != OutcomeGranted {
		return decided, problems
	}
	if kind.Housing() {
		if !Has(HousingTypes, string(in.HousingType)) {
			problems = append(problems, invalid.F("velg hvilken type bolig som innvilges"))
		}
		if in.Rooms < 1 || in.Rooms > 10 {
			problems = append(problems, invalid.F("boligens størrelse må være mellom 1 og 10 rom"))
		}
	}
	for _, r := range in.Requirements {
		if !Has(Requirements, r) {
			problems = append(problems, invalid.F("ukjent krav til boligen %q", r))
		}
	}
	if kind == KindAssistance && len(in.Services) == 0 {
		problems = append(problems, invalid.F("et innvilget vedtak om boligsosial bistand må ha minst én tjeneste"))
	}
	// Housing First's participant agreement is a condition of a Housing
	// First decision only (seed 002).
	if in.ParticipantAgreement && in.HousingType != housing.CategoryHousingFirst && !slices.ContainsFunc(in.Services, func(s Service) bool { return s.Code == "housing_first" }) {
		problems = append(problems, invalid.F("deltakeravtalen kan bare være vilkår i et vedtak om Housing First (bolig eller oppfølging fra Housing First-teamet)"))
	}
	for i, s := range in.Services {
		n := i + 1
		if s.Code == "" {
			problems = append(problems, invalid.F("tjeneste %d: velg tjenesten fra kommunens tjenestekatalog", n))
		} else if bad := unknownCodes([]string{s.Code}, cat.Services, func(c CatalogService) string { return c.Code }, func(c CatalogService) bool { return c.Active }); len(bad) > 0 {
			problems = append(problems, invalid.F("tjeneste %d: ukjent eller utgått tjeneste %s (velg fra kommunens tjenestekatalog)", n, bad[0]))
		}
		switch {
		case s.AsNeeded && strings.TrimSpace(s.AsNeededText) == "":
			// "Etter behov" is a real extent only with what the need is and
			// how it is met (seed 003), or the person cannot appeal it.
			problems = append(problems, invalid.F("tjeneste %d: omfang «etter behov» må ha en beskrivelse av behovet og hvordan det følges opp", n))
		case s.AsNeeded && s.HoursPerWeek != 0:
			problems = append(problems, invalid.F("tjeneste %d: oppgi enten timer per uke eller «etter behov», ikke begge", n))
		case !s.AsNeeded && !(s.HoursPerWeek > 0 && s.HoursPerWeek <= 168):
			problems = append(problems, invalid.F("tjeneste %d: omfanget må være mellom 0 og 168 timer per uke, eller «etter behov» med en beskrivelse", n))
		}
		tooLong(&problems, invalid.F("tjeneste %d: beskrivelsen av behovet", n), s.AsNeededText, 2000)
		if s.ProviderUnitID <= 0 {
			problems = append(problems, invalid.F("tjeneste %d: velg enheten som gir tjenesten", i+1))
		}
		start := s.StartOn
		if start.IsZero() {
			problems = append(problems, invalid.F("tjeneste %d: startdato mangler", i+1))
			continue
		}
		if end := s.EndOn; !end.IsZero() {
			if end.Before(start) {
				problems = append(problems, invalid.F("tjeneste %d: sluttdatoen kan ikke være før startdatoen", i+1))
			}
		}
	}
	if len(in.Services) > 0 {
		required(&problems, invalid.F("koordinator (når vedtaket har tjenester)"), in.Coordinator)
		// The coordinator is chosen with the person where it can be
		// (helse- og omsorgstjenesteloven § 7-2; seed 003: "i samråd med
		// hovedpersonen som også kan være med å bestemme").
		switch in.CoordinatorAgreed {
		case "ja":
		case "nei":
			required(&problems, invalid.F("koordinator: hvorfor koordinatoren ikke er valgt sammen med personen"), in.CoordinatorNote)
		default:
			problems = append(problems, invalid.F("koordinator: oppgi om koordinatoren er valgt sammen med personen, eller hvorfor ikke"))
		}
		tooLong(&problems, invalid.F("koordinator: grunnen"), in.CoordinatorNote, 2000)
	}
	return decided, problems
}

// Diff lists what changed from one version to the next, in words a case
// worker reads.
func Diff(before, after Decision) []Change {
	var out []Change
	add := func(field string, name phrase.Phrase, b, a value) {
		if b.text != a.text {
			out = append(out, Change{Field: field, Before: b.text, After: a.text, Name: name, Was: b.said, Now: a.said})
		}
	}
	outcome := func(o Outcome) value { return labelValue(outcomeLabel(o), "case.outcome."+string(o)) }
	housingType := func(c housing.Category) value {
		return labelValue(Label(HousingTypes, string(c)), "unit.category."+string(c))
	}
	add("Utfall", phrase.New("texts.change.outcome"), outcome(before.Outcome), outcome(after.Outcome))
	add("Boligtype", phrase.New("texts.change.housing_type"), housingType(before.HousingType), housingType(after.HousingType))
	add("Antall rom", phrase.New("texts.change.rooms"), roomsValue(before.Rooms), roomsValue(after.Rooms))
	add("Krav til boligen", phrase.New("texts.change.requirements"), requirementsValue(before.Requirements), requirementsValue(after.Requirements))
	add("Koordinator", phrase.New("texts.change.coordinator"), textValue(before.Coordinator), textValue(after.Coordinator))
	add("Koordinator valgt sammen med personen", phrase.New("texts.change.coordinator_agreed"), agreedValue(before), agreedValue(after))
	add("Deltakeravtale som vilkår", phrase.New("texts.change.participant_agreement"), yesNoValue(before.ParticipantAgreement), yesNoValue(after.ParticipantAgreement))
	add("Vilkår", phrase.New("texts.change.conditions"), textValue(before.Conditions), textValue(after.Conditions))
	add("Begrunnelse", phrase.New("texts.change.reasons"), textValue(before.Reasons), textValue(after.Reasons))
	add("Hjemmel", phrase.New("texts.change.legal_basis"), textValue(before.LegalBasis), textValue(after.LegalBasis))
	add("Vedtaksdato", phrase.New("texts.change.decided_on"), dateValue(before.DecidedOn), dateValue(after.DecidedOn))
	key := func(s Service) string {
		return s.Code + "|" + s.Service + "|" + strconv.FormatInt(s.ProviderUnitID, 10)
	}
	old := map[string]Service{}
	for _, s := range before.Services {
		old[key(s)] = s
	}
	for _, s := range after.Services {
		name := phrase.New("texts.change.service", phrase.Text(s.Service))
		b, ok := old[key(s)]
		delete(old, key(s))
		if !ok {
			add("Tjeneste "+s.Service, name, value{}, serviceValue(s))
			continue
		}
		add("Tjeneste "+s.Service, name, serviceValue(b), serviceValue(s))
	}
	for _, s := range before.Services {
		if _, gone := old[key(s)]; gone {
			add("Tjeneste "+s.Service, phrase.New("texts.change.service", phrase.Text(s.Service)), serviceValue(s), value{})
		}
	}
	return out
}

func agreedText(d Decision) string {
	switch d.CoordinatorAgreed {
	case "ja":
		return "Ja"
	case "nei":
		return "Nei: " + d.CoordinatorNote
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "Ja"
	}
	return "Nei"
}

// outcomeLabel names an outcome in bokmål, from the catalogue.
func outcomeLabel(o Outcome) string { return i18n.Label("nb", "case.outcome", string(o)) }

func roomsText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func requirementsText(rs []string) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = Label(Requirements, r)
	}
	return strings.Join(names, ", ")
}

// hours writes 7.5 as "7,5".
func hours(h float64) string {
	return strings.Replace(strconv.FormatFloat(h, 'f', -1, 64), ".", ",", 1)
}

// ServiceText describes a service in one line.
func ServiceText(s Service) string {
	t := fmt.Sprintf("%s, %s timer per uke, fra %s", s.Service, hours(s.HoursPerWeek), norwegianDate(s.StartOn))
	if s.AsNeeded {
		t = fmt.Sprintf("%s, etter behov (%s), fra %s", s.Service, s.AsNeededText, norwegianDate(s.StartOn))
	}
	if !s.EndOn.IsZero() {
		t += " til " + norwegianDate(s.EndOn)
	}
	if s.ProviderName != "" {
		t += " (" + s.ProviderName + ")"
	}
	return t
}

func norwegianDate(d deadline.Date) string { return d.Norwegian() }

// RequirementLabels names a decision's requirements, for pages and letters.
func (d Decision) RequirementLabels() string { return requirementsText(d.Requirements) }

// OutcomeLabel is the decision's outcome in words.
func (d Decision) OutcomeLabel() string { return outcomeLabel(d.Outcome) }

// HousingLabel is the granted housing type in words.
func (d Decision) HousingLabel() string { return Label(HousingTypes, string(d.HousingType)) }

// Decide makes a case's decision, or amends it: a new version with the
// changes and their reason. Every unit with a role on the case is told.
func Decide(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, in DecisionInput, today deadline.Date) (Decision, error) {
	if !a.Writes() {
		return Decision{}, access.ErrForbidden
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return Decision{}, err
	}
	cat, err := catalogues(ctx, q, a.MunicipalityID)
	if err != nil {
		return Decision{}, err
	}
	for i, s := range in.Services {
		// The name comes from the catalogue, so the same service reads the
		// same in every decision and letter.
		if j := slices.IndexFunc(cat.Services, func(c CatalogService) bool { return c.Code == s.Code }); j >= 0 {
			in.Services[i].Service = cat.Services[j].Name
		}
		in.Services[i].AsNeededText = strings.TrimSpace(s.AsNeededText)
	}
	in.LegalBasisCodes = slices.Compact(in.LegalBasisCodes)
	decided, problems := CheckDecision(in, ref.Kind, ref.Received, today, cat)
	for i := range in.Services {
		if in.Services[i].ProviderUnitID > 0 && checkOrgUnit(ctx, q, a.MunicipalityID, in.Services[i].ProviderUnitID, &in.Services[i].ProviderName) != nil {
			problems = append(problems, invalid.F("tjeneste %d: enheten finnes ikke i kommunen", i+1))
		}
	}
	if len(problems) > 0 {
		return Decision{}, &ValidationError{Problems: problems}
	}
	history, err := decisions(ctx, q, a.MunicipalityID, ref.ID)
	if err != nil {
		return Decision{}, err
	}
	current := 0
	if len(history) > 0 {
		current = history[0].Version
	}
	if in.BaseVersion != current {
		if in.BaseVersion == 0 {
			return Decision{}, invalid.RefuseAs(ErrStale, invalid.F("vedtaket finnes allerede i versjon %d", current))
		}
		return Decision{}, invalid.RefuseAs(ErrStale, invalid.F("du åpnet versjon %d, gjeldende er %d", in.BaseVersion, current))
	}
	if current > 0 && !undecided(ref.Status) && ref.Status != StatusGranted && ref.Status != StatusRefused && in.Outcome == OutcomeRefused {
		return Decision{}, invalid.Problem("saken har allerede %s; et avslag må skje ved oppsigelse av leieforholdet, ikke ved endring av vedtaket", i18n.Lower("case.status", ref.Status))
	}
	d := Decision{ApplicationID: ref.ID, Version: current + 1, Outcome: in.Outcome, Coordinator: strings.TrimSpace(in.Coordinator),
		Conditions: strings.TrimSpace(in.Conditions), Reasons: strings.TrimSpace(in.Reasons),
		LegalBasis: strings.Join(citations(in.LegalBasisCodes, cat.Provisions), "; "), LegalBasisCodes: in.LegalBasisCodes,
		DecidedOn: decided, earliestDue: deadline.Due(decided, deadline.AppealTime), DecidedBy: a.Name, OrgUnit: a.OrgUnitName,
		AmendmentReason: strings.TrimSpace(in.AmendmentReason), Requirements: []string{}, Services: []Service{}, Changes: []Change{}}
	if in.Outcome == OutcomeGranted {
		d.HousingType, d.Rooms = in.HousingType, in.Rooms
		d.Requirements = append(d.Requirements, slices.Compact(slices.Sorted(slices.Values(in.Requirements)))...)
		d.Services = append(d.Services, in.Services...) // stays [] without services
		d.ParticipantAgreement = in.ParticipantAgreement
		if len(d.Services) > 0 {
			d.CoordinatorAgreed = in.CoordinatorAgreed
			if in.CoordinatorAgreed == "nei" {
				d.CoordinatorNote = strings.TrimSpace(in.CoordinatorNote)
			}
		}
	}
	if current > 0 {
		d.Changes = Diff(history[0], d)
		if len(d.Changes) == 0 {
			return Decision{}, invalid.Problem("endringen er lik gjeldende vedtak: ingenting å lagre")
		}
	}
	changes, _ := json.Marshal(d.Changes)
	d.ID, err = store.InsertID(ctx, q, `INSERT INTO decisions (municipality_id, application_id, person_id, version, outcome, housing_type, rooms,
		requirements, coordinator, conditions, reasons, legal_basis, decided_on, appeal_due, decided_by, decided_by_id, org_unit_name, amendment_reason, changes,
		created_at, legal_basis_codes, coordinator_agreed, coordinator_note, participant_agreement)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, ref.ID, ref.PersonID, d.Version, d.Outcome, d.HousingType,
		d.Rooms, strings.Join(d.Requirements, ","), d.Coordinator, d.Conditions, d.Reasons, d.LegalBasis, d.DecidedOn, d.earliestDue, d.DecidedBy,
		a.UserRef(), d.OrgUnit, d.AmendmentReason, string(changes), store.TimeArg(time.Now()), strings.Join(d.LegalBasisCodes, ","), d.CoordinatorAgreed, d.CoordinatorNote,
		d.ParticipantAgreement)
	if store.IsUniqueViolation(err) {
		return Decision{}, ErrStale
	}
	if err != nil {
		return Decision{}, err
	}
	for _, s := range d.Services {
		end := s.EndOn
		if _, err := q.ExecContext(ctx, `INSERT INTO decision_services (municipality_id, decision_id, service, service_code, hours_per_week, as_needed, as_needed_text,
			provider_unit_id, start_on, end_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, d.ID, s.Service, s.Code, s.HoursPerWeek, s.AsNeeded,
			s.AsNeededText, s.ProviderUnitID, s.StartOn, end); err != nil {
			return Decision{}, err
		}
	}
	if undecided(ref.Status) || ref.Status == StatusGranted || ref.Status == StatusRefused {
		status := StatusGranted
		if d.Outcome == OutcomeRefused {
			status = StatusRefused
		}
		if status != ref.Status {
			if err := setStatus(ctx, q, ref.ID, status); err != nil {
				return Decision{}, err
			}
		}
	}
	msg := phrase.New("texts.notification.decided", phrase.Label("texts.outcome."+string(d.Outcome)), phrase.Text(a.Name))
	if current > 0 {
		msg = phrase.New("texts.notification.amended", phrase.Number(float64(d.Version)), phrase.Text(a.Name), phrase.Text(d.AmendmentReason))
	}
	if err := notifyCaseUnits(ctx, q, a, ref, msg); err != nil {
		return Decision{}, err
	}
	var before any
	if current > 0 {
		before = history[0]
	}
	return d, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: map[bool]string{true: "endre", false: "fatt"}[current > 0],
		Entity: "vedtak", EntityID: d.ID, Before: before, After: d})
}

// notifyCaseUnits tells every unit with an active role on the person's
// case, except the actor's own, about a change to the case. The message
// is stored as a phrase, so each unit reads it in its own language.
func notifyCaseUnits(ctx context.Context, q store.Queryer, a access.Actor, ref caseRef, message phrase.Phrase) error {
	stored, err := phrase.Encode([]phrase.Phrase{message})
	if err != nil {
		return err
	}
	now := store.TimeArg(time.Now())
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT org_unit_id FROM case_units WHERE municipality_id = ? AND person_id = ? AND org_unit_id <> ?
		AND (ended_at IS NULL OR ended_at > ?)`, a.MunicipalityID, ref.PersonID, a.OrgUnitID, now)
	units, err := store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
	if err != nil {
		return err
	}
	for _, unit := range units {
		if _, err := q.ExecContext(ctx, "INSERT INTO notifications (municipality_id, org_unit_id, application_id, message, phrase, created_at) VALUES (?, ?, ?, '', ?, ?)",
			a.MunicipalityID, unit, ref.ID, stored, now); err != nil {
			return err
		}
	}
	return nil
}

// decisions lists a case's decision versions, newest first, with services.
func decisions(ctx context.Context, q store.Queryer, municipalityID, applicationID int64) ([]Decision, error) {
	m, err := decisionsOf(ctx, q, municipalityID, []int64{applicationID})
	return store.Of(m, applicationID), err
}

// decisionsOf reads the decisions of many cases, each case's newest
// version first, with their services: two queries in all.
func decisionsOf(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64) (map[int64][]Decision, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, `SELECT application_id, id, application_id, version, outcome, housing_type, rooms, requirements, coordinator, conditions, reasons,
		legal_basis, decided_on, appeal_due, decided_by, org_unit_name, amendment_reason, changes, notified_on, notified_via, legal_basis_codes, coordinator_agreed,
		coordinator_note, participant_agreement FROM decisions
		WHERE municipality_id = ? AND application_id IN `+in+` ORDER BY version DESC`, append([]any{municipalityID}, args...)...)
	byCase, err := store.CollectBy(rows, err, func(s store.Scanner) (d Decision, err error) {
		var reqs, changes, codes string
		if err = s.Scan(&d.ID, &d.ApplicationID, &d.Version, &d.Outcome, &d.HousingType, &d.Rooms, &reqs, &d.Coordinator, &d.Conditions, &d.Reasons,
			&d.LegalBasis, &d.DecidedOn, &d.earliestDue, &d.DecidedBy, &d.OrgUnit, &d.AmendmentReason, &changes,
			&d.NotifiedOn, &d.NotifiedVia, &codes, &d.CoordinatorAgreed, &d.CoordinatorNote, &d.ParticipantAgreement); err != nil {
			return d, err
		}
		d.LegalBasisCodes = []string{}
		if codes != "" {
			d.LegalBasisCodes = strings.Split(codes, ",")
		}
		if !d.NotifiedOn.IsZero() {
			d.AppealDue = d.earliestDue
		}
		d.Requirements = []string{}
		if reqs != "" {
			d.Requirements = strings.Split(reqs, ",")
		}
		d.Services = []Service{}
		err = json.Unmarshal([]byte(changes), &d.Changes)
		return d, err
	})
	if err != nil || len(byCase) == 0 {
		return byCase, err
	}
	rows, err = q.QueryContext(ctx, `SELECT s.decision_id, s.service_code, s.service, s.hours_per_week, s.as_needed, s.as_needed_text, s.provider_unit_id, o.name, s.start_on, s.end_on
		FROM decision_services s JOIN decisions d ON d.id = s.decision_id JOIN org_units o ON o.id = s.provider_unit_id
		WHERE d.municipality_id = ? AND d.application_id IN `+in+` ORDER BY s.id`, append([]any{municipalityID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]*Decision{}
	for _, ds := range byCase {
		for i := range ds {
			byID[ds[i].ID] = &ds[i]
		}
	}
	for rows.Next() {
		var id int64
		var s Service
		if err := rows.Scan(&id, &s.Code, &s.Service, &s.HoursPerWeek, &s.AsNeeded, &s.AsNeededText, &s.ProviderUnitID, &s.ProviderName, &s.StartOn, &s.EndOn); err != nil {
			return nil, err
		}
		byID[id].Services = append(byID[id].Services, s)
	}
	return byCase, rows.Err()
}

// Notification is a message to a unit about one of its cases: a phrase,
// written in the reader's language; a message stored before phrases has
// only its bokmål Message.
type Notification struct {
	ID            int64     `json:"id"`
	ApplicationID int64     `json:"application_id"`
	PersonID      int64     `json:"person_id"`
	PersonName    string    `json:"person_name"`
	Message       string    `json:"message"`
	At            time.Time `json:"created_at"`
	phrase.Phrase
}

// Speak writes the message in the reader's language (phrase.Speaker).
func (n *Notification) Speak(write func(phrase.Phrase) string) {
	if n.Code != "" {
		n.Message = write(n.Phrase)
	}
}

// NotificationsAfter lists one page of the unread messages to the actor's
// unit about persons the actor may see, newest first: at most limit after
// the message with id after (0 for the first page), and whether more
// follow. It logs the names shown. Paged by key, so no message is left
// out however many there are.
func NotificationsAfter(ctx context.Context, q store.Queryer, a access.Actor, channel string, after int64, limit int) ([]Notification, bool, error) {
	if !a.Writes() || a.OrgUnitID == 0 {
		return []Notification{}, false, nil
	}
	visible, vargs := access.VisibleClause(a)
	args := append([]any{a.MunicipalityID, a.OrgUnitID}, vargs...)
	from := ""
	if after > 0 {
		from, args = " AND n.id < ?", append(args, after)
	}
	rows, err := q.QueryContext(ctx, `SELECT n.id, n.application_id, p.id, p.first_name || ' ' || p.last_name, n.message, n.phrase, n.created_at
		FROM notifications n JOIN applications a ON a.id = n.application_id JOIN persons p ON p.id = a.person_id
		WHERE n.municipality_id = ? AND n.org_unit_id = ? AND n.read_at IS NULL AND `+visible+from+` ORDER BY n.id DESC LIMIT ?`,
		append(args, limit+1)...)
	ns, err := store.Collect(rows, err, func(s store.Scanner) (n Notification, err error) {
		var stored string
		if err = s.Scan(&n.ID, &n.ApplicationID, &n.PersonID, &n.PersonName, &n.Message, &stored, store.ScanTime(&n.At)); err != nil {
			return n, err
		}
		ps, err := phrase.Decode(stored)
		if len(ps) > 0 {
			n.Phrase = ps[0]
		}
		return n, err
	})
	if err != nil || len(ns) == 0 {
		return ns, false, err
	}
	more := len(ns) > limit
	if more {
		ns = ns[:limit]
	}
	rd := access.NewReader(q, a, channel)
	for _, n := range ns {
		rd.List(0, n.PersonID)
	}
	return ns, more, rd.Send(ctx, &ns)
}

// MarkNotificationRead marks one of the unit's messages as read.
func MarkNotificationRead(ctx context.Context, q store.Queryer, a access.Actor, id int64) error {
	if !a.Writes() {
		return access.ErrForbidden
	}
	res, err := q.ExecContext(ctx, "UPDATE notifications SET read_at = ? WHERE municipality_id = ? AND org_unit_id = ? AND id = ? AND read_at IS NULL",
		store.TimeArg(time.Now()), a.MunicipalityID, a.OrgUnitID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return invalid.Problem("varselet finnes ikke, eller er allerede lest")
	}
	return nil
}

// catalogues reads the municipality's provisions and services.
func catalogues(ctx context.Context, q store.Queryer, municipalityID int64) (Catalogues, error) {
	ps, err := Provisions(ctx, q, municipalityID)
	if err != nil {
		return Catalogues{}, err
	}
	ss, err := Services(ctx, q, municipalityID)
	return Catalogues{Provisions: ps, Services: ss}, err
}
