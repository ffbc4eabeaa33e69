package web

import (
	_ "embed"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"husly/internal/access"
	"husly/internal/housing"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
)

//go:embed openapi.json
var openAPIDocument []byte

// apiRoute is one API operation; the list is the single source the mux and
// the OpenAPI test read, so an undocumented route fails the test.
type apiRoute struct {
	method, path string
	handler      func(http.ResponseWriter, *http.Request, *org.User)
}

// writes reports whether the route changes data, which an API token may
// do only with the "skriv" scope. Search and reveal are reads sent by POST
// (to keep identity numbers out of URLs).
func (rt apiRoute) writes() bool {
	switch rt.method + " " + rt.path {
	case "POST /api/v1/persons/search", "POST /api/v1/persons/{id}/identity-number", "POST /api/v1/search":
		return false
	}
	return rt.method != http.MethodGet
}

func (s *Server) apiTable() []apiRoute {
	return append([]apiRoute{
		{"GET", "/api/v1/me", s.apiMe},
		{"GET", "/api/v1/persons", s.apiPersons},
		{"POST", "/api/v1/persons", s.apiCreatePerson},
		{"POST", "/api/v1/persons/search", s.apiSearchPersons},
		{"GET", "/api/v1/persons/{id}", s.apiPerson},
		{"PATCH", "/api/v1/persons/{id}", s.apiCorrect},
		{"GET", "/api/v1/persons/{id}/export", s.apiDossier},
		{"POST", "/api/v1/persons/{id}/restriction", s.apiRestrict},
		{"PUT", "/api/v1/persons/{id}/written-form", s.apiSetPersonWrittenForm},
		{"GET", "/api/v1/written-form", s.apiMunicipalWrittenForm},
		{"PUT", "/api/v1/written-form", s.apiSetMunicipalWrittenForm},
		{"POST", "/api/v1/persons/{id}/erase", s.apiErase},
		{"GET", "/api/v1/me/export", s.myDossier(false)},
		{"GET", "/api/v1/persons/{id}/access-log", s.apiPersonAccessLog},
		{"GET", "/api/v1/persons/{id}/contacts", s.apiContacts},
		{"POST", "/api/v1/persons/{id}/contacts", s.apiRegisterContact},
		{"GET", "/api/v1/persons/{id}/mapping", s.apiMapping},
		{"GET", "/api/v1/persons/{id}/applications", s.apiApplications},
		{"POST", "/api/v1/persons/{id}/applications", s.apiApply},
		{"POST", "/api/v1/applications/{id}/provisional-answer", s.apiProvisional},
		{"GET", "/api/v1/worklist", s.apiWorklist},
		{"GET", "/api/v1/persons/{id}/timeline", s.apiTimeline},
		{"GET", "/api/v1/eligibility-rules", s.apiRules},
		{"PUT", "/api/v1/eligibility-rules", s.apiSetRules},
		{"PUT", "/api/v1/persons/{id}/mapping", s.apiSaveMapping},
		{"POST", "/api/v1/persons/{id}/consents", s.apiRecordConsent},
		{"POST", "/api/v1/persons/{id}/consents/{cid}/withdraw", s.apiWithdrawConsent},
		{"POST", "/api/v1/persons/{id}/outside-consents", s.apiRecordOutsideConsent},
		{"POST", "/api/v1/persons/{id}/outside-consents/{ocid}/withdraw", s.apiWithdrawOutsideConsent},
		{"POST", "/api/v1/persons/{id}/notes", s.apiAddNote},
		{"POST", "/api/v1/persons/{id}/break-glass", s.apiBreakGlass},
		{"POST", "/api/v1/persons/{id}/identity-number", s.apiRevealNumber},
		{"GET", "/api/v1/me/record", s.apiMyRecord},
		{"GET", "/api/v1/me/access-log", s.apiMyAccessLog},
		{"GET", "/api/v1/roles", s.apiRoles},
		{"POST", "/api/v1/roles", s.apiAddRole},
		{"GET", "/api/v1/access-matrix", s.apiMatrix},
		{"PUT", "/api/v1/access-matrix", s.apiSetMatrix},
		{"GET", "/api/v1/break-glass", s.apiBreakGlassEvents},
		{"GET", "/api/v1/registration-limits", s.apiRegistrationLimits},
		{"PUT", "/api/v1/registration-limit", s.apiSetRegistrationLimit},
		{"GET", "/api/v1/practice", s.apiPractice},
		{"GET", "/api/v1/buildings/{id}/house-rules", s.apiBuildingHouseRules},
		{"POST", "/api/v1/buildings/{id}/house-rules", s.apiHouseRulesChange(false)},
		{"POST", "/api/v1/buildings/{id}/house-rules/in-force", s.apiHouseRulesChange(true)},
		{"GET", "/api/v1/me/house-rules", s.apiMyHouseRules},
		{"POST", "/api/v1/me/house-rules/{rid}/comments", s.apiCommentHouseRules},
		{"PUT", "/api/v1/practice", s.apiSetPractice},
		{"GET", "/api/v1/access-report", s.apiAccessReport},
		{"GET", "/api/v1/units", s.apiUnits},
		{"POST", "/api/v1/units", s.apiCreateUnit},
		{"GET", "/api/v1/units/{id}", s.apiUnit},
		{"GET", "/api/v1/org-units", s.apiOrgUnits},
		{"GET", "/api/v1/org-units/{id}", s.apiOrgUnit},
		{"PUT", "/api/v1/org-units/{id}/reveals", s.apiSetReveals},
		{"GET", "/api/v1/staff", s.apiStaff},
		{"GET", "/api/v1/start", s.apiStart},
		{"POST", "/api/v1/search", s.apiQuickSearch},
	}, areaPages(
		s.apiCaseRoutes(),
		s.followupAPIRoutes(),
		s.arrearsAPIRoutes(),
		s.tenancyAPIRoutes(),
		s.keepingAPIRoutes(),
		s.planAPIRoutes(),
		s.activityAPIRoutes(),
		s.workenvAPIRoutes(),
		s.transitionAPIRoutes(),
		s.noticeAPIRoutes(),
	)...)
}

