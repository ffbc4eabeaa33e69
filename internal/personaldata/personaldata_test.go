package personaldata_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/demo/demotest"
	"husly/internal/i18n"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/personaldata"
	_ "husly/internal/personaldata/all"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func wantProblem(t *testing.T, problems []string, want string) {
	t.Helper()
	for _, p := range problems {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Errorf("no problem says %q; got %q", want, problems)
}

// The registry and the live schema agree on both engines, and every way
// they can drift apart is caught.
func TestRegistryMatchesSchema(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		reg := personaldata.Default()
		s, err := reg.Verify(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Has("notes", "person_id") || !s.Has("persons", "identity_enc") || len(s.Tables()) != len(reg.Tables()) {
			t.Fatalf("schema read: %d tables, registry %d", len(s.Tables()), len(reg.Tables()))
		}
		if len(reg.Owners()) < 7 {
			t.Fatalf("owners %v: a capability did not register", reg.Owners())
		}

		// A table left out of the registry, and one the database lacks.
		wantProblem(t, reg.Without("notes").Check(s), "tabellen notes er ikke i registeret")
		wantProblem(t, reg.With(personaldata.Table{Name: "crisis_plans"}).Check(s), "registeret har tabellen crisis_plans")

		// New tables: one with a person_id, one hanging on a person's case by
		// foreign key, one with a name column.
		for _, ddl := range []string{
			"CREATE TABLE crisis_plans (id BIGINT PRIMARY KEY, municipality_id BIGINT, person_id BIGINT, body TEXT)",
			`CREATE TABLE case_scores (id BIGINT PRIMARY KEY, municipality_id BIGINT NOT NULL, application_id BIGINT NOT NULL, score INTEGER,
				FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id))`,
			"CREATE TABLE visitors (id BIGINT PRIMARY KEY, first_name TEXT)",
		} {
			if _, err := db.ExecContext(ctx, ddl); err != nil {
				t.Fatal(err)
			}
		}
		_, err = reg.Verify(ctx, db)
		var m *personaldata.Mismatch
		if !errors.As(err, &m) {
			t.Fatalf("undeclared new tables passed: %v", err)
		}
		for _, name := range []string{"crisis_plans", "case_scores", "visitors"} {
			wantProblem(t, m.Problems, "tabellen "+name+" er ikke i registeret")
		}
		s, err = store.ReadSchema(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		// Declared, but not as personal data.
		plain := reg.With(personaldata.Table{Name: "crisis_plans"}, personaldata.Table{Name: "case_scores"}, personaldata.Table{Name: "visitors"})
		problems := plain.Check(s)
		wantProblem(t, problems, "tabellen crisis_plans har personkolonnen person_id")
		wantProblem(t, problems, "tabellen case_scores viser til personopplysningene i applications")
		wantProblem(t, problems, "tabellen visitors har personkolonnen first_name")
		// Declared personal, but half-way.
		half := reg.With(personaldata.Table{Name: "crisis_plans", Person: personaldata.Link{Column: "person_id"}, Columns: []string{"plan"}},
			personaldata.Table{Name: "case_scores", Person: personaldata.Link{Column: "application_id", Via: "applicationz"}, Category: "helse",
				NotInDossier: "x", Erasure: personaldata.Erasure{Rule: personaldata.Blocks}},
			personaldata.Table{Name: "visitors", Person: personaldata.Link{Column: "person_id"}, Category: "sko", Dossier: "nowhere",
				ColumnCategories: map[string]access.Category{"nope": access.Health, "first_name": "sokk"},
				Erasure:          personaldata.Erasure{Rule: personaldata.Anonymised}})
		problems = half.Check(s)
		for _, want := range []string{"crisis_plans: mangler datakategori", "crisis_plans: personkolonnen plan finnes ikke",
			"crisis_plans: mangler sletteregel", "crisis_plans: hører ikke til noen del av innsynet",
			"case_scores: kobles via applicationz", "case_scores: en sperre for sletting må si",
			"visitors: koblingskolonnen person_id finnes ikke", `visitors: ukjent datakategori "sko"`,
			`visitors: innsynsdelen "nowhere"`, "visitors: anonymiseres uten SET-ledd", "visitors: kolonnen nope (helse) finnes ikke",
			`visitors: kolonnen first_name har ukjent datakategori "sokk"`} {
			wantProblem(t, problems, want)
		}
		// Declared properly, a new table passes.
		whole := reg.With(
			personaldata.Table{Name: "crisis_plans", Person: personaldata.Link{Column: "person_id"}, Category: access.Health, Columns: []string{"body"},
				Dossier: "notes", Erasure: personaldata.Erasure{Rule: personaldata.Deleted}},
			personaldata.Table{Name: "case_scores", Person: personaldata.Link{Column: "application_id", Via: "applications"}, Category: access.HousingNeeds,
				Dossier: "cases", Erasure: personaldata.Erasure{Rule: personaldata.Blocks, One: "poeng", Many: "poeng", Why: personaldata.ArchiveRule}},
			personaldata.Table{Name: "visitors", Person: personaldata.Link{Column: "id", Via: "persons"}, Category: access.Basic,
				NotInDossier: "test", Erasure: personaldata.Erasure{Rule: personaldata.Kept, Why: "test"}})
		if problems := whole.Check(s); len(problems) > 0 {
			t.Fatalf("a whole declaration was refused: %q", problems)
		}
	})
}

// Every link and every timeline query the capabilities declared runs on
// both engines and finds a real person's rows.
func TestLinksAndTimelineRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		demotest.Seed(t, db, 1)
		reg := personaldata.Default()
		var all []*personaldata.Table
		for _, tb := range reg.Tables() {
			if tb.Personal() {
				all = append(all, reg.Table(tb.Name))
			}
		}
		// The tenant with the most case rows, so that the links through
		// applications and leases are walked.
		var pid, mid int64
		if err := db.QueryRowContext(ctx, `SELECT t.person_id, t.municipality_id FROM lease_tenants t JOIN applications a ON a.person_id = t.person_id
			GROUP BY t.person_id, t.municipality_id ORDER BY COUNT(*) DESC, t.person_id LIMIT 1`).Scan(&pid, &mid); err != nil {
			t.Fatal(err)
		}
		rows, err := reg.Count(ctx, db, pid, all)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, r := range rows {
			got[r.Table.Name] = r.Count
		}
		for _, name := range []string{"persons", "lease_tenants", "leases", "applications", "case_units", "access_log", "audit_log"} {
			if got[name] == 0 {
				t.Errorf("no %s rows found for person %d through the registry's link: %v", name, pid, got)
			}
		}
		// Links through another table count what a join counts.
		var leases, letters int
		if err := db.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM leases l JOIN lease_tenants t ON t.lease_id = l.id WHERE t.person_id = ?), "+
			"(SELECT COUNT(*) FROM letters b JOIN applications a ON a.id = b.application_id WHERE a.person_id = ?)", pid, pid).Scan(&leases, &letters); err != nil {
			t.Fatal(err)
		}
		if got["leases"] != leases || got["letters"] != letters {
			t.Errorf("leases %d (join %d), letters %d (join %d)", got["leases"], leases, got["letters"], letters)
		}
		// The person's own dossier shows every declared part that holds rows.
		self := access.Actor{MunicipalityID: mid, PersonID: pid, Role: access.Resident, Name: "Beboer"}
		d, err := people.Collect(ctx, db, self, pid)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Table.Dossier != "" && d.Part(r.Table.Dossier) == nil {
				t.Errorf("%s holds %s, but the dossier has no part %q", r.Table.Name, r.Phrase(), r.Table.Dossier)
			}
		}
		if dir := os.Getenv("HUSLY_KEEP_PDF"); dir != "" {
			var pdf bytes.Buffer
			if err := d.WritePDF(&pdf); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dir+"/innsyn-demo.pdf", pdf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		// The tenant cannot be erased, and the refusal says why.
		var unit int64
		if err := db.QueryRowContext(ctx, "SELECT org_unit_id FROM case_units WHERE person_id = ? AND ended_at IS NULL ORDER BY id LIMIT 1", pid).Scan(&unit); err != nil {
			t.Fatal(err)
		}
		leader := access.Actor{MunicipalityID: mid, OrgUnitID: unit, Role: access.UnitLeader, Name: "Leder", Username: "leder"}
		err = db.InTx(ctx, func(tx *store.Tx) error { return people.Delete(ctx, tx, leader, pid, "Test") })
		if !errors.Is(err, people.ErrMustKeep) || !strings.Contains(err.Error(), "1 leiekontrakt") || !strings.Contains(err.Error(), "søknad") {
			t.Fatalf("erasing a tenant: %v", err)
		}
		kinds := 0
		for _, e := range reg.Timeline() {
			rs, err := db.QueryContext(ctx, e.Query, mid, pid)
			if err != nil {
				t.Fatalf("timeline %s: %v", e.Kind, err)
			}
			cols, _ := rs.Columns()
			want := 3 + len(e.Args)
			if e.DetailPhrase {
				want++
			}
			if len(cols) != want {
				t.Errorf("timeline %s gives %d columns, want %d (at, detail, categories revealed, then the title's arguments)", e.Kind, len(cols), want)
			}
			for rs.Next() {
			}
			if err := rs.Err(); err != nil {
				t.Fatalf("timeline %s: %v", e.Kind, err)
			}
			rs.Close()
			kinds++
		}
		if kinds < 12 {
			t.Fatalf("only %d timeline sources registered", kinds)
		}
	})
}

