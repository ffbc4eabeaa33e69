package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"husly/internal/access"
	"husly/internal/arrears"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
)

// Arrears: the overview of conversations before collection, one lease's
// dues and conversations with their forms, and the municipality's
// practice.

func (s *Server) arrearsPages() []route {
	return []route{
		{"GET", "/bosikring/restanser", s.page(s.arrearsOverview)},
		{"POST", "/bosikring/restanser/praksis", s.page(s.arrearsSetPractice)},
		{"GET", "/bosikring/restanser/leieforhold/{id}", s.page(s.arrearsLease)},
		{"POST", "/bosikring/restanser/leieforhold/{id}/forfall", s.page(s.arrearsRegister)},
		{"POST", "/bosikring/restanser/forfall/{id}/utestaende", s.page(s.arrearsSetOutstanding)},
		{"POST", "/bosikring/restanser/samtaler/{id}/utfall", s.page(s.arrearsOutcome)},
		{"POST", "/bosikring/restanser/samtaler/{id}/inkasso", s.page(s.arrearsCollection)},
	}
}

// The fields of the arrears pages' forms (templates/arrears.html,
// arrears_lease.html), by route, for a form sent back with its problems
// (keptforms.go).
var _ = declareForms(map[string][]formField{
	"POST /bosikring/restanser/praksis": {{"ar-days", "conversation_days", "arrears.field.days"}, {"ar-days", "conversation_days", "fristen for samtalen"},
		{"ar-source", "source", "kilden"}},
	"POST /bosikring/restanser/samtaler/{id}/utfall": {{"note-{id}", "note", "notatet"}, {"oc-{id}", "outcome", "utfallet"}, {"held-{id}", "held_on", "arrears.field.held_on"},
		{"held-{id}", "held_on", "samtalen ble holdt"}, {"held-{id}", "held_on", "holdt fram i tid"},
		{"law-{id}", "nav_legal_basis", "hjemmelen"}, {"nb-{id}", "nav_basis", "velg grunnlaget"}},
	"POST /bosikring/restanser/samtaler/{id}/inkasso": {{"col-{id}", "on", "arrears.field.collection_on"}, {"col-{id}", "on", "inkasso ble startet"},
		{"col-{id}", "on", "startet fram i tid"}, {"why-{id}", "reason", "begrunnelse"}},
	"POST /bosikring/restanser/forfall/{id}/utestaende": {{"out-{id}", "outstanding", "arrears.field.outstanding"}, {"out-{id}", "outstanding", "utestående"}},
	"POST /bosikring/restanser/leieforhold/{id}/forfall": {{"rg-person", "person", "arrears.field.tenant"}, {"rg-person", "person", "leietakeren"},
		{"rg-kind", "kind", "ukjent type"}, {"rg-due", "due_on", "arrears.field.due_on"}, {"rg-due", "due_on", "forfallsdato"},
		{"rg-amount", "amount", "arrears.field.amount"}, {"rg-amount", "amount", "beløpet"}, {"rg-out", "outstanding", "utestående"}},
})

// arrearsDone answers an arrears form: problems go back to the page, a
// refusal is a 403, an unknown id a 404.
func (s *Server) arrearsDone(w http.ResponseWriter, r *http.Request, u *org.User, err error, done, to string) {
	switch {
	case errors.Is(err, arrears.ErrNotFound), errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.flashThenRedirect(w, r, u, err, done, to)
	}
}

// arrearsRead answers a page whose read failed.
func (s *Server) arrearsRead(w http.ResponseWriter, r *http.Request, u *org.User, err error) {
	switch {
	case errors.Is(err, arrears.ErrNotFound), errors.Is(err, access.ErrUnknownPerson):
		s.errorPage(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrForbidden), errors.Is(err, access.ErrNoRelationship), errors.Is(err, access.ErrRestricted), errors.Is(err, access.ErrReasonRequired):
		s.logRefusal(r, u, err)
		s.errorPage(w, r, http.StatusForbidden)
	default:
		s.serverError(w, r, err)
	}
}

type arrearsOverviewPage struct {
	Rows     []arrears.Row
	Status   string
	Mine     bool
	Overdue  bool
	Practice arrears.Practice
	Leader   bool
}

// arrearsFilter reads the overview's filters from the query.
func arrearsFilter(r *http.Request) arrears.Filter {
	q := r.URL.Query()
	f := arrears.Filter{Status: q.Get("status"), Mine: q.Get("mine") == "ja", Overdue: q.Get("forfalt") == "ja"}
	if f.Status != "apen" && f.Status != "gjennomfort" && f.Status != "alle" {
		f.Status = "apen"
	}
	if f.Status == "alle" {
		f.Status = ""
	}
	return f
}

