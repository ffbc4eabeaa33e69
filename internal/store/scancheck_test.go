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
	fset := token.NewFileSet()
	checked := 0
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			checked++
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

// No SQL in Husly gives a LIKE its pattern as a bare parameter (LIKE ?).
// SQLite plans such a LIKE by the value bound to it, so its prepared
// statement is compiled again on every run; CAST(? AS TEXT) keeps the
// statement's plan, and means the same on both engines.
func TestNoBareLikeParameter(t *testing.T) {
	bare := regexp.MustCompile(`(?i)\bLIKE\s+\?`)
	fset := token.NewFileSet()
	checked := 0
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			checked++
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && bare.MatchString(lit.Value) {
					t.Errorf("%s: LIKE with a bare parameter; write LIKE CAST(? AS TEXT)", fset.Position(lit.Pos()))
				}
				return true
			})
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
