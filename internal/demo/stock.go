package demo

import (
	"fmt"

	"husly/internal/access"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/i18n"
	"husly/internal/org"
)

// site is a co-located site of the demo stock.
type site struct {
	name, district          string
	category                housing.Category
	staffing                housing.Staffing
	units, buildings        int
	staffBase, robust, care bool
}

var sites = []site{
	{"Nordlandet omsorgssenter", "Nordlandet", housing.CategoryCare, housing.StaffingNight, 60, 3, true, false, true},
	{"Frei omsorgsboliger", "Frei", housing.CategoryCare, housing.StaffingDay, 50, 2, true, false, true},
	{"Kirkelandet omsorgsboliger", "Kirkelandet", housing.CategoryCare, housing.StaffingNight, 55, 2, true, false, true},
	{"Rensvik omsorgsboliger", "Rensvik", housing.CategoryCare, housing.StaffingDay, 40, 2, true, false, true},
	{"Innlandet bo- og servicesenter", "Innlandet", housing.CategoryCare, housing.StaffingNight, 45, 2, true, false, true},
	{"Gomalandet omsorgsboliger", "Gomalandet", housing.CategoryCare, housing.StaffingDay, 40, 2, false, false, true},
	{"Dalabrekka omsorgsboliger", "Dalabrekka", housing.CategoryCare, housing.StaffingDay, 40, 2, false, false, true},
	{"Løkkemyra småhus", "Nordlandet", housing.CategorySpecialised, housing.StaffingNight, 8, 8, true, true, false},
	{"Vågeveien bofellesskap", "Innlandet", housing.CategorySpecialised, housing.StaffingNight, 16, 1, true, true, false},
	{"Langveien bofellesskap", "Kirkelandet", housing.CategoryShared, housing.StaffingDay, 10, 1, true, false, false},
	{"Holmakeran bofellesskap", "Innlandet", housing.CategoryShared, housing.StaffingDay, 10, 1, true, false, false},
	{"Fosnagata bofellesskap", "Gomalandet", housing.CategoryShared, housing.StaffingNight, 10, 1, true, true, false},
	{"Atlanten rehabiliteringsboliger", "Nordlandet", housing.CategoryRehabilitation, housing.StaffingDay, 8, 1, true, false, false},
	{"Storvikveien treningsboliger", "Frei", housing.CategoryRehabilitation, housing.StaffingDay, 8, 1, true, false, false},
	{"Kaibakken akuttbolig", "Kirkelandet", housing.CategoryEmergency, housing.StaffingNight, 12, 1, true, true, false},
	{"Dalaveien midlertidige boliger", "Dalabrekka", housing.CategoryEmergency, housing.StaffingNone, 18, 2, false, true, false},
}

var categoryPrefix = map[housing.Category]string{housing.CategoryCare: "OMS", housing.CategoryOrdinary: "ORD", housing.CategorySpecialised: "SPE",
	housing.CategoryShared: "BOF", housing.CategoryRehabilitation: "REH", housing.CategoryHousingFirst: "HF", housing.CategoryEmergency: "AKU"}

func (g *generator) unit(category housing.Category, n int) housing.Unit {
	district := g.pick(districts)
	rooms := 1 + g.rng.IntN(2)
	if category == housing.CategoryOrdinary {
		rooms = 1 + g.rng.IntN(4)
	}
	area := float64(22+rooms*16+g.rng.IntN(12)) + float64(g.rng.IntN(10))/10
	return housing.Unit{
		Code: fmt.Sprintf("%s-%03d", categoryPrefix[category], n), District: district, PostalCode: postalCodes[district],
		Address: fmt.Sprintf("%s %d", g.pick(streets[district]), 1+g.rng.IntN(80)), Category: category,
		Control: housing.ControlCompany, Staffing: housing.StaffingNone, Rooms: rooms, AreaM2: area, RentMonthly: 4200 + rooms*1900 + g.rng.IntN(9)*100,
		RentIncludes: "Oppvarming og vann", Floor: 1 + g.rng.IntN(3), NearTransport: g.chance(0.7),
		NearShops: g.chance(0.6), NearServices: g.chance(0.5), DrugSceneNearby: district == "Kirkelandet" && g.chance(0.3),
		OwnEntrance: g.chance(0.4), PetsAllowed: g.chance(0.35), SmokingAllowed: g.chance(0.2),
		Condition: []housing.Condition{housing.ConditionGood, housing.ConditionGood, housing.ConditionGood, housing.ConditionFair, housing.ConditionFair,
			housing.ConditionPoor}[g.rng.IntN(6)],
		LastMaintained: deadline.Of(reference.AddDate(-g.rng.IntN(8), -g.rng.IntN(12), 0).Date()), Status: housing.Vacant,
	}
}

