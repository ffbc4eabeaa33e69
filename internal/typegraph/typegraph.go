// Package typegraph answers, once per type, whether a value of a type can
// contain a part of some kind: the walks that redact personal data, put
// texts into an answer or fill JSON lists skip the parts that cannot.
package typegraph

import (
	"reflect"
	"sync"
)

// Search looks through a type's exported struct fields and the elements
// of its pointers, slices, arrays and maps for a type Hit accepts. Stop,
// when set, names types whose insides are not looked at (they make their
// own answer). The answer is kept per type; only whole answers are kept,
// so a request asking while another is still searching never reads half a
// result.
type Search struct {
	Hit   func(t reflect.Type) bool
	Stop  func(t reflect.Type) bool
	known sync.Map // reflect.Type → bool
}

// Reaches reports whether a value of t can contain a type Hit accepts.
func (s *Search) Reaches(t reflect.Type) bool {
	if v, ok := s.known.Load(t); ok {
		return v.(bool)
	}
	r := s.walk(t, map[reflect.Type]bool{})
	s.known.Store(t, r)
	return r
}

// walk is a depth-first search; a type met again is either on the path
// (a recursive type, whose other parts the first visit looks at) or was
// looked through already without a hit.
func (s *Search) walk(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	if s.Hit(t) {
		return true
	}
	if s.Stop != nil && s.Stop(t) {
		return false
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && s.walk(f.Type, seen) {
				return true
			}
		}
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return s.walk(t.Elem(), seen)
	}
	return false
}
