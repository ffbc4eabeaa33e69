package web

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template/parse"
	"unicode"
)

// Every visible string of a page comes from the catalogues (WCAG 3.1.1 and
// 3.1.2: a page served as English must not speak Norwegian). These tests
// read every template, not only some: a literal anywhere fails.

// hole stands for an action in a template's skeleton: what the template
// writes there comes from data or the catalogue, never from the file.
const hole = "\x00"

// allowedWords may stand in a template as they are, in every language:
// the product's name, and file formats named by their code.
var allowedWords = map[string]string{
	"Husly": "the product's name, a brand",
	"PDF":   "a file format's code, the same in every language",
	"JSON":  "a file format's code, the same in every language",
}

// textAttrs are the attributes a user reads or hears.
var textAttrs = []string{"aria-label", "aria-description", "aria-roledescription", "title", "placeholder", "alt", "label"}

// templateTrees parses every template file with the functions pages have.
func templateTrees(t *testing.T) map[string]*parse.Tree {
	t.Helper()
	fm := map[string]any{}
	for k, v := range funcsFor("nb") {
		fm[k] = v
	}
	for _, b := range []string{"and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "len", "index", "print", "printf", "println", "html", "js", "urlquery", "call", "slice"} {
		fm[b] = fmt.Sprint
	}
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	trees := map[string]*parse.Tree{}
	for _, f := range files {
		name := strings.TrimPrefix(f, "templates/")
		b, err := templateFiles.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := parse.Parse(name, string(b), "{{", "}}", fm)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for n, tr := range ts {
			trees[name+"#"+n] = tr
		}
	}
	return trees
}

// skeleton writes a template's text with each action as a hole, walking
// both branches of every if and range, so the HTML around the actions can
// be scanned. It also reports string constants in actions that a page
// would show as they are.
func skeleton(n parse.Node, b *strings.Builder, literal func(pos parse.Pos, s string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, x := range n.Nodes {
			skeleton(x, b, literal)
		}
	case *parse.TextNode:
		b.Write(n.Text)
	case *parse.ActionNode:
		pipeLiterals(n.Pipe, literal)
		b.WriteString(hole)
	case *parse.IfNode:
		pipeLiterals(n.Pipe, literal)
		b.WriteString(hole)
		skeleton(n.List, b, literal)
		b.WriteString(hole)
		skeleton(n.ElseList, b, literal)
		b.WriteString(hole)
	case *parse.RangeNode:
		pipeLiterals(n.Pipe, literal)
		b.WriteString(hole)
		skeleton(n.List, b, literal)
		b.WriteString(hole)
		skeleton(n.ElseList, b, literal)
		b.WriteString(hole)
	case *parse.WithNode:
		pipeLiterals(n.Pipe, literal)
		b.WriteString(hole)
		skeleton(n.List, b, literal)
		b.WriteString(hole)
		skeleton(n.ElseList, b, literal)
		b.WriteString(hole)
	case *parse.TemplateNode:
		b.WriteString(hole)
	default:
		b.WriteString(hole)
	}
}

// pipeLiterals reports string constants a pipeline would write as they
// are: arguments of or, list, printf's format and print, unless they are a
// catalogue key (the first argument of T, Tf, Tn, L, label) or a key
// prefix built with print ("category.").
func pipeLiterals(p *parse.PipeNode, literal func(parse.Pos, string)) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		cmdLiterals(c, literal)
	}
}

func cmdLiterals(c *parse.CommandNode, literal func(parse.Pos, string)) {
	name := ""
	if len(c.Args) > 0 {
		switch f := c.Args[0].(type) {
		case *parse.IdentifierNode:
			name = f.Ident
		case *parse.FieldNode:
			name = f.Ident[len(f.Ident)-1]
		case *parse.VariableNode:
			name = f.Ident[len(f.Ident)-1]
		}
	}
	for i, a := range c.Args {
		switch a := a.(type) {
		case *parse.PipeNode:
			pipeLiterals(a, literal)
		case *parse.StringNode:
			if i == 0 || codeRe.MatchString(a.Text) {
				continue // a code (a default value, a form value) is not shown
			}
			if strings.HasPrefix(a.Text, "/") && !strings.ContainsAny(a.Text, " \t\n") {
				continue // a path (the form a choice was sent in) is not shown
			}
			switch name {
			case "or", "list", "printf":
				if hasLetters(strings.NewReplacer("%d", "", "%s", "", "%v", "").Replace(a.Text)) {
					literal(a.Pos, a.Text)
				}
			case "print":
				if hasLetters(a.Text) && !strings.HasSuffix(a.Text, ".") {
					literal(a.Pos, a.Text)
				}
			}
		}
	}
}