// stock builds sites, buildings and units and lets units to persons; it
// returns each tenant's unit category.
func (g *generator) stock(persons []person) (map[int64]housing.Category, error) {
	counter := map[string]int{}
	var lettable []housing.Unit
	add := func(u housing.Unit) error {
		id, err := housing.CreateUnit(g.ctx, g.tx, g.actor, u)
		if err != nil {
			return fmt.Errorf("%s: %w", u.Code, err)
		}
		u.ID = id
		g.res.Units++
		if u.Category != housing.CategoryCare {
			lettable = append(lettable, u)
		}
		return nil
	}
	for _, s := range sites {
		sid, err := housing.CreateSite(g.ctx, g.tx, g.mid, s.name, s.district, fmt.Sprintf("%s %d", g.pick(streets[s.district]), 2+g.rng.IntN(40)),
			true, s.staffBase, s.staffing)
		if err != nil {
			return nil, err
		}
		perBuilding := (s.units + s.buildings - 1) / s.buildings
		for b := 0; b < s.buildings; b++ {
			floors := 1
			if s.care {
				floors = 3
			}
			name := s.name
			if s.buildings > 1 {
				name = fmt.Sprintf("%s, hus %c", s.name, 'A'+b)
			}
			address := fmt.Sprintf("%s %d", g.pick(streets[s.district]), 1+b)
			bid, err := housing.CreateBuilding(g.ctx, g.tx, g.mid, sid, name, address, floors, s.care)
			if err != nil {
				return nil, err
			}
			for i := 0; i < perBuilding && counter[s.name] < s.units; i++ {
				counter[s.name]++
				counter[string(s.category)]++
				u := g.unit(s.category, counter[string(s.category)])
				u.BuildingID, u.Address, u.District, u.PostalCode = bid, address, s.district, postalCodes[s.district]
				u.CoLocated, u.StaffBase, u.Staffing, u.Robust = true, s.staffBase, s.staffing, s.robust
				u.Floor = 1 + i%floors
				u.Lift = s.care
				u.LifetimeStandard = s.care
				u.Wheelchair = s.care && g.chance(0.8)
				u.PetsAllowed = !s.care && g.chance(0.3)
				u.OwnEntrance = s.category == housing.CategorySpecialised && s.buildings > 1
				u.IntendedUse = i18n.Label("nb", "housing.category", string(s.category))
				if s.category == housing.CategoryEmergency {
					u.IntendedUse = "Midlertidig botilbud (sosialtjenesteloven § 27)"
					u.RentIncludes = "Strøm, oppvarming og møblering"
				}
				if s.care {
					// Care housing tenants are home-service users outside this demo's 470; the stock is mostly let.
					u.Status = []housing.UnitStatus{housing.Let, housing.Let, housing.Let, housing.Let, housing.Let, housing.Let, housing.Let, housing.Let, housing.Let, housing.Let, housing.Let, housing.Vacant, housing.Maintenance, housing.Reserved}[g.rng.IntN(14)]
				}
				if err := add(u); err != nil {
					return nil, err
				}
			}
		}
	}
	// Scattered ordinary and Housing First homes in small buildings.
	controls := []string{string(housing.ControlCompany), string(housing.ControlCompany), string(housing.ControlCompany), string(housing.ControlMunicipal),
		string(housing.ControlLeased), string(housing.ControlAllocationRights)}
	addresses := map[string]bool{}
	for counter[string(housing.CategoryOrdinary)] < 240 || counter[string(housing.CategoryHousingFirst)] < 30 {
		category := housing.CategoryOrdinary
		if counter[string(housing.CategoryHousingFirst)] < 30 && (counter[string(housing.CategoryOrdinary)] >= 240 || g.chance(0.12)) {
			category = housing.CategoryHousingFirst
		}
		n := 1
		if category == housing.CategoryOrdinary {
			n = 2 + g.rng.IntN(5)
		}
		district := g.pick(districts)
		address := fmt.Sprintf("%s %d", g.pick(streets[district]), 1+g.rng.IntN(90))
		if addresses[address] {
			continue // drawn before; draw again
		}
		addresses[address] = true
		var bid int64
		if n > 1 {
			var err error
			if bid, err = housing.CreateBuilding(g.ctx, g.tx, g.mid, 0, address, address, 1+n/3, n > 4 && g.chance(0.5)); err != nil {
				return nil, err
			}
		}
		control := g.pick(controls)
		for i := 0; i < n && counter[string(category)] < map[housing.Category]int{housing.CategoryOrdinary: 240, housing.CategoryHousingFirst: 30}[category]; i++ {
			counter[string(category)]++
			u := g.unit(category, counter[string(category)])
			u.BuildingID, u.Address, u.District, u.PostalCode, u.Control = bid, address, district, postalCodes[district], housing.Control(control)
			if category == housing.CategoryHousingFirst {
				u.Control = housing.ControlLeased
				u.IntendedUse = "Housing First: ordinær, spredt bolig"
			} else {
				u.IntendedUse = "Ordinær utleiebolig for vanskeligstilte"
			}
			if err := add(u); err != nil {
				return nil, err
			}
		}
	}
	return g.let(persons, lettable)
}

