package web

import (
	"net/http"

	"husly/internal/access"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/writtenform"
)

// The written form letters are in: the person's wish, set by staff on the
// person page and by the resident on Min side, and the municipality's
// choice, set by an administrator on the texts page (docs/caseflow.md).

// The resident's form on Min side (templates/resident.html), for a form
// sent back with its problems (keptforms.go): the only problem is a form
// that is not one Husly writes in.
var _ = declareForms(map[string][]formField{
	"POST /min-side/skriftsprak": {{"written-form", "written_form", "skriftspråk"}},
})

// setPersonWrittenForm records the form a person wants letters in.
// Residents set their own on Min side, not through the staff's form.
func (s *Server) setPersonWrittenForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	s.personAction(w, r, u, translate(language(r), "letters.form.saved"), func(tx *store.Tx, a access.Actor, id int64) error {
		return people.SetWrittenForm(r.Context(), tx, a, id, r.PostFormValue("written_form"))
	})
}

// setMyWrittenForm lets the resident choose the form of their own letters.
func (s *Server) setMyWrittenForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role != access.Resident || u.PersonID == 0 {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return people.SetWrittenForm(r.Context(), tx, s.actor(r, u), u.PersonID, r.PostFormValue("written_form"))
	})
	s.flashThenRedirect(w, r, u, err, translate(language(r), "letters.form.saved"), "/")
}

// setMunicipalWrittenForm records the municipality's choice (administrators).
func (s *Server) setMunicipalWrittenForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return writtenform.SetMunicipality(r.Context(), tx, s.actor(r, u), r.PostFormValue("written_form"))
	})
	s.flashThenRedirect(w, r, u, err, translate(language(r), "letters.policy.saved"), "/tekster")
}

// writtenFormBody is the API's form of both settings.
type writtenFormBody struct {
	WrittenForm string `json:"written_form"`
}

func (s *Server) apiSetPersonWrittenForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in writtenFormBody
	if !decodeJSON(w, r, &in) {
		return
	}
	if err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return people.SetWrittenForm(r.Context(), tx, s.actor(r, u), id, in.WrittenForm)
	}); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

func (s *Server) apiMunicipalWrittenForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	p, err := writtenform.OfMunicipality(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, writtenFormBody{string(p)})
}

func (s *Server) apiSetMunicipalWrittenForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in writtenFormBody
	if !decodeJSON(w, r, &in) {
		return
	}
	if err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return writtenform.SetMunicipality(r.Context(), tx, s.actor(r, u), in.WrittenForm)
	}); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}
