package allocation

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"husly/internal/invalid"
)

// The pair mode of `husly match`: a contract other tools depend on. The
// input lists applicants, units and the allowed pairs with their scores;
// the output lists the chosen pairs and their total.

// PairInput is the pair mode's input.
type PairInput struct {
	Applicants []struct {
		ID       string   `json:"id"`
		Priority *float64 `json:"priority"`
	} `json:"applicants"`
	Units []struct {
		ID string `json:"id"`
	} `json:"units"`
	Pairs []struct {
		Applicant string   `json:"applicant"`
		Unit      string   `json:"unit"`
		Score     *float64 `json:"score"`
	} `json:"pairs"`
}

// PairOutput is the pair mode's output.
type PairOutput struct {
	Assignments []PairAssignment `json:"assignments"`
	TotalScore  float64          `json:"total_score"`
}

// PairAssignment is one chosen pair, by the input's ids.
type PairAssignment struct {
	Applicant string  `json:"applicant"`
	Unit      string  `json:"unit"`
	Score     float64 `json:"score"`
}

// Problem is a checked pair-mode problem, by index.
type Problem struct {
	Applicants []string
	Priorities []float64
	Units      []string
	Pairs      []Pair
}

// InputError lists everything wrong with an input, each naming the entry.
type InputError struct{ Problems []invalid.Message }

func (e *InputError) Error() string { return strings.Join(invalid.Texts(e.Problems, "nb", nil), "\n") }

// maxProblems is how many problems an input error lists before it stops.
const maxProblems = 50

func jsonProblem(err error) invalid.Message {
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ):
		if strings.HasPrefix(typ.Value, "number") {
			return invalid.F("feltet «%s» har et tall som ikke kan brukes (%s)", typ.Field, typ.Value)
		}
		return invalid.F("feltet «%s» har feil type (%s)", typ.Field, typ.Value)
	case errors.As(err, &syn):
		return invalid.F("syntaksfeil ved tegn %d", syn.Offset)
	}
	if s := err.Error(); strings.HasPrefix(s, "json: unknown field ") {
		return invalid.F("ukjent felt %s", strings.TrimPrefix(s, "json: unknown field "))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return invalid.F("syntaksfeil: inndataene slutter midt i JSON-objektet")
	}
	if errors.Is(err, io.EOF) {
		return invalid.F("inndataene er tomme")
	}
	// Any other error of encoding/json is its own English text.
	return invalid.F("%s", err.Error())
}

// Output turns a solution into the contract's output, ordered as the
// units were listed.
func (p Problem) Output(as []Assignment) PairOutput {
	sorted := append([]Assignment(nil), as...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Unit < sorted[j].Unit })
	out := PairOutput{Assignments: make([]PairAssignment, 0, len(sorted))}
	for _, a := range sorted {
		out.Assignments = append(out.Assignments, PairAssignment{p.Applicants[a.Applicant], p.Units[a.Unit], a.Score})
		out.TotalScore += a.Score
	}
	return out
}

// checkID names what is wrong with the i-th entry's id, if anything, and
// remembers it.
func checkID(what string, i int, id string, seen map[string]bool) string {
	defer func() { seen[id] = true }()
	switch {
	case id == "":
		return fmt.Sprintf("%s %d: mangler id", what, i+1)
	case seen[id]:
		return fmt.Sprintf("%s %d: id «%s» er brukt før", what, i+1, id)
	}
	return ""
}

func sortStable[T any](xs []T, less func(a, b T) bool) {
	sort.SliceStable(xs, func(i, j int) bool { return less(xs[i], xs[j]) })
}
