package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The API never answers null for a list: nil slices anywhere in an answer
// (nested, behind pointers, in maps and interfaces) are written as [], and
// the value handed in is left as it was.
func TestNilListsAreWrittenAsEmpty(t *testing.T) {
	type service struct {
		Name  string   `json:"name"`
		Notes []string `json:"notes"`
	}
	type decision struct {
		Services []service        `json:"services"`
		Optional []string         `json:"optional,omitempty"`
		First    *service         `json:"first"`
		Missing  *service         `json:"missing"`
		ByKey    map[string][]int `json:"by_key"`
		Extra    any              `json:"extra"`
		At       time.Time        `json:"at"`
		Raw      json.RawMessage  `json:"raw"`
		Bytes    []byte           `json:"bytes"`
		hidden   []string
	}
	at := time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC)
	in := decision{
		Services: []service{{Name: "Bo-oppfølging"}},
		First:    &service{Name: "Første"},
		ByKey:    map[string][]int{"a": nil},
		Extra:    service{Name: "I et grensesnitt"},
		At:       at,
		Raw:      json.RawMessage(`{"x":1}`),
		hidden:   []string{"beholdes"},
	}
	b, err := json.Marshal(withEmptyLists(in))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`"services":[{"name":"Bo-oppfølging","notes":[]}]`,
		`"first":{"name":"Første","notes":[]}`,
		`"missing":null`,
		`"by_key":{"a":[]}`,
		`"extra":{"name":"I et grensesnitt","notes":[]}`,
		`"at":"2026-07-01T22:30:00Z"`,
		`"raw":{"x":1}`,
		`"bytes":null`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("%s lacks %s", got, want)
		}
	}
	if strings.Contains(got, "optional") {
		t.Errorf("an omitempty list was written: %s", got)
	}
	// The caller's value is untouched.
	if in.Services[0].Notes != nil || in.First.Notes != nil || in.ByKey["a"] != nil {
		t.Error("the value handed in was changed")
	}
	// A slice at the top, and values without lists, pass through.
	if b, _ := json.Marshal(withEmptyLists([]service(nil))); string(b) != "[]" {
		t.Errorf("nil top-level list = %s", b)
	}
	if v := withEmptyLists(map[string]string{"a": "b"}); v.(map[string]string)["a"] != "b" {
		t.Errorf("a value without lists changed: %v", v)
	}
	if withEmptyLists(nil) != nil {
		t.Error("nil became something")
	}
}
