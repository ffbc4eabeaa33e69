package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/org"
	"husly/internal/people"
)

// The person list's order, in the URL (sorter=) so it can be bookmarked:
// by name (the default) or newest registered first. Each order pages by
// its own key, under its own list name, so a token from one order is
// refused under the other.

const (
	personsByName = "navn"
	personsNewest = "nyeste"
)

// pageLinks fills in the links to the first and the next page, keeping
// the order and the case filter.
func (d *personsData) pageLinks() {
	keep := url.Values{}
	if d.Sort != "" {
		keep.Set("sorter", d.Sort)
	}
	if d.Phase != "" {
		keep.Set("fase", d.Phase)
	}
	if d.Worker != "" {
		keep.Set("saksbehandler", d.Worker)
	}
	d.FirstURL, d.NextURL = pageLinks("/personer", "side", keep, d.Page, d.Next)
}

// listName names the list in its page tokens with its case filter, so a
// token from one filter is refused under another.
func (d *personsData) listName(base string) string {
	if d.Phase == "" && d.Worker == "" {
		return base
	}
	return base + "|" + d.Phase + "|" + d.Worker
}

// personsOpenCase is the fase= value for persons with any open case.
const personsOpenCase = "apen"

// personCaseFilter reads the person list's case filter: fase= (an open
// phase, or "apen" for any) and saksbehandler= (a case worker's id). The
// filter reveals who has applied for housing, so it is offered only to
// roles that read housing needs; another role asking for it gets 403, a
// value the list does not know 400, with the field named. The answer is
// the status to render with (200 when the list is to be read).
func (s *Server) personCaseFilter(r *http.Request, u *org.User, d *personsData) (int, error) {
	a := s.actor(r, u)
	allowed, err := access.NewReader(s.db, a, access.ChannelPage).RoleAllows(r.Context(), access.HousingNeeds)
	if err != nil {
		return 0, err
	}
	q := r.URL.Query()
	d.Phase, d.Worker, d.CaseFilters = q.Get("fase"), q.Get("saksbehandler"), allowed
	if !allowed {
		if d.Phase != "" || d.Worker != "" {
			d.Problem = "finder.persons.cases_forbidden"
			return http.StatusForbidden, nil
		}
		return http.StatusOK, nil
	}
	d.Statuses = caseflow.OpenStatuses
	staff, err := org.ListStaff(r.Context(), s.db, a, 0)
	if err != nil {
		return 0, err
	}
	d.Workers = caseWorkers(staff)
	var bad string
	if d.Cases, bad = personCasesOf(q, d.Workers); bad != "" {
		d.Problem, d.ProblemField = "day.filter.bad_field", bad
		return http.StatusBadRequest, nil
	}
	return http.StatusOK, nil
}

// personCasesOf reads the person list's case filter from q, for the page
// and the API alike: fase= (an open phase, or "apen" for any) and
// saksbehandler= (one of workers, by id). bad is the catalogue key of the
// field whose value the list does not know, "" when both are good.
func personCasesOf(q url.Values, workers []org.User) (f people.CaseFilter, bad string) {
	phase := q.Get("fase")
	switch {
	case phase == personsOpenCase:
		f.Statuses = statusStrings(caseflow.OpenStatuses)
	case phase != "":
		if !slices.Contains(caseflow.OpenStatuses, caseflow.Status(phase)) {
			return f, "finder.persons.phase"
		}
		f.Statuses = []string{phase}
	}
	var err error
	if f.WorkerID, err = pickedID(q.Get("saksbehandler"), func(id int64) bool {
		return slices.ContainsFunc(workers, func(w org.User) bool { return w.ID == id })
	}); err != nil {
		return f, "day.cases.named_worker"
	}
	if f.WorkerID != 0 && len(f.Statuses) == 0 {
		// A case worker's persons are those of her open cases.
		f.Statuses = statusStrings(caseflow.OpenStatuses)
	}
	return f, ""
}

