package web

import (
	"net/http"
	"net/url"
	"strconv"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/deadline"
)

// Two more lists paged by key (pagetoken.go): the unit's unread
// notifications on the work list, and the municipality's allocation
// meetings. Each shows every row across its pages instead of stopping at
// a fixed count without saying so.

const (
	notificationsList = "notifications"
	meetingsList      = "meetings"
	// notesPerPage and meetingsPerPage are the pages' lengths.
	notesPerPage    = 100
	meetingsPerPage = 100
)

// notificationAfter reads a notification list position (its id) from a
// page token's key; no key is the first page.
func notificationAfter(key []string) (int64, error) {
	if key == nil {
		return 0, nil
	}
	return strconv.ParseInt(key[0], 10, 64)
}

// meetingKeyParts and meetingAfter carry a meeting list position in a page
// token.
func meetingKeyParts(k allocation.MeetingKey) []string {
	return []string{k.HeldOn.String(), strconv.FormatInt(k.ID, 10)}
}

func meetingAfter(key []string) (allocation.MeetingKey, error) {
	if key == nil {
		return allocation.MeetingKey{}, nil
	}
	on, err := deadline.Parse(key[0])
	if err != nil {
		return allocation.MeetingKey{}, err
	}
	id, err := strconv.ParseInt(key[1], 10, 64)
	return allocation.MeetingKey{HeldOn: on, ID: id}, err
}

// listPage is one page of a list on a page: its rows, its number and the
// links to the first and the next page ("" when there is none).
type listPage[T any] struct {
	Items             []T
	Page              int
	FirstURL, NextURL string
}

// pageLinks fills in a page's links: param carries the token, keep are the
// other query parameters the links keep (a filter).
func pageLinks(path, param string, keep url.Values, page int, next string) (first, nextURL string) {
	link := func(token string) string {
		q := url.Values{}
		for k, v := range keep {
			q[k] = v
		}
		if token != "" {
			q.Set(param, token)
		}
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	if page > 1 {
		first = link("")
	}
	if next != "" {
		nextURL = link(next)
	}
	return first, nextURL
}

// notesPage reads the page of the unit's unread notifications the work
// list asks for (varsler=). A bad token is errBadPageToken, for the caller
// to answer with 400.
func (s *Server) notesPage(r *http.Request, a access.Actor, keep url.Values) (listPage[caseflow.Notification], error) {
	const list = notificationsList + "-side"
	p := listPage[caseflow.Notification]{Page: 1}
	key, err := s.decodePage(r.Context(), list, r.URL.Query().Get("varsler"), 2)
	if err != nil {
		return p, err
	}
	after := int64(0)
	if key != nil {
		if after, err = notificationAfter(key[:1]); err != nil {
			return p, err
		}
		if p.Page, err = strconv.Atoi(key[1]); err != nil {
			return p, err
		}
	}
	ns, more, err := caseflow.NotificationsAfter(r.Context(), s.db, a, access.ChannelPage, after, notesPerPage)
	if err != nil {
		return p, err
	}
	p.Items = ns
	next := ""
	if more {
		if next, err = s.encodePage(r.Context(), list, strconv.FormatInt(ns[len(ns)-1].ID, 10), strconv.Itoa(p.Page+1)); err != nil {
			return p, err
		}
	}
	p.FirstURL, p.NextURL = pageLinks("/saker", "varsler", keep, p.Page, next)
	return p, nil
}

// meetingsPage reads the page of meetings filtered by f the meeting list
// asks for (side=). A bad token, or one from another filter, is
// errBadPageToken.
func (s *Server) meetingsPage(r *http.Request, a access.Actor, f allocation.MeetingFilter) (listPage[allocation.Meeting], error) {
	list := meetingListName(meetingsList+"-side", f)
	p := listPage[allocation.Meeting]{Page: 1}
	key, err := s.decodePage(r.Context(), list, r.URL.Query().Get("side"), 3)
	if err != nil {
		return p, err
	}
	var after allocation.MeetingKey
	if key != nil {
		if after, err = meetingAfter(key[:2]); err != nil {
			return p, err
		}
		if p.Page, err = strconv.Atoi(key[2]); err != nil {
			return p, err
		}
	}
	ms, more, err := allocation.MeetingsWhere(r.Context(), s.db, a, f, today(), after, meetingsPerPage)
	if err != nil {
		return p, err
	}
	p.Items = ms
	next := ""
	if more {
		if next, err = s.encodePage(r.Context(), list, append(meetingKeyParts(ms[len(ms)-1].Key()), strconv.Itoa(p.Page+1))...); err != nil {
			return p, err
		}
	}
	p.FirstURL, p.NextURL = pageLinks("/tildeling/moter", "side", meetingFilterQuery(f, meetingPageParams), p.Page, next)
	return p, nil
}
