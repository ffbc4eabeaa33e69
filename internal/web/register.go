package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/clock"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
)

// Registering a walk-in at the housing office: the person by identity
// number, with the household they live in. Find before create: the number
// is looked up by its blind index first, and a person already registered
// is offered instead of a second record (people.Search); a number known
// only to others goes to checking (people.Create), so nobody is registered
// twice and nobody learns of a person through the form.

// memberRows is how many household members the form offers at once.
const memberRows = 4

// registerPage is the registration form, and the person found by the
// number when one is registered already.
type registerPage struct {
	Form      formState
	Existing  *people.Person
	Rows      []int
	Relations []people.Relation
	// Refusal is a refusal to register at all (role, daily bound).
	Refusal string
}

// registerFields are the form's fields; household rows come first so a
// member's problem ("husstandsmedlem 2: fornavn …") marks the member's
// field, not the person's.
func registerFields() []formField {
	var fs []formField
	for i := 1; i <= memberRows; i++ {
		n := strconv.Itoa(i)
		row := "husstandsmedlem " + n + ":"
		fs = append(fs, formField{"m" + n + "-first", "m" + n + "_first", row}, formField{"m" + n + "-last", "m" + n + "_last", ""},
			formField{"m" + n + "-birth", "m" + n + "_birth", ""}, formField{"m" + n + "-relation", "m" + n + "_relation", ""})
	}
	return append(fs, formField{"p-phone", "phone", "telefon"}, formField{"p-postal", "postal_code", "postnummer"},
		formField{"p-number", "identity_number", "fødselsnummer"}, formField{"p-number", "identity_number", "testnumre"},
		formField{"p-email", "email", "e-post"}, formField{"p-first", "first_name", "fornavn"}, formField{"p-last", "last_name", "etternavn"},
		formField{"p-address", "address", "adressen"}, formField{"p-place", "postal_place", "poststed"})
}

// mayRegister reports whether the user may register persons: a role that
// writes about persons, with the identity number's category in its row of
// the access matrix (registration is by number, people.Create).
func (s *Server) mayRegister(r *http.Request, u *org.User) (bool, error) {
	a := s.actor(r, u)
	if !a.Writes() {
		return false, nil
	}
	return access.NewReader(s.db, a, access.ChannelPage).RoleAllows(r.Context(), access.IDNumber)
}

// mayRegisterOrRefuse answers 403 for a user who may not register.
func (s *Server) mayRegisterOrRefuse(w http.ResponseWriter, r *http.Request, u *org.User) bool {
	ok, err := s.mayRegister(r, u)
	if err != nil {
		s.serverError(w, r, err)
		return false
	}
	if !ok {
		s.errorPage(w, r, http.StatusForbidden)
	}
	return ok
}

func (s *Server) registerForm(w http.ResponseWriter, r *http.Request, u *org.User) {
	if !s.mayRegisterOrRefuse(w, r, u) {
		return
	}
	s.showRegister(w, r, u, registerPage{}, http.StatusOK)
}

func (s *Server) showRegister(w http.ResponseWriter, r *http.Request, u *org.User, d registerPage, status int) {
	for i := 1; i <= memberRows; i++ {
		d.Rows = append(d.Rows, i)
	}
	d.Relations = []people.Relation{people.Partner, people.Child, people.Other}
	s.render(w, r, "register", view{Title: tr(r, "forms.register.title"), Nav: "persons", User: u, Data: d, Status: status})
}

// membersFromForm reads the household rows; a row left empty is no member.
func membersFromForm(r *http.Request) ([]people.Member, []invalid.Message) {
	var members []people.Member
	var problems []invalid.Message
	for i := 1; i <= memberRows; i++ {
		n := strconv.Itoa(i)
		first, last := r.PostFormValue("m"+n+"_first"), r.PostFormValue("m"+n+"_last")
		birth := strings.TrimSpace(r.PostFormValue("m" + n + "_birth"))
		if strings.TrimSpace(first+last+birth) == "" {
			continue
		}
		m := people.Member{FirstName: first, LastName: last, Relation: people.Relation(r.PostFormValue("m" + n + "_relation"))}
		if birth != "" {
			d, err := deadline.Parse(birth)
			if err != nil {
				problems = append(problems, invalid.F("husstandsmedlem %d: fødselsdatoen %q er ikke en dato (ÅÅÅÅ-MM-DD)", i, birth))
			} else {
				m.BirthDate = d
			}
		}
		members = append(members, m)
	}
	return members, problems
}

func (s *Server) registerPerson(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if !s.mayRegisterOrRefuse(w, r, u) {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	in := people.Input{IdentityNumber: r.PostFormValue("identity_number"), FirstName: r.PostFormValue("first_name"),
		LastName: r.PostFormValue("last_name"), Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email"),
		Address: r.PostFormValue("address"), PostalCode: r.PostFormValue("postal_code"), PostalPlace: r.PostFormValue("postal_place")}
	fail := func(problems []invalid.Message, status int) {
		s.showRegister(w, r, u, registerPage{Form: newForm(r, registerFields(), problems)}, status)
	}
	members, problems := membersFromForm(r)
	if len(problems) > 0 {
		fail(problems, http.StatusUnprocessableEntity)
		return
	}
	// Find first: a whole valid number is looked up by its blind index,
	// and a person the user may see is offered instead of a new record.
	digits := strings.ReplaceAll(strings.TrimSpace(in.IdentityNumber), " ", "")
	synthetic, err := store.AllowsSyntheticIDs(r.Context(), s.db)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if _, perr := identity.Parse(digits, synthetic, clock.InOslo(time.Now())); perr == nil {
		found, err := people.Search(r.Context(), s.db, a, access.ChannelPage, digits, 1)
		switch {
		case errors.Is(err, people.ErrNumberSearchForbidden):
			// The role may not look numbers up; Create decides (and refuses) below.
		case err != nil:
			s.serverError(w, r, err)
			return
		case len(found) > 0:
			d := registerPage{Form: newForm(r, registerFields(), nil), Existing: &found[0]}
			s.showRegister(w, r, u, d, http.StatusConflict)
			return
		}
	}
	var id int64
	checking := false
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		id, err = people.Register(r.Context(), tx, a, in, members)
		if errors.Is(err, people.ErrSentForChecking) {
			checking = true // keep the record of the attempt
			return nil
		}
		return err
	})
	var bad *invalid.Error
	switch {
	case errors.As(err, &bad):
		fail(bad.Problems, http.StatusUnprocessableEntity)
		return
	case errors.Is(err, people.ErrRegistrationLimit) || errors.Is(err, people.ErrNoNumberCategory):
		s.logRefusal(r, u, err)
		d := registerPage{Form: newForm(r, registerFields(), nil), Refusal: strings.Join(problemsFor(r, invalid.Refusals(err)), " ")}
		s.showRegister(w, r, u, d, http.StatusForbidden)
		return
	case err != nil:
		s.personDenied(w, r, u, 0, err)
		return
	case checking:
		// The same answer whoever the number belongs to: nothing about the person, not even that they exist.
		s.log.Warn("registration sent for checking", "user_id", u.ID, "role", string(u.Role))
		s.saved(w, r, tr(r, "forms.register.checking"), "/personer")
		return
	}
	s.saved(w, r, tr(r, "forms.register.done"), "/personer/"+strconv.FormatInt(id, 10))
}
