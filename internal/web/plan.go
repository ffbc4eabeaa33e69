package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/plan"
	"husly/internal/store"
)

// Plans in follow-up: the follow-up's plans page (under .../oversikt, since
// a GET of /oppfolging/{id}/planer would clash with /oppfolging/team/{id}) for staff (action plan,
// individual plan, crisis plan, responsibility group) with its forms, and
// the resident's own plans on Min side, where they comment and propose.
// Every change names the plan in the form (plan_id) under the follow-up in
// the path, so the follow-up's access is checked before the plan is read.

func (s *Server) planPages() []route {
	return []route{
		{"GET", "/oppfolging/{id}/planer/oversikt", s.page(s.plansPage)},
		{"POST", "/oppfolging/{id}/planer", s.page(s.createPlan)},
		{"POST", "/oppfolging/{id}/planer/mal", s.page(s.planGoal)},
		{"POST", "/oppfolging/{id}/planer/tiltak", s.page(s.planMeasure)},
		{"POST", "/oppfolging/{id}/planer/gjennomgang", s.page(s.planReview)},
		{"POST", "/oppfolging/{id}/planer/koordinator", s.page(s.planCoordinator)},
		{"POST", "/oppfolging/{id}/planer/delplan", s.page(s.planPart)},
		{"POST", "/oppfolging/{id}/planer/medlem", s.page(s.planMember)},
		{"POST", "/oppfolging/{id}/planer/mote", s.page(s.planMeeting)},
		{"POST", "/oppfolging/{id}/planer/oppgave", s.page(s.planTask)},
		{"POST", "/oppfolging/{id}/planer/gjort", s.page(s.planDone)},
		{"POST", "/oppfolging/{id}/planer/kommentar", s.page(s.planStaffComment)},
		{"POST", "/oppfolging/planer/innstillinger", s.page(s.planSettings)},
		{"GET", "/min-side/planer", s.page(s.myPlans)},
		{"POST", "/min-side/planer", s.page(s.commentMyPlan)},
	}
}

