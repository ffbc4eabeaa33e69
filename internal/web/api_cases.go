package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
)

// The case flow in the API: the same operations as the case page.

// noBody marks an operation that reads no request body.
type noBody struct{}

// caseCall makes an API handler for one change to a case: it reads the
// case id and the JSON body, runs the change in one transaction and
// answers with status and the result (204 answers without a body).
func caseCall[In, Out any](s *Server, status int, act func(ctx context.Context, r *http.Request, tx *store.Tx, a access.Actor, id int64, in In) (Out, error)) func(http.ResponseWriter, *http.Request, *org.User) {
	return func(w http.ResponseWriter, r *http.Request, u *org.User) {
		id, ok := apiID(w, r)
		if !ok {
			return
		}
		var in In
		if _, skip := any(in).(noBody); !skip && !decodeJSON(w, r, &in) {
			return
		}
		var out Out
		err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
			var err error
			out, err = act(r.Context(), r, tx, s.actor(r, u), id, in)
			return err
		})
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, out)
	}
}

func (s *Server) apiCaseRoutes() []apiRoute {
	return append([]apiRoute{
		{"GET", "/api/v1/cases/{id}", s.apiCase},
		{"GET", "/api/v1/case-overview", s.apiOverview},
		{"GET", "/api/v1/tasks", s.apiTasks},
		{"GET", "/api/v1/cases", s.apiCases},
		{"GET", "/api/v1/notifications", s.apiNotifications},
		{"POST", "/api/v1/notifications/{id}/read", caseCall(s, http.StatusNoContent, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, _ noBody) (any, error) {
			return nil, caseflow.MarkNotificationRead(ctx, tx, a, id)
		})},
		{"POST", "/api/v1/cases/{id}/assign", caseCall(s, http.StatusNoContent, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, _ noBody) (any, error) {
			return nil, caseflow.TakeCase(ctx, tx, a, id)
		})},
		{"POST", "/api/v1/cases/{id}/requests", caseCall(s, http.StatusCreated, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.RequestInput) (caseflow.Request, error) {
			return caseflow.RequestInformation(ctx, tx, a, id, in, today())
		})},
		{"POST", "/api/v1/cases/{id}/requests/{rid}/received", caseCall(s, http.StatusNoContent, func(ctx context.Context, r *http.Request, tx *store.Tx, a access.Actor, id int64, _ noBody) (any, error) {
			return nil, caseflow.MarkReceived(ctx, tx, a, id, subID(r, "rid"), today())
		})},
		{"POST", "/api/v1/cases/{id}/meetings", caseCall(s, http.StatusCreated, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.Meeting) (caseflow.Meeting, error) {
			return caseflow.LogMeeting(ctx, tx, a, id, in, today())
		})},
		{"POST", "/api/v1/cases/{id}/alternatives", caseCall(s, http.StatusCreated, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.Alternative) (caseflow.Alternative, error) {
			return caseflow.ConsiderAlternative(ctx, tx, a, id, in)
		})},
		{"POST", "/api/v1/cases/{id}/interim-services", caseCall(s, http.StatusCreated, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.Interim) (caseflow.Interim, error) {
			return caseflow.StartInterim(ctx, tx, a, id, in, today())
		})},
		{"POST", "/api/v1/cases/{id}/guidance", caseCall(s, http.StatusCreated, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.Guidance) (caseflow.Guidance, error) {
			return caseflow.RecordGuidance(ctx, tx, a, id, in, today())
		})},
		{"POST", "/api/v1/cases/{id}/decisions", caseCall(s, http.StatusCreated, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.DecisionInput) (caseflow.Decision, error) {
			return caseflow.Decide(ctx, tx, a, id, in, today())
		})},
		{"POST", "/api/v1/cases/{id}/offers", caseCall(s, http.StatusCreated, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.OfferInput) (caseflow.Offer, error) {
			return caseflow.MakeOffer(ctx, tx, a, id, in, today())
		})},
		{"POST", "/api/v1/cases/{id}/offers/{oid}/answer", caseCall(s, http.StatusOK, func(ctx context.Context, r *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.OfferAnswer) (offerAnswered, error) {
			o, msg, err := caseflow.AnswerOffer(ctx, tx, a, id, subID(r, "oid"), in, today())
			return offerAnswered{o, apiText(r, msg)}, err
		})},
		{"POST", "/api/v1/cases/{id}/leases", caseCall(s, http.StatusCreated, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.LeaseInput) (caseflow.CaseLease, error) {
			return caseflow.SignLease(ctx, tx, a, id, in, today())
		})},
		{"POST", "/api/v1/cases/{id}/leases/{lid}/inspections", caseCall(s, http.StatusCreated, func(ctx context.Context, r *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.Inspection) (caseflow.Inspection, error) {
			return caseflow.RecordInspection(ctx, tx, a, id, subID(r, "lid"), in, today())
		})},
		{"POST", "/api/v1/cases/{id}/leases/{lid}/termination", caseCall(s, http.StatusNoContent, func(ctx context.Context, r *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.Termination) (any, error) {
			return nil, caseflow.TerminateLease(ctx, tx, a, id, subID(r, "lid"), in, today())
		})},
		{"POST", "/api/v1/cases/{id}/appeals", caseCall(s, http.StatusCreated, func(ctx context.Context, _ *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.AppealInput) (caseflow.Appeal, error) {
			return caseflow.RegisterAppeal(ctx, tx, a, id, in, today())
		})},
		{"POST", "/api/v1/cases/{id}/appeals/{xid}/steps", caseCall(s, http.StatusOK, func(ctx context.Context, r *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.AppealStep) (caseflow.Appeal, error) {
			return caseflow.AdvanceAppeal(ctx, tx, a, id, subID(r, "xid"), in, today())
		})},
		{"GET", "/api/v1/cases/{id}/letters/{kind}", s.apiLetter(false)},
		{"GET", "/api/v1/cases/{id}/letters/{kind}/pdf", s.apiLetter(true)},
		{"POST", "/api/v1/cases/{id}/letters/{kind}/sent", caseCall(s, http.StatusNoContent, func(ctx context.Context, r *http.Request, tx *store.Tx, a access.Actor, id int64, in caseflow.SendInput) (any, error) {
			return nil, caseflow.RecordLetterSent(ctx, tx, a, id, r.PathValue("kind"), in, today())
		})},
		{"GET", "/api/v1/legal-provisions", s.apiProvisions},
		{"PUT", "/api/v1/legal-provisions/{code}", s.apiSetProvision},
		{"GET", "/api/v1/service-catalogue", s.apiServiceCatalogue},
		{"PUT", "/api/v1/service-catalogue/{code}", s.apiSetService},
		{"GET", "/api/v1/passed-over", s.apiPassedOver},
		{"GET", "/api/v1/texts", s.apiTexts},
		{"PUT", "/api/v1/texts/{kind}", s.apiSetText},
		{"GET", "/api/v1/me/application-draft", s.apiMyDraft},
		{"PUT", "/api/v1/me/application-draft", s.apiSaveDraft},
		{"POST", "/api/v1/me/application-draft/submit", s.apiSubmitDraft},
		{"GET", "/api/v1/me/cases", s.apiMyCases},
		{"GET", "/api/v1/waiting-list", s.apiWaitingList},
		{"GET", "/api/v1/allocation-round", s.apiRound},
		{"GET", "/api/v1/vacancy-forecast", s.apiForecast},
		{"GET", "/api/v1/unit-agreements", s.apiAgreements},
		{"PUT", "/api/v1/units/{id}/site-rules", s.apiSetSiteRules},
		{"POST", "/api/v1/unit-agreements", s.apiOfferToPartner},
		{"GET", "/api/v1/priority-rules", s.apiPriorityRules},
		{"PUT", "/api/v1/priority-rules", s.apiSetPriorityRules},
		{"POST", "/api/v1/priority-rules/preview", s.apiPreviewRules},
	}, s.apiMeetingRoutes()...)
}

