package caseflow_test

import (
	"context"
	"testing"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func TestTimeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1505")
		cw := tn.CaseWorker()
		today := deadline.Of(2026, 11, 22)
		pid, _ := people.Create(ctx, db, cw, people.Input{IdentityNumber: identity.Synthetic(30000), FirstName: "Ida", LastName: "Lie"})
		if _, err := caseflow.RegisterContact(ctx, db, cw, pid, caseflow.ContactInput{Channel: "selv", Residence: caseflow.Temporary}, today); err != nil {
			t.Fatal(err)
		}
		if _, err := caseflow.Apply(ctx, db, cw, pid, caseflow.ApplicationInput{Kind: "kommunal_bolig", HouseholdSize: 1}, today); err != nil {
			t.Fatal(err)
		}
		if _, err := people.AddNote(ctx, db, cw, pid, access.HousingNeeds, "Ønsker Nordlandet"); err != nil {
			t.Fatal(err)
		}
		// A health note the housing office may not read.
		if _, err := db.ExecContext(ctx, "INSERT INTO notes (municipality_id, person_id, category, body, author_name, written_at) VALUES (?, ?, 'helse', 'Innlagt', 'Lege', '2026-11-01T10:00:00.000000Z')", tn.MunicipalityID, pid); err != nil {
			t.Fatal(err)
		}
		events, err := caseflow.Timeline(ctx, db, cw, pid, "", access.ChannelPage)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for i, x := range events {
			e := x.Value()
			kinds[e.Kind]++
			if e.Category == access.Health {
				t.Fatal("a health note reached the housing office's timeline")
			}
			if i > 0 && e.At.After(events[i-1].Value().At) {
				t.Fatal("timeline not newest first")
			}
		}
		if kinds["henvendelse"] != 1 || kinds["søknad"] != 1 || kinds["notat"] != 1 || kinds["rolle"] != 1 {
			t.Fatalf("events by kind: %v", kinds)
		}
		// The filter keeps the events that reveal a category; the health
		// note is still not among them for the housing office.
		if only, _ := caseflow.Timeline(ctx, db, cw, pid, access.Health, access.ChannelPage); len(only) != 0 {
			t.Fatalf("%d health events reached the housing office", len(only))
		}
		only, _ := caseflow.Timeline(ctx, db, cw, pid, access.HousingNeeds, access.ChannelPage)
		if len(only) < 3 {
			t.Fatalf("%d housing-need events of %d", len(only), len(events))
		}
	})
}
