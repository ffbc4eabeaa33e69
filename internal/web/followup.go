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

// Follow-up in the home: the teams' overview and norms, the caseload
// board per team, the day's visits on a phone, one resident's follow-up
// with its forms, the Housing First pipeline and the caretakers'
// observations.

func (s *Server) followupPages() []route {
	return []route{
		{"GET", "/oppfolging", s.page(s.followupOverview)},
		{"GET", "/oppfolging/i-dag", s.page(s.todaysVisits)},
		{"POST", "/oppfolging/team", s.page(s.createTeamForm)},
		{"GET", "/oppfolging/team/{id}", s.page(s.teamBoard)},
		{"POST", "/oppfolging/team/{id}/medlemmer", s.page(s.addMemberForm)},
		{"GET", "/oppfolging/team/{id}/housing-first", s.page(s.pipelinePage)},
		{"POST", "/oppfolging/team/{id}/housing-first", s.page(s.referToPipeline)},
		{"POST", "/oppfolging/housing-first/{id}/fase", s.page(s.advancePipeline)},
		{"POST", "/oppfolging/start", s.page(s.startFollowUp)},
		{"POST", "/oppfolging/normer", s.page(s.saveNorm)},
		{"GET", "/oppfolging/{id}", s.page(s.followUpPage)},
		{"POST", "/oppfolging/{id}/kontakter", s.page(s.recordContactForm)},
		{"POST", "/oppfolging/{id}/avslutt", s.page(s.endFollowUp)},
		{"POST", "/oppfolging/{id}/apen-dor", s.page(s.keepDoorOpen)},
		{"POST", "/oppfolging/{id}/gjenoppta", s.page(s.resumeFollowUp)},
		{"POST", "/oppfolging/{id}/tavle", s.page(s.flagOnBoard)},
		{"POST", "/oppfolging/{id}/avtaler", s.page(s.addAppointment)},
		{"POST", "/oppfolging/avtaler/{id}/utfort", s.page(s.completeAppointment)},
		{"POST", "/oppfolging/{id}/tiltak", s.page(s.restrictForm)},
		{"GET", "/oppfolging/tiltak", s.page(s.supervisionReport)},
		{"GET", "/oppfolging/observasjoner", s.page(s.observationsPage)},
		{"POST", "/oppfolging/observasjoner", s.page(s.recordObservation)},
		{"POST", "/oppfolging/observasjoner/{id}/behandlet", s.page(s.handleObservation)},
	}
}

