package plan

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/store"
)

// Plan is one plan with everything in it, as staff and the resident read it.
type Plan struct {
	ID           int64         `json:"id"`
	FollowUpID   int64         `json:"followup_id"`
	PersonID     int64         `json:"person_id"`
	Kind         Kind          `json:"kind"`
	Title        string        `json:"title,omitempty"`
	Start        deadline.Date `json:"start_on"`
	ReviewMonths int           `json:"review_months,omitempty"`
	NextReview   deadline.Date `json:"next_review_on,omitzero"`
	// ReviewDue is set when the next review's day has come.
	ReviewDue bool  `json:"review_due"`
	ConsentID int64 `json:"consent_id,omitempty"`
	// The individual plan's coordinator, chosen with the person.
	CoordinatorID     int64         `json:"coordinator_id,omitempty"`
	CoordinatorName   string        `json:"coordinator_name,omitempty"`
	CoordinatorChosen deadline.Date `json:"coordinator_chosen_on,omitzero"`
	CoordinatorAgreed string        `json:"coordinator_agreed,omitempty"`
	// NoCoordinator is an individual plan still without one (an alert).
	NoCoordinator bool `json:"no_coordinator"`
	// The crisis plan: the warning signs reveal health and are shown only
	// where health is open; what helps and whom to call are follow-up.
	WarningSigns access.Personal[string] `json:"warning_signs"`
	WhatHelps    string                  `json:"what_helps,omitempty"`
	WhoToCall    string                  `json:"who_to_call,omitempty"`
	Routes       []Route                 `json:"out_of_hours,omitempty"`
	CreatedBy    string                  `json:"created_by"`
	Goals        []Goal                  `json:"goals"`
	Measures     []Measure               `json:"measures"`
	Reviews      []ReviewRecord          `json:"reviews"`
	Comments     []CommentRecord         `json:"comments"`
	Parts        []Part                  `json:"parts"`
	Members      []Member                `json:"members"`
	Meetings     []Meeting               `json:"meetings"`
	Tasks        []Task                  `json:"tasks"`
}

// Goal is a goal in the resident's own words.
type Goal struct {
	ID         int64       `json:"id"`
	Words      string      `json:"words"`
	Dimensions []Dimension `json:"dimensions"`
	Area       Area        `json:"area"`
	By         string      `json:"written_by"`
}

// Measure is a measure towards a goal.
type Measure struct {
	ID          int64         `json:"id"`
	GoalID      int64         `json:"goal_id,omitempty"`
	What        string        `json:"what"`
	Responsible string        `json:"responsible"`
	Due         deadline.Date `json:"due_on,omitzero"`
	Done        deadline.Date `json:"done_on,omitzero"`
}

// ReviewRecord is one review.
type ReviewRecord struct {
	On      deadline.Date `json:"reviewed_on"`
	Summary string        `json:"summary"`
	Next    deadline.Date `json:"next_review_on"`
	By      string        `json:"reviewed_by"`
}

// CommentRecord is a comment or proposal.
type CommentRecord struct {
	Kind       CommentKind `json:"kind"`
	Body       string      `json:"body"`
	ByResident bool        `json:"by_resident"`
	Author     string      `json:"author"`
	At         time.Time   `json:"at"`
}

// Part is a part plan's reference.
type Part struct {
	Kind      PartKind `json:"kind"`
	Reference string   `json:"reference"`
	HeldBy    string   `json:"held_by"`
}

// Member is a responsibility group's member.
type Member struct {
	Name      string `json:"name"`
	Agency    Agency `json:"agency"`
	Role      string `json:"role,omitempty"`
	ConsentID int64  `json:"outside_consent_id,omitempty"`
}

// Meeting is a responsibility group's meeting.
type Meeting struct {
	On         deadline.Date `json:"held_on"`
	Agenda     string        `json:"agenda"`
	Minutes    string        `json:"minutes,omitempty"`
	NoProgress bool          `json:"no_task_done_since_last"`
}

// Task is a responsibility group's task.
type Task struct {
	ID    int64         `json:"id"`
	What  string        `json:"what"`
	Owner string        `json:"owner"`
	Due   deadline.Date `json:"due_on"`
	Done  deadline.Date `json:"done_on,omitzero"`
}

