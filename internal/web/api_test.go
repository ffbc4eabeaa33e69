package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"husly/internal/identity"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// contract checks real responses against the served OpenAPI document.
type contract struct {
	doc    *openapi3.T
	router routers.Router
}

func loadContract(t *testing.T, s site) contract {
	t.Helper()
	resp, body := get(t, s.client(t, ""), s.URL+"/api/v1/openapi.json")
	if resp.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", resp.StatusCode)
	}
	parsed, err := parseContract(body)
	if err != nil {
		t.Fatal(err)
	}
	// The document is shared; this site's copy names its own server.
	doc := *parsed
	doc.Servers = openapi3.Servers{{URL: s.URL}}
	router, err := gorillamux.NewRouter(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return contract{&doc, router}
}

// contracts are the served documents already loaded and validated, by
// their text: every site serves the same one, and loading it is a large
// part of a contract test's set-up.
var contracts sync.Map // string → *openapi3.T

func parseContract(body string) (*openapi3.T, error) {
	if doc, ok := contracts.Load(body); ok {
		return doc.(*openapi3.T), nil
	}
	doc, err := openapi3.NewLoader().LoadFromData([]byte(body))
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("the OpenAPI document is invalid: %w", err)
	}
	contracts.Store(body, doc)
	return doc, nil
}

// call makes a request and validates request and response against the
// document. A request the document rejects (body or parameters) must be
// refused by the server too (4xx), and one the document accepts must not
// be refused as malformed (400, 415): the document and the server agree on
// what a valid request is. Every answer must match its documented schema,
// so a null where the document promises an array fails.
func (c contract) call(t *testing.T, client *http.Client, method, url, body string, token string) (int, []byte) {
	t.Helper()
	return c.do(t, client, method, url, body, token, false)
}

// refusedBeyondSchema is call for a request the document cannot reject but
// the server must: a page token that was changed or belongs to another
// list is a well-formed string that only the server can open. Its answer
// must still match the document.
func (c contract) refusedBeyondSchema(t *testing.T, client *http.Client, method, url, token string) (int, []byte) {
	t.Helper()
	return c.do(t, client, method, url, "", token, true)
}

