package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"husly/internal/access"
	"husly/internal/arrears"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/tabular"
)

// Arrears in the API: the economy system posts its batches here, and
// everything the pages do is here as JSON.

func (s *Server) arrearsAPIRoutes() []apiRoute {
	return []apiRoute{
		{"POST", "/api/v1/arrears/batches", s.apiArrearsBatch},
		{"GET", "/api/v1/arrears/conversations", s.apiArrearsConversations},
		{"POST", "/api/v1/arrears/conversations/{id}/outcome", s.apiArrearsOutcome},
		{"POST", "/api/v1/arrears/conversations/{id}/collection", s.apiArrearsCollection},
		{"GET", "/api/v1/arrears/leases/{id}", s.apiArrearsLease},
		{"POST", "/api/v1/arrears/leases/{id}/dues", s.apiArrearsRegister},
		{"POST", "/api/v1/arrears/dues/{id}/outstanding", s.apiArrearsOutstanding},
		{"GET", "/api/v1/arrears/practice", s.apiArrearsPractice},
		{"PUT", "/api/v1/arrears/practice", s.apiArrearsSetPractice},
	}
}

// arrearsAPIError maps arrears' errors to problem details: a rejected
// batch names every bad line.
func (s *Server) arrearsAPIError(w http.ResponseWriter, r *http.Request, err error) {
	var bad tabular.Errors
	switch {
	case errors.Is(err, arrears.ErrNotFound):
		writeProblem(w, r, http.StatusNotFound, invalid.F("Finnes ikke, eller du har ikke tilgang."))
	case errors.As(err, &bad):
		ms := make([]invalid.Message, 0, len(bad))
		for _, le := range bad {
			for _, p := range le.Problems {
				ms = append(ms, invalid.F("linje %d: %s", le.Line, p))
			}
		}
		writeProblem(w, r, http.StatusUnprocessableEntity, invalid.F("Ingenting ble lagret: %d linjer har feil.", len(bad)), ms...)
	default:
		s.apiError(w, r, err)
	}
}

// batchInput is what the economy system posts.
type batchInput struct {
	BatchID string         `json:"batch_id"`
	Lines   []arrears.Line `json:"lines"`
}

// apiArrearsBatch receives a batch: 201 with the result the first time,
// 200 with the first result when the same batch comes again.
func (s *Server) apiArrearsBatch(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in batchInput
	if !decodeJSON(w, r, &in) {
		return
	}
	// The hash is of the lines as Husly read them, so the same batch sent
	// again with other spacing is the same batch.
	canonical, err := json.Marshal(in.Lines)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	a := s.actor(r, u)
	var res arrears.Result
	err = s.db.InConnTx(r.Context(), func(tx *store.Tx) error {
		var err error
		res, err = arrears.Receive(r.Context(), tx, a, in.BatchID, arrears.Hash(canonical), arrears.FromAPI, in.Lines, today())
		return err
	})
	if err != nil {
		s.arrearsAPIError(w, r, err)
		return
	}
	status := http.StatusCreated
	if res.Repeated {
		status = http.StatusOK
	}
	writeJSON(w, status, res)
}

func (s *Server) apiArrearsConversations(w http.ResponseWriter, r *http.Request, u *org.User) {
	rows, err := arrears.Overview(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), arrearsFilter(r), today())
	if err != nil {
		s.arrearsAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[arrears.Row]{Items: rows, Limit: len(rows)})
}

func (s *Server) apiArrearsLease(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	v, err := arrears.ReadLease(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id, today())
	if err != nil {
		s.arrearsAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// arrearsChange runs one change in one transaction.
func (s *Server) arrearsChange(w http.ResponseWriter, r *http.Request, status int, fn func(tx *store.Tx) (int64, error)) {
	s.changeIn(w, r, status, s.arrearsAPIError, fn)
}

func (s *Server) apiArrearsRegister(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in arrears.HandInput
	if !decodeJSON(w, r, &in) {
		return
	}
	in.LeaseID = id
	s.arrearsChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return arrears.Register(r.Context(), tx, s.actor(r, u), in, today())
	})
}

type outstandingInput struct {
	Outstanding int64 `json:"outstanding_ore"`
}

func (s *Server) apiArrearsOutstanding(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in outstandingInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.arrearsChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, arrears.SetOutstanding(r.Context(), tx, s.actor(r, u), id, in.Outstanding, today())
	})
}

func (s *Server) apiArrearsOutcome(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in arrears.OutcomeInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.arrearsChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, arrears.RecordOutcome(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

type collectionInput struct {
	On     string `json:"collection_on"`
	Reason string `json:"reason"`
}

func (s *Server) apiArrearsCollection(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in collectionInput
	if !decodeJSON(w, r, &in) {
		return
	}
	on, _ := arrears.ParseDay(in.On)
	s.arrearsChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, arrears.StartCollection(r.Context(), tx, s.actor(r, u), id, on, in.Reason, today())
	})
}

func (s *Server) apiArrearsPractice(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		writeProblem(w, r, http.StatusForbidden, invalid.F("Rollen din gir ikke tilgang til dette."))
		return
	}
	p, err := arrears.LoadPractice(r.Context(), s.db, s.actor(r, u).MunicipalityID)
	if err != nil {
		s.arrearsAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiArrearsSetPractice(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in arrears.Practice
	if !decodeJSON(w, r, &in) {
		return
	}
	s.arrearsChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, arrears.SetPractice(r.Context(), tx, s.actor(r, u), in)
	})
}
