package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
)

// The allocation round on a page: the waiting lists, the optimal round
// beside greedy-by-priority, offers from proposals; and the rules.

func (s *Server) allocationRound(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !a.Writes() {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	first := r.URL.Query().Get("prioritet") == "ja"
	round, err := allocation.RunRound(r.Context(), s.db, a, first, today(), access.ChannelPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	type level struct {
		Code       string
		Applicants []allocation.Applicant
	}
	var levels []level
	for _, l := range allocation.Levels {
		x := level{Code: string(l.Code)}
		for _, ap := range round.Waiting {
			if ap.Level == l.Code {
				x.Applicants = append(x.Applicants, ap)
			}
		}
		levels = append(levels, x)
	}
	soon, err := allocation.Forecast(r.Context(), s.db, a, today(), 90)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "allocation", view{Title: tr(r, "allocation.title"), Nav: "allocation", User: u, Data: struct {
		Round    allocation.Round
		Levels   []level
		Upcoming []allocation.Upcoming
		Message  string
	}{round, levels, soon, s.sessions.PopString(r.Context(), "flash")}})
}

// offerFromRound makes an approved proposal an offer in the case flow.
func (s *Server) offerFromRound(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	app, unit := nums.ID("application_id", "words.field.case"), nums.ID("unit_id", "words.field.unit")
	var o caseflow.Offer
	err := nums.Err()
	if err == nil {
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			// An offer from the round skips the passed-over check (seed 003)
			// only because the round proposed it: the pair must be one of
			// the round's proposals as it stands now, in the mode the page
			// showed; anything else goes through the case's own offer form.
			a := s.actor(r, u)
			round, err := allocation.RunRound(r.Context(), tx, a, r.PostFormValue("prioritet") == "ja", today(), access.ChannelPage)
			if err != nil {
				return err
			}
			if !round.Proposes(app, unit) {
				return invalid.Problem("boligen er ikke lenger foreslått for denne søkeren i tildelingsrunden; gi tilbudet fra saken, med begrunnelse om en søker med høyere prioritet venter")
			}
			o, err = caseflow.MakeOffer(r.Context(), tx, a, app, caseflow.OfferInput{UnitID: unit, FromRound: true}, today())
			return err
		})
	}
	if errors.Is(err, caseflow.ErrNotFound) {
		err = invalid.Problem("saken finnes ikke")
	}
	if errors.Is(err, access.ErrNoRelationship) {
		err = access.ErrForbidden
	}
	s.flashThenRedirect(w, r, u, err, trf(r, "allocation.offered", o.UnitCode), "/tildeling")
}

// rulesPage shows the priority rules and policy, and what a change would do.
func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.showRules(w, r, u, nil, formState{}, nil, "")
}