func (c contract) do(t *testing.T, client *http.Client, method, url, body string, token string, beyondSchema bool) (int, []byte) {
	t.Helper()
	newRequest := func() *http.Request {
		req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return req
	}
	req := newRequest()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	check := newRequest()
	route, params, err := c.router.FindRoute(check)
	if err != nil {
		t.Fatalf("%s %s is not in the OpenAPI document: %v", method, url, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	requestErr := openapi3filter.ValidateRequest(context.Background(), in)
	switch {
	case requestErr != nil && (resp.StatusCode < 400 || resp.StatusCode >= 500):
		t.Errorf("%s %s → %d, but the document rejects the request: %v", method, url, resp.StatusCode, requestErr)
	case requestErr == nil && !beyondSchema && (resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnsupportedMediaType):
		t.Errorf("%s %s → %d, but the document accepts the request: %s", method, url, resp.StatusCode, b)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(b)), Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s → %d does not match the document: %v\n%s", method, url, resp.StatusCode, err, b)
	}
	return resp.StatusCode, b
}

func TestAPIRoutesAreDocumented(t *testing.T) {
	documented := map[string]bool{}
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(web.OpenAPIForTest(), &doc); err != nil {
		t.Fatal(err)
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	for _, r := range web.APIRoutesForTest() {
		if !documented[r] {
			t.Errorf("route %s is served but not in openapi.json", r)
		}
		delete(documented, r)
	}
	for r := range documented {
		t.Errorf("openapi.json documents %s, which is not served", r)
	}
}

func TestAPIAgainstContract(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := loadContract(t, s)
		cw := s.client(t, "demo-saksbehandler")
		anon := s.client(t, "")
		base := s.URL + "/api/v1"
		expect := func(got, want int, what string, body []byte) {
			t.Helper()
			if got != want {
				t.Errorf("%s: status %d, want %d: %s", what, got, want, body)
			}
		}
		countPersons := func() (n int) {
			if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM persons").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := countPersons()

		code, b := c.call(t, cw, "GET", base+"/me", "", "")
		expect(code, 200, "me", b)
		code, b = c.call(t, cw, "GET", base+"/persons?limit=5", "", "")
		expect(code, 200, "persons", b)
		code, b = c.call(t, cw, "GET", base+"/persons/1", "", "")
		expect(code, 200, "person", b)
		code, b = c.call(t, cw, "GET", base+"/persons/1/export", "", "")
		expect(code, 200, "person's dossier", b)
		if !bytes.Contains(b, []byte(`"key":"person"`)) || !bytes.Contains(b, []byte(`"key":"access_log"`)) {
			t.Errorf("dossier lacks the record or the access log: %.300s", b)
		}
		code, b = c.call(t, cw, "POST", base+"/persons/search", `{"query":"han","limit":5}`, "")
		expect(code, 200, "search", b)
		code, b = c.call(t, cw, "GET", base+"/units?category=bofellesskap&wheelchair=false&limit=3", "", "")
		expect(code, 200, "units", b)
		code, b = c.call(t, cw, "GET", base+"/units/400", "", "")
		expect(code, 200, "unit", b)
		code, b = c.call(t, cw, "GET", base+"/org-units", "", "")
		expect(code, 200, "org units", b)
		code, b = c.call(t, cw, "GET", base+"/org-units/1", "", "")
		expect(code, 200, "org unit", b)
		code, b = c.call(t, cw, "GET", base+"/staff?org_unit_id=2", "", "")
		expect(code, 200, "staff", b)

		code, b = c.call(t, cw, "POST", base+"/persons", `{"identity_number":"`+identity.Synthetic(99999)+`","first_name":"Ny","last_name":"Person"}`, "")
		expect(code, 201, "create person", b)
		code, b = c.call(t, cw, "POST", base+"/persons/1/contacts", `{"channel":"fastlege","residence":"midlertidig_hos_andre","summary":"Sover på sofaen hos en venn"}`, "")
		expect(code, 201, "register contact", b)
		code, b = c.call(t, cw, "GET", base+"/persons/1/contacts", "", "")
		expect(code, 200, "contacts", b)
		code, b = c.call(t, cw, "PUT", base+"/persons/1/mapping", `{"housing_need":"Ett rom","goals":"Egen dør","ground_floor":true,"live_with":"alene"}`, "")
		expect(code, 200, "save mapping", b)
		code, b = c.call(t, cw, "GET", base+"/persons/1/mapping", "", "")
		expect(code, 200, "mapping", b)
		code, b = c.call(t, cw, "POST", base+"/persons/1/contacts", `{"channel":"brevdue","residence":"slott"}`, "")
		expect(code, 422, "bad contact", b)
		code, b = c.call(t, cw, "POST", base+"/persons/1/applications", `{"kind":"kommunal_bolig","household_size":2,"years_resident":3,"household_income":300000,"registered_here":true}`, "")
		expect(code, 201, "apply", b)
		code, b = c.call(t, cw, "GET", base+"/persons/1/applications", "", "")
		expect(code, 200, "applications", b)
		code, b = c.call(t, cw, "GET", base+"/worklist", "", "")
		expect(code, 200, "worklist", b)
		code, b = c.call(t, cw, "GET", base+"/persons/1/timeline", "", "")
		expect(code, 200, "timeline", b)
		code, b = c.call(t, cw, "GET", base+"/persons/1/timeline?category=ukjent", "", "")
		expect(code, 400, "timeline with an unknown category", b)
		code, b = c.call(t, cw, "GET", base+"/eligibility-rules", "", "")
		expect(code, 200, "rules", b)
		code, b = c.call(t, cw, "POST", base+"/persons/1/applications", `{"kind":"slott","household_size":0}`, "")
		expect(code, 422, "bad application", b)
		code, b = c.call(t, cw, "POST", base+"/units", `{"code":"NY-1","address":"Nygata 1","category":"ordinaer","rooms":2,"area_m2":48.5,"rent_monthly":7900}`, "")
		expect(code, 201, "create unit", b)

		// Bad input: a clear Norwegian problem, nothing stored.
		after := countPersons()
		code, b = c.call(t, anon, "GET", base+"/persons", "", "")
		expect(code, 401, "unauthenticated", b)
		code, b = c.call(t, cw, "GET", base+"/persons", "", "husly_finnesikke")
		expect(code, 401, "bad token", b)
		code, b = c.call(t, cw, "POST", base+"/persons", `{"identity_number":"12345678901","first_name":"","last_name":"X"}`, "")
		expect(code, 422, "invalid person", b)
		if !strings.Contains(string(b), "kontrollsifrene") || !strings.Contains(string(b), "fornavn mangler") {
			t.Errorf("422 does not say what is wrong: %s", b)
		}
		code, b = c.call(t, cw, "POST", base+"/persons", `{"identity_number":"`+identity.Synthetic(99999)+`","first_name":"Igjen","last_name":"X"}`, "")
		expect(code, 422, "duplicate person", b)
		code, b = c.call(t, cw, "POST", base+"/persons", `{"identity_number": "1`, "")
		expect(code, 400, "broken JSON", b)
		code, b = c.call(t, cw, "POST", base+"/persons", `{"fodselsnummer":"x"}`, "")
		expect(code, 400, "unknown field", b)
		code, b = c.call(t, cw, "POST", base+"/persons", `{"first_name":"`+strings.Repeat("x", 2<<20)+`"}`, "")
		expect(code, 413, "oversized", b)
		code, b = c.call(t, cw, "POST", base+"/units", `{"code":"NY-2","address":"X","category":"slott","rooms":0,"area_m2":10,"rent_monthly":1}`, "")
		expect(code, 422, "invalid unit", b)
		code, b = c.call(t, cw, "GET", base+"/persons?limit=100000", "", "")
		expect(code, 400, "bad limit", b)
		code, b = c.call(t, cw, "GET", base+"/units?min_rooms=to", "", "")
		expect(code, 400, "rooms that are not a number", b)
		code, b = c.call(t, cw, "GET", base+"/persons/999999", "", "")
		expect(code, 404, "unknown person", b)
		if countPersons() != after || after != before+1 {
			t.Fatalf("bad input changed the data: %d → %d → %d persons", before, after, countPersons())
		}
		// A planner sees no named persons through the API either.
		code, b = c.call(t, s.client(t, "demo-planlegger"), "GET", base+"/persons", "", "")
		expect(code, 403, "planner persons", b)
	})
}

// Another municipality's ids answer 404, through every route that takes an id.
func TestAPIDoesNotCrossMunicipalities(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		ctx := context.Background()
		other := storetest.NewTenant(t, db, "1506")
		var uid int64
		pid := storetest.InsertPerson(t, db, other.MunicipalityID, identity.Synthetic(123456), "Annen", "Kommune")
		if err := db.QueryRowContext(ctx, `INSERT INTO units (municipality_id, code, address, category, control, rooms, area_m2, rent_monthly, created_at, updated_at)
			VALUES (?, 'X-1', 'Annet sted', 'ordinaer', 'kf', 1, 30, 5000, ?, ?) RETURNING id`, other.MunicipalityID, store.TimeArg(timeNow()), store.TimeArg(timeNow())).Scan(&uid); err != nil {
			t.Fatal(err)
		}
		cw := s.client(t, "demo-saksbehandler")
		for _, p := range []string{"/api/v1/persons/" + itoa(pid), "/api/v1/units/" + itoa(uid), "/personer/" + itoa(pid), "/boliger/" + itoa(uid)} {
			if resp, body := get(t, cw, s.URL+p); resp.StatusCode != 404 || strings.Contains(body, "Annen") {
				t.Errorf("%s from another municipality: %d", p, resp.StatusCode)
			}
		}
		if _, body := postJSON(t, cw, s.URL+"/api/v1/persons/search", `{"query":"annen"}`); strings.Contains(body, "Kommune") {
			t.Error("search found another municipality's person")
		}
	})
}

