package housing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/store"
	"husly/internal/tabular"
)

// unitColumnsFile are the columns of the units file, in export order; the
// first six are required. Documented in docs/import-export.md.
var unitFileColumns = []string{"boligkode", "adresse", "kategori", "rom", "areal", "husleie",
	"postnummer", "bydel", "bygg", "anlegg", "eierform", "bruk", "samlokalisert", "personalbase", "bemanning",
	"livslopsstandard", "robust", "etasje", "heis", "rullestol", "husleie_dekker", "naer_kollektiv", "naer_butikk",
	"naer_tjenester", "rusmiljo_naer", "egen_inngang", "dyr_tillatt", "royking_tillatt", "tilstand",
	"sist_vedlikeholdt", "status"}

// UnitColumns lists the units file's columns, required ones first.
func UnitColumns() []string { return unitFileColumns }

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "nei", "n", "false", "0":
		return false, nil
	case "ja", "j", "true", "1":
		return true, nil
	}
	return false, fmt.Errorf("%q er ikke ja eller nei", s)
}

func formatBool(b bool) string {
	if b {
		return "ja"
	}
	return "nei"
}

// unitFromRow reads one row into a unit, collecting every problem.
func unitFromRow(get func(string) string) (Unit, string, string, []string) {
	var ps []string
	u := Unit{Code: get("boligkode"), Address: get("adresse"), Category: get("kategori"), PostalCode: get("postnummer"),
		District: get("bydel"), Control: get("eierform"), IntendedUse: get("bruk"), Staffing: get("bemanning"),
		RentIncludes: get("husleie_dekker"), Condition: get("tilstand"), Status: get("status")}
	num := func(col string, required bool) int {
		s := get(col)
		if s == "" {
			if required {
				ps = append(ps, col+" mangler")
			}
			return 0
		}
		n, err := strconv.Atoi(strings.ReplaceAll(s, " ", ""))
		if err != nil {
			ps = append(ps, fmt.Sprintf("%s: %q er ikke et heltall", col, s))
		}
		return n
	}
	u.Rooms = num("rom", true)
	u.RentMonthly = num("husleie", true)
	u.Floor = num("etasje", false)
	if get("etasje") == "" {
		u.Floor = 1
	}
	if s := strings.Replace(get("areal"), ",", ".", 1); s == "" {
		ps = append(ps, "areal mangler")
	} else if f, err := strconv.ParseFloat(s, 64); err != nil {
		ps = append(ps, fmt.Sprintf("areal: %q er ikke et tall", get("areal")))
	} else {
		u.AreaM2 = f
	}
	for _, b := range []struct {
		col string
		v   *bool
	}{{"samlokalisert", &u.CoLocated}, {"personalbase", &u.StaffBase}, {"livslopsstandard", &u.LifetimeStandard},
		{"robust", &u.Robust}, {"heis", &u.Lift}, {"rullestol", &u.Wheelchair}, {"naer_kollektiv", &u.NearTransport},
		{"naer_butikk", &u.NearShops}, {"naer_tjenester", &u.NearServices}, {"rusmiljo_naer", &u.DrugSceneNearby},
		{"egen_inngang", &u.OwnEntrance}, {"dyr_tillatt", &u.PetsAllowed}, {"royking_tillatt", &u.SmokingAllowed}} {
		v, err := parseBool(get(b.col))
		if err != nil {
			ps = append(ps, b.col+": "+err.Error())
		}
		*b.v = v
	}
	if s := get("sist_vedlikeholdt"); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			ps = append(ps, fmt.Sprintf("sist_vedlikeholdt: %q er ikke en dato (ÅÅÅÅ-MM-DD)", s))
		}
		u.LastMaintained = d
	}
	ps = append(ps, u.Validate()...)
	return u, get("bygg"), get("anlegg"), ps
}