func (s *Server) apiRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPIDocument)
	})
	for _, rt := range s.apiTable() {
		mux.HandleFunc(rt.method+" "+rt.path, s.api(rt.handler, rt.writes()))
	}
}

// api wraps an API handler: it requires a session or a token, and a token
// with the "skriv" scope for routes that change data.
func (s *Server) api(h func(http.ResponseWriter, *http.Request, *org.User), writes bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		if u == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="husly"`)
			writeProblem(w, r, http.StatusUnauthorized, invalid.F("Logg inn eller send en API-nøkkel i Authorization: Bearer …"))
			return
		}
		if scopes, isToken := r.Context().Value(scopesKey).(string); isToken && writes && !strings.Contains(","+scopes+",", ",skriv,") {
			writeProblem(w, r, http.StatusForbidden, invalid.F("API-nøkkelen har bare lesetilgang (omfanget «les»); endringer krever omfanget «skriv»."))
			return
		}
		h(w, r, u)
	}
}

// apiError maps capability errors to problem details; refusals are logged.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	if u := currentUser(r); u != nil {
		s.logRefusal(r, u, err)
	}
	if caseAPIError(w, r, err) {
		return
	}
	var bad *invalid.Error
	switch {
	case errors.Is(err, people.ErrRegistrationLimit):
		writeProblemTexts(w, r, http.StatusTooManyRequests, apiText(r, invalid.F("Registreringen ble ikke lagret.")), sentences(r, invalid.Refusals(err), false)...)
	case errors.Is(err, people.ErrNoNumberCategory):
		writeProblemTexts(w, r, http.StatusForbidden, apiText(r, invalid.F("Registreringen ble ikke lagret.")), sentences(r, invalid.Refusals(err), false)...)
	case errors.Is(err, access.ErrForbidden):
		writeProblem(w, r, http.StatusForbidden, invalid.F("Rollen din gir ikke tilgang til dette."))
	case errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted):
		writeProblemTexts(w, r, http.StatusForbidden, strings.Join(sentences(r, invalid.Refusals(err), true), " "))
	case errors.Is(err, access.ErrReasonRequired):
		writeProblem(w, r, http.StatusForbidden, invalid.F("Tilsyn krever et oppgitt formål med minst 10 tegn: send det i overskriften X-Supervision-Reason."))
	case errors.Is(err, people.ErrNotFound), errors.Is(err, housing.ErrNotFound), errors.Is(err, org.ErrNotFound):
		writeProblem(w, r, http.StatusNotFound, invalid.F("Finnes ikke, eller du har ikke tilgang."))
	case errors.As(err, &bad):
		writeProblem(w, r, http.StatusUnprocessableEntity, invalid.F("Opplysningene ble ikke lagret."), bad.Problems...)
	default:
		s.serverError(w, r, err)
	}
}

type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total,omitempty"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// page is one page of a list paged by key: next is the token for the page
// after it, absent on the last page.
type page[T any] struct {
	Items []T    `json:"items"`
	Total int    `json:"total,omitempty"`
	Limit int    `json:"limit"`
	Next  string `json:"next,omitempty"`
}

// keysetPaging reads limit and the page token of a list paged by key (see
// pagetoken.go); offset is refused since these lists do not use it.
func (s *Server) keysetPaging(w http.ResponseWriter, r *http.Request, list string, parts int) (key []string, limit int, ok bool) {
	q := r.URL.Query()
	if q.Has("offset") {
		writeProblem(w, r, http.StatusBadRequest, invalid.F("Denne listen blas med page-merket fra forrige svar (feltet next), ikke med offset."))
		return nil, 0, false
	}
	limit = 50
	if v := q.Get("limit"); v != "" {
		var err error
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 500 {
			writeProblem(w, r, http.StatusBadRequest, invalid.F("limit må være et heltall fra 1 til 500."))
			return nil, 0, false
		}
	}
	key, err := s.decodePage(r.Context(), list, q.Get("page"), parts)
	if errors.Is(err, errBadPageToken) {
		writeProblem(w, r, http.StatusBadRequest, invalid.F("page-merket er ugyldig eller hører til en annen liste; begynn på første side uten page."))
		return nil, 0, false
	}
	if err != nil {
		s.apiError(w, r, err)
		return nil, 0, false
	}
	return key, limit, true
}

func pathInt(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

func apiID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(r)
	if !ok {
		writeProblem(w, r, http.StatusNotFound, invalid.F("Ugyldig id: bruk et positivt heltall."))
	}
	return id, ok
}

type meResponse struct {
	User         org.User         `json:"user"`
	Municipality org.Municipality `json:"municipality"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, u *org.User) {
	m, err := org.GetMunicipality(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, meResponse{*u, m})
}