// Erasure does what the registry says: refused with the rows and the rule
// that keep the person, otherwise deleting and unlinking table by table.
func TestErasureFollowsRegistry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		leader := cw
		leader.Role = access.UnitLeader
		now := store.TimeArg(time.Now())

		// Registered by mistake: a household, a login, an emergency access.
		pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(41), FirstName: "Feil", LastName: "Registrert"})
		if err != nil {
			t.Fatal(err)
		}
		hh, err := store.InsertID(ctx, db, "INSERT INTO households (municipality_id, created_at) VALUES (?, ?)", tn.MunicipalityID, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []struct {
			sql  string
			args []any
		}{
			{"INSERT INTO household_members (municipality_id, household_id, person_id, first_name, last_name, relation) VALUES (?, ?, ?, 'Feil', 'Registrert', 'soker')", []any{tn.MunicipalityID, hh, pid}},
			{"INSERT INTO household_members (municipality_id, household_id, first_name, last_name, relation) VALUES (?, ?, 'Barn', 'Registrert', 'barn')", []any{tn.MunicipalityID, hh}},
			{"INSERT INTO users (municipality_id, person_id, username, full_name, email, role, created_at) VALUES (?, ?, 'beboer-feil', 'Feil Registrert', 'feil@example.no', 'beboer', ?)", []any{tn.MunicipalityID, pid, now}},
			{"INSERT INTO break_glass (municipality_id, user_id, person_id, reason, opened_at, expires_at) VALUES (?, ?, ?, 'Akutt behov for kontakt', ?, ?)", []any{tn.MunicipalityID, tn.UserID, pid, now, now}},
		} {
			if _, err := db.ExecContext(ctx, stmt.sql, stmt.args...); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := people.Load(ctx, db, cw, pid, access.ChannelPage); err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return people.Delete(ctx, tx, leader, pid, "Registrert ved en feil") }); err != nil {
			t.Fatal(err)
		}
		reg := personaldata.Default()
		var personal []*personaldata.Table
		for _, tb := range reg.Tables() {
			if tb.Personal() {
				personal = append(personal, reg.Table(tb.Name))
			}
		}
		left, err := reg.Count(ctx, db, pid, personal)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range left {
			if rule := r.Table.Erasure.Rule; rule != personaldata.Kept {
				t.Errorf("%s left after erasure of a %v table", r.Phrase(), r.Table.Name)
			}
		}
		var username, fullName, email string
		var active bool
		if err := db.QueryRowContext(ctx, "SELECT username, full_name, email, active FROM users WHERE username LIKE 'slettet-%'").Scan(&username, &fullName, &email, &active); err != nil {
			t.Fatalf("the login was not anonymised: %v", err)
		}
		if fullName != "Slettet bruker" || email != "" || active {
			t.Fatalf("login after erasure: %s %q %q %v", username, fullName, email, active)
		}
		var children int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM household_members WHERE household_id = ?", hh).Scan(&children); err != nil {
			t.Fatal(err)
		}
		var after string
		if err := db.QueryRowContext(ctx, "SELECT after_json FROM audit_log WHERE action = 'slett' AND entity_id = ?", pid).Scan(&after); err != nil {
			t.Fatal(err)
		}
		if children != 1 || !strings.Contains(after, `"household_members":1`) || !strings.Contains(after, `"break_glass":1`) || !strings.Contains(after, `"users":1`) {
			t.Fatalf("children left %d; audit of the erasure: %s", children, after)
		}

		// Kept by a journal note and a consent: refused, naming both and why.
		kept, _ := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(42), FirstName: "Har", LastName: "Sak"})
		if _, err := people.AddNote(ctx, db, cw, kept, access.HousingNeeds, "Trenger bolig"); err != nil {
			t.Fatal(err)
		}
		if _, err := access.RecordConsent(ctx, db, cw, access.Consent{PersonID: kept, RecipientUnitID: tn.OrgUnitID, Purpose: "Test", Categories: []access.Category{access.Finances}}); err != nil {
			t.Fatal(err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error { return people.Delete(ctx, tx, leader, kept, "Feil") })
		var mk *personaldata.MustKeep
		if !errors.Is(err, people.ErrMustKeep) || !errors.As(err, &mk) || !strings.Contains(err.Error(), "1 journalnotat") || !strings.Contains(err.Error(), "1 samtykke") {
			t.Fatalf("erasure with a note and a consent: %v", err)
		}
		if reasons := mk.Reasons(); len(reasons) != 2 || !strings.Contains(err.Error(), "1 journalnotat (arkivloven § 6") ||
			!strings.Contains(err.Error(), "1 samtykke (personvernforordningen art. 7") {
			t.Fatalf("refusal: %v", err)
		}
		// The refusal is a message argument written in the reader's
		// language from the catalogues; in bokmål it is the error's text.
		if nb := mk.In("nb"); nb != err.Error() {
			t.Errorf("the bokmål refusal %q differs from the error %q", nb, err.Error())
		}
		if en := mk.In("en"); !strings.Contains(en, "the person has information that must be kept") || !strings.Contains(en, "1 case note (Archives Act § 6") ||
			!strings.Contains(en, "1 consent (GDPR Art. 7(1)") || strings.Contains(en, "journalnotat") || strings.Contains(en, "arkivloven") {
			t.Errorf("the English refusal: %q", en)
		}
		if _, err := people.Load(ctx, db, cw, kept, access.ChannelPage); err != nil {
			t.Fatalf("a refused erasure changed something: %v", err)
		}

		// The rules are the registry's: declared deletable, notes and
		// consents go with the person.
		lenient := reg.Without("notes", "consents")
		for _, name := range []string{"notes", "consents"} {
			tb := *reg.Table(name)
			tb.Erasure = personaldata.Erasure{Rule: personaldata.Deleted}
			lenient = lenient.With(tb)
		}
		s, err := store.ReadSchema(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			done, err := lenient.Erase(ctx, tx, s, kept)
			if err != nil {
				return err
			}
			if len(done) < 4 {
				t.Errorf("erased only %v", done)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var notes int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM notes WHERE person_id = ?", kept).Scan(&notes); err != nil {
			t.Fatal(err)
		}
		if notes != 0 {
			t.Fatal("a registry that lets notes go did not erase them")
		}
	})
}

