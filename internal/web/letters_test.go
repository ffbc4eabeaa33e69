package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"

	"husly/internal/pdf/pdftest"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestLettersInTheWrittenForm: a nynorsk municipality's refusal is
// nynorsk on the letter page and in the PDF served; a person who asks for
// bokmål on the person page gets bokmål; an unknown written form is
// refused with a Norwegian message through the API and the page, and
// nothing is stored.
func TestLettersInTheWrittenForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		c := loadContract(t, s)
		cw, admin := s.client(t, "demo-saksbehandler"), s.client(t, "demo-admin")
		base := s.URL + "/api/v1"
		call := func(who, method, path, body string, want int) []byte {
			t.Helper()
			client := cw
			if who == "admin" {
				client = admin
			}
			code, b := c.call(t, client, method, base+path, body, "")
			if code != want {
				t.Fatalf("%s %s: status %d, want %d: %s", method, path, code, want, b)
			}
			return b
		}
		var app struct{ ID int64 }
		if err := json.Unmarshal(call("cw", "POST", "/persons/1/applications", `{"kind":"kommunal_bolig","household_size":1,"years_resident":3,"registered_here":true}`, 201), &app); err != nil {
			t.Fatal(err)
		}
		call("cw", "POST", fmt.Sprintf("/cases/%d/decisions", app.ID), `{"outcome":"avslag","reasons":"Søkjaren har eigen bustad.","legal_basis_codes":["bsl-6"]}`, 201)
		var before int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log").Scan(&before); err != nil {
			t.Fatal(err)
		}

		// Bad input changes nothing, and says so in Norwegian.
		if b := call("admin", "PUT", "/written-form", `{"written_form":"nynorks"}`, 422); !strings.Contains(string(b), "kommunens skriftspråk") {
			t.Errorf("the refusal does not name the setting: %s", b)
		}
		if b := call("cw", "PUT", "/persons/1/written-form", `{"written_form":"svensk"}`, 422); !strings.Contains(string(b), "skriftspråk") {
			t.Errorf("the refusal does not name the field: %s", b)
		}
		resp, err := cw.PostForm(s.URL+"/personer/1/skriftsprak", url.Values{"written_form": {"samisk"}})
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(page), "Ingenting ble lagret") || !strings.Contains(string(page), "skriftspråk") {
			t.Errorf("the person page does not explain the refusal: %d", resp.StatusCode)
		}
		call("cw", "PUT", "/written-form", `{"written_form":"nynorsk"}`, 403)
		var after int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log").Scan(&after); err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("bad input wrote %d audit entries", after-before)
		}
		if b := call("cw", "GET", "/written-form", "", 200); !strings.Contains(string(b), `"bokmal"`) {
			t.Errorf("the municipality's form changed after bad input: %s", b)
		}

		// A nynorsk municipality's refusal, on the page and in the PDF.
		call("admin", "PUT", "/written-form", `{"written_form":"nynorsk"}`, 200)
		letter := fmt.Sprintf("%s/saker/%d/brev/vedtak", s.URL, app.ID)
		resp, html := get(t, cw, letter)
		if resp.StatusCode != 200 {
			t.Fatalf("letter page: %d", resp.StatusCode)
		}
		resp, body := get(t, cw, letter+"/pdf")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("letter pdf: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		pdfText := pdftest.Text([]byte(body))
		for _, want := range []string{"Vedtak: avslag på søknad om kommunal bustad", "Vi har behandla søknaden din", "Grunngiving", "Vedtaket er gjort etter lov om kommunenes ansvar",
			"tre veker", "forvaltningslova § 29", "Send klaga til", "Statsforvaltaren", "forvaltningslova § 42", "rett til å sjå dokumenta", "kontakte saksbehandlaren din"} {
			if !strings.Contains(html, want) {
				t.Errorf("nynorsk letter page lacks %q", want)
			}
			if !strings.Contains(pdfText, want) {
				t.Errorf("nynorsk PDF lacks %q:\n%s", want, pdfText)
			}
		}
		if !strings.Contains(html, `lang="nn"`) || !strings.Contains(pdfText, "Laga ") || !strings.Contains(pdfText, "side 1 av") {
			t.Errorf("the letter is not marked as nynorsk (lang, or the PDF's own words):\n%s", pdfText)
		}
		if !strings.Contains(body, "/Lang (nn-NO)") {
			t.Error("the PDF's language is not nn-NO")
		}
		var l struct {
			WrittenForm string `json:"written_form"`
		}
		if err := json.Unmarshal(call("cw", "GET", fmt.Sprintf("/cases/%d/letters/vedtak", app.ID), "", 200), &l); err != nil || l.WrittenForm != "nynorsk" {
			t.Errorf("the API's letter is %q (%v)", l.WrittenForm, err)
		}

		// The person asks for bokmål on the person page: their wish wins.
		resp, err = cw.PostForm(s.URL+"/personer/1/skriftsprak", url.Values{"written_form": {"bokmal"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 303 {
			t.Fatalf("setting the person's form: %d", resp.StatusCode)
		}
		_, body = get(t, cw, letter+"/pdf")
		if pdfText := pdftest.Text([]byte(body)); !strings.Contains(pdfText, "Send klagen til") || strings.Contains(pdfText, "Send klaga til") {
			t.Errorf("a person who asked for bokmål got:\n%s", pdfText)
		}
		var rec struct {
			WrittenForm string `json:"written_form"`
		}
		if err := json.Unmarshal(call("cw", "GET", "/persons/1", "", 200), &rec); err != nil || rec.WrittenForm != "bokmal" {
			t.Errorf("the person's record shows %q (%v)", rec.WrittenForm, err)
		}

		// The resident chooses the form of their own letters on Min side.
		resident := s.client(t, "demo-beboer")
		resp, err = resident.PostForm(s.URL+"/min-side/skriftsprak", url.Values{"written_form": {"nynorsk"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var own string
		if err := db.QueryRowContext(ctx, "SELECT p.written_form FROM persons p JOIN users u ON u.person_id = p.id WHERE u.username = 'demo-beboer'").Scan(&own); err != nil || resp.StatusCode != 303 || own != "nynorsk" {
			t.Errorf("the resident's choice: status %d, stored %q (%v)", resp.StatusCode, own, err)
		}
		if _, page := get(t, resident, s.URL+"/"); !strings.Contains(page, "Skriftspråket er lagret") {
			t.Error("Min side does not confirm the resident's choice")
		}
	})
}
