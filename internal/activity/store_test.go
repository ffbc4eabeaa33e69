package activity_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/activity"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func problems(err error) string {
	var bad *invalid.Error
	if !errors.As(err, &bad) {
		return ""
	}
	return bad.Error()
}

func TestCalendarStorage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		now := store.TimeArg(time.Now())
		today := deadline.On(time.Now())
		hf, err := store.InsertID(ctx, db, "INSERT INTO org_units (municipality_id, name, kind, created_at) VALUES (?, 'Housing First-teamet', 'housing_first', ?)", tn.MunicipalityID, now)
		if err != nil {
			t.Fatal(err)
		}
		uid, err := store.InsertID(ctx, db, `INSERT INTO users (municipality_id, org_unit_id, username, full_name, role, created_at) VALUES (?, ?, 'kari', 'Kari Oppfølger', 'oppfolging', ?)`,
			tn.MunicipalityID, hf, now)
		if err != nil {
			t.Fatal(err)
		}
		worker := access.Actor{UserID: uid, MunicipalityID: tn.MunicipalityID, OrgUnitID: hf, Username: "kari", Name: "Kari Oppfølger", Role: access.FollowUp}
		team, err := followup.CreateTeam(ctx, db, tn.Operator(), hf, followup.HousingFirst)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := followup.AddMember(ctx, db, tn.Operator(), team, followup.Member{UserID: uid, Role: followup.CaseManager, FTE: 1}); err != nil {
			t.Fatal(err)
		}
		var residents []access.Actor
		for i, name := range []string{"Rune", "Siv"} {
			p := storetest.InsertPerson(t, db, tn.MunicipalityID, identity.Synthetic(100001+i), name, "Beboer")
			if _, err := access.AddCaseUnit(ctx, db, tn.CaseWorker(), access.CaseUnit{PersonID: p, OrgUnitID: hf, Responsibility: "oppfølging"}); err != nil {
				t.Fatal(err)
			}
			residents = append(residents, access.Actor{MunicipalityID: tn.MunicipalityID, PersonID: p, Name: name, Username: name, Role: access.Resident})
		}
		in := activity.Input{TeamID: team, Title: "Matlaging", Kind: activity.CourseCooking, On: today.AddDays(2), Start: "16:00", Minutes: 120, Place: "Kjøkkenet", Capacity: 1}
		if _, err := activity.Create(ctx, db, tn.CaseWorker(), in, today); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("the housing office offers activities: %v", err)
		}
		id, err := activity.Create(ctx, db, worker, in, today)
		if err != nil {
			t.Fatal(err)
		}
		// The first resident takes the only place; staff cannot add the second.
		if err := activity.SignUp(ctx, db, residents[0], id, 0, false, today); err != nil {
			t.Fatal(err)
		}
		err = activity.SignUp(ctx, db, worker, id, residents[1].PersonID, true, today)
		if !strings.Contains(problems(err), "aktiviteten er full (1 av 1") {
			t.Fatalf("above capacity: %v", err)
		}
		// Withdrawing frees the place.
		if err := activity.Withdraw(ctx, db, residents[0], id, 0, today); err != nil {
			t.Fatal(err)
		}
		if err := activity.SignUp(ctx, db, worker, id, residents[1].PersonID, true, today); err != nil {
			t.Fatal(err)
		}
		mine, err := activity.ReadMine(ctx, access.NewReader(db, residents[0], access.ChannelAPI), today)
		if err != nil {
			t.Fatal(err)
		}
		if len(mine.Upcoming) != 1 || mine.Upcoming[0].Signed() || mine.Upcoming[0].Activity.Left() != 0 {
			t.Errorf("the first resident's calendar: %+v", mine.Upcoming)
		}
		d, err := activity.Read(ctx, access.NewReader(db, worker, access.ChannelAPI), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Signups) != 2 || d.Activity.SignedUp != 1 {
			t.Errorf("the sign-ups: %d, %d signed up", len(d.Signups), d.Activity.SignedUp)
		}
		// Attendance waits for the day.
		err = activity.RecordAttendance(ctx, db, worker, id, []activity.Mark{{PersonID: residents[1].PersonID, Attended: true}}, today)
		if !strings.Contains(problems(err), "føres etter aktiviteten") {
			t.Errorf("attendance before the day: %v", err)
		}
		if err := activity.RecordAttendance(ctx, db, worker, id, []activity.Mark{{PersonID: residents[1].PersonID, Attended: false}}, today.AddDays(3)); err != nil {
			t.Fatal(err)
		}
		err = activity.RecordAttendance(ctx, db, worker, id, []activity.Mark{{PersonID: residents[0].PersonID, Attended: true}}, today.AddDays(3))
		if !strings.Contains(problems(err), "er ikke påmeldt") {
			t.Errorf("attendance for one who withdrew: %v", err)
		}
	})
}
