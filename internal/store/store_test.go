package store

import "testing"

func TestRebind(t *testing.T) {
	got := rebind(Postgres, "SELECT a FROM t WHERE b = ? AND c IN (?, ?)")
	want := "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"
	if got != want {
		t.Fatalf("rebind = %q, want %q", got, want)
	}
	if q := "SELECT ?"; rebind(SQLite, q) != q {
		t.Fatal("SQLite queries must stay as written")
	}
}

func TestRedact(t *testing.T) {
	if got := redact("postgres://u:secret@127.0.0.1:5432/db"); got != "postgres://…@127.0.0.1:5432/db" {
		t.Fatalf("redact = %q", got)
	}
}
