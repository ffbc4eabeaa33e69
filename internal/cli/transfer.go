package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"husly/internal/arrears"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/i18n"
	"husly/internal/people"
	"husly/internal/tabular"
)

func importCmd(e *env, args []string) error {
	if len(args) == 0 || (args[0] != "persons" && args[0] != "units" && args[0] != "arrears") {
		return exitError{2, e.t("cli.import.usage")}
	}
	what := args[0]
	fs := e.flags("import " + what)
	in := fs.String("in", "", "file to import (.csv or .xlsx)")
	kommune := fs.String("kommune", "", "kommunenummer (needed when the database has several municipalities)")
	batch := fs.String("batch", "", "the economy system's batch id (arrears; default: the file's SHA-256)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *in == "" {
		return exitError{2, e.t("cli.import.need_file")}
	}
	format, err := tabular.FormatOf(*in)
	if err != nil {
		return err
	}
	f, err := os.Open(*in)
	if err != nil {
		return errors.New(e.t("cli.cannot_open", *in, err))
	}
	defer f.Close() //nolint:errcheck // opened for reading: closing loses nothing
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := municipalityFor(e, db, *kommune)
	if err != nil {
		return err
	}
	start := time.Now()
	var n int
	if what == "arrears" {
		res, err := arrears.ImportFile(e.ctx, db, operator(m.ID), f, format, *batch, deadline.On(time.Now()))
		var bad tabular.Errors
		if errors.As(err, &bad) {
			for _, le := range bad {
				fmt.Fprintln(e.stderr, e.t("cli.import.line", le.Line, strings.Join(e.say(le.Problems), "; ")))
			}
			return exitError{1, e.tn("cli.import.refused", len(bad))}
		}
		if err != nil {
			return err
		}
		if res.Repeated {
			fmt.Fprintln(e.stdout, e.t("arrears.cli.repeated", res.Ref, res.Created, res.Updated, res.Conversations))
			return nil
		}
		fmt.Fprintln(e.stdout, e.t("arrears.cli.imported", res.Lines, m.Name, res.Created, res.Updated, res.Conversations))
		return nil
	}
	if what == "persons" {
		var progress func(int)
		if file, ok := e.stderr.(*os.File); ok && isatty.IsTerminal(file.Fd()) {
			bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription(e.t("cli.import.reading")),
				progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			// The bar only draws on a terminal; a failed redraw is no reason
			// to stop an import.
			progress = func(line int) { _ = bar.Set(line) }
			defer func() { _ = bar.Finish() }()
		}
		n, err = people.Import(e.ctx, db, operator(m.ID), f, format, progress)
	} else {
		n, err = housing.ImportUnits(e.ctx, db, operator(m.ID), f, format)
	}
	var bad tabular.Errors
	if errors.As(err, &bad) {
		for _, le := range bad {
			fmt.Fprintln(e.stderr, e.t("cli.import.line", le.Line, strings.Join(e.say(le.Problems), "; ")))
		}
		return exitError{1, e.tn("cli.import.refused", len(bad))}
	}
	if err != nil {
		return err
	}
	took := i18n.Number(e.lang, math.Round(time.Since(start).Seconds()*10)/10)
	fmt.Fprintln(e.stdout, e.tn("cli.import."+what, n, m.Name, took))
	return nil
}

func exportCmd(e *env, args []string) error {
	if len(args) == 0 || (args[0] != "persons" && args[0] != "units") {
		return exitError{2, e.t("cli.export.usage")}
	}
	what := args[0]
	fs := e.flags("export " + what)
	formatName := fs.String("format", "csv", "csv or xlsx")
	out := fs.String("out", "", "file to write (default: standard output)")
	kommune := fs.String("kommune", "", "kommunenummer (needed when the database has several municipalities)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
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
		if what == "persons" {
			return people.Export(e.ctx, db, operator(m.ID), w, format)
		}
		return housing.ExportUnits(e.ctx, db, m.ID, w, format)
	})
}

// writeOut lets write write to the file at path, or to stdout when path is
// empty. A file is closed before the command reports success, since a
// failed close can mean the data never reached the disk.
func writeOut(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
