package access_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"husly/internal/access"
	"husly/internal/demo/demotest"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// AuthorizeMany decides for every person what Authorize decides for each
// alone, for every role in the demo municipality (case roles, consents,
// restriction and unknown persons included).
func TestAuthorizeManyAgreesWithAuthorize(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		demotest.Seed(t, db, 1)
		if _, err := db.ExecContext(ctx, "UPDATE persons SET restricted = ? WHERE id = (SELECT MIN(id) FROM persons)", true); err != nil {
			t.Fatal(err)
		}
		rows, err := db.QueryContext(ctx, "SELECT id FROM persons ORDER BY id LIMIT 120")
		ids, err := store.Collect(rows, err, func(s store.Scanner) (id int64, err error) { return id, s.Scan(&id) })
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, 999999) // no such person
		for _, username := range []string{"demo-saksbehandler", "demo-oppfolging", "demo-eiendom", "demo-enhetsleder", "demo-beboer", "demo-tilsyn"} {
			u, err := org.UserByUsername(ctx, db, username)
			if err != nil {
				t.Fatal(err)
			}
			a := u.Actor()
			if a.Role == access.Auditor {
				a.Reason = "Tilsyn med tildeling 2026"
			}
			granted, refused, err := access.AuthorizeMany(ctx, db, a, ids)
			if err != nil {
				t.Fatal(err)
			}
			seen := 0
			for _, id := range ids {
				want, wantErr := access.Authorize(ctx, db, a, id)
				got, ok := granted[id]
				if wantErr != nil {
					if ok || !errors.Is(refused[id], wantErr) || refused[id].Error() != wantErr.Error() {
						t.Errorf("%s, person %d: Authorize refused (%v), AuthorizeMany gave %v / %v", username, id, wantErr, got, refused[id])
					}
					continue
				}
				seen++
				if !ok || got.Basis != want.Basis || !reflect.DeepEqual(got.Categories, want.Categories) || got.PersonID != id {
					t.Errorf("%s, person %d: Authorize %+v, AuthorizeMany %+v (refused %v)", username, id, want, got, refused[id])
				}
			}
			t.Logf("%s sees %d of %d", username, seen, len(ids))
		}
	})
}
