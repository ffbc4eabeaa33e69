package workday

import (
	"context"

	"husly/internal/access"
	"husly/internal/allocation"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/store"
)

// CaseItem is one row of a case worker's panel: a case, whose it is, its
// date and what is due.
type CaseItem struct {
	ApplicationID int64         `json:"application_id"`
	PersonID      int64         `json:"person_id"`
	PersonName    string        `json:"person_name"`
	CaseWorker    string        `json:"case_worker"`
	Due           deadline.Date `json:"due"`
	Overdue       bool          `json:"overdue"`
	// Kind says what is due: a decision, requested information, an answer
	// to an offer, an appeal's next step.
	Kind string `json:"kind"`
	// Detail is the requested information or the offered unit's address.
	Detail string `json:"detail,omitempty"`
	// Notice is the deadline as data, for pages in any language.
	Notice caseflow.Notice `json:"-"`
}

// Kinds of case items.
const (
	KindDecision    = "vedtak"
	KindRequest     = "opplysninger"
	KindProvisional = "forelopig_svar"
	KindUnassigned  = "ny_soknad"
	KindOffer       = "tilbud"
	KindAppeal      = "klage"
)

// Meeting is an allocation meeting ahead.
type Meeting struct {
	ID     int64         `json:"id"`
	HeldOn deadline.Date `json:"held_on"`
}

// CaseWorkerDay is the case worker's start page.
type CaseWorkerDay struct {
	Scope Scope `json:"scope"`
	// Due are decisions and requested information overdue or due within
	// a week, the nearest first.
	Due []CaseItem `json:"due"`
	// Unassigned are new applications nobody has taken yet.
	Unassigned []CaseItem `json:"unassigned"`
	// Provisional are cases that need a provisional answer now: the
	// one-month deadline is within a week and none was sent.
	Provisional []CaseItem `json:"provisional_due"`
	// Offers wait for the applicant's answer, the earliest answer date first.
	Offers []CaseItem `json:"offers_awaiting_answer"`
	// Appeals wait for reconsideration or for being sent on.
	Appeals []CaseItem `json:"appeals"`
	// Meetings are the allocation meetings ahead.
	Meetings []Meeting `json:"meetings"`
}

// soonDays is how near a deadline must be to be "due soon".
const soonDays = 7

// appealReconsiderDays and appealForwardDays are Husly's working limits
// for an appeal's steps (as in the task list): reconsider within three
// weeks of receipt (forvaltningsloven § 33), send on within four.
const (
	appealReconsiderDays = 21
	appealForwardDays    = 28
)

// CaseWorker reads the case worker's start page: each panel one query
// with a LIMIT, the persons shown logged as a read of their housing needs
// (what a case row tells).
func CaseWorker(ctx context.Context, q store.Queryer, a access.Actor, s Scope, today deadline.Date, channel string) (CaseWorkerDay, error) {
	if !a.Writes() {
		return CaseWorkerDay{}, access.ErrForbidden
	}
	d := CaseWorkerDay{Scope: s}
	visible, vargs := access.VisibleClause(a)
	scope, sargs := scopeClause(a, s)
	soon := today.AddDays(soonDays)
	head := "SELECT a.id, p.id, p.first_name || ' ' || p.last_name, a.case_worker, "
	var err error

	// Decisions by their deadline (after a provisional answer, the date it
	// promised: forvaltningsloven § 11 a) and requested information by
	// its date, together in date order.
	d.Due, err = cases(ctx, q, head+`t.due, t.kind, t.detail, a.provisional_sent_on, a.decision_due, a.provisional_expected_on
		FROM (SELECT a.id AS app, COALESCE(a.provisional_expected_on, a.decision_due) AS due, '`+KindDecision+`' AS kind, '' AS detail
		        FROM applications a WHERE a.municipality_id = ? AND `+scope+` AND a.status IN `+undecidedStatuses+`
		        AND COALESCE(a.provisional_expected_on, a.decision_due) <= ?
		      UNION ALL
		      SELECT a.id, r.due_on, '`+KindRequest+`', r.what
		        FROM applications a JOIN case_requests r ON r.application_id = a.id
		        WHERE a.municipality_id = ? AND `+scope+` AND a.status IN `+undecidedStatuses+` AND r.received_on IS NULL AND r.due_on <= ?) t
		JOIN applications a ON a.id = t.app JOIN persons p ON p.id = a.person_id
		WHERE `+visible+` ORDER BY t.due, t.app, t.kind LIMIT ?`,
		join([]any{a.MunicipalityID}, sargs, []any{soon, a.MunicipalityID}, sargs, []any{soon}, vargs, []any{PanelLimit}), today)
	if err != nil {
		return d, err
	}
	// New applications nobody has taken: the unit's, and those sent by
	// residents, which no unit holds yet.
	d.Unassigned, err = cases(ctx, q, head+`a.decision_due, '`+KindUnassigned+`', '', NULL, NULL, NULL
		FROM applications a JOIN persons p ON p.id = a.person_id
		WHERE a.municipality_id = ? AND a.case_worker_id IS NULL AND a.status = '`+string(caseflow.StatusReceived)+`'
		AND (a.org_unit_id = ? OR a.org_unit_id IS NULL) AND `+visible+` ORDER BY a.decision_due, a.id LIMIT ?`,
		join([]any{a.MunicipalityID, a.OrgUnitID}, vargs, []any{PanelLimit}), today)
	if err != nil {
		return d, err
	}
	// forvaltningsloven § 11 a: an application that cannot be answered
	// within a month gets a provisional answer; Husly asks for it in the
	// deadline's last week.
	d.Provisional, err = cases(ctx, q, head+`a.decision_due, '`+KindProvisional+`', '', NULL, NULL, NULL
		FROM applications a JOIN persons p ON p.id = a.person_id
		WHERE a.municipality_id = ? AND `+scope+` AND a.status IN `+undecidedStatuses+` AND a.provisional_sent_on IS NULL
		AND a.decision_due <= ? AND `+visible+` ORDER BY a.decision_due, a.id LIMIT ?`,
		join([]any{a.MunicipalityID}, sargs, []any{soon}, vargs, []any{PanelLimit}), today)
	if err != nil {
		return d, err
	}
	d.Offers, err = cases(ctx, q, head+`o.respond_by, '`+KindOffer+`', u.address, NULL, NULL, NULL
		FROM offers o JOIN applications a ON a.id = o.application_id JOIN persons p ON p.id = a.person_id JOIN units u ON u.id = o.unit_id
		WHERE o.municipality_id = ? AND o.status = '`+string(caseflow.OfferPending)+`' AND `+scope+` AND `+visible+`
		ORDER BY o.respond_by, o.id LIMIT ?`,
		join([]any{a.MunicipalityID}, sargs, vargs, []any{PanelLimit}), today)
	if err != nil {
		return d, err
	}
	d.Appeals, err = cases(ctx, q, head+`x.received_on, '`+KindAppeal+`', x.status, NULL, NULL, NULL
		FROM appeals x JOIN applications a ON a.id = x.application_id JOIN persons p ON p.id = a.person_id
		WHERE x.municipality_id = ? AND x.status IN ('`+string(caseflow.AppealReceived)+`', '`+string(caseflow.AppealUpheld)+`') AND `+scope+` AND `+visible+`
		ORDER BY x.received_on, x.id LIMIT ?`,
		join([]any{a.MunicipalityID}, sargs, vargs, []any{PanelLimit}), today)
	if err != nil {
		return d, err
	}
	rows, err := q.QueryContext(ctx, `SELECT m.id, m.held_on FROM meetings m WHERE m.municipality_id = ? AND m.status = '`+string(allocation.MeetingOpen)+`'
		AND m.held_on >= ? ORDER BY m.held_on, m.id LIMIT ?`, a.MunicipalityID, today, PanelLimit)
	d.Meetings, err = store.Collect(rows, err, func(s store.Scanner) (m Meeting, err error) {
		err = s.Scan(&m.ID, &m.HeldOn)
		return m, err
	})
	if err != nil {
		return d, err
	}
	var ids []int64
	for _, list := range [][]CaseItem{d.Due, d.Unassigned, d.Provisional, d.Offers, d.Appeals} {
		for _, c := range list {
			ids = append(ids, c.PersonID)
		}
	}
	return d, logPersons(ctx, q, a, channel, access.SetOf(access.HousingNeeds), ids, &d)
}

