package tenancy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/invalid"
	"husly/internal/writtenform"
)

// The letters for a warning and a notice, in the person's written form
// (internal/writtenform), with the content the law asks of a notice:
// written (husleieloven § 9-4), reasoned on a lawful ground (§§ 9-5,
// 9-7 first paragraph), the notice period (§ 9-6), the right to protest in
// writing within one month and what follows (§§ 9-7 second paragraph,
// 9-8). They are caseflow.Letter values, so the letter page and the PDF
// writer of the case flow show them.

// words are a letter's fixed sentences in one written form.
type words struct {
	warningTitle, noticeTitle                                 string
	to, address, date, ends, period, contact                  string
	about, askHeading, ask, help, helpNAV, side, sideText     string
	grounds, groundOn, periodHeading, periodText, protestHead string
	protest, noProtest, afterProtest, months, eviction        string
	noGrounds                                                 string
	ground                                                    map[Ground]string
}

var letterWords = map[writtenform.Form]words{
	writtenform.Bokmal: {
		warningTitle: "Advarsel om brudd på leieavtalen", noticeTitle: "Oppsigelse av leieavtale",
		to: "Til", address: "Bolig", date: "Dato", ends: "Leieforholdet opphører", period: "Oppsigelsestid", contact: "Kontaktperson",
		about: "Hva dette gjelder", askHeading: "Hva vi ber deg om",
		ask:  "Vi ber deg rette forholdet straks. Fortsetter bruddene, kan utleier si opp leieavtalen (husleieloven § 9-5) eller heve den (husleieloven § 9-9).",
		help: "Hjelp du kan få", helpNAV: "NAV kan gi råd om økonomi og bolig. Blir leieforholdet avsluttet og du står uten bolig, skal NAV hjelpe deg med et midlertidig botilbud (sosialtjenesteloven § 27).",
		side: "Din side av saken", sideText: "Du kan gi din side av saken på Min side, eller ved å ringe eller skrive til oss.",
		grounds: "Begrunnelse", groundOn: "Oppsigelsen bygger på husleieloven § 9-5: %s.",
		periodHeading: "Oppsigelsestid og fraflytting",
		periodText:    "Oppsigelsestiden er %s, regnet fra utgangen av måneden oppsigelsen er gitt (husleieloven § 9-6). Leieforholdet opphører %s, og boligen må være fraflyttet da.",
		protestHead:   "Du kan protestere",
		protest:       "Du kan protestere skriftlig til utleier innen én måned etter at du har mottatt denne oppsigelsen (husleieloven § 9-7).",
		noProtest:     "Protesterer du ikke skriftlig innen fristen, kan utleier begjære tvangsfravikelse (utkastelse) hos namsmannen (husleieloven § 9-7 annet ledd, tvangsfullbyrdelsesloven § 13-2).",
		afterProtest:  "Protesterer du, må utleier bringe saken inn for Husleietvistutvalget eller retten innen tre måneder etter at protestfristen gikk ut; ellers faller oppsigelsen bort (husleieloven § 9-8).",
		months:        "%d måneder", eviction: "Utkastelse",
		noGrounds: "Vi har mottatt klager på forhold i leieforholdet.",
		ground: map[Ground]string{GroundBreach: "leieren har vesentlig misligholdt leieavtalen", GroundRent: "husleien er ikke betalt",
			GroundNuisance: "leieren har vært til alvorlig plage for naboer og andre brukere av eiendommen", GroundDamage: "leieren har skadet eller vanskjøttet boligen",
			GroundOwnUse: "boligen skal brukes av utleier", GroundRebuild: "bygningen skal rives eller bygges om", GroundOtherFair: "annen saklig grunn"},
	},
	writtenform.Nynorsk: {
		warningTitle: "Åtvaring om brot på leigeavtalen", noticeTitle: "Oppseiing av leigeavtale",
		to: "Til", address: "Bustad", date: "Dato", ends: "Leigeforholdet tek slutt", period: "Oppseiingstid", contact: "Kontaktperson",
		about: "Kva dette gjeld", askHeading: "Kva vi ber deg om",
		ask:  "Vi ber deg rette forholdet straks. Held brota fram, kan utleigaren seie opp leigeavtalen (husleigelova § 9-5) eller heve han (husleigelova § 9-9).",
		help: "Hjelp du kan få", helpNAV: "NAV kan gi råd om økonomi og bustad. Blir leigeforholdet avslutta og du står utan bustad, skal NAV hjelpe deg med eit mellombels butilbod (sosialtenestelova § 27).",
		side: "Di side av saka", sideText: "Du kan gi di side av saka på Mi side, eller ved å ringje eller skrive til oss.",
		grounds: "Grunngiving", groundOn: "Oppseiinga byggjer på husleigelova § 9-5: %s.",
		periodHeading: "Oppseiingstid og utflytting",
		periodText:    "Oppseiingstida er %s, rekna frå utgangen av månaden oppseiinga er gitt (husleigelova § 9-6). Leigeforholdet tek slutt %s, og bustaden må vere fråflytta då.",
		protestHead:   "Du kan protestere",
		protest:       "Du kan protestere skriftleg til utleigaren innan éin månad etter at du har fått denne oppseiinga (husleigelova § 9-7).",
		noProtest:     "Protesterer du ikkje skriftleg innan fristen, kan utleigaren krevje tvangsfråviking (utkasting) hos namsmannen (husleigelova § 9-7 andre ledd, tvangsfullføringslova § 13-2).",
		afterProtest:  "Protesterer du, må utleigaren bringe saka inn for Husleigetvistutvalet eller retten innan tre månader etter at protestfristen gjekk ut; elles fell oppseiinga bort (husleigelova § 9-8).",
		months:        "%d månader", eviction: "Utkasting",
		noGrounds: "Vi har fått klager på forhold i leigeforholdet.",
		ground: map[Ground]string{GroundBreach: "leigaren har vesentleg misleghalde leigeavtalen", GroundRent: "husleiga er ikkje betalt",
			GroundNuisance: "leigaren har vore til alvorleg plage for naboar og andre brukarar av eigedomen", GroundDamage: "leigaren har skadd eller vanskjøtta bustaden",
			GroundOwnUse: "bustaden skal brukast av utleigaren", GroundRebuild: "bygningen skal rivast eller byggjast om", GroundOtherFair: "anna sakleg grunn"},
	},
}

