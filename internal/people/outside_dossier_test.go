package people_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// The person's copy of their data (GDPR art. 15) holds their consents to
// talk with people outside the municipality, in its JSON as well as in the
// rows the PDF prints. A consent to share health data reveals health, so a
// case worker whose role does not reveal health gets the part empty.
func TestCopyHoldsOutsideConsents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "1506")
		a := actor(tn)
		id, err := people.Create(ctx, db, a, people.Input{IdentityNumber: identity.Synthetic(32), FirstName: "Siv", LastName: "Dahl"})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"Dr. Berg", "Molde DPS"} {
			kind := map[string]string{"Dr. Berg": "fastlege", "Molde DPS": "dps"}[name]
			if _, err := access.RecordOutsideConsent(ctx, db, a, access.OutsideConsent{PersonID: id, RecipientKind: kind, RecipientName: name,
				Purpose: "Avklare oppfølging før innflytting", Categories: []access.Category{access.Health}, Expires: deadline.On(time.Now().AddDate(0, 6, 0))}); err != nil {
				t.Fatal(err)
			}
		}
		staff, err := people.Collect(ctx, db, a, id)
		if err != nil {
			t.Fatal(err)
		}
		if p := staff.Part("outside_consents"); p == nil || len(p.Rows) != 0 {
			t.Fatalf("a case worker without the health category got the consents: %+v", p)
		}
		self := access.Actor{MunicipalityID: tn.MunicipalityID, PersonID: id, Username: "siv", Name: "Siv Dahl", Role: access.Resident}
		d, err := people.Collect(ctx, db, self, id)
		if err != nil {
			t.Fatal(err)
		}
		part := d.Part("outside_consents")
		if part == nil || len(part.Rows) != 2 {
			t.Fatalf("the copy has no part with both outside consents: %+v", part)
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Dr. Berg", "Molde DPS", "Avklare oppfølging før innflytting"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("the JSON copy lacks %q", want)
			}
		}
	})
}
