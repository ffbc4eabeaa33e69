package arrears_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"husly/internal/access"
	"husly/internal/arrears"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

// xlsxOf builds an .xlsx file as an economy system's export would look
// in Excel: the header in row 1, the identity number and the reference as
// text (a fødselsnummer loses its leading zero as a number), the due date
// as a real date cell shown as 01.11.2026, the amounts as numbers. A cell
// given as a string stays text, so a broken amount can be written as one.
func xlsxOf(t *testing.T, rows ...[]any) *bytes.Reader {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close() //nolint:errcheck // in memory
	sheet := f.GetSheetName(0)
	dateFmt := "dd.mm.yyyy"
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		t.Fatal(err)
	}
	all := append([][]any{{"leieforhold", "fodselsnummer", "forfall_id", "type", "forfallsdato", "belop", "utestaende"}}, rows...)
	for i, row := range all {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
		if _, isDate := row[4].(time.Time); isDate {
			at, _ := excelize.CoordinatesToCellName(5, i+1)
			if err := f.SetCellStyle(sheet, at, at, style); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b.Bytes())
}

func importXLSX(t *testing.T, db *store.DB, a access.Actor, r *bytes.Reader) (arrears.Result, error) {
	t.Helper()
	return arrears.ImportFile(context.Background(), db, a, r, tabular.XLSX, "", today)
}

// TestImportXLSX imports a real Excel file (docs/arrears.md: CSV or
// .xlsx, all-or-nothing with line numbers): a good file stores its dues
// and makes the conversations, and a file with one bad line stores
// nothing and names the line as Excel numbers it.
func TestImportXLSX(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		nov1 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		bad := xlsxOf(t,
			[]any{f.leaseA, f.numberA, "X-1", "husleie", nov1, 7250, nil},
			[]any{f.leaseA, f.numberA, "X-2", "strom", nov1, "72x0", nil},
			[]any{f.leaseB, f.numberB, "X-3", "husleie", nov1, 7250, 3000},
		)
		_, err := importXLSX(t, db, f.tn.Operator(), bad)
		var lines tabular.Errors
		if !errors.As(err, &lines) {
			t.Fatalf("want line errors, got %v", err)
		}
		if len(lines) != 1 || lines[0].Line != 3 || !strings.Contains(lines[0].Text(), "belop «72x0»") {
			t.Errorf("bad lines %+v", lines)
		}
		for _, table := range []string{"arrears_dues", "arrears_batches", "arrears_conversations"} {
			if n := count(t, db, "SELECT COUNT(*) FROM "+table); n != 0 {
				t.Errorf("%s has %d rows after a rejected file", table, n)
			}
		}

		good := xlsxOf(t,
			[]any{f.leaseA, f.numberA, "X-1", "husleie", nov1, 7250, nil},
			[]any{f.leaseA, f.numberA, "X-2", "strom", "15.11.2026", 812.5, nil},
			[]any{f.leaseB, f.numberB, "X-3", "husleie", nov1, 7250, 3000},
		)
		res, err := importXLSX(t, db, f.tn.Operator(), good)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 3 || res.Conversations != 2 || res.Repeated {
			t.Fatalf("result %+v", res)
		}
		if n := count(t, db, "SELECT SUM(outstanding) FROM arrears_dues WHERE lease_id = ?", f.leaseA); n != 725000+81250 {
			t.Errorf("lease A outstanding %d øre", n)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM arrears_dues WHERE due_ref = 'X-1' AND due_on = '2026-11-01'"); n != 1 {
			t.Error("the date cell was not read as 1 November 2026")
		}
		if n := count(t, db, "SELECT outstanding FROM arrears_dues WHERE due_ref = 'X-3'"); n != 300000 {
			t.Errorf("X-3 outstanding %d øre", n)
		}
		if _, err := good.Seek(0, 0); err != nil {
			t.Fatal(err)
		}
		again, err := importXLSX(t, db, f.tn.Operator(), good)
		if err != nil || !again.Repeated || again.BatchID != res.BatchID {
			t.Errorf("the same file again: %+v %v", again, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM arrears_dues"); n != 3 {
			t.Errorf("%d dues after the same file twice", n)
		}
	})
}
