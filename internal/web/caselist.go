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
	// Problem is a translation key: why the filter was refused.
	Problem string
	// TabCases and TabTasks link the two lists.
	TabCases, TabTasks string
}

// caseFilterOf reads the filter from the URL; ok is false when a value is
// not one the list knows (the page then says so and lists nothing).
func caseFilterOf(q url.Values) (f caseflow.CaseFilter, ok bool) {
	f = caseflow.CaseFilter{Status: caseflow.Status(q.Get("fase")), Due: q.Get("frist"), Worker: q.Get("hvem"), Sort: q.Get("sorter")}
	var err1, err2 error
	if s := q.Get("fra"); s != "" {
		f.From, err1 = deadline.Parse(s)
	}
	if s := q.Get("til"); s != "" {
		f.To, err2 = deadline.Parse(s)
	}
	return f, err1 == nil && err2 == nil && f.Valid()
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
	f, ok := caseFilterOf(q)
	d.Filter, d.FilterFrom, d.FilterTo = f, q.Get("fra"), q.Get("til")
	if !ok {
		d.Problem = "day.cases.bad_filter"
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
	if (d.TaskKind != "" && !slices.Contains(d.TaskKinds, d.TaskKind)) || (q.Get("frist") != "" && !d.TaskOverdue) {
		d.Problem = "day.cases.bad_filter"
		s.render(w, r, "caselist", view{Title: tr(r, "worklist.title"), Nav: "cases", User: u, Data: d, Status: http.StatusBadRequest})
		return
	}
	var keep func(caseflow.Task) bool
	if d.TaskKind != "" || d.TaskOverdue {
		keep = func(t caseflow.Task) bool {
			return (d.TaskKind == "" || t.Kind == d.TaskKind) && (!d.TaskOverdue || t.Overdue)
		}
	}
	list := fmt.Sprintf("tasks-side|%t", d.Mine)
	if keep != nil {
		list += "|" + string(d.TaskKind) + "|" + strconv.FormatBool(d.TaskOverdue)
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
	base := url.Values{"vis": {viewTasks}}
	if d.Mine {
		base.Set("mine", "ja")
	}
	if d.TaskKind != "" {
		base.Set("type", string(d.TaskKind))
	}
	if d.TaskOverdue {
		base.Set("frist", caseflow.DueOverdue)
	}
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
	params := url.Values{"vis": {viewTasks}}
	if d.Mine {
		params.Set("mine", "ja")
	}
	if d.TaskKind != "" {
		params.Set("type", string(d.TaskKind))
	}
	if d.TaskOverdue {
		params.Set("frist", caseflow.DueOverdue)
	}
	if !s.caseNotes(w, r, a, params, &d) {
		return
	}
	s.render(w, r, "caselist", view{Title: tr(r, "worklist.title"), Nav: "cases", User: u, Data: d})
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
