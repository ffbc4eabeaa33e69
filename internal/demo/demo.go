// Package demo creates a realistic, deterministic demo municipality
// modelled on Kristiansund (DOMAIN.md §7): about 25,000 inhabitants, about
// 700 municipal units (~400 care, ~300 ordinary) in the five categories of
// NAPHA/NORCE 2021 plus care and ordinary housing, and about 470 persons
// known to the services with their households. Names, addresses and
// identity numbers are synthetic.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"husly/internal/access"
	"husly/internal/clock"
	"husly/internal/deadline"
	"husly/internal/identity"
	"husly/internal/org"
	"husly/internal/people"
	"husly/internal/store"
)

// Password is the password of every demo login.
const Password = "husly-demo-2026"

// Login is a demo account printed for the user.
type Login struct {
	Role     access.Role
	Username string
	Name     string
}

// Result says what the demo created.
type Result struct {
	MunicipalityID int64
	Logins         []Login
	Persons, Units int
}

// reference is the demo's "today": dates are fixed so a seed always gives
// the same municipality.
var reference = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

type generator struct {
	ctx   context.Context
	tx    *store.Tx
	rng   *rand.Rand
	mid   int64
	hash  string
	used  map[string]bool // identity numbers handed out
	actor access.Actor    // who the demo data is registered by
	units map[org.UnitKind]int64
	res   Result
}

// Create fills an empty database with the demo municipality, in one
// transaction, and marks the database as a demo database.
func Create(ctx context.Context, db *store.DB, seed uint64) (Result, error) {
	hash, err := access.HashPassword(Password)
	if err != nil {
		return Result{}, err
	}
	g := &generator{ctx: ctx, rng: rand.New(rand.NewPCG(seed, 0x6b72697374)), hash: hash, used: map[string]bool{}}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		g.tx = tx
		if err := store.SetSetting(ctx, tx, "environment", string(store.DemoEnv)); err != nil {
			return err
		}
		mid, err := org.CreateMunicipality(ctx, tx, demoOperator(0), org.Municipality{Number: "1505", Name: "Kristiansund", Inhabitants: 24300})
		if err != nil {
			return err
		}
		g.mid = mid
		g.res.MunicipalityID = mid
		units, err := g.organisation()
		if err != nil {
			return err
		}
		g.units = units
		// The housing office registers everyone, and so takes every case:
		// its case worker's login exists first, so the cases are hers by
		// user id and show on her own task list.
		siri, err := org.CreateUser(g.ctx, g.tx, demoOperator(mid), org.User{MunicipalityID: mid, OrgUnitID: units[org.KindHousingOffice],
			Username: "demo-saksbehandler", FullName: "Siri Saksbehandler", Title: "Saksbehandler", Role: access.CaseWorker, PasswordHash: g.hash,
			Email: "demo-saksbehandler@kristiansund.example"})
		if err != nil {
			return err
		}
		g.actor = access.Actor{UserID: siri, MunicipalityID: mid, OrgUnitID: units[org.KindHousingOffice], OrgUnitName: "Tildelingskontoret",
			Username: "demo", Name: "Siri Saksbehandler", Role: access.CaseWorker}
		persons, err := g.persons()
		if err != nil {
			return err
		}
		leased, err := g.stock(persons)
		if err != nil {
			return err
		}
		if err := g.relations(persons, leased); err != nil {
			return err
		}
		if err := g.cases(persons, leased); err != nil {
			return err
		}
		if err := g.logins(units, persons); err != nil {
			return err
		}
		if err := g.followUp(); err != nil {
			return err
		}
		// The capabilities after the lease, each in its own file; one per
		// line, so a new one is a line of its own.
		for _, part := range []func() error{
			g.arrears,
			g.tenancy,
			g.movingOn,
			g.plans,
			g.activities,
			g.transitions,
		} {
			if err := part(); err != nil {
				return err
			}
		}
		return nil
	})
	return g.res, err
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }
func (g *generator) chance(p float64) bool     { return g.rng.Float64() < p }

