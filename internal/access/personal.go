package access

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	"husly/internal/typegraph"
)

// CategorySet is a set of categories, small enough to copy freely.
type CategorySet uint16

func (c Category) bit() CategorySet {
	for i, x := range Categories {
		if x == c {
			return 1 << i
		}
	}
	return 0
}

// SetOf makes a set of categories.
func SetOf(cs ...Category) CategorySet {
	var s CategorySet
	for _, c := range cs {
		s |= c.bit()
	}
	return s
}

// Has reports whether the set includes c.
func (s CategorySet) Has(c Category) bool { return s&c.bit() != 0 }

// List gives the set's categories in display order.
func (s CategorySet) List() []Category {
	var out []Category
	for _, c := range Categories {
		if s.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// set is the grant's categories as a set.
func (g Grant) set() CategorySet {
	var s CategorySet
	for c, ok := range g.Categories {
		if ok {
			s |= c.bit()
		}
	}
	return s
}

// Personal is a value about one person that reveals the categories it is
// tagged with. It is the form personal data takes between the query that
// reads it and the response: until the redaction step (Reader.Send) has
// checked the viewer's grant, and unless the grant includes every one of
// its categories, templates, JSON and documents see only its zero value.
// Forgetting the step therefore hides data; it never shows it.
type Personal[T any] struct {
	value  T
	person int64
	cats   CategorySet
	shown  bool
}

// Tag marks v as personal data about person revealing the categories cats.
func Tag[T any](person int64, v T, cats ...Category) Personal[T] {
	return Personal[T]{value: v, person: person, cats: SetOf(cats...)}
}

// TagSet is Tag with a set already made.
func TagSet[T any](person int64, v T, cats CategorySet) Personal[T] {
	return Personal[T]{value: v, person: person, cats: cats}
}

// Value is the value if the redaction step let it through, else zero.
func (p Personal[T]) Value() T {
	if p.shown {
		return p.value
	}
	var zero T
	return zero
}

// Shown reports whether the value was let through (and is not empty).
func (p Personal[T]) Shown() bool { return p.shown && !reflect.ValueOf(&p.value).Elem().IsZero() }

// OnlyShown keeps, in place, the values of list the viewer was sent:
// a list page leaves out what it may not show instead of showing a gap.
func OnlyShown[T any](list []Personal[T]) []Personal[T] {
	return slices.DeleteFunc(list, func(p Personal[T]) bool { return !p.Shown() })
}

// Categories are what the value reveals.
func (p Personal[T]) Categories() CategorySet { return p.cats }

// String prints the value as templates show it.
func (p Personal[T]) String() string { return fmt.Sprint(p.Value()) }

// MarshalJSON writes the value, or null when it was not let through.
func (p Personal[T]) MarshalJSON() ([]byte, error) {
	if !p.shown {
		return []byte("null"), nil
	}
	return json.Marshal(p.value)
}

// Edit lets f change the value in place when the redaction step let it
// through: the API writes a value's texts in the reader's language after
// redaction. What was withheld stays withheld.
func (p *Personal[T]) Edit(f func(v any)) {
	if p.shown {
		f(&p.value)
	}
}

// UnmarshalJSON reads a value a client sent: it is the client's own input,
// not data read from the database, so it carries no categories.
func (p *Personal[T]) UnmarshalJSON(b []byte) error {
	*p = Personal[T]{}
	return json.Unmarshal(b, &p.value)
}

// about and pass are the redaction step's handles; they are unexported so
// only this package lets a value through.
func (p *Personal[T]) about() (int64, CategorySet, bool) {
	return p.person, p.cats, reflect.ValueOf(&p.value).Elem().IsZero()
}

func (p *Personal[T]) passed() bool { return p.shown }

// pass lets the value through or clears it; a value let through is
// walked in turn, since it may hold personal values of other persons (a
// meeting item's other candidates).
func (p *Personal[T]) pass(ok bool, decide decider) {
	p.shown = ok
	if !ok {
		var zero T
		p.value = zero
		return
	}
	redact(reflect.ValueOf(&p.value).Elem(), decide)
}

// decider says whether a value about person revealing cats may be sent.
type decider func(person int64, cats CategorySet, empty bool) bool

// tagged is what the redaction step looks for in a response.
type tagged interface {
	about() (person int64, cats CategorySet, empty bool)
	pass(ok bool, decide decider)
}

var (
	taggedType = reflect.TypeFor[tagged]()
	shownType  = reflect.TypeFor[interface{ passed() bool }]()
)

// holds answers, per type, whether a value of it can contain personal
// data, so the walk skips plain parts of a response at once. What an
// interface holds is known only at run time.
var holds = typegraph.Search{Hit: func(t reflect.Type) bool {
	return t.Kind() == reflect.Interface || reflect.PointerTo(t).Implements(taggedType)
}}

func mayHold(t reflect.Type) bool { return holds.Reaches(t) }

// redact walks v and lets each personal value through when decide says
// so, clearing the others. Unexported fields are not walked: what they
// hold stays hidden.
func redact(v reflect.Value, decide decider) {
	if !v.IsValid() || !mayHold(v.Type()) {
		return
	}
	if v.CanAddr() {
		if t, ok := v.Addr().Interface().(tagged); ok {
			t.pass(decide(t.about()), decide)
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			redact(v.Elem(), decide)
		}
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		// An interface's value is not addressable: copy, redact, put back.
		c := reflect.New(v.Elem().Type()).Elem()
		c.Set(v.Elem())
		redact(c, decide)
		if v.CanSet() {
			v.Set(c)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				redact(v.Field(i), decide)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			redact(v.Index(i), decide)
		}
		// A list of personal values keeps only those let through: a hidden
		// item leaves no trace, not even a null or a count.
		if v.Kind() == reflect.Slice && v.CanSet() && reflect.PointerTo(v.Type().Elem()).Implements(shownType) {
			kept := 0
			for i := 0; i < v.Len(); i++ {
				if v.Index(i).Addr().Interface().(interface{ passed() bool }).passed() {
					v.Index(kept).Set(v.Index(i))
					kept++
				}
			}
			v.SetLen(kept)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			c := reflect.New(it.Value().Type()).Elem()
			c.Set(it.Value())
			redact(c, decide)
			v.SetMapIndex(it.Key(), c)
		}
	}
}
