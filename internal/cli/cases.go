package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/org"
	"husly/internal/store"
)

// The case flow on the command line, acting as a named user: the same
// rules, access checks and logs as the pages and the API.

// ChannelCLI marks reads made on the command line in the access log.
const ChannelCLI = "kommandolinje"

// caseAction is one change the command line can make to a case: it
// decodes the JSON input (as the API takes it) and runs the change.
type caseAction func(ctx context.Context, tx *store.Tx, a access.Actor, id, sub int64, in []byte, today deadline.Date) (any, error)

// decodeInto reads JSON strictly, naming unknown fields.
func decodeInto(in []byte, v any) error {
	if len(bytes.TrimSpace(in)) == 0 {
		in = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("inndataene er ikke gyldig JSON: %w", err)
	}
	return nil
}

func act[In any](fn func(ctx context.Context, tx *store.Tx, a access.Actor, id, sub int64, in In, today deadline.Date) (any, error)) caseAction {
	return func(ctx context.Context, tx *store.Tx, a access.Actor, id, sub int64, raw []byte, today deadline.Date) (any, error) {
		var in In
		if err := decodeInto(raw, &in); err != nil {
			return nil, err
		}
		return fn(ctx, tx, a, id, sub, in, today)
	}
}

type none struct{}

var caseActions = map[string]caseAction{
	"take": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, _ int64, _ none, _ deadline.Date) (any, error) {
		return nil, caseflow.TakeCase(ctx, tx, a, id)
	}),
	"request": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, _ int64, in caseflow.RequestInput, t deadline.Date) (any, error) {
		return caseflow.RequestInformation(ctx, tx, a, id, in, t)
	}),
	"received": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, sub int64, _ none, t deadline.Date) (any, error) {
		return nil, caseflow.MarkReceived(ctx, tx, a, id, sub, t)
	}),
	"meeting": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, _ int64, in caseflow.Meeting, t deadline.Date) (any, error) {
		return caseflow.LogMeeting(ctx, tx, a, id, in, t)
	}),
	"alternative": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, _ int64, in caseflow.Alternative, _ deadline.Date) (any, error) {
		return caseflow.ConsiderAlternative(ctx, tx, a, id, in)
	}),
	"interim": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, _ int64, in caseflow.Interim, t deadline.Date) (any, error) {
		return caseflow.StartInterim(ctx, tx, a, id, in, t)
	}),
	"decide": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, _ int64, in caseflow.DecisionInput, t deadline.Date) (any, error) {
		return caseflow.Decide(ctx, tx, a, id, in, t)
	}),
	"offer": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, _ int64, in caseflow.OfferInput, t deadline.Date) (any, error) {
		return caseflow.MakeOffer(ctx, tx, a, id, in, t)
	}),
	"answer": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, sub int64, in caseflow.OfferAnswer, t deadline.Date) (any, error) {
		o, msg, err := caseflow.AnswerOffer(ctx, tx, a, id, sub, in, t)
		return map[string]any{"offer": o, "message": msg.String()}, err
	}),
	"lease": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, _ int64, in caseflow.LeaseInput, t deadline.Date) (any, error) {
		return caseflow.SignLease(ctx, tx, a, id, in, t)
	}),
	"inspection": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, sub int64, in caseflow.Inspection, t deadline.Date) (any, error) {
		return caseflow.RecordInspection(ctx, tx, a, id, sub, in, t)
	}),
	"terminate": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, sub int64, in caseflow.Termination, t deadline.Date) (any, error) {
		return nil, caseflow.TerminateLease(ctx, tx, a, id, sub, in, t)
	}),
	"appeal": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, _ int64, in caseflow.AppealInput, t deadline.Date) (any, error) {
		return caseflow.RegisterAppeal(ctx, tx, a, id, in, t)
	}),
	"appeal-step": act(func(ctx context.Context, tx *store.Tx, a access.Actor, id, sub int64, in caseflow.AppealStep, t deadline.Date) (any, error) {
		return caseflow.AdvanceAppeal(ctx, tx, a, id, sub, in, t)
	}),
}

