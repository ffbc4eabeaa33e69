package tabular

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestXLSXLineNumbersSurviveEmptyRows(t *testing.T) {
	f := excelize.NewFile()
	if err := f.SetSheetRow("Sheet1", "A1", &[]any{"navn", "tall"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Sheet1", "A2", &[]any{"a", "1"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Sheet1", "A4", &[]any{"b", "2"}); err != nil { // row 3 is empty
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(&buf, XLSX, []string{"navn"}, []string{"navn", "tall"})
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for {
		if err := r.Next(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, r.Line())
	}
	if len(lines) != 2 || lines[0] != 2 || lines[1] != 4 {
		t.Fatalf("lines = %v, want [2 4]", lines)
	}
}

func TestCSVSemicolonAndBOM(t *testing.T) {
	r, err := NewReader(strings.NewReader("\ufeffNavn;Tall\nå;1\n\nø;2\n"), CSV, []string{"navn"}, []string{"navn", "tall"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for r.Next() == nil {
		got = append(got, r.Get("navn")+"@"+strconv.Itoa(r.Line()))
	}
	if strings.Join(got, ",") != "å@2,ø@4" {
		t.Fatalf("got %v", got)
	}
}

func FuzzCSVReader(f *testing.F) {
	f.Add("a,b\n1,2\n")
	f.Add("a;b\n\"x;y\";2\n")
	f.Add("\"a\n")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := NewReader(strings.NewReader(s), CSV, nil, []string{"a", "b"})
		if err != nil {
			return
		}
		for i := 0; i < 10000; i++ {
			if err := r.Next(); err != nil {
				var le LineError
				if !errors.Is(err, io.EOF) && !errors.As(err, &le) {
					t.Fatalf("unexpected error type %T: %v", err, err)
				}
				return
			}
			if r.Line() < 2 {
				t.Fatalf("data line %d before the header's end", r.Line())
			}
		}
	})
}