// The fields of the follow-up page's forms (templates/followup_detail.html),
// by route, for a form sent back with its problems (keptforms.go).
var _ = declareForms(map[string][]formField{
	"POST /oppfolging/{id}/kontakter": {{"d-kind", "kind", "hvordan kontakten"}, {"d-on", "on", "words.field.date"}, {"d-on", "on", "kontakten kan ikke"},
		{"d-min", "minutes", "words.field.minutes"}, {"d-min", "minutes", "varigheten"}, {"d-risky", "risky", "risikofylt"},
		{"d-staff", "staff", "alle som var med"}, {"d-note", "note", "notatet kan"}, {"d-cat", "note_category", "kategori"}},
	"POST /oppfolging/{id}/tiltak": {{"r-kind", "kind", "hva tiltaket gjelder"}, {"r-desc", "description", "beskriv tiltaket"},
		{"r-basis", "legal_basis", "hjemmelen"}, {"r-from", "from_on", "words.field.from"}, {"r-from", "from_on", "datoen tiltaket starter"},
		{"r-until", "until_on", "words.field.until"}, {"r-until", "until_on", "sluttdatoen"},
		{"r-review", "review_on", "words.field.review"}, {"r-review", "review_on", "vurderes på nytt"}, {"r-review", "review_on", "ny vurdering"}, {"r-review", "review_on", "innen tre måneder"},
		{"r-informed", "informed_on", "words.field.informed"}, {"r-informed", "informed_on", "informer"}},
	"POST /oppfolging/{id}/avtaler": {{"a-with", "with", "hvem avtalen"}, {"a-what", "what", "hva avtalen"}, {"a-on", "on", "words.field.date"},
		{"a-on", "on", "avtalen må være"}, {"a-remind", "remind_on", "words.field.reminder"}, {"a-remind", "remind_on", "påminn"},
		{"a-owner", "owner", "words.field.helper"}, {"a-owner", "owner", "hjelpe med avtalen"}},
	"POST /oppfolging/{id}/tavle": {{"f-reason", "reason", "på tavla"}, {"f-reason", "reason", "grunnen"}, {"f-until", "until_on", "words.field.until"},
		{"f-until", "until_on", "merkingen på tavla"}, {"f-until", "until_on", "sluttdatoen for tavla"}, {"f-until", "until_on", "tre måneder"}},
	"POST /oppfolging/{id}/apen-dor": {{"o-st", "statement", "takket nei"}, {"o-st", "statement", "utsagnet"}, {"o-ch", "channel", "lav kontakt"},
		{"o-ask", "ask_again_on", "words.field.ask_again"}, {"o-ask", "ask_again_on", "spør"}},
	"POST /oppfolging/{id}/avslutt": {{"e-st", "statement", "egne ord"}, {"e-st", "statement", "utsagn"}, {"e-reason", "reason", "grunn til å avslutte"},
		{"e-reason", "reason", "avslutter ikke"}},
	"POST /oppfolging/team": {{"nt-unit", "org_unit", "words.field.org_unit"}, {"nt-unit", "org_unit", "enheten"}, {"nt-model", "model", "oppfølgingsmodell"}},
	"POST /oppfolging/normer": {{"nm-model", "model", "oppfølgingsmodell"}, {"nm-max", "max_per_person_year", "words.field.per_fte"}, {"nm-max", "max_per_person_year", "per årsverk"},
		{"nm-days", "min_contact_days", "words.field.contact_days"}, {"nm-days", "min_contact_days", "dager mellom kontakter"}, {"nm-source", "source", "hvor normen kommer fra"}},
	"POST /oppfolging/team/{id}/medlemmer": {{"tm-user", "user", "words.field.staff_member"}, {"tm-user", "user", "den ansatte som"}, {"tm-user", "user", "den ansatte finnes"},
		{"tm-role", "role", "rollen"}, {"tm-fte", "fte", "words.field.fte"}, {"tm-fte", "fte", "stillingsandelen"}, {"tm-employer", "employer", "ansatt i kommunen"}, {"tm-user", "user", "allerede med"}},
	"POST /oppfolging/observasjoner": {{"ob-person", "person", "words.field.resident"}, {"ob-person", "person", "beboeren det gjelder"}, {"ob-kind", "kind", "hva det gjelder"},
		{"ob-body", "body", "hva du har sett"}},
	"POST /oppfolging/observasjoner/{id}/behandlet": {{"rp-{id}", "reply", "svar"}},
	// The team board's start forms, one per person waiting (the posted
	// person, and the decision when there is one: none leaves the id
	// ending in "-"); the pipeline's referral, and its step per participant.
	"POST /oppfolging/start": {{"sp-{person}-{decision}", "primary", "words.field.primary"}, {"sp-{person}-{decision}", "primary", "primærkontakt"},
		{"sc-{person}-{decision}", "coordinator", "words.field.coordinator"}, {"sc-{person}-{decision}", "coordinator", "koordinatoren må være medlem"},
		{"sc-{person}-{decision}", "coordinator", "som ikke koordinerer tjenester"}, {"si-{person}-{decision}", "intensity", "hvor tett oppfølgingen"}},
	"POST /oppfolging/team/{id}/housing-first": {{"rf-person", "person", "words.field.person"}, {"rf-person", "person", "allerede henvist"},
		{"rf-by", "referred_by", "hvem som henviste"}, {"rf-on", "on", "words.field.date"}, {"rf-on", "on", "datoen kan ikke"}},
	"POST /oppfolging/housing-first/{id}/fase": {{"ph-{id}", "phase", "neste fase"}, {"pd-{id}", "on", "words.field.date"}, {"pd-{id}", "on", "datoen kan ikke"},
		{"pc-{id}", "home_choice", "eget valg av hvor hen vil bo"}, {"pc-{id}", "home_choice", "valget av bolig"}},
	"POST /oppfolging/{id}/gjenoppta":      {},
	"POST /oppfolging/avtaler/{id}/utfort": {},
})

