package access

import (
	"context"
	"errors"
	"reflect"

	"husly/internal/store"
)

// Reader is the one door from a capability's read to a response: it
// authorizes the actor for each person (once per request), lets through
// the personal values the grant allows, clears the rest, and records in
// the access log the categories actually sent. Capability reads of
// personal data take a Reader rather than a bare query handle and the
// actor.
type Reader struct {
	q       store.Queryer
	actor   Actor
	channel string
	grants  map[int64]Grant
	// refused are persons AuthorizeAll found the actor may not see.
	refused map[int64]error
	// plain are categories a read returns in plain fields (a name in a
	// list), recorded with what the redaction step lets through.
	plain map[int64]CategorySet
	// searched are number searches, logged even when nothing was found.
	searched int
}

// NewReader makes a reader for one request.
func NewReader(q store.Queryer, a Actor, channel string) *Reader {
	return &Reader{q: q, actor: a, channel: channel, grants: map[int64]Grant{}, plain: map[int64]CategorySet{}}
}

// Actor is on whose behalf the reader reads.
func (r *Reader) Actor() Actor { return r.actor }

// Q is the query handle the reader's capability reads use.
func (r *Reader) Q() store.Queryer { return r.q }

// Channel is where the data goes: page, API, export.
func (r *Reader) Channel() string { return r.channel }

// Authorize decides, once per request and person, what the actor may see.
func (r *Reader) Authorize(ctx context.Context, personID int64) (Grant, error) {
	if g, ok := r.grants[personID]; ok {
		return g, nil
	}
	if err, ok := r.refused[personID]; ok {
		return Grant{}, err
	}
	g, err := Authorize(ctx, r.q, r.actor, personID)
	if err != nil {
		return g, err
	}
	r.grants[personID] = g
	return g, nil
}

// AuthorizeAll decides for many persons in one query (AuthorizeMany);
// Authorize then answers for each of them from what was decided here.
func (r *Reader) AuthorizeAll(ctx context.Context, personIDs []int64) error {
	var todo []int64
	seen := make(map[int64]bool, len(personIDs))
	for _, id := range personIDs {
		_, granted := r.grants[id]
		_, refused := r.refused[id]
		if !granted && !refused && !seen[id] {
			seen[id] = true
			todo = append(todo, id)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	granted, refused, err := AuthorizeMany(ctx, r.q, r.actor, todo)
	if err != nil {
		return err
	}
	for id, g := range granted {
		r.grants[id] = g
	}
	if r.refused == nil {
		r.refused = map[int64]error{}
	}
	for id, err := range refused {
		r.refused[id] = err
	}
	return nil
}

// ForInternalControl widens the grant of a person already authorized in
// this request by the InternalControl rule, for a measure unit registered
// that reveals cats: the response may then carry them, and the access log
// records the read under ByInternalControl. A person not authorized, or
// refused, stays as they were.
func (r *Reader) ForInternalControl(personID, unit int64, cats ...Category) {
	g, ok := r.grants[personID]
	if !ok {
		return
	}
	r.grants[personID] = InternalControl(r.actor, g, unit, cats...)
}

// Listed records that persons were found through VisibleClause: the list
// basis grants their basic data (name, birth date) — and the identity
// number when they were found by it — and nothing else unless the person
// was also authorized in this request.
func (r *Reader) Listed(cats CategorySet, personIDs ...int64) {
	cats |= SetOf(Basic)
	for _, id := range personIDs {
		if _, ok := r.grants[id]; !ok {
			g := Grant{PersonID: id, Basis: ListBasis(r.actor), Categories: map[Category]bool{}}
			for _, c := range cats.List() {
				g.Categories[c] = true
			}
			r.grants[id] = g
		}
	}
}

// List records persons shown in a list found through VisibleClause, with
// their basic data and cats in plain fields.
func (r *Reader) List(cats CategorySet, personIDs ...int64) {
	r.Listed(cats, personIDs...)
	for _, id := range personIDs {
		r.plain[id] |= (cats | SetOf(Basic)) & r.grants[id].set()
	}
}

// Notified records persons shown from notices addressed to the actor's
// unit: the notice is the basis (ByNotice) for their basic data and the
// categories it carries, and for nothing else unless the person was also
// authorized in this request.
func (r *Reader) Notified(cats CategorySet, personIDs ...int64) {
	cats |= SetOf(Basic)
	for _, id := range personIDs {
		if _, ok := r.grants[id]; !ok {
			g := Grant{PersonID: id, Basis: ByNotice, Categories: map[Category]bool{}}
			for _, c := range cats.List() {
				g.Categories[c] = true
			}
			r.grants[id] = g
		}
		r.plain[id] |= cats & r.grants[id].set()
	}
}

// RoleAllows reports whether the actor's row in the municipality's matrix
// includes a category: what a search may match on before any person is
// known.
func (r *Reader) RoleAllows(ctx context.Context, c Category) (bool, error) {
	var n int
	err := r.q.QueryRowContext(ctx, "SELECT COUNT(*) FROM access_matrix WHERE municipality_id = ? AND role = ? AND category = ?",
		r.actor.MunicipalityID, string(r.actor.MatrixRole()), string(c)).Scan(&n)
	return n > 0, err
}

// Plain records that the response holds categories of a person in plain
// fields; the grant must include them.
func (r *Reader) Plain(personID int64, cats ...Category) error {
	g, ok := r.grants[personID]
	if !ok {
		return ErrForbidden
	}
	s := SetOf(cats...)
	if s&^g.set() != 0 {
		return ErrForbidden
	}
	r.plain[personID] |= s
	return nil
}

// SearchedNumber records a search by identity number: logged as a read of
// that category even when no one was found (person 0), so prefix probing
// leaves a trace.
func (r *Reader) SearchedNumber() { r.searched++ }

// ErrNotPointer is returned when Send is given a value it cannot redact in place.
var ErrNotPointer = errors.New("access: Send needs a pointer to the response")

// Send is the redaction step: it walks the response v (a pointer), lets
// through each personal value whose person's grant includes all its
// categories, clears the others, and writes one access-log row per person
// with the categories actually sent, durable before it returns.
func (r *Reader) Send(ctx context.Context, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return ErrNotPointer
	}
	sent := map[int64]CategorySet{}
	var order []int64
	for id, s := range r.plain {
		if s != 0 {
			sent[id] = s
			order = append(order, id)
		}
	}
	redact(rv.Elem(), func(person int64, cats CategorySet, empty bool) bool {
		g, ok := r.grants[person]
		if !ok || cats&^g.set() != 0 {
			return false
		}
		if !empty {
			if _, seen := sent[person]; !seen {
				order = append(order, person)
			}
			sent[person] |= cats
		}
		return true
	})
	reads := make([]Read, 0, len(order)+1)
	for _, id := range order {
		reads = append(reads, Read{PersonID: id, Categories: sent[id].List(), Basis: r.grants[id].Basis})
	}
	if r.searched > 0 {
		reads = append(reads, Read{PersonID: 0, Categories: []Category{IDNumber}, Basis: ListBasis(r.actor)})
	}
	r.plain, r.searched = map[int64]CategorySet{}, 0
	return LogReads(ctx, r.q, r.actor, r.channel, reads...)
}
