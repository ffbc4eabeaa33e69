// Package pdf writes Husly's plain documents (the person's own data, and
// later letters and minutes) as PDF: A4, one clear typeface with every
// letter Norwegian and Sámi names need, headings, facts and tables.
package pdf

import (
	"cmp"
	_ "embed"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"husly/internal/clock"
)

var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	regular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	bold []byte
)

// Doc is a document being written.
type Doc struct {
	f      *fpdf.Fpdf
	labels Labels
}

// Labels are the words Husly itself prints on a document, in one written
// form: the document's language, the page footer, when it was made, and
// an empty table.
type Labels struct {
	Lang string // BCP 47 tag for the PDF's /Lang
	Page string // footer: title, page number; {nb} is the page count
	Made string // under the subtitle: the time
	None string
	// Time is the Go layout of the time under the subtitle; empty is
	// the Norwegian 02.01.2006 kl. 15.04.
	Time string
}

// Bokmal and Nynorsk are the labels of the two written forms ("side 1 av
// 2" is the same in both; "laget" is "laga" in nynorsk).
var (
	Bokmal  = Labels{Lang: "nb-NO", Page: "%s – side %d av {nb}", Made: "Laget %s", None: "Ingen."}
	Nynorsk = Labels{Lang: "nn-NO", Page: "%s – side %d av {nb}", Made: "Laga %s", None: "Ingen."}
)

// New starts an A4 document in bokmål with a title and a footer that
// numbers pages.
func New(title, subtitle string, made time.Time) *Doc { return NewIn(Bokmal, title, subtitle, made) }

// NewIn starts an A4 document whose own words are in one written form.
func NewIn(l Labels, title, subtitle string, made time.Time) *Doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetTitle(title, true)
	f.SetCreator("Husly", true)
	f.SetLang(l.Lang)
	f.AddUTF8FontFromBytes("DejaVu", "", regular)
	f.AddUTF8FontFromBytes("DejaVu", "B", bold)
	f.SetMargins(20, 20, 20)
	f.SetAutoPageBreak(true, 20)
	f.SetFooterFunc(func() {
		f.SetY(-14)
		f.SetFont("DejaVu", "", 8)
		f.CellFormat(0, 5, fmt.Sprintf(l.Page, title, f.PageNo()), "", 0, "C", false, 0, "")
	})
	f.AliasNbPages("{nb}")
	f.AddPage()
	f.SetFont("DejaVu", "B", 18)
	f.MultiCell(0, 9, title, "", "L", false)
	f.SetFont("DejaVu", "", 10)
	f.MultiCell(0, 5, subtitle+"\n"+fmt.Sprintf(l.Made, made.In(clock.Oslo).Format(cmp.Or(l.Time, "02.01.2006 kl. 15.04"))), "", "L", false)
	f.Ln(4)
	return &Doc{f, l}
}

// Heading starts a section.
func (d *Doc) Heading(text string) {
	d.f.Ln(3)
	d.f.SetFont("DejaVu", "B", 13)
	d.f.MultiCell(0, 7, text, "", "L", false)
	d.f.SetFont("DejaVu", "", 10)
}

// Text writes a paragraph.
func (d *Doc) Text(text string) {
	d.f.SetFont("DejaVu", "", 10)
	d.f.MultiCell(0, 5, text, "", "L", false)
	d.f.Ln(1)
}

// Fact writes one "label: value" line.
func (d *Doc) Fact(label, value string) {
	d.f.SetFont("DejaVu", "B", 10)
	d.f.CellFormat(50, 5, label, "", 0, "L", false, 0, "")
	d.f.SetFont("DejaVu", "", 10)
	d.f.MultiCell(0, 5, value, "", "L", false)
}

// Table writes rows under a header; widths are in mm and should add up to
// 170 (the A4 text width).
func (d *Doc) Table(header []string, widths []float64, rows [][]string) {
	if len(rows) == 0 {
		d.Text(d.labels.None)
		return
	}
	d.f.SetFont("DejaVu", "B", 9)
	d.f.SetFillColor(230, 236, 243)
	for i, h := range header {
		d.f.CellFormat(widths[i], 6, h, "1", 0, "L", true, 0, "")
	}
	d.f.Ln(-1)
	d.f.SetFont("DejaVu", "", 9)
	for _, r := range rows {
		// Each row is as tall as its tallest cell.
		lines := 1
		for i, c := range r {
			if n := len(d.f.SplitText(c, widths[i]-2)); n > lines {
				lines = n
			}
		}
		h := float64(lines) * 4.5
		if d.f.GetY()+h > 277 {
			d.f.AddPage()
		}
		x, y := d.f.GetXY()
		for i, c := range r {
			d.f.Rect(x, y, widths[i], h, "D")
			d.f.SetXY(x+1, y+0.5)
			d.f.MultiCell(widths[i]-2, 4.5, c, "", "L", false)
			x += widths[i]
			d.f.SetXY(x, y)
		}
		d.f.SetXY(20, y+h)
	}
	d.f.Ln(2)
}

// Write finishes the document and writes it to w.
func (d *Doc) Write(w io.Writer) error {
	if err := d.f.Error(); err != nil {
		return err
	}
	return d.f.Output(w)
}