type offerAnswered struct {
	Offer   caseflow.Offer `json:"offer"`
	Message string         `json:"message"`
}

func (s *Server) apiCase(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	c, err := caseflow.Load(r.Context(), s.db, s.actor(r, u), id, today(), access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	apiJSON(w, r, http.StatusOK, c)
}

func (s *Server) apiOverview(w http.ResponseWriter, r *http.Request, u *org.User) {
	phases, err := caseflow.Overview(r.Context(), s.db, s.actor(r, u), today())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[caseflow.Phase]{Items: phases, Limit: len(phases)})
}

// queryBool reads an optional true/false query parameter; anything else is
// a 400 and ok is false.
func queryBool(w http.ResponseWriter, r *http.Request, name string) (value, ok bool) {
	switch r.URL.Query().Get(name) {
	case "", "false":
		return false, true
	case "true":
		return true, true
	}
	writeProblem(w, r, http.StatusBadRequest, invalid.F("%s må være true eller false.", name))
	return false, false
}

// apiTaskFilter names the task list's due-date filter in the API, and the
// fields the page's parser names.
var (
	apiTaskFilter = map[string]string{"due_from": "fra", "due_to": "til"}
	apiTaskFields = map[string]string{"day.cases.due_from": "due_from", "day.cases.due_to": "due_to"}
)

