package web

import "sync"

// The first time a kind of response is made, the standard library fills
// its caches for the types involved: encoding/json builds a type's
// encoder, and text/template's method calls through reflect build
// function types. Under the race detector, two requests doing that for
// the same types at once were reported as racing inside those caches.
// firstUses makes each kind's first response one at a time, under a lock
// every later response of any kind passes too, so every later use is
// ordered after the caches were filled.
var firstUses = firstUse{seen: map[any]bool{}}

type firstUse struct {
	sync.Mutex
	seen map[any]bool
}

// do runs fn under the lock the first time key is seen, and outside it
// after that.
func (f *firstUse) do(key any, fn func()) {
	f.Lock()
	if !f.seen[key] {
		defer f.Unlock()
		fn()
		f.seen[key] = true
		return
	}
	f.Unlock()
	fn()
}
