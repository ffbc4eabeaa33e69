package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/org"
)

// The case list at /saker: one list at a time, either the open cases
// (applications) with their filters, or the tasks the cases need, so a
// case is never listed twice on one page. Every filter lives in the URL.

// caseListPerPage is the length of a page of the case list.
const caseListPerPage = 50

// caseListView names the two lists.
const (
	viewCases = "soknader"
	viewTasks = "oppgaver"
)

type caseListData struct {
	View string
	// The open cases, when View is viewCases.
	Filter       caseflow.CaseFilter
	FilterFrom   string // as typed, so a bad date stays in the field
	FilterTo     string
	FilterUnit   string // as chosen, so the list shows it
	FilterWorker string
	// Units and Workers are the choices of the unit and case worker filters.
	Units        []org.Unit
	Workers      []org.User
	Statuses     []caseflow.Status
	Applications []caseflow.Application
	// The tasks, when View is viewTasks.
	Tasks         []caseflow.Task
	Overdue       int
	Mine          bool
	Notifications listPage[caseflow.Notification]
	TaskKinds     []caseflow.TaskKind
	TaskKind      caseflow.TaskKind
	TaskOverdue   bool
	// Paging, for the list shown.
	Page              int
	FirstURL, NextURL string
	Message           string
	// Problem is a translation key: why the filter was refused, and
	// ProblemField the key of the field's label it names.
	Problem, ProblemField string
	// TabCases and TabTasks link the two lists.
	TabCases, TabTasks string
}

// caseFilterOf reads the filter from the URL, the units and case workers
// it may name being those given; bad is the catalogue key of the first
// field whose value the list does not know ("" when all are good), for the
// page to name it.
func caseFilterOf(q url.Values, units []org.Unit, workers []org.User) (f caseflow.CaseFilter, bad string) {
	f = caseflow.CaseFilter{Status: caseflow.Status(q.Get("fase")), Due: q.Get("frist"), Worker: q.Get("hvem"), Sort: q.Get("sorter")}
	var err error
	switch {
	case f.Status != "" && !slices.Contains(caseflow.OpenStatuses, f.Status):
		return f, "day.cases.phase"
	case f.Due != "" && f.Due != caseflow.DueOverdue && f.Due != caseflow.DueWeek:
		return f, "day.cases.deadline"
	case f.Worker != "" && f.Worker != caseflow.WorkerMine && f.Worker != caseflow.WorkerNone:
		return f, "worklist.caseworker"
	case f.Sort != "" && f.Sort != caseflow.SortDeadline && f.Sort != caseflow.SortReceived:
		return f, "day.cases.sort"
	}
	if f.From, f.To, bad = dateRange(q); bad != "" {
		return f, bad
	}
	if f.UnitID, err = pickedID(q.Get("enhet"), func(id int64) bool {
		return slices.ContainsFunc(units, func(u org.Unit) bool { return u.ID == id })
	}); err != nil {
		return f, "day.cases.unit"
	}
	if f.WorkerID, err = pickedID(q.Get("saksbehandler"), func(id int64) bool {
		return slices.ContainsFunc(workers, func(u org.User) bool { return u.ID == id })
	}); err != nil {
		return f, "day.cases.named_worker"
	}
	if !f.Valid() {
		return f, "day.cases.to"
	}
	return f, ""
}

// dateRange reads the filter's fra and til dates; bad names the field that
// is not a date, or til when it comes before fra.
func dateRange(q url.Values) (from, to deadline.Date, bad string) {
	var err error
	if s := q.Get("fra"); s != "" {
		if from, err = deadline.Parse(s); err != nil {
			return from, to, "day.cases.from"
		}
	}
	if s := q.Get("til"); s != "" {
		if to, err = deadline.Parse(s); err != nil {
			return from, to, "day.cases.to"
		}
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return from, to, "day.cases.to"
	}
	return from, to, ""
}

// errNotListed is a filter's id that is not among the choices offered.
var errNotListed = errors.New("not among the choices")

// pickedID reads an id chosen in a filter's list: "" is none (0); anything
// else must be a number among the choices.
func pickedID(s string, listed func(int64) bool) (int64, error) {
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || !listed(id) {
		return 0, errNotListed
	}
	return id, nil
}

