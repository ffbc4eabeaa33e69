package cli

import (
	"bufio"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// writeMatchInput writes a pair-mode problem with the given numbers of
// applicants, units and allowed pairs (spread evenly over the units, each
// applicant at most once per unit), scores with decimals as a round gives
// them, priorities 0–5.
func writeMatchInput(w io.Writer, applicants, units, pairs int) error {
	r := rand.New(rand.NewPCG(3, 5))
	bw := bufio.NewWriterSize(w, 1<<16)
	// A bufio.Writer keeps its first error, writes nothing after it and
	// returns it from Flush, so the Flush at the end checks every write.
	put := func(s string) { _, _ = bw.WriteString(s) }
	put(`{"applicants":[`)
	prio := make([]int, applicants)
	for a := range applicants {
		if a > 0 {
			put(",")
		}
		prio[a] = r.IntN(6)
		put(`{"id":"S` + strconv.Itoa(a) + `","priority":` + strconv.Itoa(prio[a]) + `}`)
	}
	put("],\n\"units\":[")
	for u := range units {
		if u > 0 {
			put(",")
		}
		put(`{"id":"B` + strconv.Itoa(u) + `"}`)
	}
	put("],\n\"pairs\":[\n")
	perUnit := pairs / units
	seen := make(map[int]bool, perUnit)
	n := 0
	for u := range units {
		clear(seen)
		for len(seen) < perUnit {
			a := r.IntN(applicants)
			if seen[a] {
				continue
			}
			seen[a] = true
			if n > 0 {
				put(",\n")
			}
			n++
			score := float64(r.IntN(10000)) / 100
			put(`{"applicant":"S` + strconv.Itoa(a) + `","unit":"B` + strconv.Itoa(u) + `","score":` +
				strconv.FormatFloat(score, 'f', -1, 64) + `}`)
		}
	}
	put("]}\n")
	return bw.Flush()
}

// BenchmarkMatchCommand runs `husly match` end to end — reading the file,
// checking every pair, solving and writing the result — on 20,000
// applicants, 10,000 units and 1,000,000 pairs (a 50 MB file). The figure
// is at most 1.5 s and 300 MB RSS; for the RSS run the binary on the file
// written to HUSLY_MATCH_INPUT under /usr/bin/time -v.
func BenchmarkMatchCommand(b *testing.B) {
	path := os.Getenv("HUSLY_MATCH_INPUT")
	if path == "" {
		path = filepath.Join(b.TempDir(), "match.json")
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeMatchInput(f, 20000, 10000, 1000000); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if code := Run([]string{"match", "--in", path}, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/run")
}
