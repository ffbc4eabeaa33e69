package web

import (
	"errors"
	"fmt"
	"husly/internal/homecheck"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/access/login"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/housing"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
)

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if currentUser(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, "login", view{Title: translate(language(r), "login.title"), Data: safeNext(r.URL.Query().Get("neste"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	lang := language(r)
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("neste"))
	fail := func(key string, status int) {
		s.render(w, r, "login", view{Title: translate(lang, "login.title"), Error: translate(lang, key), Data: next, Status: status})
	}
	u, err := login.Password(r.Context(), s.db, username, password, time.Now())
	switch {
	case errors.Is(err, login.ErrLocked):
		s.log.Warn("login refused: account locked")
		fail("login.locked", http.StatusTooManyRequests)
		return
	case errors.Is(err, login.ErrFailed):
		s.log.Warn("login refused: wrong user name or password")
		fail("login.failed", http.StatusUnauthorized)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	// A new session token at login defeats session fixation.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), "user_id", u.ID)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.serverError(w, r, err) // never claim a logout that did not happen
		return
	}
	http.Redirect(w, r, "/logg-inn", http.StatusSeeOther)
}

func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	for _, l := range Languages {
		if l == lang {
			http.SetCookie(w, &http.Cookie{Name: "husly_lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.opts.SecureCookies})
		}
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("neste")), http.StatusSeeOther)
}

func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeProblem(w, r, http.StatusNotFound, invalid.F("Det finnes ingen ressurs på denne adressen. Se /api/v1/openapi.json."))
		return
	}
	s.errorPage(w, r, http.StatusNotFound)
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int) {
	lang := language(r)
	key := "notfound"
	if status == http.StatusForbidden {
		key = "forbidden"
	}
	s.render(w, r, "error", view{Title: translate(lang, key+".title"), Error: translate(lang, key+".text"), Status: status})
}

type personsData struct {
	Persons  []people.Person
	Query    string
	Searched bool
	Page     int
	Next     string // the next page's token, empty on the last page
	// Sort is the order in the URL (sorter=): empty or "navn" for by name,
	// "nyeste" for newest registered first; the page links keep it.
	Sort              string
	FirstURL, NextURL string
	// Problem is a translation key: why the search was refused, and
	// ProblemField the key of the filter field it names, if one.
	Problem, ProblemField string
	// Cases is the case filter (fase=, saksbehandler=) as read, shown to
	// roles that read housing needs (CaseFilters), with its choices.
	Cases       people.CaseFilter
	Phase       string
	Worker      string
	CaseFilters bool
	Statuses    []caseflow.Status
	Workers     []org.User
}

const personsPerPage = 50

// personsList names the person list in its page tokens.
const personsList = "persons"

// personKey reads a person list position from a page token's parts; the
// page tokens are MACed, so parts that do not parse mean a server bug.
func personKey(key []string) (people.PageKey, error) {
	if key == nil {
		return people.PageKey{}, nil
	}
	id, err := strconv.ParseInt(key[2], 10, 64)
	return people.PageKey{LastName: key[0], FirstName: key[1], ID: id}, err
}

// personsToken is the token of the page after p; number is the page's
// number for the pages' "Side N" (0 in the API), and bound the case
// filter's suffix that binds the token to it ("" without one).
func (s *Server) personsToken(r *http.Request, p people.Person, number int, bound string) (string, error) {
	k := p.PageKey()
	if number > 0 {
		return s.encodePage(r.Context(), personsList+"-side"+bound, k.LastName, k.FirstName, strconv.FormatInt(k.ID, 10), strconv.Itoa(number))
	}
	return s.encodePage(r.Context(), personsList+bound, k.LastName, k.FirstName, strconv.FormatInt(k.ID, 10))
}

// badPageToken answers a changed or foreign page token on a page: 400, a
// plain explanation and a way back to the first page.
func (s *Server) badPageToken(w http.ResponseWriter, r *http.Request) {
	lang := language(r)
	s.render(w, r, "error", view{Title: translate(lang, "page.invalid.title"), Error: translate(lang, "page.invalid.text"), Status: http.StatusBadRequest})
}

