package caseflow

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Texts a municipality edits: the opening of each letter, the house rules,
// the public page and the local rule for declined offers. What the law
// requires in a letter is added by Husly and cannot be edited away.

// Text kinds.
const (
	TextDecision     = "brev_vedtak"
	TextRefusal      = "brev_avslag"
	TextProvisional  = "brev_forelopig_svar"
	TextAllocation   = "brev_tildeling"
	TextHouseRules   = "husordensregler"
	TextPublic       = "offentlig_info"
	TextDeclineLimit = "avslag_grense"
	// The public page's contact details and what to do tonight without a
	// place to sleep. The contact details have no built-in text: the page
	// falls back on the housing office's phone and leaves out the rest.
	TextPublicPhone   = "offentlig_telefon"
	TextPublicAddress = "offentlig_adresse"
	TextPublicHours   = "offentlig_apningstid"
	TextTonight       = "offentlig_akutt"
)

// PublicTexts are the texts of the public page, in one read (TextsOf).
var PublicTexts = []string{TextPublic, TextPublicPhone, TextPublicAddress, TextPublicHours, TextTonight}

// NynorskText is the kind of a letter text's nynorsk variant: each text
// that opens a letter exists in both written forms, with a lawful default
// in each, and the letter takes the one in its form (writtenform.Choose).
func NynorskText(kind string) string { return kind + "_nn" }

// TextDef is one editable text: its name, the placeholders it may use,
// and the built-in text.
type TextDef struct {
	Kind, Name   string
	Placeholders []string
	Default      string
}

