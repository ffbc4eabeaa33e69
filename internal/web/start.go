package web

import (
	"errors"
	"net/http"

	"husly/internal/access"
	"husly/internal/arrears"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/invalid"
	"husly/internal/notice"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/workday"
)

// The start page: what "/" shows after sign-in, each role at its own work.
// The resident's start is Min side (residentPage).

// startData is one role's start page; only the role's part is filled in.
type startData struct {
	Role       access.Role            `json:"role"`
	CaseWorker *workday.CaseWorkerDay `json:"case_worker,omitempty"`
	Property   *workday.PropertyDay   `json:"property,omitempty"`
	FollowUp   *workday.FollowUpDay   `json:"follow_up,omitempty"`
	Leader     *workday.LeaderDay     `json:"figures,omitempty"`
	Stock      *stockFigures          `json:"stock,omitempty"`
	Auditor    *auditorStart          `json:"auditor,omitempty"`
	// Arrears are the open conversations before collection given to the
	// reader or the reader's unit (case workers and follow-up staff).
	Arrears *[]arrears.Row `json:"arrears_conversations,omitempty"`
	Keeping *keepingStart  `json:"keeping,omitempty"`
	// Notices are the unread notices to the reader's unit: a ladder step
	// to NAV and the follow-up team, an arrears conversation to NAV.
	Notices *[]access.Personal[notice.Notice] `json:"unit_notices,omitempty"`
	Today   deadline.Date                     `json:"today"`
}

// ArrearsRows are the open conversations for the panel.
func (d startData) ArrearsRows() []arrears.Row {
	if d.Arrears == nil {
		return nil
	}
	return *d.Arrears
}

// NoticeRows are the unread notices to the unit, for the panel.
func (d startData) NoticeRows() []access.Personal[notice.Notice] {
	if d.Notices == nil {
		return nil
	}
	return *d.Notices
}

// stockFigures are the housing stock's counts, from the counters table.
type stockFigures struct {
	Persons    int             `json:"persons"`
	Units      int             `json:"units"`
	Vacant     int             `json:"vacant"`
	Leases     int             `json:"active_leases"`
	ByCategory []housing.Count `json:"by_category"`
	ByStatus   []housing.Count `json:"by_status"`
}

// auditorStart tells the auditor whether a purpose is stated: personal
// data opens only after one (GDPR art. 5(1)(b)); the figures do not need it.
type auditorStart struct {
	PurposeStated bool   `json:"purpose_stated"`
	Purpose       string `json:"purpose,omitempty"`
	MinPurpose    int    `json:"min_purpose_length"`
}

// startFor reads the start page of the actor's role.
func (s *Server) startFor(r *http.Request, u *org.User, channel string) (startData, error) {
	ctx := r.Context()
	a := s.actor(r, u)
	day := today()
	d := startData{Role: a.Role, Today: day}
	var err error
	switch a.Role {
	case access.CaseWorker:
		var cw workday.CaseWorkerDay
		cw, err = workday.CaseWorker(ctx, s.db, a, workday.ParseScope(r.URL.Query().Get("vis")), day, channel)
		d.CaseWorker = &cw
	case access.Property:
		var p workday.PropertyDay
		p, err = workday.Property(ctx, s.db, a, day)
		d.Property = &p
	case access.FollowUp:
		var f workday.FollowUpDay
		f, err = workday.FollowUp(ctx, s.db, a, channel)
		d.FollowUp = &f
	case access.UnitLeader, access.Planner, access.Auditor:
		var l workday.LeaderDay
		l, err = workday.Leader(ctx, s.db, a, day)
		d.Leader = &l
		if a.Role == access.Auditor {
			d.Auditor = &auditorStart{PurposeStated: access.ValidPurpose(a.Reason), Purpose: a.Reason, MinPurpose: access.MinPurpose}
		}
		if a.Role == access.Planner && err == nil {
			d.Stock, err = s.stock(r, a)
		}
	default: // the administrator, and the operator's own sign-in
		d.Stock, err = s.stock(r, a)
	}
	if err == nil && (a.Role == access.CaseWorker || a.Role == access.FollowUp) {
		var rows []arrears.Row
		rows, err = arrears.Mine(ctx, access.NewReader(s.db, a, channel), day)
		d.Arrears = &rows
	}
	if err == nil {
		d.Keeping, err = s.keepingFor(r, a, channel)
	}
	if err == nil {
		d.Notices, err = s.unitNotices(ctx, a, channel, startNoticeLimit)
	}
	return d, err
}

