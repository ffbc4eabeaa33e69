package web

import (
	"encoding"
	"encoding/json"
	"reflect"

	"husly/internal/typegraph"
)

// Go encodes a nil slice as null, but the OpenAPI document promises an
// array wherever a list is answered ("services": [], not null). Rather than
// rely on every constructor in every capability remembering to start its
// lists empty, the API's one JSON writer gives nil slices as [] on the way
// out. Values are copied, never changed in place; types that marshal
// themselves (time.Time, json.RawMessage) and byte slices (base64 strings)
// are left as they are.
func withEmptyLists(v any) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || !holdsLists(rv.Type()) {
		return v
	}
	out := reflect.New(rv.Type()).Elem()
	fillLists(out, rv)
	return out.Interface()
}

// fillLists sets dst to a copy of src with nil slices made empty.
func fillLists(dst, src reflect.Value) {
	t := src.Type()
	if !holdsLists(t) {
		dst.Set(src)
		return
	}
	switch t.Kind() {
	case reflect.Slice:
		if src.IsNil() {
			dst.Set(reflect.MakeSlice(t, 0, 0))
			return
		}
		s := reflect.MakeSlice(t, src.Len(), src.Len())
		for i := range src.Len() {
			fillLists(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Array:
		for i := range src.Len() {
			fillLists(dst.Index(i), src.Index(i))
		}
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(t.Elem())
		fillLists(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		inner := reflect.New(src.Elem().Type()).Elem()
		fillLists(inner, src.Elem())
		dst.Set(inner)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(t, src.Len())
		for it := src.MapRange(); it.Next(); {
			val := reflect.New(t.Elem()).Elem()
			fillLists(val, it.Value())
			m.SetMapIndex(it.Key(), val)
		}
		dst.Set(m)
	case reflect.Struct:
		dst.Set(src) // unexported fields too; JSON reads only the exported ones
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				fillLists(dst.Field(i), src.Field(i))
			}
		}
	default:
		dst.Set(src)
	}
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// lists answers whether a value of a type can contain a nil slice that
// JSON would write as null. A type that writes its own JSON is not looked
// into; []byte is a base64 string; what an interface holds is known only
// at run time.
var lists = typegraph.Search{
	Hit: func(t reflect.Type) bool {
		return !writesOwnJSON(t) && (t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 || t.Kind() == reflect.Interface)
	},
	Stop: writesOwnJSON,
}

func writesOwnJSON(t reflect.Type) bool {
	return t.Implements(jsonMarshaler) || t.Implements(textMarshaler) ||
		reflect.PointerTo(t).Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(textMarshaler)
}

func holdsLists(t reflect.Type) bool { return lists.Reaches(t) }