// followupDone answers a follow-up form: problems go back to the page in
// the flash, a refusal is a 403, an unknown id a 404.
func (s *Server) followupDone(w http.ResponseWriter, r *http.Request, u *org.User, err error, done, to string) {
	switch {
	case errors.Is(err, followup.ErrNotFound), errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.flashThenRedirect(w, r, u, err, done, to)
	}
}

// followupRead answers a page whose read failed.
func (s *Server) followupRead(w http.ResponseWriter, r *http.Request, u *org.User, err error) {
	switch {
	case errors.Is(err, followup.ErrNotFound), errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrForbidden), errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.serverError(w, r, err)
	}
}

// inTx runs one user action in one transaction.
func (s *Server) inTx(r *http.Request, fn func(tx *store.Tx) error) error {
	return s.db.InTx(r.Context(), fn)
}

type followupOverviewPage struct {
	Teams  []followup.Team
	Norms  []followup.Norm
	Alerts map[int64]int
	Leader bool
	// SetsUp is set for those who set teams up; Units are the units that
	// are not a team yet and Models the models to choose from.
	SetsUp  bool
	Units   []followup.Choice
	Models  []followup.Model
	Message string
	// Today, Restrictions and Activities link to those pages for the
	// roles that may open them, by the rules the pages' reads apply.
	Today, Restrictions, Activities bool
}

