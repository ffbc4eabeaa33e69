package people_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"husly/internal/access"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

func actor(tn storetest.Tenant) access.Actor { return tn.CaseWorker() }

func count(t *testing.T, db *store.DB) int {
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM persons").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateGetSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := actor(storetest.NewTenant(t, db, "1505"))
		other := actor(storetest.NewTenant(t, db, "1506"))
		id, err := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(1), FirstName: " Kari  Anne ", LastName: "Nordmann", PostalCode: "6509"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(2), FirstName: "Ola", LastName: "Østby"}); err != nil {
			t.Fatal(err)
		}
		v, err := people.Load(ctx, db, a, id, access.ChannelPage)
		if err != nil || v.Person.FirstName != "Kari Anne" || v.Person.MaskedNumber != identity.Synthetic(1)[:6]+"*****" {
			t.Fatalf("Load = %+v, %v", v.Person, err)
		}
		if _, err := people.Load(ctx, db, other, id, access.ChannelPage); !errors.Is(err, people.ErrNotFound) {
			t.Fatalf("another municipality read the person: %v", err)
		}
		if _, err := people.Load(ctx, db, access.Actor{MunicipalityID: a.MunicipalityID, Role: access.Planner}, id, access.ChannelPage); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("planner read a named person: %v", err)
		}
		for q, want := range map[string]int{"nord": 1, "KARI": 1, "nord anne": 1, "øst": 1, "ola øst": 1, "x": 0, identity.Synthetic(1): 1, "%": 0} {
			got, err := people.Search(ctx, db, a, access.ChannelPage, q, 20)
			if err != nil || len(got) != want {
				t.Errorf("Search(%q) = %d hits, %v; want %d", q, len(got), err, want)
			}
		}
		if got, _ := people.Search(ctx, db, other, access.ChannelPage, "nord", 20); len(got) != 0 {
			t.Fatal("search crossed municipalities")
		}
		_, err = people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(1), FirstName: "A", LastName: "B"})
		var ve *people.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(ve.Error(), "allerede registrert") {
			t.Fatalf("duplicate: %v", err)
		}
		_, err = people.Create(ctx, db, a, people.Input{IdentityNumber: "12345678901", FirstName: "", LastName: "B", Email: "nei"})
		if !errors.As(err, &ve) || len(ve.Problems) != 3 {
			t.Fatalf("bad input: %v", err)
		}
	})
}

func csvOf(rows ...string) *strings.Reader {
	return strings.NewReader(strings.Join(rows, "\n") + "\n")
}

func TestImportAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		a := actor(tn)
		if _, err := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(9), FirstName: "Finnes", LastName: "Fra før"}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name  string
			in    *strings.Reader
			lines []string
		}{
			{"missing column", csvOf("fodselsnummer,fornavn", identity.Synthetic(1)+",Kari"), []string{"line 1: mangler påkrevd kolonne \"etternavn\""}},
			{"unknown column", csvOf("fodselsnummer,fornavn,etternavn,skonummer", identity.Synthetic(1)+",Kari,N,42"), []string{"line 1: ukjent kolonne"}},
			{"bad rows", csvOf("fodselsnummer,fornavn,etternavn",
				identity.Synthetic(1)+",Kari,Nordmann",
				"12345678901,Ola,Nordmann",
				identity.Synthetic(1)+",Kari,Igjen",
				identity.Synthetic(9)+",Finnes,Fra før",
				identity.Synthetic(3)+",,Uten fornavn",
				FutureNumber(t)+",Ikke,Født"),
				[]string{"line 3: kontrollsifrene", "line 4: fødselsnummeret står også på linje 2", "line 5: en person med dette fødselsnummeret er allerede registrert", "line 6: fornavn mangler",
					"line 7: fødselsdatoen i fødselsnummeret er etter dagens dato"}},
			{"only a registered number", csvOf("fodselsnummer,fornavn,etternavn",
				identity.Synthetic(1)+",Kari,Nordmann",
				identity.Synthetic(9)+",Finnes,Fra før",
				identity.Synthetic(2)+",Ola,Nordmann"),
				[]string{"line 3: en person med dette fødselsnummeret er allerede registrert"}},
			{"broken quote", csvOf("fodselsnummer,fornavn,etternavn", identity.Synthetic(1)+",\"Kari,Nordmann"), []string{"line 2: ugyldig CSV"}},
			{"latin-1", strings.NewReader("fodselsnummer,fornavn,etternavn\n" + identity.Synthetic(1) + ",Kari,N\xf8rdmann\n"), []string{"line 2: filen er ikke UTF-8"}},
			{"empty", strings.NewReader(""), []string{"line 1: filen er tom"}},
		}
		for _, c := range cases {
			_, err := people.Import(ctx, db, tn.Operator(), c.in, tabular.CSV, nil)
			var es tabular.Errors
			if !errors.As(err, &es) || len(es) != len(c.lines) {
				t.Fatalf("%s: error %v, want %d lines", c.name, err, len(c.lines))
			}
			for i, want := range c.lines {
				if !strings.HasPrefix(es[i].Error(), want) {
					t.Errorf("%s: %q does not start with %q", c.name, es[i].Error(), want)
				}
			}
			if n := count(t, db); n != 1 {
				t.Fatalf("%s: %d persons stored after a rejected import, want 1", c.name, n)
			}
		}
	})
}

func TestImportExportRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		in := fmt.Sprintf("\ufefffodselsnummer;fornavn;etternavn;telefon;husstand;relasjon;enhet\n%s;Kari;Nordmann;91234567;A;soker;Boligkontoret\n%s;Per;Nordmann;;A;partner;Boligkontoret\n%s;Ola;Hansen;;;;\n",
			identity.Synthetic(1), identity.Synthetic(2), identity.Synthetic(3))
		n, err := people.Import(ctx, db, tn.Operator(), strings.NewReader(in), tabular.CSV, nil)
		if err != nil || n != 3 {
			t.Fatalf("import = %d, %v", n, err)
		}
		hits, _ := people.Search(ctx, db, actor(tn), access.ChannelPage, "per", 5)
		if len(hits) != 1 || hits[0].HouseholdID == 0 {
			t.Fatalf("household not made: %+v", hits)
		}
		v, err := people.Load(ctx, db, actor(tn), hits[0].ID, access.ChannelPage)
		if err != nil || len(v.Household) != 2 {
			t.Fatalf("household has %d members: %v", len(v.Household), err)
		}
		// Ola was imported without a unit: nobody has a role on his case yet.
		if hits, _ := people.Search(ctx, db, actor(tn), access.ChannelPage, "ola", 5); len(hits) != 0 {
			t.Fatal("a person without a relationship was found")
		}
		// Only the operator exports the register; a case worker is refused
		// and nothing is written.
		var refused bytes.Buffer
		if err := people.Export(ctx, db, actor(tn), &refused, tabular.CSV); !errors.Is(err, access.ErrForbidden) || refused.Len() != 0 {
			t.Fatalf("case worker's export: %v, %d bytes", err, refused.Len())
		}
		for k, f := range []tabular.Format{tabular.CSV, tabular.XLSX} {
			var buf bytes.Buffer
			if err := people.Export(ctx, db, tn.Operator(), &buf, f); err != nil {
				t.Fatal(err)
			}
			if f == tabular.CSV && !strings.HasPrefix(buf.String(), "fodselsnummer,fornavn,etternavn,") {
				t.Fatalf("export header: %q", buf.String()[:40])
			}
			// The operator's export is logged as an export: one row per
			// person, with the identity number among the categories, on the
			// operations basis (the same log the person's dossier shows).
			var persons, rows int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT person_id), COUNT(*) FROM access_reads
				WHERE municipality_id = ? AND channel = ? AND basis = ? AND categories LIKE '%fodselsnummer%' AND user_name = ?`,
				tn.MunicipalityID, access.ChannelExport, string(access.ByOperations), tn.Operator().Label()).Scan(&persons, &rows); err != nil {
				t.Fatal(err)
			}
			if persons != 3 || rows != 3*(k+1) {
				t.Fatalf("%s export: access log has %d rows for %d persons, want 3 persons", f, rows, persons)
			}
			other := storetest.NewTenant(t, db, "15"+fmt.Sprint(10+len(f)))
			n, err := people.Import(ctx, db, other.Operator(), &buf, f, nil)
			if err != nil || n != 3 {
				t.Fatalf("%s re-import = %d, %v", f, n, err)
			}
		}
	})
}

// The identity number is nowhere in the database in plain text: not in the
// persons table, the audit chain or the access log, and (SQLite) not in
// the file's bytes.
func TestIdentityNumbersEncryptedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		number := identity.Synthetic(4711)
		id, err := people.Create(ctx, db, actor(tn), people.Input{IdentityNumber: number, FirstName: "Hemmelig", LastName: "Nummer"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := people.Reveal(ctx, db, actor(tn), id, access.ChannelPage); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			"SELECT COUNT(*) FROM persons WHERE identity_enc LIKE ? OR identity_hash LIKE ? OR first_name LIKE ?",
			"SELECT COUNT(*) FROM audit_log WHERE before_json LIKE ? OR after_json LIKE ? OR actor LIKE ?",
			"SELECT COUNT(*) FROM access_reads WHERE categories LIKE ? OR reason LIKE ? OR user_name LIKE ?",
		} {
			var n int
			like := "%" + number + "%"
			if err := db.QueryRowContext(ctx, q, like, like, like).Scan(&n); err != nil || n != 0 {
				t.Fatalf("%s: %d rows hold the number in plain text (%v)", q, n, err)
			}
		}
		if db.Dialect() == store.SQLite {
			if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
				t.Fatal(err)
			}
			path := strings.TrimPrefix(db.Location, "sqlite:")
			for _, f := range []string{path, path + "-wal"} {
				b, _ := os.ReadFile(f)
				if bytes.Contains(b, []byte(number)) {
					t.Fatalf("%s holds the number in plain text", f)
				}
			}
		}
		// Search by the whole number finds the person; its first digits
		// find no one, so a number cannot be recovered digit by digit.
		hits, err := people.Search(ctx, db, actor(tn), access.ChannelPage, number, 5)
		if err != nil || len(hits) != 1 || hits[0].ID != id {
			t.Fatalf("search by the whole number: %v %v", hits, err)
		}
		for _, q := range []string{number[:6], number[:8], number[:10]} {
			var bad *invalid.Error
			if hits, err := people.Search(ctx, db, actor(tn), access.ChannelPage, q, 5); !errors.As(err, &bad) || len(hits) != 0 {
				t.Fatalf("search by %d digits: %v %v, want a validation error", len(q), hits, err)
			}
		}
	})
}

// A number search needs the fodselsnummer category and is logged as a read
// of it, hit or no hit.
func TestNumberSearchNeedsCategoryAndIsLogged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		a := actor(tn)
		number := identity.Synthetic(7)
		id, err := people.Create(ctx, db, a, people.Input{IdentityNumber: number, FirstName: "Siv", LastName: "Sifre"})
		if err != nil {
			t.Fatal(err)
		}
		logged := func(person int64) int {
			var n int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_reads WHERE municipality_id = ? AND person_id = ? AND categories LIKE '%fodselsnummer%'",
				tn.MunicipalityID, person).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if hits, err := people.Search(ctx, db, a, access.ChannelAPI, number, 5); err != nil || len(hits) != 1 {
			t.Fatalf("search: %v %v", hits, err)
		}
		if logged(id) != 1 {
			t.Fatal("a number search that found the person is not logged as a read of the number")
		}
		if hits, err := people.Search(ctx, db, a, access.ChannelAPI, identity.Synthetic(8), 5); err != nil || len(hits) != 0 {
			t.Fatalf("search for a number no one has: %v %v", hits, err)
		}
		if logged(0) != 1 {
			t.Fatal("a number search that found no one is not logged")
		}
		// Property staff do not see identity numbers, so they cannot search by them.
		prop := a
		prop.Role = access.Property
		if _, err := people.Search(ctx, db, prop, access.ChannelAPI, number, 5); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("property staff searched by number: %v", err)
		}
		if hits, err := people.Search(ctx, db, prop, access.ChannelAPI, "sifre", 5); err != nil || len(hits) != 1 {
			t.Fatalf("property staff search by name: %v %v", hits, err)
		}
	})
}