// hasLetters reports whether s holds a letter outside holes and the
// allowed words.
func hasLetters(s string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		w = strings.Trim(w, "-")
		if w == "" {
			continue
		}
		if _, ok := allowedWords[w]; ok {
			continue
		}
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			return true
		}
	}
	return false
}

var (
	codeRe = regexp.MustCompile(`^[a-z0-9_-]*$`)
	tagRe  = regexp.MustCompile(`(?s)<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>`)
	attrRe = regexp.MustCompile(`(?s)([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?`)
)

// visibleLiterals scans a skeleton for text a user reads or hears that
// is written in the file: text between tags, and the values of textAttrs
// (and of value on buttons and submit inputs).
func visibleLiterals(sk string) []string {
	var out []string
	sk = regexp.MustCompile(`(?s)<!--.*?-->`).ReplaceAllString(sk, "")
	sk = regexp.MustCompile(`(?is)<!DOCTYPE[^>]*>`).ReplaceAllString(sk, "")
	skip := "" // inside script or style
	last := 0
	for _, m := range tagRe.FindAllStringSubmatchIndex(sk, -1) {
		closing, name, attrs := sk[m[2]:m[3]] == "/", strings.ToLower(sk[m[4]:m[5]]), sk[m[6]:m[7]]
		if skip == "" {
			if text := sk[last:m[0]]; hasLetters(text) {
				out = append(out, "text "+strings.Join(strings.Fields(strings.ReplaceAll(text, hole, "{{…}}")), " "))
			}
		}
		last = m[1]
		if closing {
			if name == skip {
				skip = ""
			}
			continue
		}
		if name == "script" || name == "style" {
			skip = name
		}
		vals := map[string]string{}
		for _, a := range attrRe.FindAllStringSubmatch(attrs, -1) {
			vals[strings.ToLower(a[1])] = a[2] + a[3] + a[4]
		}
		check := slices.Clone(textAttrs)
		// An input button shows its value; a <button>'s value is only sent.
		if name == "input" && (vals["type"] == "submit" || vals["type"] == "button" || vals["type"] == "reset") {
			check = append(check, "value")
		}
		for _, k := range check {
			if v, ok := vals[k]; ok && hasLetters(v) {
				out = append(out, fmt.Sprintf("<%s %s=%q>", name, k, strings.ReplaceAll(v, hole, "{{…}}")))
			}
		}
	}
	if text := sk[last:]; skip == "" && hasLetters(text) {
		out = append(out, "text "+strings.Join(strings.Fields(strings.ReplaceAll(text, hole, "{{…}}")), " "))
	}
	return out
}

// TestTemplatesHaveNoLiterals fails on any user-visible text written in a
// template instead of coming from the catalogues, in every template.
func TestTemplatesHaveNoLiterals(t *testing.T) {
	trees := templateTrees(t)
	names := make([]string, 0, len(trees))
	for n := range trees {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		tr := trees[n]
		var b strings.Builder
		skeleton(tr.Root, &b, func(pos parse.Pos, s string) {
			line, _ := tr.ErrorContext(&parse.TextNode{Pos: pos})
			t.Errorf("%s: a string constant shown as it is: %q", line, s)
		})
		for _, l := range visibleLiterals(b.String()) {
			t.Errorf("%s: user-visible literal: %s", n, l)
		}
	}
}

