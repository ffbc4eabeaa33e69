// Package risk gathers why a tenancy may be lost, from every capability that
// knows a reason (arrears, complaints, missed follow-up contacts, a step on
// the escalation ladder, a lease ending without a renewal decision), and
// ranks the tenancies most urgent first (issue "Keeping the home"; seed 004:
// help that comes before the eviction, not after).
//
// Each capability registers a Source at init; a Source answers with its
// signals for one municipality in one query. Ranking is pure: it groups the
// signals per person and lease and orders them by urgency, so the list can be
// tested without a database and costs one query per source, whatever the
// number of leases.
package risk

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/phrase"
	"husly/internal/store"
)

// Signal is one reason one tenancy is at risk.
type Signal struct {
	Kind       Kind
	PersonID   int64
	LeaseID    int64 // 0 when the reason is not tied to one lease
	UnitID     int64 // 0 when not known
	BuildingID int64 // 0 when not known
	Since      deadline.Date
	// Urgency is 0–100; the sum over a tenancy's signals orders the list.
	Urgency int
	// Reason says it in the reader's language, e.g. "3 forfall ubetalt,
	// 14 250 kr".
	Reason phrase.Phrase
	// Category is what the reason reveals about the person: arrears reveal
	// finances, a missed contact reveals follow-up; a viewer sees the
	// signal only with that category.
	Category access.Category
}

// Query narrows the signals a source reads.
type Query struct {
	Municipality int64
	Today        deadline.Date
	BuildingID   int64 // 0: every building
	PersonID     int64 // 0: every person
}

// Source reads one kind of signal for a municipality, in one query.
type Source func(ctx context.Context, q store.Queryer, query Query) ([]Signal, error)

var (
	mu      sync.RWMutex
	sources = map[Kind]Source{}
)

// Register adds the source of one kind of signal. A kind registered twice is
// a programming error.
func Register(kind Kind, src Source) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := sources[kind]; dup {
		panic("risk: source registered twice: " + string(kind))
	}
	sources[kind] = src
}

// Kinds lists the registered kinds, sorted.
func Kinds() []Kind {
	mu.RLock()
	defer mu.RUnlock()
	kinds := make([]Kind, 0, len(sources))
	for k := range sources {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return kinds
}

// Collect reads every registered source, in a fixed order.
func Collect(ctx context.Context, q store.Queryer, query Query) ([]Signal, error) {
	var all []Signal
	for _, k := range Kinds() {
		mu.RLock()
		src := sources[k]
		mu.RUnlock()
		s, err := src(ctx, q, query)
		if err != nil {
			return nil, err
		}
		all = append(all, s...)
	}
	return all, nil
}

// Entry is one tenancy on the list with every reason the viewer may see.
type Entry struct {
	PersonID   int64
	LeaseID    int64
	BuildingID int64
	Urgency    int           // the sum of the signals' urgency
	Since      deadline.Date // the oldest signal
	Signals    []Signal      // most urgent first
}

// Rank keeps the signals the viewer may see (allowed reports whether a
// category of a person is visible; nil keeps all), groups them per person
// and lease (a person's signals without a lease join their lease when they
// have exactly one), and orders the entries by urgency, then by the oldest
// signal, then by person.
func Rank(signals []Signal, allowed func(person int64, c access.Category) bool) []Entry {
	type key struct{ person, lease int64 }
	leasesOf := map[int64][]int64{}
	for _, s := range signals {
		if s.LeaseID != 0 && !slices.Contains(leasesOf[s.PersonID], s.LeaseID) {
			leasesOf[s.PersonID] = append(leasesOf[s.PersonID], s.LeaseID)
		}
	}
	byKey := map[key]*Entry{}
	var order []key
	for _, s := range signals {
		if allowed != nil && !allowed(s.PersonID, s.Category) {
			continue
		}
		lease := s.LeaseID
		if lease == 0 && len(leasesOf[s.PersonID]) == 1 {
			lease = leasesOf[s.PersonID][0]
		}
		k := key{s.PersonID, lease}
		e := byKey[k]
		if e == nil {
			e = &Entry{PersonID: s.PersonID, LeaseID: lease, Since: s.Since}
			byKey[k] = e
			order = append(order, k)
		}
		if e.BuildingID == 0 {
			e.BuildingID = s.BuildingID
		}
		e.Urgency += s.Urgency
		if s.Since.Before(e.Since) {
			e.Since = s.Since
		}
		e.Signals = append(e.Signals, s)
	}
	out := make([]Entry, 0, len(order))
	for _, k := range order {
		e := byKey[k]
		slices.SortStableFunc(e.Signals, func(a, b Signal) int { return cmp.Compare(b.Urgency, a.Urgency) })
		out = append(out, *e)
	}
	slices.SortStableFunc(out, func(a, b Entry) int {
		if c := cmp.Compare(b.Urgency, a.Urgency); c != 0 {
			return c
		}
		if a.Since != b.Since {
			if a.Since.Before(b.Since) {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.PersonID, b.PersonID)
	})
	return out
}
