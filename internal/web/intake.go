package web

import (
	"net/http"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/org"
	"husly/internal/store"
)

// First contact and mapping: the case flow's first steps, on the person's
// page and in the API.

func (s *Server) registerContact(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, "Henvendelsen er registrert.", func(tx *store.Tx, a access.Actor, id int64) error {
		_, err := caseflow.RegisterContact(r.Context(), tx, a, id, caseflow.ContactInput{Received: r.PostFormValue("received_on"),
			Channel: r.PostFormValue("channel"), Residence: caseflow.Residence(r.PostFormValue("residence")), Leaving: r.PostFormValue("leaving_on"),
			HomeWaiting: r.PostFormValue("home_waiting") == "ja", Summary: r.PostFormValue("summary")}, deadline.On(time.Now()))
		return err
	})
}

func mappingFromForm(r *http.Request) caseflow.Mapping {
	yes := func(name string) bool { return r.PostFormValue(name) == "ja" }
	return caseflow.Mapping{HousingNeed: r.PostFormValue("housing_need"), ServiceNeed: r.PostFormValue("service_need"),
		Finances: r.PostFormValue("finances"), Functioning: r.PostFormValue("functioning"), Network: r.PostFormValue("network"),
		ShareNetwork: yes("share_network"), Goals: r.PostFormValue("goals"), WantDistricts: r.PostFormValue("want_districts"),
		AvoidDistricts: r.PostFormValue("avoid_districts"), LiveWith: r.PostFormValue("live_with"), Pets: yes("pets"),
		SmokeFree: yes("smoke_free"), GroundFloor: yes("ground_floor"), Wheelchair: yes("wheelchair"), NearNetwork: yes("near_network")}
}

func (s *Server) saveMapping(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, "Kartleggingen er lagret som en ny versjon.", func(tx *store.Tx, a access.Actor, id int64) error {
		_, err := caseflow.SaveMapping(r.Context(), tx, a, id, mappingFromForm(r))
		return err
	})
}

func (s *Server) apiContacts(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	cs, err := caseflow.Contacts(r.Context(), s.db, s.actor(r, u), id, access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[caseflow.Contact]{Items: cs, Limit: len(cs)})
}

func (s *Server) apiRegisterContact(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in caseflow.ContactInput
	if !decodeJSON(w, r, &in) {
		return
	}
	var c caseflow.Contact
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		c, err = caseflow.RegisterContact(r.Context(), tx, s.actor(r, u), id, in, deadline.On(time.Now()))
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) apiMapping(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	m, err := caseflow.LatestMapping(r.Context(), s.db, s.actor(r, u), id, access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) apiSaveMapping(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var m caseflow.Mapping
	if !decodeJSON(w, r, &m) {
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		m, err = caseflow.SaveMapping(r.Context(), tx, s.actor(r, u), id, m)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}