const planColumns = `p.id, p.followup_id, p.person_id, p.kind, p.title, p.start_on, p.review_months, p.next_review_on, COALESCE(p.consent_id, 0),
	COALESCE(p.coordinator_id, 0), p.coordinator_name, p.coordinator_chosen_on, p.coordinator_agreed, p.warning_signs, p.what_helps, p.who_to_call, p.created_by`

// load reads the plans matching cond with all their parts in a fixed
// number of statements.
func load(ctx context.Context, q store.Queryer, municipalityID int64, today deadline.Date, cond string, args ...any) ([]Plan, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+planColumns+` FROM plans p WHERE p.municipality_id = ? AND `+cond+` ORDER BY p.start_on DESC, p.id DESC`,
		append([]any{municipalityID}, args...)...)
	plans, err := store.Collect(rows, err, func(s store.Scanner) (p Plan, err error) {
		var warn string
		err = s.Scan(&p.ID, &p.FollowUpID, &p.PersonID, &p.Kind, &p.Title, &p.Start, &p.ReviewMonths, &p.NextReview, &p.ConsentID,
			&p.CoordinatorID, &p.CoordinatorName, &p.CoordinatorChosen, &p.CoordinatorAgreed, &warn, &p.WhatHelps, &p.WhoToCall, &p.CreatedBy)
		if p.Kind == Crisis {
			p.WarningSigns = access.Tag(p.PersonID, warn, access.FollowUpPlan, access.Health)
		}
		p.ReviewDue = p.Kind.Reviewed() && !p.NextReview.IsZero() && !today.Before(p.NextReview)
		p.NoCoordinator = p.Kind == Individual && p.CoordinatorID == 0
		return p, err
	})
	if err != nil || len(plans) == 0 {
		return plans, err
	}
	ids := make([]int64, len(plans))
	for i, p := range plans {
		ids[i] = p.ID
	}
	in, inArgs := store.In(ids)
	child := func(query string) (*sql.Rows, error) {
		return q.QueryContext(ctx, query+" WHERE plan_id IN "+in+" ORDER BY plan_id, id", inArgs...)
	}
	rows, err = child(`SELECT plan_id, id, words, dimensions, area, created_by FROM plan_goals`)
	goals, err := store.CollectBy(rows, err, func(s store.Scanner) (g Goal, err error) {
		var ds string
		err = s.Scan(&g.ID, &g.Words, &ds, &g.Area, &g.By)
		g.Dimensions = []Dimension{}
		for _, d := range strings.Split(ds, ",") {
			if d != "" {
				g.Dimensions = append(g.Dimensions, Dimension(d))
			}
		}
		return g, err
	})
	if err != nil {
		return nil, err
	}
	rows, err = child(`SELECT plan_id, id, COALESCE(goal_id, 0), what, responsible, due_on, done_on FROM plan_measures`)
	measures, err := store.CollectBy(rows, err, func(s store.Scanner) (m Measure, err error) {
		return m, s.Scan(&m.ID, &m.GoalID, &m.What, &m.Responsible, &m.Due, &m.Done)
	})
	if err != nil {
		return nil, err
	}
	rows, err = child(`SELECT plan_id, reviewed_on, summary, next_review_on, reviewed_by FROM plan_reviews`)
	reviews, err := store.CollectBy(rows, err, func(s store.Scanner) (v ReviewRecord, err error) {
		return v, s.Scan(&v.On, &v.Summary, &v.Next, &v.By)
	})
	if err != nil {
		return nil, err
	}
	rows, err = child(`SELECT plan_id, kind, body, by_resident, author, created_at FROM plan_comments`)
	comments, err := store.CollectBy(rows, err, func(s store.Scanner) (c CommentRecord, err error) {
		return c, s.Scan(&c.Kind, &c.Body, &c.ByResident, &c.Author, store.ScanTime(&c.At))
	})
	if err != nil {
		return nil, err
	}
	rows, err = child(`SELECT plan_id, kind, reference, held_by FROM plan_parts`)
	parts, err := store.CollectBy(rows, err, func(s store.Scanner) (x Part, err error) { return x, s.Scan(&x.Kind, &x.Reference, &x.HeldBy) })
	if err != nil {
		return nil, err
	}
	rows, err = child(`SELECT plan_id, name, agency, role, COALESCE(outside_consent_id, 0) FROM plan_members`)
	members, err := store.CollectBy(rows, err, func(s store.Scanner) (m Member, err error) {
		return m, s.Scan(&m.Name, &m.Agency, &m.Role, &m.ConsentID)
	})
	if err != nil {
		return nil, err
	}
	rows, err = child(`SELECT plan_id, held_on, agenda, minutes, no_progress FROM plan_meetings`)
	meetings, err := store.CollectBy(rows, err, func(s store.Scanner) (m Meeting, err error) {
		return m, s.Scan(&m.On, &m.Agenda, &m.Minutes, &m.NoProgress)
	})
	if err != nil {
		return nil, err
	}
	rows, err = child(`SELECT plan_id, id, what, owner, due_on, done_on FROM plan_tasks`)
	tasks, err := store.CollectBy(rows, err, func(s store.Scanner) (t Task, err error) {
		return t, s.Scan(&t.ID, &t.What, &t.Owner, &t.Due, &t.Done)
	})
	if err != nil {
		return nil, err
	}
	var routes []Route
	for i := range plans {
		p := &plans[i]
		p.Goals, p.Measures, p.Reviews = store.Of(goals, p.ID), store.Of(measures, p.ID), store.Of(reviews, p.ID)
		p.Comments, p.Parts, p.Members = store.Of(comments, p.ID), store.Of(parts, p.ID), store.Of(members, p.ID)
		p.Meetings, p.Tasks = store.Of(meetings, p.ID), store.Of(tasks, p.ID)
		if p.Kind == Crisis {
			if routes == nil {
				if routes, err = OutOfHours(ctx, q, municipalityID); err != nil {
					return nil, err
				}
			}
			p.Routes = routes
		}
	}
	return plans, nil
}

