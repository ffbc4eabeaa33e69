package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/access/login"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
	"husly/internal/transition"
)

// actor is the signed-in user as the capabilities see them, with an
// auditor's stated purpose for this session.
func (s *Server) actor(r *http.Request, u *org.User) access.Actor {
	a := u.Actor()
	if a.Role == access.Auditor {
		a.Reason = s.sessions.GetString(r.Context(), "supervision_reason")
		if h := strings.TrimSpace(r.Header.Get("X-Supervision-Reason")); h != "" {
			a.Reason = h
		}
	}
	return a
}

// confirmPassword checks the password sent with an emergency access
// through the login's count and lock. A refusal is logged without personal
// data and comes back as the status and catalogue key to answer with;
// status 0 and a nil error mean go on.
func (s *Server) confirmPassword(r *http.Request, u *org.User, password string) (status int, key string, err error) {
	err = login.Confirm(r.Context(), s.db, *u, password, time.Now())
	switch {
	case errors.Is(err, login.ErrLocked):
		s.log.Warn("break-glass refused: account locked", "user_id", u.ID)
		return http.StatusTooManyRequests, "breakglass.locked", err
	case errors.Is(err, login.ErrFailed):
		s.log.Warn("break-glass refused: wrong password", "user_id", u.ID)
		return http.StatusUnauthorized, "breakglass.password", err
	case errors.Is(err, login.ErrNoPassword):
		s.log.Warn("break-glass refused: no local password", "user_id", u.ID)
		return http.StatusForbidden, "breakglass.nopassword", err
	}
	return 0, "", err
}

// personPage is what the person and resident pages show.
type personPage struct {
	// HouseRules are, on Min side, the rules and drafts of the buildings
	// the resident rents in.
	HouseRules []caseflow.HouseRules
	View       people.View
	Age        int
	Self       bool
	Revealed   string
	Log        []access.LogEntry
	ShowLog    bool
	// LogMore is how many entries Log shows when the log holds more.
	LogMore   int
	Units     []org.Unit
	NoteKinds []access.Category
	// ConsentCategories are the categories a consent can cover.
	ConsentCategories []access.Category
	// OutsideRecipients are the kinds of party outside the municipality a
	// consent to speak with may name.
	OutsideRecipients []struct{ Code string }
	Leader            bool
	// The case flow's first steps, when the actor may see housing needs.
	ShowIntake   bool
	Contacts     []caseflow.Contact
	Mapping      caseflow.Mapping
	Applications []caseflow.Application
	Kinds        []caseflow.Choice
	Groups       []caseflow.Choice
	Channels     []caseflow.Choice
	Residences   []struct{ Code caseflow.Residence }
	// The transition ahead a contact or the mapping may say.
	TransitionKinds  []transition.Kind
	InstitutionKinds []transition.InstitutionKind
	Message          string
	Problems         []string
	// Form is the form that came back with problems, as it was typed, or
	// the long forms filled in from the user's drafts (DraftSaved).
	Form       formState
	DraftSaved time.Time
}

// logShown is how many access-log entries a person's page shows.
const logShown = 200

