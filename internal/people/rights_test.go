package people_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/identity"
	"husly/internal/people"
	_ "husly/internal/personaldata/all" // the dossier and erasure need every capability's tables
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func TestRights(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		a := actor(tn)
		leader := a
		leader.Role, leader.Username = access.UnitLeader, "leder"
		id, err := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(31), FirstName: "Åse", LastName: "Nilsen", Phone: "91234567"})
		if err != nil {
			t.Fatal(err)
		}
		// Correction: before and after in the audit chain; bad input changes nothing.
		if err := people.Correct(ctx, db, a, id, people.Correction{FirstName: "Åse Marie", LastName: "Nilsen", Phone: "91234567", Address: "Fosnagata 3"}); err != nil {
			t.Fatal(err)
		}
		var before, after string
		if err := db.QueryRowContext(ctx, "SELECT before_json, after_json FROM audit_log WHERE action = 'rett' AND entity_id = ?", id).Scan(&before, &after); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(before, `"first_name":"Åse"`) || !strings.Contains(after, `"address":"Fosnagata 3"`) {
			t.Fatalf("correction not audited: %s → %s", before, after)
		}
		var ve *people.ValidationError
		if err := people.Correct(ctx, db, a, id, people.Correction{FirstName: "", LastName: "X", Email: "ikke-epost"}); !errors.As(err, &ve) || len(ve.Problems) != 2 {
			t.Fatalf("bad correction: %v", err)
		}
		// The dossier holds the record, who has looked and what changed; the PDF is a real PDF.
		d, err := people.Collect(ctx, db, a, id)
		if err != nil {
			t.Fatal(err)
		}
		log, changes, person := d.Part("access_log"), d.Part("changes"), d.Part("person")
		if log == nil || len(log.Rows) == 0 || changes == nil || len(changes.Rows) < 2 || person == nil ||
			person.Data.(people.DossierPerson).FirstName != "Åse Marie" || d.Parts[0].Key != "person" {
			t.Fatalf("dossier: %+v", d.Parts)
		}
		// The access log is read last, so it holds this dossier's own read.
		if entries := log.Data.([]access.LogEntry); entries[0].Channel != access.ChannelExport {
			t.Fatalf("newest access log entry: %+v", entries[0])
		}
		var pdfBuf bytes.Buffer
		if err := d.WritePDF(&pdfBuf); err != nil || !bytes.HasPrefix(pdfBuf.Bytes(), []byte("%PDF-")) || pdfBuf.Len() < 5000 {
			t.Fatalf("pdf: %d bytes, %v", pdfBuf.Len(), err)
		}
		if dir := os.Getenv("HUSLY_KEEP_PDF"); dir != "" {
			if err := os.WriteFile(dir+"/innsyn.pdf", pdfBuf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		// Restriction: nobody on staff can open the person until it is lifted.
		if err := people.Restrict(ctx, db, a, id, true, "x"); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("case worker restricted: %v", err)
		}
		if err := people.Restrict(ctx, db, leader, id, true, "Personen har bedt om det"); err != nil {
			t.Fatal(err)
		}
		if _, err := people.Load(ctx, db, a, id, access.ChannelPage); !errors.Is(err, access.ErrRestricted) {
			t.Fatalf("restricted person opened: %v", err)
		}
		if err := people.Restrict(ctx, db, leader, id, false, "Opphevet etter samtale"); err != nil {
			t.Fatal(err)
		}
		// Erasure: refused while there are case documents, done when there are none.
		if _, err := access.RecordConsent(ctx, db, a, access.Consent{PersonID: id, RecipientUnitID: tn.OrgUnitID, Purpose: "Test", Categories: []access.Category{access.Finances}}); err != nil {
			t.Fatal(err)
		}
		if err := people.Delete(ctx, db, leader, id, "Feilregistrert"); !errors.Is(err, people.ErrMustKeep) {
			t.Fatalf("person with a consent deleted: %v", err)
		}
		other, _ := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(32), FirstName: "Feil", LastName: "Registrert"})
		if err := people.Delete(ctx, db, a, other, "x"); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("case worker deleted: %v", err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return people.Delete(ctx, tx, leader, other, "Registrert ved en feil") }); err != nil {
			t.Fatal(err)
		}
		if _, err := people.Load(ctx, db, a, other, access.ChannelPage); !errors.Is(err, people.ErrNotFound) {
			t.Fatalf("deleted person still there: %v", err)
		}
		if r, err := audit.Verify(ctx, db, nil, nil); err != nil || !r.Whole() {
			t.Fatalf("audit chain after the rights: %+v %v", r.Broken, err)
		}
	})
}

