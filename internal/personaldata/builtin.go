package personaldata

import (
	"context"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/store"
)

// Grounds for keeping rows when a person asks to be erased, shared by the
// capabilities' declarations.
const (
	// ArchiveRule keeps case documents: public bodies must keep their
	// archives and may destroy records only under an approved retention
	// plan, which GDPR art. 17(3)(b) respects.
	ArchiveRule = "arkivloven § 6 og § 9 bokstav c med kommunens bevarings- og kassasjonsplan, jf. personvernforordningen art. 17 nr. 3 bokstav b"
	// ConsentRule keeps a consent as the proof of the sharing it allowed.
	ConsentRule = "personvernforordningen art. 7 nr. 1: kommunen må kunne dokumentere samtykket til delingen det ga grunnlag for"
	// LogRule keeps the records of who looked and what changed: they are
	// evidence for the person and the Data Protection Authority.
	LogRule = "personvernforordningen art. 5 nr. 2 og art. 32: loggene viser hvem som har sett og endret opplysningene, og kan ikke endres"
)

// The tables of the packages the registry builds on (store, audit and
// access cannot import it) are declared here.
func init() {
	Register("store",
		Table{Name: "settings", Holds: "innstillinger for databasen"},
		Table{Name: "sessions", Holds: "innloggingsøkter",
			NoBackup: "sessions are short-lived, and restoring them would revive old logins"},
	)
	Register("audit",
		Table{Name: "audit_log", Holds: "revisjonskjeden: hver endring med før og etter",
			Person: Link{Column: "entity_id", Where: "entity = 'person'"}, Category: access.Basic, Columns: []string{"before_json", "after_json"},
			Dossier: "changes", Erasure: Erasure{Rule: Kept, Why: LogRule + " (slettingen føres som en maskert oppføring)"}},
	)
	Register("access",
		Table{Name: "roles", Holds: "kommunens roller"},
		Table{Name: "access_matrix", Holds: "hvilke kategorier hver rolle ser"},
		Table{Name: "case_units", Holds: "enhetene med en rolle i personens sak (tjenstlig behov)",
			Person: Link{Column: "person_id"}, Category: access.Basic, Columns: []string{"responsibility", "legal_basis"},
			Dossier: "case_units", Erasure: Erasure{Rule: Deleted},
			Timeline: []Event{{Kind: "rolle", Title: "texts.timeline.role", Args: []ArgKind{ArgText}, Query: `SELECT c.started_at, c.responsibility, o.reveals, o.name FROM case_units c JOIN org_units o ON o.id = c.org_unit_id WHERE c.municipality_id = ? AND c.person_id = ?`}}},
		Table{Name: "outside_consents", Holds: "samtykker til å snakke med noen utenfor kommunen (fastlege, DPS, politi, pårørende)",
			Person: Link{Column: "person_id"}, Category: access.Basic, Columns: []string{"recipient_name", "purpose", "categories"},
			Dossier: "outside_consents", Erasure: Erasure{Rule: Blocks, One: "samtykke utenfor kommunen", Many: "samtykker utenfor kommunen", Why: ConsentRule},
			Timeline: []Event{
				{Kind: "samtykke utenfor kommunen", Title: "texts.timeline.outside_consent", Args: []ArgKind{ArgText}, Query: `SELECT c.given_at, c.purpose, c.categories, c.recipient_name FROM outside_consents c WHERE c.municipality_id = ? AND c.person_id = ?`},
				{Kind: "samtykke utenfor kommunen trukket", Title: "texts.timeline.outside_consent_withdrawn", Args: []ArgKind{ArgText}, Query: `SELECT c.withdrawn_at, c.purpose, c.categories, c.recipient_name FROM outside_consents c WHERE c.municipality_id = ? AND c.person_id = ? AND c.withdrawn_at IS NOT NULL`},
			}},
		Table{Name: "consents", Holds: "samtykker til deling",
			Person: Link{Column: "person_id"}, Category: access.Basic, Columns: []string{"purpose", "categories"},
			Dossier: "consents", Erasure: Erasure{Rule: Blocks, One: "samtykke", Many: "samtykker", Why: ConsentRule},
			Timeline: []Event{
				{Kind: "samtykke", Title: "texts.timeline.consent", Args: []ArgKind{ArgText}, Query: `SELECT c.given_at, c.purpose, c.categories || ',' || o.reveals, o.name FROM consents c JOIN org_units o ON o.id = c.recipient_unit_id WHERE c.municipality_id = ? AND c.person_id = ?`},
				{Kind: "samtykke trukket", Title: "texts.timeline.consent_withdrawn", Args: []ArgKind{ArgText}, Query: `SELECT c.withdrawn_at, c.purpose, c.categories || ',' || o.reveals, o.name FROM consents c JOIN org_units o ON o.id = c.recipient_unit_id WHERE c.municipality_id = ? AND c.person_id = ? AND c.withdrawn_at IS NOT NULL`},
			}},
		Table{Name: "break_glass", Holds: "nødtilganger til personen med begrunnelse",
			Person: Link{Column: "person_id"}, Category: access.Basic, Columns: []string{"reason", "review_note"},
			// Opening one writes an audit entry about the person with the
			// reason and expiry, shown under changes; its reads are in the access log.
			Dossier: "changes", Erasure: Erasure{Rule: Deleted}},
		// One entry per request, listing in access_log_persons each person
		// read (older entries hold their one person in their own columns too).
		Table{Name: "access_log", Holds: "tilgangsloggen: hvem som har lest, når, hvor og hvorfor",
			Person: Link{Column: "id", Via: "access_log_persons", ViaColumn: "entry_id"}, Category: access.Basic, Columns: []string{"categories", "basis", "reason"},
			Dossier: "access_log", Erasure: Erasure{Rule: Kept, Why: LogRule}},
		Table{Name: "access_log_persons", Holds: "tilgangsloggen: hvilke personer en oppføring gjelder, med kategoriene som ble lest og grunnlaget",
			Person: Link{Column: "person_id"}, Category: access.Basic, Columns: []string{"categories", "basis"},
			Dossier: "access_log", Erasure: Erasure{Rule: Kept, Why: LogRule}},
	)
	RegisterDossier(Source{Owner: "access", Sections: []Section{{"access_log", "Hvem har sett opplysningene", 80}}, Collect: accessLogPart})
	RegisterDossier(Source{Owner: "audit", Sections: []Section{{"changes", "Endringer", 90}}, Collect: changesPart})
}

