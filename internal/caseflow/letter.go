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
	"husly/internal/invalid"
	"husly/internal/pdf"
	"husly/internal/store"
	"husly/internal/writtenform"
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
var LetterKinds = choices("case.letter", LetterDecision, LetterProvisional, LetterAllocation, LetterLease, LetterAppealFile)

// LetterKindLabel names a letter kind in bokmål, from the catalogue.
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
	Kind string `json:"kind"`
	// Form is the written form the letter is in, Lang its language tag.
	Form     writtenform.Form `json:"written_form"`
	Lang     string           `json:"lang"`
	Title    string           `json:"title"`
	From     string           `json:"from"`
	Header   [][2]string      `json:"header"`
	Sections []Section        `json:"sections"`
}

// LetterData is everything a letter may draw on.
type LetterData struct {
	Municipality string
	PersonName   string
	Address      string
	Case         Case
	CaseWorker   string
	OrgUnit      string
	Template     string // the municipality's text for the kind and form, if it has one
	Form         writtenform.Form
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
// says plainly when the case has nothing to write that letter about. Every
// fixed sentence comes from the written form's catalogue (words.go); the
// municipality's text for the form is in d.Template.
func BuildLetter(kind string, d LetterData) (Letter, error) {
	app := d.Case.Application
	w := wordsFor(d.Form)
	from := d.OrgUnit
	if from == "" {
		from = w.t("from.municipality", d.Municipality)
	}
	l := Letter{Kind: kind, Form: w.form, Lang: w.form.Lang(), From: from, Header: [][2]string{{w.t("header.to"), strings.TrimSpace(d.PersonName + "\n" + d.Address)}, {w.t("header.date"), d.Today.Norwegian()},
		{w.t("header.case"), fmt.Sprint(app.ID)}, {w.t("header.caseworker"), d.CaseWorker}}}
	values := map[string]string{"navn": d.PersonName, "kommune": d.Municipality, "mottatt": norwegianDate(app.Received), "frist": norwegianDate(app.DecisionDue),
		"saksbehandler": d.CaseWorker, "enhet": from}
	docs := Section{Heading: w.t("docs.heading"), Paragraphs: []string{w.t("docs.law"), w.t("docs.mypage")}}
	// Who to ask: the agency's duty to guide (forvaltningsloven § 11) is
	// of use only when the letter names whom to ask.
	contact := Section{Heading: w.t("contact.heading"), Paragraphs: []string{w.t("contact.unit", from)}}
	if d.CaseWorker != "" {
		contact.Paragraphs = []string{w.t("contact.caseworker", d.CaseWorker, from)}
	}
	switch kind {
	case LetterDecision:
		dec := d.Case.Current()
		if dec == nil {
			return Letter{}, invalid.Problem("saken har ikke noe vedtak ennå")
		}
		values["vedtaksdato"] = norwegianDate(dec.DecidedOn)
		l.Header = append(l.Header, [2]string{w.t("header.decided"), norwegianDate(dec.DecidedOn)})
		body := Section{Heading: w.t("decision.heading")}
		if dec.Outcome == OutcomeGranted {
			l.Title = w.t("decision.title.granted", w.kind(app.Kind))
			body.Paragraphs = append(Paragraphs(Fill(d.Template, values)), w.t("decision.granted"))
			if dec.HousingType != "" {
				body.Facts = append(body.Facts, [2]string{w.t("decision.housing"), w.t("decision.housing.value", w.label("housing", HousingTypes, string(dec.HousingType)), dec.Rooms)})
				if r := w.requirements(dec.Requirements); r != "" {
					body.Facts = append(body.Facts, [2]string{w.t("decision.requirements"), r})
				}
				body.Paragraphs = append(body.Paragraphs, w.t("decision.type-not-unit"))
			}
			for _, s := range dec.Services {
				body.List = append(body.List, w.service(s))
			}
			if dec.Coordinator != "" {
				// Chosen with the person where it could be (helse- og
				// omsorgstjenesteloven § 7-2; seed 003).
				value := w.t("decision.coordinator.value", dec.Coordinator)
				if dec.CoordinatorAgreed == "ja" {
					value = w.t("decision.coordinator.agreed", dec.Coordinator)
				}
				body.Facts = append(body.Facts, [2]string{w.t("decision.coordinator"), value})
			}
			if dec.ParticipantAgreement {
				// Housing First's participant agreement is a condition of
				// the decision (seed 002).
				body.Facts = append(body.Facts, [2]string{w.t("decision.participant"), w.t("decision.participant.value")})
			}
			if dec.Conditions != "" {
				body.Facts = append(body.Facts, [2]string{w.t("decision.conditions"), dec.Conditions})
			}
		} else {
			l.Title = w.t("decision.title.refused", strings.ToLower(w.kind(app.Kind)))
			body.Paragraphs = append(Paragraphs(Fill(d.Template, values)), w.t("decision.refused"))
		}
		l.Sections = append(l.Sections, body)
		if dec.Version > 1 {
			changes := Section{Heading: w.t("changes.heading"), Paragraphs: []string{w.t("changes.intro", dec.Version, dec.AmendmentReason)}}
			for _, c := range dec.Changes {
				changes.List = append(changes.List, w.t("changes.item", w.field(c.Field), w.orNone(c.Before), w.orNone(c.After)))
			}
			l.Sections = append(l.Sections, changes)
		}
		// §§ 24–25: reasons and legal basis; § 27 third paragraph: the
		// right to appeal, the deadline, where to send it; § 42.
		l.Sections = append(l.Sections,
			Section{Heading: w.t("reasons.heading"), Paragraphs: append(Paragraphs(dec.Reasons), w.t("reasons.basis", dec.LegalBasis))},
			Section{Heading: w.t("appeal.heading"), Paragraphs: []string{
				w.appealDeadline(*dec, d.Practice, d.Today),
				w.t("appeal.where", from),
				w.t("appeal.reconsider"),
				w.t("appeal.suspend")}},
			docs, contact)
	case LetterProvisional:
		if !undecided(app.Status) {
			return Letter{}, invalid.Problem("saken er allerede avgjort: foreløpig svar sendes bare i saker som ikke er avgjort")
		}
		l.Title = w.t("provisional.title")
		expected := ExpectedDecision(d.Today)
		if !app.ProvisionalExpected.IsZero() {
			expected = app.ProvisionalExpected // the date the case worker recorded as promised
		}
		values["forventet"] = expected.Norwegian()
		s := Section{Heading: w.t("provisional.heading"), Paragraphs: Paragraphs(Fill(d.Template, values))}
		for _, r := range d.Case.Requests {
			if r.ReceivedOn.IsZero() {
				s.List = append(s.List, w.t("provisional.request", r.What, norwegianDate(r.DueOn)))
			}
		}
		if len(s.List) > 0 {
			s.Paragraphs = append(s.Paragraphs, w.t("provisional.missing"))
		}
		s.Paragraphs = append(s.Paragraphs, w.t("provisional.law"))
		l.Sections = append(l.Sections, s, docs, contact)
	case LetterAllocation:
		o := d.Case.OpenOffer()
		if o == nil {
			return Letter{}, invalid.Problem("saken har ikke et tilbud om bolig som venter på svar")
		}
		l.Title = w.t("offer.title")
		values["adresse"], values["husleie"], values["svarfrist"] = o.UnitAddress, kr(o.RentMonthly), norwegianDate(o.RespondBy)
		l.Sections = append(l.Sections,
			Section{Heading: w.t("offer.heading"), Paragraphs: Paragraphs(Fill(d.Template, values)),
				Facts: [][2]string{{w.t("offer.address"), o.UnitAddress}, {w.t("offer.unit"), o.UnitCode}, {w.t("offer.rent"), w.t("offer.per-month", kr(o.RentMonthly))}, {w.t("offer.respond-by"), norwegianDate(o.RespondBy)}}},
			Section{Heading: w.t("offer.decline.heading"), Paragraphs: []string{w.t("offer.decline.why"), w.t("offer.decline.limit", d.DeclineLimit)}},
			docs, contact)
	case LetterLease:
		if len(d.Case.Leases) == 0 {
			return Letter{}, invalid.Problem("saken har ingen leiekontrakt")
		}
		ls := d.Case.Leases[0]
		l.Title = w.t("lease.title")
		// A lease without an end date runs until it is terminated under
		// husleieloven chapter 9; the deposit is capped at six months'
		// rent (§ 3-5) and held on a blocked account or as a NAV
		// guarantee (§§ 3-5, 3-6).
		period, renewal := w.t("lease.period.value", norwegianDate(ls.Start), norwegianDate(ls.End)), w.t("lease.renewal")
		if ls.Permanent {
			period, renewal = w.t("lease.period.permanent", norwegianDate(ls.Start)), w.t("lease.renewal.permanent")
		}
		deposit := kr(ls.Deposit)
		switch ls.DepositHeld {
		case "depositumskonto":
			deposit = w.t("lease.deposit.account", deposit)
		case "nav_garanti":
			deposit = w.t("lease.deposit.nav", deposit)
		}
		l.Header = [][2]string{{w.t("header.landlord"), w.t("from.municipality", d.Municipality)}, {w.t("header.tenant"), d.PersonName}, {w.t("header.case"), fmt.Sprint(app.ID)}, {w.t("header.date"), d.Today.Norwegian()}}
		l.Sections = append(l.Sections,
			Section{Heading: w.t("lease.heading"), Facts: [][2]string{{w.t("lease.unit"), ls.UnitAddress + " (" + ls.UnitCode + ")"}, {w.t("lease.period"), period},
				{w.t("lease.rent"), w.t("offer.per-month", kr(ls.RentMonthly))}, {w.t("lease.deposit"), deposit}, {w.t("lease.signed"), norwegianDate(ls.SignedOn)}},
				Paragraphs: []string{w.t("lease.law") + " " + renewal}},
			Section{Heading: w.t("lease.rules"), Paragraphs: w.houseRulesParagraphs(ls)})
		if ls.FollowUpAgreement != "" {
			l.Sections = append(l.Sections, Section{Heading: w.t("lease.followup"), Paragraphs: Paragraphs(ls.FollowUpAgreement)})
		}
		l.Sections = append(l.Sections, Section{Heading: w.t("lease.signatures"), Paragraphs: []string{w.t("lease.sign.landlord"), w.t("lease.sign.tenant")}})
	case LetterAppealFile:
		var x *Appeal
		for i := range d.Case.Appeals {
			if s := d.Case.Appeals[i].Status; s == AppealUpheld || s == AppealForwarded || s == AppealDecided {
				x = &d.Case.Appeals[i]
				break
			}
		}
		if x == nil {
			return Letter{}, invalid.Problem("saken har ingen klage som enheten har opprettholdt vedtaket i")
		}
		l.Title = w.t("appealfile.title")
		l.Header = append(l.Header, [2]string{w.t("header.to"), w.t("appealfile.to")})
		l.Header[0] = [2]string{w.t("header.appellant"), d.PersonName}
		inTime := w.t("appealfile.yes")
		if x.Late {
			inTime = w.t("appealfile.late")
		}
		l.Sections = append(l.Sections,
			Section{Heading: w.t("appealfile.case"), Facts: [][2]string{{w.t("appealfile.application"), w.kind(app.Kind)}, {w.t("appealfile.received"), norwegianDate(app.Received)},
				{w.t("appealfile.appealed"), w.t("appealfile.version", x.DecisionVersion)},
				{w.t("appealfile.appeal-received"), norwegianDate(x.ReceivedOn)}, {w.t("appealfile.deadline"), norwegianDate(x.AppealDue)}, {w.t("appealfile.in-time"), inTime}}},
			Section{Heading: w.t("appealfile.grounds"), Paragraphs: Paragraphs(x.Grounds)},
			Section{Heading: w.t("appealfile.reconsideration"), Paragraphs: Paragraphs(x.Reconsideration)})
		for _, dec := range d.Case.Decisions {
			s := Section{Heading: w.t("appealfile.decision", dec.Version, norwegianDate(dec.DecidedOn)),
				Facts: [][2]string{{w.t("appealfile.outcome"), w.outcome(dec.Outcome)}, {w.t("appealfile.basis"), dec.LegalBasis}}, Paragraphs: Paragraphs(dec.Reasons)}
			for _, sv := range dec.Services {
				s.List = append(s.List, w.service(sv))
			}
			l.Sections = append(l.Sections, s)
		}
		log := Section{Heading: w.t("appealfile.log")}
		for _, m := range d.Case.Meetings {
			log.List = append(log.List, w.t("appealfile.meeting", norwegianDate(m.HeldOn), m.Participants, m.Summary))
		}
		for _, r := range d.Case.Requests {
			got := w.t("appealfile.request.missing")
			if !r.ReceivedOn.IsZero() {
				got = w.t("appealfile.request.received", norwegianDate(r.ReceivedOn))
			}
			log.List = append(log.List, w.t("appealfile.request", norwegianDate(r.RequestedOn), r.What)+got)
		}
		for _, x := range d.Case.Alternatives {
			log.List = append(log.List, w.t("appealfile.alternative", w.label("alternative", AlternativeKinds, string(x.Kind)), w.label("alternative-outcome", AlternativeOutcomes, string(x.Outcome)), x.Assessment))
		}
		if len(log.List) == 0 {
			log.Paragraphs = []string{w.t("appealfile.empty")}
		}
		l.Sections = append(l.Sections, log)
	default:
		return Letter{}, ErrNotFound
	}
	return l, nil
}

// appealDeadline says when the appeal deadline ends: counted from when
// the letter reached the party (forvaltningsloven § 29), by how it was
// sent. Before the letter is recorded as sent, it gives the date for each
// way of sending it today; after, the one recorded date, the same the case
// page and the API show.
func (w words) appealDeadline(dec Decision, r Practice, today deadline.Date) string {
	if r.AppealWeeks == 0 { // no practice given: the law's defaults
		r = DefaultPractice()
	}
	if !dec.NotifiedOn.IsZero() {
		sent := w.t("appeal.sent.handed")
		switch dec.NotifiedVia {
		case ChannelDigital:
			sent = w.t("appeal.sent.digital")
		case ChannelEmail:
			sent = w.t("appeal.sent.email")
		case ChannelPaper:
			switch r.PaperPostDays {
			case 0:
				sent = w.t("appeal.sent.paper.same_day")
			case 1:
				sent = w.t("appeal.sent.paper.one")
			default:
				sent = w.t("appeal.sent.paper", w.count(r.PaperPostDays))
			}
		}
		return w.t("appeal.deadline.sent", w.count(r.AppealWeeks), sent, norwegianDate(dec.NotifiedOn), norwegianDate(dec.AppealDue))
	}
	electronic := AppealDueFrom(today, r.AppealWeeks)
	paper := AppealDueFrom(today.AddDays(r.PaperPostDays), r.AppealWeeks)
	return w.t("appeal.deadline.unsent", w.count(r.AppealWeeks), today.Norwegian(), electronic.Norwegian(), paper.Norwegian())
}

// houseRulesParagraphs are the lease's house rules, with the building's
// version when they are the ones made with the residents.
func (w words) houseRulesParagraphs(ls CaseLease) []string {
	ps := Paragraphs(ls.HouseRules)
	if ls.HouseRulesVersion > 0 {
		ps = append([]string{w.t("lease.rules.version", ls.HouseRulesVersion, norwegianDate(ls.HouseRulesInForce))}, ps...)
	}
	return ps
}

func (w words) orNone(s string) string {
	if s == "" {
		return w.t("changes.none")
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

// templateKind is the municipality's text a letter starts from, in the
// letter's written form.
func templateKind(kind string, c Case, f writtenform.Form) string {
	k := baseTemplateKind(kind, c)
	if k != "" && f == writtenform.Nynorsk {
		return NynorskText(k)
	}
	return k
}

func baseTemplateKind(kind string, c Case) string {
	switch kind {
	case LetterDecision:
		if d := c.Current(); d != nil && d.Outcome == OutcomeRefused {
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
	var policy, wish string
	if err := q.QueryRowContext(ctx, `SELECT m.name, p.first_name || ' ' || p.last_name, TRIM(p.address || ' ' || p.postal_code || ' ' || p.postal_place),
		m.written_form, p.written_form
		FROM persons p JOIN municipalities m ON m.id = p.municipality_id WHERE p.id = ?`, c.Application.PersonID).Scan(&d.Municipality, &d.PersonName, &d.Address, &policy, &wish); err != nil {
		return Letter{}, err
	}
	// The person's wish wins over the municipality's form (writtenform.Choose).
	d.Form = writtenform.Choose(writtenform.Policy(policy), writtenform.Form(wish))
	d.OrgUnit = a.OrgUnitName
	if tk := templateKind(kind, c, d.Form); tk != "" {
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
	labels := pdf.Bokmal
	if l.Form == writtenform.Nynorsk {
		labels = pdf.Nynorsk
	}
	doc := pdf.NewIn(labels, l.Title, l.From, made)
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
	ID         int64         `json:"id"`
	Kind       string        `json:"kind"`
	Channel    string        `json:"channel,omitempty"`
	SentOn     deadline.Date `json:"sent_on,omitzero"`
	NotifiedOn deadline.Date `json:"notified_on,omitzero"`
	MadeBy     string        `json:"made_by"`
	At         time.Time     `json:"created_at"`
}

// SendInput says how and when a letter was sent.
type SendInput struct {
	Channel string        `json:"channel"`          // digital_post, epost, papir, overlevert
	SentOn  deadline.Date `json:"sent_on,omitzero"` // empty: today
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
	var problems []invalid.Message
	sent := orDefault(in.SentOn, today)
	if today.Before(sent) {
		problems = append(problems, invalid.F("sendt dato kan ikke være fram i tid"))
	}
	if strings.TrimSpace(in.Channel) == "" {
		problems = append(problems, invalid.F("velg hvordan brevet ble sendt: digital post, e-post, papirpost eller overlevert (klagefristen regnes fra når brevet kom fram, forvaltningsloven § 29)"))
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
		if decided := d.DecidedOn; sent.Before(decided) {
			return invalid.Problem("vedtaksbrevet kan ikke være sendt før vedtaket ble fattet (%s)", decided)
		}
		decisionID = d.ID
		if d.NotifiedOn.IsZero() || notified.Before(d.NotifiedOn) {
			due := AppealDueFrom(notified, rules.AppealWeeks)
			if _, err := q.ExecContext(ctx, "UPDATE decisions SET notified_on = ?, notified_via = ?, appeal_due = ? WHERE id = ?",
				notified.String(), in.Channel, due.String(), d.ID); err != nil {
				return err
			}
			after["appeal_due"] = due.String()
		}
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO letters (municipality_id, application_id, kind, made_by, made_by_id, created_at, channel, sent_on, notified_on, decision_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, ref.ID, kind, a.Name, a.UserRef(), store.TimeArg(time.Now()), in.Channel, sent.String(), notified.String(), decisionID)
	if err != nil {
		return err
	}
	after["letter_id"] = id
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "send brev", Entity: "sak", EntityID: ref.ID, After: after})
}

func letterRecords(ctx context.Context, q store.Queryer, municipalityID int64, ids []int64) (map[int64][]LetterRecord, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, "SELECT application_id, id, kind, channel, sent_on, notified_on, made_by, created_at FROM letters WHERE municipality_id = ? AND application_id IN "+in+" ORDER BY id DESC",
		append([]any{municipalityID}, args...)...)
	return store.CollectBy(rows, err, func(s store.Scanner) (x LetterRecord, err error) {
		err = s.Scan(&x.ID, &x.Kind, &x.Channel, &x.SentOn, &x.NotifiedOn, &x.MadeBy, store.ScanTime(&x.At))
		return x, err
	})
}

// ReadyLetters lists the letter kinds the case can have now, in the order
// of LetterKinds: a kind BuildLetter refuses for this case (a decision
// letter before the decision, a lease before the lease) is left out, so a
// page never offers a letter that cannot be made yet.
func ReadyLetters(c Case) []Choice {
	var out []Choice
	for _, k := range LetterKinds {
		if _, err := BuildLetter(k.Code, LetterData{Case: c}); err == nil {
			out = append(out, k)
		}
	}
	return out
}
