package arrears_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/arrears"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/risk"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

// fixture is a municipality with a housing office (case worker with a
// legal basis, so finances are open to it), a follow-up worker who is one
// tenant's primary contact, a property worker, and two leases.
type fixture struct {
	tn                 storetest.Tenant
	office             access.Actor
	worker, property   access.Actor
	followed, other    int64 // persons
	leaseA, leaseB     int64
	numberA, numberB   string
	workerUnit, navOrg int64
}

func setup(t *testing.T, db *store.DB) fixture {
	t.Helper()
	ctx := context.Background()
	tn := storetest.NewTenant(t, db, "1505")
	now := store.TimeArg(time.Now())
	mid := tn.MunicipalityID
	unit := func(name, kind string) int64 {
		id, err := store.InsertID(ctx, db, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, ?, ?, ?)", mid, name, kind, now)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	user := func(unit int64, username, name string, role access.Role) access.Actor {
		id, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			mid, unit, username, name, string(role), now)
		if err != nil {
			t.Fatal(err)
		}
		return access.Actor{UserID: id, MunicipalityID: mid, OrgUnitID: unit, Username: username, Name: name, Role: role}
	}
	f := fixture{tn: tn, office: tn.CaseWorker(), numberA: identity.Synthetic(100001), numberB: identity.Synthetic(100002)}
	f.workerUnit = unit("Boteamet", "boteam")
	prop := unit("Eiendom KF", "eiendom")
	f.navOrg = unit("NAV Testby", "nav")
	f.worker = user(f.workerUnit, "kari", "Kari Oppfølger", access.FollowUp)
	f.property = user(prop, "egil", "Egil Eiendom", access.Property)
	f.followed = storetest.InsertPerson(t, db, mid, f.numberA, "Rune", "Beboer")
	f.other = storetest.InsertPerson(t, db, mid, f.numberB, "Siri", "Leietaker")
	for _, p := range []int64{f.followed, f.other} {
		for _, cu := range []access.CaseUnit{
			{PersonID: p, OrgUnitID: tn.OrgUnitID, Responsibility: "saksbehandling", LegalBasis: "boligsosialloven § 7"},
			{PersonID: p, OrgUnitID: f.workerUnit, Responsibility: "oppfølging"},
			{PersonID: p, OrgUnitID: prop, Responsibility: "utleier"},
		} {
			if _, err := access.AddCaseUnit(ctx, db, tn.CaseWorker(), cu); err != nil {
				t.Fatal(err)
			}
		}
	}
	var team int64
	team, err := store.InsertID(ctx, db, "INSERT INTO followup_teams (municipality_id, org_unit_id, name, model, created_at) VALUES (?, ?, 'Boteamet', 'boteam', ?)", mid, f.workerUnit, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO followups (municipality_id, person_id, team_id, basis, primary_id, primary_name, start_on, intensity, created_by, created_at)
		VALUES (?, ?, ?, 'veiledning', ?, ?, '2026-01-05', 'middels', 'test', ?)`, mid, f.followed, team, f.worker.UserID, f.worker.Name, now); err != nil {
		t.Fatal(err)
	}
	lease := func(code string, person int64) int64 {
		u, err := store.InsertID(ctx, db, `INSERT INTO units (municipality_id, code, address, category, control, rooms, area_m2, rent_monthly, created_at, updated_at)
			VALUES (?, ?, ?, 'ordinaer', 'kf', 1, 30, 7250, ?, ?)`, mid, code, "Storgata "+code, now, now)
		if err != nil {
			t.Fatal(err)
		}
		l, err := store.InsertID(ctx, db, "INSERT INTO leases (municipality_id, unit_id, start_date, rent_monthly, deposit, status, created_at) VALUES (?, ?, '2026-01-01', 7250, 0, 'aktiv', ?)",
			mid, u, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "INSERT INTO lease_tenants (lease_id, person_id, municipality_id) VALUES (?, ?, ?)", l, person, mid); err != nil {
			t.Fatal(err)
		}
		return l
	}
	f.leaseA, f.leaseB = lease("1", f.followed), lease("2", f.other)
	return f
}

var today = deadline.Of(2026, 12, 6)

func itoa(n int64) string { return strconvI(n) }

func csvOf(rows ...string) string {
	return "leieforhold;fodselsnummer;forfall_id;type;forfallsdato;belop;utestaende\n" + strings.Join(rows, "\n") + "\n"
}

func importCSV(t *testing.T, db *store.DB, a access.Actor, body string) (arrears.Result, error) {
	t.Helper()
	return arrears.ImportFile(context.Background(), db, a, strings.NewReader(body), tabular.CSV, "", today)
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportMakesConversationsAndIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		body := csvOf(
			itoa(f.leaseA)+";"+f.numberA+";F-1;husleie;01.11.2026;7250;7250",
			itoa(f.leaseA)+";"+f.numberA+";F-2;strom;2026-11-15;812,50;",
			itoa(f.leaseB)+";"+f.numberB+";F-3;husleie;01.12.2026;7 250,00;3000",
		)
		res, err := importCSV(t, db, f.tn.Operator(), body)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 3 || res.Conversations != 2 || res.Repeated {
			t.Fatalf("result %+v", res)
		}
		var as, name string
		var due deadline.Date
		if err := db.QueryRowContext(ctx, "SELECT assigned_as, assignee_name, due_on FROM arrears_conversations WHERE lease_id = ?", f.leaseA).Scan(&as, &name, &due); err != nil {
			t.Fatal(err)
		}
		if as != "primaerkontakt" || name != f.worker.Name || due != deadline.Of(2026, 11, 15) {
			t.Errorf("lease A's conversation: %s %s %s", as, name, due)
		}
		var unit int64
		if err := db.QueryRowContext(ctx, "SELECT assigned_as, org_unit_id FROM arrears_conversations WHERE lease_id = ?", f.leaseB).Scan(&as, &unit); err != nil {
			t.Fatal(err)
		}
		if as != "boligkontor" || unit != f.tn.OrgUnitID {
			t.Errorf("lease B's conversation: %s %d", as, unit)
		}
		if n := count(t, db, "SELECT SUM(outstanding) FROM arrears_dues WHERE lease_id = ?", f.leaseA); n != 725000+81250 {
			t.Errorf("lease A outstanding %d øre", n)
		}
		again, err := importCSV(t, db, f.tn.Operator(), body)
		if err != nil || !again.Repeated || again.BatchID != res.BatchID || again.Created != 3 {
			t.Fatalf("the same file again: %+v %v", again, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM arrears_dues"); n != 3 {
			t.Errorf("%d dues after the same file twice", n)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM arrears_conversations"); n != 2 {
			t.Errorf("%d conversations after the same file twice", n)
		}
		// A later batch carries the balances: lease B is paid, its conversation settled.
		paid, err := importCSV(t, db, f.tn.Operator(), csvOf(itoa(f.leaseB)+";"+f.numberB+";F-3;husleie;01.12.2026;7250;0"))
		if err != nil || paid.Updated != 1 || paid.Created != 0 {
			t.Fatalf("paying batch: %+v %v", paid, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM arrears_conversations WHERE lease_id = ? AND settled_on IS NOT NULL", f.leaseB); n != 1 {
			t.Error("a paid lease's conversation is not settled")
		}
		if n := count(t, db, "SELECT COUNT(*) FROM arrears_dues WHERE due_ref = 'F-3' AND outstanding = 0 AND paid_on IS NOT NULL"); n != 1 {
			t.Error("the paid due has no paid date")
		}
		// A new missed due on the settled lease starts a new conversation.
		if _, err := importCSV(t, db, f.tn.Operator(), csvOf(itoa(f.leaseB)+";"+f.numberB+";F-4;husleie;01.12.2026;100;")); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM arrears_conversations WHERE lease_id = ?", f.leaseB); n != 2 {
			t.Errorf("%d conversations on lease B after a new missed due", n)
		}
	})
}

func TestImportAllOrNothingWithLineNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		body := csvOf(
			itoa(f.leaseA)+";"+f.numberA+";F-1;husleie;01.11.2026;7250;",   // 2: good
			"999999;"+f.numberA+";F-2;husleie;01.11.2026;7250;",            // 3: unknown lease
			itoa(f.leaseA)+";"+f.numberA+";F-3;husleie;01.11.2026;72x0;",   // 4: broken amount
			itoa(f.leaseA)+";"+f.numberA+";F-4;husleie;01.01.2027;7250;",   // 5: in the future
			itoa(f.leaseA)+";"+f.numberA+";F-1;husleie;01.11.2026;7250;",   // 6: F-1 twice
			itoa(f.leaseA)+";"+f.numberB+";F-5;husleie;01.11.2026;7250;",   // 7: not a tenant there
			itoa(f.leaseA)+";"+f.numberA+";F-6;husleia;01.11.2026;7250;",   // 8: unknown kind
			itoa(f.leaseA)+";"+f.numberA+";F-7;husleie;01.11.2026;100;200", // 9: more outstanding than billed
		)
		_, err := importCSV(t, db, f.tn.Operator(), body)
		var bad tabular.Errors
		if !errors.As(err, &bad) {
			t.Fatalf("want line errors, got %v", err)
		}
		want := map[int]string{3: "leieforholdet 999999 finnes ikke", 4: "belop «72x0»", 5: "fram i tid", 6: "står også på linje 2", 7: "ikke leietaker",
			8: "ukjent type", 9: "utestående"}
		got := map[int]string{}
		for _, le := range bad {
			got[le.Line] = le.Text()
		}
		for line, w := range want {
			if !strings.Contains(got[line], w) {
				t.Errorf("line %d: %q, want %q", line, got[line], w)
			}
		}
		if _, ok := got[2]; ok || len(bad) != len(want) {
			t.Errorf("bad lines %v", got)
		}
		for _, table := range []string{"arrears_dues", "arrears_batches", "arrears_conversations"} {
			if n := count(t, db, "SELECT COUNT(*) FROM "+table); n != 0 {
				t.Errorf("%s has %d rows after a rejected file", table, n)
			}
		}
	})
}

func TestReceiveBatchByIDAndAuthorization(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		line := arrears.Line{LeaseID: f.leaseA, IdentityNumber: f.numberA, DueRef: "R-1", Kind: arrears.Rent, DueOn: deadline.Of(2026, 11, 1), Amount: 725000}
		recv := func(a access.Actor, ref, hash string, lines ...arrears.Line) (res arrears.Result, err error) {
			err = db.InConnTx(ctx, func(tx *store.Tx) error {
				res, err = arrears.Receive(ctx, tx, a, ref, hash, arrears.FromAPI, lines, today)
				return err
			})
			return res, err
		}
		if _, err := recv(f.property, "B-1", "h1", line); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("property staff without finances received a batch: %v", err)
		}
		first, err := recv(f.office, "B-1", "h1", line)
		if err != nil || first.Created != 1 {
			t.Fatalf("%+v %v", first, err)
		}
		again, err := recv(f.office, "B-1", "h1", line)
		if err != nil || !again.Repeated || again.BatchID != first.BatchID {
			t.Errorf("the same batch again: %+v %v", again, err)
		}
		if _, err := recv(f.office, "B-1", "h2", line); err == nil || !strings.Contains(err.Error(), "annet innhold") {
			t.Errorf("a batch id reused for other content: %v", err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM arrears_dues"); n != 1 {
			t.Errorf("%d dues", n)
		}
	})
}

func TestConversationBeforeCollection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		id, err := arrears.Register(ctx, db, f.office, arrears.HandInput{LeaseID: f.leaseA, PersonID: f.followed, Kind: arrears.Rent, DueOn: deadline.Of(2026, 11, 1), Amount: 725000}, today)
		if err != nil || id == 0 {
			t.Fatal(err)
		}
		if _, err := arrears.Register(ctx, db, f.property, arrears.HandInput{LeaseID: f.leaseA, PersonID: f.followed, Kind: arrears.Rent, DueOn: deadline.Of(2026, 11, 1), Amount: 100}, today); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("property staff registered an amount: %v", err)
		}
		var conv int64
		if err := db.QueryRowContext(ctx, "SELECT id FROM arrears_conversations WHERE lease_id = ?", f.leaseA).Scan(&conv); err != nil {
			t.Fatal(err)
		}
		// Collection before the conversation, without a reason: refused.
		err = arrears.StartCollection(ctx, db, f.office, conv, today, "", today)
		if err == nil || !strings.Contains(err.Error(), "før samtalen") {
			t.Errorf("collection before the conversation: %v", err)
		}
		// NAV on consent without a consent: refused, nothing stored.
		in := arrears.OutcomeInput{Kind: arrears.PaymentPlan, HeldOn: today, Note: "500 kr i måneden", NotifyNAV: true, NAVBasis: arrears.BasisConsent}
		if err := arrears.RecordOutcome(ctx, db, f.worker, conv, in, today); err == nil || !strings.Contains(err.Error(), "samtykke") {
			t.Errorf("NAV told without consent: %v", err)
		}
		// Hooks are process-wide and the engines run side by side: keep
		// only this engine's outcomes.
		var hookMu sync.Mutex
		var hooked []arrears.Outcome
		arrears.OnOutcome(func(ctx context.Context, q store.Queryer, o arrears.Outcome) error {
			if q.Dialect() == db.Dialect() && o.LeaseID == f.leaseA {
				hookMu.Lock()
				hooked = append(hooked, o)
				hookMu.Unlock()
			}
			return nil
		})
		in.NotifyNAV = false
		if err := arrears.RecordOutcome(ctx, db, f.property, conv, in, today); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("property staff recorded the conversation: %v", err)
		}
		if err := arrears.RecordOutcome(ctx, db, f.worker, conv, in, today); err != nil {
			t.Fatal(err)
		}
		hookMu.Lock()
		defer hookMu.Unlock()
		if len(hooked) != 1 || hooked[0].Kind != arrears.PaymentPlan || hooked[0].LeaseID != f.leaseA {
			t.Errorf("hook saw %+v", hooked)
		}
		if err := arrears.StartCollection(ctx, db, f.office, conv, today, "", today); err != nil {
			t.Errorf("collection after the conversation: %v", err)
		}
		// The other lease: collection with a reason, NAV on a stated basis.
		if _, err := arrears.Register(ctx, db, f.office, arrears.HandInput{LeaseID: f.leaseB, PersonID: f.other, Kind: arrears.Other, DueOn: deadline.Of(2026, 10, 1), Amount: 150000}, today); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT id FROM arrears_conversations WHERE lease_id = ?", f.leaseB).Scan(&conv); err != nil {
			t.Fatal(err)
		}
		if err := arrears.StartCollection(ctx, db, f.office, conv, today, "Leietakeren har flyttet og er ikke å få tak i", today); err != nil {
			t.Errorf("collection with a reason: %v", err)
		}
		bad := arrears.OutcomeInput{Kind: arrears.OtherOutcome, HeldOn: today.AddDays(1), NotifyNAV: true, NAVBasis: arrears.BasisLaw}
		ps := invalid.Problems(arrears.RecordOutcome(ctx, db, f.office, conv, bad, today))
		if len(ps) != 3 {
			t.Errorf("problems %v", ps)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO consents (municipality_id, person_id, recipient_unit_id, purpose, categories, given_at) VALUES (?, ?, ?, 'Restanse', 'okonomi', ?)`,
			f.tn.MunicipalityID, f.other, f.navOrg, store.TimeArg(time.Now().Add(-time.Hour))); err != nil {
			t.Fatal(err)
		}
		ok := arrears.OutcomeInput{Kind: arrears.NAVApplication, HeldOn: today, NotifyNAV: true, NAVBasis: arrears.BasisConsent}
		if err := arrears.RecordOutcome(ctx, db, f.office, conv, ok, today); err != nil {
			t.Errorf("NAV told on consent: %v", err)
		}
	})
}

