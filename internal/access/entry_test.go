package access_test

import (
	"context"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// A list is one entry of the access log, however many persons it shows:
// one chain link and one row in access_log, one row per person in
// access_log_persons. Each person's own log still finds it, page by page,
// and the leader's report still counts each person read.
func TestListIsOneEntryWithEveryPerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		a := tn.CaseWorker()
		var ids []int64
		for i := 0; i < 30; i++ {
			ids = append(ids, storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(i+1), "Liste", "Person"))
		}
		count := func(q string) (n int) {
			t.Helper()
			if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		entries, persons := count("SELECT COUNT(*) FROM access_log"), count("SELECT COUNT(*) FROM access_log_persons")
		// Three lists, as three requests would send them.
		for i := 0; i < 3; i++ {
			rd := access.NewReader(db, a, access.ChannelAPI)
			rd.List(access.SetOf(access.HousingNeeds), ids...)
			var v struct{}
			if err := rd.Send(ctx, &v); err != nil {
				t.Fatal(err)
			}
		}
		if n := count("SELECT COUNT(*) FROM access_log") - entries; n != 3 {
			t.Fatalf("three lists wrote %d entries", n)
		}
		if n := count("SELECT COUNT(*) FROM access_log_persons") - persons; n != 90 {
			t.Fatalf("three lists of 30 listed %d persons", n)
		}
		// A person read twice in one request is logged once, with both.
		if err := access.LogReads(ctx, db, a, access.ChannelAPI,
			access.Read{PersonID: ids[0], Categories: []access.Category{access.Basic}, Basis: access.ByRelationship},
			access.Read{PersonID: ids[0], Categories: []access.Category{access.IDNumber, access.Basic}, Basis: access.ByRelationship}); err != nil {
			t.Fatal(err)
		}
		if n := count("SELECT COUNT(*) FROM access_log_persons") - persons; n != 91 {
			t.Fatalf("a person read twice in one request is listed %d times", n-90)
		}
		// The person's own view: newest first, each list once, by key.
		first, err := access.AccessLog(ctx, db, tn.MunicipalityID, ids[0], 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(first) != 2 || first[0].ID <= first[1].ID || first[0].PersonID != ids[0] || first[0].Basis != access.ByRelationship {
			t.Fatalf("first page of the person's log: %+v", first)
		}
		if got := joinCats(first[0].Categories); got != "fodselsnummer,grunnopplysninger" {
			t.Fatalf("the newest entry logged %s", got)
		}
		rest, err := access.AccessLogBefore(ctx, db, tn.MunicipalityID, ids[0], first[1], 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(rest) != 2 || rest[0].ID >= first[1].ID {
			t.Fatalf("second page of the person's log: %+v", rest)
		}
		if got := joinCats(rest[0].Categories); got != "boligbehov,grunnopplysninger" {
			t.Fatalf("the oldest entry logged %s", got)
		}
		other, err := access.AccessLog(ctx, db, tn.MunicipalityID, ids[29], 10)
		if err != nil || len(other) != 3 {
			t.Fatalf("the last person's log: %d entries, %v", len(other), err)
		}
		report, err := access.ReadReport(ctx, db, access.Actor{MunicipalityID: tn.MunicipalityID, Role: access.Auditor, Reason: "kontroll av innsynsloggen"}, time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		var reads, distinct int
		for _, r := range report {
			if r.UserName == a.Label() {
				reads, distinct = r.Reads, r.Persons
			}
		}
		if reads != 91 || distinct != 30 {
			t.Fatalf("the report counts %d reads of %d persons, want 91 of 30: %+v", reads, distinct, report)
		}
		if r, err := audit.Verify(ctx, db, nil, nil); err != nil || !r.Whole() {
			t.Fatalf("%+v %v", r, err)
		}
	})
}

func joinCats(cs []access.Category) string {
	s := ""
	for i, c := range cs {
		if i > 0 {
			s += ","
		}
		s += string(c)
	}
	return s
}
