package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// formsSentBack are the routes of the pages whose handler ends in
// flashThenRedirect, directly or through a function that does (keepingDone,
// tenancyDone, …): read from the package's source, so a new one is found.
func formsSentBack(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	names, _ := filepath.Glob("*.go")
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	// The functions that reach flashThenRedirect, found until none is added.
	reach := map[string]bool{"flashThenRedirect": true}
	mentions := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				found = found || reach[x.Sel.Name]
			case *ast.Ident:
				found = found || reach[x.Name]
			}
			return !found
		})
		return found
	}
	for added := true; added; {
		added = false
		for _, f := range files {
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || reach[fn.Name.Name] || fn.Body == nil {
					continue
				}
				if mentions(fn.Body) {
					reach[fn.Name.Name] = true
					added = true
				}
			}
		}
	}
	// The routes ({"POST", "/path", handler}) whose handler reaches it.
	var routes []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || len(lit.Elts) != 3 {
				return true
			}
			method, ok1 := lit.Elts[0].(*ast.BasicLit)
			path, ok2 := lit.Elts[1].(*ast.BasicLit)
			if !ok1 || !ok2 || method.Kind != token.STRING || path.Kind != token.STRING {
				return true
			}
			m, _ := strconv.Unquote(method.Value)
			p, _ := strconv.Unquote(path.Value)
			if m == "POST" && !strings.HasPrefix(p, "/api/") && mentions(lit.Elts[2]) {
				routes = append(routes, m+" "+p)
			}
			return false
		})
	}
	sort.Strings(routes)
	return routes
}
