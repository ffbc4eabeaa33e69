package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
)

// First contact and mapping: the case flow's first steps, on the person's
// page and in the API.

func (s *Server) registerContact(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, tr(r, "flash.contact"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		in := caseflow.ContactInput{Received: nums.Date("received_on", "Mottatt"),
			Channel: r.PostFormValue("channel"), Residence: caseflow.Residence(r.PostFormValue("residence")), Leaving: nums.Date("leaving_on", "Løslatelse/utskrivning"),
			HomeWaiting: r.PostFormValue("home_waiting") == "ja", Summary: r.PostFormValue("summary")}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := caseflow.RegisterContact(r.Context(), tx, a, id, in, deadline.On(time.Now()))
		return err
	})
}

func mappingFromForm(r *http.Request) caseflow.Mapping {
	yes := func(name string) bool { return r.PostFormValue(name) == "ja" }
	return caseflow.Mapping{HousingNeed: r.PostFormValue("housing_need"), ServiceNeed: r.PostFormValue("service_need"),
		Finances: r.PostFormValue("finances"), Functioning: r.PostFormValue("functioning"), Network: r.PostFormValue("network"),
		NetworkDistricts: r.PostFormValue("network_districts"),
		ShareNetwork:     yes("share_network"), Goals: r.PostFormValue("goals"), WantDistricts: r.PostFormValue("want_districts"),
		AvoidDistricts: r.PostFormValue("avoid_districts"), LiveWith: r.PostFormValue("live_with"), Pets: yes("pets"),
		SmokeFree: yes("smoke_free"), GroundFloor: yes("ground_floor"), Wheelchair: yes("wheelchair"), NearNetwork: yes("near_network"),
		ActivityWishes: r.PostFormValue("activity_wishes"), SomaticHealth: r.PostFormValue("somatic_health"), ChildrenSchool: r.PostFormValue("children_school"),
		MovingNeeds: r.PostFormValue("moving_needs"), HomeForm: r.PostFormValue("home_form")}
}