// showRules renders the rules page; rows are the rule rows as typed (nil:
// the stored rules), form what was wrong with them.
func (s *Server) showRules(w http.ResponseWriter, r *http.Request, u *org.User, rows []ruleRow, form formState, shifts []allocation.Shift, message string) {
	a := s.actor(r, u)
	if a.Role != access.Admin && a.Role != access.UnitLeader {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	set, err := allocation.SettingsOf(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if rows == nil {
		rows = priorityRows(language(r), set.Rules)
	}
	if message == "" {
		message = s.sessions.PopString(r.Context(), "flash")
	}
	status := http.StatusOK
	if len(form.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	// One field per waiting list (housing type) for the limit on declined
	// offers: empty is the municipality's general limit, 0 none.
	type declineField struct{ Code, Value string }
	var declines []declineField
	for _, h := range caseflow.HousingTypes {
		v := ""
		if n, ok := set.Policy.DeclineLimits[h.Code]; ok {
			v = strconv.Itoa(n)
		}
		if r.Method == http.MethodPost {
			v = r.PostFormValue("decline_limit_" + h.Code)
		}
		declines = append(declines, declineField{h.Code, v})
	}
	s.render(w, r, "rules", view{Title: tr(r, "rules.title"), Nav: "rules", User: u, Status: status, Data: struct {
		Settings  allocation.Settings
		Rules     ruleForm
		Shifts    []allocation.Shift
		Previewed bool
		Message   string
		CanSave   bool
		Declines  []declineField
	}{set, ruleForm{Rows: rows, Form: form, Kinds: priorityKinds, Groups: caseflow.Groups}, shifts, shifts != nil, message, a.Role == access.Admin, declines}})
}

func policyFromForm(r *http.Request, nums *formNumbers) allocation.Policy {
	return allocation.Policy{PriorityWeight: nums.Decimal("priority_weight", "rules.w.priority"), WantedDistrict: nums.Decimal("wanted_district", "rules.w.district"),
		SmokeFree: nums.Decimal("smoke_free", "rules.w.smoke_free"), GroundFloor: nums.Decimal("ground_floor", "rules.w.ground_floor"),
		NearServices: nums.Decimal("near_services", "rules.w.services"), NearNetwork: nums.Decimal("near_network", "rules.w.network"),
		ExtraRoomPenalty: nums.Decimal("extra_room_penalty", "rules.w.extra_room"),
		MixLimit:         nums.Decimal("mix_limit_percent", "rules.w.mix.name") / 100,
		ROPLimit:         nums.Decimal("rop_limit_percent", "rules.w.rop.name") / 100,
		DeclineLimits:    declineLimitsFromForm(r, nums)}
}

// declineLimitsFromForm reads the limit on declined offers per waiting
// list; an empty field leaves the list on the general limit.
func declineLimitsFromForm(r *http.Request, nums *formNumbers) map[string]int {
	out := map[string]int{}
	for _, h := range caseflow.HousingTypes {
		if typed := strings.TrimSpace(nums.r.PostFormValue("decline_limit_" + h.Code)); typed != "" {
			out[h.Code] = nums.intText(typed, tr(r, "lawb.decline.field", tr(r, "housing.category."+h.Code)))
		}
	}
	return out
}

// previewRules shows who would move up and who down, before saving.
func (s *Server) previewRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	rules, rows, kept, problems := priorityRulesFromForm(r)
	if len(problems) == 0 {
		raw, _ := json.Marshal(rules)
		var bad *allocation.InputError
		if _, err := allocation.ParseRules(raw); errors.As(err, &bad) {
			problems = bad.Problems
		}
	}
	if len(problems) > 0 {
		s.showRules(w, r, u, rows, newForm(r, ruleFields(kept), problems), nil, "")
		return
	}
	shifts, err := allocation.Preview(r.Context(), s.db, s.actor(r, u), rules, today())
	if errors.Is(err, access.ErrForbidden) {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if shifts == nil {
		shifts = []allocation.Shift{}
	}
	s.showRules(w, r, u, rows, formState{}, shifts, "")
}

func (s *Server) saveRulesVersion(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role != access.Admin {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	rules, rows, kept, problems := priorityRulesFromForm(r)
	nums := numbersIn(r)
	version, policy := nums.Int("base_version", "rules.w.version"), policyFromForm(r, nums)
	if problems = append(problems, nums.problems...); len(problems) > 0 {
		s.showRules(w, r, u, rows, newForm(r, ruleFields(kept), problems), nil, "")
		return
	}
	raw, _ := json.Marshal(rules)
	parsed, err := allocation.ParseRules(raw)
	if err == nil {
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			_, err := allocation.SaveSettings(r.Context(), tx, s.actor(r, u), version, parsed, policy)
			return err
		})
	}
	var bad *allocation.InputError
	switch {
	case errors.As(err, &bad):
		s.showRules(w, r, u, rows, newForm(r, ruleFields(kept), bad.Problems), nil, "")
	case errors.Is(err, access.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden)
	case err != nil:
		s.serverError(w, r, err)
	default:
		s.saved(w, r, tr(r, "rules.saved"), "/tildeling/regler")
	}
}

// The API.

func (s *Server) apiWaitingList(w http.ResponseWriter, r *http.Request, u *org.User) {
	waiting, _, err := allocation.WaitingList(r.Context(), s.db, s.actor(r, u), today(), access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	apiJSON(w, r, http.StatusOK, list[allocation.Applicant]{Items: waiting, Limit: len(waiting)})
}

func (s *Server) apiRound(w http.ResponseWriter, r *http.Request, u *org.User) {
	first, ok := queryBool(w, r, "priority_first")
	if !ok {
		return
	}
	round, err := allocation.RunRound(r.Context(), s.db, s.actor(r, u), first, today(), access.ChannelAPI)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	apiJSON(w, r, http.StatusOK, round)
}

func (s *Server) apiPriorityRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	set, err := allocation.SettingsOf(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, set)
}

type rulesInput struct {
	BaseVersion int               `json:"base_version"`
	Rules       json.RawMessage   `json:"rules"`
	Policy      allocation.Policy `json:"policy"`
}

func (s *Server) apiSetPriorityRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in rulesInput
	if !decodeJSON(w, r, &in) {
		return
	}
	rules, err := allocation.ParseRules(in.Rules)
	var set allocation.Settings
	if err == nil {
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			var err error
			set, err = allocation.SaveSettings(r.Context(), tx, s.actor(r, u), in.BaseVersion, rules, in.Policy)
			return err
		})
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, set)
}

