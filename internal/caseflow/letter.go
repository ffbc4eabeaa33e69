package caseflow

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/pdf"
	"husly/internal/store"
)

// Letters in plain Norwegian with what forvaltningsloven §§ 24–27 requires:
// the decision, its reasons and legal basis, the right and deadline of
// appeal, and the right to see the documents. One builder makes the
// content; it is written as PDF here and as HTML by the web pages.

// Letter kinds.
const (
	LetterDecision    = "vedtak"
	LetterProvisional = "forelopig-svar"
	LetterAllocation  = "tildeling"
	LetterLease       = "leiekontrakt"
	LetterAppealFile  = "klagesak"
)

// LetterKinds names each kind.
var LetterKinds = []struct{ Code, Label string }{
	{LetterDecision, "Vedtaksbrev"}, {LetterProvisional, "Foreløpig svar"}, {LetterAllocation, "Tildelingsbrev"},
	{LetterLease, "Leiekontrakt"}, {LetterAppealFile, "Klagesak til Statsforvalteren"},
}

// LetterKindLabel names a letter kind.
func LetterKindLabel(k string) string { return Label(LetterKinds, k) }

// Section is one headed part of a letter.
type Section struct {
	Heading    string      `json:"heading"`
	Paragraphs []string    `json:"paragraphs,omitempty"`
	Facts      [][2]string `json:"facts,omitempty"`
	List       []string    `json:"list,omitempty"`
}

// Letter is a letter's whole content.
type Letter struct {
	Kind     string      `json:"kind"`
	Title    string      `json:"title"`
	From     string      `json:"from"`
	Header   [][2]string `json:"header"`
	Sections []Section   `json:"sections"`
}

// LetterData is everything a letter may draw on.
type LetterData struct {
	Municipality string
	PersonName   string
	Address      string
	Case         Case
	CaseWorker   string
	OrgUnit      string
	Template     string // the municipality's text for the kind, if it has one
	DeclineLimit int
	Practice     Practice // the municipality's appeal weeks, paper post days and deposit cap
	Today        deadline.Date
}