func TestReadsRedactFinances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		if _, err := arrears.Register(ctx, db, f.office, arrears.HandInput{LeaseID: f.leaseA, PersonID: f.followed, Kind: arrears.Rent, DueOn: deadline.Of(2026, 11, 1), Amount: 725000}, today); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			who   access.Actor
			money bool
		}{{f.office, true}, {f.property, false}, {f.worker, false}} {
			rows, err := arrears.Overview(ctx, access.NewReader(db, c.who, access.ChannelPage), arrears.Filter{}, today)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || rows[0].Conversation.Value().LeaseID != f.leaseA {
				t.Fatalf("%s sees %d rows", c.who.Role, len(rows))
			}
			if got := rows[0].Money.Value().Outstanding == 725000; got != c.money {
				t.Errorf("%s sees the amount: %v", c.who.Role, got)
			}
			v, err := arrears.ReadLease(ctx, access.NewReader(db, c.who, access.ChannelPage), f.leaseA, today)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(v.Dues) == 1 && v.Dues[0].Value().Amount == 725000; got != c.money {
				t.Errorf("%s sees the dues: %v", c.who.Role, got)
			}
		}
		if n := count(t, db, "SELECT COUNT(*) FROM access_log_persons WHERE categories LIKE '%okonomi%'"); n == 0 {
			t.Error("no read of finances logged")
		}
		mine, err := arrears.Mine(ctx, access.NewReader(db, f.worker, access.ChannelPage), today)
		if err != nil || len(mine) != 1 {
			t.Errorf("the primary contact's tasks: %d %v", len(mine), err)
		}
		signals, err := risk.Collect(ctx, db, risk.Query{Municipality: f.tn.MunicipalityID, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, s := range signals {
			if s.Kind == risk.Arrears && s.LeaseID == f.leaseA && s.PersonID == f.followed && s.Category == access.Finances && s.Urgency > 0 {
				found = true
			}
		}
		if !found {
			t.Errorf("no arrears signal: %+v", signals)
		}
	})
}

