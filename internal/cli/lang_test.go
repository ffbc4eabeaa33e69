package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandLineLanguage: messages and headings follow --lang, then
// HUSLY_LANG, then LANG, with bokmål when none names a language Husly
// speaks; an unknown --lang is refused.
func TestCommandLineLanguage(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "husly.db")
	run := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		code := Run(append([]string{"--db", db}, args...), strings.NewReader(""), &out, &errOut)
		return code, out.String() + errOut.String()
	}
	t.Setenv("HUSLY_LANG", "")
	t.Setenv("LANG", "C.UTF-8")
	if code, out := run("nosuch"); code != 2 || !strings.Contains(out, "husly: ukjent kommando") {
		t.Fatalf("bokmål by default: %d %s", code, out)
	}
	if code, out := run("--lang", "en", "nosuch"); code != 2 || !strings.Contains(out, "husly: unknown command") {
		t.Fatalf("--lang en: %d %s", code, out)
	}
	t.Setenv("LANG", "nn_NO.UTF-8")
	if code, out := run("municipality"); code != 2 || !strings.Contains(out, "--name NAMN") {
		t.Fatalf("LANG=nn_NO: %d %s", code, out)
	}
	t.Setenv("HUSLY_LANG", "en")
	if code, out := run("municipality", "add", "--number", "1505", "--name", "Kristiansund"); code != 0 || !strings.Contains(out, "Added the municipality of Kristiansund (1505).") {
		t.Fatalf("HUSLY_LANG=en over LANG: %d %s", code, out)
	}
	if code, out := run("municipality", "add", "--number", "1506", "--name", "Molde", "--lang", "nb"); code != 0 || !strings.Contains(out, "La til Molde kommune (1506).") {
		t.Fatalf("--lang after the command over HUSLY_LANG: %d %s", code, out)
	}
	if code, out := run("--lang", "sv", "version"); code != 2 || !strings.Contains(out, "nb, nn or en") {
		t.Fatalf("--lang sv: %d %s", code, out)
	}
	if code, out := run("--lang", "nn", "case", "tasks", "--user", "ingen"); code != 1 || !strings.Contains(out, `fann ikkje brukaren "ingen"`) {
		t.Fatalf("case in nynorsk: %d %s", code, out)
	}
}