func (s *Server) followupOverview(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if a.Role == access.Property {
		http.Redirect(w, r, "/oppfolging/observasjoner", http.StatusSeeOther)
		return
	}
	teams, err := followup.Teams(r.Context(), s.db, a)
	if err != nil {
		s.followupRead(w, r, u, err)
		return
	}
	norms, err := followup.Norms(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := followupOverviewPage{Teams: teams, Alerts: map[int64]int{}, Leader: a.Role == access.UnitLeader || a.Role == access.Admin,
		Message: s.sessions.PopString(r.Context(), "flash"),
		Today:   followup.ReadsMine(a), Restrictions: followup.ReadsSupervisionReport(a), Activities: activity.Staff(a)}
	for _, m := range followup.Models {
		d.Norms = append(d.Norms, norms[m])
	}
	if followup.SetsUpTeams(a) {
		d.SetsUp, d.Models = true, followup.Models
		if d.Units, err = followup.FreeUnits(r.Context(), s.db, a); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	// Alert counts per team: aggregates, no person named.
	alerts, err := followup.AlertsOf(r.Context(), s.db, a.MunicipalityID, 0, 0, today())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, al := range alerts {
		d.Alerts[al.TeamID]++
	}
	s.render(w, r, "followup", view{Title: translate(language(r), "followup.title"), Nav: "followup", User: u, Data: d})
}

type todayPage struct {
	Mine    followup.Mine
	Today   deadline.Date
	Kinds   []followup.ContactKind
	Cats    []access.Category
	Message string
}

// todaysVisits is the day's visits, made for a phone: the residents whose
// contact is due, each with a form that records a contact in one tap with
// sensible defaults (a home visit today, 30 minutes, met).
func (s *Server) todaysVisits(w http.ResponseWriter, r *http.Request, u *org.User) {
	rd := access.NewReader(s.db, s.actor(r, u), access.ChannelPage)
	mine, err := followup.ReadMine(r.Context(), rd, today())
	if err != nil {
		s.followupRead(w, r, u, err)
		return
	}
	d := todayPage{Mine: mine, Today: today(), Kinds: followup.ContactKinds, Cats: followup.NoteCategories, Message: s.sessions.PopString(r.Context(), "flash")}
	s.render(w, r, "followup_today", view{Title: translate(language(r), "followup.today.title"), Nav: "followup", User: u, Data: d})
}

type boardPage struct {
	Board      followup.Board
	Candidates []access.Personal[followup.Candidate]
	Today      deadline.Date
	Starts     bool
	// SetsUp is set for those who add members; Staff are the staff who
	// can join and Roles the roles on a team.
	SetsUp  bool
	Staff   []followup.Choice
	Roles   []followup.MemberRole
	Message string
	// StaffRegister links to the team's staff register for its members and
	// unit leaders (workenv.Opens).
	StaffRegister bool
}

func (s *Server) teamBoard(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	rd := access.NewReader(s.db, a, access.ChannelPage)
	b, err := followup.ReadBoard(r.Context(), rd, id, today())
	if err != nil {
		s.followupRead(w, r, u, err)
		return
	}
	members := make([]int64, len(b.Team.Members))
	for i, m := range b.Team.Members {
		members[i] = m.UserID
	}
	d := boardPage{Board: b, Today: today(), Message: s.sessions.PopString(r.Context(), "flash"), StaffRegister: workenv.Opens(a, members)}
	if a.Role == access.FollowUp || a.Role == access.UnitLeader {
		d.Starts = true
		if d.Candidates, err = followup.Candidates(r.Context(), rd, id); err != nil {
			s.followupRead(w, r, u, err)
			return
		}
	}
	if followup.SetsUpTeams(a) {
		d.SetsUp, d.Roles = true, followup.MemberRoles
		if d.Staff, err = followup.MemberChoices(r.Context(), s.db, a, id); err != nil {
			s.followupRead(w, r, u, err)
			return
		}
	}
	s.render(w, r, "followup_board", view{Title: b.Team.Name, Nav: "followup", User: u, Data: d})
}

type followUpPage struct {
	Detail       followup.Detail
	Restrictions []access.Personal[followup.Restriction]
	RKinds       []followup.RestrictionKind
	Today        deadline.Date
	Kinds        []followup.ContactKind
	Cats         []access.Category
	Reasons      []followup.EndReason
	With         []followup.AppointmentWith
	Members      []followup.Member
	Writes       bool
	Message      string
	AskAgain     deadline.Date
}

func (s *Server) followUpPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	d, err := followup.ReadFollowUp(r.Context(), access.NewReader(s.db, a, access.ChannelPage), id, 100)
	if err != nil {
		s.followupRead(w, r, u, err)
		return
	}
	rs, err := followup.RestrictionsOfFollowUp(r.Context(), access.NewReader(s.db, a, access.ChannelPage), id, today())
	if err != nil {
		s.followupRead(w, r, u, err)
		return
	}
	p := followUpPage{Detail: d, Restrictions: rs, RKinds: followup.RestrictionKinds, Today: today(), Kinds: followup.ContactKinds, Cats: followup.NoteCategories, Reasons: followup.EndReasons,
		With: followup.AppointmentKinds, Writes: a.Writes(), Message: s.sessions.PopString(r.Context(), "flash"), AskAgain: today().AddDays(28)}
	if p.Writes {
		t, err := followup.TeamByID(r.Context(), s.db, a, d.FollowUp.Value().TeamID)
		if err != nil {
			s.followupRead(w, r, u, err)
			return
		}
		p.Members = t.Members
	}
	s.render(w, r, "followup_detail", view{Title: d.PersonName.Value(), Nav: "followup", User: u, Data: p})
}

// followUpAction runs a change to one follow-up and goes back to a page:
// the day's visits when the form came from there, else the follow-up.
func (s *Server) followUpAction(w http.ResponseWriter, r *http.Request, u *org.User, done string, fn func(tx *store.Tx, a access.Actor, id int64) error) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	to := "/oppfolging/" + strconv.FormatInt(id, 10)
	if r.PostFormValue("back") == "i-dag" {
		to = "/oppfolging/i-dag"
	}
	a := s.actor(r, u)
	err := s.inTx(r, func(tx *store.Tx) error { return fn(tx, a, id) })
	s.followupDone(w, r, u, err, done, to)
}