// API tokens: read-only tokens cannot change data, expired and revoked
// tokens are refused, and a token does not open the pages.
func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		ctx := context.Background()
		uid := queryID(t, db, "SELECT id FROM users WHERE username = 'demo-saksbehandler'")
		mid := queryID(t, db, "SELECT municipality_id FROM users WHERE id = ?", uid)
		add := func(secret, scopes string, expires, revoked time.Time) {
			if _, err := db.ExecContext(ctx, `INSERT INTO api_tokens (municipality_id, user_id, name, token_hash, scopes, created_at, expires_at, revoked_at)
				VALUES (?, ?, 'test', ?, ?, ?, ?, ?)`, mid, uid, web.HashToken(secret), scopes, store.TimeArg(time.Now()), store.TimeArg(expires), store.TimeArg(revoked)); err != nil {
				t.Fatal(err)
			}
		}
		add("husly_les", "les", time.Time{}, time.Time{})
		add("husly_skriv", "les,skriv", time.Now().Add(time.Hour), time.Time{})
		add("husly_utlopt", "les,skriv", time.Now().Add(-time.Minute), time.Time{})
		add("husly_trukket", "les,skriv", time.Time{}, time.Now().Add(-time.Minute))
		c := s.client(t, "")
		call := func(token, method, path, body string) int {
			req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		newPerson := func(i int) string {
			return `{"identity_number":"` + identity.Synthetic(400000+i) + `","first_name":"Token","last_name":"Test"}`
		}
		cases := []struct {
			token, method, path, body string
			want                      int
		}{
			{"husly_les", "GET", "/api/v1/persons", "", 200},
			{"husly_les", "POST", "/api/v1/persons/search", `{"query":"han"}`, 200},
			{"husly_les", "POST", "/api/v1/persons", newPerson(1), 403},
			{"husly_skriv", "POST", "/api/v1/persons", newPerson(2), 201},
			{"husly_utlopt", "GET", "/api/v1/persons", "", 401},
			{"husly_trukket", "GET", "/api/v1/persons", "", 401},
			{"husly_les", "GET", "/personer", "", 403},
		}
		for _, tc := range cases {
			if got := call(tc.token, tc.method, tc.path, tc.body); got != tc.want {
				t.Errorf("%s %s with %s: %d, want %d", tc.method, tc.path, tc.token, got, tc.want)
			}
		}
	})
}