// apiPersons lists persons by name (sort=navn, the default) or newest
// registered first (sort=nyeste), as the person list's sorter= does. Each
// order pages under its own list name, so the page token keeps the order:
// a token followed without sort continues its own order, and a token of
// one order is refused under the other.
func (s *Server) apiPersons(w http.ResponseWriter, r *http.Request, u *org.User) {
	q := r.URL.Query()
	order := q.Get("sort")
	if order != "" && order != personsByName && order != personsNewest {
		writeProblem(w, r, http.StatusBadRequest, invalid.F("sort må være navn eller nyeste."))
		return
	}
	cases, bound, ok := s.apiPersonCases(w, r, u)
	if !ok {
		return
	}
	if order == "" && q.Get("page") != "" {
		if key, err := s.decodePage(r.Context(), personsNewestAPI+bound, q.Get("page"), 1); err == nil && key != nil {
			order = personsNewest
		}
	}
	if order == personsNewest {
		s.apiNewestPersons(w, r, u, cases, bound)
		return
	}
	list := personsList + bound
	key, limit, ok := s.keysetPaging(w, r, list, 3)
	if !ok {
		return
	}
	after, err := personKey(key)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ps, err := people.List(r.Context(), s.db, s.actor(r, u), access.ChannelAPI, cases, after, limit+1)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := page[people.Person]{Items: ps, Limit: limit}
	if len(ps) > limit {
		out.Items = ps[:limit]
		if out.Next, err = s.personsToken(r, out.Items[limit-1], 0, bound); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCreatePerson(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in people.Input
	if !decodeJSON(w, r, &in) {
		return
	}
	a := s.actor(r, u)
	var v people.View
	checking := false
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		id, err := people.Create(r.Context(), tx, a, in)
		if errors.Is(err, people.ErrSentForChecking) {
			checking = true // keep the record of the attempt
			return nil
		}
		if err != nil {
			return err
		}
		v, err = people.Load(r.Context(), tx, a, id, access.ChannelAPI)
		return err
	})
	if errors.Is(err, people.ErrRegistrationLimit) {
		// No number or person in the log: who, and that the day's limit holds.
		s.log.Warn("registration by number refused: daily limit of checks reached", "user_id", u.ID, "role", string(u.Role))
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if checking {
		// The same answer whoever the number belongs to: nothing about the person, not even that they exist.
		s.log.Warn("registration sent for checking", "user_id", u.ID, "role", string(u.Role))
		writeJSON(w, http.StatusAccepted, registrationPending{Status: "til_kontroll",
			Message: "Registreringen er mottatt og sendt til kontroll. Boligkontoret eller enheten som har saken, tar kontakt; til da vises ingen opplysninger om personen."})
		return
	}
	w.Header().Set("Location", "/api/v1/persons/"+strconv.FormatInt(v.Person.ID, 10))
	writeJSON(w, http.StatusCreated, v)
}

// registrationPending is the answer to a registration sent for checking.
type registrationPending struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

type searchRequest struct {
	Query string `json:"query"`
	Limit int    `json:"limit"`
}

// apiSearchPersons is a POST so identity numbers travel in the body, not
// in URLs that end up in logs.
func (s *Server) apiSearchPersons(w http.ResponseWriter, r *http.Request, u *org.User) {
	var req searchRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.Limit == 0 {
		req.Limit = 20
	}
	if req.Limit < 1 || req.Limit > 200 {
		writeProblem(w, r, http.StatusBadRequest, invalid.F("limit må være fra 1 til 200."))
		return
	}
	ps, err := people.Search(r.Context(), s.db, s.actor(r, u), access.ChannelAPI, req.Query, req.Limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page[people.Person]{Items: ps, Limit: req.Limit})
}

func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	v, err := people.Load(r.Context(), s.db, s.actor(r, u), id, access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// apiUnitFilter names the unit list's filter and order in the API (API
// name → the page's), and apiUnitFields the fields the page's parser
// names.
var (
	apiUnitFilter = map[string]string{"category": "kategori", "status": "status", "district": "bydel", "staffing": "bemanning", "wheelchair": "rullestol",
		"min_rooms": "rom", "text": "tekst", "sort": "sorter", "order": "retning"}
	apiUnitFields = map[string]string{"units.min_rooms": "min_rooms", "units.category": "category", "units.status": "status", "units.staffing": "staffing",
		"units.sort": "sort/order"}
)

// apiUnits lists the housing stock with the unit list's filters, sorted by
// any of its columns (sort=, rising or order=synkende) as the page's
// column headers do; the page token is bound to the filter and the order.
func (s *Server) apiUnits(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	q := r.URL.Query()
	var rooms int
	if v := q.Get("min_rooms"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeProblem(w, r, http.StatusBadRequest, invalid.F("min_rooms må være et helt tall, 0 eller mer."))
			return
		}
		rooms = n
	}
	// The rest of the filter and the order are read by the unit list's
	// own parser, with its validation.
	pq := apiFilterQuery(q, apiUnitFilter)
	if pq.Get("rullestol") == "true" {
		pq.Set("rullestol", "ja")
	}
	f, bad := unitFilter(pq)
	if bad != "" {
		badAPIFilter(w, r, apiUnitFields, bad)
		return
	}
	f.MinRooms = rooms
	key, limit, ok := s.keysetPaging(w, r, unitsList(f), 2)
	if !ok {
		return
	}
	if key != nil {
		f.AfterCode, f.AfterValue = key[0], key[1]
	}
	f.Limit = limit + 1
	units, total, err := housing.ListUnits(r.Context(), s.db, u.MunicipalityID, f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := page[housing.Unit]{Items: units, Total: total, Limit: limit}
	if len(units) > limit {
		out.Items = units[:limit]
		if out.Next, err = s.encodePage(r.Context(), unitsList(f), units[limit-1].Code, f.SortValue(units[limit-1])); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCreateUnit(w http.ResponseWriter, r *http.Request, u *org.User) {
	var unit housing.Unit
	if !s.mayDecode(w, r, u.Role == access.Property || u.Role == access.CaseWorker || u.Role == access.UnitLeader, &unit) {
		return
	}
	unit.BuildingID = 0 // buildings are linked through import; an API client cannot name another tenant's building
	var id int64
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		id, err = housing.CreateUnit(r.Context(), tx, s.actor(r, u), unit)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	created, err := housing.GetUnit(r.Context(), s.db, u.MunicipalityID, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/units/"+strconv.FormatInt(id, 10))
	writeJSON(w, http.StatusCreated, unitResponse{Unit: created})
}

type unitResponse struct {
	housing.Unit
	Leases []housing.Lease `json:"leases,omitempty"`
}

func (s *Server) apiUnit(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	if u.Role == access.Resident {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	unit, err := housing.GetUnit(r.Context(), s.db, u.MunicipalityID, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	resp := unitResponse{Unit: unit}
	if s.actor(r, u).SeesPersons() {
		if resp.Leases, err = housing.Leases(r.Context(), s.db, s.actor(r, u), id, access.ChannelAPI); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	apiJSON(w, r, http.StatusOK, resp)
}

func (s *Server) apiOrgUnits(w http.ResponseWriter, r *http.Request, u *org.User) {
	units, err := org.ListUnits(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[org.Unit]{Items: units, Limit: len(units)})
}

type orgUnitResponse struct {
	org.Unit
	StaffList []org.User `json:"staff"`
}

func (s *Server) apiOrgUnit(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	unit, err := org.GetUnit(r.Context(), s.db, u.MunicipalityID, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	// Residents see the unit's contact details, not its staff.
	staff := []org.User{}
	if u.Role != access.Resident {
		staff, err = org.ListStaff(r.Context(), s.db, s.actor(r, u), id)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, orgUnitResponse{unit, staff})
}

// apiSetReveals sets what a unit's role on a case reveals about the person.
func (s *Server) apiSetReveals(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in struct {
		Reveals []access.Category `json:"reveals"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	var unit org.Unit
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		unit, err = org.SetReveals(r.Context(), tx, s.actor(r, u), id, in.Reveals)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, unit)
}

func (s *Server) apiStaff(w http.ResponseWriter, r *http.Request, u *org.User) {
	var unit int64
	if v := r.URL.Query().Get("org_unit_id"); v != "" {
		var err error
		if unit, err = strconv.ParseInt(v, 10, 64); err != nil {
			writeProblem(w, r, http.StatusBadRequest, invalid.F("org_unit_id må være et heltall."))
			return
		}
	}
	staff, err := org.ListStaff(r.Context(), s.db, s.actor(r, u), unit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[org.User]{Items: staff, Limit: len(staff)})
}

// changeIn runs one change of the API in one transaction and answers with
// status: 201 with the id made, or 204 with nothing; an error is answered by
// the capability's own mapping of its errors to problem details.
func (s *Server) changeIn(w http.ResponseWriter, r *http.Request, status int, onErr func(http.ResponseWriter, *http.Request, error), fn func(tx *store.Tx) (int64, error)) {
	var id int64
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		id, err = fn(tx)
		return err
	})
	switch {
	case err != nil:
		onErr(w, r, err)
	case status == http.StatusNoContent:
		w.WriteHeader(status)
	default:
		writeJSON(w, status, created{ID: id})
	}
}
