package web

import (
	"errors"
	"net/http"
	"strconv"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
)

// Follow-up in the API: everything the pages do, as JSON.

func (s *Server) followupAPIRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/api/v1/followup/teams", s.apiTeams},
		{"POST", "/api/v1/followup/teams", s.apiCreateTeam},
		{"POST", "/api/v1/followup/teams/{id}/members", s.apiAddMember},
		{"GET", "/api/v1/followup/teams/{id}/board", s.apiBoard},
		{"GET", "/api/v1/followup/teams/{id}/pipeline", s.apiPipeline},
		{"POST", "/api/v1/followup/teams/{id}/pipeline", s.apiRefer},
		{"POST", "/api/v1/followup/pipeline/{id}/advance", s.apiAdvance},
		{"GET", "/api/v1/followup/norms", s.apiNorms},
		{"PUT", "/api/v1/followup/norms", s.apiSetNorm},
		{"GET", "/api/v1/followup/alerts", s.apiAlerts},
		{"GET", "/api/v1/followup/today", s.apiToday},
		{"POST", "/api/v1/followups", s.apiStartFollowUp},
		{"GET", "/api/v1/followups/{id}", s.apiFollowUp},
		{"POST", "/api/v1/followups/{id}/contacts", s.apiRecordContact},
		{"POST", "/api/v1/followups/{id}/end", s.apiEndFollowUp},
		{"POST", "/api/v1/followups/{id}/door", s.apiDoor},
		{"POST", "/api/v1/followups/{id}/resume", s.apiResume},
		{"POST", "/api/v1/followups/{id}/board-flags", s.apiFlag},
		{"POST", "/api/v1/followups/{id}/appointments", s.apiAddAppointment},
		{"POST", "/api/v1/followup/appointments/{id}/done", s.apiCompleteAppointment},
		{"GET", "/api/v1/persons/{id}/followups", s.apiPersonFollowUps},
		{"GET", "/api/v1/followups/{id}/restrictions", s.apiRestrictions},
		{"POST", "/api/v1/followups/{id}/restrictions", s.apiRestrictFollowUp},
		{"GET", "/api/v1/followup/restrictions", s.apiSupervisionReport},
		{"GET", "/api/v1/followup/observations", s.apiObservations},
		{"POST", "/api/v1/followup/observations", s.apiObserve},
		{"POST", "/api/v1/followup/observations/{id}/handled", s.apiHandle},
	}
}

// followupAPIError maps follow-up's errors to problem details.
func (s *Server) followupAPIError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, followup.ErrNotFound) {
		writeProblem(w, r, http.StatusNotFound, invalid.F("Finnes ikke, eller du har ikke tilgang."))
		return
	}
	s.apiError(w, r, err)
}

// created is the answer to a POST that made something.
type created struct {
	ID int64 `json:"id"`
}

// apiChange runs one change in one transaction and answers with status
// and what answer returns (or the id made).
func (s *Server) apiChange(w http.ResponseWriter, r *http.Request, status int, fn func(tx *store.Tx) (int64, error)) {
	s.changeIn(w, r, status, s.followupAPIError, fn)
}

func (s *Server) apiTeams(w http.ResponseWriter, r *http.Request, u *org.User) {
	ts, err := followup.Teams(r.Context(), s.db, s.actor(r, u))
	if err != nil {
		s.followupAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[followup.Team]{Items: ts, Limit: len(ts)})
}

type teamInput struct {
	OrgUnitID int64          `json:"org_unit_id"`
	Model     followup.Model `json:"model"`
}

func (s *Server) apiCreateTeam(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in teamInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return followup.CreateTeam(r.Context(), tx, s.actor(r, u), in.OrgUnitID, in.Model)
	})
}

func (s *Server) apiAddMember(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in followup.Member
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return followup.AddMember(r.Context(), tx, s.actor(r, u), id, in)
	})
}

