package web

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"

	"husly/internal/access"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/personaldata"
	_ "husly/internal/personaldata/all" // the dossier and erasure need every capability's tables
	"husly/internal/store"
)

// The person's rights under GDPR: access (art. 15) as PDF and JSON,
// correction (16), restriction (18) and erasure (17), for pages and API.

func (s *Server) dossier(w http.ResponseWriter, r *http.Request, u *org.User, id int64, asPDF bool) {
	// The copy is written in the reader's language: the page's for a
	// download, the API answer's for the API.
	lang := language(r)
	if isAPI(r) {
		lang = apiLanguage(r)
	}
	var d people.Dossier
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		d, err = people.Collect(i18n.WithLang(r.Context(), lang), tx, s.actor(r, u), id)
		return err
	})
	if err != nil {
		if isAPI(r) {
			s.apiError(w, r, err)
		} else {
			s.personDenied(w, r, u, id, err)
		}
		return
	}
	if !asPDF {
		w.Header().Set("Content-Disposition", `attachment; filename="innsyn.json"`)
		writeJSON(w, http.StatusOK, d)
		return
	}
	var buf bytes.Buffer
	if err := d.WritePDF(&buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="innsyn.pdf"`)
	_, _ = buf.WriteTo(w) // a client gone away cannot be told
}

func isAPI(r *http.Request) bool { return len(r.URL.Path) > 5 && r.URL.Path[:5] == "/api/" }

func (s *Server) dossierPDF(w http.ResponseWriter, r *http.Request, u *org.User) {
	if id, ok := pathID(r); ok {
		s.dossier(w, r, u, id, true)
		return
	}
	s.errorPage(w, r, http.StatusNotFound)
}

func (s *Server) dossierJSON(w http.ResponseWriter, r *http.Request, u *org.User) {
	if id, ok := pathID(r); ok {
		s.dossier(w, r, u, id, false)
		return
	}
	s.errorPage(w, r, http.StatusNotFound)
}

// myDossier is the resident's own download, PDF or JSON.
func (s *Server) myDossier(asPDF bool) func(http.ResponseWriter, *http.Request, *org.User) {
	return func(w http.ResponseWriter, r *http.Request, u *org.User) {
		if u.Role != access.Resident || u.PersonID == 0 {
			if isAPI(r) {
				s.apiError(w, r, access.ErrForbidden)
			} else {
				s.errorPage(w, r, http.StatusForbidden)
			}
			return
		}
		s.dossier(w, r, u, u.PersonID, asPDF)
	}
}

func (s *Server) correctPerson(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, tr(r, "flash.corrected"), func(tx *store.Tx, a access.Actor, id int64) error {
		return people.Correct(r.Context(), tx, a, id, people.Correction{FirstName: r.PostFormValue("first_name"),
			LastName: r.PostFormValue("last_name"), Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email"),
			Address: r.PostFormValue("address"), PostalCode: r.PostFormValue("postal_code"), PostalPlace: r.PostFormValue("postal_place")})
	})
}

// restrictPerson sets or lifts restriction; afterwards the leader goes back
// to the list, since a restricted person cannot be opened.
func (s *Server) restrictPerson(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	restrict := r.PostFormValue("restricted") == "ja"
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return people.Restrict(r.Context(), tx, s.actor(r, u), id, restrict, r.PostFormValue("reason"))
	})
	var ve *people.ValidationError
	switch {
	case errors.As(err, &ve):
		s.render(w, r, "error", view{Title: tr(r, "rights.unchanged"), Error: problemLine(r, ve.Problems), User: u, Status: http.StatusUnprocessableEntity})
	case err != nil:
		s.personDenied(w, r, u, id, err)
	case restrict:
		// A restricted person cannot be opened: back to the list.
		s.saved(w, r, tr(r, "rights.restricted"), "/personer")
	default:
		s.saved(w, r, tr(r, "forms.restriction.lifted"), "/personer/"+strconv.FormatInt(id, 10))
	}
}

func (s *Server) erasePerson(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return people.Delete(r.Context(), tx, s.actor(r, u), id, r.PostFormValue("reason"))
	})
	var ve *people.ValidationError
	switch {
	case errors.Is(err, people.ErrMustKeep):
		s.showPerson(w, r, u, personPage{Problems: problemsFor(r, []invalid.Message{invalid.F("Personen kan ikke slettes: %s. Begrens behandlingen i stedet.", mustKeep(err))})})
	case errors.As(err, &ve):
		s.showPerson(w, r, u, personPage{Problems: problemsFor(r, ve.Problems)})
	case err != nil:
		s.personDenied(w, r, u, id, err)
	default:
		s.saved(w, r, tr(r, "rights.erased"), "/personer")
	}
}

// The API's forms of the same operations.

func (s *Server) apiDossier(w http.ResponseWriter, r *http.Request, u *org.User) {
	if id, ok := apiID(w, r); ok {
		s.dossier(w, r, u, id, false)
	}
}

func (s *Server) apiCorrect(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var c people.Correction
	if !decodeJSON(w, r, &c) {
		return
	}
	a := s.actor(r, u)
	var v people.View
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := people.Correct(r.Context(), tx, a, id, c); err != nil {
			return err
		}
		var err error
		v, err = people.Load(r.Context(), tx, a, id, access.ChannelAPI)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

type restrictionRequest struct {
	Restricted bool   `json:"restricted"`
	Reason     string `json:"reason"`
}

func (s *Server) apiRestrict(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var req restrictionRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return people.Restrict(r.Context(), tx, s.actor(r, u), id, req.Restricted, req.Reason)
	}); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, req)
}

type eraseRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) apiErase(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var req eraseRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return people.Delete(r.Context(), tx, s.actor(r, u), id, req.Reason)
	})
	if errors.Is(err, people.ErrMustKeep) {
		writeProblem(w, r, http.StatusConflict, invalid.F("Personen kan ikke slettes: %s. Begrens behandlingen i stedet.", mustKeep(err)))
		return
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// mustKeep is a refused erasure as a message argument, in the reader's
// language: what must be kept and why (personaldata.MustKeep), or the
// error's bokmål text when it says no more.
func mustKeep(err error) any {
	if mk, ok := errors.AsType[*personaldata.MustKeep](err); ok {
		return mk
	}
	return err.Error()
}
