package caseflow_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func TestApplications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		admin := access.Actor{MunicipalityID: tn.MunicipalityID, Username: "admin", Name: "Admin", Role: access.Admin}
		pid, err := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(20000), FirstName: "Liv", LastName: "Berg"})
		if err != nil {
			t.Fatal(err)
		}
		today := deadline.Of(2026, 11, 22)
		// Received Saturday 31 January 2026: a month on is 28 February, a Saturday, so Monday 2 March.
		app, err := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "kommunal_bolig", Received: deadline.Of(2026, 1, 31), YearsResident: 0.5,
			HouseholdSize: 1, HouseholdIncome: 210000, RegisteredHere: true, Groups: []caseflow.Group{caseflow.GroupHomeless}}, today)
		if err != nil || !app.Eligibility.Eligible || app.DecisionDue.String() != "2026-03-02" {
			t.Fatalf("apply: %+v %v", app, err)
		}
		// Without the homeless exemption the residence rule fails, and says why.
		app2, _ := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "begge", Received: deadline.Of(2026, 11, 20), YearsResident: 0.5, HouseholdSize: 1}, today)
		if app2.Eligibility.Eligible || !strings.Contains(app2.Eligibility.Summary(), "bodd i kommunen i 0,5 år") {
			t.Fatalf("not eligible: %s", app2.Eligibility.Summary())
		}
		var ve *caseflow.ValidationError
		if _, err := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "slott", HouseholdSize: 0, Groups: []caseflow.Group{"vip"}}, today); !errors.As(err, &ve) || len(ve.Problems) != 3 {
			t.Fatalf("bad application: %v", err)
		}
		// Warnings: the January application is overdue; the new one is not yet near its due date.
		list, err := caseflow.Worklist(ctx, db, cw, today, access.ChannelPage)
		if err != nil || len(list) != 2 || list[0].ID != app.ID || !strings.Contains(list[0].Warning, "uten vedtak eller foreløpig svar") || list[1].Warning != "" {
			t.Fatalf("worklist: %+v %v", list, err)
		}
		nearDue := deadline.Of(2026, 12, 18)
		if w := caseflow.Warning(list[1], nearDue); !strings.Contains(w, "send foreløpig svar") {
			t.Fatalf("near the deadline: %q", w)
		}
		// A provisional answer's date and promised decision date are the
		// case worker's; a promise before the answer, or an answer in the
		// future, is refused and nothing stored.
		err = caseflow.RecordProvisionalAnswer(ctx, db, cw, app.ID, caseflow.ProvisionalInput{SentOn: deadline.Of(2026, 11, 20), ExpectedOn: deadline.Of(2026, 11, 19)}, today)
		mustInvalid(t, err, "forventet vedtaksdato må være etter")
		err = caseflow.RecordProvisionalAnswer(ctx, db, cw, app.ID, caseflow.ProvisionalInput{SentOn: deadline.Of(2026, 11, 23)}, today)
		mustInvalid(t, err, "kan ikke være fram i tid")
		if err := caseflow.RecordProvisionalAnswer(ctx, db, cw, app.ID, caseflow.ProvisionalInput{SentOn: deadline.Of(2026, 11, 20), ExpectedOn: deadline.Of(2026, 12, 4)}, today); err != nil {
			t.Fatal(err)
		}
		if err := caseflow.RecordProvisionalAnswer(ctx, db, cw, app.ID, caseflow.ProvisionalInput{}, today); !errors.As(err, &ve) {
			t.Fatalf("second provisional answer: %v", err)
		}
		apps, _ := caseflow.Applications(ctx, db, cw, pid, today, access.ChannelPage)
		for _, a := range apps {
			if a.ID == app.ID && (a.Provisional.String() != "2026-11-20" || a.ProvisionalExpected.String() != "2026-12-04" || a.Warning != "") {
				t.Fatalf("after the provisional answer: %+v", a)
			}
			if a.ID == app.ID {
				// A week before the promised date the work list warns, and
				// after it, says the promise is broken.
				if w := caseflow.Warning(a, deadline.Of(2026, 11, 30)); !strings.Contains(w, "lovet vedtak innen 04.12.2026 (om 4 dager)") {
					t.Fatalf("before the promised date: %q", w)
				}
				if w := caseflow.Warning(a, deadline.Of(2026, 12, 5)); !strings.Contains(w, "den datoen er passert") {
					t.Fatalf("after the promised date: %q", w)
				}
			}
		}
		tasks, err := caseflow.Tasks(ctx, db, cw, false, deadline.Of(2026, 12, 5), access.ChannelPage)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range tasks {
			if x.ApplicationID == app.ID && strings.Contains(x.Text, "den datoen er passert") {
				found = true
			}
		}
		if !found {
			t.Fatalf("the task list does not warn of the broken promise: %+v", tasks)
		}
		// The municipality's own rules: only administrators, and only valid ones.
		if _, err := caseflow.SetRules(ctx, db, cw, []byte(`[]`)); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("case worker set rules: %v", err)
		}
		if _, err := caseflow.SetRules(ctx, db, admin, []byte(`[{"kind":"botid","limit":-2}]`)); !errors.As(err, &ve) {
			t.Fatalf("bad rules: %v", err)
		}
		if _, err := caseflow.SetRules(ctx, db, admin, []byte(`[{"kind":"botid","limit":2}]`)); err != nil {
			t.Fatal(err)
		}
		app3, _ := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "kommunal_bolig", YearsResident: 1.5, HouseholdSize: 1}, today)
		if app3.Eligibility.Eligible || len(app3.Eligibility.Checks) != 1 {
			t.Fatalf("with two years' residence required: %+v", app3.Eligibility)
		}
	})
}
