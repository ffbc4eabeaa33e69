package allocation_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"husly/internal/allocation"
)

// bruteForce tries every way to assign units to applicants.
func bruteForce(applicants, units int, pairs []allocation.Pair) float64 {
	score := map[[2]int]float64{}
	for _, p := range pairs {
		score[[2]int{p.Applicant, p.Unit}] = p.Score
	}
	used := make([]bool, applicants)
	var best float64
	var walk func(u int, total float64)
	walk = func(u int, total float64) {
		if u == units {
			best = math.Max(best, total)
			return
		}
		walk(u+1, total) // the unit stays vacant
		for a := 0; a < applicants; a++ {
			if s, ok := score[[2]int{a, u}]; ok && !used[a] {
				used[a] = true
				walk(u+1, total+s)
				used[a] = false
			}
		}
	}
	walk(0, 0)
	return best
}

func randomProblem(r *rand.Rand, applicants, units int, density float64, integer bool) []allocation.Pair {
	var pairs []allocation.Pair
	for a := 0; a < applicants; a++ {
		for u := 0; u < units; u++ {
			if r.Float64() < density {
				s := r.Float64() * 20
				if integer {
					s = float64(r.IntN(5)) // many ties
				}
				pairs = append(pairs, allocation.Pair{Applicant: a, Unit: u, Score: s})
			}
		}
	}
	return pairs
}

func valid(t *testing.T, as []allocation.Assignment, pairs []allocation.Pair) {
	t.Helper()
	allowed := map[allocation.Pair]bool{}
	for _, p := range pairs {
		allowed[p] = true
	}
	usedA, usedU := map[int]bool{}, map[int]bool{}
	for _, a := range as {
		if !allowed[a] {
			t.Fatalf("assignment %+v is not an allowed pair", a)
		}
		if usedA[a.Applicant] || usedU[a.Unit] {
			t.Fatalf("applicant %d or unit %d used twice", a.Applicant, a.Unit)
		}
		usedA[a.Applicant], usedU[a.Unit] = true, true
	}
}

// TestSolveIsOptimal compares with every possible assignment on small
// problems: more applicants than units, fewer, sparse, dense, with ties.
func TestSolveIsOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 400; i++ {
		applicants, units := 1+r.IntN(6), 1+r.IntN(6)
		pairs := randomProblem(r, applicants, units, 0.2+r.Float64()*0.8, i%2 == 0)
		got := allocation.Solve(applicants, units, pairs)
		valid(t, got, pairs)
		if want := bruteForce(applicants, units, pairs); math.Abs(allocation.Total(got)-want) > 1e-9 {
			t.Fatalf("problem %d (%d×%d, %v): total %v, optimum %v", i, applicants, units, pairs, allocation.Total(got), want)
		}
	}
}

// TestOptimalBeatsGreedy: the classic case where the first pick blocks a
// better whole.
func TestOptimalBeatsGreedy(t *testing.T) {
	pairs := []allocation.Pair{{0, 0, 10}, {0, 1, 9}, {1, 0, 8}}
	opt := allocation.Solve(2, 2, pairs)
	greedy := allocation.Greedy([]float64{5, 1}, 2, pairs)
	if allocation.Total(opt) != 17 || allocation.Total(greedy) != 10 {
		t.Fatalf("optimal %v, greedy %v", opt, greedy)
	}
}

// TestPriorityFirst places the highest level first even at a cost in
// score, then as many of the next level as possible, then scores.
func TestPriorityFirst(t *testing.T) {
	prio := []float64{3, 1, 1}
	pairs := []allocation.Pair{{0, 0, 1}, {1, 0, 50}, {2, 1, 2}, {1, 1, 40}}
	got := allocation.SolvePriorityFirst(prio, 2, pairs)
	placed := map[int]bool{}
	for _, a := range got {
		placed[a.Applicant] = true
	}
	if !placed[0] || !placed[1] || placed[2] {
		t.Fatalf("priority first: %+v", got)
	}
	if plain := allocation.Total(allocation.Solve(3, 2, pairs)); plain != 52 {
		t.Fatalf("plain optimum %v, want 52", plain)
	}
}

