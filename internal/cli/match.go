package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"husly/internal/allocation"
	"husly/internal/invalid"
)

// match solves an allocation problem given as JSON, in the pair mode or
// the attribute mode of docs/matching.md. The output on standard output is the contract;
// --compare adds the greedy-by-priority result on standard error.
func match(e *env, args []string) error {
	fs := e.flags("match")
	in := fs.String("in", "-", "the problem as JSON (- for standard input)")
	priorityFirst := fs.Bool("priority-first", false, "place the highest priority level first, then the next, then maximise the score")
	compare := fs.Bool("compare", false, "also print, on standard error, what greedy-by-priority would have done")
	if err := fs.Parse(args); err != nil {
		return exitError{2, err.Error()}
	}
	r := e.stdin
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return exitError{1, "kan ikke lese " + *in + ": " + err.Error()}
		}
		defer f.Close() //nolint:errcheck // opened for reading: closing loses nothing
		r = f
	}
	p, err := allocation.ReadProblem(r)
	var bad *allocation.InputError
	if errors.As(err, &bad) {
		return exitError{1, "husly match: ugyldige inndata, ingenting er løst:\n  " + strings.Join(invalid.Texts(bad.Problems, "nb", nil), "\n  ")}
	}
	if err != nil {
		return err
	}
	var got []allocation.Assignment
	if *priorityFirst {
		got = allocation.SolvePriorityFirst(p.Priorities, len(p.Units), p.Pairs)
	} else {
		got = allocation.Solve(len(p.Applicants), len(p.Units), p.Pairs)
	}
	if *compare {
		greedy := allocation.Greedy(p.Priorities, len(p.Units), p.Pairs)
		fmt.Fprintf(e.stderr, "optimal: %d tildelt, samlet score %g\ngrådig etter prioritet: %d tildelt, samlet score %g\n",
			len(got), allocation.Total(got), len(greedy), allocation.Total(greedy))
	}
	return writeJSONTo(e.stdout, p.Output(got))
}
