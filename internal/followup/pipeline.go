package followup

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Phase is a step of the Housing First pipeline (seed 002): referral,
// mapping, participant agreement (deltakeravtale), housed, follow-up.
type Phase string

const (
	Referred  Phase = "henvist"
	Mapped    Phase = "kartlagt"
	Agreement Phase = "deltakeravtale"
	Housed    Phase = "i_bolig"
	Following Phase = "oppfolging"
)

// Phases lists the phases in order.
var Phases = []Phase{Referred, Mapped, Agreement, Housed, Following}

// Entry is one participant's way through the pipeline.
type Entry struct {
	ID          int64         `json:"id"`
	PersonID    int64         `json:"person_id"`
	TeamID      int64         `json:"team_id"`
	ReferredOn  deadline.Date `json:"referred_on"`
	ReferredBy  string        `json:"referred_by"`
	MappedOn    deadline.Date `json:"mapped_on,omitzero"`
	AgreementOn deadline.Date `json:"agreement_on,omitzero"`
	HousedOn    deadline.Date `json:"housed_on,omitzero"`
	FollowUpOn  deadline.Date `json:"followup_on,omitzero"`
	// HomeChoice is the participant's own choice of where to live.
	HomeChoice string `json:"home_choice,omitempty"`
	Phase      Phase  `json:"phase"`
}

// dates gives the entry's phase days in order.
func (e Entry) dates() []deadline.Date {
	return []deadline.Date{e.ReferredOn, e.MappedOn, e.AgreementOn, e.HousedOn, e.FollowUpOn}
}

// PhaseOf is the last phase the entry has reached.
func (e Entry) PhaseOf() Phase {
	p := Referred
	for i, d := range e.dates() {
		if !d.IsZero() {
			p = Phases[i]
		}
	}
	return p
}

// Next is the phase the entry can move to, the one after its own (a step
// is taken one phase at a time, CheckAdvance); empty in the last.
func (e Entry) Next() Phase {
	i := slices.Index(Phases, e.PhaseOf())
	if i+1 < len(Phases) {
		return Phases[i+1]
	}
	return ""
}

// PhaseStat is one phase's count and how long participants spend in it.
type PhaseStat struct {
	Phase Phase `json:"phase"`
	// Now is how many are in the phase today.
	Now int `json:"now"`
	// Passed is how many have left it for the next; MedianDays and
	// MeanDays are the days they spent in it. Waiting is the days the
	// longest waiting participant has been in it so far.
	Passed     int     `json:"passed"`
	MedianDays float64 `json:"median_days"`
	MeanDays   float64 `json:"mean_days"`
	Waiting    int     `json:"longest_waiting_days"`
}

// Summarize counts participants per phase and the days spent in each
// before the next; the days from agreement to housed are what the
// fidelity scale asks about.
func Summarize(entries []Entry, today deadline.Date) []PhaseStat {
	out := make([]PhaseStat, len(Phases))
	spans := make([][]int, len(Phases))
	for i, p := range Phases {
		out[i].Phase = p
	}
	for _, e := range entries {
		ds := e.dates()
		for i := range Phases {
			if ds[i].IsZero() {
				break
			}
			if i+1 < len(Phases) && !ds[i+1].IsZero() {
				spans[i] = append(spans[i], ds[i].DaysUntil(ds[i+1]))
				continue
			}
			out[i].Now++
			if w := ds[i].DaysUntil(today); w > out[i].Waiting && i+1 < len(Phases) {
				out[i].Waiting = w
			}
			break
		}
	}
	for i, s := range spans {
		out[i].Passed = len(s)
		if len(s) == 0 {
			continue
		}
		sort.Ints(s)
		sum := 0
		for _, d := range s {
			sum += d
		}
		out[i].MeanDays = float64(sum) / float64(len(s))
		if len(s)%2 == 1 {
			out[i].MedianDays = float64(s[len(s)/2])
		} else {
			out[i].MedianDays = float64(s[len(s)/2-1]+s[len(s)/2]) / 2
		}
	}
	return out
}

// AdvanceInput moves a participant to the next phase.
type AdvanceInput struct {
	Phase      Phase         `json:"phase"`
	On         deadline.Date `json:"on,omitzero"`
	HomeChoice string        `json:"home_choice"`
}

