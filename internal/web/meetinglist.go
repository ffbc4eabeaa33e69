package web

import (
	"net/http"
	"net/url"

	"husly/internal/allocation"
	"husly/internal/deadline"
	"husly/internal/invalid"
)

// The filter of the list of allocation meetings, in the URL so the list
// can be bookmarked and shared: the page reads status, fra, til and
// sorter, the API status, from, to and sort, with the same values.

// meetingParams names the filter's URL parameters on the page or in the API.
type meetingParams struct{ status, from, to, sort string }

var (
	meetingPageParams = meetingParams{"status", "fra", "til", "sorter"}
	meetingAPIParams  = meetingParams{"status", "from", "to", "sort"}
)

// meetingFilterOf reads the filter from the URL; ok is false when a value
// is not one the list knows or the dates run backwards.
func meetingFilterOf(q url.Values, p meetingParams) (f allocation.MeetingFilter, ok bool) {
	f = allocation.MeetingFilter{State: allocation.MeetingState(q.Get(p.status)), Sort: allocation.MeetingSort(q.Get(p.sort))}
	var err1, err2 error
	if s := q.Get(p.from); s != "" {
		f.From, err1 = deadline.Parse(s)
	}
	if s := q.Get(p.to); s != "" {
		f.To, err2 = deadline.Parse(s)
	}
	return f, err1 == nil && err2 == nil && f.Valid()
}

// meetingFilterQuery is the filter as URL values, the empty ones left out.
func meetingFilterQuery(f allocation.MeetingFilter, p meetingParams) url.Values {
	q := url.Values{}
	if f.State != "" {
		q.Set(p.status, string(f.State))
	}
	if !f.From.IsZero() {
		q.Set(p.from, f.From.String())
	}
	if !f.To.IsZero() {
		q.Set(p.to, f.To.String())
	}
	if f.Sort != "" {
		q.Set(p.sort, string(f.Sort))
	}
	return q
}

// meetingListName binds a page token to the list and its filter, so a
// token from another filter or order is refused.
func meetingListName(base string, f allocation.MeetingFilter) string {
	return base + "|" + meetingFilterQuery(f, meetingPageParams).Encode()
}

// meetingFilterProblem is the API's answer to a filter it does not know.
func meetingFilterProblem(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, r, http.StatusBadRequest, invalid.F("Filteret på møtelisten er ugyldig: status må være planlagt, holdt eller avsluttet, from og to datoer (ÅÅÅÅ-MM-DD) med from før to, og sort nyeste eller eldste."))
}
