package phrase

import (
	"encoding/json"
	"reflect"
	"testing"

	"husly/internal/deadline"
)

func TestPhraseRoundTrip(t *testing.T) {
	in := []Phrase{
		New("texts.eligibility.age", Number(17), Number(18)),
		New("texts.timeline.application", Text("Kari Nordmann"), Date(deadline.Of(2026, 11, 9)), Date(deadline.Date{})),
		New("texts.x", Count(3), Points(-2.5), Label("case.status.innvilget")),
		New("texts.eligibility.met"),
	}
	s, err := Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip changed the phrases:\n%v\n%v", in, out)
	}
	if got, _ := json.Marshal(Count(3)); string(got) != `{"count":3}` {
		t.Errorf("a count is written %s", got)
	}
	if ps, err := Decode(""); err != nil || ps != nil {
		t.Errorf("an empty column is no phrases, got %v, %v", ps, err)
	}
}

func TestArgRejectsUnknown(t *testing.T) {
	for _, bad := range []string{`{"colour":"red"}`, `{"text":"a","number":1}`, `{}`, `{"date":"9.11.2026"}`, `[1]`} {
		var a Arg
		if err := json.Unmarshal([]byte(bad), &a); err == nil {
			t.Errorf("%s was read as %+v", bad, a)
		}
	}
	if _, err := json.Marshal(Arg{Kind: "colour"}); err == nil {
		t.Error("an argument of no known kind was written")
	}
}
