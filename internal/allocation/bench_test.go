package allocation_test

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"husly/internal/allocation"
)

// bigProblem is the size: 5,000 applicants, 2,000 units and
// 200,000 allowed pairs (100 per unit), scores 0–100, priorities 0–5.
func bigProblem() ([]float64, []allocation.Pair) {
	r := rand.New(rand.NewPCG(7, 11))
	prio := make([]float64, 5000)
	for i := range prio {
		prio[i] = float64(r.IntN(6))
	}
	pairs := make([]allocation.Pair, 0, 200000)
	for u := 0; u < 2000; u++ {
		seen := map[int]bool{}
		for len(seen) < 100 {
			a := r.IntN(5000)
			if !seen[a] {
				seen[a] = true
				pairs = append(pairs, allocation.Pair{Applicant: a, Unit: u, Score: prio[a]*10 + r.Float64()*50})
			}
		}
	}
	return prio, pairs
}

// BenchmarkSolvePairs is the pair mode's figure: at most 1 s and 500 MB.
// It reports the optimal and the greedy total, and the peak heap.
func BenchmarkSolvePairs(b *testing.B) {
	prio, pairs := bigProblem()
	var got []allocation.Assignment
	var peak uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got = allocation.Solve(5000, 2000, pairs)
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapInuse)
	}
	b.StopTimer()
	greedy := allocation.Greedy(prio, 2000, pairs)
	b.ReportMetric(allocation.Total(got), "optimal-total")
	b.ReportMetric(allocation.Total(greedy), "greedy-total")
	b.ReportMetric(float64(len(got)), "placed")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkSolvePriorityFirst is the same round with the highest
// priority levels placed first.
func BenchmarkSolvePriorityFirst(b *testing.B) {
	prio, pairs := bigProblem()
	var got []allocation.Assignment
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got = allocation.SolvePriorityFirst(prio, 2000, pairs)
	}
	b.StopTimer()
	top := 0
	for _, a := range got {
		if prio[a.Applicant] == 5 {
			top++
		}
	}
	b.ReportMetric(float64(top), "top-priority-placed")
}
