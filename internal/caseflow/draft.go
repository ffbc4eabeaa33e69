package caseflow

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// The resident's own digital application: a draft saved as often as they
// like, documents attached to it, then sent. Sending registers the
// application and a first contact through the person themself, and gives
// the housing office a role on the case so it lands on its work list.

// DraftInput is what the resident writes.
type DraftInput struct {
	ApplicationInput
	Residence Residence `json:"residence"`
	Situation string    `json:"situation"`
	Wishes    string    `json:"wishes"`
}

// Draft is the resident's unsent application and its documents.
type Draft struct {
	ID          int64        `json:"id"`
	Input       DraftInput   `json:"input"`
	Attachments []Attachment `json:"attachments"`
	Updated     time.Time    `json:"updated_at"`
}

// Attachment is a document attached to an application.
type Attachment struct {
	ID          int64  `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
}

// Limits on attachments: documents and photos of documents.
const (
	MaxAttachmentSize = 5 << 20
	maxAttachments    = 10
)

// attachmentTypes are the kinds of document accepted, by the content type
// sniffed from the bytes, with the file extension each is stored under.
var attachmentTypes = map[string]string{"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}

// storedName keeps the name the resident gave but ends it with the
// extension of the content actually sent: "poly.html" holding a PDF is
// stored as "poly.pdf", so nobody opening it later is misled.
func storedName(filename, kind string) string {
	base := strings.TrimSuffix(filename, filepath.Ext(filename))
	if strings.TrimSpace(base) == "" || base == "." {
		base = "dokument"
	}
	return base + attachmentTypes[kind]
}

func ownOnly(a access.Actor) error {
	if a.Role != access.Resident || a.PersonID == 0 {
		return access.ErrForbidden
	}
	return nil
}

// MyDraft gives the resident's open draft, or an empty one (ID 0).
func MyDraft(ctx context.Context, q store.Queryer, a access.Actor) (Draft, error) {
	if err := ownOnly(a); err != nil {
		return Draft{}, err
	}
	d := Draft{Attachments: []Attachment{}}
	var body string
	err := q.QueryRowContext(ctx, `SELECT id, body, updated_at FROM application_drafts WHERE municipality_id = ? AND person_id = ? AND application_id IS NULL
		ORDER BY id DESC LIMIT 1`, a.MunicipalityID, a.PersonID).Scan(&d.ID, &body, store.ScanTime(&d.Updated))
	if errors.Is(err, sql.ErrNoRows) {
		d.Input.HouseholdSize, d.Input.RegisteredHere, d.Input.Kind = 1, true, KindHousing
		return d, nil
	}
	if err != nil {
		return Draft{}, err
	}
	if err := json.Unmarshal([]byte(body), &d.Input); err != nil {
		return Draft{}, err
	}
	d.Attachments, err = attachments(ctx, q, "a.draft_id = ?", d.ID)
	return d, err
}

func attachments(ctx context.Context, q store.Queryer, cond string, arg int64) ([]Attachment, error) {
	rows, err := q.QueryContext(ctx, "SELECT a.id, a.filename, a.content_type, a.size FROM attachments a JOIN application_drafts d ON d.id = a.draft_id WHERE "+cond+" ORDER BY a.id", arg)
	return store.Collect(rows, err, func(s store.Scanner) (x Attachment, err error) {
		err = s.Scan(&x.ID, &x.Filename, &x.ContentType, &x.Size)
		return x, err
	})
}

// SaveDraft stores the resident's draft. Nothing is checked but length:
// a draft may be half done.
func SaveDraft(ctx context.Context, q store.Queryer, a access.Actor, in DraftInput) (Draft, error) {
	if err := ownOnly(a); err != nil {
		return Draft{}, err
	}
	var problems []invalid.Message
	tooLong(&problems, invalid.F("situasjonen"), in.Situation, 4000)
	tooLong(&problems, invalid.F("ønskene"), in.Wishes, 4000)
	if in.HasGroup(string(GroupHousingFirst)) { // staff state it, not the applicant (ApplicantGroups)
		problems = append(problems, invalid.F("om du er med i Housing First, avgjør saksbehandleren sammen med deg: det fylles ikke ut i søknaden"))
	}
	if len(problems) > 0 {
		return Draft{}, &ValidationError{Problems: problems}
	}
	d, err := MyDraft(ctx, q, a)
	if err != nil {
		return Draft{}, err
	}
	body, _ := json.Marshal(in)
	now := store.TimeArg(time.Now())
	if d.ID == 0 {
		d.ID, err = store.InsertID(ctx, q, "INSERT INTO application_drafts (municipality_id, person_id, body, updated_at) VALUES (?, ?, ?, ?)",
			a.MunicipalityID, a.PersonID, string(body), now)
	} else {
		_, err = q.ExecContext(ctx, "UPDATE application_drafts SET body = ?, updated_at = ? WHERE id = ?", string(body), now, d.ID)
	}
	if err != nil {
		return Draft{}, err
	}
	return MyDraft(ctx, q, a)
}

// Attach adds a document to the resident's draft: PDF, PNG or JPEG, at
// most 5 MB, at most ten.
func Attach(ctx context.Context, q store.Queryer, a access.Actor, filename string, data []byte) (Attachment, error) {
	if err := ownOnly(a); err != nil {
		return Attachment{}, err
	}
	d, err := MyDraft(ctx, q, a)
	if err != nil {
		return Attachment{}, err
	}
	if d.ID == 0 {
		if d, err = SaveDraft(ctx, q, a, d.Input); err != nil {
			return Attachment{}, err
		}
	}
	filename = strings.TrimSpace(filepath.Base(strings.ReplaceAll(filename, "\\", "/")))
	kind := http.DetectContentType(data)
	var problems []invalid.Message
	switch {
	case len(data) == 0:
		problems = append(problems, invalid.F("velg en fil å legge ved"))
	case len(data) > MaxAttachmentSize:
		problems = append(problems, invalid.F("filen er større enn 5 MB: ta et bilde med lavere oppløsning, eller del dokumentet opp"))
	case attachmentTypes[kind] == "":
		problems = append(problems, invalid.F("bare PDF, PNG og JPEG kan legges ved"))
	}
	if len(d.Attachments) >= maxAttachments {
		problems = append(problems, invalid.F("du kan legge ved høyst %d dokumenter", maxAttachments))
	}
	if filename == "" || filename == "." || len(filename) > 200 {
		filename = "dokument"
	}
	if len(problems) > 0 {
		return Attachment{}, &ValidationError{Problems: problems}
	}
	x := Attachment{Filename: storedName(filename, kind), ContentType: kind, Size: len(data)}
	x.ID, err = store.InsertID(ctx, q, `INSERT INTO attachments (municipality_id, draft_id, filename, content_type, size, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.MunicipalityID, d.ID, x.Filename, x.ContentType, x.Size, base64.StdEncoding.EncodeToString(data), store.TimeArg(time.Now()))
	return x, err
}

