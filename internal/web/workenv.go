package web

import (
	"errors"
	"net/http"
	"strconv"

	"husly/internal/access"
	"husly/internal/activity"
	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/workenv"
)

// The staff register of a follow-up team: competence, the training plan
// with what is overdue, the supervision log, the yearly HMS round and the
// risk assessments for visits.

var workenvNotFound = workenv.ErrNotFound

func (s *Server) workenvPages() []route {
	return []route{
		{"GET", "/oppfolging/team/{id}/personal", s.page(s.staffRegister)},
		{"POST", "/oppfolging/team/{id}/personal/kompetanse", s.page(s.addCompetence)},
		{"POST", "/oppfolging/team/{id}/personal/opplaering", s.page(s.setTraining)},
		{"POST", "/oppfolging/team/{id}/personal/veiledning", s.page(s.logSupervision)},
		{"POST", "/oppfolging/team/{id}/personal/hms", s.page(s.recordHMSRound)},
		{"POST", "/oppfolging/team/{id}/personal/hms/utfort", s.page(s.completeHMSMeasure)},
		{"POST", "/oppfolging/team/{id}/personal/risiko", s.page(s.assessRisk)},
	}
}

// roundMeasures is how many measures the HMS round's form offers.
const roundMeasures = 3

// The fields of the staff register's forms (templates/workenv.html), by
// route, for a form sent back with its problems (keptforms.go). A round's
// measures are named by their row ("tiltak 2: …"), as the form numbers
// them; a box or a choice that no message names is kept all the same.
var _ = declareForms(map[string][]formField{
	"POST /oppfolging/team/{id}/personal/kompetanse": {{"c-user", "user", "workenv.field.member"}, {"c-user", "user", "ansatt:"},
		{"c-comp", "competence", "kompetanse:"}, {"c-taken", "taken_on", "workenv.field.taken"}, {"c-taken", "taken_on", "tatt:"},
		{"c-expires", "expires_on", "workenv.field.expires"}, {"c-expires", "expires_on", "utløper:"}},
	"POST /oppfolging/team/{id}/personal/opplaering": {{"t-comp", "competence", "kompetanse:"}, {"t-role", "member_role", "rolle:"},
		{"t-every", "every_months", "workenv.field.every"}, {"t-every", "every_months", "hyppighet:"},
		{"t-due", "first_due_on", "workenv.field.first_due"}, {"t-due", "first_due_on", "frist:"}},
	"POST /oppfolging/team/{id}/personal/veiledning": {{"v-on", "held_on", "words.field.date"}, {"v-on", "held_on", "dato:"}, {"v-kind", "kind", "type:"},
		{"v-sup", "supervisor", "veileder:"}, {"v-topic", "topic", "workenv.field.topic"}, {"v-users", "users", "deltakere:"}},
	"POST /oppfolging/team/{id}/personal/hms": roundFields(),
	// "ny vurdering:" before "vurdering:", which it holds.
	"POST /oppfolging/team/{id}/personal/risiko": {{"r-person", "person", "words.field.resident"}, {"r-person", "person", "beboer:"},
		{"r-person", "person", "beboer eller adresse"}, {"r-address", "address", "workenv.field.address"},
		{"r-review", "review_on", "words.field.review"}, {"r-review", "review_on", "ny vurdering:"}, {"r-assess", "assessment", "vurdering:"},
		{"r-measures", "measures", "workenv.field.measures"}, {"r-on", "assessed_on", "workenv.field.assessed"}, {"r-on", "assessed_on", "vurdert:"}},
})

// roundFields are the HMS round's fields: its day and findings, and each
// measure's what, owner and due day by the row the messages name.
func roundFields() []formField {
	fields := []formField{{"h-on", "held_on", "words.field.date"}, {"h-on", "held_on", "dato:"}, {"h-find", "findings", "funn:"}}
	for i := 1; i <= roundMeasures; i++ {
		n, row := strconv.Itoa(i), "tiltak "+strconv.Itoa(i)+": "
		fields = append(fields, formField{"h-what-" + n, "what_" + n, row + "skriv hva"}, formField{"h-owner-" + n, "owner_" + n, row + "ansvarlig"},
			formField{"h-due-" + n, "due_" + n, row + "velg fristen"}, formField{"h-due-" + n, "due_" + n, row + "fristen"})
	}
	return fields
}

type staffRegisterPage struct {
	Register    workenv.Register
	Competences []workenv.Competence
	Roles       []followup.MemberRole
	Kinds       []workenv.SupervisionKind
	Persons     []access.Personal[activity.Person]
	Today       deadline.Date
	Rows        []int
}