// accessLogPart is who has read the person's data: the person's own
// evidence under GDPR art. 15.
func accessLogPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]Part, error) {
	if _, err := access.Authorize(ctx, q, a, personID); err != nil {
		return nil, err
	}
	// Every entry, page by page: the copy is the person's evidence, so it
	// is never cut at a length.
	var log []access.LogEntry
	for before := (access.LogEntry{}); ; {
		page, err := access.AccessLogBefore(ctx, q, a.MunicipalityID, personID, before, 5000)
		if err != nil {
			return nil, err
		}
		log = append(log, page...)
		if len(page) < 5000 {
			break
		}
		before = page[len(page)-1]
	}
	w := WordsOf(ctx)
	p := Part{Key: "access_log", Data: log, Columns: w.Col("when", "who", "what", "basis"), Widths: []float64{30, 55, 50, 35}}
	for _, e := range log {
		cats := make([]string, len(e.Categories))
		for i, c := range e.Categories {
			cats[i] = w.Code("category", c)
		}
		p.Rows = append(p.Rows, []string{w.Time(e.At), e.UserName + ", " + e.OrgUnit, strings.Join(cats, ", "), w.Code("basis", e.Basis)})
	}
	return []Part{p}, nil
}

// Change is one audit entry about the person: on the person's record, or
// on one of their notes or consents. Categories are what its before and
// after reveal.
type Change struct {
	At         time.Time         `json:"at"`
	Actor      string            `json:"actor"`
	Action     string            `json:"action"`
	Entity     string            `json:"entity"`
	Before     string            `json:"before"`
	After      string            `json:"after"`
	Categories []access.Category `json:"categories"`
}

