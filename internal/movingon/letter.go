package movingon

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/i18n"
	"husly/internal/invalid"
)

// RenewalLetter builds the letter of a renewal decision that is an
// individual decision (a refusal, a move to ordinary housing or to a more
// supported setting): the decision, its reasons and legal basis
// (forvaltningsloven §§ 24–25), the right and deadline of appeal (§§ 28–29,
// the municipality's appeal weeks from the case flow's practice) and the
// right to see the documents (§ 18). It is the case flow's letter, written
// as PDF by the same code. The read is authorized and logged.
func RenewalLetter(ctx context.Context, rd *access.Reader, id int64, today deadline.Date) (caseflow.Letter, error) {
	a := rd.Actor()
	q := rd.Q()
	row := q.QueryRowContext(ctx, `SELECT r.id, r.lease_id, r.person_id, r.outcome, r.reason, r.lease_end_on, r.new_end_on, r.decided_on, r.decided_by_name, u.address
		FROM renewal_decisions r JOIN leases l ON l.id = r.lease_id JOIN units u ON u.id = l.unit_id WHERE r.id = ? AND r.municipality_id = ?`, id, a.MunicipalityID)
	r, err := scanRenewal(row)
	if errors.Is(err, sql.ErrNoRows) {
		return caseflow.Letter{}, ErrNotFound
	}
	if err != nil {
		return caseflow.Letter{}, err
	}
	g, err := rd.Authorize(ctx, r.PersonID)
	if err != nil {
		return caseflow.Letter{}, err
	}
	if !g.Allows(access.Tenancy) || !g.Allows(access.Basic) {
		return caseflow.Letter{}, access.ErrForbidden
	}
	if !r.Outcome.IsDecision() {
		return caseflow.Letter{}, invalid.Problem("en fornyelse gir leiekontrakt, ikke vedtaksbrev: brevet lages når leiekontrakten ikke fornyes eller beboeren skal flytte")
	}
	var muni, name string
	if err := q.QueryRowContext(ctx, "SELECT name FROM municipalities WHERE id = ?", a.MunicipalityID).Scan(&muni); err != nil {
		return caseflow.Letter{}, err
	}
	if err := q.QueryRowContext(ctx, "SELECT first_name || ' ' || last_name FROM persons WHERE id = ? AND municipality_id = ?", r.PersonID, a.MunicipalityID).Scan(&name); err != nil {
		return caseflow.Letter{}, err
	}
	practice, err := caseflow.LoadPractice(ctx, q, a.MunicipalityID)
	if err != nil {
		return caseflow.Letter{}, err
	}
	l := BuildRenewalLetter(r, name, muni, a.OrgUnitName, practice.AppealWeeks, today)
	if err := rd.Plain(r.PersonID, access.Basic, access.Tenancy); err != nil {
		return caseflow.Letter{}, err
	}
	var none struct{}
	return l, rd.Send(ctx, &none)
}

// BuildRenewalLetter writes the letter in bokmål from the catalogue: a
// pure function.
func BuildRenewalLetter(r Renewal, name, municipality, unit string, appealWeeks int, today deadline.Date) caseflow.Letter {
	t := func(key string, args ...any) string { return i18n.Tf("nb", key, args...) }
	from := unit
	if from == "" {
		from = municipality
	}
	if appealWeeks <= 0 {
		appealWeeks = 3 // forvaltningsloven § 29
	}
	decision := t("keeping.letter.decision."+string(r.Outcome), r.Address, r.LeaseEnd.Norwegian())
	return caseflow.Letter{Kind: caseflow.LetterDecision, Lang: "nb", Title: t("keeping.letter.title"), From: from,
		Header: [][2]string{{t("keeping.letter.to"), strings.TrimSpace(name + "\n" + r.Address)}, {t("keeping.letter.date"), today.Norwegian()},
			{t("keeping.letter.decided"), r.Decided.Norwegian()}, {t("keeping.letter.by"), r.DecidedBy}},
		Sections: []caseflow.Section{
			{Heading: t("keeping.letter.decision"), Paragraphs: []string{decision}},
			{Heading: t("keeping.letter.reasons"), Paragraphs: caseflow.Paragraphs(r.Reason)},
			{Heading: t("keeping.letter.law"), Paragraphs: []string{t("keeping.letter.law.text")}},
			{Heading: t("keeping.letter.appeal"), Paragraphs: []string{t("keeping.letter.appeal.text", appealWeeks, from)}},
			{Heading: t("keeping.letter.docs"), Paragraphs: []string{t("keeping.letter.docs.text")}},
		}}
}