// TestLiteralCheckCatches holds the check against pages it must refuse and
// pages it must pass, so it cannot pass by finding nothing.
func TestLiteralCheckCatches(t *testing.T) {
	bad := []string{
		`<h1>Saker</h1>`,
		`<p>{{.T "a"}} og mer</p>`,
		`<nav aria-label="Hovedmeny"></nav>`,
		`<input type="search" placeholder="Søk">`,
		`<img src="x.png" alt="Logo">`,
		`<a title="Åpne {{.Name}}" href="/">{{.T "x"}}</a>`,
		`<input type="submit" value="Lagre">`,
		`<input type="button" value="Send">`,
		`<details><summary>Vis mer</summary></details>`,
		`<fieldset><legend>Utfall</legend></fieldset>`,
		`<td>{{or .CaseWorker "Ikke fordelt"}}</td>`,
		`<td>{{if .X}}{{.T "y"}}{{else}}Nei{{end}}</td>`,
		`<title>{{.Title}} – Side</title>`,
	}
	good := []string{
		`<h1 class="ds-heading" data-size="lg">{{.T "a"}}</h1>`,
		`<nav aria-label="{{.T "nav.label"}}"><a href="/saker?mine=ja" class="ds-link">{{.Name}}</a></nav>`,
		`<input type="hidden" name="restricted" value="nei"><input type="checkbox" value="ja">`,
		`<p>Husly – {{.T "app.tagline"}} · PDF</p>`,
		`<option value="{{.Code}}" {{if eq .Code "innvilget"}}selected{{end}}>{{label "case.status" .Code}}</option>`,
		`<td>{{or .CaseWorker ($.T "worklist.unassigned")}}</td>`,
		`<input type="radio" {{if eq (or .Outcome "innvilget") "innvilget"}}checked{{end}}><button name="action" value="lagre">{{.T "x"}}</button>`,
		`<script src="/x.js"></script><style>.a{color:red}</style>`,
		`{{range $i, $x := (list ($.T "a") "")}}<span>{{$.T (print "category." $x)}}</span>{{end}}`,
	}
	fm := map[string]any{"T": fmt.Sprint, "label": fmt.Sprint, "or": fmt.Sprint, "list": fmt.Sprint, "print": fmt.Sprint, "eq": fmt.Sprint}
	found := func(src string) int {
		ts, err := parse.Parse("x", src, "{{", "}}", fm)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		var b strings.Builder
		n := 0
		skeleton(ts["x"].Root, &b, func(parse.Pos, string) { n++ })
		return n + len(visibleLiterals(b.String()))
	}
	for _, s := range bad {
		if found(s) == 0 {
			t.Errorf("not caught: %s", s)
		}
	}
	for _, s := range good {
		if n := found(s); n != 0 {
			t.Errorf("%d false alarms in: %s", n, s)
		}
	}
}

// TestTemplateKeysInCatalogs: every key a template passes to T, Tf or Tn
// (and every key prefix of L and label used with a constant code) exists in
// all three catalogues; Tn's key in each plural form the language uses.
func TestTemplateKeysInCatalogs(t *testing.T) {
	used := map[string]string{} // key → where
	plural := map[string]string{}
	var walk func(n parse.Node, where string)
	walkPipe := func(p *parse.PipeNode, where string) {
		if p == nil {
			return
		}
		for _, c := range p.Cmds {
			walk(c, where)
		}
	}
	walk = func(n parse.Node, where string) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, x := range n.Nodes {
					walk(x, where)
				}
			}
		case *parse.ActionNode:
			walkPipe(n.Pipe, where)
		case *parse.IfNode:
			walkPipe(n.Pipe, where)
			walk(n.List, where)
			walk(n.ElseList, where)
		case *parse.RangeNode:
			walkPipe(n.Pipe, where)
			walk(n.List, where)
			walk(n.ElseList, where)
		case *parse.WithNode:
			walkPipe(n.Pipe, where)
			walk(n.List, where)
			walk(n.ElseList, where)
		case *parse.TemplateNode:
			walkPipe(n.Pipe, where)
		case *parse.PipeNode:
			walkPipe(n, where)
		case *parse.CommandNode:
			name := ""
			switch f := n.Args[0].(type) {
			case *parse.IdentifierNode:
				name = f.Ident
			case *parse.FieldNode:
				name = f.Ident[len(f.Ident)-1]
			case *parse.VariableNode:
				name = f.Ident[len(f.Ident)-1]
			}
			for _, a := range n.Args[1:] {
				walk(a, where)
			}
			if len(n.Args) < 2 {
				return
			}
			k, ok := n.Args[1].(*parse.StringNode)
			if !ok {
				return
			}
			switch name {
			case "T", "Tf":
				used[k.Text] = where
			case "Tn":
				plural[k.Text] = where
			case "L", "label":
				if len(n.Args) > 2 {
					if code, ok := n.Args[2].(*parse.StringNode); ok {
						used[k.Text+"."+code.Text] = where
					}
				}
			}
		}
	}
	for n, tr := range templateTrees(t) {
		walk(tr.Root, n)
	}
	if len(used) < 100 {
		t.Fatalf("only %d keys found in the templates", len(used))
	}
	for _, lang := range Languages {
		for k, where := range used {
			if _, ok := catalogs[lang][k]; !ok {
				t.Errorf("%s: key %q is not in the %s catalogue", where, k, lang)
			}
		}
		for k, where := range plural {
			for _, n := range []int{0, 1, 2, 5, 21, 100} {
				cat := pluralRules[lang](n)
				if _, ok := catalogs[lang][k+"."+cat]; !ok {
					t.Errorf("%s: plural key %q lacks the form %q (n=%d) in %s", where, k, cat, n, lang)
				}
			}
		}
	}
}