// planRead answers a plans page whose read failed.
func (s *Server) planRead(w http.ResponseWriter, r *http.Request, u *org.User, err error) {
	if errors.Is(err, plan.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	s.followupRead(w, r, u, err)
}

// The fields of the plans page's forms (templates/plan.html) and of the
// resident's form on Min side (templates/plan_mine.html), by route, for a
// form sent back with its problems (keptforms.go). The forms on one plan
// post to one path for every plan of the follow-up, so their element ids
// name the plan (the posted plan_id). A problem with the plan itself (its
// kind, a plan not found) is about the form as a whole.
var _ = declareForms(map[string][]formField{
	"POST /oppfolging/{id}/planer": {{"np-kind", "kind", "hva slags plan"}, {"np-title", "title", "tittelen"}, {"np-start", "start_on", "words.field.start"},
		{"np-start", "start_on", "velg datoen planen starter"}, {"np-start", "start_on", "planen kan ikke starte"}, {"np-area", "area", "hvilket område"},
		{"np-words", "words", "skriv målet"}, {"np-words", "words", "målet kan ha"},
		{"np-first", "first_review_on", "plan.field.first_review"}, {"np-first", "first_review_on", "datoen for gjennomgang"},
		{"np-months", "review_months", "plan.field.review_months"}, {"np-months", "review_months", "gjennomgang må skje"},
		{"np-consent", "consent", "samtykke"}, {"np-signs", "warning_signs", "varseltegnene"}, {"np-helps", "what_helps", "hva som hjelper"},
		{"np-call", "who_to_call", "hvem som skal ringes"}},
	"POST /oppfolging/planer/innstillinger": {{"ps-months", "review_months", "plan.field.review_months"}, {"ps-months", "review_months", "gjennomgang må skje"},
		{"ps-routes", "out_of_hours", "linje"}},
	"POST /oppfolging/{id}/planer/gjennomgang": {{"rv-on-{plan_id}", "reviewed_on", "words.field.date"}, {"rv-on-{plan_id}", "reviewed_on", "datoen for gjennomgangen"},
		{"rv-on-{plan_id}", "reviewed_on", "gjennomgangen kan ikke"}, {"rv-on-{plan_id}", "reviewed_on", "registreres fram i tid"},
		{"rv-sum-{plan_id}", "summary", "hva gjennomgangen kom fram til"}, {"rv-sum-{plan_id}", "summary", "oppsummeringen"},
		{"rv-next-{plan_id}", "next_review_on", "plan.field.next_review"}, {"rv-next-{plan_id}", "next_review_on", "neste gjennomgang må være"}},
	"POST /oppfolging/{id}/planer/mal": {{"g{plan_id}-area", "area", "hvilket område"}, {"g{plan_id}-dims", "dimensions", "dimensjon"},
		{"g{plan_id}-words", "words", "skriv målet"}, {"g{plan_id}-words", "words", "målet kan ha"}},
	"POST /oppfolging/{id}/planer/tiltak": {{"m-goal-{plan_id}", "goal_id", "plan.field.goal"}, {"m-goal-{plan_id}", "goal_id", "målet tiltaket gjelder"},
		{"m-what-{plan_id}", "what", "hva som skal gjøres"}, {"m-resp-{plan_id}", "responsible", "hvem som er ansvarlig"},
		{"m-due-{plan_id}", "due_on", "plan.field.due"}, {"m-due-{plan_id}", "due_on", "fristen"}},
	"POST /oppfolging/{id}/planer/koordinator": {{"c-on-{plan_id}", "chosen_on", "words.field.date"}, {"c-on-{plan_id}", "chosen_on", "datoen koordinatoren ble valgt"},
		{"c-agreed-{plan_id}", "agreed", "hvordan koordinatoren ble valgt"}, {"c-who-{plan_id}", "coordinator", "words.field.coordinator"},
		{"c-who-{plan_id}", "coordinator", "velg koordinatoren"}, {"c-who-{plan_id}", "coordinator", "koordinatoren må være medlem"},
		{"c-who-{plan_id}", "coordinator", "velg en annen koordinator"}},
	"POST /oppfolging/{id}/planer/delplan": {{"p-kind-{plan_id}", "kind", "hva slags delplan"}, {"p-ref-{plan_id}", "reference", "hvor delplanen finnes"},
		{"p-held-{plan_id}", "held_by", "hvem som har delplanen"}},
	"POST /oppfolging/{id}/planer/medlem": {{"gm-name-{plan_id}", "name", "medlemmets navn"}, {"gm-agency-{plan_id}", "agency", "hvor medlemmet kommer fra"},
		{"gm-agency-{plan_id}", "agency", "kan bare være med i ansvarsgruppen"}, {"gm-role-{plan_id}", "role", "rollen kan ha"}},
	"POST /oppfolging/{id}/planer/mote": {{"mt-on-{plan_id}", "held_on", "words.field.date"}, {"mt-on-{plan_id}", "held_on", "datoen for møtet"},
		{"mt-on-{plan_id}", "held_on", "møtet kan ikke være før"}, {"mt-agenda-{plan_id}", "agenda", "sakslisten"},
		{"mt-min-{plan_id}", "minutes", "referatet kan ha"}, {"mt-min-{plan_id}", "minutes", "referat kan bare skrives"}},
	"POST /oppfolging/{id}/planer/oppgave": {{"t-what-{plan_id}", "what", "hva som skal gjøres"}, {"t-owner-{plan_id}", "responsible", "hvem som er ansvarlig"},
		{"t-due-{plan_id}", "due_on", "plan.field.due"}, {"t-due-{plan_id}", "due_on", "fristen"}},
	"POST /oppfolging/{id}/planer/kommentar": {{"an-body-{plan_id}", "body", "kommentaren eller forslaget"}},
	"POST /min-side/planer":                  {{"k-{plan_id}", "kind", "kommentar eller et forslag"}, {"body-{plan_id}", "body", "kommentaren eller forslaget"}},
})

// planDoneAnswer answers a plan form.
func (s *Server) planDoneAnswer(w http.ResponseWriter, r *http.Request, u *org.User, err error, done, to string) {
	switch {
	case errors.Is(err, plan.ErrNotFound), errors.Is(err, followup.ErrNotFound), errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.flashThenRedirect(w, r, u, err, done, to)
	}
}

type plansPageData struct {
	FollowUpID int64
	PersonName string
	Plans      []access.Personal[plan.Plan]
	// Members are the team's members whose role coordinates services: the
	// choices of an individual plan's coordinator.
	Members    []followup.Member
	Today      deadline.Date
	Writes     bool
	Leader     bool
	Months     int
	Message    string
	Kinds      []plan.Kind
	Dimensions []plan.Dimension
	Areas      []plan.Area
	Parts      []plan.PartKind
	Agencies   []plan.Agency
}

func (s *Server) plansPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	rd := access.NewReader(s.db, a, access.ChannelPage)
	v, err := plan.Of(r.Context(), rd, id, today())
	if err != nil {
		s.planRead(w, r, u, err)
		return
	}
	months, err := plan.ReviewMonths(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := plansPageData{FollowUpID: id, PersonName: v.PersonName.Value(), Plans: v.Plans, Today: today(), Writes: a.Writes() && a.Role != access.Property,
		Leader: a.Role == access.UnitLeader, Months: months, Message: s.sessions.PopString(r.Context(), "flash"), Kinds: plan.Kinds,
		Dimensions: plan.Dimensions, Areas: plan.Areas, Parts: plan.PartKinds, Agencies: plan.Agencies}
	if p.Writes {
		t, err := followup.TeamByID(r.Context(), s.db, a, v.TeamID)
		if err != nil {
			s.planRead(w, r, u, err)
			return
		}
		for _, m := range t.Members {
			if followup.Does(m.Role, followup.TaskCoordinator) {
				p.Members = append(p.Members, m)
			}
		}
	}
	s.render(w, r, "plan", view{Title: translate(language(r), "plan.title") + ": " + p.PersonName, Nav: "followup", User: u, Data: p})
}

// planAction runs a change to one follow-up's plans and goes back to its
// plans page.
func (s *Server) planAction(w http.ResponseWriter, r *http.Request, u *org.User, done string, fn func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	nums := numbersIn(r)
	err := s.inTx(r, func(tx *store.Tx) error { return fn(tx, a, id, nums) })
	s.planDoneAnswer(w, r, u, err, done, "/oppfolging/"+strconv.FormatInt(id, 10)+"/planer/oversikt")
}

func goalFrom(r *http.Request) plan.GoalInput {
	g := plan.GoalInput{Words: r.PostFormValue("words"), Area: plan.Area(r.PostFormValue("area"))}
	for _, d := range r.PostForm["dimensions"] {
		g.Dimensions = append(g.Dimensions, plan.Dimension(d))
	}
	return g
}

func (s *Server) createPlan(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.planAction(w, r, u, tr(r, "plan.flash.created"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := plan.Input{Kind: plan.Kind(r.PostFormValue("kind")), Title: r.PostFormValue("title"), Start: nums.Date("start_on", "words.field.start"),
			FirstReview: nums.Date("first_review_on", "plan.field.first_review"), ReviewMonths: nums.Int("review_months", "plan.field.review_months"),
			Consent: r.PostFormValue("consent") == "ja", WarningSigns: r.PostFormValue("warning_signs"), WhatHelps: r.PostFormValue("what_helps"),
			WhoToCall: r.PostFormValue("who_to_call")}
		if in.Kind.HasGoals() {
			in.Goal = goalFrom(r)
		}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := plan.Create(r.Context(), tx, a, id, in, today())
		return err
	})
}

func (s *Server) planGoal(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.planAction(w, r, u, tr(r, "plan.flash.goal"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		planID := nums.ID("plan_id", "plan.field.plan")
		if err := nums.Err(); err != nil {
			return err
		}
		return plan.AddGoal(r.Context(), tx, a, id, planID, goalFrom(r))
	})
}

func measureFrom(r *http.Request, nums *formNumbers) plan.MeasureInput {
	return plan.MeasureInput{PlanID: nums.ID("plan_id", "plan.field.plan"), GoalID: nums.ID("goal_id", "plan.field.goal"), What: r.PostFormValue("what"),
		Responsible: r.PostFormValue("responsible"), Due: nums.Date("due_on", "plan.field.due")}
}

func (s *Server) planMeasure(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.planAction(w, r, u, tr(r, "plan.flash.measure"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := measureFrom(r, nums)
		if err := nums.Err(); err != nil {
			return err
		}
		return plan.AddMeasure(r.Context(), tx, a, id, in)
	})
}

func (s *Server) planReview(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.planAction(w, r, u, tr(r, "plan.flash.reviewed"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := plan.ReviewInput{PlanID: nums.ID("plan_id", "plan.field.plan"), On: nums.Date("reviewed_on", "words.field.date"), Summary: r.PostFormValue("summary"),
			Next: nums.Date("next_review_on", "plan.field.next_review")}
		if err := nums.Err(); err != nil {
			return err
		}
		return plan.Review(r.Context(), tx, a, id, in, today())
	})
}

func (s *Server) planCoordinator(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.planAction(w, r, u, tr(r, "plan.flash.coordinator"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := plan.CoordinatorInput{PlanID: nums.ID("plan_id", "plan.field.plan"), UserID: nums.ID("coordinator", "words.field.coordinator"),
			ChosenOn: nums.Date("chosen_on", "words.field.date"), Agreed: r.PostFormValue("agreed")}
		if err := nums.Err(); err != nil {
			return err
		}
		return plan.ChooseCoordinator(r.Context(), tx, a, id, in, today())
	})
}

func (s *Server) planPart(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.planAction(w, r, u, tr(r, "plan.flash.part"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := plan.PartInput{PlanID: nums.ID("plan_id", "plan.field.plan"), Kind: plan.PartKind(r.PostFormValue("kind")), Reference: r.PostFormValue("reference"),
			HeldBy: r.PostFormValue("held_by")}
		if err := nums.Err(); err != nil {
			return err
		}
		return plan.AttachPart(r.Context(), tx, a, id, in)
	})
}

func (s *Server) planMember(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.planAction(w, r, u, tr(r, "plan.flash.member"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := plan.MemberInput{PlanID: nums.ID("plan_id", "plan.field.plan"), Name: r.PostFormValue("name"), Agency: plan.Agency(r.PostFormValue("agency")),
			Role: r.PostFormValue("role")}
		if err := nums.Err(); err != nil {
			return err
		}
		return plan.AddMember(r.Context(), tx, a, id, in)
	})
}

func (s *Server) planMeeting(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	nums := numbersIn(r)
	in := plan.MeetingInput{PlanID: nums.ID("plan_id", "plan.field.plan"), On: nums.Date("held_on", "words.field.date"), Agenda: r.PostFormValue("agenda"),
		Minutes: r.PostFormValue("minutes")}
	var warn bool
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		var err error
		warn, err = plan.HoldMeeting(r.Context(), tx, a, id, in, today())
		return err
	})
	done := tr(r, "plan.flash.meeting")
	if warn {
		done = tr(r, "plan.flash.meeting_no_progress")
	}
	s.planDoneAnswer(w, r, u, err, done, "/oppfolging/"+strconv.FormatInt(id, 10)+"/planer/oversikt")
}