// Texts lists the editable texts in the order the administrator sees them.
var Texts = []TextDef{
	{TextDecision, "Vedtaksbrev (innvilget): innledning", []string{"navn", "kommune", "mottatt", "vedtaksdato", "saksbehandler", "enhet"},
		"Hei {navn}.\n\nVi har behandlet søknaden din, som vi fikk {mottatt}. Du får hjelp til å få og beholde et hjem. Her står hva du får, hvorfor, og hva du kan gjøre hvis du er uenig."},
	{TextRefusal, "Vedtaksbrev (avslag): innledning", []string{"navn", "kommune", "mottatt", "vedtaksdato", "saksbehandler", "enhet"},
		"Hei {navn}.\n\nVi har behandlet søknaden din, som vi fikk {mottatt}. Vi kan dessverre ikke gi deg det du søkte om. Her står hvorfor, og hva du kan gjøre hvis du er uenig. Vi hjelper deg gjerne med å finne andre muligheter."},
	{TextProvisional, "Foreløpig svar", []string{"navn", "kommune", "mottatt", "frist", "forventet", "saksbehandler", "enhet"},
		"Hei {navn}.\n\nVi har fått søknaden din, datert mottatt {mottatt}. Vi klarer ikke å gi deg svar innen en måned ({frist}), fordi vi trenger mer tid til å kartlegge hva du trenger og finne en løsning som passer for deg.\n\nVi regner med å gi deg svar innen {forventet}. Blir det forsinket, sier vi fra."},
	{TextAllocation, "Tildelingsbrev", []string{"navn", "kommune", "adresse", "husleie", "svarfrist", "saksbehandler", "enhet"},
		"Hei {navn}.\n\nVi kan tilby deg en bolig i {adresse}. Husleien er {husleie} i måneden. Vi vil gjerne at du ser på boligen før du bestemmer deg: ring saksbehandleren din, så avtaler vi en visning.\n\nSvar oss innen {svarfrist}."},
	{NynorskText(TextDecision), "Vedtaksbrev (innvilget): innledning på nynorsk", []string{"navn", "kommune", "mottatt", "vedtaksdato", "saksbehandler", "enhet"},
		"Hei {navn}.\n\nVi har behandla søknaden din, som vi fekk {mottatt}. Du får hjelp til å få og halde på ein heim. Her står kva du får, kvifor, og kva du kan gjere om du er usamd."},
	{NynorskText(TextRefusal), "Vedtaksbrev (avslag): innledning på nynorsk", []string{"navn", "kommune", "mottatt", "vedtaksdato", "saksbehandler", "enhet"},
		"Hei {navn}.\n\nVi har behandla søknaden din, som vi fekk {mottatt}. Vi kan dessverre ikkje gi deg det du søkte om. Her står kvifor, og kva du kan gjere om du er usamd. Vi hjelper deg gjerne med å finne andre moglegheiter."},
	{NynorskText(TextProvisional), "Foreløpig svar på nynorsk", []string{"navn", "kommune", "mottatt", "frist", "forventet", "saksbehandler", "enhet"},
		"Hei {navn}.\n\nVi har fått søknaden din, som vi tok imot {mottatt}. Vi klarer ikkje å gi deg svar innan ein månad ({frist}), fordi vi treng meir tid til å kartleggje kva du treng og finne ei løysing som passar for deg.\n\nVi reknar med å gi deg svar innan {forventet}. Blir det forseinka, seier vi frå."},
	{NynorskText(TextAllocation), "Tildelingsbrev på nynorsk", []string{"navn", "kommune", "adresse", "husleie", "svarfrist", "saksbehandler", "enhet"},
		"Hei {navn}.\n\nVi kan tilby deg ein bustad i {adresse}. Husleiga er {husleie} i månaden. Vi vil gjerne at du ser på bustaden før du bestemmer deg: ring saksbehandlaren din, så avtalar vi ei visning.\n\nSvar oss innan {svarfrist}."},
	{TextHouseRules, "Husordensregler (vedlegg til leiekontrakten)", nil,
		"1. Vis hensyn til naboene. Det skal være ro i huset mellom kl. 23 og kl. 07.\n2. Ta vare på boligen og fellesarealene, og si fra om skader med en gang.\n3. Søppel sorteres og kastes i containerne.\n4. Røyking er ikke tillatt i fellesarealene.\n5. Dyrehold avtales med utleier.\n6. Utleier kan gå inn i boligen for tilsyn og vedlikehold etter varsel, jf. husleieloven § 5-5."},
	{TextPublic, "Offentlig side: om boligtilbudet", []string{"kommune"},
		"{kommune} kommune hjelper deg som ikke klarer å skaffe deg eller beholde en bolig på egen hånd. Vi har kommunale utleieboliger, boliger med oppfølging og bemanning, og vi kan hjelpe deg med Startlån, bostøtte og depositum.\n\nDu kan søke digitalt etter at du har logget inn med ID-porten. Du kan lagre søknaden og fortsette senere, legge ved dokumenter og følge saken din. Trenger du hjelp til å søke, kan du ringe oss eller komme innom: vi fyller ut søknaden sammen med deg."},
	{TextDeclineLimit, "Lokal regel: antall avslåtte tilbud før saken vurderes på nytt", nil, "2"},
	{TextPublicPhone, "Offentlig side: telefonnummer", nil, ""},
	{TextPublicAddress, "Offentlig side: besøksadresse", nil, ""},
	{TextPublicHours, "Offentlig side: åpningstider", nil, ""},
	// NAV must find temporary housing for those who cannot find it
	// themselves (sosialtjenesteloven § 27); the default says so, and where
	// to turn when the office is closed.
	{TextTonight, "Offentlig side: uten sted å sove i natt", []string{"kommune"},
		"Har du ikke et sted å sove i natt, kan du få hjelp i dag. Kontakt NAV-kontoret i {kommune} kommune: NAV skal finne et midlertidig sted å bo for deg som ikke klarer det selv (sosialtjenesteloven § 27). Du trenger ikke å ha søkt om kommunal bolig først.\n\nEtter at NAV-kontoret har stengt: ring legevakten på 116 117 og spør etter sosialvakt eller et akutt sted å sove. Er noen i fare, ring 112 (politi) eller 113 (ambulanse)."},
}

// TextDefOf finds a text's definition.
func TextDefOf(kind string) (TextDef, bool) {
	i := slices.IndexFunc(Texts, func(t TextDef) bool { return t.Kind == kind })
	if i < 0 {
		return TextDef{}, false
	}
	return Texts[i], true
}

