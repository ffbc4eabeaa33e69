package allocation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"husly/internal/invalid"
)

// referenceReadPairs is the reader `husly match` had before it streamed:
// the whole document decoded by encoding/json, then checked. The streamed
// reader must agree with it on every input: the same problem, or the same
// problems named in the same order.
func referenceReadPairs(in string) (Problem, error) {
	var pi PairInput
	dec := json.NewDecoder(strings.NewReader(in))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pi); err != nil {
		return Problem{}, jsonError{err}
	}
	// (The old reader asked dec.More(), which misses a stray ] or }.)
	if rest := strings.TrimLeft(in[dec.InputOffset():], " \t\r\n"); rest != "" {
		return Problem{}, &InputError{[]invalid.Message{invalid.F("inndataene har mer enn ett JSON-objekt")}}
	}
	return referenceCheck(pi)
}

// jsonError is input encoding/json refused; the wording of such messages
// differs between the readers, only the refusal must agree.
type jsonError struct{ error }

// Check checks an input and turns it into a problem by index.
func referenceCheck(in PairInput) (Problem, error) {
	var problems []string
	add := func(format string, args ...any) {
		if len(problems) < maxProblems {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	p := Problem{}
	applicant, seenA := map[string]int{}, map[string]bool{}
	for i, a := range in.Applicants {
		if problem := checkID("søker", i, a.ID, seenA); problem != "" {
			add("%s", problem)
		}
		prio := 0.0
		if a.Priority != nil {
			prio = *a.Priority
		}
		if prio < 0 || math.IsInf(prio, 0) || math.IsNaN(prio) {
			add("søker «%s»: prioriteten må være et tall fra 0 og oppover", a.ID)
		}
		applicant[a.ID] = i
		p.Applicants, p.Priorities = append(p.Applicants, a.ID), append(p.Priorities, prio)
	}
	unit, seenU := map[string]int{}, map[string]bool{}
	for i, u := range in.Units {
		if problem := checkID("bolig", i, u.ID, seenU); problem != "" {
			add("%s", problem)
		}
		unit[u.ID] = i
		p.Units = append(p.Units, u.ID)
	}
	seen := map[[2]int]int{}
	for i, x := range in.Pairs {
		name := fmt.Sprintf("par %d (%s–%s)", i+1, x.Applicant, x.Unit)
		a, okA := applicant[x.Applicant]
		u, okU := unit[x.Unit]
		if !okA {
			add("%s: søkeren «%s» finnes ikke blant søkerne", name, x.Applicant)
		}
		if !okU {
			add("%s: boligen «%s» finnes ikke blant boligene", name, x.Unit)
		}
		switch {
		case x.Score == nil:
			add("%s: mangler score", name)
		case *x.Score < 0 || math.IsInf(*x.Score, 0) || math.IsNaN(*x.Score):
			add("%s: scoren må være et endelig tall fra 0 og oppover, ikke %v", name, *x.Score)
		}
		if !okA || !okU || x.Score == nil {
			continue
		}
		if first, dup := seen[[2]int{a, u}]; dup {
			add("%s: samme par som par %d", name, first+1)
			continue
		}
		seen[[2]int{a, u}] = i
		p.Pairs = append(p.Pairs, Pair{a, u, *x.Score})
	}
	if len(problems) > 0 {
		if len(problems) == maxProblems {
			problems = append(problems, "… flere feil er ikke vist")
		}
		return Problem{}, &InputError{verbatims(problems)}
	}
	return p, nil
}

var pairInputs = []string{
	`{"applicants":[{"id":"A1","priority":3},{"id":"A2"}],"units":[{"id":"U1"},{"id":"U2"}],"pairs":[{"applicant":"A1","unit":"U1","score":12.5},{"applicant":"A2","unit":"U1","score":10},{"applicant":"A1","unit":"U2","score":3}]}`,
	` { "pairs" : [ {"score":1,"unit":"U1","applicant":"A1"} ] , "units":[{"id":"U1"}], "applicants":[{"id":"A1"}] } `,
	`{"applicants":[{"id":"A\u00e5\ud83d\ude00\"\\\/\b\f\n\r\t"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A\u00e5\ud83d\ude00\"\\\/\b\f\n\r\t","unit":"U1","score":0}]}`,
	`{"applicants":[{"id":"A1"},{"id":"A1"},{"id":""}],"units":[{"id":"U1"},{"id":"U1"}],"pairs":[]}`,
	`{"applicants":[{"id":"A1","priority":-1}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A9","unit":"U9"},{"applicant":"A1","unit":"U1","score":-0.5},{"applicant":"A1","unit":"U1","score":2},{"applicant":"A1","unit":"U1","score":3},null]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":1},{"applicant":"A1","unit":"U1","score":null},{"applicant":null,"unit":"U1","score":1}]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":1e999}]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":"1"}]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":1,"unit":"U1","score":1}]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":1,"note":"x"}]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":{}}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":null}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[],"policy":{}}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[]} {}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":01}]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":1.}]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":-0}]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":2.5E+1}]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":1}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1" "unit":"U1"}]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1\x01","unit":"U1","score":1}]}`,
	`{"applicants":[{"id":"\xff"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"\xfe","unit":"U1","score":1}]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[tru]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":1},]}`,
	`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":1}],}`,
	`{}`, `[]`, `null`, ``, `   `, `{"applicants":[`, `{"pairs":[{"applicant":"A1","unit":"U1","score":1}]}`,
}

func TestStreamedReaderAgrees(t *testing.T) {
	var many strings.Builder
	many.WriteString(`{"applicants":[{"id":"A0"},{"id":"A1"}],"units":[{"id":"U0"},{"id":"U1"}],"pairs":[`)
	for i := range 120 {
		if i > 0 {
			many.WriteByte(',')
		}
		fmt.Fprintf(&many, `{"applicant":"A%d","unit":"U%d","score":%d}`, i%3, i%2, i%7-1)
	}
	many.WriteString("]}")
	for _, in := range append(pairInputs, many.String()) {
		agree(t, in)
	}
}

func agree(t *testing.T, in string) {
	t.Helper()
	want, wantErr := referenceReadPairs(in)
	got, err := ReadPairs(strings.NewReader(in))
	var je jsonError
	switch {
	case errors.As(wantErr, &je):
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("%.80q: reference refused it (%v), streamed reader: %v", in, wantErr, err)
		}
	case (wantErr == nil) != (err == nil):
		t.Errorf("%.80q: reference %v, streamed reader %v", in, wantErr, err)
	case err != nil && wantErr.Error() != err.Error():
		t.Errorf("%.80q: problems differ\nreference: %v\nstreamed:  %v", in, wantErr, err)
	case err == nil && !reflect.DeepEqual(want, got) && !(len(want.Pairs) == 0 && len(got.Pairs) == 0):
		t.Errorf("%.80q: problem differs\nreference: %+v\nstreamed:  %+v", in, want, got)
	}
	_ = math.Inf
	_ = bytes.MinRead
}

func FuzzStreamedReaderAgrees(f *testing.F) {
	for _, in := range pairInputs {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) { agree(t, in) })
}

// verbatims wraps the old reader's sentences for comparison.
func verbatims(ss []string) []invalid.Message {
	out := make([]invalid.Message, len(ss))
	for i, s := range ss {
		out[i] = invalid.Verbatim(s)
	}
	return out
}