// LetterData is what a step's letter draws on.
type LetterData struct {
	Municipality string
	PersonName   string
	Address      string
	Step         LadderStep
}

// ErrNoLetter is a step Husly writes no letter for.
var ErrNoLetter = invalid.Problem("trinn: Husly skriver brev bare for advarsel og oppsigelse")

// BuildLetter makes a step's letter: a pure function. A notice without
// its grounds, lawful ground or notice period is refused, since such a
// notice is void (husleieloven § 9-7 third paragraph).
func BuildLetter(d LetterData) (caseflow.Letter, error) {
	s := d.Step
	form := writtenform.Form(s.WrittenForm)
	w, ok := letterWords[form]
	if !ok {
		form, w = writtenform.Bokmal, letterWords[writtenform.Bokmal]
	}
	l := caseflow.Letter{Kind: string(s.Step), Form: form, Lang: form.Lang(), From: d.Municipality,
		Header: [][2]string{{w.to, d.PersonName}, {w.address, d.Address}, {w.date, s.IssuedOn.Norwegian()}}}
	help := caseflow.Section{Heading: w.help, Paragraphs: []string{s.PreventiveAction, w.helpNAV}, Facts: [][2]string{{w.contact, s.PreventiveBy}}}
	switch s.Step {
	case Warning:
		l.Title = w.warningTitle
		about := w.noGrounds
		if strings.TrimSpace(s.Grounds) != "" {
			about = s.Grounds
		}
		l.Sections = []caseflow.Section{{Heading: w.about, Paragraphs: caseflow.Paragraphs(about)}, {Heading: w.askHeading, Paragraphs: []string{w.ask}}, help,
			{Heading: w.side, Paragraphs: []string{w.sideText}}}
	case Notice:
		var p []invalid.Message
		if strings.TrimSpace(s.Grounds) == "" {
			p = append(p, invalid.F("begrunnelse: oppsigelsen må begrunnes, ellers er den ugyldig (husleieloven § 9-7)"))
		}
		if !s.Ground.Valid() {
			p = append(p, invalid.F("oppsigelsesgrunn: velg den saklige grunnen oppsigelsen bygger på (husleieloven § 9-5)"))
		}
		if s.NoticeMonths <= 0 || s.EndsOn.IsZero() {
			p = append(p, invalid.F("oppsigelsestid: skriv et antall måneder fra 1 til 12"))
		}
		if err := bad(p); err != nil {
			return caseflow.Letter{}, err
		}
		months := fmt.Sprintf(w.months, s.NoticeMonths)
		l.Title = w.noticeTitle
		l.Header = append(l.Header, [2]string{w.period, months}, [2]string{w.ends, s.EndsOn.Norwegian()})
		l.Sections = []caseflow.Section{
			{Heading: w.grounds, Paragraphs: append(caseflow.Paragraphs(s.Grounds), fmt.Sprintf(w.groundOn, w.ground[s.Ground]))},
			{Heading: w.periodHeading, Paragraphs: []string{fmt.Sprintf(w.periodText, months, s.EndsOn.Norwegian())}},
			{Heading: w.protestHead, Paragraphs: []string{w.protest, w.noProtest, w.afterProtest}},
			help,
		}
	default:
		return caseflow.Letter{}, ErrNoLetter
	}
	return l, nil
}

// MakeLetter reads a step and writes its letter for the viewer, who needs
// the tenancy category for the resident; the read is logged.
func MakeLetter(ctx context.Context, rd *access.Reader, stepID int64) (caseflow.Letter, LadderStep, error) {
	a := rd.Actor()
	q := rd.Q()
	var leaseID int64
	if err := q.QueryRowContext(ctx, "SELECT lease_id FROM tenancy_steps WHERE id = ? AND municipality_id = ?", stepID, a.MunicipalityID).Scan(&leaseID); err != nil {
		return caseflow.Letter{}, LadderStep{}, notFound(err)
	}
	v, err := ReadLease(ctx, rd, leaseID)
	if err != nil {
		return caseflow.Letter{}, LadderStep{}, err
	}
	lv := v.Value()
	var step LadderStep
	for _, s := range lv.Steps {
		if s.ID == stepID {
			step = s
		}
	}
	if step.ID == 0 {
		return caseflow.Letter{}, LadderStep{}, ErrNotFound
	}
	var muni string
	if err := q.QueryRowContext(ctx, "SELECT name FROM municipalities WHERE id = ?", a.MunicipalityID).Scan(&muni); err != nil {
		return caseflow.Letter{}, step, err
	}
	l, err := BuildLetter(LetterData{Municipality: muni + " kommune", PersonName: lv.PersonName, Address: lv.Address, Step: step})
	return l, step, err
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