func (s *Server) arrearsOverview(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	f := arrearsFilter(r)
	rows, err := arrears.Overview(r.Context(), access.NewReader(s.db, a, access.ChannelPage), f, today())
	if err != nil {
		s.arrearsRead(w, r, u, err)
		return
	}
	p, err := arrears.LoadPractice(r.Context(), s.db, a.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	status := f.Status
	if status == "" {
		status = "alle"
	}
	d := arrearsOverviewPage{Rows: rows, Status: status, Mine: f.Mine, Overdue: f.Overdue, Practice: p, Leader: a.Role == access.UnitLeader || a.Role == access.Admin}
	s.render(w, r, "arrears", view{Title: tr(r, "arrears.title"), Nav: "keeping", User: u, Data: d})
}

func (s *Server) arrearsSetPractice(w http.ResponseWriter, r *http.Request, u *org.User) {
	nums := numbersIn(r)
	p := arrears.Practice{ConversationDays: nums.Int("conversation_days", "arrears.field.days"), Source: r.PostFormValue("source")}
	a := s.actor(r, u)
	err := s.inTxParsed(r, nums, func(tx *store.Tx) error { return arrears.SetPractice(r.Context(), tx, a, p) })
	s.arrearsDone(w, r, u, err, tr(r, "arrears.flash.practice"), "/bosikring/restanser")
}

type arrearsLeasePage struct {
	View     arrears.LeaseView
	Kinds    []arrears.Kind
	Outcomes []arrears.OutcomeKind
	Writes   bool
	Today    string
}

func (s *Server) arrearsLease(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	v, err := arrears.ReadLease(r.Context(), access.NewReader(s.db, a, access.ChannelPage), id, today())
	if err != nil {
		s.arrearsRead(w, r, u, err)
		return
	}
	d := arrearsLeasePage{View: v, Kinds: arrears.Kinds, Outcomes: arrears.Outcomes, Writes: a.Writes(), Today: today().String()}
	s.render(w, r, "arrears_lease", view{Title: tr(r, "arrears.lease.title", id), Nav: "keeping", User: u, Data: d})
}

// kroner reads an amount in kroner from a form field; an empty field is
// 0, a broken one a problem naming the field.
func kroner(r *http.Request, name, labelKey string, problems *[]invalid.Message) int64 {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0
	}
	n, ok := arrears.ParseKroner(v)
	if !ok {
		*problems = append(*problems, invalid.F("%s: «%s» er ikke et beløp i kroner", tr(r, labelKey), v))
	}
	return n
}

func leaseTo(id int64) string { return "/bosikring/restanser/leieforhold/" + strconv.FormatInt(id, 10) }

func (s *Server) arrearsRegister(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	in := arrears.HandInput{LeaseID: id, PersonID: nums.ID("person", "arrears.field.tenant"), Kind: arrears.Kind(r.PostFormValue("kind")),
		DueOn: nums.Date("due_on", "arrears.field.due_on")}
	var ps []invalid.Message
	in.Amount = kroner(r, "amount", "arrears.field.amount", &ps)
	if strings.TrimSpace(r.PostFormValue("outstanding")) != "" {
		out := kroner(r, "outstanding", "arrears.field.outstanding", &ps)
		in.Outstanding = &out
	}
	a := s.actor(r, u)
	err := nums.Err()
	if err == nil && len(ps) > 0 {
		err = &invalid.Error{Problems: ps}
	}
	if err == nil {
		err = s.inTx(r, func(tx *store.Tx) error {
			_, err := arrears.Register(r.Context(), tx, a, in, today())
			return err
		})
	}
	s.arrearsDone(w, r, u, err, tr(r, "arrears.flash.registered"), leaseTo(id))
}

func (s *Server) arrearsSetOutstanding(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	nums := numbersIn(r)
	lease := nums.ID("lease", "arrears.field.lease")
	var ps []invalid.Message
	out := kroner(r, "outstanding", "arrears.field.outstanding", &ps)
	a := s.actor(r, u)
	err := nums.Err()
	if err == nil && len(ps) > 0 {
		err = &invalid.Error{Problems: ps}
	}
	if err == nil {
		err = s.inTx(r, func(tx *store.Tx) error { return arrears.SetOutstanding(r.Context(), tx, a, id, out, today()) })
	}
	s.arrearsDone(w, r, u, err, tr(r, "arrears.flash.outstanding"), leaseTo(lease))
}

// conversationAction runs a change to one conversation and goes back to
// its lease.
func (s *Server) conversationAction(w http.ResponseWriter, r *http.Request, u *org.User, done string, fn func(tx *store.Tx, a access.Actor, id int64) error) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	a := s.actor(r, u)
	lease, err := arrears.LeaseOf(r.Context(), s.db, a.MunicipalityID, id)
	if err == nil {
		err = s.inTx(r, func(tx *store.Tx) error { return fn(tx, a, id) })
	}
	s.arrearsDone(w, r, u, err, done, leaseTo(lease))
}

func (s *Server) arrearsOutcome(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.conversationAction(w, r, u, tr(r, "arrears.flash.outcome"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		in := arrears.OutcomeInput{Kind: arrears.OutcomeKind(r.PostFormValue("outcome")), HeldOn: nums.Date("held_on", "arrears.field.held_on"),
			Note: r.PostFormValue("note"), NotifyNAV: r.PostFormValue("notify_nav") == "ja", NAVBasis: r.PostFormValue("nav_basis"),
			NAVLegalBasis: r.PostFormValue("nav_legal_basis")}
		if err := nums.Err(); err != nil {
			return err
		}
		return arrears.RecordOutcome(r.Context(), tx, a, id, in, today())
	})
}

func (s *Server) arrearsCollection(w http.ResponseWriter, r *http.Request, u *org.User) {
	s.conversationAction(w, r, u, tr(r, "arrears.flash.collection"), func(tx *store.Tx, a access.Actor, id int64) error {
		nums := numbersIn(r)
		on := nums.Date("on", "arrears.field.collection_on")
		if err := nums.Err(); err != nil {
			return err
		}
		return arrears.StartCollection(r.Context(), tx, a, id, on, r.PostFormValue("reason"), today())
	})
}