// TextOf gives the municipality's text of a kind, or the built-in one.
func TextOf(ctx context.Context, q store.Queryer, municipalityID int64, kind string) (string, error) {
	var body string
	err := q.QueryRowContext(ctx, "SELECT body FROM texts WHERE municipality_id = ? AND kind = ?", municipalityID, kind).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		def, _ := TextDefOf(kind)
		return def.Default, nil
	}
	return body, err
}

// TextsOf gives several of the municipality's texts in one query, each
// the built-in one where the municipality has none.
func TextsOf(ctx context.Context, q store.Queryer, municipalityID int64, kinds ...string) (map[string]string, error) {
	out := make(map[string]string, len(kinds))
	args := []any{municipalityID}
	marks := make([]string, len(kinds))
	for i, k := range kinds {
		def, _ := TextDefOf(k)
		out[k] = def.Default
		args = append(args, k)
		marks[i] = "?"
	}
	if len(kinds) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, "SELECT kind, body FROM texts WHERE municipality_id = ? AND kind IN ("+strings.Join(marks, ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, body string
		if err := rows.Scan(&kind, &body); err != nil {
			return nil, err
		}
		out[kind] = body
	}
	return out, rows.Err()
}

var phoneNumber = regexp.MustCompile(`^\+?[0-9][0-9 ]{2,19}$`)

var placeholder = regexp.MustCompile(`\{([^{}]*)\}`)

// CheckText checks an edited text: only the kind's placeholders, a sane
// length, and for the local rule a whole number.
func CheckText(def TextDef, body string) []invalid.Message {
	var problems []invalid.Message
	if strings.TrimSpace(body) == "" {
		problems = append(problems, invalid.F("teksten kan ikke være tom: slett endringen for å bruke standardteksten"))
	}
	tooLong(&problems, invalid.F("teksten"), body, 20000)
	for _, m := range placeholder.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(def.Placeholders, m[1]) {
			allowed := "ingen"
			if len(def.Placeholders) > 0 {
				allowed = "{" + strings.Join(def.Placeholders, "}, {") + "}"
			}
			problems = append(problems, invalid.F("ukjent flett-felt {%s}: denne teksten kan bruke %s", m[1], allowed))
		}
	}
	if def.Kind == TextPublicPhone && !phoneNumber.MatchString(strings.TrimSpace(body)) {
		problems = append(problems, invalid.F("telefonnummeret kan bare ha sifre og mellomrom, og + foran, for eksempel 71 57 40 00"))
	}
	if def.Kind == TextDeclineLimit {
		if n, err := strconv.Atoi(strings.TrimSpace(body)); err != nil || n < 1 || n > 10 {
			problems = append(problems, invalid.F("antall avslåtte tilbud må være et helt tall fra 1 til 10"))
		}
	}
	return problems
}

// SetText stores a municipality's version of a text (administrators);
// an empty body restores the built-in text.
func SetText(ctx context.Context, q store.Queryer, a access.Actor, kind, body string) error {
	if a.Role != access.Admin {
		return access.ErrForbidden
	}
	def, ok := TextDefOf(kind)
	if !ok {
		return invalid.Problem("ukjent tekst %q", kind)
	}
	before, err := TextOf(ctx, q, a.MunicipalityID, kind)
	if err != nil {
		return err
	}
	body = strings.ReplaceAll(body, "\r\n", "\n")
	if strings.TrimSpace(body) == "" {
		_, err = q.ExecContext(ctx, "DELETE FROM texts WHERE municipality_id = ? AND kind = ?", a.MunicipalityID, kind)
	} else {
		if ps := CheckText(def, body); len(ps) > 0 {
			return &ValidationError{Problems: ps}
		}
		_, err = q.ExecContext(ctx, `INSERT INTO texts (municipality_id, kind, body, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (municipality_id, kind) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
			a.MunicipalityID, kind, body, store.TimeArg(time.Now()))
	}
	if err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "tekst: " + def.Name,
		EntityID: a.MunicipalityID, Before: before, After: body})
}

// Fill puts values into a text's placeholders.
func Fill(body string, values map[string]string) string {
	return placeholder.ReplaceAllStringFunc(body, func(m string) string {
		if v, ok := values[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
}