// The dossier's changes carry what each change touches: a case worker's
// export leaves out the change to a health note (its body is in the audit
// entry), the person's own dossier shows it.
func TestDossierChangesCarryCategories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		a := actor(tn)
		id, err := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(41), FirstName: "Tor", LastName: "Endring"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := people.AddNote(ctx, db, a, id, access.HousingNeeds, "Trenger bolig på bakkeplan"); err != nil {
			t.Fatal(err)
		}
		// A health note written by the follow-up team: the case worker's
		// role may not write or read it.
		var note int64
		if err := db.QueryRowContext(ctx, `INSERT INTO notes (municipality_id, person_id, category, body, author_name, written_at)
			VALUES (?, ?, 'helse', 'Innlagt for behandling', 'Oppfølging', ?) RETURNING id`, tn.MunicipalityID, id, store.TimeArg(time.Now())).Scan(&note); err != nil {
			t.Fatal(err)
		}
		if err := audit.Record(ctx, db, audit.Entry{MunicipalityID: tn.MunicipalityID, Actor: "Oppfølging", Action: "opprett", Entity: "notat",
			EntityID: note, After: map[string]string{"body": "Innlagt for behandling"}}); err != nil {
			t.Fatal(err)
		}
		changes := func(who access.Actor) (string, []people.Change) {
			t.Helper()
			d, err := people.Collect(ctx, db, who, id)
			if err != nil {
				t.Fatal(err)
			}
			p := d.Part("changes")
			var out []people.Change
			for _, x := range p.Data.([]access.Personal[people.Change]) {
				out = append(out, x.Value())
			}
			var text strings.Builder
			for _, r := range p.Rows {
				text.WriteString(strings.Join(r, " ") + "\n")
			}
			return text.String(), out
		}
		text, got := changes(a)
		if strings.Contains(text, "Innlagt") || len(got) != 2 {
			t.Fatalf("the case worker's dossier holds the health note's change, or misses others: %d changes\n%s", len(got), text)
		}
		if !strings.Contains(text, "bakkeplan") || got[1].Entity != "notat" || len(got[1].Categories) != 2 || got[1].Categories[1] != access.HousingNeeds {
			t.Fatalf("the housing-needs note's change is missing or untagged: %+v", got)
		}
		// The read of the changes is logged with what was sent, not health.
		var cats string
		if err := db.QueryRowContext(ctx, `SELECT categories FROM access_reads WHERE person_id = ? AND channel = ? AND user_id = ?
			ORDER BY id DESC LIMIT 1`, id, access.ChannelExport, a.UserID).Scan(&cats); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(cats, "helse") {
			t.Fatalf("access log says health was sent: %s", cats)
		}
		// The person themself sees every change.
		self := access.Actor{MunicipalityID: tn.MunicipalityID, PersonID: id, Username: "beboer", Name: "Tor Endring", Role: access.Resident}
		text, got = changes(self)
		if !strings.Contains(text, "Innlagt for behandling") || len(got) != 3 {
			t.Fatalf("the person's own dossier lacks the health note's change: %d changes\n%s", len(got), text)
		}
	})
}