type unitSpec struct {
	name  string
	kind  org.UnitKind
	phone string
	staff int
}

var orgUnits = []unitSpec{
	{"NAV Kristiansund", org.KindNAV, "55 55 33 33", 8},
	{"Tildelingskontoret", org.KindHousingOffice, "71 57 40 00", 5},
	{"Kristiansund Eiendom KF", org.KindProperty, "71 57 41 00", 6},
	{"Psykisk helse og rus", org.KindMentalHealthRus, "71 57 42 00", 10},
	{"Hjemmetjenesten", org.KindHomeCare, "71 57 43 00", 8},
	{"Housing First-teamet", org.KindHousingFirst, "71 57 44 00", 4},
	{"FACT Nordmøre", org.KindFACT, "71 12 00 00", 6},
	{"Boteamet", org.KindHousingTeam, "71 57 45 00", 5},
	{"Miljøvaktmestere", org.KindCaretakers, "71 57 46 00", 3},
	{"Barneverntjenesten", org.KindChildWelfare, "71 57 47 00", 4},
	{"Kommunalsjef helse og velferd", org.KindManagement, "71 57 40 10", 3},
	{"IT-avdelingen", org.KindIT, "71 57 40 20", 2},
}

var titles = map[org.UnitKind]string{
	org.KindNAV: "Veileder", org.KindHousingOffice: "Saksbehandler", org.KindProperty: "Forvalter", org.KindMentalHealthRus: "Miljøterapeut",
	org.KindHomeCare: "Helsefagarbeider", org.KindHousingFirst: "Bo-oppfølger", org.KindFACT: "Sykepleier", org.KindHousingTeam: "Miljøarbeider",
	org.KindCaretakers: "Miljøvaktmester", org.KindChildWelfare: "Barnevernkonsulent", org.KindManagement: "Rådgiver", org.KindIT: "Systemkonsulent",
}

// demoOperator is the demo generator's identity: it sets the municipality
// up as the operator's command line would, under its own name in the audit
// chain.
func demoOperator(municipalityID int64) access.Actor {
	return access.Actor{MunicipalityID: municipalityID, Username: "demo", Name: "Demooppsett", Role: access.Operator}
}

