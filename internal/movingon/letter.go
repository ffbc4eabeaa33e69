package movingon

import (
	"context"
	"strings"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/i18n"
	"husly/internal/invalid"
	"husly/internal/writtenform"
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
	r, err := decision(ctx, q, a.MunicipalityID, id)
	if err != nil {
		return caseflow.Letter{}, err
	}
	if a.Role == access.Resident && a.PersonID != r.PersonID {
		// The resident gets only their own letters.
		return caseflow.Letter{}, ErrNotFound
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
	var muni, name, policy, wish string
	if err := q.QueryRowContext(ctx, `SELECT m.name, p.first_name || ' ' || p.last_name, m.written_form, p.written_form
		FROM persons p JOIN municipalities m ON m.id = p.municipality_id WHERE p.id = ? AND p.municipality_id = ?`, r.PersonID, a.MunicipalityID).Scan(&muni, &name, &policy, &wish); err != nil {
		return caseflow.Letter{}, err
	}
	practice, err := caseflow.LoadPractice(ctx, q, a.MunicipalityID)
	if err != nil {
		return caseflow.Letter{}, err
	}
	unit := a.OrgUnitName
	if a.Role == access.Resident {
		unit = "" // the resident's copy is from the municipality
	}
	// The person's wish wins over the municipality's form, as for the
	// case flow's letters (writtenform.Choose; språklova § 11).
	form := writtenform.Choose(writtenform.Policy(policy), writtenform.Form(wish))
	l := BuildRenewalLetter(r, name, muni, unit, practice, form, today)
	if err := rd.Plain(r.PersonID, access.Basic, access.Tenancy); err != nil {
		return caseflow.Letter{}, err
	}
	var none struct{}
	return l, rd.Send(ctx, &none)
}

// BuildRenewalLetter writes the letter of a tenancy decision in the
// written form from the catalogue (bokmål or nynorsk): a pure function. A
// decision at the lease's end says the lease is not renewed; a move during
// the lease says where the resident moves, what is offered and when. The
// appeal deadline is counted from when the letter reached the resident
// (forvaltningsloven § 29): the date itself once the notification is
// recorded, else the weeks.
func BuildRenewalLetter(r Renewal, name, municipality, unit string, practice caseflow.Practice, form writtenform.Form, today deadline.Date) caseflow.Letter {
	lang := form.Lang()
	t := func(key string, args ...any) string { return i18n.Tf(lang, key, args...) }
	from := unit
	if from == "" {
		from = municipality
	}
	weeks := practice.AppealWeeks
	if weeks <= 0 {
		weeks = 3 // forvaltningsloven § 29
	}
	title := t("keeping.letter.title")
	decision := t("keeping.letter.decision."+string(r.Outcome), r.Address, r.LeaseEnd.Norwegian())
	law := t("keeping.letter.law.text")
	if r.Kind == DuringLease {
		title = t("keeping.letter.move.title")
		decision = t("keeping.letter.move."+string(r.Outcome), r.Address, r.Offered, r.MoveOn.Norwegian())
		law = t("keeping.letter.move.law.text")
	}
	appeal := []string{t("keeping.letter.appeal.text", weeks, from)}
	if !r.NotifiedOn.IsZero() {
		appeal = append(appeal, t("keeping.letter.appeal.due", r.NotifiedOn.Norwegian(), r.AppealDue.Norwegian()))
	}
	return caseflow.Letter{Kind: caseflow.LetterDecision, Form: form, Lang: lang, Title: title, From: from,
		Header: [][2]string{{t("keeping.letter.to"), strings.TrimSpace(name + "\n" + r.Address)}, {t("keeping.letter.date"), today.Norwegian()},
			{t("keeping.letter.decided"), r.Decided.Norwegian()}, {t("keeping.letter.by"), r.DecidedBy}},
		Sections: []caseflow.Section{
			{Heading: t("keeping.letter.decision"), Paragraphs: []string{decision}},
			{Heading: t("keeping.letter.reasons"), Paragraphs: caseflow.Paragraphs(r.Reason)},
			{Heading: t("keeping.letter.law"), Paragraphs: []string{law}},
			{Heading: t("keeping.letter.appeal"), Paragraphs: appeal},
			{Heading: t("keeping.letter.docs"), Paragraphs: []string{t("keeping.letter.docs.text")}},
		}}
}
