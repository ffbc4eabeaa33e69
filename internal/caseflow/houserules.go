package caseflow

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
	"husly/internal/store"
)

// House rules made with the residents (seeds 000 and 002: residents ask
// for a say in their agreements and house rules). Each building's rules
// are versioned: a draft is open to the residents' comments on Min side,
// staff put it in force, and it replaces the version before. A lease
// names the version in force when it was signed.

// HouseRules is one version of a building's house rules.
type HouseRules struct {
	ID         int64         `json:"id"`
	BuildingID int64         `json:"building_id"`
	Building   string        `json:"building"`
	Version    int           `json:"version"`
	Status     string        `json:"status"` // utkast, gjeldende, erstattet
	Body       string        `json:"body"`
	WrittenBy  string        `json:"written_by"`
	InForceOn  deadline.Date `json:"in_force_on,omitzero"`
	Comments   []Comment     `json:"comments"`
}

// Comment is a resident's comment on a draft. Staff see the text and the
// day, not who wrote it: the rules are the building's, and a comment is
// weighed by what it says.
type Comment struct {
	ID   int64     `json:"id"`
	Body string    `json:"body"`
	At   time.Time `json:"created_at"`
	Mine bool      `json:"mine,omitempty"` // on Min side: the resident's own
}

func staffOnly(a access.Actor) error {
	if a.Role == access.Resident {
		return access.ErrForbidden
	}
	return nil
}

func buildingName(ctx context.Context, q store.Queryer, municipalityID, buildingID int64) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, "SELECT name FROM buildings WHERE municipality_id = ? AND id = ?", municipalityID, buildingID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return name, err
}

// BuildingHouseRules lists a building's versions, newest first, with the
// comments on each (text and day only). Staff only.
func BuildingHouseRules(ctx context.Context, q store.Queryer, a access.Actor, buildingID int64) (string, []HouseRules, error) {
	if err := staffOnly(a); err != nil {
		return "", nil, err
	}
	name, err := buildingName(ctx, q, a.MunicipalityID, buildingID)
	if err != nil {
		return "", nil, err
	}
	rs, err := houseRules(ctx, q, a.MunicipalityID, "r.building_id = ?", buildingID)
	if err != nil {
		return "", nil, err
	}
	return name, rs, attachComments(ctx, q, a.MunicipalityID, rs, 0)
}

func houseRules(ctx context.Context, q store.Queryer, municipalityID int64, where string, args ...any) ([]HouseRules, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.building_id, b.name, r.version, r.status, r.body, r.written_by, r.in_force_on
		FROM house_rules r JOIN buildings b ON b.id = r.building_id WHERE r.municipality_id = ? AND `+where+` ORDER BY b.name, r.version DESC`,
		append([]any{municipalityID}, args...)...)
	return store.Collect(rows, err, func(s store.Scanner) (r HouseRules, err error) {
		err = s.Scan(&r.ID, &r.BuildingID, &r.Building, &r.Version, &r.Status, &r.Body, &r.WrittenBy, &r.InForceOn)
		r.Comments = []Comment{}
		return r, err
	})
}

// attachComments fills each version's comments in one query; mine marks
// the resident's own.
func attachComments(ctx context.Context, q store.Queryer, municipalityID int64, rs []HouseRules, mine int64) error {
	if len(rs) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]any, 0, len(rs)+1)
	ids = append(ids, municipalityID)
	for i, r := range rs {
		at[r.ID] = i
		ids = append(ids, r.ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT house_rules_id, id, body, created_at, person_id FROM house_rule_comments
		WHERE municipality_id = ? AND house_rules_id IN (?`+strings.Repeat(", ?", len(rs)-1)+`) ORDER BY id`, ids...)
	type row struct {
		rules, person int64
		c             Comment
	}
	cs, err := store.Collect(rows, err, func(s store.Scanner) (r row, err error) {
		err = s.Scan(&r.rules, &r.c.ID, &r.c.Body, store.ScanTime(&r.c.At), &r.person)
		return r, err
	})
	for _, c := range cs {
		c.c.Mine = mine != 0 && c.person == mine
		rs[at[c.rules]].Comments = append(rs[at[c.rules]].Comments, c.c)
	}
	return err
}

// SaveHouseRulesDraft writes the building's draft: a new version when no
// draft is open, else the open draft's new text (its comments stay).
func SaveHouseRulesDraft(ctx context.Context, q store.Queryer, a access.Actor, buildingID int64, body string) (HouseRules, error) {
	if err := staffOnly(a); err != nil || !a.Writes() {
		return HouseRules{}, access.ErrForbidden
	}
	var problems []invalid.Message
	required(&problems, invalid.F("husordensreglene"), body)
	tooLong(&problems, invalid.F("husordensreglene"), body, 20000)
	if len(problems) > 0 {
		return HouseRules{}, &ValidationError{Problems: problems}
	}
	if _, err := buildingName(ctx, q, a.MunicipalityID, buildingID); err != nil {
		return HouseRules{}, err
	}
	rs, err := houseRules(ctx, q, a.MunicipalityID, "r.building_id = ?", buildingID)
	if err != nil {
		return HouseRules{}, err
	}
	body = strings.TrimSpace(body)
	if len(rs) > 0 && rs[0].Status == "utkast" {
		if _, err := q.ExecContext(ctx, "UPDATE house_rules SET body = ?, written_by = ? WHERE id = ?", body, a.Name, rs[0].ID); err != nil {
			return HouseRules{}, err
		}
		return rs[0], audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre utkast", Entity: "husordensregler",
			EntityID: rs[0].ID, Before: rs[0].Body, After: body})
	}
	version := 1
	if len(rs) > 0 {
		version = rs[0].Version + 1
	}
	id, err := store.InsertID(ctx, q, `INSERT INTO house_rules (municipality_id, building_id, version, status, body, written_by, created_at)
		VALUES (?, ?, ?, 'utkast', ?, ?, ?)`, a.MunicipalityID, buildingID, version, body, a.Name, store.TimeArg(time.Now()))
	if err != nil {
		return HouseRules{}, err
	}
	r := HouseRules{ID: id, BuildingID: buildingID, Version: version, Status: "utkast", Body: body, WrittenBy: a.Name, Comments: []Comment{}}
	return r, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "utkast", Entity: "husordensregler", EntityID: id, After: r})
}