func (s *Server) personDetail(w http.ResponseWriter, r *http.Request, u *org.User) {
	if id, _ := pathID(r); u.Role == access.Resident && id == u.PersonID { // a resident's own record is Min side, made for them
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.showPerson(w, r, u, personPage{})
}

// showPerson renders a person's page for the actor, or the page that
// explains why not and what can be done.
func (s *Server) showPerson(w http.ResponseWriter, r *http.Request, u *org.User, d personPage) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	// One reader for the whole page: the person is authorized once, and
	// what the page shows is redacted and logged in one step.
	rd := access.NewReader(s.db, a, access.ChannelPage)
	v, err := people.Read(r.Context(), rd, id)
	if err != nil {
		s.personDenied(w, r, u, id, err)
		return
	}
	d.View, d.Age = v, v.Person.Age(time.Now())
	// Residents reading their own record get it as on Min side, with only
	// the links and forms that are theirs.
	d.Self = d.Self || (u.Role == access.Resident && u.PersonID == id)
	if err := s.fillPersonPage(r, rd, &d); err != nil {
		s.serverError(w, r, err)
		return
	}
	if d.ShowIntake && a.Writes() {
		if err := s.restorePersonDrafts(r, a, id, &d); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if err := rd.Send(r.Context(), &d); err != nil {
		s.serverError(w, r, err)
		return
	}
	status := http.StatusOK
	if len(d.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, "person", view{Title: v.Person.FullName(), Nav: "persons", User: u, Data: d, Status: status})
}

func (s *Server) fillPersonPage(r *http.Request, rd *access.Reader, d *personPage) error {
	var err error
	a := rd.Actor()
	// Who has looked: the person themself, their leaders and supervisors see it.
	if a.Role == access.UnitLeader || a.Role == access.Auditor || d.Self {
		d.ShowLog = true
		// The newest entries, and a word when there are more: the person's
		// copy of their data holds them all.
		if d.Log, err = access.AccessLog(r.Context(), s.db, a.MunicipalityID, d.View.Person.ID, logShown+1); err != nil {
			return err
		}
		if len(d.Log) > logShown {
			d.Log, d.LogMore = d.Log[:logShown], logShown
		}
	}
	d.Leader = a.Role == access.UnitLeader
	if d.View.Allows(string(access.HousingNeeds)) {
		d.ShowIntake = true
		d.Channels, d.Residences = caseflow.Channels, caseflow.Residences
		d.TransitionKinds, d.InstitutionKinds = transition.Kinds, transition.Institutions
		if d.Contacts, err = caseflow.ReadContacts(r.Context(), rd, d.View.Person.ID); err != nil {
			return err
		}
		if d.Mapping, err = caseflow.ReadLatestMapping(r.Context(), rd, d.View.Person.ID); err != nil {
			return err
		}
		if d.Applications, err = caseflow.ReadApplications(r.Context(), rd, d.View.Person.ID, deadline.On(time.Now())); err != nil {
			return err
		}
		d.Kinds, d.Groups = caseflow.Kinds, caseflow.Groups
	}
	if a.Writes() {
		if d.Units, err = org.ListUnits(r.Context(), s.db, a.MunicipalityID); err != nil {
			return err
		}
		d.ConsentCategories = []access.Category{access.Finances, access.Health, access.Substance, access.FollowUpPlan, access.HousingNeeds, access.Tenancy}
		d.OutsideRecipients = access.OutsideRecipients
		for _, c := range d.View.Granted {
			if c != access.Basic && c != access.IDNumber && c != access.Household {
				d.NoteKinds = append(d.NoteKinds, c)
			}
		}
	}
	return nil
}

// personDenied explains a refusal: no relationship (offer emergency
// access), an auditor without a stated purpose (ask for it), restriction.
// Every refusal is logged, without personal data.
func (s *Server) personDenied(w http.ResponseWriter, r *http.Request, u *org.User, id int64, err error) {
	s.logRefusal(r, u, err)
	data := supervisionPage{PersonID: id, Problem: strings.Join(problemsFor(r, invalid.Refusals(err)), " ")}
	switch {
	case errors.Is(err, access.ErrNoRelationship):
		data.Problem = tr(r, "noaccess.problem")
		s.render(w, r, "noaccess", view{Title: tr(r, "noaccess.title"), Nav: "persons", User: u, Data: data, Status: http.StatusForbidden})
	case errors.Is(err, access.ErrReasonRequired):
		data.Problem = tr(r, "supervision.too_short") // what the rule asks, in the reader's language
		s.render(w, r, "supervision", view{Title: tr(r, "supervision.title"), Nav: "persons", User: u, Data: data, Status: http.StatusForbidden})
	case errors.Is(err, access.ErrRestricted):
		s.render(w, r, "restricted", view{Title: tr(r, "restricted.title"), User: u, Data: data, Status: http.StatusForbidden})
	case errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.serverError(w, r, err)
	}
}

// logRefusal records a refused attempt in the server log: who, which
// route, why — never names or numbers.
func (s *Server) logRefusal(r *http.Request, u *org.User, err error) {
	if errors.Is(err, access.ErrForbidden) || errors.Is(err, access.ErrNoRelationship) || errors.Is(err, access.ErrUnknownPerson) ||
		errors.Is(err, access.ErrRestricted) || errors.Is(err, access.ErrReasonRequired) {
		s.log.Warn("access refused", "user_id", u.ID, "role", string(u.Role), "method", r.Method, "path", r.URL.Path, "reason", err.Error())
	}
}

// breakGlass opens emergency access after a reason and the password.
func (s *Server) breakGlass(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	data := struct {
		PersonID int64
		Reason   string
		Problem  string
	}{PersonID: id, Reason: r.PostFormValue("reason")}
	// A user without a Husly password confirms through the identity
	// provider: a fresh authentication there, checked on the way back.
	if r.PostFormValue("bekreft") == "idp" && u.PasswordHash == "" {
		if p := staffProvider(s.opts.OIDC); p != nil {
			s.stepUp(w, r, p, id, data.Reason)
			return
		}
	}
	// The password is asked for every time, however recent the login.
	if status, key, err := s.confirmPassword(r, u, r.PostFormValue("password")); status != 0 {
		data.Problem = translate(language(r), key)
		s.render(w, r, "noaccess", view{Title: tr(r, "noaccess.title"), Nav: "persons", User: u, Data: data, Status: status})
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := access.OpenBreakGlass(r.Context(), tx, s.actor(r, u), id, data.Reason)
		return err
	})
	var ve *access.ValidationError
	switch {
	case errors.As(err, &ve):
		data.Problem = problemLine(r, ve.Problems)
		s.render(w, r, "noaccess", view{Title: tr(r, "noaccess.title"), Nav: "persons", User: u, Data: data, Status: http.StatusUnprocessableEntity})
		return
	case err != nil:
		s.personDenied(w, r, u, id, err)
		return
	}
	s.saved(w, r, tr(r, "forms.breakglass.opened"), "/personer/"+strconv.FormatInt(id, 10))
}

