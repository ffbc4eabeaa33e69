package web

import (
	"strings"
	"testing"
)

// The post-login redirect must never leave the site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/personer", "//evil.example", "/\\evil", "https://evil.example", "/a?b", "", "/%2F%2Fevil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := safeNext(s)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\?#") {
			t.Fatalf("safeNext(%q) = %q leaves the site", s, got)
		}
	})
}
