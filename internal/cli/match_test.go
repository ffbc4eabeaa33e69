package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestMatchContract runs `husly match` as other tools do: the exact input
// and output of the pair mode, and a clear error with exit 1 and nothing
// on standard output for bad input.
func TestMatchContract(t *testing.T) {
	in := `{"applicants":[{"id":"A1","priority":3},{"id":"A2","priority":1}],"units":[{"id":"U1"},{"id":"U2"}],
		"pairs":[{"applicant":"A1","unit":"U1","score":10},{"applicant":"A1","unit":"U2","score":9},{"applicant":"A2","unit":"U1","score":8.5}]}`
	var out, errOut bytes.Buffer
	if code := Run([]string{"match"}, strings.NewReader(in), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var got struct {
		Assignments []map[string]any `json:"assignments"`
		TotalScore  float64          `json:"total_score"`
	}
	dec := json.NewDecoder(&out)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.TotalScore != 17.5 || len(got.Assignments) != 2 || got.Assignments[0]["applicant"] != "A2" || got.Assignments[0]["unit"] != "U1" ||
		got.Assignments[0]["score"] != 8.5 || len(got.Assignments[0]) != 3 {
		t.Fatalf("output: %+v", got)
	}
	out.Reset()
	errOut.Reset()
	bad := `{"applicants":[{"id":"A1"}],"units":[{"id":"U1"},{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":1}]}`
	if code := Run([]string{"match", "--in", "-"}, strings.NewReader(bad), &out, &errOut); code != 1 || out.Len() != 0 ||
		!strings.Contains(errOut.String(), "bolig 2: id «U1» er brukt før") {
		t.Fatalf("bad input: exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}