func (s *Server) stock(r *http.Request, a access.Actor) (*stockFigures, error) {
	var f stockFigures
	var err error
	if f.Persons, err = people.Count(r.Context(), s.db, a.MunicipalityID); err != nil {
		return nil, err
	}
	if f.ByCategory, f.ByStatus, err = housing.Summary(r.Context(), s.db, a.MunicipalityID); err != nil {
		return nil, err
	}
	for _, c := range f.ByCategory {
		f.Units += c.Units
	}
	for _, c := range f.ByStatus {
		if c.Code == string(housing.Vacant) {
			f.Vacant = c.Units
		}
	}
	f.Leases, err = housing.ActiveLeases(r.Context(), s.db, a.MunicipalityID)
	return &f, err
}

// start is the page at "/".
func (s *Server) start(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		s.residentPage(w, r, u)
		return
	}
	d, err := s.startFor(r, u, access.ChannelPage)
	if errors.Is(err, access.ErrForbidden) {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "start", view{Title: tr(r, "day.title"), Nav: "dashboard", User: u, Data: pageOf(d)})
}

// startPage is the start page's data laid out as panels for the template.
type startPage struct {
	startData
	CasePanels []casePanel
	UnitPanels []unitPanel
	Trends     []trend
}

// casePanel, unitPanel and trend name their texts by catalogue key.
type casePanel struct {
	ID, Title, Why, More, MoreURL string
	Items                         []workday.CaseItem
}

type unitPanel struct {
	ID, Title, More, MoreURL string
	ShowCount                bool
	Count                    int
	Items                    []workday.UnitItem
}

type trend struct {
	ID, Caption string
	Months      []workday.Month
}

func pageOf(d startData) startPage {
	p := startPage{startData: d}
	if c := d.CaseWorker; c != nil {
		tasks, unassigned := "/saker?vis=oppgaver&mine=ja", "/saker?fase=mottatt&hvem=ufordelt"
		if c.Scope == workday.Unit {
			tasks = "/saker?vis=oppgaver"
		}
		p.CasePanels = []casePanel{
			{ID: "due", Title: "day.cw.due", More: "day.cw.all_tasks", MoreURL: tasks, Items: c.Due},
			{ID: "new", Title: "day.cw.unassigned", More: "day.cw.all_unassigned", MoreURL: unassigned, Items: c.Unassigned},
			{ID: "prov", Title: "day.cw.provisional", Why: "day.cw.provisional_why", Items: c.Provisional},
			{ID: "offers", Title: "day.cw.offers", Items: c.Offers},
			{ID: "appeals", Title: "day.cw.appeals", Items: c.Appeals},
		}
	}
	if x := d.Property; x != nil {
		p.UnitPanels = []unitPanel{
			{ID: "vacant", Title: "day.prop.vacant", More: "day.prop.all_vacant", MoreURL: "/boliger?status=ledig", ShowCount: true, Count: x.Vacant, Items: x.VacantUnits},
			{ID: "in", Title: "day.prop.move_ins", Items: x.MovesIn},
			{ID: "out", Title: "day.prop.move_outs", Items: x.MovesOut},
			{ID: "repair", Title: "day.prop.repair", More: "day.prop.all_repair", MoreURL: "/boliger?status=vedlikehold", ShowCount: true, Count: x.UnderRepair, Items: x.RepairUnits},
			{ID: "insp", Title: "day.prop.inspections", Items: x.InspectionsDue},
		}
	}
	if l := d.Leader; l != nil {
		p.Trends = []trend{{"housed", "day.lead.housed_trend", l.Housed}, {"received", "day.lead.received_trend", l.Received}}
	}
	return p
}

// apiStart is the start page's data in the API: GET /api/v1/start.
func (s *Server) apiStart(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		writeProblem(w, r, http.StatusForbidden, invalid.F("Startsiden er for ansatte; beboeren har Min side."))
		return
	}
	if v := r.URL.Query().Get("vis"); v != "" && v != string(workday.Mine) && v != string(workday.Unit) {
		writeProblem(w, r, http.StatusBadRequest, invalid.F("vis må være «mine» eller «enhet»."))
		return
	}
	d, err := s.startFor(r, u, access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}
