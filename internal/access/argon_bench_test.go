package access_test

import (
	"testing"

	"husly/internal/access"
)

func BenchmarkArgonCheck(b *testing.B) {
	h, _ := access.HashPassword("x")
	for i := 0; i < b.N; i++ {
		access.CheckPassword(h, "x")
	}
}