func (s *Server) saveMapping(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, tr(r, "flash.mapping"), func(tx *store.Tx, a access.Actor, id int64) error {
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
	apiJSON(w, r, http.StatusOK, list[caseflow.Contact]{Items: cs, Limit: len(cs)})
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
	apiJSON(w, r, http.StatusCreated, c)
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

// Applications: registered on the person's page, followed on the work list.

func (s *Server) registerApplication(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, tr(r, "flash.application"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		in := caseflow.ApplicationInput{Kind: r.PostFormValue("kind"), Received: nums.Date("received_on", "Mottatt"),
			YearsResident: nums.Decimal("years_resident", "Botid i kommunen"), HouseholdSize: nums.Int("household_size", "Personer i husstanden"),
			HouseholdIncome: nums.Decimal("household_income", "Husstandens inntekt"), HouseholdAssets: nums.Decimal("household_assets", "Husstandens formue"),
			OwnsHome: r.PostFormValue("owns_home") == "ja", RegisteredHere: r.PostFormValue("registered_here") == "ja", Groups: r.PostForm["groups"]}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := caseflow.Apply(r.Context(), tx, a, id, in, deadline.On(time.Now()))
		return err
	})
}

// worklist is each case worker's list: open applications by deadline,
// everything the unit's cases need with overdue first, and messages about
// changes to the unit's cases.
func (s *Server) worklist(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !a.Writes() {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	mine := r.URL.Query().Get("mine") == "ja"
	apps, err := s.worklistPage(w, r, a, mine)
	if err != nil {
		if !errors.Is(err, errBadPageToken) {
			s.serverError(w, r, err)
		}
		return
	}
	list := fmt.Sprintf("tasks-side|%t", mine)
	key, err := s.decodePage(r.Context(), list, r.URL.Query().Get("side"), 6)
	if errors.Is(err, errBadPageToken) {
		s.badPageToken(w, r)
		return
	}
	page, after := 1, caseflow.TaskKey{}
	if err == nil && key != nil {
		if page, err = strconv.Atoi(key[5]); err == nil {
			after, err = taskKey(key[:5])
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	tasks, more, err := caseflow.TasksAfter(r.Context(), s.db, a, mine, deadline.On(time.Now()), access.ChannelPage, after, tasksPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var firstURL, nextURL string
	if page > 1 {
		firstURL = "/saker"
		if mine {
			firstURL += "?mine=ja"
		}
	}
	if more {
		next, err := s.encodePage(r.Context(), list, append(taskKeyParts(tasks[len(tasks)-1].Key()), strconv.Itoa(page+1))...)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		q := url.Values{"side": {next}}
		if mine {
			q.Set("mine", "ja")
		}
		nextURL = "/saker?" + q.Encode()
	}
	notes, err := caseflow.Notifications(r.Context(), s.db, a, access.ChannelPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	overdue := 0
	for _, t := range tasks {
		if t.Overdue {
			overdue++
		}
	}
	s.render(w, r, "worklist", view{Title: tr(r, "worklist.title"), Nav: "cases", User: u, Data: struct {
		Applications  appsPage
		Tasks         []caseflow.Task
		Overdue       int
		Mine          bool
		Notifications []caseflow.Notification
		Message       string
		Page          int
		FirstURL      string
		NextURL       string
	}{apps, tasks, overdue, mine, notes, s.sessions.PopString(r.Context(), "flash"), page, firstURL, nextURL}})
}

const tasksPerPage = 100

// appsPerPage is the length of a page of the work list's applications.
const appsPerPage = 100

// appsPage is one page of the work list's open applications, paged by key
// with its own token (soknader=) beside the tasks' (side=), so each list
// moves on its own and neither is cut short.
type appsPage struct {
	Items             []caseflow.Application
	Page              int
	FirstURL, NextURL string
}

// worklistPage reads the page of open applications the request asks for.
// A bad token has been answered with 400 when it returns errBadPageToken.
func (s *Server) worklistPage(w http.ResponseWriter, r *http.Request, a access.Actor, mine bool) (appsPage, error) {
	const list = "worklist-side"
	key, err := s.decodePage(r.Context(), list, r.URL.Query().Get("soknader"), 3)
	if errors.Is(err, errBadPageToken) {
		s.badPageToken(w, r)
		return appsPage{}, err
	}
	if err != nil {
		return appsPage{}, err
	}
	p, after := appsPage{Page: 1}, caseflow.WorkKey{}
	if key != nil {
		id, err1 := strconv.ParseInt(key[1], 10, 64)
		page, err2 := strconv.Atoi(key[2])
		if err := errors.Join(err1, err2); err != nil {
			return appsPage{}, err
		}
		after, p.Page = caseflow.WorkKey{Due: key[0], ID: id}, page
	}
	apps, more, err := caseflow.WorklistAfter(r.Context(), s.db, a, deadline.On(time.Now()), access.ChannelPage, after, appsPerPage)
	if err != nil {
		return appsPage{}, err
	}
	p.Items = apps
	link := func(token string) string {
		q := url.Values{}
		if token != "" {
			q.Set("soknader", token)
		}
		if mine {
			q.Set("mine", "ja")
		}
		if len(q) == 0 {
			return "/saker"
		}
		return "/saker?" + q.Encode()
	}
	if p.Page > 1 {
		p.FirstURL = link("")
	}
	if more {
		k := apps[len(apps)-1].WorkKey()
		next, err := s.encodePage(r.Context(), list, k.Due, strconv.FormatInt(k.ID, 10), strconv.Itoa(p.Page+1))
		if err != nil {
			return appsPage{}, err
		}
		p.NextURL = link(next)
	}
	return p, nil
}

// taskKeyParts and taskKey carry a task list position in a page token.
func taskKeyParts(k caseflow.TaskKey) []string {
	return []string{strconv.FormatBool(k.Overdue), k.Due, strconv.Itoa(k.Source), strconv.FormatInt(k.ApplicationID, 10), k.Text}
}

func taskKey(parts []string) (caseflow.TaskKey, error) {
	overdue, err1 := strconv.ParseBool(parts[0])
	source, err2 := strconv.Atoi(parts[2])
	app, err3 := strconv.ParseInt(parts[3], 10, 64)
	return caseflow.TaskKey{Overdue: overdue, Due: parts[1], Source: source, ApplicationID: app, Text: parts[4]}, errors.Join(err1, err2, err3)
}

func (s *Server) provisionalAnswer(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	in := caseflow.ProvisionalInput{SentOn: nums.Date("sent_on", "Sendt"), ExpectedOn: nums.Date("expected_on", "Forventet vedtaksdato")}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := nums.Err(); err != nil {
			return err
		}
		return caseflow.RecordProvisionalAnswer(r.Context(), tx, s.actor(r, u), id, in, deadline.On(time.Now()))
	})
	if errors.Is(err, access.ErrNoRelationship) {
		err = access.ErrForbidden
	}
	s.flashThenRedirect(w, r, u, err, tr(r, "lawa.flash.provisional"), "/saker")
}

// saveRules lets an administrator replace the eligibility rules.
func (s *Server) saveRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := caseflow.SetRules(r.Context(), tx, s.actor(r, u), []byte(r.PostFormValue("rules")))
		return err
	})
	s.flashThenRedirect(w, r, u, err, tr(r, "access.eligibility.saved"), "/tilgang")
}

func (s *Server) apiApplications(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	apps, err := caseflow.Applications(r.Context(), s.db, s.actor(r, u), id, deadline.On(time.Now()), access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	apiJSON(w, r, http.StatusOK, list[caseflow.Application]{Items: apps, Limit: len(apps)})
}

func (s *Server) apiApply(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in caseflow.ApplicationInput
	if !decodeJSON(w, r, &in) {
		return
	}
	var app caseflow.Application
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		app, err = caseflow.Apply(r.Context(), tx, s.actor(r, u), id, in, deadline.On(time.Now()))
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	apiJSON(w, r, http.StatusCreated, app)
}

func (s *Server) apiProvisional(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	// The body is optional: without it the answer was sent today and
	// promises a decision 30 days later.
	var in caseflow.ProvisionalInput
	if r.ContentLength != 0 && !decodeJSON(w, r, &in) {
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return caseflow.RecordProvisionalAnswer(r.Context(), tx, s.actor(r, u), id, in, deadline.On(time.Now()))
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiWorklist(w http.ResponseWriter, r *http.Request, u *org.User) {
	const list = "worklist"
	key, limit, ok := s.keysetPaging(w, r, list, 2)
	if !ok {
		return
	}
	var after caseflow.WorkKey
	if key != nil {
		id, err := strconv.ParseInt(key[1], 10, 64)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		after = caseflow.WorkKey{Due: key[0], ID: id}
	}
	apps, more, err := caseflow.WorklistAfter(r.Context(), s.db, s.actor(r, u), deadline.On(time.Now()), access.ChannelAPI, after, limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := page[caseflow.Application]{Items: apps, Limit: limit}
	speak(apiLanguage(r), &out)
	if more {
		k := apps[len(apps)-1].WorkKey()
		if out.Next, err = s.encodePage(r.Context(), list, k.Due, strconv.FormatInt(k.ID, 10)); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	rules, err := caseflow.RulesOf(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rules)
}

func (s *Server) apiSetRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeProblem(w, r, http.StatusRequestEntityTooLarge, invalid.F("Forespørselen er større enn 1 MB."))
		return
	}
	var rules []caseflow.Rule
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		rules, err = caseflow.SetRules(r.Context(), tx, s.actor(r, u), body)
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rules)
}

// timeline shows a person's events, newest first, filtered by category.
func (s *Server) timeline(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	only := access.Category(r.URL.Query().Get("kategori"))
	if only != "" {
		if _, err := access.ParseCategory(string(only)); err != nil {
			only = ""
		}
	}
	v, err := people.Load(r.Context(), s.db, a, id, access.ChannelPage)
	if err != nil {
		s.personDenied(w, r, u, id, err)
		return
	}
	events, err := caseflow.Timeline(r.Context(), s.db, a, id, only, access.ChannelPage)
	if err != nil {
		s.personDenied(w, r, u, id, err)
		return
	}
	s.render(w, r, "timeline", view{Title: tr(r, "timeline.title", v.Person.FullName()), Nav: "persons", User: u, Data: struct {
		Person     people.Person
		Events     []access.Personal[caseflow.Event]
		Only       access.Category
		Categories []access.Category
	}{v.Person, events, only, v.Granted}})
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	only := access.Category(r.URL.Query().Get("category"))
	if only != "" {
		if _, err := access.ParseCategory(string(only)); err != nil {
			detail := invalid.F("Ukjent datakategori.")
			if ps := invalid.Problems(err); len(ps) > 0 {
				detail = ps[0]
			}
			writeProblem(w, r, http.StatusBadRequest, detail)
			return
		}
	}
	events, err := caseflow.Timeline(r.Context(), s.db, s.actor(r, u), id, only, access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	apiJSON(w, r, http.StatusOK, list[access.Personal[caseflow.Event]]{Items: events, Limit: len(events)})
}
