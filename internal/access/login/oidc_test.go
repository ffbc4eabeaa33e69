package login_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"husly/internal/access/login"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// New identities are linked within the provider's municipality only, and
// a linked identity is found by issuer and subject alone.
func TestResolveStaysInTheMunicipality(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := storetest.NewTenant(t, db, "4601"), storetest.NewTenant(t, db, "4602")
		for _, tn := range []storetest.Tenant{a, b} {
			if _, err := db.ExecContext(ctx, "UPDATE users SET email = 'kari@kommune.example' WHERE id = ?", tn.UserID); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now()
		staff := &login.Provider{Name: "ansatt", Label: "Entra ID", Issuer: "https://idp.example", Municipality: "4602"}
		u, err := login.Resolve(ctx, db, staff, login.Claims{Issuer: staff.Issuer, Subject: "kari", Email: "KARI@kommune.example"}, now)
		if err != nil || u.ID != b.UserID {
			t.Fatalf("staff linked to user %d (%v), want %d in the provider's municipality", u.ID, err, b.UserID)
		}
		// The same subject later: found by the link, whatever the claims say.
		u, err = login.Resolve(ctx, db, staff, login.Claims{Issuer: staff.Issuer, Subject: "kari"}, now)
		if err != nil || u.ID != b.UserID {
			t.Fatalf("linked subject: %d %v", u.ID, err)
		}
		// The same subject from another issuer is another identity.
		other := &login.Provider{Name: "ansatt", Label: "Annen", Issuer: "https://annen.example", Municipality: "4601"}
		if u, err := login.Resolve(ctx, db, other, login.Claims{Issuer: other.Issuer, Subject: "kari", Email: "kari@kommune.example"}, now); err != nil || u.ID != a.UserID {
			t.Fatalf("other issuer: %d %v, want %d", u.ID, err, a.UserID)
		}
		// Without a configured municipality, two municipalities are too many to guess between.
		unset := &login.Provider{Name: "ansatt", Label: "Uten kommune", Issuer: "https://tredje.example"}
		if _, err := login.Resolve(ctx, db, unset, login.Claims{Issuer: unset.Issuer, Subject: "kari", Email: "kari@kommune.example"}, now); !errors.Is(err, login.ErrNoMunicipality) {
			t.Fatalf("no municipality configured: %v", err)
		}
		var links int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM external_identities").Scan(&links); err != nil {
			t.Fatal(err)
		}
		if links != 2 {
			t.Fatalf("%d links, want 2", links)
		}

		// A resident known in both municipalities signs in to the provider's one, not the lowest-numbered.
		number := identity.Synthetic(420001)
		storetest.InsertPerson(t, db, a.MunicipalityID, number, "Per", "Begge")
		inB := storetest.InsertPerson(t, db, b.MunicipalityID, number, "Per", "Begge")
		idporten := &login.Provider{Name: "idporten", Label: "ID-porten", Issuer: "https://idporten.example", Residents: true, Municipality: "4602"}
		r, err := login.Resolve(ctx, db, idporten, login.Claims{Issuer: idporten.Issuer, Subject: "pid-sub", PID: number}, now)
		if err != nil || r.PersonID != inB || r.MunicipalityID != b.MunicipalityID {
			t.Fatalf("resident: person %d in municipality %d (%v), want %d in %d", r.PersonID, r.MunicipalityID, err, inB, b.MunicipalityID)
		}
		// A staff login cannot come through the residents' provider, nor the reverse.
		if _, err := login.Resolve(ctx, db, staff, login.Claims{Issuer: idporten.Issuer, Subject: "pid-sub"}, now); !errors.Is(err, login.ErrNoStaffUser) {
			t.Fatalf("resident identity through the staff provider: %v", err)
		}
		if _, err := login.Resolve(ctx, db, idporten, login.Claims{Issuer: idporten.Issuer, Subject: "ukjent", PID: identity.Synthetic(420002)}, now); !errors.Is(err, login.ErrNoResident) {
			t.Fatalf("unknown resident: %v", err)
		}
	})
}
