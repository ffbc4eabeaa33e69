package allocation_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestMeeting runs an allocation meeting on the demo: the agenda from the
// round, a missing agency deferring complex cases, decisions with reasons,
// an approval becoming an offer, the tie-break rule, the minutes, and a
// deferred case coming back at the next meeting.
func TestMeeting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cw := demoActor(t, db, "demo-saksbehandler")
		today := deadline.On(time.Now())
		unit := func(kind string) int64 {
			var id int64
			if err := db.QueryRowContext(ctx, "SELECT MIN(id) FROM org_units WHERE kind = ?", kind).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		office, nav, health := unit("boligkontor"), unit("nav"), unit("psykisk_helse_rus")
		leader := cw
		leader.Role = access.UnitLeader
		if err := allocation.SetSchedule(ctx, db, cw, allocation.Schedule{IntervalDays: 14}); err == nil {
			t.Fatal("a case worker changed the schedule")
		}
		if err := allocation.SetSchedule(ctx, db, leader, allocation.Schedule{IntervalDays: 14, RequiredUnits: []int64{office, nav, health}, TieBreakUnit: office}); err != nil {
			t.Fatal(err)
		}
		id, err := allocation.OpenMeeting(ctx, db, cw, deadline.Date{}, today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := allocation.OpenMeeting(ctx, db, cw, today.AddDays(-1), today); err == nil {
			t.Fatal("a meeting was opened in the past")
		}
		// Before anyone is registered there is no quorum, and nothing is decided.
		m, err := allocation.LoadMeeting(ctx, db, cw, id, access.ChannelPage)
		if err != nil || m.Quorum || m.AttendanceRecorded || m.Undecided != len(m.Items) || len(m.Items) == 0 {
			t.Fatalf("a meeting without attendance: quorum %v, recorded %v, undecided %d of %d, %v", m.Quorum, m.AttendanceRecorded, m.Undecided, len(m.Items), err)
		}
		first := m.Items[0].Value()
		if err := allocation.DecideItem(ctx, db, cw, id, first.ID, allocation.ItemDecision{Decision: "utsatt", Reason: "Venter"}, nil); err == nil ||
			!strings.Contains(err.Error(), "registrer hvem som er til stede") {
			t.Fatalf("a decision before attendance: %v", err)
		}
		if err := allocation.RecordAttendance(ctx, db, cw, id, []allocation.Attendance{{OrgUnitID: office, Attendees: "Siri"}, {OrgUnitID: nav, Attendees: "Nils"}}); err != nil {
			t.Fatal(err)
		}
		m, err = allocation.LoadMeeting(ctx, db, cw, id, access.ChannelPage)
		if err != nil || m.Quorum || len(m.Missing) != 1 || len(m.Items) == 0 {
			t.Fatalf("meeting: quorum %v, missing %v, %d items, %v", m.Quorum, m.Missing, len(m.Items), err)
		}
		offers := 0
		offer := func(app, unit int64) (int64, error) {
			offers++
			o, err := caseflow.MakeOffer(ctx, db, cw, app, caseflow.OfferInput{UnitID: unit, FromRound: true}, today)
			return o.ID, err
		}
		var complexItem, simple *allocation.Item
		for i := range m.Items {
			it := m.Items[i].Value()
			if it.Complex && complexItem == nil {
				complexItem = &it
			}
			if !it.Complex && simple == nil {
				simple = &it
			}
		}
		if complexItem == nil || simple == nil {
			t.Fatalf("the demo's agenda lacks a complex or a simple case: %+v", m.Items)
		}
		err = allocation.DecideItem(ctx, db, cw, id, complexItem.ID, allocation.ItemDecision{Decision: "godkjent"}, offer)
		if err == nil || !strings.Contains(err.Error(), "må utsettes") || offers != 0 {
			t.Fatalf("approving a complex case without quorum: %v", err)
		}
		if err := allocation.DecideItem(ctx, db, cw, id, complexItem.ID, allocation.ItemDecision{Decision: "utsatt"}, offer); err == nil {
			t.Fatal("deferred without a reason")
		}
		if err := allocation.DecideItem(ctx, db, cw, id, complexItem.ID, allocation.ItemDecision{Decision: "utsatt", Reason: "Psykisk helse og rus mangler"}, offer); err != nil {
			t.Fatal(err)
		}
		if err := allocation.DecideItem(ctx, db, cw, id, simple.ID, allocation.ItemDecision{Decision: "godkjent", TieBreak: true}, offer); err != nil || offers != 1 {
			t.Fatalf("approve with the tie-break unit present: %v (%d offers)", err, offers)
		}
		if err := allocation.DecideItem(ctx, db, cw, id, simple.ID, allocation.ItemDecision{Decision: "avvist", Reason: "x"}, offer); err == nil {
			t.Fatal("an item was decided twice")
		}
		m, _ = allocation.LoadMeeting(ctx, db, cw, id, access.ChannelPage)
		var minutes bytes.Buffer
		if err := m.WriteMinutes(&minutes, "Kristiansund", time.Now()); err != nil || !bytes.HasPrefix(minutes.Bytes(), []byte("%PDF")) {
			t.Fatalf("minutes: %v", err)
		}
		// Several items at once, all or nothing: one already decided stops the lot.
		var undecided []int64
		for _, x := range m.Items {
			if it := x.Value(); it.Decision == "" && it.ID != complexItem.ID {
				undecided = append(undecided, it.ID)
			}
		}
		if len(undecided) < 3 {
			t.Fatalf("the demo's agenda is too short: %d undecided", len(undecided))
		}
		// The refusal counts in the plural form of its number, noun and pronoun.
		m, _ = allocation.LoadMeeting(ctx, db, cw, id, access.ChannelPage)
		want := fmt.Sprintf("%d saker er ikke avgjort: skriv grunnen til at de utsettes", m.Undecided)
		if err := allocation.CloseMeeting(ctx, db, cw, id, ""); err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("closed with %d undecided and no reason: %v", m.Undecided, err)
		}
		err = allocation.DecideItems(ctx, db, cw, id, []int64{undecided[0], simple.ID}, allocation.ItemDecision{Decision: "avvist", Reason: "Ikke aktuell nå"}, offer)
		if err == nil || !strings.Contains(err.Error(), "allerede avgjort") || !strings.Contains(err.Error(), "på dagsordenen") {
			t.Fatalf("a batch with a decided item: %v", err)
		}
		if err := allocation.DecideItems(ctx, db, cw, id, undecided[:2], allocation.ItemDecision{Decision: "avvist", Reason: "Ikke aktuell nå"}, offer); err != nil {
			t.Fatal(err)
		}
		m, _ = allocation.LoadMeeting(ctx, db, cw, id, access.ChannelPage)
		left := m.Undecided
		if left == 0 {
			t.Fatal("the test needs an item left undecided")
		}
		// Closing with items undecided asks for a reason, then defers them all.
		if err := allocation.CloseMeeting(ctx, db, cw, id, " "); err == nil || !strings.Contains(err.Error(), "ikke avgjort") {
			t.Fatalf("closed with %d undecided and no reason: %v", left, err)
		}
		if err := allocation.CloseMeeting(ctx, db, cw, id, "Tiden gikk ut"); err != nil {
			t.Fatal(err)
		}
		m, _ = allocation.LoadMeeting(ctx, db, cw, id, access.ChannelPage)
		deferred := 0
		for _, x := range m.Items {
			if it := x.Value(); it.Decision == "utsatt" && it.DecisionReason == "Tiden gikk ut" {
				deferred++
			}
		}
		if m.Undecided != 0 || deferred != left {
			t.Fatalf("after closing: %d undecided, %d of %d deferred with the reason", m.Undecided, deferred, left)
		}
		if err := allocation.RecordAttendance(ctx, db, cw, id, nil); err == nil {
			t.Fatal("a closed meeting was changed")
		}
		// The deferred case is on the next agenda, marked as deferred before.
		next, err := allocation.OpenMeeting(ctx, db, cw, today.AddDays(14), today)
		if err != nil {
			t.Fatal(err)
		}
		m2, _ := allocation.LoadMeeting(ctx, db, cw, next, access.ChannelPage)
		found := false
		for _, x := range m2.Items {
			if it := x.Value(); it.ApplicationID == complexItem.ApplicationID && it.DeferredBefore {
				found = true
			}
		}
		if !found {
			t.Fatalf("the deferred case is not back: %+v", m2.Items)
		}
	})
}