func (s *Server) recordContactForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.followUpAction(w, r, u, tr(r, "followup.flash.contact"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		in := followup.ContactInput{Kind: followup.ContactKind(r.PostFormValue("kind")), On: nums.Date("on", "words.field.date"), Minutes: nums.Int("minutes", "words.field.minutes"),
			Risky: r.PostFormValue("risky") == "ja", Note: r.PostFormValue("note"), NoteCategory: access.Category(r.PostFormValue("note_category"))}
		met := r.PostFormValue("met") != "nei"
		in.Met = &met
		for _, v := range r.PostForm["staff"] {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				in.StaffIDs = append(in.StaffIDs, n)
			}
		}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := followup.RecordContact(r.Context(), tx, a, id, in, today())
		return err
	})
}

func (s *Server) endFollowUp(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.followUpAction(w, r, u, tr(r, "followup.flash.ended"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		in := followup.EndInput{On: nums.Date("on", "words.field.date"), Statement: r.PostFormValue("statement"), Reason: followup.EndReason(r.PostFormValue("reason"))}
		if err := nums.Err(); err != nil {
			return err
		}
		return followup.End(r.Context(), tx, a, id, in, today())
	})
}

func (s *Server) keepDoorOpen(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.followUpAction(w, r, u, tr(r, "followup.flash.door"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		in := followup.DoorInput{Statement: r.PostFormValue("statement"), Channel: r.PostFormValue("channel"), AskAgain: nums.Date("ask_again_on", "words.field.ask_again")}
		if err := nums.Err(); err != nil {
			return err
		}
		return followup.KeepDoorOpen(r.Context(), tx, a, id, in, today())
	})
}

func (s *Server) resumeFollowUp(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.followUpAction(w, r, u, tr(r, "followup.flash.resumed"), func(tx *store.Tx, a access.Actor, id int64) error {
		return followup.Resume(r.Context(), tx, a, id)
	})
}

func (s *Server) flagOnBoard(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.followUpAction(w, r, u, tr(r, "followup.flash.flagged"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		in := followup.BoardInput{Reason: r.PostFormValue("reason"), Until: nums.Date("until_on", "words.field.until")}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := followup.Flag(r.Context(), tx, a, id, in, today())
		return err
	})
}

func (s *Server) addAppointment(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.followUpAction(w, r, u, tr(r, "followup.flash.appointment"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		in := followup.AppointmentInput{With: followup.AppointmentWith(r.PostFormValue("with")), What: r.PostFormValue("what"), On: nums.Date("on", "words.field.date"),
			RemindOn: nums.Date("remind_on", "words.field.reminder"), OwnerID: nums.ID("owner", "words.field.helper")}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := followup.AddAppointment(r.Context(), tx, a, id, in, today())
		return err
	})
}

func (s *Server) completeAppointment(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	err := s.inTx(r, func(tx *store.Tx) error { return followup.CompleteAppointment(r.Context(), tx, a, id, today()) })
	to := "/oppfolging/i-dag"
	if fid := r.PostFormValue("followup"); fid != "" {
		if n, err := strconv.ParseInt(fid, 10, 64); err == nil && n > 0 {
			to = "/oppfolging/" + strconv.FormatInt(n, 10)
		}
	}
	s.followupDone(w, r, u, err, tr(r, "followup.flash.appointment_done"), to)
}

