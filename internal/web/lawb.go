package web

import (
	"errors"
	"net/http"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/org"
	"husly/internal/store"
)

// The law's catalogues (provisions and services) and the report of
// applicants passed over by an offer made by hand.

// passedOverPage shows unit leaders and the auditor every offer that
// passed over a fitting applicant with higher priority, with the reason
// (seed 003: need decides).
func (s *Server) passedOverPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	report, err := caseflow.PassedOverReport(r.Context(), s.db, s.actor(r, u), access.ChannelPage)
	if errors.Is(err, access.ErrForbidden) {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "passedover", view{Title: translate(language(r), "lawb.passed.title"), Nav: "allocation", User: u, Data: report})
}

func (s *Server) apiPassedOver(w http.ResponseWriter, r *http.Request, u *org.User) {
	report, err := caseflow.PassedOverReport(r.Context(), s.db, s.actor(r, u), access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[caseflow.PassedOverRow]{Items: report, Limit: len(report)})
}

func (s *Server) apiProvisions(w http.ResponseWriter, r *http.Request, u *org.User) {
	ps, err := caseflow.Provisions(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[caseflow.Provision]{Items: ps, Limit: len(ps)})
}

func (s *Server) apiSetProvision(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in caseflow.Provision
	if !decodeJSON(w, r, &in) {
		return
	}
	in.Code = r.PathValue("code")
	var out caseflow.Provision
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		out, err = caseflow.SaveProvision(r.Context(), tx, s.actor(r, u), in)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiServiceCatalogue(w http.ResponseWriter, r *http.Request, u *org.User) {
	cs, err := caseflow.Services(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[caseflow.CatalogService]{Items: cs, Limit: len(cs)})
}

func (s *Server) apiSetService(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in caseflow.CatalogService
	if !decodeJSON(w, r, &in) {
		return
	}
	in.Code = r.PathValue("code")
	var out caseflow.CatalogService
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		out, err = caseflow.SaveService(r.Context(), tx, s.actor(r, u), in)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
