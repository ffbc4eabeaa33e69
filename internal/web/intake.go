package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/transition"
)

// First contact and mapping: the case flow's first steps, on the person's
// page and in the API.

func (s *Server) registerContact(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, tr(r, "flash.contact"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		in := caseflow.ContactInput{Received: nums.Date("received_on", "words.field.received"),
			Channel: caseflow.ContactChannel(r.PostFormValue("channel")), Residence: caseflow.Residence(r.PostFormValue("residence")), Leaving: nums.Date("leaving_on", "words.field.leaving"),
			HomeWaiting: r.PostFormValue("home_waiting") == "ja", Summary: r.PostFormValue("summary"),
			Transition: transition.Kind(r.PostFormValue("transition_kind")), Institution: transition.InstitutionKind(r.PostFormValue("institution_kind"))}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := caseflow.RegisterContact(r.Context(), tx, a, id, in, deadline.On(time.Now()))
		return err
	})
}

// mappingFromForm reads the mapping form; a date that does not parse is
// in nums.
func mappingFromForm(r *http.Request, nums *formNumbers) caseflow.Mapping {
	yes := func(name string) bool { return r.PostFormValue(name) == "ja" }
	return caseflow.Mapping{HousingNeed: r.PostFormValue("housing_need"), ServiceNeed: r.PostFormValue("service_need"),
		Finances: r.PostFormValue("finances"), Functioning: r.PostFormValue("functioning"), Network: r.PostFormValue("network"),
		NetworkDistricts: r.PostFormValue("network_districts"),
		ShareNetwork:     yes("share_network"), Goals: r.PostFormValue("goals"), WantDistricts: r.PostFormValue("want_districts"),
		AvoidDistricts: r.PostFormValue("avoid_districts"), LiveWith: r.PostFormValue("live_with"), Pets: yes("pets"),
		SmokeFree: yes("smoke_free"), GroundFloor: yes("ground_floor"), Wheelchair: yes("wheelchair"), NearNetwork: yes("near_network"),
		ActivityWishes: r.PostFormValue("activity_wishes"), SomaticHealth: r.PostFormValue("somatic_health"), ChildrenSchool: r.PostFormValue("children_school"),
		MovingNeeds: r.PostFormValue("moving_needs"), HomeForm: r.PostFormValue("home_form"),
		TransitionKind: transition.Kind(r.PostFormValue("transition_kind")), InstitutionKind: transition.InstitutionKind(r.PostFormValue("institution_kind")),
		TransitionOn: nums.Date("transition_on", "words.field.transition_on")}
}

func (s *Server) saveMapping(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, tr(r, "flash.mapping"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		m := mappingFromForm(r, nums)
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := caseflow.SaveMapping(r.Context(), tx, a, id, m)
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
		in := caseflow.ApplicationInput{Kind: caseflow.ApplicationKind(r.PostFormValue("kind")), Received: nums.Date("received_on", "words.field.received"),
			YearsResident: nums.Decimal("years_resident", "words.field.years_resident"), HouseholdSize: nums.Int("household_size", "words.field.household_size"),
			HouseholdIncome: nums.Decimal("household_income", "words.field.household_income"), HouseholdAssets: nums.Decimal("household_assets", "words.field.household_assets"),
			OwnsHome: r.PostFormValue("owns_home") == "ja", RegisteredHere: r.PostFormValue("registered_here") == "ja", Groups: caseflow.GroupsOf(r.PostForm["groups"])}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := caseflow.Apply(r.Context(), tx, a, id, in, deadline.On(time.Now()))
		return err
	})
}

// taskKeyParts and taskKey carry a task list position in a page token.
func taskKeyParts(k caseflow.TaskKey) []string {
	return []string{strconv.FormatBool(k.Overdue), k.Due.String(), strconv.Itoa(k.Source), strconv.FormatInt(k.ApplicationID, 10), k.Text}
}

func taskKey(parts []string) (caseflow.TaskKey, error) {
	overdue, err1 := strconv.ParseBool(parts[0])
	due, err0 := keyDate(parts[1])
	source, err2 := strconv.Atoi(parts[2])
	app, err3 := strconv.ParseInt(parts[3], 10, 64)
	return caseflow.TaskKey{Overdue: overdue, Due: due, Source: source, ApplicationID: app, Text: parts[4]}, errors.Join(err0, err1, err2, err3)
}

// keyDate reads a date in a page token, where the zero date is "".
func keyDate(s string) (deadline.Date, error) {
	if s == "" {
		return deadline.Date{}, nil
	}
	return deadline.Parse(s)
}

// The provisional answer's form, one per application on the case list
// (templates/caselist.html), for a form sent back with its problems
// (keptforms.go).
var _ = declareForms(map[string][]formField{
	"POST /soknader/{id}/forelopig-svar": {{"ps-exp-{id}", "expected_on", "words.field.expected_on"}, {"ps-exp-{id}", "expected_on", "forventet vedtaksdato må"},
		{"ps-sent-{id}", "sent_on", "words.field.sent"}, {"ps-sent-{id}", "sent_on", "datoen for det foreløpige svaret"},
		{"ps-sent-{id}", "sent_on", "kan ikke være sendt før"}},
})

func (s *Server) provisionalAnswer(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	in := caseflow.ProvisionalInput{SentOn: nums.Date("sent_on", "words.field.sent"), ExpectedOn: nums.Date("expected_on", "words.field.expected_on")}
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

// saveRules lets an administrator replace the eligibility rules, from
// the page's rows of fields (rulesform.go).
func (s *Server) saveRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	raw, rows, kept, problems := eligibilityRulesFromForm(r)
	var err error
	if len(problems) > 0 {
		err = invalid.New(problems...)
	} else {
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			_, err := caseflow.SetRules(r.Context(), tx, s.actor(r, u), raw)
			return err
		})
	}
	if ps := invalid.Problems(err); ps != nil {
		s.showAccess(w, r, u, ruleForm{Rows: rows, Form: newForm(r, ruleFields(kept), ps)}, http.StatusUnprocessableEntity)
		return
	}
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
		due, err0 := keyDate(key[0])
		id, err1 := strconv.ParseInt(key[1], 10, 64)
		if err := errors.Join(err0, err1); err != nil {
			s.apiError(w, r, err)
			return
		}
		after = caseflow.WorkKey{Due: due, ID: id}
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
		if out.Next, err = s.encodePage(r.Context(), list, k.Due.String(), strconv.FormatInt(k.ID, 10)); err != nil {
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