func (s *Server) startFollowUp(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	in := followup.StartInput{PersonID: nums.ID("person", "words.field.resident"), TeamID: nums.ID("team", "words.field.team"), PrimaryID: nums.ID("primary", "words.field.primary"),
		CoordinatorID: nums.ID("coordinator", "words.field.coordinator"), DecisionID: nums.ID("decision", "words.field.decision"), ServiceCode: r.PostFormValue("service_code"),
		Intensity: followup.Intensity(r.PostFormValue("intensity")), StartOn: nums.Date("start_on", "words.field.start")}
	a := s.actor(r, u)
	var id int64
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		var err error
		id, err = followup.Start(r.Context(), tx, a, in, today())
		return err
	})
	to := "/oppfolging"
	if in.TeamID > 0 {
		to = "/oppfolging/team/" + strconv.FormatInt(in.TeamID, 10)
	}
	if err == nil {
		to = "/oppfolging/" + strconv.FormatInt(id, 10)
	}
	s.followupDone(w, r, u, err, tr(r, "followup.flash.started"), to)
}

func (s *Server) saveNorm(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	n := followup.Norm{Model: followup.Model(r.PostFormValue("model")), MaxPerPersonYear: nums.Decimal("max_per_person_year", "words.field.per_fte"),
		MinContactDays: nums.Int("min_contact_days", "words.field.contact_days"), Source: r.PostFormValue("source")}
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error { return followup.SetNorm(r.Context(), tx, a, n) })
	s.followupDone(w, r, u, err, tr(r, "followup.flash.norm"), "/oppfolging")
}

// createTeamForm sets an organisational unit up as a follow-up service in
// one of the models; the team takes the unit's name.
func (s *Server) createTeamForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	unit := nums.ID("org_unit", "words.field.org_unit")
	model := followup.Model(r.PostFormValue("model"))
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := followup.CreateTeam(r.Context(), tx, a, unit, model)
		return err
	})
	s.followupDone(w, r, u, err, tr(r, "followup.flash.team"), "/oppfolging")
}

// addMemberForm puts a staff member on a team with a role and a share of
// a person-year.
func (s *Server) addMemberForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	m := followup.Member{UserID: nums.ID("user", "words.field.staff_member"), Role: followup.MemberRole(r.PostFormValue("role")),
		FTE: nums.Decimal("fte", "words.field.fte"), Employer: followup.Employer(r.PostFormValue("employer"))}
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := followup.AddMember(r.Context(), tx, a, id, m)
		return err
	})
	s.followupDone(w, r, u, err, tr(r, "followup.flash.member"), "/oppfolging/team/"+strconv.FormatInt(id, 10))
}

type pipelinePage struct {
	Pipeline followup.Pipeline
	Team     followup.Team
	Writes   bool
	Today    deadline.Date
	Message  string
	// Referable are whom the referral form offers: those waiting for the
	// team (followup.Candidates) who are not in its pipeline, once each.
	Referable []access.Personal[followup.Candidate]
}

func (s *Server) pipelinePage(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	t, err := followup.TeamByID(r.Context(), s.db, a, id)
	if err != nil {
		s.followupRead(w, r, u, err)
		return
	}
	p, err := followup.ReadPipeline(r.Context(), access.NewReader(s.db, a, access.ChannelPage), id, today())
	if err != nil {
		s.followupRead(w, r, u, err)
		return
	}
	d := pipelinePage{Pipeline: p, Team: t, Writes: a.Role == access.FollowUp || a.Role == access.UnitLeader, Today: today(),
		Message: s.sessions.PopString(r.Context(), "flash")}
	if d.Writes && t.Model == followup.HousingFirst {
		waiting, err := followup.Candidates(r.Context(), access.NewReader(s.db, a, access.ChannelPage), id)
		if err != nil {
			s.followupRead(w, r, u, err)
			return
		}
		in := map[int64]bool{}
		for _, row := range p.Rows {
			in[row.Value().PersonID] = true
		}
		for _, c := range access.OnlyShown(waiting) {
			if !in[c.Value().PersonID] {
				in[c.Value().PersonID] = true
				d.Referable = append(d.Referable, c)
			}
		}
	}
	s.render(w, r, "followup_pipeline", view{Title: t.Name, Nav: "followup", User: u, Data: d})
}

