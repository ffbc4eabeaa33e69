package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/tenancy"
)

// Keeping the home: the complaints list, the open ladders, one lease's
// tenancy record with its ladder and letters, and the resident's side of
// a complaint on Min side.

// The fields of keeping the home's forms (templates/tenancy_*.html), by
// route, for a form sent back with its problems (keptforms.go).
var _ = declareForms(map[string][]formField{
	"POST /bosikring/klager": {{"c-lease", "lease", "tenancy.field.lease"}, {"c-lease", "lease", "leieforhold:"}, {"c-kind", "kind", "hva gjelder det:"},
		{"c-source", "source", "kilde:"}, {"c-complainant", "complainant", "klager:"}, {"c-received", "received_on", "tenancy.field.received_on"},
		{"c-what", "what", "tenancy.field.what"}, {"c-handler", "handler", "tenancy.col.handler"}, {"c-handler", "handler", "saksbehandler:"}},
	"POST /bosikring/klager/{id}/informert": {{"inf-how-{id}", "how", "hvordan:"}, {"inf-on-{id}", "informed_on", "tenancy.field.informed_on"}},
	"POST /bosikring/klager/{id}/avslutt":   {{"out-{id}", "outcome", "tenancy.field.outcome"}},
	"POST /bosikring/leieforhold/{id}/trinn": {{"st-issued", "issued_on", "tenancy.field.issued_on"}, {"st-action", "preventive_action", "forebyggende tiltak:"},
		{"st-by", "preventive_by", "tenancy.field.preventive_by"}, {"st-override", "override_reason", "hoppe over trinn"}, {"st-grounds", "grounds", "begrunnelse:"},
		{"st-ground", "ground", "oppsigelsesgrunn:"}, {"st-ground", "ground", "hevingsgrunn:"}, {"st-months", "notice_months", "tenancy.field.notice_months"},
		{"st-months", "notice_months", "oppsigelsestid:"}, {"st-eviction", "eviction_on", "utkastelsesdato:"}, {"st-eviction", "eviction_on", "tenancy.field.eviction_on"}},
	"POST /bosikring/leieforhold/{id}/stopp":                    {{"stop-reason", "reason", "begrunnelse:"}, {"stop-reason", "reason", "stoppet av:"}},
	"POST /bosikring/leieforhold/{id}/oppsigelse-fra-leietaker": {{"tn-received", "received_on", "tenancy.field.received_on"}, {"tn-moves", "moves_out_on", "tenancy.field.moves_out_on"}},
	"POST /bosikring/trinn/{id}/tilbake":                        {{"rb-{id}", "reason", "begrunnelse:"}},
	"POST /bosikring/oppsigelser/{id}/samtale":                  {{"tk-on-{id}", "talked_on", "tenancy.field.talked_on"}, {"tk-note-{id}", "note", "notat:"}},
	"POST /min-side/klager/{id}/svar":                           {{"reply-{id}", "body", "din side av saken:"}},
})

func (s *Server) tenancyPages() []route {
	return []route{
		{"GET", "/bosikring/klager", s.page(s.complaintsPage)},
		{"POST", "/bosikring/klager", s.page(s.registerComplaint)},
		{"POST", "/bosikring/klager/{id}/informert", s.page(s.informComplaint)},
		{"POST", "/bosikring/klager/{id}/avslutt", s.page(s.closeComplaint)},
		{"GET", "/bosikring/eskalering", s.page(s.laddersPage)},
		{"GET", "/bosikring/leieforhold/{id}", s.page(s.tenancyLeasePage)},
		{"POST", "/bosikring/leieforhold/{id}/trinn", s.page(s.takeStep)},
		{"POST", "/bosikring/leieforhold/{id}/stopp", s.page(s.stopLadder)},
		{"POST", "/bosikring/leieforhold/{id}/oppsigelse-fra-leietaker", s.page(s.tenantNotice)},
		{"POST", "/bosikring/trinn/{id}/tilbake", s.page(s.rollBackStep)},
		{"POST", "/bosikring/oppsigelser/{id}/samtale", s.page(s.recordTalk)},
		{"GET", "/bosikring/trinn/{id}/brev", s.page(s.stepLetter(false))},
		{"GET", "/bosikring/trinn/{id}/brev.pdf", s.page(s.stepLetter(true))},
		{"GET", "/min-side/klager", s.page(s.myComplaintsPage)},
		{"POST", "/min-side/klager/{id}/svar", s.page(s.replyToComplaint)},
	}
}