func (s *Server) personList(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.actor(r, u).SeesPersons() {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	if s.askPurpose(w, r, u) {
		return
	}
	d := personsData{Page: 1, Sort: r.URL.Query().Get("sorter")}
	if d.Sort != "" && d.Sort != personsByName && d.Sort != personsNewest { // nothing is read for a sort the list does not know
		d.Problem = "finder.persons.bad_sort"
		s.render(w, r, "persons", view{Title: translate(language(r), "persons.title"), Nav: "persons", User: u, Data: d, Status: http.StatusBadRequest})
		return
	}
	if status, err := s.personCaseFilter(r, u, &d); err != nil {
		s.serverError(w, r, err)
		return
	} else if status != http.StatusOK {
		s.render(w, r, "persons", view{Title: translate(language(r), "persons.title"), Nav: "persons", User: u, Data: d, Status: status})
		return
	}
	if d.Sort == personsNewest {
		if !s.newestPersons(w, r, u, &d) {
			return
		}
		s.render(w, r, "persons", view{Title: translate(language(r), "persons.title"), Nav: "persons", User: u, Data: d})
		return
	}
	key, err := s.decodePage(r.Context(), d.listName(personsList+"-side"), r.URL.Query().Get("side"), 4)
	if errors.Is(err, errBadPageToken) {
		s.badPageToken(w, r)
		return
	}
	var after people.PageKey
	if err == nil && key != nil {
		if d.Page, err = strconv.Atoi(key[3]); err == nil {
			after, err = personKey(key[:3])
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ps, err := people.List(r.Context(), s.db, s.actor(r, u), access.ChannelPage, d.Cases, after, personsPerPage+1)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d.Persons = ps
	if len(ps) > personsPerPage {
		d.Persons = ps[:personsPerPage]
		k := ps[personsPerPage-1].PageKey()
		if d.Next, err = s.encodePage(r.Context(), d.listName(personsList+"-side"), k.LastName, k.FirstName, strconv.FormatInt(k.ID, 10), strconv.Itoa(d.Page+1)); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	d.pageLinks()
	s.render(w, r, "persons", view{Title: translate(language(r), "persons.title"), Nav: "persons", User: u, Data: d})
}

// personSearch is a POST so that identity numbers never appear in a URL.
func (s *Server) personSearch(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.actor(r, u).SeesPersons() {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	if s.askPurpose(w, r, u) {
		return
	}
	q := strings.TrimSpace(r.PostFormValue("q"))
	if q == "" {
		s.personList(w, r, u)
		return
	}
	ps, err := people.Search(r.Context(), s.db, s.actor(r, u), access.ChannelPage, q, personsPerPage)
	d := personsData{Persons: ps, Query: q, Searched: true, Page: 1}
	var bad *invalid.Error
	status := http.StatusOK
	switch {
	case errors.Is(err, people.ErrNumberSearchForbidden):
		s.logRefusal(r, u, err)
		d.Problem, status = "persons.number_forbidden", http.StatusForbidden
	case errors.Is(err, identity.ErrFuture):
		d.Problem, status = "lawa.number_future", http.StatusUnprocessableEntity
	case errors.As(err, &bad):
		d.Problem, status = "persons.number_whole", http.StatusUnprocessableEntity
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "persons", view{Title: translate(language(r), "persons.title"), Nav: "persons", User: u, Data: d, Status: status})
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

type unitsData struct {
	Units                           []housing.Unit
	Total, Page                     int
	Filter                          housing.Filter
	Districts                       []string
	Categories, Statuses, Staffings []housing.Choice
	FirstURL, NextURL               string
	// Headers are the table's column headers, each a link that sorts by it.
	Headers []sortHeader
	// Rooms is the rooms field as typed; Problem and ProblemField say which
	// filter value the list does not know.
	Rooms                 string
	Problem, ProblemField string
}

// sortHeader is a sortable column's header: its label's catalogue key, the
// link that sorts by it (the other way when it already does), and its
// aria-sort value ("" when the list is not sorted by it).
type sortHeader struct {
	Key, Label, URL, AriaSort string
}

// unitLabels are the catalogue keys of the unit list's sortable columns.
var unitLabels = map[string]string{"kode": "units.code", "adresse": "units.address", "kategori": "units.category", "rom": "units.rooms",
	"areal": "units.area", "husleie": "units.rent", "status": "units.status"}

// unitsList names a filtered unit list in its page tokens, so that a token
// is refused under another filter or order.
func unitsList(f housing.Filter) string {
	return fmt.Sprintf("units|%s|%s|%s|%s|%t|%d|%s|%s|%t", f.Category, f.Status, f.District, f.Staffing, f.Wheelchair, f.MinRooms, f.Text, f.Sort, f.Desc)
}

const unitsPerPage = 50

// unitFilter reads the housing-stock filter and order from query
// parameters; bad is the catalogue key of the first field whose value the
// list does not know, "" when all are good.
func unitFilter(q url.Values) (f housing.Filter, bad string) {
	f = housing.Filter{Category: housing.Category(q.Get("kategori")), Status: housing.UnitStatus(q.Get("status")), District: q.Get("bydel"),
		Staffing: housing.Staffing(q.Get("bemanning")), Wheelchair: q.Get("rullestol") == "ja", Text: q.Get("tekst"), Sort: q.Get("sorter"), Desc: q.Get("retning") == "synkende"}
	known := func(code string, choices []housing.Choice) bool {
		return code == "" || slices.ContainsFunc(choices, func(c housing.Choice) bool { return c.Code == code })
	}
	if r := q.Get("rom"); r != "" {
		n, err := strconv.Atoi(r)
		if err != nil || n < 0 || n > 20 {
			return f, "units.min_rooms"
		}
		f.MinRooms = n
	}
	switch {
	case !known(string(f.Category), housing.Categories):
		return f, "units.category"
	case !known(string(f.Status), housing.Statuses):
		return f, "units.status"
	case !known(string(f.Staffing), housing.Staffings):
		return f, "units.staffing"
	case f.Sort != "" && housing.SortColumns[f.Sort] == "":
		return f, "units.sort"
	case q.Get("retning") != "" && q.Get("retning") != "stigende" && q.Get("retning") != "synkende":
		return f, "units.sort"
	}
	return f, ""
}

// unitHeaders are the unit list's headers: each links to the list sorted
// by its column, rising, or falling when it already rises; the filter
// stays.
func unitHeaders(q url.Values, f housing.Filter) []sortHeader {
	var out []sortHeader
	current := f.Sort
	if current == "" {
		current = "kode"
	}
	for _, k := range housing.SortKeys {
		v := url.Values{}
		for key, vals := range q {
			if key != "side" && key != "sorter" && key != "retning" {
				v[key] = vals
			}
		}
		h := sortHeader{Key: k, Label: unitLabels[k]}
		v.Set("sorter", k)
		if k == current {
			h.AriaSort = "ascending"
			if f.Desc {
				h.AriaSort = "descending"
			} else {
				v.Set("retning", "synkende")
			}
		}
		h.URL = "/boliger?" + v.Encode()
		out = append(out, h)
	}
	return out
}

func (s *Server) unitList(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	q := r.URL.Query()
	f, bad := unitFilter(q)
	districts, err := housing.Districts(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := unitsData{Page: 1, Filter: f, Districts: districts, Rooms: q.Get("rom"),
		Categories: housing.Categories, Statuses: housing.Statuses, Staffings: housing.Staffings, Headers: unitHeaders(q, f)}
	if bad != "" {
		d.Problem, d.ProblemField = "day.filter.bad_field", bad
		s.render(w, r, "units", view{Title: translate(language(r), "units.title"), Nav: "units", User: u, Data: d, Status: http.StatusBadRequest})
		return
	}
	key, err := s.decodePage(r.Context(), unitsList(f)+"-side", q.Get("side"), 3)
	if errors.Is(err, errBadPageToken) {
		s.badPageToken(w, r)
		return
	}
	if err == nil && key != nil {
		f.AfterCode, f.AfterValue = key[0], key[1]
		d.Page, err = strconv.Atoi(key[2])
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f.Limit = unitsPerPage + 1
	units, total, err := housing.ListUnits(r.Context(), s.db, u.MunicipalityID, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d.Units, d.Total = units, total
	if d.Page > 1 {
		q.Del("side")
		d.FirstURL = "/boliger"
		if len(q) > 0 {
			d.FirstURL += "?" + q.Encode()
		}
	}
	if len(units) > unitsPerPage {
		d.Units = units[:unitsPerPage]
		last := units[unitsPerPage-1]
		next, err := s.encodePage(r.Context(), unitsList(f)+"-side", last.Code, f.SortValue(last), strconv.Itoa(d.Page+1))
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		q.Set("side", next)
		d.NextURL = "/boliger?" + q.Encode()
	}
	s.render(w, r, "units", view{Title: translate(language(r), "units.title"), Nav: "units", User: u, Data: d})
}

func (s *Server) unitDetail(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok || u.Role == access.Resident {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	unit, err := housing.GetUnit(r.Context(), s.db, u.MunicipalityID, id)
	if errors.Is(err, housing.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	data := struct {
		Unit       housing.Unit
		Leases     []housing.Lease
		ShowLeases bool
		Mix        allocation.Mix
		MixHistory []allocation.MixPoint
		Policy     allocation.Policy
		SiteID     int64
		SiteName   string
		SiteRules  allocation.SiteRules
		EditSite   bool
		Message    string
		AskPurpose bool
		Visits     []access.Personal[homecheck.Check]
	}{Unit: unit} // the confirmation of a change shows at the top of the page (view.Flash)
	if data.SiteID, err = allocation.SiteOfUnit(r.Context(), s.db, u.MunicipalityID, id); err != nil {
		s.serverError(w, r, err)
		return
	}
	if data.SiteID != 0 {
		if data.SiteRules, data.SiteName, err = allocation.SiteRulesOf(r.Context(), s.db, u.MunicipalityID, data.SiteID); err != nil {
			s.serverError(w, r, err)
			return
		}
		data.EditSite = u.Role == access.Admin || u.Role == access.UnitLeader || u.Role == access.Property
	}
	// The building's mix of residents is numbers only: every role sees it.
	if unit.BuildingID != 0 {
		mixes, err := allocation.Mixes(r.Context(), s.db, u.MunicipalityID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		set, err := allocation.SettingsOf(r.Context(), s.db, u.MunicipalityID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		data.Mix, data.Policy = mixes[unit.BuildingID], set.Policy
		if data.MixHistory, err = allocation.MixHistory(r.Context(), s.db, u.MunicipalityID, unit.BuildingID, 12, time.Now()); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	// Tenants are personal data; roles without sight of persons see the
	// unit only, and an auditor is asked for the purpose first.
	if s.actor(r, u).SeesPersons() {
		data.Leases, err = housing.Leases(r.Context(), s.db, s.actor(r, u), id, access.ChannelPage)
		switch {
		case errors.Is(err, access.ErrReasonRequired):
			data.AskPurpose = true
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			data.ShowLeases = true
		}
	}
	if data.Visits, err = s.unitVisits(r, u, id); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "unit", view{Title: unit.Code, Nav: "units", User: u, Data: data})
}

func (s *Server) orgList(w http.ResponseWriter, r *http.Request, u *org.User) {
	if u.Role == access.Resident {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	units, err := org.ListUnits(r.Context(), s.db, u.MunicipalityID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "org", view{Title: translate(language(r), "org.title"), Nav: "org", User: u, Data: units})
}

func (s *Server) orgDetail(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok || u.Role == access.Resident {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	unit, err := org.GetUnit(r.Context(), s.db, u.MunicipalityID, id)
	if errors.Is(err, org.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	staff, err := org.ListStaff(r.Context(), s.db, s.actor(r, u), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, "orgunit", view{Title: unit.Name, Nav: "org", User: u, Data: orgUnitPage{
		Unit: unit, Staff: staff, Categories: access.Categories, CanEdit: u.Role == access.Admin,
		Message: s.sessions.PopString(r.Context(), "flash")}})
}

// orgUnitPage is a unit with its staff and, for administrators, the form
// for what the unit's role on a person's case reveals about the person.
type orgUnitPage struct {
	Unit       org.Unit
	Staff      []org.User
	Categories []access.Category
	CanEdit    bool
	Message    string
}

// Reveals reports whether the unit's role reveals c, for the checkboxes.
func (p orgUnitPage) Reveals(c access.Category) bool { return slices.Contains(p.Unit.Reveals, c) }

// saveReveals is the page form for org.SetReveals (administrators only):
// the checked categories replace the unit's list, and the page is shown
// again after a redirect (Post/Redirect/Get); no box ticked is a problem
// with the form, shown with it on the page.
func (s *Server) saveReveals(w http.ResponseWriter, r *http.Request, u *org.User) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	to := "/organisasjon/" + strconv.FormatInt(id, 10)
	var reveals []access.Category
	for _, v := range r.PostForm["reveals"] {
		reveals = append(reveals, access.Category(v))
	}
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := org.SetReveals(r.Context(), tx, s.actor(r, u), id, reveals)
		return err
	})
	if errors.Is(err, org.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	s.flashThenRedirect(w, r, u, err, translate(language(r), "org.reveals.saved"), to)
}

// The unit page's form (templates/orgunit.html), for a form sent back with
// its problems (keptforms.go): no box ticked, or a category Husly does not
// know.
var _ = declareForms(map[string][]formField{
	"POST /organisasjon/{id}/avslorer": {{"reveals", "reveals", "datakategori"}},
})