func join(parts ...[]any) []any {
	var out []any
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// cases runs a panel's query: the case, person, name and case worker,
// the row's date, kind and detail, then the provisional answer's date,
// the decision deadline and the promised date that make the notice.
func cases(ctx context.Context, q store.Queryer, query string, args []any, today deadline.Date) ([]CaseItem, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	return store.Collect(rows, err, func(s store.Scanner) (c CaseItem, err error) {
		var provisional, due, promised deadline.Date
		if err = s.Scan(&c.ApplicationID, &c.PersonID, &c.PersonName, &c.CaseWorker, &c.Due, &c.Kind, &c.Detail, &provisional, &due, &promised); err != nil {
			return c, err
		}
		c.Notice, c.Overdue = notice(c, provisional, due, promised, today)
		if c.Kind == KindAppeal {
			c.Detail = "" // the status chose the notice
		}
		return c, nil
	})
}

// notice is what a panel row says about its date, and whether it is late.
func notice(c CaseItem, provisional, due, promised deadline.Date, today deadline.Date) (caseflow.Notice, bool) {
	late := c.Due.Before(today)
	switch c.Kind {
	case KindDecision:
		x := caseflow.Application{Status: caseflow.StatusReceived, DecisionDue: due, Provisional: provisional, ProvisionalExpected: promised}
		n := caseflow.DeadlineNotice(x, today)
		if n.Kind == "" {
			n = caseflow.Notice{Kind: caseflow.NoticeTaskDecide, On: c.Due, Days: today.DaysUntil(c.Due)}
		}
		return n, late
	case KindRequest:
		return caseflow.Notice{Kind: caseflow.NoticeTaskRequest, On: c.Due, Days: today.DaysUntil(c.Due), Detail: c.Detail}, late
	case KindProvisional:
		if late {
			return caseflow.Notice{Kind: caseflow.NoticeDeadlinePassed, On: c.Due, Days: today.DaysUntil(c.Due)}, late
		}
		return caseflow.Notice{Kind: caseflow.NoticeDeadlineSoon, On: c.Due, Days: today.DaysUntil(c.Due)}, late
	case KindOffer:
		return caseflow.Notice{Kind: caseflow.NoticeTaskOffer, On: c.Due, Days: today.DaysUntil(c.Due), Detail: c.Detail}, late
	case KindAppeal:
		if caseflow.AppealStatus(c.Detail) == caseflow.AppealReceived {
			return caseflow.Notice{Kind: caseflow.NoticeTaskAppeal, On: c.Due}, c.Due.AddDays(appealReconsiderDays).Before(today)
		}
		return caseflow.Notice{Kind: caseflow.NoticeTaskAppealForward, On: c.Due}, c.Due.AddDays(appealForwardDays).Before(today)
	}
	return caseflow.Notice{Kind: caseflow.NoticeTaskDecide, On: c.Due, Days: today.DaysUntil(c.Due)}, late
}