// CheckAdvance checks a step: only to the next phase, not in the future,
// not before the last; housed needs the participant's own choice of home.
func CheckAdvance(e Entry, in AdvanceInput, today deadline.Date) []invalid.Message {
	var p []invalid.Message
	cur := 0
	for i, ph := range Phases {
		if ph == e.PhaseOf() {
			cur = i
		}
	}
	next := -1
	for i, ph := range Phases {
		if ph == in.Phase {
			next = i
		}
	}
	switch {
	case next <= 0:
		p = append(p, invalid.F("velg neste fase (kartlagt, deltakeravtale, i bolig eller oppfølging)"))
	case next != cur+1:
		p = append(p, invalid.F("deltakeren er i fasen %s; neste fase må tas først", string(e.PhaseOf())))
	}
	if today.Before(in.On) {
		p = append(p, invalid.F("datoen kan ikke være fram i tid"))
	}
	if last := e.dates()[cur]; in.On.Before(last) {
		p = append(p, invalid.F("datoen kan ikke være før forrige fase (%s)", last))
	}
	if in.Phase == Housed && strings.TrimSpace(in.HomeChoice) == "" {
		p = append(p, invalid.F("skriv deltakerens eget valg av hvor hen vil bo (Housing First: brukeren velger)"))
	}
	if len([]rune(in.HomeChoice)) > 500 {
		p = append(p, invalid.F("valget av bolig kan ha høyst 500 tegn"))
	}
	return p
}

// Refer takes a person into a Housing First team's pipeline.
func Refer(ctx context.Context, q store.Queryer, a access.Actor, teamID, personID int64, referredBy string, on, today deadline.Date) (int64, error) {
	if !staffRole(a) {
		return 0, access.ErrForbidden
	}
	t, err := teamRow(ctx, q, a.MunicipalityID, teamID)
	if err != nil {
		return 0, err
	}
	if on.IsZero() {
		on = today
	}
	var p []invalid.Message
	if t.Model != HousingFirst {
		p = append(p, invalid.F("%s er ikke et Housing First-team", t.Name))
	}
	if strings.TrimSpace(referredBy) == "" || len([]rune(referredBy)) > 200 {
		p = append(p, invalid.F("skriv hvem som henviste (for eksempel NAV, kriminalomsorgen eller DPS)"))
	}
	if today.Before(on) {
		p = append(p, invalid.F("datoen kan ikke være fram i tid"))
	}
	if err := bad(p); err != nil {
		return 0, err
	}
	// Whoever refers must know the person; the team's unit gets a role on
	// the case so the team can map with the person.
	if !a.Writes() || a.Role == access.Property {
		return 0, access.ErrForbidden
	}
	if _, err := access.Authorize(ctx, q, a, personID); err != nil {
		return 0, err
	}
	if err := ensureRole(ctx, q, a, personID, t, "Housing First: henvist til "+t.Name); err != nil {
		return 0, err
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM hf_pipeline WHERE team_id = ? AND person_id = ?", teamID, personID).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, invalid.Problem("personen er allerede henvist til %s", t.Name)
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO hf_pipeline (municipality_id, person_id, team_id, referred_on, referred_by, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, personID, teamID, on, strings.TrimSpace(referredBy), a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "henvis", Entity: "Housing First", EntityID: id,
		After: map[string]any{"team_id": teamID, "on": on}})
}