func (s *Server) apiPreviewRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in struct {
		Rules json.RawMessage `json:"rules"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	rules, err := allocation.ParseRules(in.Rules)
	var shifts []allocation.Shift
	if err == nil {
		shifts, err = allocation.Preview(r.Context(), s.db, s.actor(r, u), rules, today())
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if shifts == nil {
		shifts = []allocation.Shift{}
	}
	apiJSON(w, r, http.StatusOK, list[allocation.Shift]{Items: shifts, Limit: len(shifts)})
}

func (s *Server) apiForecast(w http.ResponseWriter, r *http.Request, u *org.User) {
	days := 90
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 730 {
			writeProblem(w, r, http.StatusBadRequest, invalid.F("days må være et helt tall fra 1 til 730."))
			return
		}
		days = n
	}
	soon, err := allocation.Forecast(r.Context(), s.db, s.actor(r, u), today(), days)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[allocation.Upcoming]{Items: soon, Limit: len(soon)})
}

// agreementsPage lists the units offered to and by partner municipalities.
func (s *Server) agreementsPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	list, err := allocation.Agreements(r.Context(), s.db, a)
	if errors.Is(err, access.ErrForbidden) {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "agreements", view{Title: tr(r, "agreements.title"), Nav: "allocation", User: u, Data: struct {
		Agreements []allocation.Agreement
		CanOffer   bool
		Message    string
	}{list, a.Role == access.Admin || a.Role == access.UnitLeader || a.Role == access.Property, s.sessions.PopString(r.Context(), "flash")}})
}

// The form offering a unit to a partner municipality (templates/
// agreements.html), for a form sent back with its problems (keptforms.go).
var _ = declareForms(map[string][]formField{
	"POST /tildeling/avtaler": {{"ag-partner", "partner", "kommune med nummer"}, {"ag-partner", "partner", "avtale med seg selv"},
		{"ag-unit", "unit_code", "bolig med koden"}, {"ag-from", "valid_from", "words.field.from"},
		{"ag-to", "valid_to", "words.field.until"}, {"ag-to", "valid_to", "slutte før den begynner"}, {"ag-note", "note", "merknaden"}},
})

func (s *Server) offerToPartner(w http.ResponseWriter, r *http.Request, u *org.User) {
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		nums := numbersIn(r)
		in := allocation.AgreementInput{Partner: r.PostFormValue("partner"), UnitCode: r.PostFormValue("unit_code"),
			ValidFrom: nums.Date("valid_from", "words.field.from"), ValidTo: nums.Date("valid_to", "words.field.until"), Note: r.PostFormValue("note")}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := allocation.OfferToPartner(r.Context(), tx, s.actor(r, u), in, today())
		return meetingError(err)
	})
	s.flashThenRedirect(w, r, u, err, tr(r, "agreements.offered"), "/tildeling/avtaler")
}

func (s *Server) apiAgreements(w http.ResponseWriter, r *http.Request, u *org.User) {
	agreements, err := allocation.Agreements(r.Context(), s.db, s.actor(r, u))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[allocation.Agreement]{Items: agreements, Limit: len(agreements)})
}

func (s *Server) apiOfferToPartner(w http.ResponseWriter, r *http.Request, u *org.User) {
	var in allocation.AgreementInput
	if !decodeJSON(w, r, &in) {
		return
	}
	var x allocation.Agreement
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		x, err = allocation.OfferToPartner(r.Context(), tx, s.actor(r, u), in, today())
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, x)
}

// The fields of the site's rules on the unit page (templates/unit.html),
// for a form sent back with its problems (keptforms.go): the age limits,
// out of range together, are marked at the lowest age.
var _ = declareForms(map[string][]formField{
	"POST /boliger/{id}/anleggsregler": {{"sr-min", "min_age", "unit.site.min_age.name"}, {"sr-min", "min_age", "aldersgrensene"},
		{"sr-max", "max_age", "unit.site.max_age.name"}, {"sr-max", "max_age", "øvre aldersgrense"}, {"sr-note", "note", "merknaden"}},
})

// siteRulesFromForm reads the site-rules form.
func siteRulesFromForm(r *http.Request) (allocation.SiteRules, error) {
	nums := numbersIn(r)
	rules := allocation.SiteRules{MinAge: nums.Int("min_age", "unit.site.min_age.name"), MaxAge: nums.Int("max_age", "unit.site.max_age.name"),
		NoHighNeed: r.PostFormValue("no_high_need") == "ja", Note: r.PostFormValue("note")}
	return rules, nums.Err()
}

// setSiteRules saves the rules of the site a unit is on.
func (s *Server) setSiteRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, _ := pathID(r)
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		site, err := allocation.SiteOfUnit(r.Context(), tx, u.MunicipalityID, id)
		if err != nil {
			return err
		}
		if site == 0 {
			return invalid.Problem("boligen ligger ikke på et anlegg med egne regler")
		}
		rules, err := siteRulesFromForm(r)
		if err != nil {
			return err
		}
		return meetingError(allocation.SetSiteRules(r.Context(), tx, s.actor(r, u), site, rules))
	})
	s.flashThenRedirect(w, r, u, err, tr(r, "unit.site.saved"), "/boliger/"+strconv.FormatInt(id, 10))
}

func (s *Server) apiSetSiteRules(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	var in allocation.SiteRules
	if !decodeJSON(w, r, &in) {
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		site, err := allocation.SiteOfUnit(r.Context(), tx, u.MunicipalityID, id)
		if err != nil {
			return err
		}
		if site == 0 {
			return allocation.ErrNotFound
		}
		return allocation.SetSiteRules(r.Context(), tx, s.actor(r, u), site, in)
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
