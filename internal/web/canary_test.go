package web_test

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/drafts"
	"husly/internal/identity"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// The canary test plants a marker for each category in every free-text and
// derived field about a set of persons, crawls every read route of the
// router as every role and relationship, and fails when a response holds
// a marker of a category the viewer's grant lacks, or holds a marker with
// no access-log row for that person and category written by the request.

// canary is the marker of category c for scenario person i.
func canary(c access.Category, i int) string {
	return fmt.Sprintf("KANARI%sX%dX", strings.ToUpper(string(c)), i)
}

var canaryPattern = regexp.MustCompile(`KANARI([A-Z]+)X(\d+)X`)

// Canary scenarios: how the staff users' units stand to each person.
var canaryScenarios = []string{"ingen relasjon", "rolle uten samtykke", "rolle og samtykke", "nødtilgang", "seg selv", "annen kommune"}

type canaryWorld struct {
	persons      []int64 // by scenario index
	numbers      []string
	applications []int64
	meetings     []int64
	munis        []int64
	followups    []int64            // a follow-up of each scenario person
	teams        []int64            // the follow-up team it belongs to
	tenancy      []map[string]int64 // keeping the home: each person's lease, complaint and step
}

func plantCanaries(t *testing.T, db *store.DB) canaryWorld {
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	record := func(e audit.Entry) {
		t.Helper()
		if err := audit.Record(ctx, db, e); err != nil {
			t.Fatal(err)
		}
	}
	now := store.TimeArg(time.Now())
	later := store.TimeArg(time.Now().Add(time.Hour))
	mid := queryID(t, db, "SELECT id FROM municipalities WHERE number = '1505'")
	other := storetest.NewTenant(t, db, "1506")
	staffUnits := []int64{}
	for _, k := range []string{"boligkontor", "eiendom", "housing_first"} {
		staffUnits = append(staffUnits, queryID(t, db, "SELECT id FROM org_units WHERE municipality_id = ? AND kind = ?", mid, k))
	}
	unitOf := func(muni int64, kind string) int64 {
		var id int64
		err := db.QueryRowContext(ctx, "SELECT id FROM org_units WHERE municipality_id = ? AND kind = ?", muni, kind).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			id, err = org.CreateUnit(ctx, db, access.Actor{MunicipalityID: muni, Username: "cli:test", Name: "Kommandolinjen", Role: access.Operator}, org.Unit{Name: "Enhet " + kind, Kind: org.UnitKind(kind)})
		}
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	var w canaryWorld
	meetings := map[int64]int64{}
	for i, scen := range canaryScenarios {
		muni := mid
		if scen == "annen kommune" {
			muni = other.MunicipalityID
		}
		var p int64
		var number string
		if scen == "seg selv" {
			p = queryID(t, db, "SELECT person_id FROM users WHERE username = 'demo-beboer'")
			number = storetest.NumberOf(t, db, p)
			exec("UPDATE persons SET last_name = ?, last_name_key = ? WHERE id = ?", canary(access.Basic, i), strings.ToLower(canary(access.Basic, i)), p)
		} else {
			number = identity.Synthetic(700000 + i)
			p = storetest.InsertPerson(t, db, muni, number, "Kanari", canary(access.Basic, i))
		}
		w.persons, w.numbers, w.munis = append(w.persons, p), append(w.numbers, number), append(w.munis, muni)
		switch scen {
		case "rolle uten samtykke", "rolle og samtykke":
			for _, u := range staffUnits {
				exec("INSERT INTO case_units (municipality_id, person_id, org_unit_id, responsibility, started_at) VALUES (?, ?, ?, 'saksbehandling', ?)", muni, p, u, now)
			}
		case "nødtilgang":
			exec(`INSERT INTO break_glass (municipality_id, user_id, person_id, reason, opened_at, expires_at)
				SELECT ?, id, ?, 'Kanarifugl i gruven', ?, ? FROM users WHERE username IN ('demo-saksbehandler', 'demo-eiendom', 'demo-oppfolging', 'demo-enhetsleder')`,
				muni, p, now, later)
		}
		if scen == "rolle og samtykke" {
			for _, u := range staffUnits {
				exec(`INSERT INTO consents (municipality_id, person_id, recipient_unit_id, purpose, categories, given_at) VALUES (?, ?, ?, 'Oppfølging', 'helse,okonomi,oppfolging,rus', ?)`, muni, p, u, now)
			}
		}
		// Roles of units whose work reveals special categories.
		nav, rop := unitOf(muni, "nav"), unitOf(muni, "psykisk_helse_rus")
		exec("INSERT INTO case_units (municipality_id, person_id, org_unit_id, responsibility, legal_basis, started_at) VALUES (?, ?, ?, ?, ?, ?)",
			muni, p, nav, "Sosialhjelp "+canary(access.Finances, i), "sosialtjenesteloven § 18 "+canary(access.Finances, i), now)
		exec("INSERT INTO case_units (municipality_id, person_id, org_unit_id, responsibility, legal_basis, started_at) VALUES (?, ?, ?, ?, ?, ?)",
			muni, p, rop, "Behandling "+canary(access.Health, i)+" "+canary(access.Substance, i), "helse- og omsorgstjenesteloven § 3-2 "+canary(access.Health, i)+" "+canary(access.Substance, i), now)
		ropConsent := queryID(t, db, `INSERT INTO consents (municipality_id, person_id, recipient_unit_id, purpose, categories, given_at) VALUES (?, ?, ?, ?, 'helse,rus', ?) RETURNING id`,
			muni, p, rop, "Samarbeid "+canary(access.Health, i)+" "+canary(access.Substance, i), now)
		exec(`INSERT INTO consents (municipality_id, person_id, recipient_unit_id, purpose, categories, given_at) VALUES (?, ?, ?, ?, 'okonomi', ?)`,
			muni, p, nav, "Budsjett "+canary(access.Finances, i), now)
		// A consent to speak with the GP reveals health data by its purpose.
		exec(`INSERT INTO outside_consents (municipality_id, person_id, recipient_kind, recipient_name, purpose, categories, given_at, expires_at)
			VALUES (?, ?, 'fastlege', 'Dr. Kanari', ?, 'helse', ?, ?)`, muni, p, "Legetime "+canary(access.Health, i), now, store.TimeArg(time.Now().Add(24*time.Hour)))
		for _, c := range []access.Category{access.HousingNeeds, access.Tenancy, access.Finances, access.Health, access.Substance, access.FollowUpPlan} {
			note := queryID(t, db, "INSERT INTO notes (municipality_id, person_id, category, body, author_name, written_at) VALUES (?, ?, ?, ?, 'Kanari', ?) RETURNING id", muni, p, string(c), "Notat "+canary(c, i), now)
			// The note's change in the audit chain holds its body: the
			// dossier's changes must carry the note's category.
			record(audit.Entry{MunicipalityID: muni, Actor: "Kanari", Action: "opprett", Entity: "notat", EntityID: note,
				After: map[string]string{"body": "Endret notat " + canary(c, i)}})
		}
		// Changes to the record and to a consent: the consent's purpose
		// reveals what the consent covers.
		record(audit.Entry{MunicipalityID: muni, Actor: "Kanari", Action: "rett", Entity: "person", EntityID: p,
			After: map[string]string{"address": "Endret adresse " + canary(access.Basic, i)}})
		record(audit.Entry{MunicipalityID: muni, Actor: "Kanari", Action: "registrer", Entity: "samtykke", EntityID: ropConsent,
			After: map[string]string{"purpose": "Endret samtykke " + canary(access.Health, i) + " " + canary(access.Substance, i)}})
		exec(`INSERT INTO contacts (municipality_id, person_id, received_on, channel, residence, homeless, homeless_reason, summary, registered_by, created_at)
			VALUES (?, ?, '2026-11-01', 'nav', 'midlertidig_botilbud', ?, 'midlertidig', ?, 'Kanari', ?)`, muni, p, true, "Henvendelse "+canary(access.HousingNeeds, i), now)
		exec(`INSERT INTO mappings (municipality_id, person_id, housing_need, finances, functioning, written_by, created_at, activity_wishes, somatic_health,
			children_school, moving_needs) VALUES (?, ?, ?, ?, ?, 'Kanari', ?, ?, ?, ?, ?)`,
			muni, p, "Behov "+canary(access.HousingNeeds, i), "Gjeld "+canary(access.Finances, i), "Fungering "+canary(access.FollowUpPlan, i), now,
			"Arbeid "+canary(access.FollowUpPlan, i), "Somatisk "+canary(access.Health, i), "Skole "+canary(access.Household, i), "Møbler "+canary(access.HousingNeeds, i))
		// A household with a member who is not registered as a person.
		household := queryID(t, db, "INSERT INTO households (municipality_id, created_at) VALUES (?, ?) RETURNING id", muni, now)
		if scen != "seg selv" {
			exec("INSERT INTO household_members (municipality_id, household_id, person_id, first_name, last_name, relation) VALUES (?, ?, ?, 'Kanari', ?, 'soker')",
				muni, household, p, canary(access.Basic, i))
		}
		exec("INSERT INTO household_members (municipality_id, household_id, first_name, last_name, birth_date, relation) VALUES (?, ?, 'Barn', ?, '2015-01-01', 'barn')",
			muni, household, canary(access.Household, i))
		eligibility := fmt.Sprintf(`{"eligible":false,"checks":[{"rule":{"kind":"inntekt","limit":1},"passed":false,"exempt":false,"reason":"Inntekt %s"},`+
			`{"rule":{"kind":"formue","limit":1},"passed":false,"exempt":false,"reason":"Formue %s"},`+
			`{"rule":{"kind":"botid","limit":1},"passed":true,"exempt":false,"reason":"Botid %s"}]}`,
			canary(access.Finances, i), canary(access.Finances, i), canary(access.HousingNeeds, i))
		app := queryID(t, db, `INSERT INTO applications (municipality_id, person_id, kind, received_on, decision_due, eligible, eligibility, case_worker, created_at)
			VALUES (?, ?, 'kommunal_bolig', '2026-11-01', '2026-12-01', ?, ?, 'Kanari', ?) RETURNING id`, muni, p, false, eligibility, now)
		w.applications = append(w.applications, app)
		// Staff's unsent drafts of the long forms: sealed, tagged with what
		// they reveal, read back only by their writer within the grant.
		if muni == mid {
			for _, user := range []string{"demo-saksbehandler", "demo-oppfolging", "demo-enhetsleder"} {
				writer := access.Actor{MunicipalityID: mid, UserID: queryID(t, db, "SELECT id FROM users WHERE username = ?", user)}
				mapping := url.Values{"goals": {"Utkast " + canary(access.HousingNeeds, i)}, "somatic_health": {"Utkast " + canary(access.Health, i)},
					"functioning": {"Utkast " + canary(access.FollowUpPlan, i)}}
				if err := drafts.Save(ctx, db, writer, fmt.Sprintf("/personer/%d/kartlegging", p), p,
					access.SetOf(access.HousingNeeds, access.Health, access.FollowUpPlan), mapping); err != nil {
					t.Fatal(err)
				}
				if err := drafts.Save(ctx, db, writer, fmt.Sprintf("/saker/%d/vedtak", app), p, access.SetOf(access.HousingNeeds),
					url.Values{"reasons": {"Utkast " + canary(access.HousingNeeds, i)}}); err != nil {
					t.Fatal(err)
				}
			}
		}
		exec(`INSERT INTO case_meetings (municipality_id, application_id, held_on, participants, summary, written_by, created_at)
			VALUES (?, ?, '2026-11-02', 'Søker', ?, 'Kanari', ?)`, muni, app, "Samtale "+canary(access.HousingNeeds, i), now)
		if meetings[muni] == 0 {
			meetings[muni] = queryID(t, db, "INSERT INTO meetings (municipality_id, held_on, created_by, created_at) VALUES (?, '2026-12-01', 'Kanari', ?) RETURNING id", muni, now)
		}
		exec(`INSERT INTO meeting_items (municipality_id, meeting_id, application_id, unit_id, reasons, decision, decision_reason, decided_by)
			VALUES (?, ?, ?, NULL, ?, 'utsatt', ?, 'Kanari')`, muni, meetings[muni], app, `["Grunn `+canary(access.HousingNeeds, i)+`"]`, "Utsatt "+canary(access.HousingNeeds, i))
		w.meetings = append(w.meetings, meetings[muni])
		plantFollowUp(t, db, &w, muni, p, i, other)
		w.tenancy = append(w.tenancy, plantTenancy(t, db, muni, p, i, other))
		plantTransitions(t, db, muni, p, i, other)
	}
	return w
}

