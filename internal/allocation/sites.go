package allocation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/invalid"
	"husly/internal/phrase"
	"husly/internal/store"
)

// Site rules: a site (anlegg) can set who it can take, and the round
// treats them as hard constraints.

// SiteRules are a site's own rules.
type SiteRules struct {
	MinAge     int    `json:"min_age,omitempty"`      // 0: no lower limit
	MaxAge     int    `json:"max_age,omitempty"`      // 0: no upper limit
	NoHighNeed bool   `json:"no_high_need,omitempty"` // no staffing for high follow-up needs
	Note       string `json:"note,omitempty"`
}

// siteMisses lists the site rules a need breaks, in bokmål and as
// phrases; a site without a name is "Stedet".
func siteMisses(r SiteRules, site string, n Need) ([]string, []phrase.Phrase) {
	var out []string
	var said []phrase.Phrase
	name := phrase.Text(site)
	if site == "" {
		site, name = "Stedet", phrase.Label("texts.pair.site")
	}
	if (r.MinAge > 0 && n.Age < r.MinAge) || (r.MaxAge > 0 && n.Age > r.MaxAge) {
		age := phrase.Number(float64(n.Age))
		switch {
		case r.MinAge > 0 && r.MaxAge > 0:
			out = append(out, fmt.Sprintf("%s tar imot søkere fra %d til %d år, søkeren er %d", site, r.MinAge, r.MaxAge, n.Age))
			said = append(said, phrase.New("texts.pair.site_ages", name, phrase.Number(float64(r.MinAge)), phrase.Number(float64(r.MaxAge)), age))
		case r.MinAge > 0:
			out = append(out, fmt.Sprintf("%s tar imot søkere fra %d år, søkeren er %d", site, r.MinAge, n.Age))
			said = append(said, phrase.New("texts.pair.site_min_age", name, phrase.Number(float64(r.MinAge)), age))
		default:
			out = append(out, fmt.Sprintf("%s tar imot søkere til og med %d år, søkeren er %d", site, r.MaxAge, n.Age))
			said = append(said, phrase.New("texts.pair.site_max_age", name, phrase.Number(float64(r.MaxAge)), age))
		}
	}
	if r.NoHighNeed && n.HighNeed {
		out = append(out, site+" har ikke bemanning for stort oppfølgingsbehov")
		said = append(said, phrase.New("texts.pair.site_high_need", name))
	}
	return out, said
}

// checkSiteRules names what is wrong with a site's rules.
func checkSiteRules(r SiteRules) []invalid.Message {
	var out []invalid.Message
	if r.MinAge < 0 || r.MinAge > 120 || r.MaxAge < 0 || r.MaxAge > 120 {
		out = append(out, invalid.F("aldersgrensene må være mellom 0 og 120 år"))
	}
	if r.MinAge > 0 && r.MaxAge > 0 && r.MaxAge < r.MinAge {
		out = append(out, invalid.F("øvre aldersgrense kan ikke være lavere enn nedre"))
	}
	if len([]rune(r.Note)) > 500 {
		out = append(out, invalid.F("merknaden kan ha høyst 500 tegn"))
	}
	return out
}

// SiteOfUnit finds the site a unit is on, or 0.
func SiteOfUnit(ctx context.Context, q store.Queryer, municipalityID, unitID int64) (int64, error) {
	var site sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT b.site_id FROM units u JOIN buildings b ON b.id = u.building_id WHERE u.municipality_id = ? AND u.id = ?`,
		municipalityID, unitID).Scan(&site)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return site.Int64, err
}

// SiteRulesOf gives a site's rules and name, for the unit page.
func SiteRulesOf(ctx context.Context, q store.Queryer, municipalityID, siteID int64) (SiteRules, string, error) {
	var raw, name string
	err := q.QueryRowContext(ctx, "SELECT rules, name FROM sites WHERE municipality_id = ? AND id = ?", municipalityID, siteID).Scan(&raw, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return SiteRules{}, "", ErrNotFound
	}
	if err != nil {
		return SiteRules{}, "", err
	}
	var r SiteRules
	return r, name, json.Unmarshal([]byte(raw), &r)
}

// SetSiteRules replaces a site's rules (administrators, unit leaders and
// property staff).
func SetSiteRules(ctx context.Context, q store.Queryer, a access.Actor, siteID int64, r SiteRules) error {
	if a.Role != access.Admin && a.Role != access.UnitLeader && a.Role != access.Property {
		return access.ErrForbidden
	}
	r.Note = strings.TrimSpace(r.Note)
	if ps := checkSiteRules(r); len(ps) > 0 {
		return &InputError{ps}
	}
	before, _, err := SiteRulesOf(ctx, q, a.MunicipalityID, siteID)
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(r)
	if _, err := q.ExecContext(ctx, "UPDATE sites SET rules = ? WHERE municipality_id = ? AND id = ?", string(raw), a.MunicipalityID, siteID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "regler for anlegg", EntityID: siteID, Before: before, After: r})
}

// siteRulesByBuilding gives each building's site rules and site name.
func siteRulesByBuilding(ctx context.Context, q store.Queryer, municipalityID int64) (map[int64]siteOf, error) {
	rows, err := q.QueryContext(ctx, `SELECT b.id, s.name, s.rules FROM buildings b JOIN sites s ON s.id = b.site_id
		WHERE b.municipality_id = ? AND s.rules <> '{}'`, municipalityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]siteOf{}
	for rows.Next() {
		var b int64
		var x siteOf
		var raw string
		if err := rows.Scan(&b, &x.Name, &raw); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(raw), &x.Rules); err != nil {
			return nil, err
		}
		out[b] = x
	}
	return out, rows.Err()
}

type siteOf struct {
	Name  string
	Rules SiteRules
}