func (s *Server) staffRegister(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	rd := access.NewReader(s.db, s.actor(r, u), access.ChannelPage)
	reg, err := workenv.Read(r.Context(), rd, id, today())
	if err != nil {
		s.staffworkRead(w, r, u, err)
		return
	}
	d := staffRegisterPage{Register: reg, Competences: workenv.Competences, Roles: followup.MemberRoles, Kinds: workenv.SupervisionKinds, Today: today()}
	for i := 1; i <= roundMeasures; i++ {
		d.Rows = append(d.Rows, i)
	}
	if reg.Manages {
		if d.Persons, err = activity.Followed(r.Context(), rd, id); err != nil {
			s.staffworkRead(w, r, u, err)
			return
		}
	}
	s.render(w, r, "workenv", view{Title: reg.TeamName, Nav: "followup", User: u, Data: d})
}

// registerAction runs a change to a team's register and goes back to it.
func (s *Server) registerAction(w http.ResponseWriter, r *http.Request, u *org.User, done string, fn func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	nums := numbersIn(r)
	err := s.inTx(r, func(tx *store.Tx) error { return fn(tx, a, id, nums) })
	s.staffworkDone(w, r, u, err, done, "/oppfolging/team/"+strconv.FormatInt(id, 10)+"/personal")
}

func (s *Server) addCompetence(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.registerAction(w, r, u, tr(r, "workenv.flash.competence"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := workenv.HeldInput{UserID: nums.ID("user", "workenv.field.member"), Competence: workenv.Competence(r.PostFormValue("competence")),
			TakenOn: nums.Date("taken_on", "workenv.field.taken"), ExpiresOn: nums.Date("expires_on", "workenv.field.expires")}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := workenv.AddHeld(r.Context(), tx, a, id, in, today())
		return err
	})
}

func (s *Server) setTraining(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.registerAction(w, r, u, tr(r, "workenv.flash.training"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := workenv.Requirement{Competence: workenv.Competence(r.PostFormValue("competence")), Role: followup.MemberRole(r.PostFormValue("member_role")),
			EveryMonths: nums.Int("every_months", "workenv.field.every"), FirstDue: nums.Date("first_due_on", "workenv.field.first_due")}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := workenv.SetRequirement(r.Context(), tx, a, id, in)
		return err
	})
}

func (s *Server) logSupervision(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.registerAction(w, r, u, tr(r, "workenv.flash.supervision"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := workenv.Supervision{HeldOn: nums.Date("held_on", "words.field.date"), Kind: workenv.SupervisionKind(r.PostFormValue("kind")),
			Supervisor: r.PostFormValue("supervisor"), Topic: r.PostFormValue("topic")}
		if err := r.ParseForm(); err != nil {
			return err
		}
		for _, v := range r.PostForm["users"] {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				in.UserIDs = append(in.UserIDs, n)
			}
		}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := workenv.LogSupervision(r.Context(), tx, a, id, in, today())
		return err
	})
}

// recordHMSRound reads the round's form: its day and findings, and up to
// three measures, of which rows left wholly empty are skipped.
func (s *Server) recordHMSRound(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.registerAction(w, r, u, tr(r, "workenv.flash.round"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := workenv.Round{HeldOn: nums.Date("held_on", "words.field.date"), Findings: r.PostFormValue("findings")}
		for i := 1; i <= roundMeasures; i++ {
			n := strconv.Itoa(i)
			what, owner, due := r.PostFormValue("what_"+n), r.PostFormValue("owner_"+n), r.PostFormValue("due_"+n)
			if what == "" && owner == "" && due == "" {
				continue
			}
			in.Measures = append(in.Measures, workenv.Measure{What: what, OwnerID: nums.ID("owner_"+n, "workenv.field.owner"), DueOn: nums.Date("due_"+n, "workenv.field.due"), Row: i})
		}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := workenv.RecordRound(r.Context(), tx, a, id, in, today())
		return err
	})
}

func (s *Server) completeHMSMeasure(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.registerAction(w, r, u, tr(r, "workenv.flash.done"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		measure := nums.ID("measure", "workenv.field.what")
		if err := nums.Err(); err != nil {
			return err
		}
		return workenv.CompleteMeasure(r.Context(), tx, a, id, measure, today())
	})
}

func (s *Server) assessRisk(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.registerAction(w, r, u, tr(r, "workenv.flash.risk"), func(tx *store.Tx, a access.Actor, id int64, nums *formNumbers) error {
		in := workenv.Risk{PersonID: nums.ID("person", "words.field.resident"), Address: r.PostFormValue("address"), Assessment: r.PostFormValue("assessment"),
			TwoStaff: r.PostFormValue("two_staff") == "ja", Measures: r.PostFormValue("measures"),
			AssessedOn: nums.Date("assessed_on", "workenv.field.assessed"), ReviewOn: nums.Date("review_on", "words.field.review")}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := workenv.AssessRisk(r.Context(), tx, a, id, in, today())
		return err
	})
}