// ImportUnits reads units from r in one transaction; any bad line rejects
// the whole file with one tabular.LineError per bad line. Buildings and
// sites named in the file are created when missing.
func ImportUnits(ctx context.Context, db *store.DB, a access.Actor, r io.Reader, format tabular.Format) (int, error) {
	municipalityID := a.MunicipalityID
	tr, err := tabular.NewReader(r, format, unitFileColumns[:6], unitFileColumns)
	if err != nil {
		return 0, err
	}
	defer tr.Close() //nolint:errcheck // reading: closing loses nothing
	imported := 0
	err = db.InTx(ctx, func(tx *store.Tx) error {
		seen := map[string]int{}
		buildings, sites := map[string]int64{}, map[string]int64{}
		lookup := func(cache map[string]int64, table, name string) (int64, error) {
			if id, ok := cache[name]; ok {
				return id, nil
			}
			var id int64
			err := tx.QueryRowContext(ctx, "SELECT id FROM "+table+" WHERE municipality_id = ? AND name = ?", municipalityID, name).Scan(&id)
			if err == nil {
				cache[name] = id
			}
			return id, err
		}
		insert, err := tx.Prepare(ctx, unitInsert+" ON CONFLICT (municipality_id, code) DO NOTHING RETURNING id")
		if err != nil {
			return err
		}
		defer insert.Close()
		now := store.TimeArg(time.Now())
		chain, err := audit.Batch(ctx, tx, municipalityID)
		if err != nil {
			return err
		}
		bad, err := tr.Rows(func(bool) ([]string, error) {
			u, building, site, ps := unitFromRow(tr.Get)
			if first, dup := seen[u.Code]; dup && u.Code != "" {
				ps = append(ps, fmt.Sprintf("boligkoden står også på linje %d", first))
			}
			seen[u.Code] = tr.Line()
			if len(ps) > 0 {
				return ps, nil
			}
			if building != "" {
				id, err := lookup(buildings, "buildings", building)
				if errors.Is(err, sql.ErrNoRows) {
					var siteID int64
					if site != "" {
						if siteID, err = lookup(sites, "sites", site); errors.Is(err, sql.ErrNoRows) {
							siteID, err = CreateSite(ctx, tx, municipalityID, site, u.District, "", u.CoLocated, u.StaffBase, u.Staffing)
							sites[site] = siteID
						}
						if err != nil {
							return nil, err
						}
					}
					id, err = CreateBuilding(ctx, tx, municipalityID, siteID, building, u.Address, 1, u.Lift)
					buildings[building] = id
				}
				if err != nil {
					return nil, err
				}
				u.BuildingID = id
			}
			var id int64
			err := insert.QueryRowContext(ctx, unitArgs(municipalityID, u, now)...).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return []string{fmt.Sprintf("boligkoden %s finnes allerede", u.Code)}, nil
			}
			if err != nil {
				return nil, err
			}
			u.ID = id
			if err := chain.Append(ctx, audit.Entry{MunicipalityID: municipalityID, Actor: a.Label(), Action: "opprett", Entity: "bolig", EntityID: id, After: u}); err != nil {
				return nil, err
			}
			imported++
			return nil, nil
		})
		if err != nil {
			return err
		}
		if len(bad) > 0 {
			return bad
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return imported, nil
}

// ExportUnits writes the municipality's whole stock, one unit per row, in
// the import's columns.
func ExportUnits(ctx context.Context, q store.Queryer, municipalityID int64, w io.Writer, format tabular.Format) error {
	tw, err := tabular.NewWriter(w, format, unitFileColumns)
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, "SELECT "+unitColumns+" WHERE u.municipality_id = ? ORDER BY u.code", municipalityID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return err
		}
		maintained := ""
		if !u.LastMaintained.IsZero() {
			maintained = u.LastMaintained.Format(time.DateOnly)
		}
		rec := []string{u.Code, u.Address, u.Category, strconv.Itoa(u.Rooms), strconv.FormatFloat(u.AreaM2, 'f', -1, 64),
			strconv.Itoa(u.RentMonthly), u.PostalCode, u.District, u.BuildingName, u.SiteName, u.Control, u.IntendedUse,
			formatBool(u.CoLocated), formatBool(u.StaffBase), u.Staffing, formatBool(u.LifetimeStandard), formatBool(u.Robust),
			strconv.Itoa(u.Floor), formatBool(u.Lift), formatBool(u.Wheelchair), u.RentIncludes, formatBool(u.NearTransport),
			formatBool(u.NearShops), formatBool(u.NearServices), formatBool(u.DrugSceneNearby), formatBool(u.OwnEntrance),
			formatBool(u.PetsAllowed), formatBool(u.SmokingAllowed), u.Condition, maintained, u.Status}
		if err := tw.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return tw.Close()
}
