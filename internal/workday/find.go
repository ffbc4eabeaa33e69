package workday

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/invalid"
	"husly/internal/people"
	"husly/internal/store"
)

// Found is what the quick search found, grouped by kind.
type Found struct {
	Query   string          `json:"query"`
	Persons []people.Person `json:"persons"`
	Cases   []CaseHit       `json:"cases"`
	Units   []UnitItem      `json:"units"`
}

// CaseHit is a case found by its number.
type CaseHit struct {
	ApplicationID int64           `json:"application_id"`
	PersonID      int64           `json:"person_id"`
	PersonName    string          `json:"person_name"`
	Kind          string          `json:"kind"`
	Status        caseflow.Status `json:"status"`
}

// FindLimit is how many of each kind the quick search shows.
const FindLimit = 10

// MaxQuery is the longest quick search accepted, in characters.
const MaxQuery = 100

// caseNumber is a case number as people write it: "123", "#123", "sak 123".
var caseNumber = regexp.MustCompile(`(?i)^(sak\s*)?#?\s*(\d{1,10})$`)

// Find is the quick search from the header of every staff page: persons
// by name or whole identity number (people.Search, with its rules and its
// log), a case by its number and units by code. Persons and cases are
// those the actor may find (access.VisibleClause), and every one shown is
// logged as read; units are the stock, not personal data.
func Find(ctx context.Context, q store.Queryer, a access.Actor, text, channel string, limit int) (Found, error) {
	text = strings.TrimSpace(text)
	f := Found{Query: text, Persons: []people.Person{}, Cases: []CaseHit{}, Units: []UnitItem{}}
	if a.Role == access.Resident {
		return f, access.ErrForbidden
	}
	if text == "" {
		return f, nil
	}
	if len([]rune(text)) > MaxQuery {
		return f, invalid.Problem("søket kan ha høyst %d tegn", MaxQuery)
	}
	digits := strings.ReplaceAll(text, " ", "")
	whole := len(digits) == idLength && isDigits(digits)
	m := caseNumber.FindStringSubmatch(text)
	if a.SeesPersons() && (whole || m == nil) {
		ps, err := people.Search(ctx, q, a, channel, text, limit)
		if err != nil {
			return f, err
		}
		f.Persons = ps
	}
	if m != nil && a.SeesPersons() {
		id, _ := strconv.ParseInt(m[2], 10, 64)
		hits, err := findCase(ctx, q, a, id, channel)
		if err != nil {
			return f, err
		}
		f.Cases = hits
	}
	if !strings.ContainsAny(text, " \t") && !whole {
		code := strings.ToUpper(text)
		us, err := units(ctx, q, `SELECT u.id, u.code, u.address, NULL, '' FROM units u
			WHERE u.municipality_id = ? AND u.code >= ? AND u.code < ? ORDER BY u.code, u.id LIMIT ?`,
			a.MunicipalityID, code, code+"\U0010FFFF", limit)
		if err != nil {
			return f, err
		}
		f.Units = us
	}
	return f, nil
}

// findCase looks a case up by its number, if the actor may find its person.
func findCase(ctx context.Context, q store.Queryer, a access.Actor, id int64, channel string) ([]CaseHit, error) {
	visible, vargs := access.VisibleClause(a)
	rows, err := q.QueryContext(ctx, `SELECT a.id, p.id, p.first_name || ' ' || p.last_name, a.kind, a.status
		FROM applications a JOIN persons p ON p.id = a.person_id WHERE a.municipality_id = ? AND a.id = ? AND `+visible,
		join([]any{a.MunicipalityID, id}, vargs)...)
	hits, err := store.Collect(rows, err, func(s store.Scanner) (c CaseHit, err error) {
		err = s.Scan(&c.ApplicationID, &c.PersonID, &c.PersonName, &c.Kind, &c.Status)
		return c, err
	})
	if err != nil || len(hits) == 0 {
		return []CaseHit{}, err
	}
	return hits, logPersons(ctx, q, a, channel, access.SetOf(access.HousingNeeds), []int64{hits[0].PersonID}, &hits)
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// idLength is the length of a whole identity number (fødselsnummer or
// D-nummer): a shorter run of digits is a case number.
const idLength = 11
