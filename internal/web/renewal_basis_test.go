package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/arrears"
	"husly/internal/deadline"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestRenewalFormShowsItsBasis: the renewal form at a lease's end shows
// what the decision rests on — the resident's risk reasons, the open
// arrears and the moving-on plan — as far as the viewer's grant goes. The
// case worker, who sees the resident's finances, gets the arrears and the
// plan; property staff get the lease ending but neither arrears nor plan,
// and are told that finances are closed to them. The plan's row shows the
// lease's end. Each read of the reasons is logged with what it showed.
func TestRenewalFormShowsItsBasis(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		c := loadContract(t, s)
		caseworker, property := s.client(t, "demo-saksbehandler"), s.client(t, "demo-eiendom")
		actor := func(username string) access.Actor {
			u, err := org.UserByID(ctx, db, queryID(t, db, "SELECT id FROM users WHERE username = ?", username))
			if err != nil {
				t.Fatal(err)
			}
			return u.Actor()
		}
		cw, prop := actor("demo-saksbehandler"), actor("demo-eiendom")
		// A resident on an active lease of their own whom both see, the
		// case worker with finances, and who has no arrears yet.
		rows, err := db.QueryContext(ctx, `SELECT t.person_id, t.lease_id FROM lease_tenants t JOIN leases l ON l.id = t.lease_id WHERE l.status = 'aktiv'
			AND NOT EXISTS (SELECT 1 FROM arrears_dues d WHERE d.lease_id = l.id AND d.outstanding > 0) AND NOT EXISTS (SELECT 1 FROM renewal_decisions r WHERE r.lease_id = l.id) ORDER BY t.person_id`)
		type pl struct{ person, lease int64 }
		cands, err := store.Collect(rows, err, func(s store.Scanner) (x pl, err error) { return x, s.Scan(&x.person, &x.lease) })
		if err != nil {
			t.Fatal(err)
		}
		var person, lease int64
		for _, x := range cands {
			g, err1 := access.Authorize(ctx, db, cw, x.person)
			h, err2 := access.Authorize(ctx, db, prop, x.person)
			if err1 == nil && err2 == nil && g.Allows(access.Finances) && !h.Allows(access.Finances) && h.Allows(access.Tenancy) {
				person, lease = x.person, x.lease
				break
			}
		}
		if person == 0 {
			t.Fatal("no resident both see, with finances open to the case worker only")
		}
		ends := time.Now().AddDate(0, 0, 40).Format(time.DateOnly)
		if _, err := db.ExecContext(ctx, "UPDATE leases SET end_date = ? WHERE id = ?", ends, lease); err != nil {
			t.Fatal(err)
		}
		day := deadline.On(time.Now())
		if _, err := arrears.Register(ctx, db, cw, arrears.HandInput{LeaseID: lease, PersonID: person, Kind: arrears.Rent, DueOn: day.AddDays(-20), Amount: 725000}, day); err != nil {
			t.Fatal(err)
		}
		if code, b := c.call(t, caseworker, "POST", s.URL+"/api/v1/moving-on/plans",
			fmt.Sprintf(`{"person_id":%d,"goal":"eie","startlan":"klar","bostotte":"innvilget","saving_monthly":2000,"saved":40000}`, person), ""); code != 201 {
			t.Fatalf("a plan: %d %s", code, b)
		}
		page := fmt.Sprintf("%s/bosikring/videre?person=%d", s.URL, person)
		before := countRows(t, db, `SELECT COUNT(*) FROM access_log_persons WHERE person_id = ? AND categories LIKE '%okonomi%'`, person)
		resp, body := get(t, caseworker, page)
		basis := section(body, "renewal-basis")
		if resp.StatusCode != 200 || basis == "" {
			t.Fatalf("the case worker's form: %d, no basis section", resp.StatusCode)
		}
		for _, want := range []string{"Grunnlag for vedtaket om fornyelse", `data-kind="kontrakt_utlop"`, `data-kind="restanse"`, "forfall ubetalt", `data-basis="plan"`, "Startlån: Klar"} {
			if !strings.Contains(basis, want) {
				t.Errorf("the case worker's basis lacks %q:\n%s", want, basis)
			}
		}
		if !strings.Contains(body, ends[8:10]+"."+ends[5:7]+"."+ends[0:4]) {
			t.Errorf("the plan's row does not show the lease's end %s", ends)
		}
		if after := countRows(t, db, `SELECT COUNT(*) FROM access_log_persons WHERE person_id = ? AND categories LIKE '%okonomi%'`, person); after <= before {
			t.Error("the case worker's read of the arrears reason was not logged")
		}
		resp, body = get(t, property, page)
		basis = section(body, "renewal-basis")
		if resp.StatusCode != 200 || basis == "" {
			t.Fatalf("property staff's form: %d, no basis section", resp.StatusCode)
		}
		if !strings.Contains(basis, `data-kind="kontrakt_utlop"`) || !strings.Contains(basis, `data-basis="hidden"`) {
			t.Errorf("property staff's basis should show the lease ending and say finances are closed:\n%s", basis)
		}
		for _, hidden := range []string{`data-kind="restanse"`, "forfall ubetalt", `data-basis="plan"`, "Startlån", `data-basis="arrears"`} {
			if strings.Contains(basis, hidden) {
				t.Errorf("property staff see %q", hidden)
			}
		}
	})
}

// section is the first element whose class list holds class, up to the
// next closing div at its own depth (the page's markup, for assertions).
func section(body, class string) string {
	i := strings.Index(body, `class="stack `+class+`"`)
	if i < 0 {
		return ""
	}
	depth, j := 1, i
	for j < len(body) {
		open, end := strings.Index(body[j:], "<div"), strings.Index(body[j:], "</div>")
		if end < 0 {
			return body[i:]
		}
		if open >= 0 && open < end {
			depth++
			j += open + 4
			continue
		}
		depth--
		j += end + 6
		if depth == 0 {
			return body[i:j]
		}
	}
	return body[i:]
}