// PutHouseRulesInForce puts the building's draft in force from a day
// (today or later); the version in force before is replaced.
func PutHouseRulesInForce(ctx context.Context, q store.Queryer, a access.Actor, buildingID int64, on deadline.Date, today deadline.Date) (HouseRules, error) {
	if err := staffOnly(a); err != nil || !a.Writes() {
		return HouseRules{}, access.ErrForbidden
	}
	day := orDefault(on, today)
	if day.Before(today) {
		// Residents are bound from the day they can know the rules, not
		// back in time.
		return HouseRules{}, invalid.Problem("reglene kan ikke gjelde fra en dag som har vært; velg i dag eller senere")
	}
	rs, err := houseRules(ctx, q, a.MunicipalityID, "r.building_id = ?", buildingID)
	if err != nil {
		return HouseRules{}, err
	}
	if len(rs) == 0 || rs[0].Status != "utkast" {
		return HouseRules{}, invalid.Problem("bygget har ikke noe utkast til husordensregler å sette i kraft; skriv et utkast og la beboerne si sin mening først")
	}
	if _, err := q.ExecContext(ctx, "UPDATE house_rules SET status = 'erstattet' WHERE municipality_id = ? AND building_id = ? AND status = 'gjeldende'",
		a.MunicipalityID, buildingID); err != nil {
		return HouseRules{}, err
	}
	r := rs[0]
	r.Status, r.InForceOn = "gjeldende", day
	if _, err := q.ExecContext(ctx, "UPDATE house_rules SET status = 'gjeldende', in_force_on = ? WHERE id = ?", r.InForceOn, r.ID); err != nil {
		return HouseRules{}, err
	}
	return r, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "sett i kraft", Entity: "husordensregler", EntityID: r.ID, After: r})
}

// MyHouseRules gives the resident the rules in force and the open drafts
// of the buildings they rent in, with their own comments marked.
func MyHouseRules(ctx context.Context, q store.Queryer, a access.Actor) ([]HouseRules, error) {
	if err := ownOnly(a); err != nil {
		return nil, err
	}
	rs, err := houseRules(ctx, q, a.MunicipalityID, `r.status IN ('utkast', 'gjeldende') AND r.building_id IN (SELECT u.building_id FROM leases l
		JOIN lease_tenants t ON t.lease_id = l.id JOIN units u ON u.id = l.unit_id WHERE t.person_id = ? AND l.status = 'aktiv')`, a.PersonID)
	if err != nil {
		return nil, err
	}
	if err := attachComments(ctx, q, a.MunicipalityID, rs, a.PersonID); err != nil {
		return nil, err
	}
	for i := range rs {
		mine := rs[i].Comments[:0]
		for _, c := range rs[i].Comments {
			if c.Mine {
				mine = append(mine, c)
			}
		}
		rs[i].Comments = mine // a resident sees their own comments, not their neighbours'
	}
	return rs, nil
}

// CommentHouseRules stores a resident's comment on a draft of a building
// they rent in.
func CommentHouseRules(ctx context.Context, q store.Queryer, a access.Actor, rulesID int64, body string) (Comment, error) {
	if err := ownOnly(a); err != nil {
		return Comment{}, err
	}
	var problems []invalid.Message
	required(&problems, invalid.F("merknaden"), body)
	tooLong(&problems, invalid.F("merknaden"), body, 4000)
	if len(problems) > 0 {
		return Comment{}, &ValidationError{Problems: problems}
	}
	rs, err := MyHouseRules(ctx, q, a)
	if err != nil {
		return Comment{}, err
	}
	for _, r := range rs {
		if r.ID != rulesID {
			continue
		}
		if r.Status != "utkast" {
			return Comment{}, invalid.Problem("husordensreglene er allerede satt i kraft; merknader gis til et utkast")
		}
		c := Comment{Body: strings.TrimSpace(body), At: time.Now(), Mine: true}
		c.ID, err = store.InsertID(ctx, q, "INSERT INTO house_rule_comments (municipality_id, house_rules_id, person_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
			a.MunicipalityID, r.ID, a.PersonID, c.Body, store.TimeArg(c.At))
		if err != nil {
			return Comment{}, err
		}
		return c, audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "merknad", Entity: "husordensregler", EntityID: r.ID})
	}
	return Comment{}, invalid.Problem("du kan gi merknader til utkast til husordensregler for bygg du leier bolig i, og dette utkastet er ikke et av dem")
}

// houseRulesInForce is the version in force for a unit's building, if any.
func houseRulesInForce(ctx context.Context, q store.Queryer, municipalityID, unitID int64) (*HouseRules, error) {
	rs, err := houseRules(ctx, q, municipalityID, "r.status = 'gjeldende' AND r.building_id = (SELECT building_id FROM units WHERE id = ?)", unitID)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}