func TestReadPairsRefusesBadInput(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"applicants":[{"id":"A1"},{"id":"A1"}],"units":[],"pairs":[]}`, "søker 2: id «A1» er brukt før"},
		{`{"applicants":[],"units":[{"id":"U1"},{"id":"U1"}],"pairs":[]}`, "bolig 2: id «U1» er brukt før"},
		{`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U9","score":1}]}`, "par 1 (A1–U9): boligen «U9» finnes ikke"},
		{`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A9","unit":"U1","score":1}]}`, "søkeren «A9» finnes ikke"},
		{`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":-1}]}`, "fra 0 og oppover, ikke -1"},
		{`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":1e999}]}`, "tall som ikke kan brukes"},
		{`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":"NaN"}]}`, "feil type"},
		{`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":1},{"applicant":"A1","unit":"U1","score":2}]}`, "par 2 (A1–U1): samme par som par 1"},
		{`{"applicants":[{"id":"A1"}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1"}]}`, "mangler score"},
		{`{"applicants":[{"id":"A1","priority":-2}],"units":[],"pairs":[]}`, "prioriteten må være"},
		{`{"applicants":[{"id":"A1","name":"x"}],"units":[],"pairs":[]}`, "ukjent felt"},
		{`{"applicants":[`, "syntaks"},
		{``, "tomme"},
	} {
		_, err := allocation.ReadPairs(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestReadPairsAndOutput(t *testing.T) {
	p, err := allocation.ReadPairs(strings.NewReader(`{"applicants":[{"id":"A1","priority":3},{"id":"A2"}],"units":[{"id":"U1"},{"id":"U2"}],
		"pairs":[{"applicant":"A1","unit":"U1","score":12.5},{"applicant":"A2","unit":"U1","score":10},{"applicant":"A1","unit":"U2","score":3}]}`))
	if err != nil {
		t.Fatal(err)
	}
	out := p.Output(allocation.Solve(len(p.Applicants), len(p.Units), p.Pairs))
	if out.TotalScore != 13 || len(out.Assignments) != 2 || out.Assignments[0] != (allocation.PairAssignment{Applicant: "A2", Unit: "U1", Score: 10}) {
		t.Fatalf("output: %+v", out)
	}
}

func FuzzReadPairs(f *testing.F) {
	f.Add(`{"applicants":[{"id":"A1","priority":3}],"units":[{"id":"U1"}],"pairs":[{"applicant":"A1","unit":"U1","score":12.5}]}`)
	f.Add(`{"applicants":[],"units":[],"pairs":[]}`)
	f.Fuzz(func(t *testing.T, in string) {
		p, err := allocation.ReadPairs(strings.NewReader(in))
		if err != nil {
			return
		}
		out := p.Output(allocation.Solve(len(p.Applicants), len(p.Units), p.Pairs))
		if out.TotalScore < 0 || math.IsNaN(out.TotalScore) {
			t.Fatalf("total %v", out.TotalScore)
		}
	})
}

// lexBrute finds the best vector (placed per level from the highest, then
// score) over every assignment.
func lexBrute(prio []float64, units int, pairs []allocation.Pair) []float64 {
	levels := []float64{}
	for _, p := range prio {
		if !slices.Contains(levels, p) {
			levels = append(levels, p)
		}
	}
	slices.Sort(levels)
	slices.Reverse(levels)
	score := map[[2]int]float64{}
	for _, p := range pairs {
		score[[2]int{p.Applicant, p.Unit}] = p.Score
	}
	used := make([]bool, len(prio))
	cur := make([]float64, len(levels)+1)
	var best []float64
	var walk func(u int)
	walk = func(u int) {
		if u == units {
			if best == nil || slices.Compare(cur, best) > 0 && !closeTo(cur, best) {
				best = slices.Clone(cur)
			}
			return
		}
		walk(u + 1)
		for a := range prio {
			if s, ok := score[[2]int{a, u}]; ok && !used[a] {
				l := slices.Index(levels, prio[a])
				used[a], cur[l], cur[len(levels)] = true, cur[l]+1, cur[len(levels)]+s
				walk(u + 1)
				used[a], cur[l], cur[len(levels)] = false, cur[l]-1, cur[len(levels)]-s
			}
		}
	}
	walk(0)
	return best
}

func closeTo(a, b []float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}

// TestSolvePriorityFirstIsLexicographic compares with every assignment.
func TestSolvePriorityFirstIsLexicographic(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300; i++ {
		applicants, units := 1+r.IntN(6), 1+r.IntN(5)
		prio := make([]float64, applicants)
		for a := range prio {
			prio[a] = float64(r.IntN(3))
		}
		pairs := randomProblem(r, applicants, units, 0.3+r.Float64()*0.7, i%2 == 0)
		got := allocation.SolvePriorityFirst(prio, units, pairs)
		valid(t, got, pairs)
		want := lexBrute(prio, units, pairs)
		levels := len(want) - 1
		vec := make([]float64, levels+1)
		sorted := slices.Clone(prio)
		slices.Sort(sorted)
		sorted = slices.Compact(sorted)
		slices.Reverse(sorted)
		for _, a := range got {
			vec[slices.Index(sorted, prio[a.Applicant])]++
			vec[levels] += a.Score
		}
		if !closeTo(vec, want) {
			t.Fatalf("problem %d: got %v, best %v (priorities %v, pairs %v)", i, vec, want, prio, pairs)
		}
	}
}

func TestAttributeMode(t *testing.T) {
	in := `{"policy":{"priority_weight":1,"wanted_district":10,"smoke_free":3,"ground_floor":3,"near_services":2,"extra_room_penalty":2,"mix_limit":0.4},
	  "applicants":[{"id":"A1","priority":30,"housing_type":"ordinaer","rooms":1,"requirements":["bakkeplan"],"want_districts":["Frei"]},
	                {"id":"A2","priority":10,"housing_type":"ordinaer","rooms":1,"high_need":true}],
	  "units":[{"id":"U1","category":"ordinaer","rooms":1,"floor":3,"district":"Frei","building":"B1"},
	           {"id":"U2","category":"ordinaer","rooms":1,"floor":1,"district":"Sentrum","building":"B2"}],
	  "buildings":{"B1":{"residents":10,"high_need":2},"B2":{"residents":10,"high_need":5}}}`
	p, err := allocation.ReadProblem(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	// A1 needs the ground floor (U2 only); A2 would tip B2 over the mix limit (U1 only).
	out := p.Output(allocation.Solve(len(p.Applicants), len(p.Units), p.Pairs))
	if len(out.Assignments) != 2 || out.Assignments[0].Applicant != "A2" || out.Assignments[1].Applicant != "A1" {
		t.Fatalf("attribute mode: %+v", out)
	}
	for _, bad := range []string{
		`{"applicants":[{"id":"A1","requirements":["slott"]}],"units":[]}`,
		`{"applicants":[],"units":[{"id":"U1","rooms":0}]}`,
		`{"policy":{"mix_limit":2},"applicants":[],"units":[]}`,
		`{"applicants":[],"units":[],"hemmelig":1}`,
	} {
		if _, err := allocation.ReadProblem(strings.NewReader(bad)); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}
