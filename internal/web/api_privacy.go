package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
)

// The privacy operations of the API: the same rules as the pages, since
// both call the same capability functions.

func (s *Server) apiPersonAccessLog(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	a := s.actor(r, u)
	if a.Role != access.UnitLeader && a.Role != access.Auditor {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	// Leaders and auditors see the log of persons they may open.
	if _, err := access.Authorize(r.Context(), s.db, a, id); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.accessLogPage(w, r, a.MunicipalityID, id)
}

// accessLogPage answers one page of a person's access log, newest first,
// paged by key (pagetoken.go) so that a long log costs the same per page.
func (s *Server) accessLogPage(w http.ResponseWriter, r *http.Request, municipalityID, personID int64) {
	list := fmt.Sprintf("access-log:%d", personID)
	key, limit, ok := s.keysetPaging(w, r, list, 2)
	if !ok {
		return
	}
	var before access.LogEntry
	if key != nil {
		var err1, err2 error
		before.At, err1 = time.Parse(time.RFC3339Nano, key[0])
		before.ID, err2 = strconv.ParseInt(key[1], 10, 64)
		if err := errors.Join(err1, err2); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	log, err := access.AccessLogBefore(r.Context(), s.db, municipalityID, personID, before, limit+1)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := page[access.LogEntry]{Items: log, Limit: limit}
	if len(log) > limit {
		out.Items = log[:limit]
		last := log[limit-1]
		if out.Next, err = s.encodePage(r.Context(), list, last.At.UTC().Format(time.RFC3339Nano), strconv.FormatInt(last.ID, 10)); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

type consentRequest struct {
	RecipientUnitID int64             `json:"recipient_unit_id"`
	Purpose         string            `json:"purpose"`
	Categories      []access.Category `json:"categories"`
	Expires         string            `json:"expires_on"`
}

func (s *Server) apiRecordConsent(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var req consentRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	a := s.actor(r, u)
	c := access.Consent{PersonID: id, RecipientUnitID: req.RecipientUnitID, Purpose: req.Purpose, Categories: req.Categories}
	if req.Expires != "" {
		d, err := deadline.Parse(req.Expires)
		if err != nil {
			writeProblem(w, r, http.StatusUnprocessableEntity, invalid.F("Opplysningene ble ikke lagret."), invalid.F("expires_on må være en dato (ÅÅÅÅ-MM-DD)"))
			return
		}
		c.Expires = d
	}
	var cid int64
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if !a.Writes() {
			return access.ErrForbidden
		}
		if _, err := access.Authorize(r.Context(), tx, a, id); err != nil {
			return err
		}
		var err error
		cid, err = access.RecordConsent(r.Context(), tx, a, c)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeConsent(w, r, a, id, cid, http.StatusCreated)
}

func (s *Server) writeConsent(w http.ResponseWriter, r *http.Request, a access.Actor, personID, consentID int64, status int) {
	writeOneConsent(s, w, r, a, personID, consentID, status, access.ConsentsOf, func(c access.Consent) int64 { return c.ID })
}

// writeOneConsent answers with one of a person's consents (of either kind,
// read by load), through the redaction step. A consent that exists but
// covers what the actor may not see is answered only with its id.
func writeOneConsent[T any](s *Server, w http.ResponseWriter, r *http.Request, a access.Actor, personID, consentID int64, status int,
	load func(context.Context, store.Queryer, int64, int64) ([]access.Personal[T], error), idOf func(T) int64) {
	rd := access.NewReader(s.db, a, access.ChannelAPI)
	if _, err := rd.Authorize(r.Context(), personID); err != nil {
		s.apiError(w, r, err)
		return
	}
	cs, err := load(r.Context(), s.db, a.MunicipalityID, personID)
	if err == nil {
		err = rd.Send(r.Context(), &cs)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	for _, c := range cs {
		if idOf(c.Value()) == consentID {
			writeJSON(w, status, c)
			return
		}
	}
	writeJSON(w, status, map[string]int64{"id": consentID})
}

func (s *Server) apiWithdrawConsent(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	cid, ok := pathInt(r, "cid")
	if !ok {
		writeProblem(w, r, http.StatusNotFound, invalid.F("Ugyldig id: bruk et positivt heltall."))
		return
	}
	a := s.actor(r, u)
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if !a.Writes() && !(a.Role == access.Resident && a.PersonID == id) {
			return access.ErrForbidden
		}
		if _, err := access.Authorize(r.Context(), tx, a, id); err != nil {
			return err
		}
		return access.WithdrawConsent(r.Context(), tx, a, id, cid)
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeConsent(w, r, a, id, cid, http.StatusOK)
}

type noteRequest struct {
	Category access.Category `json:"category"`
	Body     string          `json:"body"`
}

func (s *Server) apiAddNote(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var req noteRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	var nid int64
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		nid, err = people.AddNote(r.Context(), tx, s.actor(r, u), id, req.Category, req.Body)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int64{"id": nid})
}

type breakGlassRequest struct {
	Reason   string `json:"reason"`
	Password string `json:"password"`
}

type breakGlassResponse struct {
	ExpiresAt time.Time `json:"expires_at"`
}

// apiBreakGlass needs the user's password in the body: a token alone does
// not open a record in an emergency.
func (s *Server) apiBreakGlass(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var req breakGlassRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if status, key, err := s.confirmPassword(r, u, req.Password); status != 0 {
		writeProblemTexts(w, r, status, translate(apiLanguage(r), key))
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	var exp time.Time
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		exp, err = access.OpenBreakGlass(r.Context(), tx, s.actor(r, u), id, req.Reason)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, breakGlassResponse{exp})
}

type revealResponse struct {
	IdentityNumber string `json:"identity_number"`
}

func (s *Server) apiRevealNumber(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	number, err := people.Reveal(r.Context(), s.db, s.actor(r, u), id, access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, revealResponse{number})
}

// apiMyRecord is the resident's own record.
func (s *Server) apiMyRecord(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role != access.Resident || u.PersonID == 0 {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	v, err := people.Load(r.Context(), s.db, s.actor(r, u), u.PersonID, access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// apiMyAccessLog tells residents who has looked at their data.
func (s *Server) apiMyAccessLog(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role != access.Resident || u.PersonID == 0 {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	s.accessLogPage(w, r, u.MunicipalityID, u.PersonID)
}

// matrixDoc is the matrix as JSON: role → categories.
type matrixDoc map[access.Role][]access.Category

func (s *Server) apiMatrix(w http.ResponseWriter, r *http.Request, u *org.User) {
	m, err := access.LoadMatrix(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	doc := matrixDoc{}
	for role, cats := range m {
		doc[role] = []access.Category{}
		for _, c := range access.Categories {
			if cats[c] {
				doc[role] = append(doc[role], c)
			}
		}
	}
	writeJSON(w, http.StatusOK, doc)
}

func (s *Server) apiRoles(w http.ResponseWriter, r *http.Request, u *org.User) {
	roles, err := access.RolesOf(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.RoleDef]{Items: roles, Limit: len(roles)})
}

func (s *Server) apiAddRole(w http.ResponseWriter, r *http.Request, u *org.User) {
	var d access.RoleDef
	if !decodeJSON(w, r, &d) {
		return
	}
	if err := s.db.InTx(r.Context(), func(tx *store.Tx) error { return access.AddRole(r.Context(), tx, s.actor(r, u), d) }); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, d)
}

func (s *Server) apiSetMatrix(w http.ResponseWriter, r *http.Request, u *org.User) {
	var doc matrixDoc
	if !decodeJSON(w, r, &doc) {
		return
	}
	m := access.Matrix{}
	var problems []invalid.Message
	known, err := access.LoadMatrix(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	for role, cats := range doc {
		if known[role] == nil {
			problems = append(problems, invalid.F("ukjent rolle %q i kommunen", role))
			continue
		}
		m[role] = map[access.Category]bool{}
		for _, c := range cats {
			if _, err := access.ParseCategory(string(c)); err != nil {
				problems = append(problems, invalid.Problems(err)...)
			}
			m[role][c] = true
		}
	}
	if len(problems) > 0 {
		writeProblem(w, r, http.StatusUnprocessableEntity, invalid.F("Matrisen ble ikke lagret."), problems...)
		return
	}
	if err := s.db.InTx(r.Context(), func(tx *store.Tx) error { return access.SetMatrix(r.Context(), tx, s.actor(r, u), m) }); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiMatrix(w, r, u)
}

func (s *Server) apiBreakGlassEvents(w http.ResponseWriter, r *http.Request, u *org.User) {
	events, err := access.BreakGlassEvents(r.Context(), s.db, s.actor(r, u), 500)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.BreakGlassEvent]{Items: events, Limit: 500})
}

// apiRegistrationLimits lists the users who reached the day's limit of
// registrations sent for checking: a unit leader's own staff (routed as
// emergency access is), the auditor's all.
func (s *Server) apiRegistrationLimits(w http.ResponseWriter, r *http.Request, u *org.User) {
	events, err := people.RegistrationLimitEvents(r.Context(), s.db, s.actor(r, u), 500)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[people.RegistrationLimitEvent]{Items: events, Limit: 500})
}

// registrationLimit is the municipality's daily limit of registrations
// sent for checking, per user.
type registrationLimit struct {
	Limit int `json:"limit"`
}

// apiSetRegistrationLimit lets an administrator change the daily limit.
func (s *Server) apiSetRegistrationLimit(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in registrationLimit
	if !decodeJSON(w, r, &in) {
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return people.SetRegistrationCheckLimit(r.Context(), tx, s.actor(r, u), in.Limit)
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

func (s *Server) apiAccessReport(w http.ResponseWriter, r *http.Request, u *org.User) {
	report, err := access.ReadReport(r.Context(), s.db, s.actor(r, u), time.Now().AddDate(0, 0, -30))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[access.ReportRow]{Items: report, Limit: len(report)})
}