func (g *generator) organisation() (map[org.UnitKind]int64, error) {
	ids := map[org.UnitKind]int64{}
	for _, u := range orgUnits {
		id, err := org.CreateUnit(g.ctx, g.tx, demoOperator(g.mid), org.Unit{Name: u.name, Kind: u.kind, Phone: u.phone,
			Email: "post@" + string(u.kind) + ".kristiansund.example"})
		if err != nil {
			return nil, err
		}
		ids[u.kind] = id
		for i := 0; i < u.staff; i++ {
			first := g.pick(append(femaleNames, maleNames...))
			last := g.pick(lastNames)
			_, err := org.CreateUser(g.ctx, g.tx, demoOperator(g.mid), org.User{MunicipalityID: g.mid, OrgUnitID: id, Role: staffRole(u.kind),
				Username: fmt.Sprintf("%s-%d", u.kind, i+1), FullName: first + " " + last, Title: titles[u.kind],
				Email: fmt.Sprintf("%s.%s@kristiansund.example", first, last)})
			if err != nil {
				return nil, err
			}
		}
	}
	// Every service sits under the health and welfare management.
	setup := demoOperator(g.mid)
	for _, u := range orgUnits {
		if u.kind != org.KindManagement {
			if err := org.SetParent(g.ctx, g.tx, setup, ids[u.kind], ids[org.KindManagement]); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}

func staffRole(kind org.UnitKind) access.Role {
	switch kind {
	case org.KindNAV, org.KindHousingOffice, org.KindChildWelfare:
		return access.CaseWorker
	case org.KindProperty, org.KindCaretakers:
		return access.Property
	case org.KindManagement:
		return access.Planner
	case org.KindIT:
		return access.Admin
	}
	return access.FollowUp
}

// person is a generated person with what the stock needs to house them.
type person struct {
	id       int64
	size     int // household size
	partner  int64
	age      int
	leaseFor bool
}

func (g *generator) newPerson(female bool, age int, lastName, address, district string) (int64, people.Input, error) {
	first := g.pick(maleNames)
	if female {
		first = g.pick(femaleNames)
	}
	birth := reference.AddDate(-age, 0, -g.rng.IntN(365))
	var number string
	for ind := g.rng.IntN(500); ; ind++ {
		individual := ind % 500 // 000–499: born in the 1900s
		if birth.Year() >= 2000 {
			individual += 500
		}
		if s, ok := identity.Make(deadline.Of(birth.Date()), individual, identity.Fodselsnummer, true); ok && !g.used[s] {
			number = s
			g.used[s] = true
			break
		}
	}
	in := people.Input{IdentityNumber: number, FirstName: first, LastName: lastName, Address: address,
		PostalCode: postalCodes[district], PostalPlace: "Kristiansund N"}
	if g.chance(0.8) {
		in.Phone = fmt.Sprintf("%d%07d", 4+g.rng.IntN(6), g.rng.IntN(10000000))
	}
	id, err := people.Create(g.ctx, g.tx, g.actor, in)
	return id, in, err
}

func (g *generator) persons() ([]person, error) {
	var out []person
	for len(out) < 470 {
		district := g.pick(districts)
		address := fmt.Sprintf("%s %d", g.pick(streets[district]), 1+g.rng.IntN(60))
		last := g.pick(lastNames)
		age := 19 + g.rng.IntN(55)
		female := g.chance(0.38) // men are the majority in the ROP group
		id, in, err := g.newPerson(female, age, last, address, district)
		if err != nil {
			return nil, err
		}
		p := person{id: id, size: 1, age: age, leaseFor: g.chance(0.72)}
		r := g.rng.Float64()
		if r < 0.22 {
			hh, err := store.InsertID(g.ctx, g.tx, "INSERT INTO households (municipality_id, created_at) VALUES (?, ?)", g.mid, store.TimeArg(time.Now()))
			if err != nil {
				return nil, err
			}
			if err := g.member(hh, id, in.FirstName, in.LastName, in.IdentityNumber, people.Applicant); err != nil {
				return nil, err
			}
			if r < 0.08 && len(out) < 468 {
				// A couple: the partner is known to the services too.
				pid, pin, err := g.newPerson(!female, age+g.rng.IntN(7)-3, last, address, district)
				if err != nil {
					return nil, err
				}
				if err := g.member(hh, pid, pin.FirstName, pin.LastName, pin.IdentityNumber, people.Partner); err != nil {
					return nil, err
				}
				p.partner = pid
				p.size++
				out = append(out, person{id: pid, size: 0, age: age})
			}
			if r >= 0.04 && age < 55 {
				// Children, recorded by name; not persons of their own.
				for c := 0; c < 1+g.rng.IntN(3); c++ {
					birth := reference.AddDate(-1-g.rng.IntN(17), -g.rng.IntN(12), -g.rng.IntN(28))
					first := g.pick(append(femaleNames, maleNames...))
					if _, err := g.tx.ExecContext(g.ctx, `INSERT INTO household_members (municipality_id, household_id, first_name, last_name, birth_date, relation)
						VALUES (?, ?, ?, ?, ?, 'barn')`, g.mid, hh, first, last, deadline.Of(birth.Date())); err != nil {
						return nil, err
					}
					p.size++
				}
			}
		}
		out = append(out, p)
	}
	g.res.Persons = len(out)
	return out, nil
}

func (g *generator) member(household, personID int64, first, last, number string, rel people.Relation) error {
	n, _ := identity.Parse(number, true, clock.InOslo(time.Now()))
	_, err := g.tx.ExecContext(g.ctx, `INSERT INTO household_members (municipality_id, household_id, person_id, first_name, last_name, birth_date, relation)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, g.mid, household, personID, first, last, n.Birth, string(rel))
	return err
}