// Paragraphs splits a text at its blank lines.
func Paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// BuildLetter makes a letter of a kind from a case: a pure function. It
// says plainly when the case has nothing to write that letter about.
func BuildLetter(kind string, d LetterData) (Letter, error) {
	app := d.Case.Application
	from := d.OrgUnit
	if from == "" {
		from = d.Municipality + " kommune"
	}
	l := Letter{Kind: kind, From: from, Header: [][2]string{{"Til", strings.TrimSpace(d.PersonName + "\n" + d.Address)}, {"Dato", d.Today.Norwegian()},
		{"Saksnummer", fmt.Sprint(app.ID)}, {"Saksbehandler", d.CaseWorker}}}
	values := map[string]string{"navn": d.PersonName, "kommune": d.Municipality, "mottatt": norwegianDate(app.Received), "frist": norwegianDate(app.DecisionDue),
		"saksbehandler": d.CaseWorker, "enhet": from}
	docs := Section{Heading: "Du har rett til å se dokumentene i saken", Paragraphs: []string{
		"Du har rett til å se dokumentene i saken din (forvaltningsloven §§ 18 og 19). Ta kontakt med saksbehandleren, så får du dem.",
		"På Min side i Husly ser du det kommunen har registrert om deg, og hvem som har sett det."}}
	switch kind {
	case LetterDecision:
		dec := d.Case.Current()
		if dec == nil {
			return Letter{}, &ValidationError{Problems: []string{"saken har ikke noe vedtak ennå"}}
		}
		values["vedtaksdato"] = norwegianDate(dec.DecidedOn)
		l.Header = append(l.Header, [2]string{"Vedtaksdato", norwegianDate(dec.DecidedOn)})
		body := Section{Heading: "Vedtak"}
		if dec.Outcome == "innvilget" {
			l.Title = "Vedtak: " + KindLabel(app.Kind)
			body.Paragraphs = append(Paragraphs(Fill(d.Template, values)), "Søknaden din er innvilget.")
			if dec.HousingType != "" {
				body.Facts = append(body.Facts, [2]string{"Bolig", fmt.Sprintf("%s med %d rom", dec.HousingLabel(), dec.Rooms)})
				if r := dec.RequirementLabels(); r != "" {
					body.Facts = append(body.Facts, [2]string{"Krav til boligen", r})
				}
				body.Paragraphs = append(body.Paragraphs, "Vedtaket gjelder hva slags bolig du skal få, ikke en bestemt bolig. Når vi har en bolig som passer, får du et eget tildelingsbrev.")
			}
			for _, s := range dec.Services {
				body.List = append(body.List, ServiceText(s))
			}
			if dec.Coordinator != "" {
				body.Facts = append(body.Facts, [2]string{"Koordinator", dec.Coordinator + " er kontaktpersonen din og har ansvar for at tjenestene henger sammen."})
			}
			if dec.Conditions != "" {
				body.Facts = append(body.Facts, [2]string{"Vilkår", dec.Conditions})
			}
		} else {
			l.Title = "Vedtak: avslag på søknad om " + strings.ToLower(KindLabel(app.Kind))
			body.Paragraphs = append(Paragraphs(Fill(d.Template, values)), "Søknaden din er avslått.")
		}
		l.Sections = append(l.Sections, body)
		if dec.Version > 1 {
			changes := Section{Heading: "Endringer fra forrige vedtak", Paragraphs: []string{fmt.Sprintf("Dette vedtaket (versjon %d) erstatter det forrige. Grunnen til endringen: %s", dec.Version, dec.AmendmentReason)}}
			for _, c := range dec.Changes {
				changes.List = append(changes.List, fmt.Sprintf("%s: «%s» er endret til «%s»", c.Field, orNone(c.Before), orNone(c.After)))
			}
			l.Sections = append(l.Sections, changes)
		}
		l.Sections = append(l.Sections,
			Section{Heading: "Begrunnelse", Paragraphs: append(Paragraphs(dec.Reasons), "Vedtaket er gjort etter "+dec.LegalBasis+".")},
			Section{Heading: "Du kan klage", Paragraphs: []string{
				appealDeadlineText(*dec, d.Practice, d.Today),
				"Send klagen til " + from + ". Skriv hva du klager på, hva du vil ha endret, og hvorfor. Du kan få hjelp til å skrive klagen av oss.",
				"Vi vurderer saken på nytt. Får du ikke medhold hos oss, sender vi klagen til Statsforvalteren, som avgjør den.",
				"Du kan be om at vedtaket ikke gjennomføres før klagen er avgjort (forvaltningsloven § 42)."}},
			docs)
	case LetterProvisional:
		if !undecided(app.Status) {
			return Letter{}, &ValidationError{Problems: []string{"saken er allerede avgjort: foreløpig svar sendes bare i saker som ikke er avgjort"}}
		}
		l.Title = "Foreløpig svar på søknaden din"
		expected := ExpectedDecision(d.Today)
		if e, err := deadline.Parse(app.ProvisionalExpected); err == nil {
			expected = e // the date the case worker recorded as promised
		}
		values["forventet"] = expected.Norwegian()
		s := Section{Heading: "Vi trenger mer tid", Paragraphs: Paragraphs(Fill(d.Template, values))}
		for _, r := range d.Case.Requests {
			if r.ReceivedOn == "" {
				s.List = append(s.List, fmt.Sprintf("%s (send oss dette innen %s)", r.What, norwegianDate(r.DueOn)))
			}
		}
		if len(s.List) > 0 {
			s.Paragraphs = append(s.Paragraphs, "Vi mangler disse opplysningene fra deg:")
		}
		s.Paragraphs = append(s.Paragraphs, "Dette brevet er et foreløpig svar etter forvaltningsloven § 11 a. Det er ikke et vedtak og kan ikke påklages.")
		l.Sections = append(l.Sections, s, docs)
	case LetterAllocation:
		o := d.Case.OpenOffer()
		if o == nil {
			return Letter{}, &ValidationError{Problems: []string{"saken har ikke et tilbud om bolig som venter på svar"}}
		}
		l.Title = "Tilbud om bolig"
		values["adresse"], values["husleie"], values["svarfrist"] = o.UnitAddress, kr(o.RentMonthly), norwegianDate(o.RespondBy)
		l.Sections = append(l.Sections,
			Section{Heading: "Du får tilbud om en bolig", Paragraphs: Paragraphs(Fill(d.Template, values)),
				Facts: [][2]string{{"Adresse", o.UnitAddress}, {"Bolignummer", o.UnitCode}, {"Husleie", kr(o.RentMonthly) + " i måneden"}, {"Svar innen", norwegianDate(o.RespondBy)}}},
			Section{Heading: "Hvis du takker nei", Paragraphs: []string{
				"Si fra hvorfor, så tar vi det med når vi leter videre. Du står fortsatt på ventelisten.",
				fmt.Sprintf("Etter kommunens regler vurderer vi saken din på nytt hvis du har takket nei til %d tilbud.", d.DeclineLimit)}},
			docs)
	case LetterLease:
		if len(d.Case.Leases) == 0 {
			return Letter{}, &ValidationError{Problems: []string{"saken har ingen leiekontrakt"}}
		}
		ls := d.Case.Leases[0]
		l.Title = "Leiekontrakt"
		period, renewal := norwegianDate(ls.Start)+" til "+norwegianDate(ls.End), "Tre måneder før leieperioden er slutt, går vi gjennom med deg om kontrakten skal fornyes."
		if ls.Permanent {
			period, renewal = "Fra "+norwegianDate(ls.Start)+", tidsubestemt (uten sluttdato)", "Leieforholdet er tidsubestemt: det varer til det sies opp etter husleieloven kapittel 9."
		}
		deposit := kr(ls.Deposit)
		switch ls.DepositHeld {
		case "depositumskonto":
			deposit += ", på en egen sperret depositumskonto i ditt navn (husleieloven § 3-5)"
		case "nav_garanti":
			deposit += ", som garanti fra NAV i stedet for innskudd (husleieloven § 3-6)"
		}
		l.Header = [][2]string{{"Utleier", d.Municipality + " kommune"}, {"Leietaker", d.PersonName}, {"Saksnummer", fmt.Sprint(app.ID)}, {"Dato", d.Today.Norwegian()}}
		l.Sections = append(l.Sections,
			Section{Heading: "Leieforholdet", Facts: [][2]string{{"Bolig", ls.UnitAddress + " (" + ls.UnitCode + ")"}, {"Leieperiode", period},
				{"Husleie", kr(ls.RentMonthly) + " i måneden"}, {"Depositum", deposit}, {"Signert", norwegianDate(ls.SignedOn)}},
				Paragraphs: []string{"Leieforholdet følger husleieloven. Depositumet kan etter husleieloven § 3-5 ikke være mer enn seks måneders husleie. " + renewal}},
			Section{Heading: "Husordensregler", Paragraphs: houseRulesParagraphs(ls)})
		if ls.FollowUpAgreement != "" {
			l.Sections = append(l.Sections, Section{Heading: "Oppfølgingsavtale", Paragraphs: Paragraphs(ls.FollowUpAgreement)})
		}
		l.Sections = append(l.Sections, Section{Heading: "Underskrifter", Paragraphs: []string{"For utleier: ______________________", "Leietaker: ______________________"}})
	case LetterAppealFile:
		var x *Appeal
		for i := range d.Case.Appeals {
			if d.Case.Appeals[i].Status == "opprettholdt" || d.Case.Appeals[i].Status == "sendt_statsforvalter" || d.Case.Appeals[i].Status == "avgjort" {
				x = &d.Case.Appeals[i]
				break
			}
		}
		if x == nil {
			return Letter{}, &ValidationError{Problems: []string{"saken har ingen klage som enheten har opprettholdt vedtaket i"}}
		}
		l.Title = "Klagesak til Statsforvalteren"
		l.Header = append(l.Header, [2]string{"Til", "Statsforvalteren"})
		l.Header[0] = [2]string{"Klager", d.PersonName}
		l.Sections = append(l.Sections,
			Section{Heading: "Saken", Facts: [][2]string{{"Søknad", KindLabel(app.Kind)}, {"Mottatt", norwegianDate(app.Received)}, {"Vedtak påklaget", fmt.Sprintf("versjon %d", x.DecisionVersion)},
				{"Klage mottatt", norwegianDate(x.ReceivedOn)}, {"Klagefrist", norwegianDate(x.AppealDue)}, {"Innen fristen", map[bool]string{true: "Nei: klagen kom for sent, se vurderingen", false: "Ja"}[x.Late]}}},
			Section{Heading: "Klagen", Paragraphs: Paragraphs(x.Grounds)},
			Section{Heading: "Enhetens vurdering (forvaltningsloven § 33)", Paragraphs: Paragraphs(x.Reconsideration)})
		for _, dec := range d.Case.Decisions {
			s := Section{Heading: fmt.Sprintf("Vedtak versjon %d av %s", dec.Version, norwegianDate(dec.DecidedOn)),
				Facts: [][2]string{{"Utfall", dec.OutcomeLabel()}, {"Hjemmel", dec.LegalBasis}}, Paragraphs: Paragraphs(dec.Reasons)}
			for _, sv := range dec.Services {
				s.List = append(s.List, ServiceText(sv))
			}
			l.Sections = append(l.Sections, s)
		}
		log := Section{Heading: "Saksbehandlingen"}
		for _, m := range d.Case.Meetings {
			log.List = append(log.List, fmt.Sprintf("Møte %s (%s): %s", norwegianDate(m.HeldOn), m.Participants, m.Summary))
		}
		for _, r := range d.Case.Requests {
			log.List = append(log.List, fmt.Sprintf("Etterspurt %s: %s%s", norwegianDate(r.RequestedOn), r.What, map[bool]string{true: ", mottatt " + norwegianDate(r.ReceivedOn), false: ", ikke mottatt"}[r.ReceivedOn != ""]))
		}
		for _, x := range d.Case.Alternatives {
			log.List = append(log.List, fmt.Sprintf("Vurdert %s: %s. %s", Label(AlternativeKinds, x.Kind), Label(AlternativeOutcomes, x.Outcome), x.Assessment))
		}
		if len(log.List) == 0 {
			log.Paragraphs = []string{"Ingen møter, etterspurte opplysninger eller vurderte alternativer er registrert."}
		}
		l.Sections = append(l.Sections, log)
	default:
		return Letter{}, ErrNotFound
	}
	return l, nil
}