// apiTasks lists the tasks, the caller's own with mine=true, and due from
// due_from to due_to (both inclusive) as the task list's fra= and til=,
// read by the page's parser. The page token is bound to the filter.
func (s *Server) apiTasks(w http.ResponseWriter, r *http.Request, u *org.User) {
	mine, ok := queryBool(w, r, "mine")
	if !ok {
		return
	}
	from, to, bad := taskDueRange(apiFilterQuery(r.URL.Query(), apiTaskFilter))
	if bad != "" {
		badAPIFilter(w, r, apiTaskFields, bad)
		return
	}
	list := fmt.Sprintf("tasks|%t", mine)
	var keep func(caseflow.Task) bool
	if !from.IsZero() || !to.IsZero() {
		list += "|" + from.String() + "|" + to.String()
		keep = func(t caseflow.Task) bool { return dueWithin(t, from, to) }
	}
	key, limit, ok := s.keysetPaging(w, r, list, 5)
	if !ok {
		return
	}
	var after caseflow.TaskKey
	if key != nil {
		var err error
		if after, err = taskKey(key); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	tasks, more, err := caseflow.TasksWhere(r.Context(), s.db, s.actor(r, u), mine, today(), access.ChannelAPI, after, limit, keep)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := page[caseflow.Task]{Items: tasks, Limit: limit}
	speak(apiLanguage(r), &out)
	if more {
		if out.Next, err = s.encodePage(r.Context(), list, taskKeyParts(tasks[len(tasks)-1].Key())...); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !a.Writes() {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	key, limit, ok := s.keysetPaging(w, r, notificationsList, 1)
	if !ok {
		return
	}
	after, err := notificationAfter(key)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ns, more, err := caseflow.NotificationsAfter(r.Context(), s.db, a, access.ChannelAPI, after, limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := page[caseflow.Notification]{Items: ns, Limit: limit}
	if more {
		if out.Next, err = s.encodePage(r.Context(), notificationsList, strconv.FormatInt(ns[len(ns)-1].ID, 10)); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	apiJSON(w, r, http.StatusOK, out)
}

func (s *Server) apiLetter(asPDF bool) func(http.ResponseWriter, *http.Request, *org.User) {
	return func(w http.ResponseWriter, r *http.Request, u *org.User) {
		id, ok := apiID(w, r)
		if !ok {
			return
		}
		l, err := caseflow.MakeLetter(r.Context(), s.db, s.actor(r, u), id, r.PathValue("kind"), today(), access.ChannelAPI)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		if !asPDF {
			writeJSON(w, http.StatusOK, l)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="sak-%d-%s.pdf"`, id, l.Kind))
		if err := l.WritePDF(w, time.Now()); err != nil {
			s.log.Error("letter pdf", "error", err.Error())
		}
	}
}

type textEntry struct {
	Kind         string   `json:"kind"`
	Name         string   `json:"name"`
	Placeholders []string `json:"placeholders"`
	Body         string   `json:"body"`
}

func (s *Server) apiTexts(w http.ResponseWriter, r *http.Request, u *org.User) {
	var out []textEntry
	for _, t := range caseflow.Texts {
		body, err := caseflow.TextOf(r.Context(), s.db, u.MunicipalityID, t.Kind)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		ph := t.Placeholders
		if ph == nil {
			ph = []string{}
		}
		out = append(out, textEntry{t.Kind, t.Name, ph, body})
	}
	writeJSON(w, http.StatusOK, list[textEntry]{Items: out, Limit: len(out)})
}

func (s *Server) apiSetText(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in struct {
		Body string `json:"body"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return caseflow.SetText(r.Context(), tx, s.actor(r, u), r.PathValue("kind"), in.Body)
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiMyCases(w http.ResponseWriter, r *http.Request, u *org.User) {
	cases, err := caseflow.MyCases(r.Context(), s.db, s.actor(r, u), today())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	apiJSON(w, r, http.StatusOK, list[caseflow.MyCase]{Items: cases, Limit: len(cases)})
}

func (s *Server) apiMyDraft(w http.ResponseWriter, r *http.Request, u *org.User) {
	d, err := caseflow.MyDraft(r.Context(), s.db, s.actor(r, u))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiSaveDraft(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in caseflow.DraftInput
	if !decodeJSON(w, r, &in) {
		return
	}
	var d caseflow.Draft
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		d, err = caseflow.SaveDraft(r.Context(), tx, s.actor(r, u), in)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiSubmitDraft(w http.ResponseWriter, r *http.Request, u *org.User) {
	var app caseflow.Application
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		app, err = caseflow.SubmitDraft(r.Context(), tx, s.actor(r, u), today())
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	apiJSON(w, r, http.StatusCreated, app)
}

// caseAPIError maps the case flow's own errors; the rest go to apiError.
func caseAPIError(w http.ResponseWriter, r *http.Request, err error) bool {
	var bad *allocation.InputError
	switch {
	case errors.As(err, &bad):
		writeProblem(w, r, http.StatusUnprocessableEntity, invalid.F("Opplysningene ble ikke lagret."), bad.Problems...)
	case errors.Is(err, caseflow.ErrNotFound), errors.Is(err, allocation.ErrNotFound), errors.Is(err, access.ErrUnknownPerson):
		writeProblem(w, r, http.StatusNotFound, invalid.F("Finnes ikke, eller du har ikke tilgang."))
	case errors.Is(err, caseflow.ErrStale):
		writeProblem(w, r, http.StatusConflict, invalid.F("Vedtaket er endret etter at du hentet det. Hent saken på nytt og send endringen med base_version lik gjeldende versjon."), invalid.Refusals(err)...)
	default:
		return false
	}
	return true
}

// apiCaseFilter names the case list's filter in the API (API name → the
// page's), and apiCaseFields the fields the page's parser names.
var (
	apiCaseFilter = map[string]string{"phase": "fase", "due": "frist", "worker": "hvem", "from": "fra", "to": "til", "sort": "sorter",
		"unit_id": "enhet", "case_worker_id": "saksbehandler"}
	apiCaseFields = map[string]string{"day.cases.phase": "phase", "day.cases.deadline": "due", "worklist.caseworker": "worker", "day.cases.sort": "sort",
		"day.cases.from": "from", "day.cases.to": "to", "day.cases.unit": "unit_id", "day.cases.named_worker": "case_worker_id"}
)

// apiCases is the case list of /saker: the open cases with the page's
// filters (phase, deadline, whose, received from..to, the unit the case is
// registered in, a named case worker) and order, read by the page's own
// parser, paged by key with the token bound to the filter. Each page is
// logged as a read of the persons' housing needs, as the page's is.
func (s *Server) apiCases(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !a.Writes() {
		s.apiError(w, r, access.ErrForbidden)
		return
	}
	units, err := org.ListUnits(r.Context(), s.db, a.MunicipalityID)
	var staff []org.User
	if err == nil {
		staff, err = org.ListStaff(r.Context(), s.db, a, 0)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	f, bad := caseFilterOf(apiFilterQuery(r.URL.Query(), apiCaseFilter), units, caseWorkers(staff))
	if bad != "" {
		badAPIFilter(w, r, apiCaseFields, bad)
		return
	}
	list := "cases-api|" + filterQuery(f).Encode()
	key, limit, ok := s.keysetPaging(w, r, list, 2)
	if !ok {
		return
	}
	var after caseflow.WorkKey
	if key != nil {
		due, err0 := keyDate(key[0])
		id, err1 := strconv.ParseInt(key[1], 10, 64)
		if err := errors.Join(err0, err1); err != nil {
			s.apiError(w, r, err)
			return
		}
		after = caseflow.WorkKey{Due: due, ID: id}
	}
	apps, more, err := caseflow.CasesAfter(r.Context(), s.db, a, f, today(), access.ChannelAPI, after, limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := page[caseflow.Application]{Items: apps, Limit: limit}
	speak(apiLanguage(r), &out)
	if more {
		k := apps[len(apps)-1].ListKey(f)
		if out.Next, err = s.encodePage(r.Context(), list, k.Due.String(), strconv.FormatInt(k.ID, 10)); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}