// supervisionReason stores an auditor's purpose for the session.
func (s *Server) supervisionReason(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role != access.Auditor {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	next := safeNext(r.PostFormValue("neste"))
	if !access.ValidPurpose(reason) {
		s.render(w, r, "supervision", view{Title: tr(r, "supervision.title"), User: u, Status: http.StatusUnprocessableEntity,
			Data: supervisionPage{Reason: reason, Problem: tr(r, "supervision.too_short"), Next: next}})
		return
	}
	s.sessions.Put(r.Context(), "supervision_reason", reason)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// revealNumber shows the full identity number once, and logs it.
func (s *Server) revealNumber(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	var number string
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		number, err = people.Reveal(r.Context(), tx, s.actor(r, u), id, access.ChannelPage)
		return err
	})
	if err != nil {
		s.personDenied(w, r, u, id, err)
		return
	}
	s.showPerson(w, r, u, personPage{Revealed: number})
}

// personAction runs one change on a person's record in a transaction and
// shows the page again, with what went wrong if it did.
func (s *Server) personAction(w http.ResponseWriter, r *http.Request, u *org.User, done string, act func(tx *store.Tx, a access.Actor, id int64) error) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := act(tx, s.actor(r, u), id); err != nil {
			return err
		}
		return deleteDraft(r, tx, s.actor(r, u))
	})
	var bad *invalid.Error
	switch {
	case errors.As(err, &bad):
		s.showPerson(w, r, u, personPage{Problems: problemsFor(r, bad.Problems), Form: newForm(r, personFormFields(r), bad.Problems)})
	case err != nil:
		s.personDenied(w, r, u, id, err)
	default:
		s.saved(w, r, done, "/personer/"+strconv.FormatInt(id, 10))
	}
}

func (s *Server) recordConsent(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, tr(r, "flash.consent"), func(tx *store.Tx, a access.Actor, id int64) error {
		if _, err := access.Authorize(r.Context(), tx, a, id); err != nil {
			return err
		}
		nums := numbersIn(r)
		unit := nums.ID("recipient", "words.field.to_unit")
		if err := nums.Err(); err != nil {
			return err
		}
		c := access.Consent{PersonID: id, RecipientUnitID: unit, Purpose: strings.TrimSpace(r.PostFormValue("purpose"))}
		for _, v := range r.PostForm["category"] {
			c.Categories = append(c.Categories, access.Category(v))
		}
		if v := r.PostFormValue("expires"); v != "" {
			d, err := deadline.Parse(v)
			if err != nil {
				return invalid.Problem("utløpsdatoen må være en dato (ÅÅÅÅ-MM-DD)")
			}
			c.Expires = d
		}
		if !a.Writes() {
			return access.ErrForbidden
		}
		_, err := access.RecordConsent(r.Context(), tx, a, c)
		return err
	})
}

