package web_test

import (
	"context"
	"html"
	"io"
	"net/url"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// The administrator keeps the catalogues on a page: a provision without
// its text reference is refused with the rule named and nothing stored; a
// complete one is stored and offered on the decision form.
func TestCataloguePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		admin := s.client(t, "demo-admin")
		count := func() (n int) {
			if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM legal_provisions").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		page := func(body io.ReadCloser) string {
			defer body.Close()
			b, err := io.ReadAll(body)
			if err != nil {
				t.Fatal(err)
			}
			return html.UnescapeString(string(b))
		}
		resp, err := admin.Get(s.URL + "/katalog")
		if err != nil {
			t.Fatal(err)
		}
		if got := page(resp.Body); resp.StatusCode != 200 || !strings.Contains(got, "LOV-2022-12-20-121 § 6") || !strings.Contains(got, "Miljøvaktmester") {
			t.Fatalf("catalogue page: %d", resp.StatusCode)
		}
		before := count()
		form := url.Values{"code": {"lokal-9"}, "law": {"lokal forskrift"}, "section": {"§ 9"}, "title": {"Husdyr"}, "text_ref": {""}, "active": {"ja"}}
		resp, err = admin.PostForm(s.URL+"/katalog/hjemler", form)
		if err != nil {
			t.Fatal(err)
		}
		page(resp.Body)
		if resp.StatusCode != 303 {
			t.Fatalf("the form did not return to the page: %d", resp.StatusCode)
		}
		resp, err = admin.Get(s.URL + "/katalog")
		if err != nil {
			t.Fatal(err)
		}
		if got := page(resp.Body); !strings.Contains(got, "tekstreferansen") {
			t.Errorf("the refusal does not name the text reference")
		}
		if n := count(); n != before {
			t.Fatalf("a provision without a text reference was stored: %d → %d", before, n)
		}
		form.Set("text_ref", "Lokal forskrift § 9")
		resp, err = admin.PostForm(s.URL+"/katalog/hjemler", form)
		if err != nil {
			t.Fatal(err)
		}
		page(resp.Body)
		if n := count(); n != before+1 {
			t.Fatalf("the provision was not stored: %d → %d", before, n)
		}
	})
}