func (s *Server) planTask(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.planAction(w, r, u, tr(r, "plan.flash.task"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := measureFrom(r, nums)
		if err := nums.Err(); err != nil {
			return err
		}
		return plan.AddTask(r.Context(), tx, a, id, in)
	})
}

func (s *Server) planDone(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.planAction(w, r, u, tr(r, "plan.flash.done"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		planID, taskID := nums.ID("plan_id", "plan.field.plan"), nums.ID("task_id", "plan.field.task")
		on := nums.Date("done_on", "words.field.date")
		if err := nums.Err(); err != nil {
			return err
		}
		return plan.CompleteTask(r.Context(), tx, a, id, planID, taskID, r.PostFormValue("measure") == "ja", on, today())
	})
}

func (s *Server) planStaffComment(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.planAction(w, r, u, tr(r, "plan.flash.comment"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := plan.CommentInput{PlanID: nums.ID("plan_id", "plan.field.plan"), Kind: plan.CommentKind(r.PostFormValue("kind")), Body: r.PostFormValue("body")}
		if err := nums.Err(); err != nil {
			return err
		}
		return plan.AddComment(r.Context(), tx, a, id, in)
	})
}

// planSettings sets the municipality's review cycle and out-of-hours
// routing (one line a route: service; phone; from hour; until hour).
func (s *Server) planSettings(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if a.Role != access.UnitLeader && a.Role != access.Admin {
		s.logRefusal(r, u, access.ErrForbidden)
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	nums := numbersIn(r)
	months := nums.Int("review_months", "plan.field.review_months")
	routes, err := parseRoutes(r.PostFormValue("out_of_hours"))
	if err == nil {
		err = nums.Err()
	}
	if err == nil {
		err = s.inTx(r, func(tx *store.Tx) error {
			if err := plan.SetReviewMonths(r.Context(), tx, a, months); err != nil {
				return err
			}
			if len(routes) == 0 {
				return nil
			}
			return plan.SetOutOfHours(r.Context(), tx, a, routes)
		})
	}
	to := "/oppfolging"
	if back := r.PostFormValue("back"); strings.HasPrefix(back, "/oppfolging/") && !strings.Contains(back, "//") {
		to = back
	}
	s.planDoneAnswer(w, r, u, err, tr(r, "plan.flash.settings"), to)
}

// parseRoutes reads out-of-hours lines "service; phone; from; until".
func parseRoutes(text string) ([]plan.Route, error) {
	var out []plan.Route
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, ";")
		if len(f) != 4 {
			return nil, invalid.Problem("linje %d: skriv tjeneste; telefon; fra time; til time", i+1)
		}
		from, err1 := strconv.Atoi(strings.TrimSpace(f[2]))
		until, err2 := strconv.Atoi(strings.TrimSpace(f[3]))
		if err1 != nil || err2 != nil {
			return nil, invalid.Problem("linje %d: timene må være hele tall (0–24)", i+1)
		}
		out = append(out, plan.Route{Service: strings.TrimSpace(f[0]), Phone: strings.TrimSpace(f[1]), From: from, Until: until})
	}
	return out, nil
}

