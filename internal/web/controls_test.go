package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"husly/internal/demo"
	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func postForm(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func breakGlassCount(t *testing.T, db *store.DB, person int64) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM break_glass WHERE person_id = ?", person).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Emergency access asks for the password every time, right after login
// too, on the form and through the API; wrong passwords there count
// towards the same lock as the login, and a locked account cannot open it.
func TestBreakGlassAlwaysNeedsThePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		mid := queryID(t, db, "SELECT id FROM municipalities WHERE number = '1505'")
		person := storetest.InsertPerson(t, db, mid, identity.Synthetic(410001), "Ukjent", "Person")
		c := s.client(t, "demo-saksbehandler") // signed in a moment ago
		page := s.URL + "/personer/" + itoa(person) + "/nodtilgang"
		reason := "Akutt behov for å avklare bolig i natt"

		resp, body := postForm(t, c, page, url.Values{"reason": {reason}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Passordet stemmer ikke") {
			t.Fatalf("form without password just after login: %d", resp.StatusCode)
		}
		resp, _ = postJSON(t, c, s.URL+"/api/v1/persons/"+itoa(person)+"/break-glass", `{"reason":"`+reason+`"}`)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("API without password: %d", resp.StatusCode)
		}
		if n := breakGlassCount(t, db, person); n != 0 {
			t.Fatalf("a refused emergency access was opened anyway (%d rows)", n)
		}
		// Three more wrong passwords: five in all, and the account locks.
		for i := 0; i < 3; i++ {
			postForm(t, c, page, url.Values{"reason": {reason}, "password": {"gjetning"}})
		}
		resp, body = postForm(t, c, page, url.Values{"reason": {reason}, "password": {demo.Password}})
		if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "sperret") {
			t.Fatalf("the right password on a locked account: %d", resp.StatusCode)
		}
		resp, _ = postJSON(t, c, s.URL+"/api/v1/persons/"+itoa(person)+"/break-glass", `{"reason":"`+reason+`","password":"`+demo.Password+`"}`)
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("API on a locked account: %d", resp.StatusCode)
		}
		if n := breakGlassCount(t, db, person); n != 0 {
			t.Fatalf("emergency access opened on a locked account")
		}
		// The login is locked too.
		resp, _ = postForm(t, s.client(t, ""), s.URL+"/logg-inn", url.Values{"username": {"demo-saksbehandler"}, "password": {demo.Password}})
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("login after break-glass guesses: %d, want 429", resp.StatusCode)
		}
		// When the lock has run out, the right password opens it.
		if _, err := db.ExecContext(context.Background(), "UPDATE users SET locked_until = ? WHERE username = 'demo-saksbehandler'",
			store.TimeArg(time.Now().Add(-time.Second))); err != nil {
			t.Fatal(err)
		}
		resp, _ = postForm(t, c, page, url.Values{"reason": {reason}, "password": {demo.Password}})
		if resp.StatusCode != http.StatusSeeOther || breakGlassCount(t, db, person) != 1 {
			t.Fatalf("break-glass with the right password: %d", resp.StatusCode)
		}
	})
}