// appealDeadlineText says when the appeal deadline ends: counted from
// when the letter reached the party (forvaltningsloven § 29), by how it
// was sent. Before the letter is recorded as sent, it gives the date for
// each way of sending it today; after, the one recorded date, the same
// the case page and the API show.
func appealDeadlineText(dec Decision, r Practice, today deadline.Date) string {
	period := fmt.Sprintf("%d uker", r.AppealWeeks)
	if dec.NotifiedOn != "" {
		sent := "Brevet ble overlevert deg"
		switch dec.NotifiedVia {
		case ChannelDigital:
			sent = "Brevet ble sendt til din digitale postkasse"
		case ChannelEmail:
			sent = "Brevet ble sendt med e-post"
		case ChannelPaper:
			sent = fmt.Sprintf("Brevet ble sendt med post, og vi regner med at det kom fram %d dager etter at det ble sendt", r.PaperPostDays)
		}
		return fmt.Sprintf("Du kan klage på vedtaket. Fristen er %s fra brevet kom fram til deg (forvaltningsloven § 29). %s; brevet regnes som kommet fram %s. Siste frist er %s.",
			period, sent, norwegianDate(dec.NotifiedOn), norwegianDate(dec.AppealDue))
	}
	electronic := AppealDueFrom(today, r.AppealWeeks)
	paper := AppealDueFrom(today.AddDays(r.PaperPostDays), r.AppealWeeks)
	return fmt.Sprintf("Du kan klage på vedtaket. Fristen er %s fra brevet kom fram til deg (forvaltningsloven § 29). Sendes brevet %s digitalt eller leveres det til deg, er siste frist %s; sendes det med post, er siste frist %s.",
		period, today.Norwegian(), electronic.Norwegian(), paper.Norwegian())
}