type myPlansPage struct {
	Plans []access.Personal[plan.Plan]
	// Hour is the hour now, so the crisis plan marks whom to call now.
	Hour    int
	Message string
}

// myPlans is the resident's own plans on Min side, made for a phone.
func (s *Server) myPlans(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if a.Role != access.Resident || u.PersonID == 0 {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	plans, err := plan.Mine(r.Context(), access.NewReader(s.db, a, access.ChannelPage), today())
	if err != nil {
		s.planRead(w, r, u, err)
		return
	}
	d := myPlansPage{Plans: plans, Hour: time.Now().Hour(), Message: s.sessions.PopString(r.Context(), "flash")}
	s.render(w, r, "plan_mine", view{Title: translate(language(r), "plan.mine.title"), Nav: "plans", User: u, Data: d})
}

// commentMyPlan is the resident's comment or proposal on their own plan.
func (s *Server) commentMyPlan(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if a.Role != access.Resident || u.PersonID == 0 {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	in := plan.CommentInput{PlanID: nums.ID("plan_id", "plan.field.plan"), Kind: plan.CommentKind(r.PostFormValue("kind")), Body: r.PostFormValue("body")}
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error { return plan.AddComment(r.Context(), tx, a, 0, in) })
	done := tr(r, "plan.flash.my_comment")
	if in.Kind == plan.Proposal {
		done = tr(r, "plan.flash.my_proposal")
	}
	s.planDoneAnswer(w, r, u, err, done, "/min-side/planer")
}
