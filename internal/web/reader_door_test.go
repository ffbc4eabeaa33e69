package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// personalTables hold data about named persons. A capability reads them
// only through the access reader: the exported function that returns
// their data takes an *access.Reader or makes one (and sends through it).
var personalTables = regexp.MustCompile(`(?is)\b(FROM|JOIN)\s+(persons|notes|consents|case_units|contacts|mappings|applications|household_members|decisions|case_meetings|requests|appeals|offers|meeting_items|lease_tenants|interim_services|alternatives|letters|attachments|application_drafts|guidance|offer_passed_over|outside_consents|house_rule_comments)\b`)

// doorKeepers are exported functions that read personal tables without
// the reader, each with why no personal data leaves through it.
var doorKeepers = map[string]string{
	"people.Count":                "a count of the municipality's persons",
	"people.Reseal":               "re-encrypts identity numbers in place after a key rotation; nothing leaves",
	"people.RegistrationChecks":   "who tried to register a person of the unit's own cases, with the person's id only; no data about the person",
	"people.Export":               "the operator's export from the command line, logged per person as an export",
	"caseflow.CaseAttachments":    "lists a case's documents inside the case read, which goes through the reader",
	"caseflow.MyDraft":            "the resident's own draft, to the resident only",
	"caseflow.SaveDraft":          "the resident's own draft, to the resident only",
	"caseflow.Attach":             "the resident's own document, to the resident only",
	"caseflow.MyAttachment":       "the resident's own document, to the resident only",
	"caseflow.RemoveAttachment":   "the resident's own document, to the resident only",
	"caseflow.Overview":           "counts of open cases by phase, no named person",
	"allocation.Mixes":            "counts per building of residents with high needs, no named person",
	"allocation.PairChecker":      "a verdict on one application and unit for an offer, no data returned",
	"allocation.Preview":          "moves on the waiting list by place and points, with no names",
	"allocation.HigherFitting":    "the applicants an offer by hand passes over, kept by case and priority; the case worker is told only how many, and the report of them goes through the reader",
	"allocation.MixHistory":       "counts per building over time of residents with high needs, no named person",
	"caseflow.MyHouseRules":       "the resident's own comments on their building's house rules, to the resident only",
	"caseflow.CommentHouseRules":  "the resident's own comment, to the resident only",
	"caseflow.BuildingHouseRules": "comment texts and days on a building's house rules, without who wrote them",
}

// logWriters may call access.LogReads directly: everyone else logs what
// the reader's redaction step actually sent.
var logWriters = map[string]bool{"people/transfer.go": true}

func TestPersonalReadsGoThroughTheReader(t *testing.T) {
	type fn struct {
		reads, reader bool
		writes        bool
		calls         []string
		exported      bool
		pos           string
	}
	for _, pkg := range []string{"people", "caseflow", "allocation", "housing", "web"} {
		fset := token.NewFileSet()
		files, err := filepath.Glob(filepath.Join("..", pkg, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		funcs := map[string]*fn{}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				name := fd.Name.Name
				if fd.Recv != nil {
					continue // methods render values already read
				}
				x := &fn{exported: ast.IsExported(name), pos: fset.Position(fd.Pos()).String()}
				for _, p := range fd.Type.Params.List {
					if star, ok := p.Type.(*ast.StarExpr); ok {
						if sel, ok := star.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Reader" {
							x.reader = true
						}
					}
				}
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.BasicLit:
						if n.Kind == token.STRING {
							s, _ := strconv.Unquote(n.Value)
							if strings.Contains(strings.ToUpper(s), "SELECT") && personalTables.MatchString(s) {
								x.reads = true
							}
						}
					case *ast.CallExpr:
						switch f := n.Fun.(type) {
						case *ast.Ident:
							x.calls = append(x.calls, f.Name)
						case *ast.SelectorExpr:
							if id, ok := f.X.(*ast.Ident); ok && id.Name == "access" && f.Sel.Name == "LogReads" && !logWriters[pkg+"/"+filepath.Base(fset.Position(n.Pos()).Filename)] {
								t.Errorf("%s writes the access log by hand: send the response through the access reader", fset.Position(n.Pos()))
							}
							if id, ok := f.X.(*ast.Ident); ok && id.Name == "access" && f.Sel.Name == "NewReader" {
								x.reader = true
							}
							// A change is recorded in the audit chain: it answers
							// with what the actor wrote, not with data read.
							if id, ok := f.X.(*ast.Ident); ok && id.Name == "audit" && f.Sel.Name == "Record" {
								x.writes = true
							}
						}
					}
					return true
				})
				funcs[name] = x
			}
		}
		// A function reads what the functions it calls read, and goes
		// through the reader when they do.
		for changed := true; changed; {
			changed = false
			for _, x := range funcs {
				for _, c := range x.calls {
					if y := funcs[c]; y != nil && y.reads && !x.reads {
						x.reads, changed = true, true
					}
					if y := funcs[c]; y != nil && y.reader && !x.reader {
						x.reader, changed = true, true
					}
				}
			}
		}
		var bad []string
		for name, x := range funcs {
			if x.exported && x.reads && !x.reader && !x.writes && doorKeepers[pkg+"."+name] == "" {
				bad = append(bad, pkg+"."+name+" ("+x.pos+")")
			}
		}
		sort.Strings(bad)
		for _, b := range bad {
			t.Errorf("%s reads a personal table without the access reader", b)
		}
	}
}
