package people

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/invalid"
	"husly/internal/store"
)

// MaxMembers is how many members besides the applicant one registration
// takes; a larger household is added to later.
const MaxMembers = 12

// ValidateMembers checks the household members registered with a person:
// each has a first and last name, a relation other than applicant (the
// person registered is the applicant) and a birth date, when given, that
// is not after today. Problems name the row, counted from 1.
func ValidateMembers(members []Member, today time.Time) []invalid.Message {
	var problems []invalid.Message
	if len(members) > MaxMembers {
		problems = append(problems, invalid.F("en husstand kan registreres med høyst %d andre medlemmer om gangen", MaxMembers))
	}
	for i := range members {
		m := &members[i]
		m.FirstName = strings.Join(strings.Fields(m.FirstName), " ")
		m.LastName = strings.Join(strings.Fields(m.LastName), " ")
		row := i + 1
		if m.FirstName == "" || m.LastName == "" {
			problems = append(problems, invalid.F("husstandsmedlem %d: fornavn og etternavn må fylles ut", row))
		}
		if utf8.RuneCountInString(m.FirstName) > 100 || utf8.RuneCountInString(m.LastName) > 100 {
			problems = append(problems, invalid.F("husstandsmedlem %d: navnet kan ha høyst 100 tegn", row))
		}
		switch m.Relation {
		case Partner, Child, Other:
		default:
			problems = append(problems, invalid.F("husstandsmedlem %d: velg om personen er ektefelle/samboer, barn eller annen", row))
		}
		if !m.BirthDate.IsZero() && deadline.On(today).Before(m.BirthDate) {
			problems = append(problems, invalid.F("husstandsmedlem %d: fødselsdatoen kan ikke være etter i dag", row))
		}
	}
	return problems
}

// Register is a walk-in's registration: the person by identity number
// (Create, with its checks and bound) and, when others live with them, a
// household with the person as applicant and the members by name. Members
// are recorded by name and birth date only: a member known to the
// services is linked later from their own record. Both are one change in
// the audit chain's terms, in the caller's transaction.
func Register(ctx context.Context, q store.Queryer, actor access.Actor, in Input, members []Member) (int64, error) {
	if problems := ValidateMembers(members, time.Now()); len(problems) > 0 {
		// The person's own fields are checked too, so the form lists every problem at once.
		synthetic, err := store.AllowsSyntheticIDs(ctx, q)
		if err != nil {
			return 0, err
		}
		_, own := in.Validate(synthetic, time.Now())
		return 0, &ValidationError{Problems: append(own, problems...)}
	}
	id, err := Create(ctx, q, actor, in)
	if err != nil || len(members) == 0 {
		return id, err
	}
	now := store.TimeArg(time.Now())
	hh, err := store.InsertID(ctx, q, "INSERT INTO households (municipality_id, created_at) VALUES (?, ?)", actor.MunicipalityID, now)
	if err != nil {
		return 0, err
	}
	n, err := identity.Parse(strings.ReplaceAll(strings.TrimSpace(in.IdentityNumber), " ", ""), true, time.Now())
	if err != nil {
		return 0, err // Create accepted the number; this cannot fail
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO household_members (municipality_id, household_id, person_id, first_name, last_name, birth_date, relation)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, actor.MunicipalityID, hh, id, strings.Join(strings.Fields(in.FirstName), " "),
		strings.Join(strings.Fields(in.LastName), " "), n.Birth, string(Applicant)); err != nil {
		return 0, err
	}
	type logged struct {
		FirstName string   `json:"first_name"`
		LastName  string   `json:"last_name"`
		BirthDate string   `json:"birth_date,omitempty"`
		Relation  Relation `json:"relation"`
	}
	var after []logged
	for _, m := range members {
		if _, err := q.ExecContext(ctx, `INSERT INTO household_members (municipality_id, household_id, first_name, last_name, birth_date, relation)
			VALUES (?, ?, ?, ?, ?, ?)`, actor.MunicipalityID, hh, m.FirstName, m.LastName, m.BirthDate, string(m.Relation)); err != nil {
			return 0, err
		}
		l := logged{FirstName: m.FirstName, LastName: m.LastName, Relation: m.Relation}
		if !m.BirthDate.IsZero() {
			l.BirthDate = m.BirthDate.String()
		}
		after = append(after, l)
	}
	if err := audit.Record(ctx, q, audit.Entry{MunicipalityID: actor.MunicipalityID, Actor: actor.Label(), Action: "opprett husstand",
		Entity: "person", EntityID: id, After: map[string]any{"household_id": hh, "members": after}}); err != nil {
		return 0, err
	}
	return id, nil
}