func actionNames() string {
	var names []string
	for n := range caseActions {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

const caseUsage = `husly case SUBCOMMAND --user BRUKERNAVN [flags]

  show     --id N                      the whole case as JSON
  tasks    [--mine]                    what the unit's cases need, overdue first
  overview                             open cases by phase (leaders, planners, supervisors)
  do       --id N --action A [--sub M] [--in FIL.json]
                                       one change, with the API's JSON as input (standard input by default)
  letter   --id N --kind K [--out FIL.pdf] [--format pdf|json]
                                       a letter: vedtak, forelopig-svar, tildeling, leiekontrakt, klagesak
  sent     --id N --kind K --channel C [--sent-on YYYY-MM-DD]
                                      record how and when a letter was sent
                                      (digital_post, epost, papir, overlevert);
                                      a decision letter starts the appeal deadline`

func caseCmd(e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return exitError{2, e.t("cli.usage") + "\n" + caseUsage}
	}
	sub := args[0]
	fs := e.flags("case " + sub)
	username := fs.String("user", "", "act as this user (required)")
	id := fs.Int64("id", 0, "the case (application) number")
	action := fs.String("action", "", "for do: "+actionNames())
	subID := fs.Int64("sub", 0, "for do: the request, offer, lease or appeal the action is about")
	inPath := fs.String("in", "", "for do: JSON input file (default standard input)")
	kind := fs.String("kind", "", "for letter and sent: the letter kind")
	out := fs.String("out", "", "for letter: write the PDF here (default standard output)")
	format := fs.String("format", "pdf", "for letter: pdf or json")
	mine := fs.Bool("mine", false, "for tasks: only the user's own cases")
	channel := fs.String("channel", "", "for sent: how the letter was sent (digital_post, epost, papir, overlevert)")
	sentOn := fs.String("sent-on", "", "for sent: the day it was sent (default today)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError{2, err.Error()}
	}
	if *username == "" {
		return exitError{2, e.t("cli.case.who")}
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := org.UserByUsername(e.ctx, db, *username)
	if err != nil {
		return errors.New(e.t("cli.no_user", *username))
	}
	a, today := u.Actor(), deadline.On(time.Now())
	needID := func() error {
		if *id <= 0 {
			return exitError{2, e.t("cli.case.need_id")}
		}
		return nil
	}
	switch sub {
	case "show":
		if err := needID(); err != nil {
			return err
		}
		c, err := caseflow.Load(e.ctx, db, a, *id, today, ChannelCLI)
		if err != nil {
			return e.caseError(err)
		}
		return writeJSONTo(e.stdout, c)
	case "tasks":
		ts, err := caseflow.Tasks(e.ctx, db, a, *mine, today, ChannelCLI)
		if err != nil {
			return e.caseError(err)
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, e.t("cli.tasks.head"))
		for _, t := range ts {
			overdue := ""
			if t.Overdue {
				overdue = e.t("cli.yes")
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s: %s\n", t.ApplicationID, t.Due.In(e.lang), overdue, t.PersonName, e.taskText(t))
		}
		return w.Flush()
	case "overview":
		phases, err := caseflow.Overview(e.ctx, db, a, today)
		if err != nil {
			return e.caseError(err)
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, e.t("cli.overview.head"))
		for _, p := range phases {
			fmt.Fprintf(w, "%s\t%d\t%s\t%d\t%d\n", i18n.Label(e.lang, "case.status", string(p.Status)), p.Count,
				i18n.Number(e.lang, math.Round(p.AvgDays*10)/10), p.MaxDays, p.Overdue)
		}
		return w.Flush()
	case "do":
		if err := needID(); err != nil {
			return err
		}
		run, ok := caseActions[*action]
		if !ok {
			return exitError{2, e.t("cli.case.unknown_action", *action, actionNames())}
		}
		var raw []byte
		if *inPath != "" {
			raw, err = os.ReadFile(*inPath)
		} else {
			raw, err = io.ReadAll(io.LimitReader(e.stdin, 1<<20))
		}
		if err != nil {
			return err
		}
		var result any
		err = db.InTx(e.ctx, func(tx *store.Tx) error {
			var err error
			result, err = run(e.ctx, tx, a, *id, *subID, raw, today)
			return err
		})
		if err != nil {
			return e.caseError(err)
		}
		if result == nil {
			fmt.Fprintln(e.stdout, e.t("cli.saved"))
			return nil
		}
		return writeJSONTo(e.stdout, result)
	case "letter":
		if err := needID(); err != nil {
			return err
		}
		l, err := caseflow.MakeLetter(e.ctx, db, a, *id, *kind, today, ChannelCLI)
		if err != nil {
			return e.caseError(err)
		}
		if *format == "json" {
			return writeJSONTo(e.stdout, l)
		}
		if *format != "pdf" {
			return exitError{2, e.t("cli.letter.format")}
		}
		return writeOut(e.stdout, *out, func(w io.Writer) error { return l.WritePDF(w, time.Now()) })
	case "sent":
		if err := needID(); err != nil {
			return err
		}
		var sent deadline.Date
		if *sentOn != "" {
			d, err := deadline.Parse(*sentOn)
			if err != nil {
				return exitError{2, e.t("cli.letter.sent_on")}
			}
			sent = d
		}
		err := db.InTx(e.ctx, func(tx *store.Tx) error {
			return caseflow.RecordLetterSent(e.ctx, tx, a, *id, *kind, caseflow.SendInput{Channel: *channel, SentOn: sent}, today)
		})
		if err != nil {
			return e.caseError(err)
		}
		fmt.Fprintln(e.stdout, invalid.F("%s er registrert som sendt.", i18n.Name("case.letter", *kind)).In(e.lang, i18n.Lookup(e.lang)))
		return nil
	}
	return exitError{2, e.t("cli.case.unknown_sub", sub) + "\n" + e.t("cli.usage") + "\n" + caseUsage}
}

// caseError turns the case flow's errors into messages for the terminal,
// in the command line's language; bad input lists every problem, one per
// line.
func (e *env) caseError(err error) error {
	var bad *caseflow.ValidationError
	switch {
	case errors.As(err, &bad):
		return exitError{1, e.t("cli.nothing_saved") + "\n  " + strings.Join(e.say(bad.Problems), "\n  ")}
	case errors.Is(err, caseflow.ErrNotFound):
		return exitError{1, e.t("cli.case.not_found")}
	case errors.Is(err, access.ErrForbidden), errors.Is(err, access.ErrNoRelationship):
		return exitError{1, e.t("cli.forbidden", e.errorText(err))}
	}
	return err
}

// taskText writes a task in the command line's language: from the
// catalogue's notice.<kind> when the task is a notice, as the page does.
func (e *env) taskText(t caseflow.Task) string {
	n := t.Notice
	if n.Kind == "" {
		return t.Text
	}
	return i18n.Plural(e.lang, "notice."+n.Kind, n.Days, n.On.In(e.lang), n.By.In(e.lang), n.Detail)
}

func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