// RemoveAttachment removes a document from the resident's unsent draft.
func RemoveAttachment(ctx context.Context, q store.Queryer, a access.Actor, id int64) error {
	if err := ownOnly(a); err != nil {
		return err
	}
	res, err := q.ExecContext(ctx, `DELETE FROM attachments WHERE municipality_id = ? AND id = ? AND draft_id IN
		(SELECT id FROM application_drafts WHERE person_id = ? AND application_id IS NULL)`, a.MunicipalityID, id, a.PersonID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// SubmitDraft sends the resident's draft: it becomes an application with
// its eligibility and deadline, and a first contact through the person
// themself.
func SubmitDraft(ctx context.Context, q store.Queryer, a access.Actor, today deadline.Date) (Application, error) {
	d, err := MyDraft(ctx, q, a)
	if err != nil {
		return Application{}, err
	}
	if d.ID == 0 {
		return Application{}, invalid.Problem("du har ingen søknad å sende: fyll ut skjemaet og lagre det først")
	}
	var problems []invalid.Message
	if ResidenceLabel(d.Input.Residence) == string(d.Input.Residence) {
		problems = append(problems, invalid.F("fortell hvor du bor nå"))
	}
	if strings.TrimSpace(d.Input.Situation) == "" {
		problems = append(problems, invalid.F("fortell kort om situasjonen din og hva du trenger hjelp til"))
	}
	if len(problems) > 0 {
		return Application{}, &ValidationError{Problems: problems}
	}
	in := d.Input.ApplicationInput
	in.Received = deadline.Date{}
	app, err := apply(ctx, q, a, a.PersonID, in, today)
	if err != nil {
		return Application{}, err
	}
	summary := strings.TrimSpace(d.Input.Situation)
	if w := strings.TrimSpace(d.Input.Wishes); w != "" {
		summary += "\n\nØnsker: " + w
	}
	if _, err := registerContact(ctx, q, a, a.PersonID, ContactInput{Channel: FromSelf, Residence: d.Input.Residence, Summary: summary}, today); err != nil {
		return Application{}, err
	}
	if _, err := q.ExecContext(ctx, "UPDATE application_drafts SET application_id = ?, updated_at = ? WHERE id = ?", app.ID, store.TimeArg(time.Now()), d.ID); err != nil {
		return Application{}, err
	}
	var office int64
	err = q.QueryRowContext(ctx, `SELECT o.id FROM org_units o WHERE o.municipality_id = ? AND o.kind = 'boligkontor'
		AND NOT EXISTS (SELECT 1 FROM case_units c WHERE c.org_unit_id = o.id AND c.person_id = ? AND c.ended_at IS NULL) ORDER BY o.id LIMIT 1`,
		a.MunicipalityID, a.PersonID).Scan(&office)
	if err == nil {
		_, err = access.AddCaseUnit(ctx, q, a, access.CaseUnit{PersonID: a.PersonID, OrgUnitID: office, Responsibility: "Behandler digital søknad"})
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Application{}, err
	}
	return app, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "send søknad", Entity: "søknad", EntityID: app.ID,
		After: map[string]any{"draft": d.ID, "attachments": len(d.Attachments)}})
}

