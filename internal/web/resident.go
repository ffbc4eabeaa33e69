package web

import (
	"net/http"
	"strconv"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/org"
	"husly/internal/people"
)

// Min side: the resident's own start page, made for a phone. It speaks
// plainly (no "hjemmel", "kartlegging" or "grunnlag for innsyn"), shows
// where each application stands as steps with the case worker to call,
// and never a verdict on the eligibility rules before a case worker has
// decided (the rules are checked against what the applicant stated, and
// only the decision letter says the outcome).

// residentHome is what Min side shows.
type residentHome struct {
	personPage
	Cases []residentCase
	// OthersLog are the reads by anyone but the resident, newest first;
	// OwnLog the resident's own, shown folded beneath them.
	OthersLog, OwnLog []access.LogEntry
}

// residentCase is one sent application as the applicant follows it.
type residentCase struct {
	caseflow.MyCase
	Steps []applicationStep
	// Contact is the case worker, or the housing office while no one has
	// taken the case.
	Contact   org.Contact
	HasWorker bool
}

// applicationStep is one step of an application as the applicant sees it.
type applicationStep struct {
	Key     string // resident.step.<key>
	Done    bool
	Current bool
}

// stepKeys are the steps of an application, in order.
var stepKeys = []string{"sent", "handling", "decision", "offer", "lease"}

// applicationSteps places a case's status on the steps: the step it
// stands at is current, those before it are done. A refusal stands at
// the decision; a reassessment after declined offers is back with the
// case worker.
func applicationSteps(s caseflow.Status) []applicationStep {
	at := 1
	switch s {
	case caseflow.StatusReceived, caseflow.StatusInProgress, caseflow.StatusReview:
		at = 1
	case caseflow.StatusRefused:
		at = 2
	case caseflow.StatusGranted, caseflow.StatusOffered:
		at = 3
	case caseflow.StatusAllocated:
		at = 4
	case caseflow.StatusLease:
		at = len(stepKeys) // every step done
	}
	out := make([]applicationStep, len(stepKeys))
	for i, k := range stepKeys {
		out[i] = applicationStep{Key: k, Done: i < at, Current: i == at}
	}
	return out
}

// residentCases adds the steps and the contact to the resident's cases:
// the case workers' contacts in one query, the housing office's in one
// more when a case has no case worker yet.
func (s *Server) residentCases(r *http.Request, municipalityID int64, cases []caseflow.MyCase) ([]residentCase, error) {
	var ids []int64
	for _, c := range cases {
		if c.Application.CaseWorkerID != 0 {
			ids = append(ids, c.Application.CaseWorkerID)
		}
	}
	contacts, err := org.StaffContacts(r.Context(), s.db, municipalityID, ids)
	if err != nil {
		return nil, err
	}
	var office *org.Contact
	out := make([]residentCase, len(cases))
	for i, c := range cases {
		rc := residentCase{MyCase: c, Steps: applicationSteps(c.Application.Status)}
		if w, ok := contacts[c.Application.CaseWorkerID]; ok && c.Application.CaseWorkerID != 0 {
			rc.Contact, rc.HasWorker = w, true
		} else {
			if office == nil {
				o, err := org.HousingOffice(r.Context(), s.db, municipalityID)
				if err != nil {
					return nil, err
				}
				office = &o
			}
			rc.Contact = *office
		}
		out[i] = rc
	}
	return out, nil
}

// splitLog puts other people's reads first and the resident's own apart.
func splitLog(log []access.LogEntry) (others, own []access.LogEntry) {
	for _, e := range log {
		if e.Basis == access.BySelf {
			own = append(own, e)
		} else {
			others = append(others, e)
		}
	}
	return others, own
}

func (s *Server) residentPage(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.PersonID == 0 {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	r.SetPathValue("id", strconv.FormatInt(u.PersonID, 10))
	a := s.actor(r, u)
	rd := access.NewReader(s.db, a, access.ChannelPage)
	v, err := people.Read(r.Context(), rd, u.PersonID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := residentHome{personPage: personPage{View: v, Age: v.Person.Age(time.Now()), Self: true, Message: s.sessions.PopString(r.Context(), "flash")}}
	if err := s.fillPersonPage(r, rd, &d.personPage); err != nil {
		s.serverError(w, r, err)
		return
	}
	if d.HouseRules, err = caseflow.MyHouseRules(r.Context(), s.db, a); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := rd.Send(r.Context(), &d.personPage); err != nil {
		s.serverError(w, r, err)
		return
	}
	mine, err := caseflow.MyCases(r.Context(), s.db, a, today())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if d.Cases, err = s.residentCases(r, a.MunicipalityID, mine); err != nil {
		s.serverError(w, r, err)
		return
	}
	d.OthersLog, d.OwnLog = splitLog(d.Log)
	s.render(w, r, "resident", view{Title: translate(language(r), "resident.title"), Nav: "dashboard", User: u, Data: d})
}
