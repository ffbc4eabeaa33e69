package codeseam

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// root is the module's root, from this package's directory.
const root = "../.."

// code is one typed constant declared in a codes file.
type code struct {
	Value, Name string
	Type        string // the package and type, "housing.Staffing"
}

// codesIn reads the typed string constants a codes file declares: those
// whose type is a string type declared in the same file.
func codesIn(t *testing.T, fset *token.FileSet, path string) []code {
	t.Helper()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	stringTypes := map[string]bool{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			ts := s.(*ast.TypeSpec)
			if id, ok := ts.Type.(*ast.Ident); ok && id.Name == "string" {
				stringTypes[ts.Name.Name] = true
			}
		}
	}
	var out []code
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			typ, ok := vs.Type.(*ast.Ident)
			if !ok || !stringTypes[typ.Name] {
				continue
			}
			for i, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				if s != "" { // the zero value of a code type means "none yet"
					out = append(out, code{s, f.Name.Name + "." + vs.Names[i].Name, f.Name.Name + "." + typ.Name})
				}
			}
		}
	}
	return out
}

// goFiles lists the module's non-test Go files.
func goFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// otherWords are words that are a typed code and, in the files named, a
// value of another vocabulary that is not a codes file's: there the
// literal is that other value, not the code.
var otherWords = map[string][]string{
	// The unit list's sort key for its rent column, not a kind of arrears.
	"internal/web/pages.go": {"husleie"},
	// Audit entities and letter kinds name a decision or an appeal, not a
	// task on the work list.
	"internal/caseflow/appeal.go":   {"klage"},
	"internal/caseflow/decision.go": {"vedtak", "housing_first"}, // the Housing First service
	"internal/caseflow/letter.go": {
		"vedtak",  // the decision letter's kind
		"mottatt", // a letter text's placeholder {mottatt}
	},
	// The registry's erasure words and timeline kinds.
	"internal/caseflow/personaldata.go": {"vedtak", "tilbud", "klage"},
	// The placeholders a municipality's letter text may use, and the word
	// a message uses when a text takes none (not allocation.LevelNone).
	"internal/caseflow/texts.go": {"mottatt", "ingen"},
	// The built-in services a decision grants are named like the units
	// that give them (org.KindHousingFirst, org.KindFACT …); the Housing
	// First service is also a housing category and a priority group.
	"internal/demo/relations.go": {"housing_first", "boteam", "fact", "miljovaktmester"},
	// The case list's sort order by the day received (?sort=mottatt), and
	// the name a form's field has in a message.
	"internal/caseflow/caselist.go": {"mottatt"},
	"internal/web/forms.go":         {"mottatt", "aktivitet", "helse", "nettverk", "telefon"},
	"internal/web/register.go":      {"telefon"},
	// The case page's forms by the path they post to, and the name a
	// field has in a message.
	"internal/web/cases.go": {"opplysninger", "vedtak", "tilbud", "kontrakt", "klager", "mottatt", "bolig"},
	// An inventory line at an inspection is in good, fair or poor order
	// (or missing): the line's state, not the unit's condition.
	"internal/caseflow/lease.go": {"god", "middels", "darlig"},
	// Housing First is a housing category (housing.CategoryHousingFirst)
	// and a priority group (caseflow.GroupHousingFirst), and also a service
	// a decision grants and a group allocation's priority rules name: there
	// the word is the service's or the rule's.
	"internal/allocation/priority.go": {"housing_first", "barnefamilie"}, // and a group's name in a reason
	"internal/caseflow/catalogue.go":  {"housing_first"},
	// The day's work lists name their items with words of their own.
	"internal/workday/caseworker.go": {"vedtak", "opplysninger", "tilbud", "klage"},
	"internal/workday/property.go":   {"innflytting", "utflytting"},
	// The registry's erasure words, columns and timeline kinds.
	"internal/arrears/personaldata.go":    {"restanse"},
	"internal/movingon/personaldata.go":   {"startlan", "bostotte"}, // the plan's columns
	"internal/plan/personaldata.go":       {"kommentar"},
	"internal/tenancy/personaldata.go":    {"klage", "klager"},
	"internal/transition/personaldata.go": {"midlertidig"},
	// A ladder step's name in a message: the word, not the stored step.
	"internal/tenancy/rules.go": {"advarsel", "oppsigelse", "heving", "utkastelse"},
	// A log line's attribute key.
	"internal/cli/serve.go": {"fil"},
	// The kinds of recipient an outside consent names (access's list: the
	// GP, another party), and a plan member's role as written.
	"internal/demo/movingon.go": {"annen"},
	"internal/demo/plan.go":     {"fastlege", "annen"},
	// The names of a query's parameter, a path's value, a template, a
	// letter's placeholder and a form's fields.
	"internal/web/arrears.go":  {"forfalt"},
	"internal/web/opendoor.go": {"kommune"},
	"internal/web/plan.go":     {"plan"},
	"internal/web/keeping.go":  {"startlan", "bostotte"},
	"internal/web/stock.go":    {"husleie"},
}

