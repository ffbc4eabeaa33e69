// Package cli is the husly command line: one function per subcommand,
// each parsing its flags and calling a capability.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"husly/internal/access"
	"husly/internal/i18n"
	"husly/internal/org"
	"husly/internal/store"
)

// Version is set at build time with -ldflags "-X husly/internal/cli.Version=…".
var Version = "dev"

type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	dsn            string
	lang           string // nb, nn or en: the language of messages and headings

	// Checkpoints while serving (serve and demo set them).
	checkpointFile  *string
	checkpointEvery *time.Duration
	badInterval     string
}

type command struct {
	name, usage string
	run         func(e *env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"serve", "start the web server", serve},
		{"demo", "create the demo municipality (if the database is empty) and serve it", demoCmd},
		{"migrate", "bring the database schema up to date", migrate},
		{"import", "import persons or units from CSV or XLSX (all or nothing)", importCmd},
		{"export", "export persons or units as CSV or XLSX", exportCmd},
		{"backup", "write a consistent copy of the database to a file, also while serving", backupCmd},
		{"restore", "restore a backup into an empty database", restoreCmd},
		{"municipality", "add or list municipalities (tenants)", municipality},
		{"user", "add a user", userCmd},
		{"org", "list the organisation's units, or place a unit under another (who reviews emergency access)", orgCmd},
		{"token", "create or revoke API tokens", token},
		{"case", "handle cases as a user: show, tasks, overview, do, letter, sent", caseCmd},
		{"followup", "export follow-up's caseloads, alerts, contacts per month and the Housing First pipeline (husly followup export …)", followupCmd},
		{"bench", "measure Husly through HTTP: build a municipality or the national case, start servers, drive a mix of reads and writes (husly bench http)", benchCmd},
		{"match", "solve an allocation: the optimal assignment of applicants to units (JSON in, JSON out)", match},
		{"audit", "verify the audit chain and the access log, or write a signed checkpoint (husly audit verify|checkpoint)", auditCmd},
		{"keys", "rotate the keys (husly keys rotate), or add missing chain keys to HUSLY_KEYS (husly keys complete)", keysCmd},
		{"version", "print the version", version},
	}
}

// exitError carries a specific exit code.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

// Run runs husly with args and returns the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, dsn: os.Getenv("HUSLY_DB"), lang: i18n.FromEnvironment()}
	global := flag.NewFlagSet("husly", flag.ContinueOnError)
	global.SetOutput(stderr)
	global.StringVar(&e.dsn, "db", e.dsn, "database: sqlite:PATH or postgres://… (env HUSLY_DB)")
	e.addLang(global)
	global.Usage = func() { usage(stderr) }
	if err := global.Parse(args); err != nil {
		return 2
	}
	rest := global.Args()
	if len(rest) == 0 {
		usage(stderr)
		return 2
	}
	for _, c := range commands {
		if c.name == rest[0] {
			err := c.run(e, rest[1:])
			if err == nil {
				return 0
			}
			var ee exitError
			if errors.As(err, &ee) {
				if ee.msg != "" {
					fmt.Fprintln(stderr, ee.msg)
				}
				return ee.code
			}
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			fmt.Fprintln(stderr, "husly "+c.name+": "+e.errorText(err))
			return 1
		}
	}
	fmt.Fprintf(stderr, "%s\n\n", e.t("cli.unknown_command", rest[0]))
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: husly [--db DSN] [--lang nb|nn|en] COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-13s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nDSN: sqlite:PATH (default "+strings.TrimPrefix(store.DefaultDSN, "sqlite:")+") or postgres://user@host/db. Run 'husly COMMAND -h' for a command's flags.")
}

// flags makes a command's flag set; --db is accepted after the command too.
func (e *env) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("husly "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&e.dsn, "db", e.dsn, "database: sqlite:PATH or postgres://… (env HUSLY_DB)")
	e.addLang(fs)
	return fs
}

func (e *env) open() (*store.DB, error) {
	return store.Open(e.ctx, e.dsn)
}

// municipalityFor resolves --kommune; without it, a database with exactly
// one municipality uses that one.
func municipalityFor(e *env, db *store.DB, number string) (org.Municipality, error) {
	if number != "" {
		return org.MunicipalityByNumber(e.ctx, db, number)
	}
	ms, err := org.ListMunicipalities(e.ctx, db)
	if err != nil {
		return org.Municipality{}, err
	}
	switch len(ms) {
	case 0:
		return org.Municipality{}, errors.New(e.t("cli.no_municipality"))
	case 1:
		return ms[0], nil
	}
	return org.Municipality{}, errors.New(e.t("cli.many_municipalities"))
}

// operator is the command line's identity in the audit chain and the
// access log: the operating-system user who ran it.
func operator(municipalityID int64) access.Actor {
	name := "ukjent"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return access.Actor{MunicipalityID: municipalityID, Username: "cli:" + name, Name: "Kommandolinjen", Role: access.Operator}
}

func version(e *env, args []string) error {
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = "dev-" + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(e.stdout, "husly %s (schema %d)\n", v, store.SchemaVersion())
	return nil
}
