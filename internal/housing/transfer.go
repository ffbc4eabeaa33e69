package housing

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/deadline"
	"husly/internal/invalid"
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

// errNotYesNo is a cell that is neither ja nor nei; the import names it.
var errNotYesNo = errors.New("not ja or nei")

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "nei", "n", "false", "0":
		return false, nil
	case "ja", "j", "true", "1":
		return true, nil
	}
	return false, errNotYesNo
}

func formatBool(b bool) string {
	if b {
		return "ja"
	}
	return "nei"
}

// unitFromRow reads one row into a unit, collecting every problem.
func unitFromRow(get func(string) string) (Unit, string, string, []invalid.Message) {
	var ps []invalid.Message
	u := Unit{Code: get("boligkode"), Address: get("adresse"), Category: Category(get("kategori")), PostalCode: get("postnummer"),
		District: get("bydel"), Control: Control(get("eierform")), IntendedUse: get("bruk"), Staffing: Staffing(get("bemanning")),
		RentIncludes: get("husleie_dekker"), Condition: Condition(get("tilstand")), Status: UnitStatus(get("status"))}
	num := func(col string, required bool) int {
		s := get(col)
		if s == "" {
			if required {
				ps = append(ps, invalid.F("%s mangler", col))
			}
			return 0
		}
		n, err := strconv.Atoi(strings.ReplaceAll(s, " ", ""))
		if err != nil {
			ps = append(ps, invalid.F("%s: %q er ikke et heltall", col, s))
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
		ps = append(ps, invalid.F("areal mangler"))
	} else if f, err := strconv.ParseFloat(s, 64); err != nil {
		ps = append(ps, invalid.F("areal: %q er ikke et tall", get("areal")))
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
			ps = append(ps, invalid.F("%s: %q er ikke ja eller nei", b.col, get(b.col)))
		}
		*b.v = v
	}
	if s := get("sist_vedlikeholdt"); s != "" {
		d, err := deadline.Parse(s)
		if err != nil {
			ps = append(ps, invalid.F("sist_vedlikeholdt: %q er ikke en dato (ÅÅÅÅ-MM-DD)", s))
		}
		u.LastMaintained = d
	}
	ps = append(ps, u.Validate()...)
	return u, get("bygg"), get("anlegg"), ps
}

// ImportUnits reads units from r in one transaction; any bad line rejects
// the whole file with one tabular.LineError per bad line. Buildings and
// sites named in the file are created when missing. Units are written a
// chunk at a time through the engine's bulk path (store.Batch), each with
// its own audit entry as when created one by one.
func ImportUnits(ctx context.Context, db *store.DB, a access.Actor, r io.Reader, format tabular.Format) (int, error) {
	if a.Role != access.Operator {
		return 0, access.ErrForbidden // imports are the operator's, from the command line
	}
	tr, err := tabular.NewReader(r, format, unitFileColumns[:6], unitFileColumns)
	if err != nil {
		return 0, err
	}
	defer tr.Close() //nolint:errcheck // reading: closing loses nothing
	imported := 0
	err = db.InConnTx(ctx, func(tx *store.Tx) error {
		im, err := newUnitImporter(ctx, tx, a)
		if err != nil {
			return err
		}
		bad, err := tr.Rows(func(rejected bool) ([]invalid.Message, error) {
			u, building, site, ps := unitFromRow(tr.Get)
			if first, dup := im.seen[u.Code]; dup && u.Code != "" {
				ps = append(ps, invalid.F("boligkoden står også på linje %d", first))
			}
			im.seen[u.Code] = tr.Line()
			if len(ps) > 0 {
				return ps, nil
			}
			if err := im.place(&u, building, site); err != nil {
				return nil, err
			}
			if rejected || len(im.late) > 0 {
				// The import is already rejected: keep finding bad lines, write nothing more.
				return im.registered(u.Code)
			}
			im.chunk = append(im.chunk, pendingUnit{tr.Line(), u})
			if len(im.chunk) == unitChunk {
				return nil, im.flush()
			}
			return nil, nil
		})
		if err != nil {
			return err
		}
		if len(bad) == 0 && len(im.late) == 0 {
			if err := im.flush(); err != nil {
				return err
			}
		}
		bad = append(bad, im.late...)
		sort.SliceStable(bad, func(i, j int) bool { return bad[i].Line < bad[j].Line })
		if len(bad) > 0 {
			return bad
		}
		imported = im.written
		return nil
	})
	if err != nil {
		return 0, err
	}
	db.Analyze(ctx, "units", "buildings", "sites")
	return imported, nil
}

// unitChunk is how many units one bulk write stores.
const unitChunk = 1000

// unitInsertColumns are unitInsert's columns, for bulk writes.
var unitInsertColumns = func() []string {
	list := unitInsert[strings.Index(unitInsert, "(")+1 : strings.Index(unitInsert, ")")]
	var cols []string
	for _, c := range strings.Split(list, ",") {
		cols = append(cols, strings.TrimSpace(c))
	}
	return cols
}()

type pendingUnit struct {
	line int
	u    Unit
}

type unitImporter struct {
	ctx              context.Context
	tx               *store.Tx
	actor            access.Actor
	seen             map[string]int   // code → line
	buildings, sites map[string]int64 // name → id
	chain            *audit.Recorder
	units            *store.Batch
	now              any
	chunk            []pendingUnit
	late             tabular.Errors // codes the database already had, found when a chunk was written
	written          int
}

