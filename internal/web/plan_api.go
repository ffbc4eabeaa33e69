package web

import (
	"errors"
	"net/http"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/plan"
	"husly/internal/store"
)

// Plans in the API: a follow-up's plans and their changes (each change
// names its plan in the body), the resident's own plans and comments, and
// the municipality's review cycle and out-of-hours routing.

func (s *Server) planAPIRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/api/v1/followups/{id}/plans", s.apiPlans},
		{"POST", "/api/v1/followups/{id}/plans", s.apiCreatePlan},
		{"POST", "/api/v1/followups/{id}/plans/goals", s.apiPlanGoal},
		{"POST", "/api/v1/followups/{id}/plans/measures", s.apiPlanMeasure},
		{"POST", "/api/v1/followups/{id}/plans/reviews", s.apiPlanReview},
		{"POST", "/api/v1/followups/{id}/plans/coordinator", s.apiPlanCoordinator},
		{"POST", "/api/v1/followups/{id}/plans/parts", s.apiPlanPart},
		{"POST", "/api/v1/followups/{id}/plans/members", s.apiPlanMember},
		{"POST", "/api/v1/followups/{id}/plans/meetings", s.apiPlanMeeting},
		{"POST", "/api/v1/followups/{id}/plans/tasks", s.apiPlanTask},
		{"POST", "/api/v1/followups/{id}/plans/done", s.apiPlanDone},
		{"POST", "/api/v1/followups/{id}/plans/comments", s.apiPlanComment},
		{"GET", "/api/v1/followup/plan-settings", s.apiPlanSettings},
		{"PUT", "/api/v1/followup/plan-settings", s.apiSetPlanSettings},
		{"GET", "/api/v1/me/plans", s.apiMyPlans},
		{"POST", "/api/v1/me/plans/comments", s.apiCommentMyPlan},
	}
}

// planAPIError maps the plans' errors to problem details.
func (s *Server) planAPIError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, plan.ErrNotFound) {
		writeProblem(w, r, http.StatusNotFound, invalid.F("Finnes ikke, eller du har ikke tilgang."))
		return
	}
	s.followupAPIError(w, r, err)
}

// planChange decodes a body and runs one change to a follow-up's plans in
// one transaction.
func planChange[T any](s *Server, w http.ResponseWriter, r *http.Request, u *org.User, fn func(tx *store.Tx, a access.Actor, id int64, in T) error) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in T
	if !decodeJSON(w, r, &in) {
		return
	}
	a := s.actor(r, u)
	if err := s.db.InTx(r.Context(), func(tx *store.Tx) error { return fn(tx, a, id, in) }); err != nil {
		s.planAPIError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiPlans(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	v, err := plan.Of(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id, today())
	if err != nil {
		s.planAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiCreatePlan(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in plan.Input
	if !decodeJSON(w, r, &in) {
		return
	}
	var pid int64
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		pid, err = plan.Create(r.Context(), tx, s.actor(r, u), id, in, today())
		return err
	})
	if err != nil {
		s.planAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, created{ID: pid})
}

type goalBody struct {
	PlanID int64 `json:"plan_id"`
	plan.GoalInput
}

func (s *Server) apiPlanGoal(w http.ResponseWriter, r *http.Request, u *org.User) {
	planChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in goalBody) error {
		return plan.AddGoal(r.Context(), tx, a, id, in.PlanID, in.GoalInput)
	})
}

func (s *Server) apiPlanMeasure(w http.ResponseWriter, r *http.Request, u *org.User) {
	planChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in plan.MeasureInput) error {
		return plan.AddMeasure(r.Context(), tx, a, id, in)
	})
}

func (s *Server) apiPlanReview(w http.ResponseWriter, r *http.Request, u *org.User) {
	planChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in plan.ReviewInput) error {
		return plan.Review(r.Context(), tx, a, id, in, today())
	})
}

func (s *Server) apiPlanCoordinator(w http.ResponseWriter, r *http.Request, u *org.User) {
	planChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in plan.CoordinatorInput) error {
		return plan.ChooseCoordinator(r.Context(), tx, a, id, in, today())
	})
}

