package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/tenancy"
)

// Keeping the home in the API: everything the pages do, as JSON.

func (s *Server) tenancyAPIRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/api/v1/complaints", s.apiComplaints},
		{"POST", "/api/v1/complaints", s.apiRegisterComplaint},
		{"POST", "/api/v1/complaints/{id}/informed", s.apiInformComplaint},
		{"POST", "/api/v1/complaints/{id}/close", s.apiCloseComplaint},
		{"GET", "/api/v1/tenancy-leases/{id}", s.apiTenancyLease},
		{"POST", "/api/v1/tenancy-leases/{id}/steps", s.apiTakeStep},
		{"POST", "/api/v1/tenancy-leases/{id}/stop", s.apiStopLadder},
		{"POST", "/api/v1/tenancy-leases/{id}/tenant-notice", s.apiTenantNotice},
		{"GET", "/api/v1/tenancy-steps", s.apiOpenLadders},
		{"POST", "/api/v1/tenancy-steps/{id}/rollback", s.apiRollBack},
		{"GET", "/api/v1/tenancy-steps/{id}/letter", s.apiStepLetter(false)},
		{"GET", "/api/v1/tenancy-steps/{id}/letter/pdf", s.apiStepLetter(true)},
		{"GET", "/api/v1/tenancy-conversations", s.apiConversations},
		{"POST", "/api/v1/tenancy-conversations/{id}/held", s.apiRecordTalk},
		{"GET", "/api/v1/me/complaints", s.apiMyComplaints},
		{"POST", "/api/v1/me/complaints/{id}/replies", s.apiReplyToComplaint},
	}
}

// tenancyAPIError maps tenancy's errors to problem details.
func (s *Server) tenancyAPIError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, tenancy.ErrNotFound) {
		writeProblem(w, r, http.StatusNotFound, invalid.F("Finnes ikke, eller du har ikke tilgang."))
		return
	}
	s.apiError(w, r, err)
}

// tenancyChange runs one change in one transaction.
func (s *Server) tenancyChange(w http.ResponseWriter, r *http.Request, status int, fn func(tx *store.Tx) (int64, error)) {
	s.changeIn(w, r, status, s.tenancyAPIError, fn)
}

func (s *Server) apiComplaints(w http.ResponseWriter, r *http.Request, u *org.User) {
	q := r.URL.Query()
	f := tenancy.ComplaintFilter{Open: q.Get("open") == "true", Kind: tenancy.ComplaintKind(q.Get("kind")), Source: tenancy.Source(q.Get("source"))}
	var p []invalid.Message
	if f.Kind != "" && !f.Kind.Valid() {
		p = append(p, invalid.F("hva gjelder det: velg nabo, støy, forsøpling, skade, trusler eller annet"))
	}
	if f.Source != "" && !f.Source.Valid() {
		p = append(p, invalid.F("kilde: velg hvem klagen kom fra (nabo, borettslag, vaktmester, politi eller annet)"))
	}
	if v := q.Get("from"); v != "" {
		d, err := deadline.Parse(v)
		if err != nil {
			p = append(p, invalid.F("mottatt: skriv datoen klagen kom"))
		}
		f.From = d
	}
	if len(p) > 0 {
		s.apiError(w, r, invalid.New(p...))
		return
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	list, err := tenancy.Complaints(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), f, limit)
	if err != nil {
		s.tenancyAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list2(list))
}

// list2 wraps items in the API's list shape.
func list2[T any](items []T) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Limit: len(items)}
}

func (s *Server) apiRegisterComplaint(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in tenancy.ComplaintInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.tenancyChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return tenancy.RegisterComplaint(r.Context(), tx, s.actor(r, u), in, today())
	})
}

func (s *Server) apiInformComplaint(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in tenancy.InformInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.tenancyChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, tenancy.InformComplaint(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

func (s *Server) apiCloseComplaint(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in tenancy.CloseInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.tenancyChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, tenancy.CloseComplaint(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

func (s *Server) apiTenancyLease(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	a := s.actor(r, u)
	if !a.SeesPersons() {
		s.tenancyAPIError(w, r, access.ErrForbidden)
		return
	}
	l, err := tenancy.ReadLease(r.Context(), access.NewReader(s.db, a, access.ChannelAPI), id)
	if err != nil {
		s.tenancyAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (s *Server) apiTakeStep(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in tenancy.StepInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.tenancyChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return tenancy.TakeStep(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

type reasonInput struct {
	Reason string `json:"reason"`
}

func (s *Server) apiStopLadder(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in reasonInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.tenancyChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, tenancy.Stop(r.Context(), tx, s.actor(r, u), id, in.Reason)
	})
}

func (s *Server) apiTenantNotice(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in tenancy.TenantNoticeInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.tenancyChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return tenancy.RecordTenantNotice(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

func (s *Server) apiOpenLadders(w http.ResponseWriter, r *http.Request, u *org.User) {
	step := tenancy.Step(r.URL.Query().Get("step"))
	if step != "" && !step.Valid() {
		s.apiError(w, r, invalid.New(invalid.F("trinn: velg advarsel, oppsigelse, heving, begjæring om utkastelse eller utkastelse")))
		return
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	list, err := tenancy.OpenLadders(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), step, limit)
	if err != nil {
		s.tenancyAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list2(list))
}

func (s *Server) apiRollBack(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in reasonInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.tenancyChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, tenancy.RollBack(r.Context(), tx, s.actor(r, u), id, in.Reason)
	})
}

func (s *Server) apiStepLetter(asPDF bool) func(http.ResponseWriter, *http.Request, *org.User) {
	return func(w http.ResponseWriter, r *http.Request, u *org.User) {
		id, ok := apiID(w, r)
		if !ok {
			return
		}
		a := s.actor(r, u)
		if !a.SeesPersons() {
			s.tenancyAPIError(w, r, access.ErrForbidden)
			return
		}
		l, step, err := tenancy.MakeLetter(r.Context(), access.NewReader(s.db, a, access.ChannelAPI), id)
		if errors.Is(err, tenancy.ErrNoLetter) {
			s.tenancyAPIError(w, r, tenancy.ErrNotFound)
			return
		}
		if err != nil {
			s.tenancyAPIError(w, r, err)
			return
		}
		if !asPDF {
			writeJSON(w, http.StatusOK, struct {
				caseflow.Letter
				StepID int64 `json:"step_id"`
			}{l, id})
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s-%d.pdf"`, step.Step, id))
		w.Header().Set("Cache-Control", "no-store")
		if err := l.WritePDF(w, time.Now()); err != nil {
			s.log.Error("tenancy letter pdf", "error", err.Error())
		}
	}
}

func (s *Server) apiMyComplaints(w http.ResponseWriter, r *http.Request, u *org.User) {
	list, err := tenancy.MyComplaints(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI))
	if err != nil {
		s.tenancyAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list2(list))
}

type replyInput struct {
	Body string `json:"body"`
}

func (s *Server) apiReplyToComplaint(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in replyInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.tenancyChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return tenancy.ReplyToComplaint(r.Context(), tx, s.actor(r, u), id, in.Body)
	})
}

func (s *Server) apiConversations(w http.ResponseWriter, r *http.Request, u *org.User) {
	list, err := tenancy.Conversations(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI))
	if err != nil {
		s.tenancyAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list2(list))
}

func (s *Server) apiRecordTalk(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in tenancy.TalkInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.tenancyChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, tenancy.RecordTalk(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}
