package pdftest_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"husly/internal/pdf"
	"husly/internal/pdf/pdftest"
)

// The text read back is what was written, Norwegian letters and a
// sentence broken over lines included; a cut-off file reads without a
// panic.
func TestTextReadsBackWhatWasWritten(t *testing.T) {
	d := pdf.NewIn(pdf.Nynorsk, "Førebels svar", "Ålesund kommune", time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	long := "Vi treng meir tid til å kartleggje kva du treng og finne ei løysing som passar for deg, og vi seier frå om det blir forseinka."
	d.Text(long)
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(b.Bytes())
	for _, want := range []string{"Førebels svar", "Ålesund kommune", "Laga 23.11.2026 kl. 10.00", long, "side 1 av 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q: %s", want, text)
		}
	}
	for n := range b.Len() / 97 {
		pdftest.Text(b.Bytes()[:n*97])
	}
}
