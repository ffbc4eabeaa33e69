package web

import (
	"errors"
	"net/http"
	"time"

	"husly/internal/access"
	"husly/internal/invalid"
	"husly/internal/movingon"
	"husly/internal/org"
	"husly/internal/risk"
	"husly/internal/store"
)

// Keeping the home in the API: the risk list and moving on, as JSON.

func (s *Server) keepingAPIRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/api/v1/risk", s.apiRisk},
		{"GET", "/api/v1/moving-on", s.apiMovingOn},
		{"GET", "/api/v1/moving-on/persons/{id}", s.apiMovingOnResident},
		{"POST", "/api/v1/moving-on/renewals", s.apiRecordRenewal},
		{"GET", "/api/v1/moving-on/renewals/{id}/letter.pdf", s.apiRenewalLetter},
		{"POST", "/api/v1/moving-on/plans", s.apiSavePlan},
		{"POST", "/api/v1/moving-on/credit-checks", s.apiRecordCreditCheck},
		{"POST", "/api/v1/moving-on/moves", s.apiRecordMove},
		{"GET", "/api/v1/moving-on/decisions/{id}", s.apiTenancyDecision},
		{"POST", "/api/v1/moving-on/decisions/{id}/notified", s.apiDecisionNotified},
		{"POST", "/api/v1/moving-on/decisions/{id}/appeals", s.apiDecisionAppeal},
		{"POST", "/api/v1/moving-on/appeals/{id}/steps", s.apiAppealStep},
	}
}

// keepingAPIError maps moving on's errors to problem details.
func (s *Server) keepingAPIError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, movingon.ErrNotFound) {
		writeProblem(w, r, http.StatusNotFound, invalid.F("Finnes ikke, eller du har ikke tilgang."))
		return
	}
	s.apiError(w, r, err)
}

func (s *Server) apiRisk(w http.ResponseWriter, r *http.Request, u *org.User) {
	rd := access.NewReader(s.db, s.actor(r, u), access.ChannelAPI)
	l, err := risk.Read(r.Context(), rd, risk.Query{Today: today(), BuildingID: queryNumber(r, "building_id"), PersonID: queryNumber(r, "person_id")}, riskListLimit)
	if err != nil {
		s.keepingAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (s *Server) apiMovingOn(w http.ResponseWriter, r *http.Request, u *org.User) {
	rd := access.NewReader(s.db, s.actor(r, u), access.ChannelAPI)
	o, err := movingon.ReadOverview(r.Context(), rd, 0, today())
	if err != nil {
		s.keepingAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

func (s *Server) apiMovingOnResident(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	rd := access.NewReader(s.db, s.actor(r, u), access.ChannelAPI)
	res, err := movingon.ReadResident(r.Context(), rd, id, today())
	if err != nil {
		s.keepingAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// keepingChange runs one change in one transaction and answers 201 with
// the id made.
func (s *Server) keepingChange(w http.ResponseWriter, r *http.Request, fn func(tx *store.Tx) (int64, error)) {
	s.changeIn(w, r, http.StatusCreated, s.keepingAPIError, fn)
}

func (s *Server) apiRecordRenewal(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in movingon.RenewalInput
	if !s.mayDecode(w, r, movingon.Decides(s.actor(r, u)), &in) {
		return
	}
	s.keepingChange(w, r, func(tx *store.Tx) (int64, error) {
		x, err := movingon.RecordRenewal(r.Context(), tx, s.actor(r, u), in, today())
		return x.ID, err
	})
}

func (s *Server) apiSavePlan(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in movingon.PlanInput
	if !s.mayDecode(w, r, s.actor(r, u).Writes(), &in) {
		return
	}
	s.keepingChange(w, r, func(tx *store.Tx) (int64, error) {
		x, err := movingon.SavePlan(r.Context(), tx, s.actor(r, u), in, today())
		return x.ID, err
	})
}

func (s *Server) apiRecordCreditCheck(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in movingon.CreditInput
	if !s.mayDecode(w, r, s.actor(r, u).Writes(), &in) {
		return
	}
	s.keepingChange(w, r, func(tx *store.Tx) (int64, error) {
		x, err := movingon.RecordCreditCheck(r.Context(), tx, s.actor(r, u), in, today())
		return x.ID, err
	})
}

func (s *Server) apiRenewalLetter(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	l, err := movingon.RenewalLetter(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id, today())
	if err != nil {
		s.keepingAPIError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	if err := l.WritePDF(w, time.Now()); err != nil {
		s.log.Error("renewal letter", "err", err)
	}
}

func (s *Server) apiRecordMove(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in movingon.MoveInput
	if !s.mayDecode(w, r, movingon.Decides(s.actor(r, u)), &in) {
		return
	}
	s.keepingChange(w, r, func(tx *store.Tx) (int64, error) {
		x, err := movingon.RecordMove(r.Context(), tx, s.actor(r, u), in, today())
		return x.ID, err
	})
}

// apiTenancyDecision is one tenancy decision with its notification and
// appeals: for staff with the tenancy category, and for the resident it
// concerns.
func (s *Server) apiTenancyDecision(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	x, err := movingon.ReadDecision(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id)
	if err != nil {
		s.keepingAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, x)
}

func (s *Server) apiDecisionNotified(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in movingon.NotifyInput
	if !s.mayDecode(w, r, movingon.Decides(s.actor(r, u)), &in) {
		return
	}
	var out movingon.Renewal
	err := s.inTx(r, func(tx *store.Tx) error {
		var err error
		out, err = movingon.RecordNotified(r.Context(), tx, s.actor(r, u), id, in, today())
		return err
	})
	if err != nil {
		s.keepingAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": out.ID, "notified_on": out.NotifiedOn, "notified_via": out.NotifiedVia, "appeal_due": out.AppealDue})
}

// apiDecisionAppeal registers an appeal: the resident's own (received
// today), or one staff received.
func (s *Server) apiDecisionAppeal(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	a := s.actor(r, u)
	var in movingon.AppealInput
	if !s.mayDecode(w, r, movingon.Decides(a) || a.Role == access.Resident, &in) {
		return
	}
	s.keepingChange(w, r, func(tx *store.Tx) (int64, error) {
		x, err := movingon.RegisterAppeal(r.Context(), tx, s.actor(r, u), id, in, today())
		return x.ID, err
	})
}

func (s *Server) apiAppealStep(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in movingon.AppealStepInput
	if !s.mayDecode(w, r, movingon.Decides(s.actor(r, u)), &in) {
		return
	}
	var out movingon.Appeal
	err := s.inTx(r, func(tx *store.Tx) error {
		var err error
		out, err = movingon.AdvanceAppeal(r.Context(), tx, s.actor(r, u), id, in, today())
		return err
	})
	if err != nil {
		s.keepingAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
