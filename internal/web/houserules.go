package web

import (
	"errors"
	"net/http"

	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/org"
	"husly/internal/store"
)

// House rules made with the residents: the building page for staff, the
// residents' comments on Min side, and the API for both.

// The fields of the house rules' forms, by route, for a form sent back
// with its problems (keptforms.go): the draft and putting it in force on
// the building page (templates/building.html), and a resident's comment
// on Min side (templates/resident.html), one form per draft, which names
// its draft in rules_id. A draft already in force, or none to put in
// force, is about no field.
var _ = declareForms(map[string][]formField{
	"POST /bygg/{id}/husordensregler":        {{"r-body", "body", "husordensreglene"}},
	"POST /bygg/{id}/husordensregler/ikraft": {{"r-on", "on", "words.field.valid_from"}, {"r-on", "on", "en dag som har vært"}},
	"POST /min-side/husordensregler":         {{"c-{rules_id}", "body", "merknaden"}},
})

type buildingPage struct {
	ID       int64
	Name     string
	Versions []caseflow.HouseRules
	Draft    *caseflow.HouseRules
	Writes   bool
	Message  string
	Today    string
}

func (s *Server) buildingPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	name, versions, err := caseflow.BuildingHouseRules(r.Context(), s.db, a, id)
	switch {
	case errors.Is(err, caseflow.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound)
		return
	case err != nil:
		s.flashThenRedirect(w, r, u, err, "", "/")
		return
	}
	d := buildingPage{ID: id, Name: name, Versions: versions, Writes: a.Writes(), Message: s.sessions.PopString(r.Context(), "flash"), Today: today().String()}
	if len(versions) > 0 && versions[0].Status == "utkast" {
		d.Draft = &versions[0]
	}
	s.render(w, r, "building", view{Title: name, Nav: "units", User: u, Data: d})
}

// buildingAction runs a change to a building's house rules and goes back
// to the building page.
func (s *Server) buildingAction(w http.ResponseWriter, r *http.Request, u *org.User, done string, fn func(tx *store.Tx, id int64) error) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error { return fn(tx, id) })
	if errors.Is(err, caseflow.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	s.flashThenRedirect(w, r, u, err, done, "/bygg/"+r.PathValue("id"))
}

func (s *Server) saveHouseRulesDraft(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.buildingAction(w, r, u, translate(language(r), "lawa.rules.draft_saved"), func(tx *store.Tx, id int64) error {
		_, err := caseflow.SaveHouseRulesDraft(r.Context(), tx, s.actor(r, u), id, r.PostFormValue("body"))
		return err
	})
}

func (s *Server) putHouseRulesInForce(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.buildingAction(w, r, u, translate(language(r), "lawa.rules.in_force_saved"), func(tx *store.Tx, id int64) error {
		nums := numbersIn(r)
		on := nums.Date("on", "words.field.valid_from")
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := caseflow.PutHouseRulesInForce(r.Context(), tx, s.actor(r, u), id, on, today())
		return err
	})
}

// commentHouseRules takes a resident's comment on a draft from Min side.
func (s *Server) commentHouseRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	rid := nums.ID("rules_id", "words.field.draft")
	err := nums.Err()
	if err == nil {
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			_, err := caseflow.CommentHouseRules(r.Context(), tx, s.actor(r, u), rid, r.PostFormValue("body"))
			return err
		})
	}
	s.flashThenRedirect(w, r, u, err, translate(language(r), "lawa.rules.comment_saved"), "/")
}

type houseRulesInput struct {
	Body string        `json:"body"`
	On   deadline.Date `json:"on,omitzero"`
}

type buildingRules struct {
	Building string                `json:"building"`
	Versions []caseflow.HouseRules `json:"versions"`
}

func (s *Server) apiBuildingHouseRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	name, versions, err := caseflow.BuildingHouseRules(r.Context(), s.db, s.actor(r, u), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, buildingRules{Building: name, Versions: versions})
}

func (s *Server) apiHouseRulesChange(inForce bool) func(http.ResponseWriter, *http.Request, *org.User) {
	return func(w http.ResponseWriter, r *http.Request, u *org.User) {
		id, ok := apiID(w, r)
		if !ok {
			return
		}
		var in houseRulesInput
		if !decodeJSON(w, r, &in) {
			return
		}
		var out caseflow.HouseRules
		err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
			var err error
			if inForce {
				out, err = caseflow.PutHouseRulesInForce(r.Context(), tx, s.actor(r, u), id, in.On, today())
			} else {
				out, err = caseflow.SaveHouseRulesDraft(r.Context(), tx, s.actor(r, u), id, in.Body)
			}
			return err
		})
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func (s *Server) apiMyHouseRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	rs, err := caseflow.MyHouseRules(r.Context(), s.db, s.actor(r, u))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[caseflow.HouseRules]{Items: rs, Limit: len(rs)})
}

func (s *Server) apiCommentHouseRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	rid := subID(r, "rid")
	var in houseRulesInput
	if !decodeJSON(w, r, &in) {
		return
	}
	var c caseflow.Comment
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		c, err = caseflow.CommentHouseRules(r.Context(), tx, s.actor(r, u), rid, in.Body)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}
