package cli

import (
	"io"
	"time"

	"husly/internal/deadline"
	"husly/internal/followup"
	"husly/internal/tabular"
)

// followupCmd writes follow-up's exports: caseloads against the norms,
// alerts per team, contacts per month, the Housing First pipeline. They
// hold counts, never a resident.
func followupCmd(e *env, args []string) error {
	usage := "Bruk: husly followup export saksmengde|varsler|kontakter|housing-first --format csv|xlsx [--out FIL] [--kommune NNNN]"
	if len(args) < 2 || args[0] != "export" {
		return exitError{2, usage}
	}
	what := args[1]
	fs := e.flags("followup export " + what)
	formatName := fs.String("format", "csv", "csv or xlsx")
	out := fs.String("out", "", "file to write (default: standard output)")
	kommune := fs.String("kommune", "", "kommunenummer (needed when the database has several municipalities)")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	known := false
	for _, x := range followup.Exports {
		known = known || x == what
	}
	if !known {
		return exitError{2, usage}
	}
	format, err := tabular.FormatOf(*formatName)
	if err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := municipalityFor(e, db, *kommune)
	if err != nil {
		return err
	}
	return writeOut(e.stdout, *out, func(w io.Writer) error {
		return followup.Export(e.ctx, db, m.ID, what, w, format, deadline.On(time.Now()))
	})
}
