package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"husly/internal/access"
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
// the order.
func (d *personsData) pageLinks() {
	keep := url.Values{}
	if d.Sort != "" {
		keep.Set("sorter", d.Sort)
	}
	d.FirstURL, d.NextURL = pageLinks("/personer", "side", keep, d.Page, d.Next)
}

// newestPersons reads the page of the newest registered persons; false
// when it has answered the request (a bad token, or an error).
func (s *Server) newestPersons(w http.ResponseWriter, r *http.Request, u *org.User, d *personsData) bool {
	const list = personsList + "-nyeste"
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
	ps, err := people.ListNewest(r.Context(), s.db, s.actor(r, u), access.ChannelPage, after, personsPerPage+1)
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
func (s *Server) apiNewestPersons(w http.ResponseWriter, r *http.Request, u *org.User) {
	key, limit, ok := s.keysetPaging(w, r, personsNewestAPI, 1)
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
	ps, err := people.ListNewest(r.Context(), s.db, s.actor(r, u), access.ChannelAPI, after, limit+1)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := page[people.Person]{Items: ps, Limit: limit}
	if len(ps) > limit {
		out.Items = ps[:limit]
		if out.Next, err = s.encodePage(r.Context(), personsNewestAPI, strconv.FormatInt(out.Items[limit-1].ID, 10)); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}