// let gives persons with leaseFor a fitting unit and a lease.
func (g *generator) let(persons []person, units []housing.Unit) (map[int64]housing.Category, error) {
	leased := map[int64]housing.Category{}
	wanted := []housing.Category{housing.CategoryOrdinary, housing.CategoryOrdinary, housing.CategoryOrdinary, housing.CategoryOrdinary, housing.CategoryOrdinary, housing.CategoryOrdinary, housing.CategoryHousingFirst, housing.CategoryShared,
		housing.CategorySpecialised, housing.CategoryRehabilitation, housing.CategoryEmergency}
	taken := make([]bool, len(units))
	find := func(category housing.Category, rooms int) int {
		for i, u := range units {
			if !taken[i] && u.Category == category && u.Rooms >= rooms {
				return i
			}
		}
		return -1
	}
	for _, p := range persons {
		if !p.leaseFor || p.size == 0 {
			continue
		}
		rooms := 1
		if p.size > 2 {
			rooms = p.size - 1
		}
		category := wanted[g.rng.IntN(len(wanted))]
		if p.size > 1 {
			category = housing.CategoryOrdinary
		}
		i := find(category, rooms)
		if i < 0 {
			if i = find(housing.CategoryOrdinary, rooms); i < 0 {
				continue // waits for a home
			}
		}
		taken[i] = true
		u := units[i]
		start := reference.AddDate(0, -1-g.rng.IntN(34), -g.rng.IntN(28))
		end := start.AddDate(3, 0, 0)
		if u.Category == housing.CategoryEmergency {
			start = reference.AddDate(0, 0, -3-g.rng.IntN(80))
			end = start.AddDate(0, 3, 0)
		}
		tenants := []housing.Tenant{{PersonID: p.id}}
		if p.partner != 0 {
			tenants = append(tenants, housing.Tenant{PersonID: p.partner})
		}
		if _, err := housing.CreateLease(g.ctx, g.tx, g.actor, housing.Lease{UnitID: u.ID, Start: deadline.Of(start.Date()), End: deadline.Of(end.Date()),
			RentMonthly: u.RentMonthly, Deposit: u.RentMonthly * g.rng.IntN(4), Tenants: tenants}); err != nil {
			return nil, fmt.Errorf("lease of %s: %w", u.Code, err)
		}
		for _, t := range tenants {
			leased[t.PersonID] = u.Category
		}
	}
	// Some empty homes are being repaired or held for a coming allocation.
	for i, u := range units {
		if taken[i] {
			continue
		}
		if s := []housing.UnitStatus{housing.Vacant, housing.Vacant, housing.Maintenance, housing.Reserved}[g.rng.IntN(4)]; s != housing.Vacant {
			if _, err := g.tx.ExecContext(g.ctx, "UPDATE units SET status = ? WHERE id = ?", s, u.ID); err != nil {
				return nil, err
			}
		}
	}
	return leased, nil
}