// View is a follow-up's plans as its page and API show them.
type View struct {
	FollowUpID int64                   `json:"followup_id"`
	TeamID     int64                   `json:"team_id"`
	PersonName access.Personal[string] `json:"person_name"`
	Plans      []access.Personal[Plan] `json:"plans"`
}

// Of is the plans of one follow-up, read through the access rules and
// logged: follow-up for the plans, and health too for a crisis plan's
// warning signs where the reader's grant includes it. Property staff never
// see plans.
func Of(ctx context.Context, rd *access.Reader, followUpID int64, today deadline.Date) (View, error) {
	a := rd.Actor()
	f, err := followUpOf(ctx, rd.Q(), a.MunicipalityID, followUpID)
	if err != nil {
		return View{}, err
	}
	g, err := rd.Authorize(ctx, f.PersonID)
	if err != nil {
		return View{}, err
	}
	if a.Role == access.Property || !g.Allows(access.FollowUpPlan) {
		return View{}, access.ErrForbidden
	}
	plans, err := load(ctx, rd.Q(), a.MunicipalityID, today, "p.followup_id = ?", followUpID)
	if err != nil {
		return View{}, err
	}
	var name string
	if err := rd.Q().QueryRowContext(ctx, `SELECT first_name || ' ' || last_name FROM persons WHERE id = ?`, f.PersonID).Scan(&name); err != nil {
		return View{}, err
	}
	v := View{FollowUpID: f.ID, TeamID: f.TeamID, PersonName: access.Tag(f.PersonID, name, access.Basic), Plans: tag(plans)}
	return v, rd.Send(ctx, &v)
}

// Mine is the resident's own plans for Min side, read as the person's own
// access (logged with the basis "egen", as Min side logs every read).
func Mine(ctx context.Context, rd *access.Reader, today deadline.Date) ([]access.Personal[Plan], error) {
	a := rd.Actor()
	if a.Role != access.Resident || a.PersonID == 0 {
		return nil, access.ErrForbidden
	}
	if _, err := rd.Authorize(ctx, a.PersonID); err != nil {
		return nil, err
	}
	plans, err := load(ctx, rd.Q(), a.MunicipalityID, today, "p.person_id = ?", a.PersonID)
	if err != nil {
		return nil, err
	}
	out := tag(plans)
	return out, rd.Send(ctx, &out)
}

func tag(plans []Plan) []access.Personal[Plan] {
	out := make([]access.Personal[Plan], len(plans))
	for i, p := range plans {
		out[i] = access.Tag(p.PersonID, p, access.FollowUpPlan)
	}
	return out
}
