package web_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"husly/internal/web"
)

// messageCall is one message made in the Go sources: its bokmål format
// (the catalogue key) and where.
type messageCall struct {
	id, pos string
}

// operatorOnly are packages whose sentences only the operator reads, on
// the command line in bokmål, each with why.
var operatorOnly = map[string]string{
	"audit": "husly audit verify's findings about the log chains",
	"store": "the schema and integrity checks run at start and by the operator",
}

// messageSources walks every non-test Go file under internal/ and returns
// each format string given to invalid.F or invalid.Problem, or to a
// function of the same package that passes its own "format" parameter on
// to them, and every way of making a message the rule forbids: a format
// that is not a string literal, and a sentence built outside the
// constructors (a string literal, a concatenation or an fmt.Sprintf given
// as an argument instead of a nested invalid.F, or an invalid.Message
// written as a composite literal).
func messageSources(t *testing.T, root string) (calls []messageCall, broken []string) {
	t.Helper()
	pkgs := map[string][]*ast.File{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir := filepath.Dir(path)
		if filepath.Base(dir) == "invalid" {
			return nil // the constructors themselves
		}
		if why, ok := operatorOnly[filepath.Base(dir)]; ok && why != "" {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		pkgs[dir] = append(pkgs[dir], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	isConstructor := func(fun ast.Expr) bool {
		sel, ok := fun.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		x, ok := sel.X.(*ast.Ident)
		return ok && x.Name == "invalid" && (sel.Sel.Name == "F" || sel.Sel.Name == "Problem")
	}
	calleeName := func(fun ast.Expr) string {
		switch f := fun.(type) {
		case *ast.Ident:
			return f.Name
		case *ast.SelectorExpr:
			return f.Sel.Name
		}
		return ""
	}
	hasFormatParam := func(ft *ast.FuncType) bool {
		for _, p := range ft.Params.List {
			for _, n := range p.Names {
				if n.Name == "format" {
					return true
				}
			}
		}
		return false
	}
	forwardsFormat := func(body ast.Node) bool {
		found := false
		ast.Inspect(body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && isConstructor(c.Fun) && len(c.Args) > 0 {
				if id, ok := c.Args[0].(*ast.Ident); ok && id.Name == "format" {
					found = true
				}
			}
			return !found
		})
		return found
	}
	sentence := func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.BasicLit:
			return x.Kind == token.STRING
		case *ast.BinaryExpr:
			if x.Op != token.ADD {
				return false
			}
			lit := false
			ast.Inspect(x, func(n ast.Node) bool {
				if b, ok := n.(*ast.BasicLit); ok && b.Kind == token.STRING {
					lit = true
				}
				return true
			})
			return lit
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
				if p, ok := sel.X.(*ast.Ident); ok && p.Name == "fmt" && sel.Sel.Name == "Sprintf" {
					return true
				}
			}
		}
		return false
	}
	// prose is an expression that builds a sentence from a literal with
	// words in it: the literal itself, a concatenation or an fmt.Sprintf.
	prose := func(e ast.Expr) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && (isConstructor(c.Fun) || calleeName(c.Fun) == "translate") {
				return false // a message, or a catalogue key
			}
			if b, ok := n.(*ast.BasicLit); ok && b.Kind == token.STRING {
				s, _ := strconv.Unquote(b.Value)
				if strings.Contains(s, " ") && strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyzæøå") {
					found = true
				}
			}
			return !found
		})
		return found
	}
	problemSlot := regexp.MustCompile(`^(?i:problems?|ps|errs?)$`)
	for _, files := range pkgs {
		// Sentences put where problems go without a message: a Problems
		// field, or a slice of problems.
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.KeyValueExpr:
					if k, ok := x.Key.(*ast.Ident); ok && problemSlot.MatchString(k.Name) && prose(x.Value) {
						broken = append(broken, fset.Position(x.Pos()).String()+": a problem sentence built outside the message constructors: use invalid.F")
					}
				case *ast.CallExpr:
					if id, ok := x.Fun.(*ast.Ident); ok && id.Name == "append" && len(x.Args) > 1 {
						if slot, ok := x.Args[0].(*ast.Ident); ok && problemSlot.MatchString(slot.Name) {
							for _, a := range x.Args[1:] {
								if prose(a) {
									broken = append(broken, fset.Position(a.Pos()).String()+": a problem sentence built outside the message constructors: use invalid.F")
								}
							}
						}
					}
				}
				return true
			})
		}
		// Functions of this package that hand their format to the constructors.
		forwarders := map[string]bool{}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.FuncDecl:
					if x.Body != nil && hasFormatParam(x.Type) && forwardsFormat(x.Body) {
						forwarders[x.Name.Name] = true
					}
				case *ast.AssignStmt:
					for i, rhs := range x.Rhs {
						if fl, ok := rhs.(*ast.FuncLit); ok && i < len(x.Lhs) && hasFormatParam(fl.Type) && forwardsFormat(fl.Body) {
							if id, ok := x.Lhs[i].(*ast.Ident); ok {
								forwarders[id.Name] = true
							}
						}
					}
				}
				return true
			})
		}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				if cl, ok := n.(*ast.CompositeLit); ok && len(cl.Elts) > 0 { // the zero Message is "none"
					if sel, ok := cl.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Message" {
						if x, ok := sel.X.(*ast.Ident); ok && x.Name == "invalid" {
							broken = append(broken, fset.Position(cl.Pos()).String()+": an invalid.Message written as a literal: use invalid.F")
						}
					}
					return true
				}
				c, ok := n.(*ast.CallExpr)
				if !ok || len(c.Args) == 0 {
					return true
				}
				if !isConstructor(c.Fun) && !forwarders[calleeName(c.Fun)] {
					return true
				}
				pos := fset.Position(c.Pos()).String()
				if !isConstructor(c.Fun) {
					// A forwarder of the same name as another function: only its literal formats count.
					if b, ok := c.Args[0].(*ast.BasicLit); !ok || b.Kind != token.STRING {
						return true
					}
				}
				switch first := c.Args[0].(type) {
				case *ast.BasicLit:
					s, err := strconv.Unquote(first.Value)
					if first.Kind != token.STRING || err != nil {
						broken = append(broken, pos+": the format of a message must be a string literal")
						break
					}
					calls = append(calls, messageCall{s, pos})
				case *ast.Ident:
					if first.Name != "format" {
						broken = append(broken, pos+": the format of a message must be a string literal, not "+first.Name)
					}
				default:
					broken = append(broken, pos+": the format of a message must be a string literal, not an expression")
				}
				for _, a := range c.Args[1:] {
					if sentence(a) {
						broken = append(broken, fset.Position(a.Pos()).String()+": a sentence built outside the message: pass invalid.F(\"…\") as the argument instead")
					}
				}
				return true
			})
		}
	}
	return calls, broken
}