// tenancyRead answers a page whose read failed.
func (s *Server) tenancyRead(w http.ResponseWriter, r *http.Request, u *org.User, err error) {
	switch {
	case errors.Is(err, tenancy.ErrNotFound), errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrForbidden), errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.serverError(w, r, err)
	}
}

// tenancyDone answers a form: problems go back to the page, a refusal is
// a 403, an unknown id a 404.
func (s *Server) tenancyDone(w http.ResponseWriter, r *http.Request, u *org.User, err error, done, to string) {
	switch {
	case errors.Is(err, tenancy.ErrNotFound), errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.flashThenRedirect(w, r, u, err, done, to)
	}
}

type complaintsPage struct {
	Staff   []org.User
	List    []access.Personal[tenancy.Complaint]
	Leases  []access.Personal[tenancy.LeaseChoice]
	Filter  tenancy.ComplaintFilter
	Kinds   []tenancy.ComplaintKind
	Sources []tenancy.Source
	Today   deadline.Date
	Writes  bool
	Message string
}

// complaintFilter reads the list's filter from the query.
func complaintFilter(r *http.Request) tenancy.ComplaintFilter {
	f := tenancy.ComplaintFilter{Open: r.URL.Query().Get("alle") != "ja"}
	if k := tenancy.ComplaintKind(r.URL.Query().Get("hva")); k.Valid() {
		f.Kind = k
	}
	if src := tenancy.Source(r.URL.Query().Get("kilde")); src.Valid() {
		f.Source = src
	}
	if d, err := deadline.Parse(r.URL.Query().Get("fra")); err == nil {
		f.From = d
	}
	return f
}

func (s *Server) complaintsPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !a.SeesPersons() {
		s.tenancyRead(w, r, u, access.ErrForbidden)
		return
	}
	rd := access.NewReader(s.db, a, access.ChannelPage)
	f := complaintFilter(r)
	list, err := tenancy.Complaints(r.Context(), rd, f, 200)
	if err != nil {
		s.tenancyRead(w, r, u, err)
		return
	}
	leases, err := tenancy.Leases(r.Context(), access.NewReader(s.db, a, access.ChannelPage), 500)
	if err != nil {
		s.tenancyRead(w, r, u, err)
		return
	}
	var staff []org.User
	if a.Writes() {
		if staff, err = workingStaff(r, s, a); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	d := complaintsPage{Staff: staff, List: list, Leases: leases, Filter: f, Kinds: tenancy.ComplaintKinds, Sources: tenancy.Sources, Today: today(), Writes: a.Writes(),
		Message: s.popFlash(r)}
	s.render(w, r, "tenancy_complaints", view{Title: translate(language(r), "tenancy.complaints.title"), Nav: "keeping", User: u, Data: d})
}

// complaintForm reads the complaint form.
func complaintForm(r *http.Request) (tenancy.ComplaintInput, error) {
	nums := numbersIn(r)
	in := tenancy.ComplaintInput{LeaseID: nums.ID("lease", "tenancy.field.lease"), Kind: tenancy.ComplaintKind(r.PostFormValue("kind")),
		Source: tenancy.Source(r.PostFormValue("source")), Complainant: r.PostFormValue("complainant"), What: r.PostFormValue("what")}
	if r.PostFormValue("handler") != "" {
		in.HandlerID = nums.ID("handler", "tenancy.col.handler")
	}
	if r.PostFormValue("received_on") != "" {
		in.ReceivedOn = nums.Date("received_on", "tenancy.field.received_on")
	}
	return in, nums.Err()
}

