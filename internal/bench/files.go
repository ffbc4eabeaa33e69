// Package bench measures Husly through HTTP: it builds a municipality of a
// given size (or the national hosted case), starts server processes, drives
// a documented mix of reads and writes at a given concurrency and reports
// latency, throughput and errors per operation beside /healthz measured in
// the same run. See docs/performance.md.
package bench

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"husly/internal/deadline"
	"husly/internal/demo"
	"husly/internal/housing"
	"husly/internal/identity"
)

// numbers hands out distinct synthetic D-numbers. The demo's own persons
// have fødselsnumre, so a D-number never collides with them; within the
// generator each (birth day, individual number) pair is used once.
type numbers struct {
	day, individual int
}

var firstBirth = time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC)

const birthDays = 21915 // 1940–1999: individual numbers 000–499 belong to those years

func (n *numbers) next() string {
	for {
		birth := firstBirth.AddDate(0, 0, n.day)
		ind := n.individual
		if n.day++; n.day == birthDays {
			n.day, n.individual = 0, n.individual+1
		}
		if s, ok := identity.Make(deadline.Of(birth.Date()), ind%500, identity.DNummer, true); ok {
			return s
		}
	}
}

// WritePersons writes a persons import file (docs/import-export.md) with n
// synthetic persons whose cases belong to the organisation unit named unit
// (empty: no case role). The same seed gives the same file.
func WritePersons(w io.Writer, n int, unit string, seed uint64) error {
	first, last := demo.Names()
	rng := rand.New(rand.NewPCG(seed, 0x7065727330))
	bw := bufio.NewWriter(w)
	header := "fodselsnummer,fornavn,etternavn,telefon,adresse,postnummer,poststed"
	if unit != "" {
		header += ",enhet"
	}
	fmt.Fprintln(bw, header)
	var ids numbers
	for i := 0; i < n; i++ {
		fmt.Fprintf(bw, "%s,%s,%s,9%07d,Storgata %d,6509,Kristiansund N", ids.next(), first[rng.IntN(len(first))],
			last[rng.IntN(len(last))], rng.IntN(10000000), 1+rng.IntN(120))
		if unit != "" {
			fmt.Fprintf(bw, ",%s", unit)
		}
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}

var (
	unitCategories = []housing.Category{housing.CategoryCare, housing.CategoryCare, housing.CategoryOrdinary, housing.CategoryOrdinary, housing.CategoryOrdinary, housing.CategorySpecialised, housing.CategoryShared,
		housing.CategoryRehabilitation, housing.CategoryHousingFirst, housing.CategoryEmergency}
	unitStatuses  = []string{"utleid", "utleid", "utleid", "utleid", "utleid", "utleid", "ledig", "vedlikehold", "reservert"}
	unitStreets   = []string{"Storgata", "Kirkegata", "Skolegata", "Fjordveien", "Industriveien", "Parkveien", "Sjøgata", "Nordre gate"}
	unitDistricts = []string{"Sentrum", "Nord", "Sør", "Øst", "Vest"}
)

// WriteUnits writes a units import file with n units whose codes start with
// prefix, spread over categories and statuses roughly as in a municipal
// stock (two in five care homes, most let).
func WriteUnits(w io.Writer, n int, prefix string, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x756e697473))
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "boligkode,adresse,kategori,rom,areal,husleie,postnummer,bydel,bemanning,rullestol,dyr_tillatt,status")
	for i := 0; i < n; i++ {
		rooms := 1 + rng.IntN(4)
		staffing := []housing.Staffing{housing.StaffingNone, housing.StaffingNone, housing.StaffingDay, housing.StaffingNight}[rng.IntN(4)]
		fmt.Fprintf(bw, "%s-%06d,%s %d,%s,%d,%d.%d,%d,6509,%s,%s,%s,%s,%s\n", prefix, i+1, unitStreets[rng.IntN(len(unitStreets))], 1+rng.IntN(150),
			unitCategories[rng.IntN(len(unitCategories))], rooms, 22+rooms*16+rng.IntN(12), rng.IntN(10), 4200+rooms*1900+rng.IntN(9)*100,
			unitDistricts[rng.IntN(len(unitDistricts))], staffing, yesNo(rng.IntN(5) == 0), yesNo(rng.IntN(3) == 0), unitStatuses[rng.IntN(len(unitStatuses))])
	}
	return bw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nei"
}
