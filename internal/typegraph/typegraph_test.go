package typegraph

import (
	"reflect"
	"sync"
	"testing"
)

type secret struct{}

type inner struct {
	Back *outer // leads back to the type that holds it
}

type outer struct {
	In     inner
	Secret *secret
}

type plain struct {
	Name  string
	Items []int
	next  *outer // unexported: never looked at
}

type tree struct {
	Kids []tree
	Tags map[string]*secret
}

func search() *Search {
	return &Search{Hit: func(t reflect.Type) bool { return t == reflect.TypeFor[secret]() }}
}

// TestReachesThroughCycles: a type reached through a recursive one is
// answered by what it can really contain, whichever type is asked first.
func TestReachesThroughCycles(t *testing.T) {
	for _, first := range []reflect.Type{reflect.TypeFor[outer](), reflect.TypeFor[inner]()} {
		s := search()
		s.Reaches(first)
		if !s.Reaches(reflect.TypeFor[inner]()) || !s.Reaches(reflect.TypeFor[outer]()) {
			t.Fatalf("asked %v first: inner %v, outer %v", first, s.Reaches(reflect.TypeFor[inner]()), s.Reaches(reflect.TypeFor[outer]()))
		}
	}
	s := search()
	if s.Reaches(reflect.TypeOf(plain{next: &outer{}})) {
		t.Fatal("plain reaches a secret through an unexported field")
	}
	if !s.Reaches(reflect.TypeFor[tree]()) || !s.Reaches(reflect.TypeFor[[]*tree]()) {
		t.Fatal("a map's elements are not looked at")
	}
	stopped := &Search{Hit: search().Hit, Stop: func(t reflect.Type) bool { return t == reflect.TypeFor[inner]() }}
	if stopped.Reaches(reflect.TypeFor[inner]()) {
		t.Fatal("Stop did not keep the search out of inner")
	}
}

// TestConcurrentFirstAsks: many asking at once all get the whole answer;
// none sees a search in progress as "no".
func TestConcurrentFirstAsks(t *testing.T) {
	for range 50 {
		s := search()
		var wg sync.WaitGroup
		got := make([]bool, 16)
		for i := range got {
			wg.Go(func() { got[i] = s.Reaches(reflect.TypeFor[outer]()) })
		}
		wg.Wait()
		for i, g := range got {
			if !g {
				t.Fatalf("asker %d got no", i)
			}
		}
	}
}