// apiPersonFilter names the person list's case filter in the API, and
// apiPersonFields the fields the page's parser names.
var (
	apiPersonFilter = map[string]string{"phase": "fase", "case_worker_id": "saksbehandler"}
	apiPersonFields = map[string]string{"finder.persons.phase": "phase", "day.cases.named_worker": "case_worker_id"}
)

// apiPersonCases reads GET /api/v1/persons' case filter (phase=,
// case_worker_id=) with the page's parser, and the suffix that binds a
// page token to it. As on the page, the filter reveals who has applied
// for housing: a role that does not read housing needs gets 403, a value
// the list does not know 400, before anything is read; false when it has
// answered.
func (s *Server) apiPersonCases(w http.ResponseWriter, r *http.Request, u *org.User) (people.CaseFilter, string, bool) {
	q := apiFilterQuery(r.URL.Query(), apiPersonFilter)
	if len(q) == 0 {
		return people.CaseFilter{}, "", true
	}
	a := s.actor(r, u)
	allowed, err := access.NewReader(s.db, a, access.ChannelAPI).RoleAllows(r.Context(), access.HousingNeeds)
	if err == nil && !allowed {
		err = access.ErrForbidden
	}
	var staff []org.User
	if err == nil {
		staff, err = org.ListStaff(r.Context(), s.db, a, 0)
	}
	if err != nil {
		s.apiError(w, r, err)
		return people.CaseFilter{}, "", false
	}
	f, bad := personCasesOf(q, caseWorkers(staff))
	if bad != "" {
		badAPIFilter(w, r, apiPersonFields, bad)
		return f, "", false
	}
	return f, "|" + q.Get("fase") + "|" + q.Get("saksbehandler"), true
}

func statusStrings(ss []caseflow.Status) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// newestPersons reads the page of the newest registered persons; false
// when it has answered the request (a bad token, or an error).
func (s *Server) newestPersons(w http.ResponseWriter, r *http.Request, u *org.User, d *personsData) bool {
	list := d.listName(personsList + "-nyeste")
	key, err := s.decodePage(r.Context(), list, r.URL.Query().Get("side"), 2)
	if errors.Is(err, errBadPageToken) {
		s.badPageToken(w, r)
		return false
	}
	var after int64
	if err == nil && key != nil {
		if after, err = strconv.ParseInt(key[0], 10, 64); err == nil {
			d.Page, err = strconv.Atoi(key[1])
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return false
	}
	ps, err := people.ListNewest(r.Context(), s.db, s.actor(r, u), access.ChannelPage, d.Cases, after, personsPerPage+1)
	if err != nil {
		s.serverError(w, r, err)
		return false
	}
	d.Persons = ps
	if len(ps) > personsPerPage {
		d.Persons = ps[:personsPerPage]
		if d.Next, err = s.encodePage(r.Context(), list, strconv.FormatInt(d.Persons[personsPerPage-1].ID, 10), strconv.Itoa(d.Page+1)); err != nil {
			s.serverError(w, r, err)
			return false
		}
	}
	d.pageLinks()
	return true
}

// personsNewestAPI names the API's newest-first list in its page tokens.
const personsNewestAPI = personsList + "-api-nyeste"

// apiNewestPersons is GET /api/v1/persons?sort=nyeste: the newest
// registered first, paged by id as the page's list is.
func (s *Server) apiNewestPersons(w http.ResponseWriter, r *http.Request, u *org.User, cases people.CaseFilter, bound string) {
	list := personsNewestAPI + bound
	key, limit, ok := s.keysetPaging(w, r, list, 1)
	if !ok {
		return
	}
	var after int64
	if key != nil {
		var err error
		if after, err = strconv.ParseInt(key[0], 10, 64); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	ps, err := people.ListNewest(r.Context(), s.db, s.actor(r, u), access.ChannelAPI, cases, after, limit+1)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := page[people.Person]{Items: ps, Limit: limit}
	if len(ps) > limit {
		out.Items = ps[:limit]
		if out.Next, err = s.encodePage(r.Context(), list, strconv.FormatInt(out.Items[limit-1].ID, 10)); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}