// TestCodesAreWrittenOnlyInTheirCodesFile fails when a string literal
// equal to a typed code appears in a Go file other than the codes file
// that declares it, in the code's package or one importing it: name the
// constant instead (caseflow.StatusGranted, not "innvilget"). Codes inside
// longer strings (SQL) are not literals of their own and are not counted.
func TestCodesAreWrittenOnlyInTheirCodesFile(t *testing.T) {
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("not at the module root: %v", err)
	}
	fset := token.NewFileSet()
	files := goFiles(t)
	// byValue holds each code by its value, keyed by the import path of
	// the package that declares it.
	byValue := map[string]map[string][]code{}
	isCodes := map[string]bool{}
	for _, path := range files {
		if filepath.Base(path) != "codes.go" {
			continue
		}
		isCodes[path] = true
		pkg := importPath(path)
		for _, c := range codesIn(t, fset, path) {
			if byValue[c.Value] == nil {
				byValue[c.Value] = map[string][]code{}
			}
			byValue[c.Value][pkg] = append(byValue[c.Value][pkg], c)
		}
	}
	if len(byValue) < 40 {
		t.Fatalf("found %d typed codes: the codes files have moved", len(byValue))
	}
	// The packages whose codes a package could name: its own and those
	// any of its files imports.
	parsed := map[string]*ast.File{}
	sees := map[string]map[string]bool{}
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		parsed[path] = f
		pkg := importPath(path)
		if sees[pkg] == nil {
			sees[pkg] = map[string]bool{pkg: true}
		}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			sees[pkg][p] = true
		}
	}
	var hits []string
	for _, path := range files {
		if isCodes[path] {
			continue
		}
		f, visible := parsed[path], sees[importPath(path)]
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.ImportSpec:
				return false
			case *ast.Field:
				if x.Tag != nil { // a struct tag is not a value
					ast.Inspect(x.Type, func(ast.Node) bool { return true })
					return false
				}
			case *ast.BasicLit:
				if x.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(x.Value)
				if err != nil || slices.Contains(otherWords[rel], s) {
					return true
				}
				var names []string
				for pkg, cs := range byValue[s] {
					if visible[pkg] {
						for _, c := range cs {
							names = append(names, c.Name)
						}
					}
				}
				if len(names) > 0 {
					sort.Strings(names)
					hits = append(hits, fmt.Sprintf("%s:%d: %q is a typed code: use %s", rel, fset.Position(x.Pos()).Line, s, strings.Join(names, " or ")))
				}
			}
			return true
		})
	}
	sort.Strings(hits)
	for _, h := range hits {
		t.Error(h)
	}
}

// importPath is the import path of the package in the file's directory.
func importPath(file string) string {
	rel, _ := filepath.Rel(root, filepath.Dir(file))
	return "husly/" + filepath.ToSlash(rel)
}

// typedVocabularies are the stored vocabularies that must be typed codes
// declared in their package's codes.go, so that the test above fails on
// a literal of them anywhere else: a unit's staffing, control and
// condition, and the priority rules' kinds and groups among them.
var typedVocabularies = map[string][]string{
	"housing.Category":        {"omsorgsbolig", "ordinaer", "housing_first"},
	"housing.Control":         {"kommunal", "kf", "innleid", "tildelingsrett"},
	"housing.Staffing":        {"ingen", "dagtid", "doegn"},
	"housing.Condition":       {"god", "middels", "darlig"},
	"allocation.PriorityKind": {"gruppe", "bostedslos_na", "ventetid"},
	"allocation.Group":        {"bostedslos", "barnefamilie", "loslatt", "utskrevet", "housing_first"},
	"caseflow.Status":         {"mottatt", "innvilget"},
}

// TestVocabulariesAreTyped fails when one of typedVocabularies is no
// longer declared as typed constants in a codes.go (back to plain strings,
// or moved), which would let its literals pass the test above unseen.
func TestVocabulariesAreTyped(t *testing.T) {
	fset := token.NewFileSet()
	declared := map[string][]string{}
	for _, path := range goFiles(t) {
		if filepath.Base(path) != "codes.go" {
			continue
		}
		for _, c := range codesIn(t, fset, path) {
			declared[c.Type] = append(declared[c.Type], c.Value)
		}
	}
	for typ, values := range typedVocabularies {
		for _, v := range values {
			if !slices.Contains(declared[typ], v) {
				t.Errorf("%q is not a constant of type %s in a codes.go: declare it there so its literals elsewhere fail", v, typ)
			}
		}
	}
}
