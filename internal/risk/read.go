package risk

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/phrase"
	"husly/internal/store"
)

// Reason is one reason on the list, as the viewer sees it.
type Reason struct {
	Kind     Kind            `json:"kind"`
	Reason   phrase.Phrase   `json:"reason"`
	Urgency  int             `json:"urgency"`
	Since    deadline.Date   `json:"since"`
	Category access.Category `json:"category"`
}

// Home is where the tenancy is: it reveals the tenancy.
type Home struct {
	LeaseID    int64  `json:"lease_id,omitempty"`
	Address    string `json:"address"`
	BuildingID int64  `json:"building_id,omitempty"`
	Building   string `json:"building,omitempty"`
}

// Row is one tenancy on the list.
type Row struct {
	PersonID int64                     `json:"person_id"`
	Name     string                    `json:"name"`
	Home     access.Personal[Home]     `json:"home"`
	Urgency  int                       `json:"urgency"`
	Since    deadline.Date             `json:"since"`
	Reasons  []access.Personal[Reason] `json:"reasons"`
}

// Building is a building to filter the list by.
type Building struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// List is the risk list as one viewer may see it.
type List struct {
	Rows []access.Personal[Row] `json:"rows"`
	// Total is how many tenancies the viewer may see on the list; Rows
	// holds the most urgent up to the limit.
	Total     int        `json:"total"`
	Buildings []Building `json:"buildings"`
	// ByBuilding sums the whole list (not only Rows) per building with
	// risks, most urgent first: figures only, no person named.
	ByBuilding []BuildingRisk `json:"by_building"`
}

// BuildingRisk is one building's part of the risk list as the viewer may
// see it: how many tenancies are at risk, their summed urgency, and how
// many of them have each kind of reason.
type BuildingRisk struct {
	ID        int64       `json:"id"`
	Name      string      `json:"name"`
	Tenancies int         `json:"tenancies"`
	Urgency   int         `json:"urgency"`
	Reasons   []KindCount `json:"reasons"`
}

// KindCount is how many tenancies have a kind of reason.
type KindCount struct {
	Kind  Kind `json:"kind"`
	Count int  `json:"count"`
}

