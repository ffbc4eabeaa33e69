package web_test

import (
	"net/url"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// A refused erasure says what must be kept and why in the reader's
// language: an English page names case notes and the Archives Act, not
// «journalnotater» and «arkivloven».
func TestRefusedErasureInEnglish(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		person := queryID(t, db, `SELECT MIN(person_id) FROM applications`)
		en := english(t, s, "demo-enhetsleder")
		resp, page := postForm(t, en, s.URL+"/personer/"+itoa(person)+"/slett", url.Values{"reason": {"Requested by the person"}})
		if resp.StatusCode == 303 {
			t.Fatalf("a person with an application was erased")
		}
		if !strings.Contains(page, "the person has information that must be kept") || !strings.Contains(page, "Archives Act § 6") ||
			strings.Contains(page, "arkivloven") || strings.Contains(page, "skal bevares") {
			t.Errorf("the English refusal (status %d) is not in English: %s", resp.StatusCode, excerpt(page, "must be kept"))
		}
	})
}

func excerpt(page, near string) string {
	i := strings.Index(page, near)
	if i < 0 {
		i = strings.Index(page, "ds-error-summary")
	}
	if i < 0 {
		return "(not found)"
	}
	return page[max(0, i-300):min(len(page), i+300)]
}