// houseRulesParagraphs are the lease's house rules, with the building's
// version when they are the ones made with the residents.
func houseRulesParagraphs(ls CaseLease) []string {
	ps := Paragraphs(ls.HouseRules)
	if ls.HouseRulesVersion > 0 {
		ps = append([]string{fmt.Sprintf("Husordensreglene for bygget, versjon %d, gjeldende fra %s. De er laget sammen med beboerne, og endringer sendes på høring til beboerne før de trer i kraft.",
			ls.HouseRulesVersion, norwegianDate(ls.HouseRulesInForce))}, ps...)
	}
	return ps
}

func orNone(s string) string {
	if s == "" {
		return "ingen"
	}
	return s
}

func kr(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u00a0")
		}
		b.WriteRune(c)
	}
	return b.String() + " kr"
}

// templateKind is the municipality's text a letter starts from.
func templateKind(kind string, c Case) string {
	switch kind {
	case LetterDecision:
		if d := c.Current(); d != nil && d.Outcome == "avslag" {
			return TextRefusal
		}
		return TextDecision
	case LetterProvisional:
		return TextProvisional
	case LetterAllocation:
		return TextAllocation
	}
	return ""
}

// MakeLetter loads a case and builds one of its letters for the actor; the
// read is logged as any read of the case.
func MakeLetter(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, kind string, today deadline.Date, channel string) (Letter, error) {
	if LetterKindLabel(kind) == "" {
		return Letter{}, ErrNotFound
	}
	c, err := Load(ctx, q, a, applicationID, today, channel)
	if err != nil {
		return Letter{}, err
	}
	d := LetterData{Case: c, CaseWorker: c.Application.CaseWorker, Today: today}
	if err := q.QueryRowContext(ctx, `SELECT m.name, p.first_name || ' ' || p.last_name, TRIM(p.address || ' ' || p.postal_code || ' ' || p.postal_place)
		FROM persons p JOIN municipalities m ON m.id = p.municipality_id WHERE p.id = ?`, c.Application.PersonID).Scan(&d.Municipality, &d.PersonName, &d.Address); err != nil {
		return Letter{}, err
	}
	d.OrgUnit = a.OrgUnitName
	if tk := templateKind(kind, c); tk != "" {
		if d.Template, err = TextOf(ctx, q, a.MunicipalityID, tk); err != nil {
			return Letter{}, err
		}
	}
	if d.Practice, err = LoadPractice(ctx, q, a.MunicipalityID); err != nil {
		return Letter{}, err
	}
	if d.DeclineLimit, err = DeclineLimit(ctx, q, a.MunicipalityID); err != nil {
		return Letter{}, err
	}
	return BuildLetter(kind, d)
}

