// Package peopletest makes synthetic persons for tests and benchmarks.
package peopletest

import (
	"bufio"
	"fmt"
	"io"

	"husly/internal/identity"
)

var (
	FirstNames = []string{"Kari", "Ola", "Anne", "Per", "Ingrid", "Lars", "Marit", "Jan", "Nora", "Erik", "Sara", "Knut"}
	LastNames  = []string{"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg", "Haugen", "Dahl", "Lie", "Moen", "Strand", "Eide"}
)

// WriteCSV writes a persons file with n synthetic persons, header first,
// whose cases belong to unit. Last names carry a number so that prefixes
// pick out realistic groups.
func WriteCSV(w io.Writer, n int, unit string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "fodselsnummer,fornavn,etternavn,telefon,adresse,postnummer,poststed,enhet")
	for i := 0; i < n; i++ {
		fmt.Fprintf(bw, "%s,%s,%s %d,9%07d,Storgata %d,6509,Kristiansund N,%s\n", identity.Synthetic(i),
			FirstNames[i%len(FirstNames)], LastNames[(i/7)%len(LastNames)], i%97, i, i%120, unit)
	}
	return bw.Flush()
}