// caseWorkers are the staff a case can be handed to: the case workers, by
// name, for the filter's list.
func caseWorkers(staff []org.User) []org.User {
	var out []org.User
	for _, u := range staff {
		if u.Role == access.CaseWorker && u.Active {
			out = append(out, u)
		}
	}
	return out
}

// query is the filter as URL values, the empty ones left out.
func filterQuery(f caseflow.CaseFilter) url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("fase", string(f.Status))
	set("frist", f.Due)
	set("hvem", f.Worker)
	if !f.From.IsZero() {
		q.Set("fra", f.From.String())
	}
	if !f.To.IsZero() {
		q.Set("til", f.To.String())
	}
	set("sorter", f.Sort)
	if f.UnitID != 0 {
		q.Set("enhet", strconv.FormatInt(f.UnitID, 10))
	}
	if f.WorkerID != 0 {
		q.Set("saksbehandler", strconv.FormatInt(f.WorkerID, 10))
	}
	return q
}

func casesURL(q url.Values) string {
	if len(q) == 0 {
		return "/saker"
	}
	return "/saker?" + q.Encode()
}

func (s *Server) caseList(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !a.Writes() {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	q := r.URL.Query()
	d := caseListData{View: viewCases, Statuses: caseflow.OpenStatuses, Page: 1, Message: s.sessions.PopString(r.Context(), "flash"),
		TabCases: "/saker", TabTasks: "/saker?vis=" + viewTasks}
	if q.Get("vis") == viewTasks {
		d.View = viewTasks
		s.taskList(w, r, u, a, d)
		return
	}
	var err error
	if d.Units, err = org.ListUnits(r.Context(), s.db, a.MunicipalityID); err == nil {
		var staff []org.User
		staff, err = org.ListStaff(r.Context(), s.db, a, 0)
		d.Workers = caseWorkers(staff)
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f, bad := caseFilterOf(q, d.Units, d.Workers)
	d.Filter, d.FilterFrom, d.FilterTo, d.FilterUnit, d.FilterWorker = f, q.Get("fra"), q.Get("til"), q.Get("enhet"), q.Get("saksbehandler")
	if bad != "" {
		d.Problem, d.ProblemField = "day.filter.bad_field", bad
		s.render(w, r, "caselist", view{Title: tr(r, "worklist.title"), Nav: "cases", User: u, Data: d, Status: http.StatusBadRequest})
		return
	}
	fq := filterQuery(f)
	list := "cases|" + fq.Encode()
	key, err := s.decodePage(r.Context(), list, q.Get("soknader"), 3)
	if errors.Is(err, errBadPageToken) {
		s.badPageToken(w, r)
		return
	}
	after := caseflow.WorkKey{}
	if err == nil && key != nil {
		due, err0 := keyDate(key[0])
		id, err1 := strconv.ParseInt(key[1], 10, 64)
		page, err2 := strconv.Atoi(key[2])
		after, d.Page, err = caseflow.WorkKey{Due: due, ID: id}, page, errors.Join(err0, err1, err2)
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	apps, more, err := caseflow.CasesAfter(r.Context(), s.db, a, f, today(), access.ChannelPage, after, caseListPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d.Applications = apps
	if d.Page > 1 {
		d.FirstURL = casesURL(fq)
	}
	if more {
		k := apps[len(apps)-1].ListKey(f)
		next, err := s.encodePage(r.Context(), list, k.Due.String(), strconv.FormatInt(k.ID, 10), strconv.Itoa(d.Page+1))
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		nq := filterQuery(f)
		nq.Set("soknader", next)
		d.NextURL = casesURL(nq)
	}
	if !s.caseNotes(w, r, a, fq, &d) {
		return
	}
	s.render(w, r, "caselist", view{Title: tr(r, "worklist.title"), Nav: "cases", User: u, Data: d})
}

// taskList is the tasks view: everything the cases need, overdue first,
// the actor's own with mine=ja, and the unit's notifications.
func (s *Server) taskList(w http.ResponseWriter, r *http.Request, u *org.User, a access.Actor, d caseListData) {
	q := r.URL.Query()
	d.Mine = q.Get("mine") == "ja"
	d.TaskKinds, d.TaskKind, d.TaskOverdue = caseflow.TaskKinds(), caseflow.TaskKind(q.Get("type")), q.Get("frist") == caseflow.DueOverdue
	from, to, bad := taskDueRange(q)
	d.FilterFrom, d.FilterTo = q.Get("fra"), q.Get("til")
	switch {
	case d.TaskKind != "" && !slices.Contains(d.TaskKinds, d.TaskKind):
		bad = "worklist.task"
	case q.Get("frist") != "" && !d.TaskOverdue:
		bad = "day.cases.deadline"
	}
	if bad != "" {
		d.Problem, d.ProblemField = "day.filter.bad_field", bad
		s.render(w, r, "caselist", view{Title: tr(r, "worklist.title"), Nav: "cases", User: u, Data: d, Status: http.StatusBadRequest})
		return
	}
	var keep func(caseflow.Task) bool
	if d.TaskKind != "" || d.TaskOverdue || !from.IsZero() || !to.IsZero() {
		// The due date bounds are inclusive, as on the case list.
		keep = func(t caseflow.Task) bool {
			return (d.TaskKind == "" || t.Kind == d.TaskKind) && (!d.TaskOverdue || t.Overdue) && dueWithin(t, from, to)
		}
	}
	list := fmt.Sprintf("tasks-side|%t", d.Mine)
	if keep != nil {
		list += "|" + string(d.TaskKind) + "|" + strconv.FormatBool(d.TaskOverdue) + "|" + from.String() + "|" + to.String()
	}
	key, err := s.decodePage(r.Context(), list, r.URL.Query().Get("side"), 6)
	if errors.Is(err, errBadPageToken) {
		s.badPageToken(w, r)
		return
	}
	after := caseflow.TaskKey{}
	if err == nil && key != nil {
		if d.Page, err = strconv.Atoi(key[5]); err == nil {
			after, err = taskKey(key[:5])
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	tasks, more, err := caseflow.TasksWhere(r.Context(), s.db, a, d.Mine, today(), access.ChannelPage, after, caseListPerPage, keep)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	params := taskParams(d, from, to)
	base := taskParams(d, from, to)
	if d.Page > 1 {
		d.FirstURL = casesURL(base)
	}
	if more {
		next, err := s.encodePage(r.Context(), list, append(taskKeyParts(tasks[len(tasks)-1].Key()), strconv.Itoa(d.Page+1))...)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		base.Set("side", next)
		d.NextURL = casesURL(base)
	}
	d.Tasks = tasks
	for _, t := range tasks {
		if t.Overdue {
			d.Overdue++
		}
	}
	if !s.caseNotes(w, r, a, params, &d) {
		return
	}
	s.render(w, r, "caselist", view{Title: tr(r, "worklist.title"), Nav: "cases", User: u, Data: d})
}

// taskDueRange reads the task list's due-date bounds (fra=, til=), for
// the page and the API alike; bad names the field that is not a date, or
// til when it comes before fra.
func taskDueRange(q url.Values) (from, to deadline.Date, bad string) {
	from, to, bad = dateRange(q)
	// Here the dates are the tasks' due dates, and the field says so.
	return from, to, map[string]string{"day.cases.from": "day.cases.due_from", "day.cases.to": "day.cases.due_to"}[bad]
}

// dueWithin reports whether t is due from..to, both bounds inclusive as on
// the case list (a zero bound is open).
func dueWithin(t caseflow.Task, from, to deadline.Date) bool {
	return (from.IsZero() || !t.Due.Before(from)) && (to.IsZero() || !to.Before(t.Due))
}

// taskParams is the task list's filter as URL values, for its links.
func taskParams(d caseListData, from, to deadline.Date) url.Values {
	q := url.Values{"vis": {viewTasks}}
	if d.Mine {
		q.Set("mine", "ja")
	}
	if d.TaskKind != "" {
		q.Set("type", string(d.TaskKind))
	}
	if d.TaskOverdue {
		q.Set("frist", caseflow.DueOverdue)
	}
	if !from.IsZero() {
		q.Set("fra", from.String())
	}
	if !to.IsZero() {
		q.Set("til", to.String())
	}
	return q
}

// caseNotes reads the page of the unit's notifications shown under either
// list, keeping the list's own parameters in its links; false when it has
// answered the request (a bad page token, or an error).
func (s *Server) caseNotes(w http.ResponseWriter, r *http.Request, a access.Actor, keep url.Values, d *caseListData) bool {
	notes, err := s.notesPage(r, a, keep)
	if errors.Is(err, errBadPageToken) {
		s.badPageToken(w, r)
		return false
	}
	if err != nil {
		s.serverError(w, r, err)
		return false
	}
	d.Notifications = notes
	return true
}