func (s *Server) apiPlanPart(w http.ResponseWriter, r *http.Request, u *org.User) {
	planChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in plan.PartInput) error {
		return plan.AttachPart(r.Context(), tx, a, id, in)
	})
}

func (s *Server) apiPlanMember(w http.ResponseWriter, r *http.Request, u *org.User) {
	planChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in plan.MemberInput) error {
		return plan.AddMember(r.Context(), tx, a, id, in)
	})
}

// meetingAnswer says whether the meeting came with no task done since the
// one before.
type meetingAnswer struct {
	NoProgress bool `json:"no_task_done_since_last"`
}

func (s *Server) apiPlanMeeting(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in plan.MeetingInput
	if !decodeJSON(w, r, &in) {
		return
	}
	var warn bool
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		warn, err = plan.HoldMeeting(r.Context(), tx, s.actor(r, u), id, in, today())
		return err
	})
	if err != nil {
		s.planAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, meetingAnswer{warn})
}

func (s *Server) apiPlanTask(w http.ResponseWriter, r *http.Request, u *org.User) {
	planChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in plan.MeasureInput) error {
		return plan.AddTask(r.Context(), tx, a, id, in)
	})
}

// doneBody marks a task (or, with measure, a measure) done.
type doneBody struct {
	PlanID  int64         `json:"plan_id"`
	TaskID  int64         `json:"task_id"`
	Measure bool          `json:"measure"`
	On      deadline.Date `json:"done_on"`
}

func (s *Server) apiPlanDone(w http.ResponseWriter, r *http.Request, u *org.User) {
	planChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in doneBody) error {
		return plan.CompleteTask(r.Context(), tx, a, id, in.PlanID, in.TaskID, in.Measure, in.On, today())
	})
}

func (s *Server) apiPlanComment(w http.ResponseWriter, r *http.Request, u *org.User) {
	planChange(s, w, r, u, func(tx *store.Tx, a access.Actor, id int64, in plan.CommentInput) error {
		return plan.AddComment(r.Context(), tx, a, id, in)
	})
}

// planSettings is the municipality's review cycle and out-of-hours routing.
type planSettings struct {
	ReviewMonths int          `json:"review_months"`
	OutOfHours   []plan.Route `json:"out_of_hours"`
}

func (s *Server) apiPlanSettings(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if a.Role == access.Resident {
		s.planAPIError(w, r, access.ErrForbidden)
		return
	}
	months, err := plan.ReviewMonths(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.planAPIError(w, r, err)
		return
	}
	routes, err := plan.OutOfHours(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.planAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, planSettings{months, routes})
}

func (s *Server) apiSetPlanSettings(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if a.Role != access.UnitLeader && a.Role != access.Admin {
		s.planAPIError(w, r, access.ErrForbidden)
		return
	}
	var in planSettings
	if !decodeJSON(w, r, &in) {
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := plan.SetReviewMonths(r.Context(), tx, a, in.ReviewMonths); err != nil {
			return err
		}
		if len(in.OutOfHours) == 0 {
			return nil
		}
		return plan.SetOutOfHours(r.Context(), tx, a, in.OutOfHours)
	})
	if err != nil {
		s.planAPIError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiMyPlans(w http.ResponseWriter, r *http.Request, u *org.User) {
	plans, err := plan.Mine(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), today())
	if err != nil {
		s.planAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.Personal[plan.Plan]]{Items: plans, Limit: len(plans)})
}

func (s *Server) apiCommentMyPlan(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if a.Role != access.Resident || a.PersonID == 0 {
		s.planAPIError(w, r, access.ErrForbidden)
		return
	}
	var in plan.CommentInput
	if !decodeJSON(w, r, &in) {
		return
	}
	if err := s.db.InTx(r.Context(), func(tx *store.Tx) error { return plan.AddComment(r.Context(), tx, a, 0, in) }); err != nil {
		s.planAPIError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
