package deadline_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"husly/internal/deadline"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

func TestDateJSON(t *testing.T) {
	type doc struct {
		On    deadline.Date `json:"on"`
		Until deadline.Date `json:"until,omitzero"`
		Maybe deadline.Date `json:"maybe"`
	}
	b, err := json.Marshal(doc{On: deadline.Of(2026, 11, 22)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"on":"2026-11-22","maybe":null}`; got != want {
		t.Fatalf("marshal = %s, want %s", got, want)
	}
	var back doc
	if err := json.Unmarshal([]byte(`{"on":"2026-02-28","until":"","maybe":null}`), &back); err != nil {
		t.Fatal(err)
	}
	if back.On != deadline.Of(2026, 2, 28) || !back.Until.IsZero() || !back.Maybe.IsZero() {
		t.Fatalf("unmarshal = %+v", back)
	}
	for _, bad := range []string{`"2026-02-30"`, `"22.11.2026"`, `20261122`, `"2026-1-2"`} {
		err := json.Unmarshal([]byte(`{"on":`+bad+`}`), &back)
		var pe *deadline.ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "ÅÅÅÅ-MM-DD") {
			t.Errorf("%s: error %v, want a Norwegian ParseError naming the form", bad, err)
		}
	}
}

func TestDateZeroIsEmpty(t *testing.T) {
	var d deadline.Date
	if !d.IsZero() || d.String() != "" || d.Norwegian() != "" {
		t.Fatalf("zero date = %q / %q", d.String(), d.Norwegian())
	}
	if v, err := d.Value(); v != nil || err != nil {
		t.Fatalf("zero date's column value = %v, %v; want NULL", v, err)
	}
}

func TestDateScan(t *testing.T) {
	for _, c := range []struct {
		in   any
		want deadline.Date
	}{
		{nil, deadline.Date{}},
		{"2026-11-22", deadline.Of(2026, 11, 22)},
		{[]byte("2026-01-01"), deadline.Of(2026, 1, 1)},
		{"2026-03-29T00:00:00Z", deadline.Of(2026, 3, 29)},
		// PostgreSQL's DATE: midnight UTC, which must not move a day in Oslo.
		{time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), deadline.Of(2026, 12, 31)},
	} {
		var d deadline.Date
		if err := d.Scan(c.in); err != nil || d != c.want {
			t.Errorf("Scan(%v) = %v, %v; want %v", c.in, d, err, c.want)
		}
	}
	var d deadline.Date
	if err := d.Scan("ikke en dato"); err == nil {
		t.Error("Scan of text that is not a date gave no error")
	}
}

// A date goes into a date column and comes back the same day on both
// engines (TEXT on SQLite, DATE on PostgreSQL), and NULL stays zero.
func TestDateColumnRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		typ := "TEXT"
		if db.Dialect() == store.Postgres {
			typ = "DATE"
		}
		if _, err := db.ExecContext(ctx, "CREATE TABLE date_probe (id INTEGER PRIMARY KEY, d "+typ+")"); err != nil {
			t.Fatal(err)
		}
		days := []deadline.Date{deadline.Of(2026, 3, 29), deadline.Of(2026, 10, 25), {}} // both summer-time changes, and none
		for i, d := range days {
			if _, err := db.ExecContext(ctx, "INSERT INTO date_probe (id, d) VALUES (?, ?)", i+1, d); err != nil {
				t.Fatal(err)
			}
		}
		for i, want := range days {
			var got deadline.Date
			if err := db.QueryRowContext(ctx, "SELECT d FROM date_probe WHERE id = ?", i+1).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("row %d: read %v, wrote %v", i+1, got, want)
			}
		}
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM date_probe WHERE d >= ?", deadline.Of(2026, 10, 1)).Scan(&n); err != nil || n != 1 {
			t.Errorf("dates compared as dates: %d rows from 1 October, err %v; want 1", n, err)
		}
	})
}