var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// verbs lists a format's verbs; with explicit argument indexes a
// translation may order them as its language needs, so they are sorted.
func verbs(format string) string {
	vs := verb.FindAllString(format, -1)
	indexed := false
	for _, v := range vs {
		if strings.Contains(v, "[") {
			indexed = true
		}
	}
	if indexed {
		for i, v := range vs {
			vs[i] = regexp.MustCompile(`\[\d+\]`).ReplaceAllString(v, "")
		}
		sort.Strings(vs)
	}
	return strings.Join(vs, " ")
}

// Every message the Go code can show has its bokmål, nynorsk and English
// text in the catalogues, with the same verbs, and no problem sentence is
// built outside the message constructors. A failure prints the catalogue
// lines to add.
func TestMessagesTranslated(t *testing.T) {
	calls, broken := messageSources(t, "..")
	for _, b := range broken {
		t.Error(b)
	}
	if len(calls) < 250 {
		t.Fatalf("found only %d messages in the sources: has the walk lost its way?", len(calls))
	}
	cats := map[string]map[string]string{}
	for _, lang := range web.Languages {
		m, err := web.WebLocaleForTest(lang)
		if err != nil {
			t.Fatal(err)
		}
		cats[lang] = m
	}
	missing := map[string]map[string]bool{}
	ids := map[string]bool{}
	for _, c := range calls {
		ids[c.id] = true
		for _, lang := range web.Languages {
			text, ok := cats[lang][c.id]
			switch {
			case !ok:
				if missing[lang] == nil {
					missing[lang] = map[string]bool{}
				}
				if !missing[lang][c.id] {
					t.Errorf("%s: %s lacks the message %q", c.pos, lang, c.id)
				}
				missing[lang][c.id] = true
			case verbs(text) != verbs(c.id):
				t.Errorf("%s: the %s text of %q has the verbs %q, the message has %q", c.pos, lang, c.id, verbs(text), verbs(c.id))
			}
		}
	}
	for _, lang := range web.Languages {
		if len(missing[lang]) == 0 {
			continue
		}
		var add []string
		for id := range missing[lang] {
			b, _ := json.Marshal(id)
			add = append(add, "  "+string(b)+": "+string(b)+",")
		}
		sort.Strings(add)
		t.Logf("add to internal/web/locales/%s/messages.json (and translate the value):\n%s", lang, strings.Join(add, "\n"))
	}
	// A message key no code makes any more is dead weight for translators.
	b, err := os.ReadFile(filepath.Join("locales", "nb", "messages.json"))
	if err != nil {
		t.Fatal(err)
	}
	var nb map[string]string
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	for id := range nb {
		if !ids[id] {
			t.Errorf("messages.json has %q, which no code makes", id)
		}
	}
	t.Logf("%d calls, %d distinct messages", len(calls), len(ids))
}

