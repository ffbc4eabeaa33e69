package people_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"husly/internal/access"
	"husly/internal/identity"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// register runs a registration as the web handler does: in one
// transaction, committed when it is sent for checking so the record stays.
func register(ctx context.Context, db *store.DB, a access.Actor, i int) error {
	var result error
	err := db.InTx(ctx, func(tx *store.Tx) error {
		_, err := people.Create(ctx, tx, a, people.Input{IdentityNumber: identity.Synthetic(i), FirstName: "Gå", LastName: "Inn"})
		if errors.Is(err, people.ErrSentForChecking) {
			result = err
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return result
}

// staff adds a user to a unit and returns them as an actor.
func staff(t *testing.T, db *store.DB, tn storetest.Tenant, unit int64, unitName, username string, role access.Role) access.Actor {
	t.Helper()
	id, err := org.CreateUser(context.Background(), db, tn.Operator(), org.User{OrgUnitID: unit, Username: username, FullName: username, Role: role})
	if err != nil {
		t.Fatal(err)
	}
	return access.Actor{UserID: id, MunicipalityID: tn.MunicipalityID, OrgUnitID: unit, OrgUnitName: unitName, Username: username, Name: username, Role: role}
}

// Registering by number says whether a number is known, so it is bounded:
// at most the daily limit of "sent for checking" per user, the same answer
// whichever hidden person the number belongs to, then refused for the rest
// of the day with the leader told; numbers the user may see and new
// numbers do not count; parallel attempts cannot pass the limit.
func TestRegistrationOracleIsBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "4630")
		a := tn.CaseWorker()
		leader := staff(t, db, tn, tn.OrgUnitID, "Boligkontoret", "leder-4630", access.UnitLeader)
		rus, err := org.CreateUnit(ctx, db, tn.Operator(), org.Unit{Name: "Rusteamet", Kind: "psykisk_helse_rus"})
		if err != nil {
			t.Fatal(err)
		}
		rusWorker := staff(t, db, tn, rus, "Rusteamet", "rus-4630", access.CaseWorker)
		rusLeader := staff(t, db, tn, rus, "Rusteamet", "rusleder-4630", access.UnitLeader)
		// Hidden persons: registered by another unit, one of them restricted.
		hidden := []int{101, 102, 103, 104, 105}
		for _, i := range hidden {
			if err := register(ctx, db, rusWorker, i); err != nil {
				t.Fatal(err)
			}
		}
		var restricted int64
		if err := db.QueryRowContext(ctx, "SELECT id FROM persons WHERE identity_hash = ?", db.Keys().Blind(identity.Synthetic(102))).Scan(&restricted); err != nil {
			t.Fatal(err)
		}
		if err := people.Restrict(ctx, db, rusLeader, restricted, true, "Personen ba om det"); err != nil {
			t.Fatal(err)
		}
		if limit, err := people.RegistrationCheckLimit(ctx, db, tn.MunicipalityID); err != nil || limit != people.DefaultRegistrationCheckLimit {
			t.Fatalf("default limit = %d, %v", limit, err)
		}

		// A person the user may see: told so, as often as asked, not counted.
		if err := register(ctx, db, a, 110); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			var ve *people.ValidationError
			if err := register(ctx, db, a, 110); !errors.As(err, &ve) || !strings.Contains(err.Error(), "allerede registrert") {
				t.Fatalf("a visible person's number: %v", err)
			}
		}
		// Hidden numbers: the same answer, whichever person, up to the limit.
		for _, i := range hidden[:3] {
			if err := register(ctx, db, a, i); !errors.Is(err, people.ErrSentForChecking) || err.Error() != people.ErrSentForChecking.Error() {
				t.Fatalf("hidden number %d: %v, want exactly ErrSentForChecking", i, err)
			}
			// New numbers still register in between, until the limit is reached.
			if i == hidden[2] {
				break
			}
			if err := register(ctx, db, a, 200+i); err != nil {
				t.Fatalf("a new number before the limit: %v", err)
			}
		}
		personsBefore := count(t, db)
		// Past the limit: refused whether the number is hidden, new or visible.
		for _, i := range []int{hidden[3], hidden[1], 400, 110} {
			if err := register(ctx, db, a, i); !errors.Is(err, people.ErrRegistrationLimit) {
				t.Fatalf("number %d past the limit: %v, want ErrRegistrationLimit", i, err)
			}
		}
		if n := count(t, db); n != personsBefore {
			t.Fatalf("%d persons registered past the limit", n-personsBefore)
		}
		var checks int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM registration_checks WHERE requested_by = ?", a.UserID).Scan(&checks); err != nil || checks != 3 {
			t.Fatalf("%d registration checks recorded, want 3 (%v)", checks, err)
		}
		// Another user of the same unit is not bound by a's count.
		colleague := staff(t, db, tn, tn.OrgUnitID, "Boligkontoret", "sb2-4630", access.CaseWorker)
		if err := register(ctx, db, colleague, 401); err != nil {
			t.Fatalf("a colleague's registration: %v", err)
		}

		// The leader of a's unit is told; the other unit's leader is not; the
		// auditor sees it; a case worker may not list it.
		events, err := people.RegistrationLimitEvents(ctx, db, leader, 10)
		if err != nil || len(events) != 1 || events[0].UserID != a.UserID || events[0].Checks != 3 {
			t.Fatalf("leader's notices = %+v, %v", events, err)
		}
		if events, err := people.RegistrationLimitEvents(ctx, db, rusLeader, 10); err != nil || len(events) != 0 {
			t.Fatalf("another unit's leader was told: %+v, %v", events, err)
		}
		auditor := access.Actor{MunicipalityID: tn.MunicipalityID, Role: access.Auditor, Username: "tilsyn", Name: "Tilsyn"}
		if events, err := people.RegistrationLimitEvents(ctx, db, auditor, 10); err != nil || len(events) != 1 {
			t.Fatalf("auditor's notices = %+v, %v", events, err)
		}
		if _, err := people.RegistrationLimitEvents(ctx, db, a, 10); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a case worker listed the notices: %v", err)
		}
		// The audit entry names the user and the count, never a number or a person.
		var after string
		if err := db.QueryRowContext(ctx, "SELECT after_json FROM audit_log WHERE entity = 'bruker' AND entity_id = ? AND action = 'grense for registreringer til kontroll nådd'", a.UserID).Scan(&after); err != nil {
			t.Fatal(err)
		}
		for _, i := range hidden {
			if strings.Contains(after, identity.Synthetic(i)) || strings.Contains(after, identity.Synthetic(i)[:6]) {
				t.Fatalf("the audit entry holds a number tried: %s", after)
			}
		}

		// Parallel attempts by a fresh user: exactly the limit are answered.
		racer := staff(t, db, tn, tn.OrgUnitID, "Boligkontoret", "sb3-4630", access.CaseWorker)
		var wg sync.WaitGroup
		results := make(chan error, 8)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results <- register(ctx, db, racer, hidden[i%len(hidden)])
			}()
		}
		wg.Wait()
		close(results)
		answered := 0
		for err := range results {
			switch {
			case errors.Is(err, people.ErrSentForChecking):
				answered++
			case errors.Is(err, people.ErrRegistrationLimit):
			default:
				t.Fatalf("parallel registration: %v", err)
			}
		}
		if answered != people.DefaultRegistrationCheckLimit {
			t.Fatalf("%d parallel attempts answered, want %d", answered, people.DefaultRegistrationCheckLimit)
		}
	})
}

