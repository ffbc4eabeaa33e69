package bench

import (
	"fmt"
	"math"
)

// Municipality is one tenant of a generated case with its size.
type Municipality struct {
	Number, Name   string
	Inhabitants    int
	Persons, Units int
}

// largest are the 34 largest municipalities by inhabitants on 1 January
// 2024 (Statistics Norway, table 07459, rounded to the nearest thousand;
// Oslo and Kristiansund exact), with the 2024 municipality numbers.
var largest = []Municipality{
	{"0301", "Oslo", 717710, 0, 0}, {"4601", "Bergen", 291000, 0, 0}, {"5001", "Trondheim", 215000, 0, 0},
	{"1103", "Stavanger", 149000, 0, 0}, {"3201", "Bærum", 131000, 0, 0}, {"4204", "Kristiansand", 117000, 0, 0},
	{"3301", "Drammen", 104000, 0, 0}, {"3203", "Asker", 98000, 0, 0}, {"3205", "Lillestrøm", 93000, 0, 0},
	{"3107", "Fredrikstad", 85000, 0, 0}, {"1108", "Sandnes", 83000, 0, 0}, {"5501", "Tromsø", 79000, 0, 0},
	{"3907", "Sandefjord", 66000, 0, 0}, {"3207", "Nordre Follo", 62000, 0, 0}, {"3105", "Sarpsborg", 59000, 0, 0},
	{"3905", "Tønsberg", 59000, 0, 0}, {"1508", "Ålesund", 58000, 0, 0}, {"4003", "Skien", 55000, 0, 0},
	{"1804", "Bodø", 53000, 0, 0}, {"3103", "Moss", 51000, 0, 0}, {"3222", "Lørenskog", 49000, 0, 0},
	{"3909", "Larvik", 48000, 0, 0}, {"4203", "Arendal", 46000, 0, 0}, {"1149", "Karmøy", 43000, 0, 0},
	{"3209", "Ullensaker", 42000, 0, 0}, {"1106", "Haugesund", 38000, 0, 0}, {"4001", "Porsgrunn", 37000, 0, 0},
	{"3411", "Ringsaker", 35000, 0, 0}, {"1506", "Molde", 33000, 0, 0}, {"3403", "Hamar", 32000, 0, 0},
	{"3101", "Halden", 32000, 0, 0}, {"3407", "Gjøvik", 31000, 0, 0}, {"4627", "Askøy", 30000, 0, 0},
	{"1505", "Kristiansund", 24300, 0, 0},
}

const (
	municipalities   = 357     // from 1 January 2024
	inhabitants      = 5550203 // Statistics Norway, 1 January 2024
	nationalPersons  = 180000  // persons known to the housing services, hosted nationally
	nationalUnits    = 110000  // about 20 municipal homes per 1,000 inhabitants (KOSTRA)
	demoMunicipality = "1505"
)

// National is the national hosted case: all 357 municipalities with
// approximate real sizes. The 34 largest are named with their inhabitants;
// the other 323 follow a rank-size rule P(r) = P(35)·(r/35)^-b with b
// fitted so that all 357 add up to the national population. Persons and
// units are the national totals shared out by inhabitants.
func National() []Municipality {
	out := append([]Municipality{}, largest...)
	rest := float64(inhabitants)
	for _, m := range largest {
		rest -= float64(m.Inhabitants)
	}
	first := float64(largest[len(largest)-1].Inhabitants) * 0.95
	n0 := len(largest) + 1
	sum := func(b float64) float64 {
		s := 0.0
		for r := n0; r <= municipalities; r++ {
			s += first * math.Pow(float64(r)/float64(n0), -b)
		}
		return s
	}
	lo, hi := 0.0, 5.0 // sum falls as b grows: bisect for sum(b) = rest
	for i := 0; i < 60; i++ {
		if mid := (lo + hi) / 2; sum(mid) > rest {
			lo = mid
		} else {
			hi = mid
		}
	}
	for r := n0; r <= municipalities; r++ {
		p := int(math.Round(first * math.Pow(float64(r)/float64(n0), -lo)))
		// Numbers 9001–9323 are not in use, so these cannot be mistaken for real ones.
		out = append(out, Municipality{Number: fmt.Sprintf("%04d", 9000+r-len(largest)), Name: fmt.Sprintf("Modellkommune %d", r), Inhabitants: p})
	}
	total := 0
	for _, m := range out {
		total += m.Inhabitants
	}
	for i := range out {
		share := float64(out[i].Inhabitants) / float64(total)
		out[i].Persons = max(5, int(math.Round(share*nationalPersons)))
		out[i].Units = max(3, int(math.Round(share*nationalUnits)))
	}
	return out
}
