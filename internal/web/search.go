package web

import (
	"errors"
	"net/http"

	"husly/internal/access"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/workday"
)

// The quick search in the header of every staff page: a person by name or
// whole identity number, a case by its number, a unit by its code. The
// form posts, so an identity number never lands in a URL, a log line or
// the browser's history.

type searchData struct {
	workday.Found
	Searched bool
	// Problem is a translation key: why the search was refused.
	Problem string
}

// searchPage is GET /sok: the search form alone, for a bookmark or a
// keyboard user who opened it from the header.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	s.render(w, r, "search", view{Title: tr(r, "day.search.title"), User: u, Data: searchData{}})
}

// quickSearch is POST /sok: the results grouped by kind.
func (s *Server) quickSearch(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	a := s.actor(r, u)
	if a.Role == access.Auditor && !access.ValidPurpose(a.Reason) {
		// The search would find no one: say why and where to state the purpose.
		s.render(w, r, "search", view{Title: tr(r, "day.search.title"), User: u, Status: http.StatusForbidden,
			Data: searchData{Found: workday.Found{Query: r.PostFormValue("q")}, Problem: "day.search.purpose_first"}})
		return
	}
	f, err := workday.Find(r.Context(), s.db, a, r.PostFormValue("q"), access.ChannelPage, workday.FindLimit)
	d := searchData{Found: f, Searched: f.Query != ""}
	status := http.StatusOK
	var bad *invalid.Error
	switch {
	case errors.Is(err, people.ErrNumberSearchForbidden):
		s.logRefusal(r, u, err)
		d.Problem, status = "persons.number_forbidden", http.StatusForbidden
	case errors.Is(err, identity.ErrFuture):
		d.Problem, status = "lawa.number_future", http.StatusUnprocessableEntity
	case errors.As(err, &bad) && len([]rune(f.Query)) > workday.MaxQuery:
		d.Problem, status = "day.search.too_long", http.StatusUnprocessableEntity
	case errors.As(err, &bad):
		d.Problem, status = "persons.number_whole", http.StatusUnprocessableEntity
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	if d.Problem != "" {
		d.Found = workday.Found{Query: f.Query}
	}
	s.render(w, r, "search", view{Title: tr(r, "day.search.title"), User: u, Data: d, Status: status})
}

type quickSearchRequest struct {
	Query string `json:"query"`
	Limit int    `json:"limit"`
}

// apiQuickSearch is POST /api/v1/search.
func (s *Server) apiQuickSearch(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		writeProblem(w, r, http.StatusForbidden, invalid.F("Startsiden er for ansatte; beboeren har Min side."))
		return
	}
	var req quickSearchRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.Limit == 0 {
		req.Limit = workday.FindLimit
	}
	if req.Limit < 1 || req.Limit > 50 {
		writeProblem(w, r, http.StatusBadRequest, invalid.F("limit må være fra 1 til 50."))
		return
	}
	f, err := workday.Find(r.Context(), s.db, s.actor(r, u), req.Query, access.ChannelAPI, req.Limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}