// changesQuery reads the audit entries about one person with the
// categories each touches, in chain order. An entry's before and after
// hold whatever the change held, so each is tagged by what it is about:
//   - the record itself (names, contact details, the masked number,
//     restriction, emergency access and its reason): basic data;
//   - a note: the note's category (a health note's body is health data);
//   - a consent: the categories it covers and what the receiving unit's
//     role reveals, as the consent itself is shown.
//
// Its parameters are the municipality and the person, three times.
const changesQuery = `SELECT a.seq, a.at, a.actor, a.action, a.entity, a.before_json, a.after_json, 'grunnopplysninger'
	FROM audit_log a WHERE a.municipality_id = ? AND a.entity = 'person' AND a.entity_id = ?
	UNION ALL
	SELECT a.seq, a.at, a.actor, a.action, a.entity, a.before_json, a.after_json, n.category
	FROM audit_log a JOIN notes n ON n.id = a.entity_id AND n.municipality_id = a.municipality_id
	WHERE a.municipality_id = ? AND a.entity = 'notat' AND n.person_id = ?
	UNION ALL
	SELECT a.seq, a.at, a.actor, a.action, a.entity, a.before_json, a.after_json, c.categories || ',' || o.reveals
	FROM audit_log a JOIN consents c ON c.id = a.entity_id AND c.municipality_id = a.municipality_id
	JOIN org_units o ON o.id = c.recipient_unit_id
	WHERE a.municipality_id = ? AND a.entity = 'samtykke' AND c.person_id = ?
	ORDER BY 1`

// changesPart is what has been changed about the person. Each change is a
// personal value tagged with what it touches, so a staff member's export
// leaves out changes of categories their grant lacks (and the access log
// records the categories sent); the person's own dossier shows them all.
func changesPart(ctx context.Context, q store.Queryer, a access.Actor, personID int64) ([]Part, error) {
	rd := access.NewReader(q, a, access.ChannelExport)
	if _, err := rd.Authorize(ctx, personID); err != nil {
		return nil, err
	}
	mid := a.MunicipalityID
	rows, err := q.QueryContext(ctx, changesQuery, mid, personID, mid, personID, mid, personID)
	changes, err := store.Collect(rows, err, func(r store.Scanner) (access.Personal[Change], error) {
		var c Change
		var seq int64
		var touches string
		if err := r.Scan(&seq, store.ScanTime(&c.At), &c.Actor, &c.Action, &c.Entity, &c.Before, &c.After, &touches); err != nil {
			return access.Personal[Change]{}, err
		}
		if c.Action == "importer" {
			// An import's entry lists every person of the batch: about
			// others than this person, so only the fact is shown.
			c.Before, c.After = "", ""
		}
		var cats access.CategorySet
		for _, code := range strings.Split(touches, ",") {
			if cat, err := access.ParseCategory(strings.TrimSpace(code)); err == nil {
				cats |= access.SetOf(cat)
			}
		}
		// A change is about the person at least: never less than basic data.
		cats |= access.SetOf(access.Basic)
		c.Categories = cats.List()
		return access.TagSet(personID, c, cats), nil
	})
	if err != nil {
		return nil, err
	}
	if err := rd.Send(ctx, &changes); err != nil {
		return nil, err
	}
	p := Part{Key: "changes", Data: nonNilChanges(changes), Columns: WordsOf(ctx).Col("date", "by", "what", "after"), Widths: []float64{22, 45, 25, 78}}
	for _, x := range changes {
		c := x.Value()
		p.Rows = append(p.Rows, []string{WordsOf(ctx).Day(c.At), c.Actor, c.Action + " " + c.Entity, Readable(c.After)})
	}
	return []Part{p}, nil
}

func nonNilChanges(xs []access.Personal[Change]) []access.Personal[Change] {
	if xs == nil {
		return []access.Personal[Change]{}
	}
	return xs
}
