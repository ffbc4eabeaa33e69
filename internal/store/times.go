package store

import (
	"database/sql"
	"fmt"
	"time"
)

// Timestamps are stored as TEXT in UTC (SQLite) or TIMESTAMPTZ (PostgreSQL),
// dates as TEXT 'YYYY-MM-DD' or DATE. Writing a string works on both; these
// helpers make reading work on both.

const timeLayout = "2006-01-02T15:04:05.000000Z"

// TimeArg formats t for a timestamp column; the zero time becomes NULL.
func TimeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// DateArg formats t for a date column; the zero time becomes NULL.
func DateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

// ScanTime scans a timestamp (or NULL, giving the zero time) into t.
func ScanTime(t *time.Time) sql.Scanner { return timeScanner{t, false} }

// ScanDate scans a date (or NULL) into t, at midnight UTC.
func ScanDate(t *time.Time) sql.Scanner { return timeScanner{t, true} }

type timeScanner struct {
	t    *time.Time
	date bool
}

func (s timeScanner) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.t = time.Time{}
	case time.Time:
		if s.date {
			*s.t = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
		} else {
			*s.t = x.UTC()
		}
	case string:
		return s.parse(x)
	case []byte:
		return s.parse(string(x))
	default:
		return fmt.Errorf("kan ikke lese tidspunkt fra %T", v)
	}
	return nil
}

func (s timeScanner) parse(x string) error {
	// The last two are PostgreSQL's text form of timestamptz.
	for _, layout := range []string{timeLayout, time.RFC3339Nano, time.DateOnly, "2006-01-02 15:04:05.999999999-07:00",
		"2006-01-02 15:04:05.999999999-07", "2006-01-02 15:04:05-07"} {
		if t, err := time.Parse(layout, x); err == nil {
			*s.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("ugyldig tidspunkt %q", x)
}
