// Package locales holds the catalogues: one directory per language, one
// file per area of the product (nb/shell.json, nn/cases.json …). The files
// stay beside the web templates that read most of them; package i18n
// loads them for the pages, the PDFs and the command line alike.
package locales

import "embed"

// Files are the catalogue files, <language>/<area>.json.
//
//go:embed */*.json
var Files embed.FS