func (s *Server) withdrawConsent(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, tr(r, "flash.consent_withdrawn"), func(tx *store.Tx, a access.Actor, id int64) error {
		if !a.Writes() {
			return access.ErrForbidden
		}
		if _, err := access.Authorize(r.Context(), tx, a, id); err != nil {
			return err
		}
		cid, _ := strconv.ParseInt(r.PathValue("cid"), 10, 64)
		return access.WithdrawConsent(r.Context(), tx, a, id, cid)
	})
}

func (s *Server) addNote(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.personAction(w, r, u, tr(r, "flash.note"), func(tx *store.Tx, a access.Actor, id int64) error {
		_, err := people.AddNote(r.Context(), tx, a, id, access.Category(r.PostFormValue("category")), r.PostFormValue("body"))
		return err
	})
}

// residentPage shows residents their own record, their consents (which
// they can withdraw) and who has looked at their data.
// residentWithdraw lets residents withdraw their own consent.
func (s *Server) residentWithdraw(w http.ResponseWriter, r *http.Request, u *org.User) {
	cid, _ := strconv.ParseInt(r.PathValue("cid"), 10, 64)
	if u.Role != access.Resident || u.PersonID == 0 {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return access.WithdrawConsent(r.Context(), tx, s.actor(r, u), u.PersonID, cid)
	})
	s.flashThenRedirect(w, r, u, err, tr(r, "flash.consent_withdrawn_self"), "/")
}