func (s *Server) apiBoard(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	b, err := followup.ReadBoard(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id, today())
	if err != nil {
		s.followupAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (s *Server) apiPipeline(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	p, err := followup.ReadPipeline(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id, today())
	if err != nil {
		s.followupAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

type referInput struct {
	PersonID   int64         `json:"person_id"`
	ReferredBy string        `json:"referred_by"`
	On         deadline.Date `json:"on,omitzero"`
}

func (s *Server) apiRefer(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in referInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return followup.Refer(r.Context(), tx, s.actor(r, u), id, in.PersonID, in.ReferredBy, in.On, today())
	})
}

func (s *Server) apiAdvance(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in followup.AdvanceInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, followup.Advance(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

func (s *Server) apiNorms(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	norms, err := followup.Norms(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]followup.Norm, 0, len(followup.Models))
	for _, m := range followup.Models {
		out = append(out, norms[m])
	}
	writeJSON(w, http.StatusOK, list[followup.Norm]{Items: out, Limit: len(out)})
}

func (s *Server) apiSetNorm(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in followup.Norm
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, followup.SetNorm(r.Context(), tx, s.actor(r, u), in)
	})
}

func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request, u *org.User) {
	alerts, err := followup.AlertsFor(r.Context(), s.db, s.actor(r, u), today())
	if err != nil {
		s.followupAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[followup.Alert]{Items: alerts, Limit: len(alerts)})
}

func (s *Server) apiToday(w http.ResponseWriter, r *http.Request, u *org.User) {
	mine, err := followup.ReadMine(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), today())
	if err != nil {
		s.followupAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, mine)
}

func (s *Server) apiStartFollowUp(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in followup.StartInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return followup.Start(r.Context(), tx, s.actor(r, u), in, today())
	})
}

func (s *Server) apiFollowUp(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	limit := 50
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			writeProblem(w, r, http.StatusBadRequest, invalid.F("limit må være et heltall fra 1 til 500."))
			return
		}
		limit = n
	}
	d, err := followup.ReadFollowUp(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id, limit)
	if err != nil {
		s.followupAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiRecordContact(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in followup.ContactInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return followup.RecordContact(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

func (s *Server) apiEndFollowUp(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in followup.EndInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, followup.End(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

func (s *Server) apiDoor(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in followup.DoorInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, followup.KeepDoorOpen(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

func (s *Server) apiResume(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	s.apiChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, followup.Resume(r.Context(), tx, s.actor(r, u), id)
	})
}

func (s *Server) apiFlag(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in followup.BoardInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return followup.Flag(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

func (s *Server) apiAddAppointment(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in followup.AppointmentInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return followup.AddAppointment(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

func (s *Server) apiCompleteAppointment(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	s.apiChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, followup.CompleteAppointment(r.Context(), tx, s.actor(r, u), id, today())
	})
}

func (s *Server) apiPersonFollowUps(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	fs, err := followup.FollowUpsOf(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id)
	if err != nil {
		s.followupAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.Personal[followup.FollowUp]]{Items: fs, Limit: len(fs)})
}

func (s *Server) apiObservations(w http.ResponseWriter, r *http.Request, u *org.User) {
	obs, err := followup.Observations(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), 100)
	if err != nil {
		s.followupAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.Personal[followup.Observation]]{Items: obs, Limit: 100})
}

func (s *Server) apiObserve(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in followup.ObservationInput
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return followup.Observe(r.Context(), tx, s.actor(r, u), in, today())
	})
}

func (s *Server) apiHandle(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in struct {
		Reply string `json:"reply"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusNoContent, func(tx *store.Tx) (int64, error) {
		return 0, followup.Handle(r.Context(), tx, s.actor(r, u), id, in.Reply, today())
	})
}

func (s *Server) apiRestrictions(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	rs, err := followup.RestrictionsOfFollowUp(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id, today())
	if err != nil {
		s.followupAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.Personal[followup.Restriction]]{Items: rs, Limit: len(rs)})
}

func (s *Server) apiRestrictFollowUp(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in followup.Restriction
	if !decodeJSON(w, r, &in) {
		return
	}
	s.apiChange(w, r, http.StatusCreated, func(tx *store.Tx) (int64, error) {
		return followup.Restrict(r.Context(), tx, s.actor(r, u), id, in, today())
	})
}

func (s *Server) apiSupervisionReport(w http.ResponseWriter, r *http.Request, u *org.User) {
	rep, err := followup.ReadSupervisionReport(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), today())
	if err != nil {
		s.followupAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
