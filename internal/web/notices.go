package web

import (
	"context"
	"net/http"

	"husly/internal/access"
	"husly/internal/notice"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/workday"
)

// Notices to the reader's unit (package notice): a step on the escalation
// ladder to NAV and the follow-up team, an arrears conversation to NAV.
// They stand on the start page until someone in the unit marks them read.

// apiNoticeLimit is how many unread notices the API gives at once: the
// newest first; marking them read brings the older ones forward.
const apiNoticeLimit = 100

func (s *Server) noticePages() []route {
	return []route{
		{"POST", "/enhetsvarsler/{id}/lest", s.page(s.readUnitNotice)},
	}
}

func (s *Server) noticeAPIRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/api/v1/unit-notices", s.apiUnitNotices},
		{"POST", "/api/v1/unit-notices/{id}/read", caseCall(s, http.StatusNoContent, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, _ noBody) (any, error) {
			return nil, notice.MarkRead(ctx, tx, a, id)
		})},
	}
}

// unitNotices reads the start page's panel, nil for roles that receive none.
func (s *Server) unitNotices(ctx context.Context, a access.Actor, channel string, limit int) (*[]access.Personal[notice.Notice], error) {
	if !a.Writes() || a.OrgUnitID == 0 {
		return nil, nil
	}
	ns, err := notice.Inbox(ctx, access.NewReader(s.db, a, channel), limit)
	if err != nil {
		return nil, err
	}
	if ns == nil {
		ns = []access.Personal[notice.Notice]{}
	}
	return &ns, nil
}

func (s *Server) readUnitNotice(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, _ := pathID(r)
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return notice.MarkRead(r.Context(), tx, s.actor(r, u), id)
	})
	s.flashThenRedirect(w, r, u, err, tr(r, "notice.flash.read"), "/")
}

func (s *Server) apiUnitNotices(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !a.Writes() || a.OrgUnitID == 0 {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	ns, err := s.unitNotices(r.Context(), a, access.ChannelAPI, apiNoticeLimit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	apiJSON(w, r, http.StatusOK, struct {
		Items []access.Personal[notice.Notice] `json:"items"`
	}{*ns})
}

// startNoticeLimit is the panel's length on the start page.
const startNoticeLimit = workday.PanelLimit