func (s *Server) registerComplaint(w http.ResponseWriter, r *http.Request, u *org.User) {
	in, err := complaintForm(r)
	to := "/bosikring/klager"
	if back := r.PostFormValue("back"); back == "lease" && in.LeaseID > 0 {
		to = "/bosikring/leieforhold/" + strconv.FormatInt(in.LeaseID, 10)
	}
	if err == nil {
		err = s.inTx(r, func(tx *store.Tx) error {
			_, err := tenancy.RegisterComplaint(r.Context(), tx, s.actor(r, u), in, today())
			return err
		})
	}
	s.tenancyDone(w, r, u, err, translate(language(r), "tenancy.complaint.saved"), to)
}

// complaintBack is where a complaint's form returns: the lease page when
// the form came from it, else the list.
func complaintBack(r *http.Request) string {
	if l, err := strconv.ParseInt(r.PostFormValue("lease"), 10, 64); err == nil && l > 0 {
		return "/bosikring/leieforhold/" + strconv.FormatInt(l, 10)
	}
	return "/bosikring/klager"
}

func (s *Server) informComplaint(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	in := tenancy.InformInput{How: tenancy.Channel(r.PostFormValue("how"))}
	if r.PostFormValue("informed_on") != "" {
		in.On = nums.Date("informed_on", "tenancy.field.informed_on")
	}
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		return tenancy.InformComplaint(r.Context(), tx, s.actor(r, u), id, in, today())
	})
	s.tenancyDone(w, r, u, err, translate(language(r), "tenancy.complaint.informed_saved"), complaintBack(r))
}

func (s *Server) closeComplaint(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	in := tenancy.CloseInput{Outcome: r.PostFormValue("outcome")}
	err := s.inTx(r, func(tx *store.Tx) error {
		return tenancy.CloseComplaint(r.Context(), tx, s.actor(r, u), id, in, today())
	})
	s.tenancyDone(w, r, u, err, translate(language(r), "tenancy.complaint.closed_saved"), complaintBack(r))
}

type laddersPage struct {
	Talks []access.Personal[tenancy.TenantNotice]
	List  []access.Personal[tenancy.OpenLadder]
	Step  tenancy.Step
	Steps []tenancy.Step
}

func (s *Server) laddersPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !a.SeesPersons() {
		s.tenancyRead(w, r, u, access.ErrForbidden)
		return
	}
	step := tenancy.Step(r.URL.Query().Get("trinn"))
	if !step.Valid() {
		step = ""
	}
	list, err := tenancy.OpenLadders(r.Context(), access.NewReader(s.db, a, access.ChannelPage), step, 200)
	if err != nil {
		s.tenancyRead(w, r, u, err)
		return
	}
	talks, err := tenancy.Conversations(r.Context(), access.NewReader(s.db, a, access.ChannelPage))
	if err != nil {
		s.tenancyRead(w, r, u, err)
		return
	}
	s.render(w, r, "tenancy_ladders", view{Title: translate(language(r), "tenancy.ladders.title"), Nav: "keeping", User: u,
		Data: laddersPage{Talks: talks, List: list, Step: step, Steps: tenancy.Steps}})
}

type tenancyLeasePage struct {
	Lease    access.Personal[tenancy.Lease]
	Kinds    []tenancy.ComplaintKind
	Sources  []tenancy.Source
	Channels []tenancy.Channel
	Grounds  []tenancy.Ground
	Staff    []org.User
	Today    deadline.Date
	Writes   bool
	Ladder   bool // the viewer may take and undo steps
	Message  string
}

