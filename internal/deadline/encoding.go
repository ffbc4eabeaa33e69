package deadline

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// Date is also the domain's one calendar-date type: it is written to JSON
// as "YYYY-MM-DD" (null when zero), and to the database as the same text,
// which SQLite keeps in a TEXT column and PostgreSQL reads into its DATE
// columns (store's migrations map {{DATE}} to those two).

// ParseError is a text that is not a calendar date.
type ParseError struct{ Text string }

func (e *ParseError) Error() string {
	return fmt.Sprintf("«%s» er ikke en gyldig dato: skriv den som ÅÅÅÅ-MM-DD, for eksempel 2026-11-22", e.Text)
}

// IsZero reports whether d is no date at all (an optional date not set).
func (d Date) IsZero() bool { return d == Date{} }

// MarshalJSON writes "YYYY-MM-DD", or null for the zero date. Optional
// date fields carry `omitzero` and are left out instead.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD"; null and "" give the zero date.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		*d = Date{}
		return nil
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return &ParseError{s}
	}
	p, err := Parse(s[1 : len(s)-1])
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Value writes the date for a date column: "YYYY-MM-DD", or NULL when zero.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date column: PostgreSQL's DATE arrives as a time.Time at
// midnight UTC, SQLite's TEXT as "YYYY-MM-DD"; NULL gives the zero date.
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		// The calendar day as stored, not converted to Oslo: a DATE has
		// no time of day to move it into another day.
		*d = Date{x.Year(), x.Month(), x.Day()}
		return nil
	case string:
		return d.scanText(x)
	case []byte:
		return d.scanText(string(x))
	}
	return fmt.Errorf("kan ikke lese en dato fra %T", v)
}

func (d *Date) scanText(s string) error {
	if len(s) > len(time.DateOnly) {
		s = s[:len(time.DateOnly)] // a timestamp's text form starts with its date
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return errors.New("ugyldig dato i databasen: " + s)
	}
	*d = Date{t.Year(), t.Month(), t.Day()}
	return nil
}
