package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/drafts"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/transition"
)

// Long forms save drafts as staff type (static/husly.js posts the form to
// /utkast a few seconds after the last keystroke), so an expired session
// or a closed tab never loses the work. The form's page fills a draft in
// again for the user who wrote it, and sending the form deletes it
// (personAction, caseAction).

// draftable are the forms that keep drafts, by the path they post to.
var draftable = regexp.MustCompile(`^/(personer)/([0-9]+)/(kartlegging|soknader)$|^/(saker)/([0-9]+)/(vedtak)$`)

// mappingCategories are the mapping's fields that reveal more than housing
// needs (the categories the mapping form asks for them under).
var mappingCategories = map[string]access.Category{"somatic_health": access.Health, "finances": access.Finances,
	"service_need": access.FollowUpPlan, "functioning": access.FollowUpPlan, "activity_wishes": access.FollowUpPlan,
	"network": access.Household, "network_districts": access.Household, "children_school": access.Household}

// draftTarget is the person a draft of form key is about and the
// categories its values reveal.
func (s *Server) draftTarget(ctx context.Context, a access.Actor, key string, values url.Values) (int64, access.CategorySet, error) {
	m := draftable.FindStringSubmatch(key)
	if m == nil {
		return 0, 0, errNoDraft
	}
	cats := access.SetOf(access.HousingNeeds)
	if m[1] == "personer" {
		person, _ := strconv.ParseInt(m[2], 10, 64)
		for name, vs := range values {
			if c, ok := mappingCategories[name]; ok && m[3] == "kartlegging" && strings.TrimSpace(strings.Join(vs, "")) != "" {
				cats |= access.SetOf(c)
			}
		}
		// A transition ahead reveals what its kind and institution do: a
		// treatment institution or prison health, child welfare the household.
		if e := (transition.Expected{Kind: transition.Kind(values.Get("transition_kind")), Institution: transition.InstitutionKind(values.Get("institution_kind"))}); m[3] == "kartlegging" && (!e.None() || e.Institution != "") {
			cats |= access.SetOf(e.Category())
		}
		// The form's own 0 in the income and assets fields reveals
		// nothing: only an amount typed makes the draft finances.
		if m[3] == "soknader" && strings.Trim(values.Get("household_income")+values.Get("household_assets"), "0 \u00a0") != "" {
			cats |= access.SetOf(access.Finances)
		}
		return person, cats, nil
	}
	var person int64
	err := s.db.QueryRowContext(ctx, "SELECT person_id FROM applications WHERE municipality_id = ? AND id = ?", a.MunicipalityID, m[5]).Scan(&person)
	if err != nil {
		return 0, 0, errNoDraft
	}
	return person, cats, nil
}

// errNoDraft is the answer for a form that keeps no drafts.
var errNoDraft = errors.New("skjemaet lagrer ikke utkast")

// saveDraft stores the posted draft of a form the user may write about
// its person; it answers 204 (the page's script shows the time), 4xx when
// it was not stored. It is a request from the script, not a navigation:
// there is no page to redirect to.
func (s *Server) saveDraft(w http.ResponseWriter, r *http.Request, u *org.User) {
	a := s.actor(r, u)
	if err := r.ParseForm(); err != nil || !a.Writes() {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	key := r.PostForm.Get("utkast_skjema")
	values := url.Values{}
	for k, v := range r.PostForm {
		if k != "utkast_skjema" {
			values[k] = v
		}
	}
	person, cats, err := s.draftTarget(r.Context(), a, key, values)
	if err != nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		g, err := access.Authorize(r.Context(), tx, a, person)
		if err != nil {
			return err
		}
		for _, c := range cats.List() {
			if !g.Allows(c) {
				return access.ErrForbidden
			}
		}
		return drafts.Save(r.Context(), tx, a, key, person, cats, values)
	})
	switch {
	case errors.Is(err, drafts.ErrTooLarge):
		w.WriteHeader(http.StatusRequestEntityTooLarge)
	case err != nil && (errors.Is(err, access.ErrForbidden) || errors.Is(err, access.ErrNoRelationship) ||
		errors.Is(err, access.ErrRestricted) || errors.Is(err, access.ErrUnknownPerson) || errors.Is(err, access.ErrReasonRequired)):
		s.logRefusal(r, u, err)
		w.WriteHeader(http.StatusForbidden)
	case err != nil:
		s.serverError(w, r, err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// restoreDrafts are the user's drafts of the forms keys as values to fill
// in, for those they may still see in full; the reads go through the
// redaction step and into the access log.
func (s *Server) restoreDrafts(r *http.Request, a access.Actor, keys ...string) (map[string]drafts.Draft, error) {
	ds, err := drafts.LoadAll(r.Context(), s.db, a, keys...)
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	rd := access.NewReader(s.db, a, access.ChannelPage)
	for k, d := range ds {
		if _, err := rd.Authorize(r.Context(), d.Person); err != nil {
			delete(ds, k) // no longer theirs to see: the draft stays unread
		}
	}
	if err := rd.Send(r.Context(), &ds); err != nil {
		return nil, err
	}
	for k, d := range ds {
		if !d.Values.Shown() {
			delete(ds, k)
		}
	}
	return ds, nil
}

// restoreDraft is restoreDrafts for one form: its values and when they
// were saved, or nil.
func (s *Server) restoreDraft(r *http.Request, a access.Actor, key string) (url.Values, time.Time, error) {
	ds, err := s.restoreDrafts(r, a, key)
	if d, ok := ds[key]; ok && err == nil {
		return d.Values.Value(), d.Updated, nil
	}
	return nil, time.Time{}, err
}

// restorePersonDrafts fills the person page's long forms from the user's
// drafts, unless a form just came back with problems.
func (s *Server) restorePersonDrafts(r *http.Request, a access.Actor, id int64, d *personPage) error {
	if d.Form.Posted() {
		return nil
	}
	base := "/personer/" + strconv.FormatInt(id, 10) + "/"
	ds, err := s.restoreDrafts(r, a, base+"kartlegging", base+"soknader")
	if err != nil {
		return err
	}
	for _, form := range []string{"kartlegging", "soknader"} {
		dr, ok := ds[base+form]
		if !ok {
			continue
		}
		values := dr.Values.Value()
		if d.Form.values == nil {
			d.Form.values = map[string]string{}
		}
		for _, f := range personForms[form] {
			d.Form.values[f.ID] = strings.Join(values[f.Name], "\n")
		}
		d.Form.choose(form, values) // the boxes, buttons and options
		if dr.Updated.After(d.DraftSaved) {
			d.DraftSaved = dr.Updated
		}
	}
	return nil
}

// deleteDraft removes the user's draft of the form r posted, in the
// transaction that stored the form.
func deleteDraft(r *http.Request, tx *store.Tx, a access.Actor) error {
	if !draftable.MatchString(r.URL.Path) {
		return nil
	}
	return drafts.Delete(r.Context(), tx, a, r.URL.Path)
}