func (s *Server) referToPipeline(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	person, on := nums.ID("person", "words.field.person"), nums.Date("on", "words.field.date")
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := followup.Refer(r.Context(), tx, a, id, person, r.PostFormValue("referred_by"), on, today())
		return err
	})
	s.followupDone(w, r, u, err, tr(r, "followup.flash.referred"), "/oppfolging/team/"+strconv.FormatInt(id, 10)+"/housing-first")
}

func (s *Server) advancePipeline(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	in := followup.AdvanceInput{Phase: followup.Phase(r.PostFormValue("phase")), On: nums.Date("on", "words.field.date"), HomeChoice: r.PostFormValue("home_choice")}
	team := nums.ID("team", "words.field.team")
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error { return followup.Advance(r.Context(), tx, a, id, in, today()) })
	s.followupDone(w, r, u, err, tr(r, "followup.flash.advanced"), "/oppfolging/team/"+strconv.FormatInt(team, 10)+"/housing-first")
}

type observationsPage struct {
	List    []access.Personal[followup.Observation]
	Persons []access.Personal[followup.Candidate]
	Kinds   []followup.ObservationKind
	Reports bool
	Handles bool
	Message string
}

func (s *Server) observationsPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	rd := access.NewReader(s.db, a, access.ChannelPage)
	list, err := followup.Observations(r.Context(), rd, 100)
	if err != nil {
		s.followupRead(w, r, u, err)
		return
	}
	d := observationsPage{List: list, Kinds: followup.ObservationKinds, Reports: a.Role == access.Property, Handles: a.Role == access.FollowUp || a.Role == access.UnitLeader,
		Message: s.sessions.PopString(r.Context(), "flash")}
	if d.Reports {
		if d.Persons, err = followup.Tenants(r.Context(), rd); err != nil {
			s.followupRead(w, r, u, err)
			return
		}
	}
	s.render(w, r, "followup_observations", view{Title: translate(language(r), "followup.obs.title"), Nav: "followup", User: u, Data: d})
}

func (s *Server) recordObservation(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	in := followup.ObservationInput{PersonID: nums.ID("person", "words.field.resident"), Kind: followup.ObservationKind(r.PostFormValue("kind")), Body: r.PostFormValue("body")}
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := followup.Observe(r.Context(), tx, a, in, today())
		return err
	})
	s.followupDone(w, r, u, err, tr(r, "followup.flash.observed"), "/oppfolging/observasjoner")
}

func (s *Server) handleObservation(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	err := s.inTx(r, func(tx *store.Tx) error {
		return followup.Handle(r.Context(), tx, a, id, r.PostFormValue("reply"), today())
	})
	s.followupDone(w, r, u, err, tr(r, "followup.flash.handled"), "/oppfolging/observasjoner")
}

func (s *Server) restrictForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.followUpAction(w, r, u, tr(r, "followup.flash.restricted"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		in := followup.Restriction{Kind: followup.RestrictionKind(r.PostFormValue("kind")), Description: r.PostFormValue("description"),
			LegalBasis: r.PostFormValue("legal_basis"), From: nums.Date("from_on", "words.field.from"), Until: nums.Date("until_on", "words.field.until"),
			Review: nums.Date("review_on", "words.field.review"), Informed: nums.Date("informed_on", "words.field.informed")}
		if err := nums.Err(); err != nil {
			return err
		}
		_, err := followup.Restrict(r.Context(), tx, a, id, in, today())
		return err
	})
}

// supervisionReport is the register of rights-restricting measures for
// supervision (tilsyn) and the unit leaders.
func (s *Server) supervisionReport(w http.ResponseWriter, r *http.Request, u *org.User) {
	rep, err := followup.ReadSupervisionReport(r.Context(), access.NewReader(s.db, s.actor(r, u), access.ChannelPage), today())
	if err != nil {
		s.followupRead(w, r, u, err)
		return
	}
	d := struct {
		Report followup.SupervisionReport
		Kinds  []followup.RestrictionKind
	}{rep, followup.RestrictionKinds}
	s.render(w, r, "followup_restrictions", view{Title: translate(language(r), "followup.restrictions.title"), Nav: "followup", User: u, Data: d})
}
