package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"husly/internal/allocation"
	"husly/internal/i18n"
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
			return exitError{1, e.t("cli.cannot_open", *in, err)}
		}
		defer f.Close() //nolint:errcheck // opened for reading: closing loses nothing
		r = f
	}
	p, err := allocation.ReadProblem(r)
	var bad *allocation.InputError
	if errors.As(err, &bad) {
		return exitError{1, e.t("cli.match.bad") + "\n  " + strings.Join(e.say(bad.Problems), "\n  ")}
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
		fmt.Fprintln(e.stderr, e.t("cli.match.compare", i18n.Number(e.lang, float64(len(got))), i18n.Number(e.lang, allocation.Total(got)),
			i18n.Number(e.lang, float64(len(greedy))), i18n.Number(e.lang, allocation.Total(greedy))))
	}
	return writeJSONTo(e.stdout, p.Output(got))
}
