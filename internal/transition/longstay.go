package transition

import (
	"context"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/store"
)

// LongStay is a stay in temporary housing that has gone on past the
// municipality's limit for its household, as an alert to whoever answers
// for the route out. Temporary housing is NAV's duty under
// sosialtjenesteloven § 27 and should be short, for families with children
// shortest (Bolig for velferd; DOMAIN.md §2 step 10).
type LongStay struct {
	Stay
	// LimitDays is the limit the stay is over: the family limit when
	// children live with the person.
	LimitDays int `json:"limit_days"`
}

// responsibleClause narrows stays s (with persons p) to those the actor
// answers for: the person's case worker, that is the case worker of the
// newest application with an active one (as Feed gives a transition), or,
// when no application has one, every one in the unit of the person's
// newest application, or in the municipality's housing office when the
// person has no application at all.
func responsibleClause(a access.Actor) (string, []any) {
	return `(w.case_worker_id = ? OR (w.id IS NULL AND COALESCE(n.org_unit_id,
		(SELECT MIN(o.id) FROM org_units o WHERE o.municipality_id = s.municipality_id AND o.kind = 'boligkontor')) = ?))`, []any{a.UserID, a.OrgUnitID}
}

// responsibleJoins find the application with the case worker (w) and the
// newest application (n) of the stay's person.
const responsibleJoins = ` LEFT JOIN applications w ON w.id = (SELECT MAX(x.id) FROM applications x JOIN users u ON u.id = x.case_worker_id
		AND u.municipality_id = x.municipality_id WHERE x.municipality_id = s.municipality_id AND x.person_id = s.person_id AND u.active = ?)
	LEFT JOIN applications n ON n.id = (SELECT MAX(x.id) FROM applications x WHERE x.municipality_id = s.municipality_id AND x.person_id = s.person_id)`

// LongStays reads the stays going on today that are over their limit and
// that the actor answers for (responsibleClause), for the start page:
// computed on read from the stays themselves, so an alert comes and goes
// with the stay and the limits and never goes stale. Stays with children
// come first (DOMAIN.md §2: families should not live in temporary housing
// beyond a short time), then the longest. One query with a LIMIT; the
// persons shown are read through the access rules and logged, the
// household with them when children live there.
func LongStays(ctx context.Context, rd *access.Reader, set Settings, today deadline.Date, limit int) ([]access.Personal[LongStay], error) {
	a := rd.Actor()
	if !plans(a) {
		return nil, access.ErrForbidden
	}
	if limit <= 0 || limit > 100 {
		limit = 8
	}
	visible, vargs := access.VisibleClause(a)
	mine, margs := responsibleClause(a)
	// A stay is long when its nights so far pass the limit (Settings.Judge):
	// it began before today less the limit.
	args := []any{true, a.MunicipalityID, today, today.AddDays(-set.FamilyStayDays), today.AddDays(-set.StayDays)}
	rows, err := rd.Q().QueryContext(ctx, `SELECT `+stayColumns+` FROM temporary_stays s JOIN persons p ON p.id = s.person_id`+responsibleJoins+`
		WHERE s.municipality_id = ? AND (s.end_on IS NULL OR s.end_on > ?)
		AND ((s.children > 0 AND s.start_on < ?) OR (s.children = 0 AND s.start_on < ?))
		AND `+mine+` AND `+visible+`
		ORDER BY s.children > 0 DESC, s.start_on, s.id LIMIT ?`, join(args, margs, vargs, []any{limit})...)
	stays, err := store.Collect(rows, err, scanStay)
	if err != nil {
		return nil, err
	}
	var list []LongStay
	for _, s := range stays {
		if s = set.Judge(s, today); s.Long {
			list = append(list, LongStay{Stay: s, LimitDays: set.Limit(s.Children)})
		}
	}
	ids := make([]int64, len(list))
	for i, s := range list {
		ids[i] = s.PersonID
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return nil, err
	}
	out := make([]access.Personal[LongStay], len(list))
	for i, s := range list {
		out[i] = access.Tag(s.PersonID, s, stayCategories(s.Stay)...)
	}
	if err := rd.Send(ctx, &out); err != nil {
		return nil, err
	}
	return access.OnlyShown(out), nil
}

func join(parts ...[]any) []any {
	var out []any
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
