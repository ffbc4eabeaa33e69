package people

import (
	"context"

	"husly/internal/access"
	"husly/internal/store"
)

// ListNewest pages through the municipality's persons newest registered
// first, the page after the person with id after (0 for the first page).
// Ids are given in the order persons are registered, so the id is both
// the order and the key (keyset paging, one column). Who is listed and
// how it is logged, and the filter, are as for List.
func ListNewest(ctx context.Context, q store.Queryer, actor access.Actor, channel string, f CaseFilter, after int64, limit int) ([]Person, error) {
	if !actor.SeesPersons() {
		return nil, access.ErrForbidden
	}
	cats, err := f.categories(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	v, err := access.Visible(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	query, args := visiblePersons(v, actor.MunicipalityID)
	cond, cargs := f.clause()
	query, args = query+cond, append(args, cargs...)
	if after > 0 {
		query += " AND p.id < ?"
		args = append(args, after)
	}
	ps, err := queryPersons(ctx, q, query+" ORDER BY p.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	return ps, sendListed(ctx, access.NewReader(q, actor, channel), cats, ps)
}