// flashThenRedirect ends a form action that returns to a list or another
// page: the outcome is shown there as a confirmation, or, when the input
// has a problem, the form is shown there again with what was typed, its
// fields marked and an error summary (keptforms.go).
func (s *Server) flashThenRedirect(w http.ResponseWriter, r *http.Request, u *org.User, err error, done, to string) {
	var ve *access.ValidationError
	switch {
	case errors.As(err, &ve):
		s.keepForm(r, to, ve.Problems)
	case errors.Is(err, access.ErrForbidden):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
		return
	case errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		s.saved(w, r, done, to)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// accessPage is the leader's and auditor's review of emergency access, and
// the matrix every role can read (administrators can change it).
type accessPage struct {
	Rules string
	// Eligibility is the eligibility rules as a form of rows.
	Eligibility ruleForm
	Practice    practiceForm
	Report      []access.ReportRow
	Events      []access.BreakGlassEvent
	ShowEvents  bool
	Matrix      access.Matrix
	Roles       []access.RoleDef
	BaseRoles   []access.Role
	Categories  []access.Category
	CanEdit     bool
	Message     string
	// BreakGlassSpecial is the municipality's exception for special categories.
	BreakGlassSpecial bool
	// Checks are registrations sent for checking to the actor's unit.
	Checks []people.RegistrationCheck
}

// Allows reads the matrix for the template.
func (p accessPage) Allows(role string, c access.Category) bool {
	return p.Matrix[access.Role(role)][c]
}

func (s *Server) accessOverview(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.showAccess(w, r, u, ruleForm{}, http.StatusOK)
}

// showAccess renders the access page; eligibility holds the eligibility
// rule rows as typed when their form came back with problems.
func (s *Server) showAccess(w http.ResponseWriter, r *http.Request, u *org.User, eligibility ruleForm, status int) {
	a := s.actor(r, u)
	if a.Role == access.Resident {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	d := accessPage{Categories: access.Categories, CanEdit: a.Role == access.Admin, Message: s.sessions.PopString(r.Context(), "flash")}
	for _, b := range access.Roles {
		if b != access.Resident {
			d.BaseRoles = append(d.BaseRoles, b)
		}
	}
	var err error
	if d.Matrix, err = access.LoadMatrix(r.Context(), s.db, a.MunicipalityID); err != nil {
		s.serverError(w, r, err)
		return
	}
	if d.Roles, err = access.RolesOf(r.Context(), s.db, a.MunicipalityID); err != nil {
		s.serverError(w, r, err)
		return
	}
	if a.Role == access.Admin {
		if d.BreakGlassSpecial, err = access.BreakGlassSpecialOf(r.Context(), s.db, a.MunicipalityID); err != nil {
			s.serverError(w, r, err)
			return
		}
		rules, err := caseflow.RulesOf(r.Context(), s.db, a.MunicipalityID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		b, _ := json.MarshalIndent(rules, "", "  ")
		d.Rules = string(b)
		d.Eligibility = eligibility
		if d.Eligibility.Rows == nil {
			d.Eligibility.Rows = eligibilityRows(language(r), rules)
		}
		d.Eligibility.Kinds, d.Eligibility.Groups = eligibilityKinds, caseflow.Groups
		practice, err := caseflow.LoadPractice(r.Context(), s.db, a.MunicipalityID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		d.Practice = practiceFormOf(practice)
	}
	if a.Writes() && a.OrgUnitID != 0 {
		if d.Checks, err = people.RegistrationChecks(r.Context(), s.db, a, 100); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if a.Role == access.UnitLeader || a.Role == access.Auditor {
		d.ShowEvents = true
		if d.Events, err = access.BreakGlassEvents(r.Context(), s.db, a, 200); err != nil {
			s.serverError(w, r, err)
			return
		}
		if d.Report, err = access.ReadReport(r.Context(), s.db, a, time.Now().AddDate(0, 0, -30)); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, "access", view{Title: tr(r, "access.title"), Nav: "access", User: u, Data: d, Status: status})
}

func (s *Server) reviewBreakGlass(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		return access.ReviewBreakGlass(r.Context(), tx, s.actor(r, u), id, r.PostFormValue("note"))
	})
	if errors.Is(err, access.ErrOwnBreakGlass) {
		s.logRefusal(r, u, access.ErrForbidden)
		s.saved(w, r, translate(language(r), "breakglass.own"), "/tilgang")
		return
	}
	s.flashThenRedirect(w, r, u, err, tr(r, "access.bg.reviewed_done"), "/tilgang")
}

// saveBreakGlassSpecial lets an administrator turn the municipality's
// exception for special categories under emergency access on or off.
func (s *Server) saveBreakGlassSpecial(w http.ResponseWriter, r *http.Request, u *org.User) {
	on := r.PostFormValue("special") == "ja"
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error { return access.SetBreakGlassSpecial(r.Context(), tx, s.actor(r, u), on) })
	key := "breakglass.special.off"
	if on {
		key = "breakglass.special.on"
	}
	s.flashThenRedirect(w, r, u, err, translate(language(r), key), "/tilgang")
}

func (s *Server) saveMatrix(w http.ResponseWriter, r *http.Request, u *org.User) {
	roles, err := access.RolesOf(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	m := access.Matrix{}
	for _, role := range roles {
		code := access.Role(role.Code)
		m[code] = map[access.Category]bool{}
		for _, c := range access.Categories {
			if r.PostFormValue(role.Code+":"+string(c)) == "ja" {
				m[code][c] = true
			}
		}
	}
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error { return access.SetMatrix(r.Context(), tx, s.actor(r, u), m) })
	if errors.Is(err, access.ErrForbidden) {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.saved(w, r, tr(r, "access.matrix.saved"), "/tilgang")
}

// The fields of the access page's forms (templates/access.html), by route,
// for a form sent back with its problems (keptforms.go).
var _ = declareForms(map[string][]formField{
	"POST /tilgang/roller": {{"role-code", "code", "rollekoden"}, {"role-label", "label", "navn"}, {"role-base", "base", "innebygd rolle"}},
	"POST /tilgang/praksis": {{"pr-paper", "paper_post_days", "words.field.paper_post_days"}, {"pr-paper", "paper_post_days", "papirpost"},
		{"pr-weeks", "appeal_weeks", "words.field.appeal_weeks"}, {"pr-weeks", "appeal_weeks", "klagefristen"},
		{"pr-deposit", "deposit_months", "words.field.deposit_months"}, {"pr-deposit", "deposit_months", "depositum"}},
	"POST /tilgang/nodtilgang/{id}/gjennomgang": {{"note-{id}", "note", "notat"}},
	"POST /tilgang/nodtilgang-unntak":           {},
})

// addRole lets an administrator add a municipality's own role.
func (s *Server) addRole(w http.ResponseWriter, r *http.Request, u *org.User) {
	d := access.RoleDef{Code: strings.TrimSpace(r.PostFormValue("code")), Label: r.PostFormValue("label"), Base: access.Role(r.PostFormValue("base"))}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error { return access.AddRole(r.Context(), tx, s.actor(r, u), d) })
	s.flashThenRedirect(w, r, u, err, trf(r, "access.newrole.added", d.Label), "/tilgang")
}