func (s *Server) tenancyLeasePage(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	l, err := tenancy.ReadLease(r.Context(), access.NewReader(s.db, a, access.ChannelPage), id)
	if err != nil {
		s.tenancyRead(w, r, u, err)
		return
	}
	d := tenancyLeasePage{Lease: l, Kinds: tenancy.ComplaintKinds, Sources: tenancy.Sources, Channels: tenancy.Channels, Grounds: tenancy.Grounds,
		Today: today(), Writes: a.Writes(), Ladder: a.Role == access.CaseWorker || a.Role == access.Property || a.Role == access.UnitLeader,
		Message: s.popFlash(r)}
	if d.Writes {
		if d.Staff, err = workingStaff(r, s, a); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, "tenancy_lease", view{Title: translate(language(r), "tenancy.lease.title"), Nav: "keeping", User: u, Data: d})
}

// stepForm reads the form for a step on the ladder.
func stepForm(r *http.Request) (tenancy.StepInput, error) {
	nums := numbersIn(r)
	in := tenancy.StepInput{Step: tenancy.Step(r.PostFormValue("step")), Grounds: r.PostFormValue("grounds"), Ground: tenancy.Ground(r.PostFormValue("ground")),
		PreventiveAction: r.PostFormValue("preventive_action"), OverrideReason: r.PostFormValue("override_reason"), NoticeAgreed: r.PostFormValue("notice_agreed") == "ja"}
	if r.PostFormValue("issued_on") != "" {
		in.IssuedOn = nums.Date("issued_on", "tenancy.field.issued_on")
	}
	if r.PostFormValue("eviction_on") != "" {
		in.EvictionOn = nums.Date("eviction_on", "tenancy.field.eviction_on")
	}
	if r.PostFormValue("notice_months") != "" {
		in.NoticeMonths = nums.Int("notice_months", "tenancy.field.notice_months")
	}
	if r.PostFormValue("preventive_by") != "" {
		in.PreventiveByID = nums.ID("preventive_by", "tenancy.field.preventive_by")
	}
	return in, nums.Err()
}

func (s *Server) takeStep(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	in, err := stepForm(r)
	if err == nil {
		err = s.inTx(r, func(tx *store.Tx) error {
			_, err := tenancy.TakeStep(r.Context(), tx, s.actor(r, u), id, in, today())
			return err
		})
	}
	s.tenancyDone(w, r, u, err, translate(language(r), "tenancy.stepform.saved"), "/bosikring/leieforhold/"+r.PathValue("id"))
}

func (s *Server) stopLadder(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	err := s.inTx(r, func(tx *store.Tx) error {
		return tenancy.Stop(r.Context(), tx, s.actor(r, u), id, r.PostFormValue("reason"))
	})
	s.tenancyDone(w, r, u, err, translate(language(r), "tenancy.ladder.stopped_saved"), "/bosikring/leieforhold/"+r.PathValue("id"))
}

func (s *Server) tenantNotice(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	var in tenancy.TenantNoticeInput
	if r.PostFormValue("received_on") != "" {
		in.ReceivedOn = nums.Date("received_on", "tenancy.field.received_on")
	}
	if r.PostFormValue("moves_out_on") != "" {
		in.MovesOutOn = nums.Date("moves_out_on", "tenancy.field.moves_out_on")
	}
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error {
		_, err := tenancy.RecordTenantNotice(r.Context(), tx, s.actor(r, u), id, in, today())
		return err
	})
	s.tenancyDone(w, r, u, err, translate(language(r), "tenancy.tenant_notice.saved"), "/bosikring/leieforhold/"+r.PathValue("id"))
}