// docs/privacy.md lists the registry as it is; HUSLY_UPDATE_DOCS=1 rewrites it.
func TestPrivacyDocListsTheRegistry(t *testing.T) {
	const path = "../../docs/privacy.md"
	const start, end = "<!-- registry:start (made by personaldata.Registry.Markdown; run HUSLY_UPDATE_DOCS=1 go test ./internal/personaldata/) -->\n", "<!-- registry:end -->"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, start), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no registry section between %q and %q", path, start, end)
	}
	want := personaldata.Default().Markdown()
	if got := doc[i+len(start) : j]; got != want {
		if os.Getenv("HUSLY_UPDATE_DOCS") == "1" {
			// The file exists (read above), so it keeps its mode.
			if err := os.WriteFile(path, []byte(doc[:i+len(start)]+want+doc[j:]), 0o600); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Fatalf("docs/privacy.md's registry is out of date; run HUSLY_UPDATE_DOCS=1 go test -run TestPrivacyDocListsTheRegistry ./internal/personaldata/")
	}
}

// BenchmarkVerify is what holding the registry against the schema adds to
// a dossier, an erasure or a backup.
func BenchmarkVerify(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			db := storetest.Open(b, engine)
			ctx := context.Background()
			reg := personaldata.Default()
			for b.Loop() {
				if _, err := reg.Verify(ctx, db); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Every table that can block an erasure is named in every language, in
// both plural forms, so a refusal never falls back to bokmål.
func TestBlockingTablesInCatalogues(t *testing.T) {
	for _, tb := range personaldata.Default().Tables() {
		if tb.Erasure.Rule != personaldata.Blocks {
			continue
		}
		for _, lang := range i18n.Languages {
			for _, form := range []string{"one", "other"} {
				if _, ok := i18n.Catalogs[lang]["words.erase."+tb.Name+"."+form]; !ok {
					t.Errorf("%s: no words.erase.%s.%s", lang, tb.Name, form)
				}
			}
		}
	}
}
