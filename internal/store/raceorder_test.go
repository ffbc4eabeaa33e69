package store_test

import (
	"runtime"
	"sync"
	"testing"

	_ "husly/internal/store" // links the SQLite engine, as every Husly binary does
)

// TestRaceDetectorSeesSyncMap publishes a value through a sync.Map from one
// goroutine and reads it in another. Under the race detector that is
// ordered; if it is reported as a race, the build has linked a copy of
// sync.Map's code compiled without the detector's hooks (a package left
// out of instrumentation that inlines sync.Map, such as the SQLite
// driver), and every cache the standard library keeps in a sync.Map —
// encoding/json's, reflect's — would be reported as racing in its turn.
func TestRaceDetectorSeesSyncMap(t *testing.T) {
	var m sync.Map
	go func() {
		v := &[4]int{1, 2, 3, 4}
		m.Store("published", v)
	}()
	for {
		if v, ok := m.Load("published"); ok {
			if got := v.(*[4]int)[3]; got != 4 {
				t.Fatalf("read %d", got)
			}
			return
		}
		runtime.Gosched()
	}
}