func (s *Server) rollBackStep(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	var lease int64
	err := s.db.QueryRowContext(r.Context(), "SELECT lease_id FROM tenancy_steps WHERE id = ? AND municipality_id = ?", id, u.MunicipalityID).Scan(&lease)
	if err != nil {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	err = s.inTx(r, func(tx *store.Tx) error {
		return tenancy.RollBack(r.Context(), tx, s.actor(r, u), id, r.PostFormValue("reason"))
	})
	s.tenancyDone(w, r, u, err, translate(language(r), "tenancy.stepform.rolled_back_saved"), "/bosikring/leieforhold/"+strconv.FormatInt(lease, 10))
}

// stepLetter shows a warning's or notice's letter as an accessible HTML
// page, or as PDF.
func (s *Server) stepLetter(asPDF bool) func(http.ResponseWriter, *http.Request, *org.User) {
	return func(w http.ResponseWriter, r *http.Request, u *org.User) {
		id, ok := pathID(r)
		if !ok {
			s.errorPage(w, r, http.StatusNotFound)
			return
		}
		a := s.actor(r, u)
		if !a.SeesPersons() {
			s.tenancyRead(w, r, u, access.ErrForbidden)
			return
		}
		l, step, err := tenancy.MakeLetter(r.Context(), access.NewReader(s.db, a, access.ChannelPage), id)
		if errors.Is(err, tenancy.ErrNoLetter) {
			s.errorPage(w, r, http.StatusNotFound)
			return
		}
		if err != nil {
			s.tenancyRead(w, r, u, err)
			return
		}
		if asPDF {
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s-%d.pdf"`, step.Step, id))
			w.Header().Set("Cache-Control", "no-store")
			if err := l.WritePDF(w, time.Now()); err != nil {
				s.log.Error("tenancy letter pdf", "error", err.Error())
			}
			return
		}
		s.render(w, r, "tenancy_letter", view{Title: l.Title, Nav: "keeping", User: u, Data: struct {
			Letter caseflow.Letter
			StepID int64
			Lease  int64
		}{l, id, step.LeaseID}})
	}
}

type myComplaintsPage struct {
	List    []access.Personal[tenancy.MyComplaint]
	Message string
}

// myComplaintsPage is Min side's list of complaints about the resident,
// with a form to give their side under each: made for a phone.
func (s *Server) myComplaintsPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if a.Role != access.Resident {
		s.tenancyRead(w, r, u, access.ErrForbidden)
		return
	}
	list, err := tenancy.MyComplaints(r.Context(), access.NewReader(s.db, a, access.ChannelPage))
	if err != nil {
		s.tenancyRead(w, r, u, err)
		return
	}
	s.render(w, r, "tenancy_mine", view{Title: translate(language(r), "tenancy.mine.title"), Nav: "complaints", User: u,
		Data: myComplaintsPage{List: list, Message: s.popFlash(r)}})
}

func (s *Server) replyToComplaint(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	if a.Role != access.Resident {
		s.tenancyRead(w, r, u, access.ErrForbidden)
		return
	}
	err := s.inTx(r, func(tx *store.Tx) error {
		_, err := tenancy.ReplyToComplaint(r.Context(), tx, a, id, r.PostFormValue("body"))
		return err
	})
	s.tenancyDone(w, r, u, err, translate(language(r), "tenancy.mine.saved"), "/min-side/klager")
}

// recordTalk records that the conversation about a tenant's own notice
// took place.
func (s *Server) recordTalk(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	in := tenancy.TalkInput{Note: r.PostFormValue("note")}
	if r.PostFormValue("talked_on") != "" {
		in.On = nums.Date("talked_on", "tenancy.field.talked_on")
	}
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error { return tenancy.RecordTalk(r.Context(), tx, s.actor(r, u), id, in, today()) })
	s.tenancyDone(w, r, u, err, translate(language(r), "tenancy.talk.saved"), complaintBack(r))
}

// workingStaff are the municipality's staff who can handle a complaint or
// carry out a preventive action: not planners, administrators or auditors.
func workingStaff(r *http.Request, s *Server, a access.Actor) ([]org.User, error) {
	all, err := org.ListStaff(r.Context(), s.db, a, 0)
	if err != nil {
		return nil, err
	}
	staff := all[:0]
	for _, x := range all {
		if x.Role != access.Resident && x.Role != access.Planner && x.Role != access.Admin && x.Role != access.Auditor {
			staff = append(staff, x)
		}
	}
	return staff, nil
}