// SQL-injection strings in every field are stored and searched as data.
func TestInjectionStringsAreData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := s.client(t, "demo-saksbehandler")
		evil := []string{`'; DROP TABLE persons; --`, `" OR "1"="1`, `Robert'); DELETE FROM access_log;--`, `%_\`, `1; UPDATE users SET role='systemadministrator'`}
		for i, e := range evil {
			body, _ := json.Marshal(map[string]string{"identity_number": identity.Synthetic(500000 + i), "first_name": e, "last_name": e, "address": e, "postal_place": e})
			resp, b := postJSON(t, c, s.URL+"/api/v1/persons", string(body))
			if resp.StatusCode != 201 {
				t.Fatalf("create with %q: %d %s", e, resp.StatusCode, b)
			}
			var v struct {
				Person struct {
					ID        int64  `json:"id"`
					FirstName string `json:"first_name"`
				} `json:"person"`
			}
			if err := json.Unmarshal([]byte(b), &v); err != nil {
				t.Fatal(err)
			}
			if v.Person.FirstName != strings.Join(strings.Fields(e), " ") {
				t.Fatalf("stored %q as %q", e, v.Person.FirstName)
			}
			id := itoa(v.Person.ID)
			for _, req := range []struct{ path, body string }{
				{"/api/v1/persons/search", `{"query":` + jsonString(e) + `}`},
				{"/api/v1/persons/" + id + "/notes", `{"category":"boligbehov","body":` + jsonString(e) + `}`},
				{"/api/v1/persons/" + id + "/consents", `{"recipient_unit_id":1,"purpose":` + jsonString(e) + `,"categories":["okonomi"]}`},
			} {
				if resp, b := postJSON(t, c, s.URL+req.path, req.body); resp.StatusCode >= 500 {
					t.Fatalf("%s with %q: %d %s", req.path, e, resp.StatusCode, b)
				}
			}
			if resp, _ := get(t, c, s.URL+"/api/v1/units?text="+url.QueryEscape(e)); resp.StatusCode != 200 {
				t.Fatalf("unit filter with %q: %d", e, resp.StatusCode)
			}
		}
		for _, table := range []string{"persons", "access_log", "users", "units", "notes", "consents"} {
			var n int
			if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil || n == 0 {
				t.Fatalf("table %s after injection strings: %d rows, %v", table, n, err)
			}
		}
		var role string
		if err := db.QueryRowContext(context.Background(), "SELECT role FROM users WHERE username = 'demo-saksbehandler'").Scan(&role); err != nil {
			t.Fatal(err)
		}
		if role != "saksbehandler" {
			t.Fatalf("role changed to %s", role)
		}
	})
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// The contract check has teeth: an answer with null where the document
// promises an array, or a body the document rejects, fails validation.
func TestContractRejectsNullListsAndBadBodies(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(web.OpenAPIForTest())
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://husly.test"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	request := func(body string) *openapi3filter.RequestValidationInput {
		req := httptest.NewRequest("POST", "http://husly.test/api/v1/cases/7/decisions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatal(err)
		}
		return &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	}
	answer := func(services string) error {
		body := `{"id":1,"application_id":7,"version":1,"outcome":"innvilget","housing_type":"ordinaer","rooms":1,"requirements":[],
			"services":` + services + `,"coordinator":"","coordinator_agreed":"","participant_agreement":false,"conditions":"","reasons":"Mangler bolig.","legal_basis":"§ 5","legal_basis_codes":[],"decided_on":"2026-07-02",
			"appeal_due":"2026-07-23","decided_by":"Siri","org_unit_name":"Boligkontoret","changes":[]}`
		in := request(`{"outcome":"innvilget","reasons":"Mangler bolig.","legal_basis_codes":["bsl-6"]}`)
		return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{RequestValidationInput: in,
			Status: 201, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)),
			Options: &openapi3filter.Options{IncludeResponseStatus: true}})
	}
	if err := answer(`[]`); err != nil {
		t.Fatalf("a valid answer was refused: %v", err)
	}
	if err := answer(`null`); err == nil {
		t.Error(`"services": null passed the contract`)
	}
	if err := openapi3filter.ValidateRequest(context.Background(), request(`{"outcome":"innvilget","rooms":"to","reasons":"x","legal_basis_codes":["y"]}`)); err == nil {
		t.Error("a body with a string for rooms passed the contract")
	}
	if err := openapi3filter.ValidateRequest(context.Background(), request(`{"outcome":"innvilget","reasons":"x","legal_basis_codes":["y"],"ukjent":1}`)); err == nil {
		t.Error("a body with an unknown field passed the contract")
	}
}