// Registering by number needs the identity number's category, and the
// daily limit is the administrator's to set, within bounds.
func TestRegistrationNeedsTheNumberCategory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := storetest.NewTenant(t, db, "4631")
		property := staff(t, db, tn, tn.OrgUnitID, "Boligkontoret", "eiendom-4631", access.Property)
		err := register(ctx, db, property, 1)
		if !errors.Is(err, people.ErrNoNumberCategory) || !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("property staff without the number's category: %v", err)
		}
		if n := count(t, db); n != 0 {
			t.Fatalf("%d persons registered without the category", n)
		}
		admin := access.Actor{MunicipalityID: tn.MunicipalityID, Role: access.Admin, Username: "admin", Name: "Admin"}
		if err := people.SetRegistrationCheckLimit(ctx, db, tn.CaseWorker(), 5); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a case worker set the limit: %v", err)
		}
		for _, bad := range []int{0, -1, 21} {
			var ve *people.ValidationError
			if err := people.SetRegistrationCheckLimit(ctx, db, admin, bad); !errors.As(err, &ve) {
				t.Fatalf("limit %d: %v", bad, err)
			}
		}
		if err := people.SetRegistrationCheckLimit(ctx, db, admin, 1); err != nil {
			t.Fatal(err)
		}
		if limit, err := people.RegistrationCheckLimit(ctx, db, tn.MunicipalityID); err != nil || limit != 1 {
			t.Fatalf("limit = %d, %v", limit, err)
		}
	})
}
