package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// No error from a row scan or from the end of a result set is dropped
// anywhere in Husly: a Scan or rows.Err whose result is discarded, or
// assigned to _, fails here (rowserrcheck finds a missing rows.Err, but not
// a dropped Scan error).
func TestNoScanErrorIsDropped(t *testing.T) {
	eachGoFile(t, true, func(fset *token.FileSet, f *ast.File) {
		dropped := func(e ast.Expr) bool {
			c, ok := e.(*ast.CallExpr)
			if !ok {
				return false
			}
			s, ok := c.Fun.(*ast.SelectorExpr)
			if !ok {
				return false
			}
			if x, ok := s.X.(*ast.Ident); ok && s.Sel.Name == "Err" {
				return strings.Contains(strings.ToLower(x.Name), "rows")
			}
			return s.Sel.Name == "Scan"
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.ExprStmt:
				if dropped(x.X) {
					t.Errorf("%s: the error of this call is dropped", fset.Position(x.Pos()))
				}
			case *ast.AssignStmt:
				for i, r := range x.Rhs {
					if id, ok := x.Lhs[min(i, len(x.Lhs)-1)].(*ast.Ident); ok && id.Name == "_" && dropped(r) {
						t.Errorf("%s: the error of this call is assigned to _", fset.Position(x.Pos()))
					}
				}
			}
			return true
		})
	})
}

// No SQL in Husly gives a LIKE its pattern as a bare parameter (LIKE ?).
// SQLite plans such a LIKE by the value bound to it, so its prepared
// statement is compiled again on every run; CAST(? AS TEXT) keeps the
// statement's plan, and means the same on both engines.
func TestNoBareLikeParameter(t *testing.T) {
	bare := regexp.MustCompile(`(?i)\bLIKE\s+\?`)
	eachGoFile(t, false, func(fset *token.FileSet, f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && bare.MatchString(lit.Value) {
				t.Errorf("%s: LIKE with a bare parameter; write LIKE CAST(? AS TEXT)", fset.Position(lit.Pos()))
			}
			return true
		})
	})
}

// eachGoFile parses every Go file of Husly's internal and cmd trees (test
// files too when tests is set) and gives it to check, failing when it
// finds too few files to mean anything.
func eachGoFile(t *testing.T, tests bool, check func(fset *token.FileSet, f *ast.File)) {
	t.Helper()
	fset := token.NewFileSet()
	checked := 0
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || (!tests && strings.HasSuffix(path, "_test.go")) {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			checked++
			check(fset, f)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 100 {
		t.Fatalf("only %d Go files checked", checked)
	}
}
