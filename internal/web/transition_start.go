package web

import (
	"husly/internal/org"
	"net/http"

	"husly/internal/access"
	"husly/internal/homecheck"
	"husly/internal/transition"
	"husly/internal/workday"
)

// keepingStart is the start page's small panel on transitions and home
// visits: the actor's own transitions that have reached an alert (8, 4
// or 2 weeks), the stays in temporary housing over their limit that the
// actor answers for, and the open tasks from home visits for their role.
type keepingStart struct {
	Alerts    []access.Personal[transition.Transition] `json:"transition_alerts,omitempty"`
	LongStays []access.Personal[transition.LongStay]   `json:"long_stays,omitempty"`
	Tasks     []access.Personal[homecheck.Task]        `json:"home_check_tasks,omitempty"`
	Due       []access.Personal[homecheck.DueVisit]    `json:"visits_due,omitempty"`
	Plans     bool                                     `json:"-"`
	Visits    bool                                     `json:"-"`
}

// keepingFor reads the panel for the roles that have one; each list is one
// query with the panel's limit, read through the access rules and logged.
func (s *Server) keepingFor(r *http.Request, a access.Actor, channel string) (*keepingStart, error) {
	k := &keepingStart{Plans: planner(a), Visits: a.Role == access.Property || a.Role == access.FollowUp || a.Role == access.UnitLeader}
	if !k.Plans && !k.Visits {
		return nil, nil
	}
	ctx := r.Context()
	day := today()
	rd := access.NewReader(s.db, a, channel)
	set, err := transition.LoadSettings(ctx, s.db, a.MunicipalityID)
	if err != nil {
		return nil, err
	}
	if k.Plans {
		if k.Alerts, err = transition.Alerts(ctx, rd, day, workday.PanelLimit); err != nil {
			return nil, err
		}
		if k.LongStays, err = transition.LongStays(ctx, rd, set, day, workday.PanelLimit); err != nil {
			return nil, err
		}
	}
	if k.Visits {
		if k.Tasks, err = homecheck.Tasks(ctx, rd, workday.PanelLimit); err != nil {
			return nil, err
		}
		if k.Due, err = homecheck.DueVisits(ctx, rd, set.VisitWeeks, set.CheckMonths, day, 7, workday.PanelLimit); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// unitVisits are the visits made to a unit's leases with their findings,
// for the unit page: for the roles that make visits, read through the
// access rules and logged; nil for the others.
func (s *Server) unitVisits(r *http.Request, u *org.User, unitID int64) ([]access.Personal[homecheck.Check], error) {
	a := s.actor(r, u)
	if a.Role != access.Property && a.Role != access.FollowUp && a.Role != access.UnitLeader {
		return nil, nil
	}
	return homecheck.OfUnit(r.Context(), access.NewReader(s.db, a, access.ChannelPage), unitID, 10)
}
