package people

import (
	"context"
	"strings"

	"husly/internal/access"
	"husly/internal/store"
)

// CaseFilter narrows the person list to persons with an open housing case
// in one of Statuses, handled by the case worker WorkerID when it is not
// 0. The zero filter lists everyone the actor may find.
//
// A person listed through it is known to have applied for housing: that
// is the housing-needs category (GDPR art. 5(1)(c): only for a role that
// reads it), so the filter asks for it and the list logs it as read.
type CaseFilter struct {
	Statuses []string
	WorkerID int64
}

// Active reports whether the filter narrows the list.
func (f CaseFilter) Active() bool { return len(f.Statuses) > 0 || f.WorkerID != 0 }

// clause is the filter's condition on persons p: one EXISTS over the
// applications' person index, so the list stays one query.
func (f CaseFilter) clause() (string, []any) {
	if !f.Active() {
		return "", nil
	}
	cond := " AND EXISTS (SELECT 1 FROM applications fa WHERE fa.person_id = p.id AND fa.municipality_id = p.municipality_id"
	var args []any
	if len(f.Statuses) > 0 {
		cond += " AND fa.status IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(f.Statuses)), ", ") + ")"
		for _, s := range f.Statuses {
			args = append(args, s)
		}
	}
	if f.WorkerID != 0 {
		cond += " AND fa.case_worker_id = ?"
		args = append(args, f.WorkerID)
	}
	return cond + ")", args
}

// categories are what listing through f reveals beyond basic data; an
// active filter needs the housing-needs category in the actor's role.
func (f CaseFilter) categories(ctx context.Context, q store.Queryer, actor access.Actor) (access.CategorySet, error) {
	if !f.Active() {
		return 0, nil
	}
	ok, err := access.NewReader(q, actor, "").RoleAllows(ctx, access.HousingNeeds)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, access.ErrForbidden
	}
	return access.SetOf(access.HousingNeeds), nil
}
