// Package tabular reads and writes the spreadsheets municipal users move
// data with: UTF-8 CSV (comma or semicolon, as Excel writes it in Norway)
// and .xlsx. Rows stream one at a time, each with its line number, so an
// import can name every bad line and memory stays flat.
package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"husly/internal/invalid"
)

// Format is a file format for import and export.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// FormatOf picks the format from a file name, or parses a --format value.
func FormatOf(name string) (Format, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
	if ext == "" {
		ext = strings.ToLower(name)
	}
	switch ext {
	case "csv":
		return CSV, nil
	case "xlsx":
		return XLSX, nil
	}
	return "", fmt.Errorf("ukjent filformat %q: bruk .csv eller .xlsx", name)
}

// LineError is one bad line of an import.
type LineError struct {
	Line     int
	Problems []invalid.Message
}

// Text is the line's problems in bokmål.
func (e LineError) Text() string { return strings.Join(invalid.Texts(e.Problems, "nb", nil), "; ") }

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Text()) }

// Errors is every bad line of a rejected import, in file order.
type Errors []LineError

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Reader gives the rows of a table by column name.
type Reader struct {
	next   func() ([]string, error)
	line   int
	cols   map[string]int
	record []string
	close  func() error
}

// NewReader opens r as format and reads the header row. Columns are named
// case-insensitively; allowed lists every known column and required the
// ones that must be present.
func NewReader(r io.Reader, format Format, required, allowed []string) (*Reader, error) {
	rd := &Reader{close: func() error { return nil }}
	switch format {
	case CSV:
		br := bufio.NewReaderSize(r, 64*1024)
		if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
			_, _ = br.Discard(3) // cannot fail: Peek has just read these bytes
		}
		first, _ := br.Peek(4096)
		if i := bytes.IndexByte(first, '\n'); i >= 0 {
			first = first[:i]
		}
		cr := csv.NewReader(br)
		if bytes.Count(first, []byte{';'}) > bytes.Count(first, []byte{','}) {
			cr.Comma = ';'
		}
		cr.ReuseRecord = true
		cr.FieldsPerRecord = -1
		rd.next = func() ([]string, error) {
			rec, err := cr.Read()
			if err != nil {
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					return nil, LineError{pe.StartLine, []invalid.Message{invalid.F("ugyldig CSV: %s", csvReason(pe))}}
				}
				return nil, err
			}
			line, _ := cr.FieldPos(0)
			rd.line = line
			return rec, nil
		}
	case XLSX:
		f, err := excelize.OpenReader(r)
		if err != nil {
			return nil, fmt.Errorf("filen er ikke et gyldig Excel-ark (.xlsx): %w", err)
		}
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, errors.New("regnearket har ingen ark")
		}
		rows, err := f.Rows(sheets[0])
		if err != nil {
			return nil, err
		}
		rd.close = func() error { return errors.Join(rows.Close(), f.Close()) }
		rd.next = func() ([]string, error) {
			if !rows.Next() {
				if err := rows.Error(); err != nil {
					return nil, err
				}
				return nil, io.EOF
			}
			rd.line++
			return rows.Columns()
		}
	default:
		return nil, fmt.Errorf("ukjent filformat %q", format)
	}
	header, err := rd.next()
	if errors.Is(err, io.EOF) {
		return nil, Errors{{1, []invalid.Message{invalid.F("filen er tom: første linje skal være en overskriftsrad")}}}
	}
	if err != nil {
		return nil, err
	}
	rd.line = 1
	rd.cols = map[string]int{}
	known := map[string]bool{}
	for _, a := range allowed {
		known[a] = true
	}
	var problems []invalid.Message
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if !utf8.ValidString(name) {
			return nil, Errors{{1, []invalid.Message{invalid.F("filen er ikke UTF-8: lagre den som «CSV UTF-8» og prøv igjen")}}}
		}
		if name == "" {
			continue
		}
		if !known[name] {
			problems = append(problems, invalid.F("ukjent kolonne %q", h))
			continue
		}
		if _, dup := rd.cols[name]; dup {
			problems = append(problems, invalid.F("kolonnen %q står to ganger", name))
		}
		rd.cols[name] = i
	}
	for _, req := range required {
		if _, ok := rd.cols[req]; !ok {
			problems = append(problems, invalid.F("mangler påkrevd kolonne %q", req))
		}
	}
	if len(problems) > 0 {
		last := len(problems) - 1
		problems[last] = invalid.F("%s (gyldige kolonner: %s)", problems[last], strings.Join(allowed, ", "))
		return nil, Errors{{1, problems}}
	}
	return rd, nil
}

