package access

import (
	"reflect"
	"testing"
)

// BenchmarkRedact is the redaction step alone, without the database: a
// response of a hundred tagged values of every category.
func BenchmarkRedact(b *testing.B) {
	g := Grant{Categories: map[Category]bool{Basic: true, HousingNeeds: true, Finances: true}}
	set := g.set()
	type page struct {
		Values []Personal[string]
		Plain  []string
	}
	v := page{Values: make([]Personal[string], 100), Plain: make([]string, 100)}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for j := range v.Values {
			v.Values[j] = Tag(1, "verdi", Categories[j%len(Categories)])
		}
		w := v
		w.Values = append([]Personal[string](nil), v.Values...)
		redact(reflect.ValueOf(&w).Elem(), func(person int64, cats CategorySet, empty bool) bool { return cats&^set == 0 })
	}
}