// WritePDF writes a letter as an A4 PDF.
func (l Letter) WritePDF(w io.Writer, made time.Time) error {
	doc := pdf.New(l.Title, l.From, made)
	for _, h := range l.Header {
		doc.Fact(h[0], h[1])
	}
	for _, s := range l.Sections {
		doc.Heading(s.Heading)
		for _, p := range s.Paragraphs {
			doc.Text(p)
		}
		for _, f := range s.Facts {
			doc.Fact(f[0], f[1])
		}
		for _, item := range s.List {
			doc.Text("• " + item)
		}
	}
	return doc.Write(w)
}

// LetterRecord notes that a letter was sent: how, when, and when it is
// taken to have reached the party.
type LetterRecord struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Channel    string    `json:"channel,omitempty"`
	SentOn     string    `json:"sent_on,omitempty"`
	NotifiedOn string    `json:"notified_on,omitempty"`
	MadeBy     string    `json:"made_by"`
	At         time.Time `json:"created_at"`
}

// SendInput says how and when a letter was sent.
type SendInput struct {
	Channel string `json:"channel"` // digital_post, epost, papir, overlevert
	SentOn  string `json:"sent_on"` // empty: today
}

// RecordLetterSent notes that the case's letter of a kind was sent, how
// and when. A decision letter starts the appeal deadline: counted from the
// day the letter is taken to have reached the party (forvaltningsloven
// § 29), by the channel's rule; sent again, the earliest arrival counts.
// A provisional answer also counts for the decision deadline.
func RecordLetterSent(ctx context.Context, q store.Queryer, a access.Actor, applicationID int64, kind string, in SendInput, today deadline.Date) error {
	if !a.Writes() {
		return access.ErrForbidden
	}
	var problems []string
	sent := parseDate(in.SentOn, "sendt dato", today, &problems)
	if today.Before(sent) {
		problems = append(problems, "sendt dato kan ikke være fram i tid")
	}
	if strings.TrimSpace(in.Channel) == "" {
		problems = append(problems, "velg hvordan brevet ble sendt: digital post, e-post, papirpost eller overlevert (klagefristen regnes fra når brevet kom fram, forvaltningsloven § 29)")
	}
	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	rules, err := LoadPractice(ctx, q, a.MunicipalityID)
	if err != nil {
		return err
	}
	notified, err := NotifiedOn(sent, in.Channel, rules.PaperPostDays)
	if err != nil {
		return err
	}
	if _, err := MakeLetter(ctx, q, a, applicationID, kind, today, access.ChannelPage); err != nil {
		return err
	}
	ref, err := openCase(ctx, q, a, applicationID, true)
	if err != nil {
		return err
	}
	var decisionID any
	after := map[string]any{"kind": kind, "channel": in.Channel, "sent_on": sent.String(), "notified_on": notified.String()}
	switch kind {
	case LetterProvisional:
		if _, err := q.ExecContext(ctx, `UPDATE applications SET provisional_sent_on = COALESCE(provisional_sent_on, ?),
			provisional_expected_on = COALESCE(provisional_expected_on, ?), status = 'under_behandling' WHERE id = ?`,
			sent.String(), ExpectedDecision(sent).String(), ref.ID); err != nil {
			return err
		}
	case LetterDecision:
		ds, err := decisions(ctx, q, a.MunicipalityID, ref.ID)
		if err != nil {
			return err
		}
		d := ds[0] // MakeLetter refused a case without a decision
		if decided, _ := deadline.Parse(d.DecidedOn); sent.Before(decided) {
			return &ValidationError{Problems: []string{"vedtaksbrevet kan ikke være sendt før vedtaket ble fattet (" + decided.Norwegian() + ")"}}
		}
		decisionID = d.ID
		if earlier, _ := deadline.Parse(d.NotifiedOn); d.NotifiedOn == "" || notified.Before(earlier) {
			due := AppealDueFrom(notified, rules.AppealWeeks)
			if _, err := q.ExecContext(ctx, "UPDATE decisions SET notified_on = ?, notified_via = ?, appeal_due = ? WHERE id = ?",
				notified.String(), in.Channel, due.String(), d.ID); err != nil {
				return err
			}
			after["appeal_due"] = due.String()
		}
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO letters (municipality_id, application_id, kind, made_by, created_at, channel, sent_on, notified_on, decision_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, ref.ID, kind, a.Name, store.TimeArg(time.Now()), in.Channel, sent.String(), notified.String(), decisionID)
	if err != nil {
		return err
	}
	after["letter_id"] = id
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "send brev", Entity: "sak", EntityID: ref.ID, After: after})
}

func letterRecords(ctx context.Context, q store.Queryer, municipalityID, applicationID int64) ([]LetterRecord, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, kind, channel, sent_on, notified_on, made_by, created_at FROM letters WHERE municipality_id = ? AND application_id = ? ORDER BY id DESC",
		municipalityID, applicationID)
	return store.Collect(rows, err, func(s store.Scanner) (x LetterRecord, err error) {
		var sent, notified time.Time
		err = s.Scan(&x.ID, &x.Kind, &x.Channel, store.ScanDate(&sent), store.ScanDate(&notified), &x.MadeBy, store.ScanTime(&x.At))
		x.SentOn, x.NotifiedOn = dateText(sent), dateText(notified)
		return x, err
	})
}