// byBuilding sums ranked entries per building, most urgent building
// first, then by the number of tenancies and the name; each building's
// reasons most frequent first. An entry without a building, or whose home
// the viewer may not see (homeShown: the tenancy category, as on the
// list's rows), is left out. It reads nothing: the entries are the list's
// own, kept by the same rules.
func byBuilding(entries []Entry, names []Building, homeShown func(person int64) bool) []BuildingRisk {
	name := make(map[int64]string, len(names))
	for _, b := range names {
		name[b.ID] = b.Name
	}
	index := map[int64]int{}
	out := []BuildingRisk{}
	for _, e := range entries {
		if e.BuildingID == 0 || homeShown != nil && !homeShown(e.PersonID) {
			continue
		}
		i, ok := index[e.BuildingID]
		if !ok {
			i = len(out)
			index[e.BuildingID] = i
			out = append(out, BuildingRisk{ID: e.BuildingID, Name: name[e.BuildingID], Reasons: []KindCount{}})
		}
		b := &out[i]
		b.Tenancies++
		b.Urgency += e.Urgency
		var kinds []Kind
		for _, s := range e.Signals {
			if !slices.Contains(kinds, s.Kind) {
				kinds = append(kinds, s.Kind)
			}
		}
		for _, k := range kinds {
			j := slices.IndexFunc(b.Reasons, func(c KindCount) bool { return c.Kind == k })
			if j < 0 {
				b.Reasons = append(b.Reasons, KindCount{Kind: k})
				j = len(b.Reasons) - 1
			}
			b.Reasons[j].Count++
		}
	}
	for i := range out {
		slices.SortStableFunc(out[i].Reasons, func(a, b KindCount) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return cmp.Compare(a.Kind, b.Kind)
		})
	}
	slices.SortStableFunc(out, func(a, b BuildingRisk) int {
		if c := cmp.Compare(b.Urgency, a.Urgency); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Tenancies, a.Tenancies); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// authorizeChunk bounds the persons decided in one statement, well under
// both engines' limits on bound parameters (AuthorizeMany binds the ids
// four times: 8,000 of SQLite's 32,766 and PostgreSQL's 65,535).
const authorizeChunk = 2000

// Read gathers the signals of every source, keeps those the viewer may
// see — the viewer's relationship to each person and the role's
// categories decide, for all persons at once (access.AuthorizeMany), not
// per row — ranks them, and returns the most urgent up to limit with the
// residents' names and homes. Every person shown is logged as read with
// the categories shown (the reasons' categories, the home as tenancy).
func Read(ctx context.Context, rd *access.Reader, query Query, limit int) (List, error) {
	a := rd.Actor()
	out := List{Rows: []access.Personal[Row]{}, Buildings: []Building{}, ByBuilding: []BuildingRisk{}}
	if !a.SeesPersons() {
		return out, access.ErrForbidden
	}
	query.Municipality = a.MunicipalityID
	q := rd.Q()
	signals, err := Collect(ctx, q, query)
	if err != nil {
		return out, err
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, s := range signals {
		if !seen[s.PersonID] {
			seen[s.PersonID] = true
			ids = append(ids, s.PersonID)
		}
	}
	for i := 0; i < len(ids); i += authorizeChunk {
		if err := rd.AuthorizeAll(ctx, ids[i:min(i+authorizeChunk, len(ids))]); err != nil {
			return out, err
		}
	}
	grants := make(map[int64]access.Grant, len(ids))
	for _, id := range ids {
		g, err := rd.Authorize(ctx, id)
		switch {
		case err == nil:
			grants[id] = g
		case errors.Is(err, access.ErrForbidden), errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted),
			errors.Is(err, access.ErrUnknownPerson), errors.Is(err, access.ErrReasonRequired):
			// Not on this viewer's list.
		default:
			return out, err
		}
	}
	entries := Rank(signals, func(p int64, c access.Category) bool {
		g, ok := grants[p]
		return ok && g.Allows(access.Basic) && g.Allows(c)
	})
	out.Total = len(entries)
	if out.Buildings, err = buildings(ctx, q, a.MunicipalityID); err != nil {
		return out, err
	}
	out.ByBuilding = byBuilding(entries, out.Buildings, func(p int64) bool { return grants[p].Allows(access.Tenancy) })
	if limit > 0 && len(entries) > limit {
		entries = entries[:limit]
	}
	names, homes, err := namesAndHomes(ctx, q, a.MunicipalityID, entries)
	if err != nil {
		return out, err
	}
	for _, e := range entries {
		r := Row{PersonID: e.PersonID, Name: names[e.PersonID], Urgency: e.Urgency, Since: e.Since}
		if h, ok := homes[e.LeaseID]; ok {
			r.Home = access.Tag(e.PersonID, h, access.Tenancy)
		}
		for _, s := range e.Signals {
			r.Reasons = append(r.Reasons, access.Tag(e.PersonID, Reason{Kind: s.Kind, Reason: s.Reason, Urgency: s.Urgency, Since: s.Since, Category: s.Category}, s.Category))
		}
		out.Rows = append(out.Rows, access.Tag(e.PersonID, r, access.Basic))
	}
	return out, rd.Send(ctx, &out)
}

// buildings lists the municipality's buildings for the filter.
func buildings(ctx context.Context, q store.Queryer, municipalityID int64) ([]Building, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, name FROM buildings WHERE municipality_id = ? ORDER BY name, id", municipalityID)
	return store.Collect(rows, err, func(s store.Scanner) (b Building, err error) { return b, s.Scan(&b.ID, &b.Name) })
}

// namesAndHomes reads the names of the persons and the homes of the
// leases on a page of the list, in two statements.
func namesAndHomes(ctx context.Context, q store.Queryer, municipalityID int64, entries []Entry) (map[int64]string, map[int64]Home, error) {
	names, homes := map[int64]string{}, map[int64]Home{}
	var persons, leases []int64
	for _, e := range entries {
		persons = append(persons, e.PersonID)
		if e.LeaseID != 0 {
			leases = append(leases, e.LeaseID)
		}
	}
	if len(persons) == 0 {
		return names, homes, nil
	}
	in, args := store.In(persons)
	rows, err := q.QueryContext(ctx, "SELECT id, first_name || ' ' || last_name FROM persons WHERE municipality_id = ? AND id IN "+in,
		append([]any{municipalityID}, args...)...)
	type name struct {
		id   int64
		name string
	}
	ns, err := store.Collect(rows, err, func(s store.Scanner) (n name, err error) { return n, s.Scan(&n.id, &n.name) })
	if err != nil {
		return nil, nil, err
	}
	for _, n := range ns {
		names[n.id] = n.name
	}
	if len(leases) == 0 {
		return names, homes, nil
	}
	in, args = store.In(leases)
	rows, err = q.QueryContext(ctx, `SELECT l.id, u.address, COALESCE(b.id, 0), COALESCE(b.name, '') FROM leases l JOIN units u ON u.id = l.unit_id
		LEFT JOIN buildings b ON b.id = u.building_id WHERE l.municipality_id = ? AND l.id IN `+in, append([]any{municipalityID}, args...)...)
	hs, err := store.Collect(rows, err, func(s store.Scanner) (h Home, err error) {
		return h, s.Scan(&h.LeaseID, &h.Address, &h.BuildingID, &h.Building)
	})
	if err != nil {
		return nil, nil, err
	}
	for _, h := range hs {
		homes[h.LeaseID] = h
	}
	return names, homes, nil
}