// plantFollowUp gives scenario person i a follow-up in the open-door mode,
// a contact with a note in each category a note may have, a board flag,
// an appointment with the GP, a place in the Housing First pipeline with
// their choice of home, and an observation from property staff.
func plantFollowUp(t *testing.T, db *store.DB, w *canaryWorld, muni, p int64, i int, other storetest.Tenant) {
	now := store.TimeArg(time.Now())
	var team, primary int64
	if err := db.QueryRowContext(context.Background(), "SELECT COALESCE(MIN(id), 0) FROM followup_teams WHERE municipality_id = ? AND model = 'housing_first'", muni).Scan(&team); err != nil {
		t.Fatal(err)
	}
	if muni == other.MunicipalityID {
		if team == 0 {
			team = queryID(t, db, "INSERT INTO followup_teams (municipality_id, org_unit_id, name, model, created_at) VALUES (?, ?, 'Team 1506', 'housing_first', ?) RETURNING id", muni, other.OrgUnitID, now)
		}
		primary = other.UserID
	} else {
		primary = queryID(t, db, "SELECT id FROM users WHERE username = 'demo-oppfolging'")
	}
	fu := queryID(t, db, `INSERT INTO followups (municipality_id, person_id, team_id, basis, primary_id, primary_name, start_on, intensity, status, door_channel,
		ask_again_on, declined_statement, created_by, created_at) VALUES (?, ?, ?, 'veiledning', ?, 'Kanari', '2026-01-01', 'hoy', 'dor_apen', ?, '2027-01-01', ?, 'Kanari', ?) RETURNING id`,
		muni, p, team, primary, "Kanal "+canary(access.FollowUpPlan, i), "Nei takk "+canary(access.FollowUpPlan, i), now)
	w.followups, w.teams = append(w.followups, fu), append(w.teams, team)
	plantStaffwork(t, db, muni, p, i, team)
	for _, c := range []access.Category{access.FollowUpPlan, access.Health, access.Substance, access.Tenancy, access.Finances} {
		contact := queryID(t, db, `INSERT INTO followup_contacts (municipality_id, followup_id, person_id, kind, contact_on, minutes, note, note_category, recorded_by, created_at)
			VALUES (?, ?, ?, 'hjemmebesok', '2026-11-02', 30, ?, ?, 'Kanari', ?) RETURNING id`, muni, fu, p, "Kontakt "+canary(c, i), string(c), now)
		queryID(t, db, "INSERT INTO followup_contact_staff (municipality_id, contact_id, user_id, name) VALUES (?, ?, ?, 'Kanari') RETURNING id", muni, contact, primary)
	}
	if _, err := db.ExecContext(context.Background(), "UPDATE followups SET last_met_on = '2026-11-02' WHERE id = ?", fu); err != nil {
		t.Fatal(err)
	}
	queryID(t, db, `INSERT INTO followup_board (municipality_id, followup_id, reason, from_on, until_on, flagged_by, created_at) VALUES (?, ?, ?, '2026-01-01', '2099-01-01', 'Kanari', ?) RETURNING id`,
		muni, fu, "Tavle "+canary(access.FollowUpPlan, i), now)
	queryID(t, db, `INSERT INTO followup_appointments (municipality_id, followup_id, with_kind, what, on_day, remind_on, owner_id, owner_name, created_at)
		VALUES (?, ?, 'fastlege', ?, '2099-01-02', '2026-01-01', ?, 'Kanari', ?) RETURNING id`, muni, fu, "Legetime "+canary(access.Health, i), primary, now)
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM hf_pipeline WHERE team_id = ? AND person_id = ?", team, p).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		queryID(t, db, `INSERT INTO hf_pipeline (municipality_id, person_id, team_id, referred_on, referred_by, mapped_on, agreement_on, housed_on, home_choice, created_by, created_at)
			VALUES (?, ?, ?, '2026-01-01', ?, '2026-01-02', '2026-01-03', '2026-01-04', ?, 'Kanari', ?) RETURNING id`, muni, p, team,
			"Henvist "+canary(access.FollowUpPlan, i), "Bolig "+canary(access.HousingNeeds, i), now)
	}
	for _, k := range []struct {
		kind string
		cat  access.Category
	}{{"medisiner", access.Health}, {"besok", access.FollowUpPlan}} {
		queryID(t, db, `INSERT INTO followup_restrictions (municipality_id, followup_id, person_id, kind, description, legal_basis, from_on, review_on, informed_on,
			decided_by, created_at) VALUES (?, ?, ?, ?, ?, 'helse- og omsorgstjenesteloven § 9-5', '2026-11-01', '2026-12-01', '2026-11-01', 'Kanari', ?) RETURNING id`,
			muni, fu, p, k.kind, "Tiltak "+canary(k.cat, i), now)
	}
	plantPlans(t, db, muni, fu, p, i)
	reporter := queryID(t, db, "SELECT id FROM users WHERE username = 'demo-eiendom'")
	if muni == other.MunicipalityID {
		reporter = other.UserID
	}
	queryID(t, db, `INSERT INTO followup_observations (municipality_id, person_id, kind, body, reported_on, reported_by, reported_by_id, handled_on, handled_by, reply, created_at)
		VALUES (?, ?, 'bekymring', ?, '2026-11-01', 'Kanari', ?, '2026-11-02', 'Kanari', ?, ?) RETURNING id`, muni, p, "Vaktmester "+canary(access.Tenancy, i), reporter,
		"Svar "+canary(access.Tenancy, i), now)
}

// readText is a response as text: PDFs with their streams inflated and
// their UTF-16 text made plain, spreadsheets unzipped.
func readText(contentType string, b []byte) string {
	switch {
	case strings.HasPrefix(contentType, "application/pdf"):
		var out bytes.Buffer
		out.Write(b)
		rest := b
		for {
			i := bytes.Index(rest, []byte("stream\n"))
			if i < 0 {
				break
			}
			rest = rest[i+len("stream\n"):]
			end := bytes.Index(rest, []byte("endstream"))
			if end < 0 {
				break
			}
			if r, err := zlib.NewReader(bytes.NewReader(rest[:end])); err == nil {
				inflated, _ := io.ReadAll(r)
				out.Write(bytes.ReplaceAll(inflated, []byte{0}, nil))
			}
			rest = rest[end:]
		}
		return out.String()
	case strings.Contains(contentType, "spreadsheetml"), strings.HasPrefix(contentType, "application/zip"):
		var out strings.Builder
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return string(b)
		}
		for _, f := range z.File {
			r, err := f.Open()
			if err != nil {
				continue
			}
			x, _ := io.ReadAll(r)
			r.Close()
			out.Write(x)
		}
		return out.String()
	}
	return string(b)
}

// readRoutes are the routes that read: every GET, and the POSTs that only
// search or show the identity number (sent as POST to keep numbers out of
// URLs).
func readRoutes() []string {
	var out []string
	for _, r := range web.RoutesForTest() {
		switch {
		case strings.HasPrefix(r, "GET /logg-inn"):
		case strings.HasPrefix(r, "GET "), r == "POST /api/v1/persons/search", r == "POST /personer/sok",
			r == "POST /api/v1/persons/{id}/identity-number", r == "POST /personer/{id}/fodselsnummer":
			out = append(out, r)
		}
	}
	return out
}

var canaryUsers = []string{"demo-saksbehandler", "demo-eiendom", "demo-oppfolging", "demo-enhetsleder", "demo-planlegger", "demo-admin", "demo-beboer", "demo-tilsyn", "tilsyn+formål"}

const canaryPurpose = "Tilsyn med tildelingspraksis 2026"

// crawlWorkers is how many users' requests run at once on db. SQLite
// takes the write lock for every transaction, reads too: side by side the
// users would only queue for it (and past busy_timeout on a loaded
// machine), so there they run one after another.
func crawlWorkers(db *store.DB) int {
	if db.Dialect() == store.SQLite {
		return 1
	}
	return 4
}

func TestCanaryCrawl(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		started := time.Now()
		ctx := context.Background()
		s := newSite(t, db)
		w := plantCanaries(t, db)
		clients, ids, grants := map[string]*http.Client{}, map[string]int64{}, map[string][]access.Grant{}
		inRegister := map[string][]access.Grant{} // grants in the register of measures
		for _, u := range canaryUsers {
			name := strings.TrimSuffix(u, "+formål")
			if u == "tilsyn+formål" {
				name = "demo-tilsyn"
			}
			c := s.client(t, name)
			if u == "tilsyn+formål" {
				resp, err := c.PostForm(s.URL+"/tilsyn/formal", url.Values{"reason": {canaryPurpose}})
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			}
			clients[u] = c
			ids[u] = queryID(t, db, "SELECT id FROM users WHERE username = ?", name)
			user, err := org.UserByID(ctx, db, ids[u])
			if err != nil {
				t.Fatal(err)
			}
			a := user.Actor()
			if u == "tilsyn+formål" {
				a.Reason = canaryPurpose
			}
			// What the viewer may see of each person: the access rule
			// itself, which TestDecide and the authorization matrix hold;
			// in the register of rights-restricting measures, widened by
			// the rule for a unit leader's internal control of the measures
			// their own unit registered.
			for i, p := range w.persons {
				g, err := access.Authorize(ctx, db, a, p)
				if err != nil {
					g = access.Grant{}
				}
				grants[u] = append(grants[u], g)
				teamUnit := queryID(t, db, "SELECT org_unit_id FROM followup_teams WHERE id = ?", w.teams[i])
				inRegister[u] = append(inRegister[u], access.InternalControl(a, g, teamUnit, access.Health, access.FollowUpPlan))
			}
		}
		routes := readRoutes()
		var aid int64 // an attachment, if any: the same for every request
		if err := db.QueryRowContext(ctx, "SELECT COALESCE(MIN(id), 0) FROM attachments").Scan(&aid); err != nil {
			t.Fatal(err)
		}
		// Each user id's requests run in sequence, so that the access-log
		// rows their user id wrote since their previous request are exactly
		// the rows of this request; the users run side by side, a few at a
		// time. The auditor with and without a purpose is one user id, and
		// so one sequence.
		var order []int64
		sequences := map[int64][]string{}
		for _, u := range canaryUsers {
			if sequences[ids[u]] == nil {
				order = append(order, ids[u])
			}
			sequences[ids[u]] = append(sequences[ids[u]], u)
		}
		var mu sync.Mutex // guards cases, withData and reached
		cases, withData := 0, 0
		// Every planted category must reach some viewer, or the crawl proves nothing about it.
		reached := map[access.Category]bool{}
		// crawl sends one request as user (whose user id is id) and checks
		// its answer against the access-log rows newer than *last, which it
		// moves on to the request's own newest row. It returns false when
		// the sequence cannot go on.
		crawl := func(user string, id int64, route, method, path string, i int, last *int64) bool {
			req := canaryRequest(s.URL, method, path, w, i, aid)
			if user == "tilsyn+formål" {
				req.Header.Set("X-Supervision-Reason", canaryPurpose)
			}
			resp, err := clients[user].Do(req)
			if err != nil {
				t.Error(err)
				return false
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Errorf("%s as %s (%d): %d", route, user, i, resp.StatusCode)
			}
			// The rows this request wrote: the user's sequence is serial.
			type logRow struct {
				id     int64
				person int64
				cats   string
			}
			rows, err := db.QueryContext(ctx, "SELECT id, person_id, categories FROM access_reads WHERE id > ? AND user_id = ? ORDER BY id", *last, id)
			logRows, err := store.Collect(rows, err, func(s store.Scanner) (r logRow, err error) { return r, s.Scan(&r.id, &r.person, &r.cats) })
			if err != nil {
				t.Error(err)
				return false
			}
			if len(logRows) > 0 {
				*last = logRows[len(logRows)-1].id
			}
			text := readText(resp.Header.Get("Content-Type"), b)
			type seen struct {
				person int
				cat    access.Category
			}
			found := map[seen]bool{}
			for _, m := range canaryPattern.FindAllStringSubmatch(text, -1) {
				n, _ := strconv.Atoi(m[2])
				found[seen{n, access.Category(strings.ToLower(m[1]))}] = true
			}
			for n, number := range w.numbers {
				if strings.Contains(text, number) {
					found[seen{n, access.IDNumber}] = true
				}
			}
			mu.Lock()
			defer mu.Unlock()
			cases++
			if len(found) == 0 {
				return true
			}
			withData++
			logged := map[seen]bool{}
			for _, r := range logRows {
				for n, q := range w.persons {
					if q == r.person {
						for _, c := range strings.Split(r.cats, ",") {
							logged[seen{n, access.Category(c)}] = true
						}
					}
				}
			}
			for x := range found {
				reached[x.cat] = true
				where := fmt.Sprintf("%s as %s (path %s): %s of %s", route, user, req.URL.Path, x.cat, canaryScenarios[x.person])
				grant := grants[user][x.person]
				if route == "GET /oppfolging/tiltak" || route == "GET /api/v1/followup/restrictions" {
					grant = inRegister[user][x.person]
				}
				if !grant.Allows(x.cat) {
					t.Errorf("LEAK %s: the grant lacks the category", where)
				} else if !logged[x] {
					t.Errorf("UNLOGGED %s: sent without an access-log row", where)
				}
			}
			return true
		}
		var wg sync.WaitGroup
		workers := make(chan struct{}, crawlWorkers(db))
		for _, id := range order {
			wg.Go(func() {
				workers <- struct{}{}
				defer func() { <-workers }()
				// Only t.Error from here: t.Fatal must run on the test's goroutine.
				var last int64 // the user's newest access-log row so far
				if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM access_reads WHERE user_id = ?", id).Scan(&last); err != nil {
					t.Error(err)
					return
				}
				for _, user := range sequences[id] {
					for _, route := range routes {
						method, path, _ := strings.Cut(route, " ")
						path = strings.TrimSuffix(path, "{$}")
						scenarios := []int{-1}
						if strings.Contains(path, "{id}") || strings.Contains(path, "{aid}") || method == "POST" {
							scenarios = nil
							for i := range canaryScenarios {
								scenarios = append(scenarios, i)
							}
						}
						for _, i := range scenarios {
							if !crawl(user, id, route, method, path, i, &last) {
								return
							}
						}
					}
				}
			})
		}
		wg.Wait()
		t.Logf("canary crawl: %d read routes, %d requests (%d with personal data) in %v", len(routes), cases, withData, time.Since(started).Round(time.Millisecond))
		for _, c := range access.Categories {
			if !reached[c] {
				t.Errorf("no response carried a marker of %s: the crawl checks nothing for it", c)
			}
		}
	})
}

// canaryRequest fills a route's path parameters with scenario i's ids.
func canaryRequest(base, method, path string, w canaryWorld, i int, aid int64) *http.Request {
	if i < 0 {
		i = 1
	}
	path = strings.NewReplacer("{kind}", "vedtak", "{kommune}", "1505", "{provider}", "ukjent", "{aid}", itoa(aid)).Replace(path)
	switch {
	case strings.Contains(path, "/oppfolging/team/{id}"), strings.Contains(path, "/followup/teams/{id}"):
		path = strings.Replace(path, "{id}", itoa(w.teams[i]), 1)
	case strings.HasPrefix(path, "/oppfolging/{id}"), strings.HasPrefix(path, "/api/v1/followups/{id}"):
		path = strings.Replace(path, "{id}", itoa(w.followups[i]), 1)
	case strings.Contains(path, "/moter/{id}"), strings.Contains(path, "/meetings/{id}"):
		path = strings.Replace(path, "{id}", itoa(w.meetings[i]), 1)
	case tenancyPath(path):
		path = strings.Replace(path, "{id}", itoa(w.tenancy[i][tenancyKey(path)]), 1)
	case strings.HasPrefix(path, "/saker/{id}"), strings.HasPrefix(path, "/api/v1/cases/{id}"), strings.HasPrefix(path, "/api/v1/applications/{id}"):
		path = strings.Replace(path, "{id}", itoa(w.applications[i]), 1)
	case strings.Contains(path, "/personer/{id}"), strings.Contains(path, "/persons/{id}"):
		path = strings.Replace(path, "{id}", itoa(w.persons[i]), 1)
	default:
		path = strings.Replace(path, "{id}", "1", 1)
	}
	var body io.Reader
	req, _ := http.NewRequest(method, base+path, nil)
	switch path {
	case "/api/v1/persons/search":
		body = strings.NewReader(`{"query":"` + w.numbers[i] + `"}`)
		if i%2 == 0 {
			body = strings.NewReader(`{"query":"kanari"}`)
		}
		req, _ = http.NewRequest(method, base+path, body)
		req.Header.Set("Content-Type", "application/json")
	case "/api/v1/persons/" + itoa(w.persons[i]) + "/identity-number":
		req, _ = http.NewRequest(method, base+path, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
	case "/api/v1/search":
		body = strings.NewReader(`{"query":"` + w.numbers[i] + `"}`)
		if i%2 == 0 {
			body = strings.NewReader(`{"query":"kanari"}`)
		}
		req, _ = http.NewRequest(method, base+path, body)
		req.Header.Set("Content-Type", "application/json")
	case "/sok":
		form := url.Values{"q": {"kanari"}}
		if method == "POST" && i%2 == 1 {
			form.Set("q", w.numbers[i])
		}
		req, _ = http.NewRequest(method, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case "/personer/sok":
		form := url.Values{"q": {"kanari"}}
		req, _ = http.NewRequest(method, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}