// The staff register in the API.

func (s *Server) workenvAPIRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/api/v1/followup/teams/{id}/staff", s.apiStaffRegister},
		{"POST", "/api/v1/followup/teams/{id}/staff/competences", s.apiAddCompetence},
		{"PUT", "/api/v1/followup/teams/{id}/staff/training", s.apiSetTraining},
		{"POST", "/api/v1/followup/teams/{id}/staff/supervisions", s.apiLogSupervision},
		{"POST", "/api/v1/followup/teams/{id}/staff/hms-rounds", s.apiRecordRound},
		{"POST", "/api/v1/followup/teams/{id}/staff/hms-measures/done", s.apiCompleteMeasure},
		{"POST", "/api/v1/followup/teams/{id}/staff/risk-assessments", s.apiAssessRisk},
	}
}

// staffworkAPIError maps the calendar's and the register's errors to
// problem details.
func (s *Server) staffworkAPIError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, activity.ErrNotFound) || errors.Is(err, workenv.ErrNotFound) {
		err = followup.ErrNotFound
	}
	s.followupAPIError(w, r, err)
}

// staffworkChange runs one change in one transaction and answers 201 with
// the id made, or 204 when nothing new was made.
func (s *Server) staffworkChange(w http.ResponseWriter, r *http.Request, status int, fn func(tx *store.Tx) (int64, error)) {
	s.changeIn(w, r, status, s.staffworkAPIError, fn)
}

func (s *Server) apiStaffRegister(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	reg, err := workenv.Read(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelAPI), id, today())
	if err != nil {
		s.staffworkAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reg)
}

// registerChange decodes a body into in and runs the change; the decoding
// comes after the check that the actor works in follow-up at all.
func registerChange[T any](s *Server, w http.ResponseWriter, r *http.Request, u *org.User, status int, fn func(tx *store.Tx, a access.Actor, id int64, in T) (int64, error)) {
	id, ok := apiID(w, r)
	if !ok {
		return
	}
	a := s.actor(r, u)
	if a.Role != access.FollowUp && a.Role != access.UnitLeader {
		s.staffworkAPIError(w, r, access.ErrForbidden)
		return
	}
	var in T
	if !decodeJSON(w, r, &in) {
		return
	}
	s.staffworkChange(w, r, status, func(tx *store.Tx) (int64, error) { return fn(tx, a, id, in) })
}

func (s *Server) apiAddCompetence(w http.ResponseWriter, r *http.Request, u *org.User) {
	registerChange(s, w, r, u, http.StatusCreated, func(tx *store.Tx, a access.Actor, id int64, in workenv.HeldInput) (int64, error) {
		return workenv.AddHeld(r.Context(), tx, a, id, in, today())
	})
}

func (s *Server) apiSetTraining(w http.ResponseWriter, r *http.Request, u *org.User) {
	registerChange(s, w, r, u, http.StatusOK, func(tx *store.Tx, a access.Actor, id int64, in workenv.Requirement) (int64, error) {
		return workenv.SetRequirement(r.Context(), tx, a, id, in)
	})
}

func (s *Server) apiLogSupervision(w http.ResponseWriter, r *http.Request, u *org.User) {
	registerChange(s, w, r, u, http.StatusCreated, func(tx *store.Tx, a access.Actor, id int64, in workenv.Supervision) (int64, error) {
		return workenv.LogSupervision(r.Context(), tx, a, id, in, today())
	})
}

func (s *Server) apiRecordRound(w http.ResponseWriter, r *http.Request, u *org.User) {
	registerChange(s, w, r, u, http.StatusCreated, func(tx *store.Tx, a access.Actor, id int64, in workenv.Round) (int64, error) {
		return workenv.RecordRound(r.Context(), tx, a, id, in, today())
	})
}

type measureInput struct {
	MeasureID int64 `json:"measure_id"`
}

func (s *Server) apiCompleteMeasure(w http.ResponseWriter, r *http.Request, u *org.User) {
	registerChange(s, w, r, u, http.StatusNoContent, func(tx *store.Tx, a access.Actor, id int64, in measureInput) (int64, error) {
		return 0, workenv.CompleteMeasure(r.Context(), tx, a, id, in.MeasureID, today())
	})
}

func (s *Server) apiAssessRisk(w http.ResponseWriter, r *http.Request, u *org.User) {
	registerChange(s, w, r, u, http.StatusCreated, func(tx *store.Tx, a access.Actor, id int64, in workenv.Risk) (int64, error) {
		return workenv.AssessRisk(r.Context(), tx, a, id, in, today())
	})
}