// logins creates one demo login per role.
func (g *generator) logins(units map[org.UnitKind]int64, persons []person) error {
	var resident int64
	for _, p := range persons {
		if p.leaseFor && p.size == 1 {
			resident = p.id
			break
		}
	}
	var residentName string
	if err := g.tx.QueryRowContext(g.ctx, "SELECT first_name || ' ' || last_name FROM persons WHERE id = ?", resident).Scan(&residentName); err != nil {
		return err
	}
	specs := []struct {
		role           access.Role
		username, name string
		unitKind       org.UnitKind
		title          string
		person         int64
	}{
		{access.CaseWorker, "demo-saksbehandler", "Siri Saksbehandler", org.KindHousingOffice, "Saksbehandler", 0},
		{access.Property, "demo-eiendom", "Erik Eiendom", org.KindProperty, "Boligforvalter", 0},
		{access.FollowUp, "demo-oppfolging", "Olav Oppfølger", org.KindHousingFirst, "Bo-oppfølger", 0},
		{access.UnitLeader, "demo-enhetsleder", "Eva Enhetsleder", org.KindHousingFirst, "Teamleder", 0},
		{access.Planner, "demo-planlegger", "Per Planlegger", org.KindManagement, "Rådgiver, plan og analyse", 0},
		{access.Admin, "demo-admin", "Ada Administrator", org.KindIT, "Systemansvarlig", 0},
		{access.Resident, "demo-beboer", residentName, "", "", resident},
		{access.Auditor, "demo-tilsyn", "Tone Tilsyn", "", "Tilsynsfører, Statsforvalteren i Møre og Romsdal", 0},
		// A NAV adviser, who gets the notices of the eviction ladder and of
		// arrears conversations (sosialtjenesteloven §§ 15 and 27).
		{access.CaseWorker, "demo-nav", "Nora Veileder", org.KindNAV, "Veileder", 0},
	}
	ids := map[access.Role]int64{}
	for _, s := range specs {
		if s.username == "demo-saksbehandler" { // made first, to own the cases
			ids[s.role] = g.actor.UserID
			g.res.Logins = append(g.res.Logins, Login{s.role, s.username, s.name})
			continue
		}
		id, err := org.CreateUser(g.ctx, g.tx, demoOperator(g.mid), org.User{MunicipalityID: g.mid, OrgUnitID: units[s.unitKind], PersonID: s.person,
			Username: s.username, FullName: s.name, Title: s.title, Role: s.role, PasswordHash: g.hash,
			Email: s.username + "@kristiansund.example"})
		if err != nil {
			return err
		}
		if _, ok := ids[s.role]; !ok { // the first login of a role is the one the demo acts as
			ids[s.role] = id
		}
		g.res.Logins = append(g.res.Logins, Login{s.role, s.username, s.name})
	}
	// One emergency access for the team leader to review: the follow-up
	// worker opened a person the team has no role for.
	var stranger int64
	err := g.tx.QueryRowContext(g.ctx, `SELECT MIN(p.id) FROM persons p WHERE NOT EXISTS
		(SELECT 1 FROM case_units c WHERE c.person_id = p.id AND c.org_unit_id = ?)`, units[org.KindHousingFirst]).Scan(&stranger)
	if err != nil {
		return err
	}
	worker := access.Actor{UserID: ids[access.FollowUp], MunicipalityID: g.mid, OrgUnitID: units[org.KindHousingFirst],
		OrgUnitName: "Housing First-teamet", Username: "demo-oppfolging", Name: "Olav Oppfølger", Role: access.FollowUp}
	_, err = access.OpenBreakGlass(g.ctx, g.tx, worker, stranger,
		"Ringt av legevakten natt til lørdag; trengte å vite om personen har bolig og hvem som følger opp.")
	return err
}