// attachment reads a document with the draft's person and application.
func attachment(ctx context.Context, q store.Queryer, municipalityID, id int64) (x Attachment, data []byte, personID, applicationID int64, err error) {
	var encoded string
	var app sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT a.id, a.filename, a.content_type, a.size, a.data, d.person_id, d.application_id FROM attachments a
		JOIN application_drafts d ON d.id = a.draft_id WHERE a.municipality_id = ? AND a.id = ?`, municipalityID, id).
		Scan(&x.ID, &x.Filename, &x.ContentType, &x.Size, &encoded, &personID, &app)
	if errors.Is(err, sql.ErrNoRows) {
		return x, nil, 0, 0, ErrNotFound
	}
	if err != nil {
		return x, nil, 0, 0, err
	}
	data, err = base64.StdEncoding.DecodeString(encoded)
	return x, data, personID, app.Int64, err
}

// MyAttachment gives the resident a document they attached.
func MyAttachment(ctx context.Context, q store.Queryer, a access.Actor, id int64) (Attachment, []byte, error) {
	if err := ownOnly(a); err != nil {
		return Attachment{}, nil, err
	}
	x, data, personID, _, err := attachment(ctx, q, a.MunicipalityID, id)
	if err == nil && personID != a.PersonID {
		err = ErrNotFound
	}
	return x, data, err
}

// CaseAttachment gives staff who may see a case a document sent with it;
// the read is logged.
func CaseAttachment(ctx context.Context, q store.Queryer, a access.Actor, applicationID, id int64, channel string) (Attachment, []byte, error) {
	rd := access.NewReader(q, a, channel)
	ref, err := openCase(ctx, q, a, applicationID, false)
	if err != nil {
		return Attachment{}, nil, err
	}
	if _, err := rd.Authorize(ctx, ref.PersonID); err != nil {
		return Attachment{}, nil, err
	}
	x, data, _, sentWith, err := attachment(ctx, q, a.MunicipalityID, id)
	if err == nil && sentWith != ref.ID {
		err = ErrNotFound // not a document of this case
	}
	if err != nil {
		return Attachment{}, nil, err
	}
	// The document is sent as it is: its bytes count as the housing need
	// the case is about.
	if err := rd.Plain(ref.PersonID, access.HousingNeeds); err != nil {
		return Attachment{}, nil, err
	}
	return x, data, rd.Send(ctx, &x)
}

// CaseAttachments lists the documents sent with an application.
func CaseAttachments(ctx context.Context, q store.Queryer, applicationID int64) ([]Attachment, error) {
	return attachments(ctx, q, "d.application_id = ?", applicationID)
}

// caseAttachmentsOf lists the attachments of many cases in one query.
func caseAttachmentsOf(ctx context.Context, q store.Queryer, ids []int64) (map[int64][]Attachment, error) {
	in, args := store.In(ids)
	rows, err := q.QueryContext(ctx, "SELECT d.application_id, a.id, a.filename, a.content_type, a.size FROM attachments a JOIN application_drafts d ON d.id = a.draft_id WHERE d.application_id IN "+in+" ORDER BY a.id", args...)
	return store.CollectBy(rows, err, func(s store.Scanner) (x Attachment, err error) {
		err = s.Scan(&x.ID, &x.Filename, &x.ContentType, &x.Size)
		return x, err
	})
}

// MyCase is one of the resident's sent applications as they see it: where
// it stands, what the case worker still needs from them, and the letters
// sent to them.
type MyCase struct {
	Application Application `json:"application"`
	Requests    []Request   `json:"open_requests"`
	Letters     []string    `json:"letters"`
}

// MyCases lists the resident's sent applications, newest first.
func MyCases(ctx context.Context, q store.Queryer, a access.Actor, today deadline.Date) ([]MyCase, error) {
	if err := ownOnly(a); err != nil {
		return nil, err
	}
	cases, err := PersonCases(ctx, q, a, a.PersonID, today, access.ChannelPage)
	if err != nil {
		return nil, err
	}
	out := make([]MyCase, 0, len(cases))
	for _, c := range cases {
		m := MyCase{Application: c.Application, Requests: []Request{}, Letters: []string{}}
		for _, r := range c.Requests {
			if r.ReceivedOn.IsZero() {
				m.Requests = append(m.Requests, r)
			}
		}
		for _, l := range c.Letters { // only what has been sent, newest first, each kind once
			if !slices.Contains(m.Letters, l.Kind) {
				m.Letters = append(m.Letters, l.Kind)
			}
		}
		out = append(out, m)
	}
	return out, nil
}
