package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchRefusesBadSettings: each setting out of range exits 1 with a
// Norwegian message, and no database file is created.
func TestBenchRefusesBadSettings(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "bench.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--persons", "100"}, "antall personer må være fra 470"},
		{[]string{"--units", "9999999"}, "antall boliger må være fra 700"},
		{[]string{"--servers", "9"}, "antall servere må være fra 1 til 8"},
		{[]string{"--servers", "3", "--ports", "18600-18601"}, "få plass i portområdet"},
		{[]string{"--ports", "80-90"}, "portområdet må skrives FRA-TIL"},
		{[]string{"--concurrency", "0"}, "samtidighet må være fra 1 til 256"},
		{[]string{"--duration", "1h"}, "varigheten må være fra 1 s til 10 min"},
		{[]string{"--runs", "10"}, "antall runder må være fra 1 til 9"},
		{[]string{"--workload", "alt"}, `ukjent last "alt"`},
	} {
		var out, errOut bytes.Buffer
		code := Run(append([]string{"--db", dsn, "bench", "http"}, c.args...), strings.NewReader(""), &out, &errOut)
		if code != 1 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: exit %d, %q", c.args, code, errOut.String())
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a refused run created %v", entries)
	}
}
