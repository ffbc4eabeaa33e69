package web

import (
	"net/http"

	"husly/internal/access"
	"husly/internal/org"
)

// Links never lead to dead ends: a page a role may not open is not
// linked, a letter that cannot be made yet is not offered, and an auditor
// who has not stated the purpose of the supervision is asked for it where
// a page needs it, instead of being shown an empty list or an error.

// supervisionPage is the form where an auditor states the purpose, with
// the page to return to.
type supervisionPage struct {
	PersonID int64
	Reason   string
	Problem  string
	// Next is the page to go on to once the purpose is stated.
	Next string
}

// needsPurpose reports whether u is an auditor who has not stated a
// purpose for this session: reading personal data needs one
// (access.ErrReasonRequired).
func (s *Server) needsPurpose(r *http.Request, u *org.User) bool {
	a := s.actor(r, u)
	return a.Role == access.Auditor && !access.ValidPurpose(a.Reason)
}

// askPurpose shows an auditor without a stated purpose the form for it,
// returning to the page asked for; it reports whether it did. A list page
// answers 200: the auditor may open it, and this is its first step.
func (s *Server) askPurpose(w http.ResponseWriter, r *http.Request, u *org.User) bool {
	if !s.needsPurpose(r, u) {
		return false
	}
	next := r.URL.Path
	if r.Method != http.MethodGet {
		next = safeNext(r.PostFormValue("neste"))
	}
	s.render(w, r, "supervision", view{Title: tr(r, "supervision.title"), User: u, Data: supervisionPage{Next: safeNext(next)}})
	return true
}

// purposeAsk is the short purpose form a page shows in place of a part
// that needs one (the tenants on a unit's page).
type purposeAsk struct {
	View view
	Next string
}

// Ask gives the "purpose-form" template what it needs.
func (v view) Ask(next string) purposeAsk { return purposeAsk{View: v, Next: next} }