func newUnitImporter(ctx context.Context, tx *store.Tx, a access.Actor) (*unitImporter, error) {
	chain, err := audit.Batch(ctx, tx, a.MunicipalityID)
	if err != nil {
		return nil, err
	}
	return &unitImporter{ctx: ctx, tx: tx, actor: a, seen: map[string]int{}, buildings: map[string]int64{}, sites: map[string]int64{},
		chain: chain, units: tx.Batch("units", append([]string{"id"}, unitInsertColumns...)...), now: store.TimeArg(time.Now())}, nil
}

// lookup finds a building or site by name, remembering it.
func (im *unitImporter) lookup(cache map[string]int64, table, name string) (int64, error) {
	if id, ok := cache[name]; ok {
		return id, nil
	}
	var id int64
	err := im.tx.QueryRowContext(im.ctx, "SELECT id FROM "+table+" WHERE municipality_id = ? AND name = ?", im.actor.MunicipalityID, name).Scan(&id)
	if err == nil {
		cache[name] = id
	}
	return id, err
}

// place puts u in its building, creating the building and its site when
// the municipality does not have them yet.
func (im *unitImporter) place(u *Unit, building, site string) error {
	if building == "" {
		return nil
	}
	mid := im.actor.MunicipalityID
	id, err := im.lookup(im.buildings, "buildings", building)
	if errors.Is(err, sql.ErrNoRows) {
		var siteID int64
		if site != "" {
			if siteID, err = im.lookup(im.sites, "sites", site); errors.Is(err, sql.ErrNoRows) {
				siteID, err = CreateSite(im.ctx, im.tx, mid, site, u.District, "", u.CoLocated, u.StaffBase, u.Staffing)
				im.sites[site] = siteID
			}
			if err != nil {
				return err
			}
		}
		id, err = CreateBuilding(im.ctx, im.tx, mid, siteID, building, u.Address, 1, u.Lift)
		im.buildings[building] = id
	}
	u.BuildingID = id
	return err
}

// registered reports a good row of a rejected import whose code the
// municipality already has.
func (im *unitImporter) registered(code string) ([]invalid.Message, error) {
	var n int
	if err := im.tx.QueryRowContext(im.ctx, "SELECT COUNT(*) FROM units WHERE municipality_id = ? AND code = ?", im.actor.MunicipalityID, code).Scan(&n); err != nil || n == 0 {
		return nil, err
	}
	return []invalid.Message{invalid.F("boligkoden %s finnes allerede", code)}, nil
}

// flush writes the waiting chunk in one bulk write, then an audit entry
// per unit. A code the municipality already has breaks the unique index:
// the savepoint takes the chunk back and its lines are named.
func (im *unitImporter) flush() error {
	if len(im.chunk) == 0 {
		return nil
	}
	chunk := im.chunk
	im.chunk = im.chunk[:0]
	ids, err := im.tx.NewIDs(im.ctx, "units", len(chunk))
	if err != nil {
		return err
	}
	rows := make([][]any, len(chunk))
	for i, pu := range chunk {
		rows[i] = append([]any{ids[i]}, unitArgs(im.actor.MunicipalityID, pu.u, im.now)...)
	}
	if _, err := im.tx.ExecContext(im.ctx, "SAVEPOINT units"); err != nil {
		return err
	}
	if err := im.units.Write(im.ctx, rows); store.IsUniqueViolation(err) {
		if _, err := im.tx.ExecContext(im.ctx, "ROLLBACK TO SAVEPOINT units"); err != nil {
			return err
		}
		for _, pu := range chunk {
			problems, err := im.registered(pu.u.Code)
			if err != nil {
				return err
			}
			if len(problems) > 0 {
				im.late = append(im.late, tabular.LineError{Line: pu.line, Problems: problems[:1]})
			}
		}
		if len(im.late) == 0 {
			return errors.New("importen stoppet på en boligkode som ble registrert samtidig: prøv igjen")
		}
		return nil
	} else if err != nil {
		return err
	}
	if _, err := im.tx.ExecContext(im.ctx, "RELEASE SAVEPOINT units"); err != nil {
		return err
	}
	for i, pu := range chunk {
		pu.u.ID = ids[i]
		if err := im.chain.Append(im.ctx, audit.Entry{MunicipalityID: im.actor.MunicipalityID, Actor: im.actor.Label(),
			Action: "opprett", Entity: "bolig", EntityID: ids[i], After: pu.u}); err != nil {
			return err
		}
	}
	im.written += len(chunk)
	return nil
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
		rec := []string{u.Code, u.Address, string(u.Category), strconv.Itoa(u.Rooms), strconv.FormatFloat(u.AreaM2, 'f', -1, 64),
			strconv.Itoa(u.RentMonthly), u.PostalCode, u.District, u.BuildingName, u.SiteName, string(u.Control), u.IntendedUse,
			formatBool(u.CoLocated), formatBool(u.StaffBase), string(u.Staffing), formatBool(u.LifetimeStandard), formatBool(u.Robust),
			strconv.Itoa(u.Floor), formatBool(u.Lift), formatBool(u.Wheelchair), u.RentIncludes, formatBool(u.NearTransport),
			formatBool(u.NearShops), formatBool(u.NearServices), formatBool(u.DrugSceneNearby), formatBool(u.OwnEntrance),
			formatBool(u.PetsAllowed), formatBool(u.SmokingAllowed), string(u.Condition), u.LastMaintained.String(), string(u.Status)}
		if err := tw.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return tw.Close()
}