// TestSchemaKeepsDuesOnTenants: on PostgreSQL the schema itself refuses
// a due owed by a person who is not a tenant of the lease (a foreign key to
// the tenancy), and one moved to such a person. SQLite keeps its keys to
// the lease and the person (migration 0036), and the code checks the
// tenancy (TestImportAllOrNothingWithLineNumbers).
func TestSchemaKeepsDuesOnTenants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.Postgres {
			t.Skip("SQLite keeps the keys to the lease and the person")
		}
		f := setup(t, db)
		ctx := context.Background()
		insert := `INSERT INTO arrears_dues (municipality_id, lease_id, person_id, due_ref, kind, due_on, amount, outstanding, registered_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'husleie', '2026-10-01', 100, 100, 'test', '2026-10-02T00:00:00Z', '2026-10-02T00:00:00Z')`
		if _, err := db.ExecContext(ctx, insert, f.tn.MunicipalityID, f.leaseA, f.other, "ikke-leietaker"); err == nil {
			t.Error("a due owed by someone who is not a tenant of the lease was stored")
		}
		if _, err := db.ExecContext(ctx, insert, f.tn.MunicipalityID, f.leaseA, f.followed, "leietaker"); err != nil {
			t.Fatalf("a tenant's due: %v", err)
		}
		if _, err := db.ExecContext(ctx, "UPDATE arrears_dues SET person_id = ? WHERE due_ref = 'leietaker'", f.other); err == nil {
			t.Error("a due was moved to someone who is not a tenant of the lease")
		}
	})
}
