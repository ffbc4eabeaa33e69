// Package pdftest reads back the text Husly's PDFs show, for tests: each
// content stream is inflated, each string shown with Tj is unescaped and
// decoded from UTF-16 (how fpdf writes text in a UTF-8 font), and the
// strings are joined by spaces, so a sentence broken over lines reads
// whole again.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"io"
	"strings"
	"unicode/utf16"
)

// Text is the text a PDF shows, in the order it is drawn, with runs of
// white space made one space.
func Text(b []byte) string {
	var parts []string
	rest := b
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		end := bytes.Index(rest, []byte("endstream"))
		if end < 0 {
			break
		}
		if r, err := zlib.NewReader(bytes.NewReader(rest[:end])); err == nil {
			if content, err := io.ReadAll(r); err == nil {
				parts = append(parts, shown(content)...)
			}
		}
		rest = rest[end+len("endstream"):] // past it, or "endstream\n" reads as the next "stream\n" and every other page is lost
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// shown finds the strings a content stream shows: "(…) Tj".
func shown(content []byte) []string {
	var out []string
	for i := 0; i < len(content); i++ {
		if content[i] != '(' {
			continue
		}
		var s []byte
		j := i + 1
		for ; j < len(content) && content[j] != ')'; j++ {
			c := content[j]
			if c == '\\' && j+1 < len(content) {
				j++
				switch content[j] {
				case 'n':
					c = '\n'
				case 'r':
					c = '\r'
				case 't':
					c = '\t'
				default:
					c = content[j]
				}
			}
			s = append(s, c)
		}
		if j >= len(content) {
			break
		}
		if !bytes.HasPrefix(bytes.TrimLeft(content[j+1:min(j+6, len(content))], " "), []byte("Tj")) {
			i = j
			continue
		}
		out = append(out, decode(s))
		i = j
	}
	return out
}

// decode reads UTF-16BE (with or without a byte-order mark), or the bytes
// as they are when they are not.
func decode(s []byte) string {
	s = bytes.TrimPrefix(s, []byte{0xFE, 0xFF})
	if len(s)%2 != 0 {
		return string(s)
	}
	u := make([]uint16, len(s)/2)
	for i := range u {
		u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return string(utf16.Decode(u))
}