func loadEntry(ctx context.Context, q store.Queryer, municipalityID, id int64) (Entry, error) {
	e, err := scanEntry(q.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM hf_pipeline WHERE id = ? AND municipality_id = ?`, id, municipalityID))
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	return e, err
}

const entryColumns = `id, person_id, team_id, referred_on, referred_by, mapped_on, agreement_on, housed_on, followup_on, home_choice`

func scanEntry(s store.Scanner) (e Entry, err error) {
	err = s.Scan(&e.ID, &e.PersonID, &e.TeamID, &e.ReferredOn, &e.ReferredBy, &e.MappedOn, &e.AgreementOn, &e.HousedOn, &e.FollowUpOn, &e.HomeChoice)
	e.Phase = e.PhaseOf()
	return e, err
}

// Advance moves a participant to the next phase. The participant
// agreement must be a condition in the person's combined decision in
// force; follow-up must have started with the team.
func Advance(ctx context.Context, q store.Queryer, a access.Actor, id int64, in AdvanceInput, today deadline.Date) error {
	e, err := loadEntry(ctx, q, a.MunicipalityID, id)
	if err != nil {
		return err
	}
	if _, err := mayWrite(ctx, q, a, e.PersonID); err != nil {
		return err
	}
	if in.On.IsZero() {
		in.On = today
	}
	p := CheckAdvance(e, in, today)
	switch in.Phase {
	case Agreement:
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM decisions d WHERE d.person_id = ? AND d.municipality_id = ? AND d.participant_agreement AND d.outcome = 'innvilget'
			AND d.version = (SELECT MAX(v.version) FROM decisions v WHERE v.application_id = d.application_id)`, e.PersonID, a.MunicipalityID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			p = append(p, invalid.F("personen har ikke et vedtak med deltakeravtalen som vilkår; fatt vedtaket først"))
		}
	case Following:
		var n int
		if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM followups WHERE person_id = ? AND team_id = ? AND status <> 'avsluttet'", e.PersonID, e.TeamID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			p = append(p, invalid.F("start oppfølgingen med teamet først"))
		}
	}
	if err := bad(p); err != nil {
		return err
	}
	col := map[Phase]string{Mapped: "mapped_on", Agreement: "agreement_on", Housed: "housed_on", Following: "followup_on"}[in.Phase]
	if _, err := q.ExecContext(ctx, "UPDATE hf_pipeline SET "+col+" = ?, home_choice = CASE WHEN ? <> '' THEN ? ELSE home_choice END WHERE id = ? AND municipality_id = ?",
		in.On, strings.TrimSpace(in.HomeChoice), strings.TrimSpace(in.HomeChoice), e.ID, a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "fase", Entity: "Housing First", EntityID: e.ID,
		Before: map[string]any{"phase": e.PhaseOf()}, After: map[string]any{"phase": in.Phase, "on": in.On}})
}

// PipelineRow is one participant as the pipeline page lists them.
type PipelineRow struct {
	Entry
	PersonName string `json:"person_name"`
}

// Pipeline is a Housing First team's pipeline: the counts and durations
// per phase over everyone, and the participants the reader may see.
type Pipeline struct {
	TeamID int64                          `json:"team_id"`
	Stats  []PhaseStat                    `json:"phases"`
	Rows   []access.Personal[PipelineRow] `json:"participants"`
}

// ReadPipeline reads a team's pipeline in a fixed number of statements.
func ReadPipeline(ctx context.Context, rd *access.Reader, teamID int64, today deadline.Date) (Pipeline, error) {
	a := rd.Actor()
	if !readsTeams(a) && a.Role != access.Planner {
		return Pipeline{}, access.ErrForbidden
	}
	if _, err := teamRow(ctx, rd.Q(), a.MunicipalityID, teamID); err != nil {
		return Pipeline{}, err
	}
	rows, err := rd.Q().QueryContext(ctx, `SELECT h.id, h.person_id, h.team_id, h.referred_on, h.referred_by, h.mapped_on, h.agreement_on, h.housed_on, h.followup_on,
		h.home_choice, p.first_name || ' ' || p.last_name FROM hf_pipeline h JOIN persons p ON p.id = h.person_id
		WHERE h.team_id = ? AND h.municipality_id = ? ORDER BY h.referred_on, h.id`, teamID, a.MunicipalityID)
	list, err := store.Collect(rows, err, func(s store.Scanner) (r PipelineRow, err error) {
		r.Entry, err = scanEntry(withName{s, &r.PersonName})
		return r, err
	})
	if err != nil {
		return Pipeline{}, err
	}
	out := Pipeline{TeamID: teamID, Rows: []access.Personal[PipelineRow]{}}
	entries := make([]Entry, len(list))
	ids := make([]int64, len(list))
	for i, r := range list {
		entries[i], ids[i] = r.Entry, r.PersonID
	}
	// Aggregates are for everyone who reads the team; names only for
	// those who may see the person.
	out.Stats = Summarize(entries, today)
	if a.Role == access.Planner {
		return out, nil
	}
	if err := rd.AuthorizeAll(ctx, ids); err != nil {
		return Pipeline{}, err
	}
	for _, r := range list {
		out.Rows = append(out.Rows, access.Tag(r.PersonID, r, access.Basic, access.FollowUpPlan, access.HousingNeeds))
	}
	return out, rd.Send(ctx, &out)
}