func csvReason(pe *csv.ParseError) any {
	switch {
	case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
		return invalid.F("anførselstegn som ikke er lukket eller står feil")
	case errors.Is(pe.Err, csv.ErrFieldCount):
		return invalid.F("feil antall felt")
	}
	return pe.Err.Error()
}

// Next advances to the next non-empty row. It returns io.EOF at the end;
// a LineError for a row that cannot be read at all.
func (r *Reader) Next() error {
	for {
		rec, err := r.next()
		if err != nil {
			return err
		}
		empty := true
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		r.record = rec
		for _, f := range rec {
			if !utf8.ValidString(f) {
				return LineError{r.line, []invalid.Message{invalid.F("filen er ikke UTF-8: lagre den som «CSV UTF-8» og prøv igjen")}}
			}
		}
		return nil
	}
}

// Line is the current row's line number (the header is line 1).
func (r *Reader) Line() int { return r.line }

// Get returns the current row's value of column name, trimmed; "" when the
// column is absent or the row is short.
func (r *Reader) Get(name string) string {
	i, ok := r.cols[name]
	if !ok || i >= len(r.record) {
		return ""
	}
	return strings.TrimSpace(r.record[i])
}

// Has reports whether the file has column name.
func (r *Reader) Has(name string) bool { _, ok := r.cols[name]; return ok }

// Close releases the reader.
func (r *Reader) Close() error { return r.close() }

// Writer writes rows as CSV or .xlsx.
type Writer struct {
	csv  *csv.Writer
	xlsx *excelize.File
	sw   *excelize.StreamWriter
	out  io.Writer
	row  int
}

// NewWriter starts a table with header on w.
func NewWriter(w io.Writer, format Format, header []string) (*Writer, error) {
	tw := &Writer{out: w}
	switch format {
	case CSV:
		tw.csv = csv.NewWriter(w)
	case XLSX:
		tw.xlsx = excelize.NewFile()
		sw, err := tw.xlsx.NewStreamWriter("Sheet1")
		if err != nil {
			return nil, err
		}
		tw.sw = sw
	default:
		return nil, fmt.Errorf("ukjent filformat %q", format)
	}
	return tw, tw.Write(header)
}

// Write adds one row.
func (w *Writer) Write(rec []string) error {
	if w.csv != nil {
		return w.csv.Write(rec)
	}
	w.row++
	cells := make([]any, len(rec))
	for i, v := range rec {
		cells[i] = v
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.row)
	return w.sw.SetRow(cell, cells)
}

// Close finishes the table and writes what is buffered.
func (w *Writer) Close() error {
	if w.csv != nil {
		w.csv.Flush()
		return w.csv.Error()
	}
	if err := w.sw.Flush(); err != nil {
		return err
	}
	_, err := w.xlsx.WriteTo(w.out)
	return err
}

// Rows calls fn for each row in turn. fn gets whether an earlier line was
// already bad (so it can stop writing and only keep checking) and returns
// the row's problems, or an error that ends the import. Rows returns every
// bad line in file order; an unreadable line ends the file, since the
// reader has lost its place.
func (r *Reader) Rows(fn func(rejected bool) ([]invalid.Message, error)) (Errors, error) {
	var bad Errors
	for {
		err := r.Next()
		if errors.Is(err, io.EOF) {
			return bad, nil
		}
		var le LineError
		if errors.As(err, &le) {
			return append(bad, le), nil
		}
		if err != nil {
			return bad, err
		}
		problems, err := fn(len(bad) > 0)
		if err != nil {
			return bad, err
		}
		if len(problems) > 0 {
			bad = append(bad, LineError{r.line, problems})
		}
	}
}