// The walk catches each way of writing a problem outside the messages,
// so the rule holds for code written later.
func TestMessageRuleCatchesSentences(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "internal", "caseflow")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	src := `package caseflow

func check(name string, n int) error {
	var problems []invalid.Message
	problems = append(problems, invalid.F("navnet %s er opptatt", name))
	problems = append(problems, invalid.F("linje " + name))
	problems = append(problems, invalid.F("%s mangler", "fornavn"))
	problems = append(problems, invalid.F("%s", fmt.Sprintf("regel %d er feil", n)))
	_ = page{Problems: []string{"saken " + name + " finnes ikke"}}
	_ = invalid.Message{ID: "laget for hånd"}
	add := func(format string, args ...any) { problems = append(problems, invalid.F(format, args...)) }
	add("bolig %s er ikke ledig", name)
	return &ValidationError{Problems: problems}
}
`
	if err := os.WriteFile(filepath.Join(dir, "check.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	calls, broken := messageSources(t, filepath.Dir(dir))
	var ids []string
	for _, c := range calls {
		ids = append(ids, c.id)
	}
	if want := "navnet %s er opptatt|%s mangler|%s|bolig %s er ikke ledig"; strings.Join(ids, "|") != want {
		t.Errorf("messages found: %q, want %q", strings.Join(ids, "|"), want)
	}
	for _, want := range []string{
		"check.go:6:30: the format of a message must be a string literal",
		"check.go:7:54: a sentence built outside the message",
		"check.go:8:46: a sentence built outside the message",
		"check.go:9:11: a problem sentence built outside the message constructors",
		"check.go:10:6: an invalid.Message written as a literal",
	} {
		found := false
		for _, b := range broken {
			found = found || strings.Contains(b, want)
		}
		if !found {
			t.Errorf("the walk does not report %q; it reports %q", want, broken)
		}
	}
	if len(broken) != 5 {
		t.Errorf("the walk reports %d problems, want 5: %q", len(broken), broken)
	}
}
