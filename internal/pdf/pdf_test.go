package pdf

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A document embeds both DejaVu faces (so every Norwegian and Sámi letter
// prints on any reader), numbers its pages and breaks long tables over
// pages.
func TestDocumentEmbedsFontsAndBreaksPages(t *testing.T) {
	d := New("Innsyn for Åse Ørnebakk", "Husly – Kristiansund kommune", time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC))
	d.Heading("Saker")
	d.Fact("Navn", "Áilu Čoavddus Ŋuvtte")
	d.Text("Ærlig, øyeblikkelig, åpent.")
	var rows [][]string
	for range 80 {
		rows = append(rows, []string{"2026-07-01", "Søknad om kommunal bolig", "innvilget"})
	}
	d.Table([]string{"Dato", "Hva", "Status"}, []float64{30, 100, 40}, rows)
	var out bytes.Buffer
	if err := d.Write(&out); err != nil {
		t.Fatal(err)
	}
	pdf := out.String()
	if !strings.HasPrefix(pdf, "%PDF-1.") {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
	}
	// TrueType fonts are embedded as FontFile2 streams: one for the
	// regular face and one for bold.
	if n := strings.Count(pdf, "/FontFile2"); n != 2 {
		t.Errorf("%d embedded TrueType fonts, want 2", n)
	}
	if !regexp.MustCompile(`(?i)/BaseFont /\S*dejavu`).MatchString(pdf) {
		t.Error("no DejaVu font")
	}
	// 80 rows do not fit on one A4 page.
	if n := len(regexp.MustCompile(`/Type /Page\b`).FindAllString(pdf, -1)); n < 2 {
		t.Errorf("%d pages, want at least 2", n)
	}
	if !strings.Contains(pdf, "/Lang (nb-NO)") {
		t.Error("document language nb-NO not set")
	}
}

// An error met while building the document is reported by Write, which
// then writes nothing rather than a broken file.
func TestWriteReportsErrors(t *testing.T) {
	d := New("Feil", "", time.Now())
	d.f.SetError(errors.New("ødelagt"))
	var out bytes.Buffer
	if err := d.Write(&out); err == nil || out.Len() != 0 {
		t.Fatalf("err = %v, %d bytes written", err, out.Len())
	}
}
